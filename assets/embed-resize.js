/* Wmo-kaart embed helper for the HOST page (the municipality's website).
   Include it once after the <iframe>: the iframe then follows the height of its content.
   It only accepts messages from iframes whose src starts with the Wmo-kaart origin. */
(function () {
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "wmo-kaart:height" || typeof data.height !== "number") { return; }
    var frames = document.querySelectorAll("iframe[data-wmo-kaart]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow === event.source && frame.src.indexOf(event.origin + "/") === 0) {
        frame.style.height = Math.max(320, Math.min(data.height, 5000)) + "px";
      }
    }
  });
})();
