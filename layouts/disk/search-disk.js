// Search from disk. A page opened as a file: URL may not fetch() (Chromium
// refuses it), but it may run the scripts beside it. A build for disk
// (digest build --for-disk) writes every file of the search index,
// search/…/x.json, also as search/…/x.js, a script that calls
// digestIndexPart(name, text) with the file's name and its bytes (see
// generator/search/script.go). This script, loaded before search.js on the
// search page of such a build, answers search.js's fetch() of an index
// file with those bytes, loaded by a <script> element. Any other request,
// and every request of a page not opened from disk, goes to the browser's
// own fetch() as it is.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  var form = document.querySelector("form.search");
  if (!form || typeof window.fetch !== "function") return;
  var root = new URL(form.getAttribute("data-root"), location.href).href; // the site's folder, ending in "/"
  var browserFetch = window.fetch;

  // The index files asked for and not yet handed over, by name: a
  // second request while the script loads waits on the same promise.
  var pending = new Map();
  window.digestIndexPart = function (name, text) {
    var p = pending.get(name);
    if (!p) return;
    pending.delete(name);
    p.resolve(text);
  };
  function load(name) {
    var p = pending.get(name);
    if (p) return p.promise;
    p = {};
    p.promise = new Promise(function (resolve, reject) {
      p.resolve = resolve;
      var s = document.createElement("script");
      s.src = root + name.replace(/\.json$/, ".js");
      // load fires once the script ran: by then it handed its text over,
      // and reject does nothing.
      s.onload = function () {
        s.remove();
        pending.delete(name);
        reject(new TypeError(name + ": its script did not hand it over"));
      };
      s.onerror = function () {
        s.remove();
        pending.delete(name);
        reject(new TypeError(name + ": its script could not be loaded"));
      };
      document.head.appendChild(s);
    });
    pending.set(name, p);
    return p.promise;
  }

  window.fetch = function (input) {
    var url = new URL(input instanceof Request ? input.url : String(input), location.href);
    var name = url.href.indexOf(root) === 0 ? url.href.slice(root.length) : "";
    if (!/^search\/[^?#]*\.json$/.test(name)) return browserFetch.apply(this, arguments);
    return load(name).then(function (text) {
      return new Response(text, { status: 200, headers: { "Content-Type": "application/json" } });
    });
  };
})();
