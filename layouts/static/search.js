// Search over the split index of package search (generator/search): a
// manifest, shards of an inverted index keyed by term prefix, and one
// document an article, fetched only for the results shown. Results are
// built with textContent only: titles and texts come from scraped pages,
// and titles, outlets and rounds sit in <bdi> elements.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var pages = document.getElementById("search-pages");
  var pageLabel = document.getElementById("search-page");
  var root = form.getAttribute("data-root");
  var manifestURL = form.getAttribute("data-index");
  var base = manifestURL.replace(/search\/index\.json$/, "");
  var PER_PAGE = 10;
  var KINDS = { round: "round", topic: "topic", source: "source", outlet: "source", affiliation: "affiliation" };

  // Every file is fetched once: a second query, or a keystroke while the
  // first download runs, waits on the same promise.
  var fetches = new Map();
  var arrived = new Map(); // url -> performance.now() when it was parsed
  function getJSON(url) {
    var p = fetches.get(url);
    if (!p) {
      p = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      }).then(function (v) { arrived.set(url, performance.now()); return v; });
      p.catch(function () { fetches.delete(url); });
      fetches.set(url, p);
    }
    return p;
  }

  var manifest = null, shardOf = null, fold = null;
  function load() {
    return getJSON(manifestURL).then(function (m) {
      if (!manifest) {
        manifest = m;
        shardOf = new Map(m.shards);
        fold = new Map(m.fold);
        fillFilters(m.facets);
      }
      return m;
    });
  }

  // Words and Fold as generator/search has them.
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  var SPECIAL = { "ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ħ": "h", "ŧ": "t", "ŀ": "l", "ŉ": "n" };
  function foldWord(w) {
    w = w.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
    w = w.replace(/[ıøßæœłđþħŧŀŉ]/g, function (c) { return SPECIAL[c]; });
    return fold && fold.has(w) ? fold.get(w) : w;
  }
  function words(s) {
    var out = [];
    (s.match(WORD) || []).forEach(function (w) { out.push(foldWord(w)); });
    return out;
  }

  // parse splits a query into words, phrases and filters.
  function parse(q) {
    var query = { words: [], phrases: [], filters: {} };
    var re = /"([^"]*)"?|(\S+)/g, m;
    while ((m = re.exec(q))) {
      if (m[1] !== undefined) {
        var ph = words(m[1]);
        if (ph.length > 1) query.phrases.push(ph);
        query.words = query.words.concat(ph);
        continue;
      }
      var f = /^([a-z]+):(.+)$/i.exec(m[2]);
      if (f && KINDS[f[1].toLowerCase()]) {
        var kind = KINDS[f[1].toLowerCase()];
        (query.filters[kind] = query.filters[kind] || []).push(f[2].toLowerCase());
        continue;
      }
      query.words = query.words.concat(words(m[2]));
    }
    query.words = query.words.filter(function (w, i, a) { return a.indexOf(w) === i; });
    return query;
  }

  // postings returns a term's articles as a Map of number -> 1 when the
  // term is in the title or lead, else 0.
  var used = null; // the shard URLs of the query being matched
  function postings(term) {
    var chars = Array.from(term);
    for (var n = chars.length; n > 0; n--) {
      var file = shardOf.get(chars.slice(0, n).join(""));
      if (file) {
        if (used) used.push(base + file);
        return getJSON(base + file).then(function (shard) {
          var list = Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : [];
          var out = new Map(), id = 0;
          for (var i = 0; i < list.length; i++) {
            id += list[i] >> 1;
            out.set(id, list[i] & 1);
          }
          return out;
        });
      }
    }
    return Promise.resolve(new Map());
  }

  // match returns the article numbers of a query, best first: more words
  // in the title or lead, then newer (articles are numbered oldest first).
  function match(query) {
    var lists = query.words.map(postings);
    var kinds = Object.keys(query.filters);
    var filterLists = kinds.map(function (k) {
      return Promise.all(query.filters[k].map(function (v) { return postings(k + ":" + v); }));
    });
    return Promise.all([Promise.all(lists), Promise.all(filterLists)]).then(function (got) {
      var sets = got[0].slice();
      got[1].forEach(function (alts) { // values of one kind: any of them
        var u = new Map();
        alts.forEach(function (m) { m.forEach(function (v, k) { u.set(k, 0); }); });
        sets.push(u);
      });
      if (!sets.length) return [];
      sets.sort(function (a, b) { return a.size - b.size; });
      var out = [];
      sets[0].forEach(function (head, id) {
        var score = head;
        for (var i = 1; i < sets.length; i++) {
          var h = sets[i].get(id);
          if (h === undefined) return;
          score += h;
        }
        out.push([score, id]);
      });
      out.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1]; });
      return out.map(function (e) { return e[1]; });
    });
  }

  function doc(id) { return getJSON(base + "search/d/" + id + ".json"); }

  // hasPhrases reports whether an article's words hold every phrase.
  function hasPhrases(d, phrases) {
    var ws = words(d.t + " \n " + d.x);
    return phrases.every(function (ph) {
      outer: for (var i = 0; i + ph.length <= ws.length; i++) {
        for (var j = 0; j < ph.length; j++) if (ws[i + j] !== ph[j]) continue outer;
        return true;
      }
      return false;
    });
  }

  // marked appends text to el, the words of the query in <mark>.
  function marked(el, text, terms) {
    var last = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (!terms.has(foldWord(m[0]))) continue;
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mk = document.createElement("mark");
      mk.textContent = m[0];
      el.appendChild(mk);
      last = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  // snippet returns about 40 words of text around its first match.
  function snippet(text, terms) {
    var spans = [], m, first = -1;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      spans.push(m.index);
      if (first < 0 && terms.has(foldWord(m[0]))) first = spans.length - 1;
    }
    if (first < 0) first = 0;
    var from = Math.max(0, first - 12), to = Math.min(spans.length, from + 40);
    var s = text.slice(spans[from] || 0, to < spans.length ? spans[to] : text.length).replace(/\s+/g, " ").trim();
    return (from > 0 ? "… " : "") + s + (to < spans.length ? " …" : "");
  }

  // isolated returns a <bdi> element holding text: titles, outlets and
  // rounds come from scraped pages, and a right-to-left override in one
  // must not reorder the text around it.
  function isolated(text) {
    var b = document.createElement("bdi");
    b.textContent = text;
    return b;
  }

  function entry(d, terms) {
    var li = document.createElement("li");
    li.className = "entry";
    var a = document.createElement("a");
    a.className = "title";
    a.href = root + d.p;
    var title = document.createElement("bdi");
    marked(title, d.t, terms);
    a.appendChild(title);
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.appendChild(document.createTextNode(d.d + " · "));
    meta.appendChild(isolated(d.s));
    if (d.r) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(isolated(d.r));
    }
    var p = document.createElement("p");
    p.className = "summary";
    marked(p, snippet(d.x, terms), terms);
    li.appendChild(a); li.appendChild(meta); li.appendChild(p);
    return li;
  }

  // pageOf returns the page'th page of results, checking phrases (which the
  // index does not hold) in the articles' texts as it goes. After each
  // batch of articles checked, onBatch (when given) is called, so that the
  // results found so far can show before the page is complete.
  function pageOf(state, page, onBatch) {
    var want = (page + 1) * PER_PAGE;
    function more() {
      if (state.shown.length >= want || state.next >= state.ids.length) return Promise.resolve();
      var batch = state.ids.slice(state.next, state.next + (want - state.shown.length));
      state.next += batch.length;
      return Promise.all(batch.map(doc)).then(function (ds) {
        ds.forEach(function (d, i) {
          if (!state.phrases.length || hasPhrases(d, state.phrases)) state.shown.push([batch[i], d]);
        });
        if (onBatch) onBatch();
        return more();
      });
    }
    return more().then(function () { return state.shown.slice(page * PER_PAGE, want); });
  }

  var seq = 0, current = null;
  function run(page) {
    var q = input.value.trim();
    var my = ++seq;
    var t0 = performance.now();
    if (!q) {
      results.textContent = ""; pages.hidden = true; current = null;
      status.textContent = "Type to search.";
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    return load().then(function () {
      var query = parse(q);
      showFilters(query);
      var key = JSON.stringify(query);
      var st = current && current.key === key ? current : null;
      used = [];
      var ready = st ? Promise.resolve(st) : match(query).then(function (ids) {
        return { key: key, ids: ids, phrases: query.phrases, shown: [], next: 0, terms: new Set(query.words), shards: used };
      });
      return ready.then(function (st) {
        if (my !== seq) return;
        // The index part arrived when the last shard of the query did,
        // or when this search started, if all were here before.
        var tIndex = t0;
        (st.shards || []).forEach(function (u) { tIndex = Math.max(tIndex, arrived.get(u) || t0); });
        results.setAttribute("data-rank-ms", String(Math.round(performance.now() - tIndex)));
        current = st;
        var last = Math.max(0, Math.ceil(st.ids.length / PER_PAGE) - 1);
        page = Math.min(page || 0, last);
        var firstShown = 0;
        if (!st.phrases.length) {
          // Each result shows as soon as its document arrives, in its place.
          results.textContent = "";
          st.ids.slice(page * PER_PAGE, (page + 1) * PER_PAGE).forEach(function (id) {
            var li = document.createElement("li");
            li.className = "entry pending";
            results.appendChild(li);
            doc(id).then(function (d) {
              if (my !== seq) return;
              var filled = entry(d, st.terms);
              li.replaceWith(filled);
              if (!firstShown) {
                firstShown = performance.now();
                results.setAttribute("data-ms", String(Math.round(firstShown - tIndex)));
                results.setAttribute("data-total-ms", String(Math.round(firstShown - t0)));
              }
            });
          });
        }
        // With phrases, the results show batch by batch as their texts are
        // checked, in their order.
        var appended = page * PER_PAGE;
        function showChecked() {
          if (my !== seq || !st.phrases.length) return;
          if (appended === page * PER_PAGE && appended < st.shown.length) {
            results.textContent = "";
            results.start = page * PER_PAGE + 1;
          }
          for (; appended < Math.min(st.shown.length, (page + 1) * PER_PAGE); appended++) {
            results.appendChild(entry(st.shown[appended][1], st.terms));
            if (!firstShown) {
              firstShown = performance.now();
              results.setAttribute("data-ms", String(Math.round(firstShown - tIndex)));
              results.setAttribute("data-total-ms", String(Math.round(firstShown - t0)));
            }
          }
        }
        if (st.phrases.length) showChecked(); // the page's results already checked
        return pageOf(st, page, showChecked).then(function (list) {
          if (my !== seq) return;
          if (st.phrases.length) {
            showChecked();
            if (!list.length) results.textContent = "";
          }
          var n = st.ids.length, exact = !st.phrases.length || st.next >= n;
          var total = exact && st.phrases.length ? st.shown.length : n;
          if (!total || (!list.length && exact)) {
            status.textContent = "No articles for “" + q + "”.";
            pages.hidden = true;
            return;
          }
          status.textContent = (exact ? "" : "Up to ") + total + " article" + (total === 1 ? "" : "s") +
            " for “" + q + "”" + (exact ? "" : " (the phrase is checked page by page)") +
            ", showing " + (page * PER_PAGE + 1) + "–" + (page * PER_PAGE + list.length) + ".";
          results.start = page * PER_PAGE + 1;
          pages.hidden = total <= PER_PAGE && page === 0;
          pageLabel.textContent = "Page " + (page + 1) + " of " + (exact ? Math.max(1, Math.ceil(total / PER_PAGE)) : "up to " + (last + 1));
          pages.querySelector("[data-page=prev]").disabled = page === 0;
          pages.querySelector("[data-page=next]").disabled = exact ? (page + 1) * PER_PAGE >= total : page >= last;
          currentPage = page;
        });
      });
    }).catch(function (err) {
      if (my === seq) status.textContent = "The search index could not be loaded.";
      if (window.console) console.error(err);
    });
  }

  // Filters: the lists write round:, topic:, source: and affiliation:
  // words into the query, which stays the one place the search is said.
  var selects = form.querySelectorAll("select[data-filter]");
  function fillFilters(facets) {
    selects.forEach(function (sel) {
      (facets[sel.getAttribute("data-filter")] || []).forEach(function (f) {
        var o = document.createElement("option");
        o.value = f.id;
        o.textContent = f.name + " (" + f.n + ")";
        sel.appendChild(o);
      });
    });
  }
  function showFilters(query) {
    selects.forEach(function (sel) {
      var v = (query.filters[sel.getAttribute("data-filter")] || [""])[0];
      sel.value = v;
      if (sel.value !== v) sel.value = "";
    });
  }
  selects.forEach(function (sel) {
    sel.addEventListener("change", function () {
      var kind = sel.getAttribute("data-filter");
      var rest = input.value.replace(/"[^"]*"?|\S+/g, function (w) {
        var f = /^([a-z]+):/i.exec(w);
        return f && KINDS[f[1].toLowerCase()] === kind ? "" : w;
      }).replace(/\s+/g, " ").trim();
      input.value = (rest + (sel.value ? " " + kind + ":" + sel.value : "")).trim();
      commit(0, false);
    });
  });

  // The address follows the query: ?q=…&page=…. Typing replaces the entry
  // it started; Enter, a filter or a page adds one, so Back returns to the
  // search before.
  var currentPage = 0, timer = 0;
  function address(page) {
    var u = new URL(location.href);
    if (input.value.trim()) u.searchParams.set("q", input.value.trim()); else u.searchParams.delete("q");
    if (page) u.searchParams.set("page", String(page + 1)); else u.searchParams.delete("page");
    return u.toString();
  }
  function commit(page, typing) {
    var url = address(page);
    if (url !== location.href) {
      var st = history.state;
      if (typing && st && st.typing) history.replaceState({ typing: true }, "", url);
      else history.pushState({ typing: typing }, "", url);
    }
    return run(page);
  }
  function fromAddress() {
    var p = new URLSearchParams(location.search);
    input.value = p.get("q") || "";
    return run(Math.max(0, (parseInt(p.get("page"), 10) || 1) - 1));
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { commit(0, true); }, 150);
    load(); // start the manifest while the reader types
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearTimeout(timer);
    history.replaceState({ typing: false }, "", location.href);
    commit(0, false);
  });
  pages.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-page]");
    if (!b || b.disabled) return;
    commit(currentPage + (b.getAttribute("data-page") === "next" ? 1 : -1), false);
    results.scrollIntoView();
  });
  window.addEventListener("popstate", fromAddress);
  fromAddress();
})();
