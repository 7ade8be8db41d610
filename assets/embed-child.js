/* Wmo-kaart: when this page runs inside an iframe, tell the host page its height
   (read by /assets/embed-resize.js on the host page). Sends nothing else. */
(function () {
  if (window.parent === window || typeof ResizeObserver === "undefined") { return; }
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "wmo-kaart:height", height: height }, "*");
    }
  }
  new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
})();
