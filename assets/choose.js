/* Choosing a location in the map's list (a click, or Enter or Space on its button) tells the page which one
   through one small store: `data-location` on a row of the list. A callback on every row's n_clicks made Dash
   send the state of every row to the server on each redraw of the list, only to be answered "nothing to do".
   (The embed is a page of its own without Dash: assets/embed-page.js.) */
(function () {
  function choose(event) {
    var set = window.dash_clientside && window.dash_clientside.set_props;
    var button = event.target && event.target.closest ? event.target.closest("button[data-location]") : null;
    if (!set || !button) { return; }
    set("map-row-chosen", { data: { id: button.getAttribute("data-location"), at: Date.now() } });
  }
  document.addEventListener("click", choose);
})();
