/* Wmo-kaart embed helper for the HOST page (the municipality's website).
   Include it once after the <iframe data-wmo-kaart>. It
   - gives the iframe the height of its content (no cap: a cut-off list would hide "Mijn lijst");
   - tells the iframe which part of it is in view, so "Mijn lijst" stays at hand however far the page scrolls;
   - scrolls the page when the iframe asks (after a tap on "Mijn lijst": the shortlist comes into view).
   It only talks to iframes whose src starts with the origin the message came from, and sends numbers only. */
(function () {
  function frames() { return document.querySelectorAll("iframe[data-wmo-kaart]"); }
  function origin(frame) { try { return new URL(frame.src, location.href).origin; } catch (e) { return null; } }
  function ours(frame, event) { return frame.contentWindow === event.source && frame.src.indexOf(event.origin + "/") === 0; }
  function tell(frame) {
    var box = frame.getBoundingClientRect(), to = origin(frame);
    if (!to || !frame.contentWindow) { return; }
    frame.contentWindow.postMessage({ type: "wmo-kaart:viewport", top: Math.round(-box.top),
      height: Math.round(window.innerHeight || document.documentElement.clientHeight) }, to);
  }
  var queued = false;
  function tellAll() {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () { queued = false; Array.prototype.forEach.call(frames(), tell); });
  }
  window.addEventListener("scroll", tellAll, { passive: true });
  window.addEventListener("resize", tellAll);
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data.type !== "string") { return; }
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      var frame = list[i];
      if (!ours(frame, event)) { continue; }
      if (data.type === "wmo-kaart:height" && typeof data.height === "number" && isFinite(data.height)) {
        frame.style.height = Math.max(320, Math.ceil(data.height)) + "px";
        tell(frame);
      } else if (data.type === "wmo-kaart:scroll" && typeof data.y === "number" && isFinite(data.y)) {
        var top = frame.getBoundingClientRect().top + window.pageYOffset;
        window.scrollTo(0, Math.max(0, top + data.y - 8));
      } else if (data.type === "wmo-kaart:ready") {
        tell(frame);
      }
    }
  });
})();
