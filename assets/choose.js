/* Choosing a location in a list (a click, or Enter or Space on its button) tells the page which one
   through one small store: `data-location` on a row of the map's list, `data-keep` on 'Zet op mijn
   lijst' and `data-details` on 'Meer informatie' in the embed. A callback on every row's n_clicks made Dash send the state of every row to
   the server on each redraw of the list, only to be answered "nothing to do". */
(function () {
  function choose(event) {
    var set = window.dash_clientside && window.dash_clientside.set_props;
    var button = event.target && event.target.closest ? event.target.closest("button[data-location], button[data-keep], button[data-details]") : null;
    if (!set || !button) { return; }
    var at = Date.now();
    if (button.hasAttribute("data-location")) {
      set("map-row-chosen", { data: { id: button.getAttribute("data-location"), at: at } });
    } else if (button.hasAttribute("data-details")) {
      set("embed-details-chosen", { data: { id: button.getAttribute("data-details"), at: at } });
      var panel = document.getElementById("embed-details");
      if (panel) { panel.scrollIntoView({ block: "nearest" }); }
    } else {
      set("embed-keep-chosen", { data: { id: button.getAttribute("data-keep"), at: at } });
    }
  }
  document.addEventListener("click", choose);
})();
