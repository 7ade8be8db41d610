/* Wmo-kaart inside an iframe: tell the host page its height (read by /assets/embed-resize.js there),
   keep "Mijn lijst" in the part of the frame the visitor sees, and ask the host to scroll to the
   shortlist when "Mijn lijst" is tapped. Sends numbers only, and only to the parent window. */
(function () {
  if (window.parent === window) { return; }
  var root = document.documentElement, last = 0;
  function send(message) { window.parent.postMessage(message, "*"); }
  function report() {
    var height = Math.ceil(root.scrollHeight);
    if (height !== last) { last = height; send({ type: "wmo-kaart:height", height: height }); }
  }
  if (typeof ResizeObserver !== "undefined") { new ResizeObserver(report).observe(root); }
  window.addEventListener("load", function () { report(); send({ type: "wmo-kaart:ready" }); });
  send({ type: "wmo-kaart:ready" });
  // the host says which part of this frame is in view: place "Mijn lijst" at its top
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.type !== "wmo-kaart:viewport"
        || typeof data.top !== "number" || typeof data.height !== "number") { return; }
    root.classList.add("in-host");
    root.style.setProperty("--host-top", Math.max(0, data.top) + "px");
  });
  // a tap on "Mijn lijst" (or on a link to the shortlist): the host page scrolls it into view
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest('a[href="#embed-shortlist-panel"]') : null;
    var panel = document.getElementById("embed-shortlist-panel");
    if (!link || !panel || !root.classList.contains("in-host")) { return; }
    event.preventDefault();
    send({ type: "wmo-kaart:scroll", y: Math.round(panel.getBoundingClientRect().top + window.pageYOffset) });
    panel.setAttribute("tabindex", "-1");
    panel.focus({ preventScroll: true });
  });
})();
