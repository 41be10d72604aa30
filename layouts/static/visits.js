// "New since your last visit": marks the entries of the page's lists that
// are dated after the reader's previous visit, with the word "New".
//
// All of it stays in the reader's browser: one localStorage item per copy
// of the site (named by the address of this script's folder) holds the
// time of the previous visit and when a page of the site was last shown.
// A visit is a run of pages each shown within 30 minutes of the one
// before, so the markers stay put while the reader goes from page to page;
// the first visit marks nothing. An entry's date is a day (its <time
// datetime>), which counts from the start of that day, UTC: an article
// dated the day of the previous visit is not marked. Without storage (off,
// blocked, full) nothing is marked and nothing fails. On a page without
// entries the script does nothing.
(function () {
  "use strict";
  var times = document.querySelectorAll("li.entry time[datetime]");
  var script = document.currentScript;
  if (times.length === 0 || !script) return;
  var key = "digest-visits " + new URL(".", script.src).pathname;
  var visitGap = 30 * 60 * 1000;

  var store = null, saved = null;
  try {
    store = window.localStorage;
    saved = JSON.parse(store.getItem(key) || "null");
  } catch (e) {
    return; // storage blocked, or not ours to read
  }
  var now = Date.now();
  var previous = saved && typeof saved.previous === "number" ? saved.previous : null;
  if (saved && typeof saved.last === "number" && saved.last <= now && now - saved.last > visitGap) {
    previous = saved.last; // a new visit: the last one ended when its last page was shown
  }

  if (previous !== null) {
    for (var i = 0; i < times.length; i++) {
      var t = times[i], when = Date.parse(t.getAttribute("datetime"));
      var entry = t.closest("li.entry"), title = entry && entry.querySelector(".title");
      if (!(when > previous) || !title || entry.querySelector(".new")) continue;
      var mark = document.createElement("span");
      mark.className = "new";
      mark.textContent = "New";
      title.insertBefore(mark, title.firstChild);
      title.insertBefore(document.createTextNode(" "), mark.nextSibling);
    }
  }

  function save() {
    try {
      store.setItem(key, JSON.stringify({ previous: previous, last: Date.now() }));
    } catch (e) {
      // full or blocked since: the next visit marks what this one did
    }
  }
  save();
  window.addEventListener("pagehide", save);
})();
