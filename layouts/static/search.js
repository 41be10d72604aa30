// Search over search.json, in the browser. Results are built with
// textContent only: titles and summaries come from scraped pages. Titles,
// outlets and rounds sit in <bdi> elements, so that a right-to-left
// override in one cannot reorder the text around it.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var root = form.getAttribute("data-root");
  var index = null;

  function load() {
    if (index) return Promise.resolve(index);
    return fetch(form.getAttribute("data-index"))
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        index = data.map(function (e) {
          e.hay = [e.t, e.s, e.r, (e.k || []).join(" "), e.x].join(" ").toLowerCase();
          return e;
        });
        return index;
      });
  }

  // isolated returns a <bdi> element holding text.
  function isolated(text) {
    var b = document.createElement("bdi");
    b.textContent = text;
    return b;
  }

  function show(list, words) {
    results.textContent = "";
    list.slice(0, 50).forEach(function (e) {
      var li = document.createElement("li");
      li.className = "entry";
      var a = document.createElement("a");
      a.className = "title";
      a.href = root + e.p;
      a.appendChild(isolated(e.t));
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.appendChild(document.createTextNode(e.d + " · "));
      meta.appendChild(isolated(e.s));
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(isolated(e.r));
      var p = document.createElement("p");
      p.className = "summary";
      p.textContent = e.x;
      li.appendChild(a); li.appendChild(meta); li.appendChild(p);
      results.appendChild(li);
    });
    status.textContent = list.length + " article" + (list.length === 1 ? "" : "s") +
      (list.length > 50 ? ", showing the newest 50" : "") + " for “" + words.join(" ") + "”";
  }

  function run() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) { results.textContent = ""; status.textContent = "Type to search."; return; }
    load().then(function (idx) {
      show(idx.filter(function (e) {
        return words.every(function (w) { return e.hay.indexOf(w) >= 0; });
      }), words);
    }).catch(function () { status.textContent = "The search index could not be loaded."; });
  }

  input.addEventListener("input", run);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(); }
})();
