// jirei serve: live reload and the error overlay. Added by `jirei serve`
// only; a site built with `jirei build` never loads this file.
(function () {
  "use strict";
  var seen = null;
  var overlay = null;

  function hideOverlay() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function showOverlay(errors) {
    hideOverlay();
    if (!document.getElementById("jirei-overlay-css")) {
      var link = el("link");
      link.id = "jirei-overlay-css";
      link.rel = "stylesheet";
      link.href = "/__jirei/overlay.css";
      document.head.appendChild(link);
    }
    overlay = el("div", "jirei-overlay");
    overlay.setAttribute("role", "alert");
    var box = el("div", "jirei-overlay-box");
    box.appendChild(el("h2", null, "事例にエラーがあります（前回の正しいサイトを表示中） / The cases have errors; the last good site is shown"));
    errors.forEach(function (d) {
      var item = el("div", "jirei-overlay-item");
      item.appendChild(el("p", "jirei-overlay-location", d.location + ": " + d.severity + ": " + d.message));
      if (d.source_line) {
        var pre = el("pre", "jirei-overlay-source", d.line + " | " + d.source_line);
        if (d.column > 0) {
          pre.textContent += "\n" + " ".repeat(String(d.line).length) + " | " + " ".repeat(d.column - 1) + "^";
        }
        item.appendChild(pre);
      }
      if (d.help) item.appendChild(el("p", "jirei-overlay-help", d.help));
      box.appendChild(item);
    });
    var close = el("button", "jirei-overlay-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "閉じる / close");
    close.addEventListener("click", hideOverlay);
    box.appendChild(close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  function onStatus(status) {
    if (seen !== null && status.generation !== seen && status.errors.length === 0) {
      location.reload();
      return;
    }
    seen = status.generation;
    if (status.errors.length > 0) showOverlay(status.errors); else hideOverlay();
  }

  var source = new EventSource("/__jirei/events");
  source.addEventListener("status", function (e) { onStatus(JSON.parse(e.data)); });
  source.addEventListener("build-error", function (e) { onStatus(JSON.parse(e.data)); });
  source.addEventListener("reload", function () { location.reload(); });
})();
