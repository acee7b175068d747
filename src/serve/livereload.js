// gongkai preview: reloads this page after a rebuild that changed it, and shows
// build errors over the page until they are fixed. The server's events (see
// LiveEvent in src/serve/mod.rs): `reload` (JSON array of changed output paths),
// `error-report` (the diagnostics' text), `bye` (the server stops).
(function () {
  "use strict";
  var base = document.currentScript.dataset.base || "/";
  var overlay = null;
  function here() {
    var p = location.pathname.slice(base.length - 1).replace(/^\//, "");
    if (p === "" || p.endsWith("/")) { p += "index.html"; }
    return p;
  }
  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "gongkai-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:1.5rem;font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "构建失败（显示的是上一次成功构建的页面）\n\n" + message;
  }
  function clearError() { if (overlay) { overlay.remove(); overlay = null; } }
  var events = new EventSource(base + "__gongkai/events");
  events.addEventListener("error-report", function (e) { showError(e.data); });
  events.addEventListener("bye", function () { events.close(); });
  events.addEventListener("reload", function (e) {
    clearError();
    var changed = JSON.parse(e.data);
    if (changed.indexOf(here()) >= 0) { location.reload(); }
  });
})();
