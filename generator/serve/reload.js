// Live reload for the digest preview. digest serve adds this script to the
// pages it serves; it is never part of the built site.
//
// The server sends its state as Server-Sent Events: the id of its last
// good build and the errors of the last build if it failed. A new build id
// reloads the page; errors show in an overlay. Error messages are text from
// files under edit, so they are only ever set with textContent.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script.getAttribute("data-build");
  var url = script.getAttribute("data-events");
  var events = null;
  var overlay = null;

  function onState(e) {
    var state = JSON.parse(e.data);
    if (state.errors && state.errors.length > 0) {
      show(state.errors, state.more || 0);
      return;
    }
    if (state.build !== build) {
      disconnect();
      location.reload();
      return;
    }
    hide();
  }

  // Only visible pages hold a connection: browsers allow six HTTP/1.1
  // connections to one server, and a dozen open tabs of the preview
  // would otherwise use them all up. A page shown again reconnects,
  // receives the current state and reloads if it missed a build.
  function connect() {
    if (events === null) {
      events = new EventSource(url);
      events.addEventListener("state", onState);
    }
  }
  function disconnect() {
    if (events !== null) {
      events.close();
      events = null;
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      disconnect();
    } else {
      connect();
    }
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function () {
    if (!document.hidden) {
      connect();
    }
  });
  if (!document.hidden) {
    connect();
  }

  function show(errors, more) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "digest-overlay";
    overlay.setAttribute("role", "alert");
    var s = overlay.style;
    s.position = "fixed";
    s.inset = "0";
    s.zIndex = "2147483647";
    s.overflow = "auto";
    s.margin = "0";
    s.padding = "2em";
    s.background = "rgba(20, 20, 20, 0.94)";
    s.color = "#fdd";
    s.font = "14px/1.5 ui-monospace, monospace";

    var title = document.createElement("h2");
    title.textContent = "Build failed. The preview shows the last good build.";
    title.style.color = "#f88";
    overlay.appendChild(title);
    errors.forEach(function (d) {
      var line = document.createElement("pre");
      line.className = "digest-error";
      line.style.whiteSpace = "pre-wrap";
      line.style.margin = "0.5em 0";
      var where = d.file ? d.file + (d.line ? ":" + d.line : "") + ": " : "";
      line.textContent = where + d.msg;
      overlay.appendChild(line);
    });
    if (more > 0) {
      var rest = document.createElement("p");
      rest.textContent = "and " + more + " more";
      overlay.appendChild(rest);
    }
    document.documentElement.appendChild(overlay);
  }

  function hide() {
    if (overlay !== null) {
      overlay.remove();
      overlay = null;
    }
  }
})();
