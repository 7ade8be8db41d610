/* The light embed (/embed, wmo_kaart/web/embed_page.py) where JavaScript runs.

   The page works without this file: a form and links whose addresses hold the whole state. Here the same
   links and the form are fetched and only the parts that change are swapped in (the address follows, so
   it can still be shared), filters apply as they are ticked, a button shows the map or the list on a
   phone, and the map is drawn with Leaflet and assets/map.js from /embed/laag.geojson. */
(function () {
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  var PART = { "X-Wmo-Kaart-Part": "1" };
  var SWAPPED = ["embed-list", "embed-details", "embed-shortlist-panel"];  // replaced whole
  var SAID = ["embed-message", "embed-count", "embed-announce", "embed-mylist"];  // live regions: text only
  var map = null, locations = null, origin = null, layerUrl = null, data = null;

  function readData(doc) {
    var el = doc.getElementById("embed-map-data");
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  }

  /* Fetch `url` (an address of this page), swap in what changed, keep the address, move the focus. */
  function go(url, focus) {
    var clean = url.replace(/([?&])(op|weg|zoek|was)=[^&#]*/g, "$1").replace(/&&+/g, "&").replace(/[?&]+(#|$)/, "$1")
      .replace(/\?&+/, "?");
    return fetch(url, { credentials: "same-origin", headers: PART })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        SWAPPED.forEach(function (id) {
          var now = document.getElementById(id), next = doc.getElementById(id);
          if (now && next) { now.innerHTML = next.innerHTML; }
        });
        SAID.forEach(function (id) {
          var now = document.getElementById(id), next = doc.getElementById(id);
          if (now && next && now.textContent !== next.textContent) { now.textContent = next.textContent; }
        });
        var form = doc.getElementById("embed-form");
        if (form) {  // the hidden state of the form (the shortlist, the state it was sent from)
          ["was", "bewaard"].forEach(function (name) {
            var next = form.querySelector('input[name="' + name + '"]');
            var now = document.querySelector('#embed-form input[name="' + name + '"]');
            if (next && now) { now.value = next.value; }
            else if (next) { document.getElementById("embed-form").appendChild(document.importNode(next, true)); }
            else if (now) { now.parentNode.removeChild(now); }
          });
        }
        document.title = doc.title;
        var hash = window.location.hash.indexOf("#map=") === 0 ? window.location.hash : "";
        window.history.replaceState(null, "", clean.split("#")[0] + hash);
        var fresh = readData(doc);
        if (fresh) {
          data = fresh;
          var here = document.getElementById("embed-map-data"), there = doc.getElementById("embed-map-data");
          if (here && there) { here.textContent = there.textContent; }
          draw(false);
        }
        var target = focus && document.getElementById(focus);
        if (target) {
          if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT)$/.test(target.tagName)) { target.setAttribute("tabindex", "-1"); }
          target.focus({ preventScroll: true });
          target.scrollIntoView({ block: "nearest" });
        }
      })
      .catch(function (error) {  // the page itself always works
        if (window.console) { console.warn("embed:", error); }
        window.location.href = url;
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-swap]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    var kind = link.getAttribute("data-swap");
    var focus = kind === "details" ? "embed-details" : kind === "keep" ? link.id : link.getAttribute("data-focus");
    go(link.href, focus);
  });

  function sendForm(focus) {
    var form = document.getElementById("embed-form");
    var query = new URLSearchParams(new FormData(form)).toString();
    go("/embed?" + query, focus);
  }

  document.addEventListener("submit", function (event) {
    if (event.target.id !== "embed-form") { return; }
    event.preventDefault();
    sendForm(null);  // the focus stays where it is; the count and the message are live regions
  });

  document.addEventListener("change", function (event) {  // a ticked filter applies at once
    if (event.target.type === "checkbox" && event.target.closest && event.target.closest("#embed-form")) { sendForm(null); }
  });

  /* On a phone the list comes first; one button shows the map instead (and back). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("#embed-toggle") : null;
    if (!button) { return; }
    var body = document.getElementById("embed-body");
    var showMap = button.getAttribute("aria-expanded") !== "true";
    body.className = "embed-body " + (showMap ? "show-map" : "show-list");
    button.setAttribute("aria-expanded", showMap ? "true" : "false");
    button.textContent = button.getAttribute(showMap ? "data-list" : "data-map");
    if (showMap && map) { map.invalidateSize(); }
  });

  function fromHash() {
    var m = /^#map=([0-9.]+)\/(-?[0-9.]+)\/(-?[0-9.]+)$/.exec(window.location.hash);
    return m ? { center: [parseFloat(m[2]), parseFloat(m[3])], zoom: parseFloat(m[1]) } : null;
  }

  function details(id) {
    if (!data) { return; }
    go(data.details.replace("info=ID", "info=" + encodeURIComponent(id)), "embed-details");
  }

  /* Draw (or redraw) the map from `data`: the layer by address, the search point, the fitted view. */
  function draw(first) {
    if (!window.L || !window.wmoKaart || !data) { return; }
    var el = document.getElementById("embed-leaflet");
    if (!map) {
      map = L.map(el, { zoomSnap: 0.25, minZoom: 6, maxZoom: 18, scrollWheelZoom: false });
      if (data.basemap) { L.tileLayer(data.basemap, { maxZoom: 19, attribution: data.basemap_credit || "" }).addTo(map); }
      if (data.outlines) {
        fetch(data.outlines, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (outlines) {
          L.geoJSON(outlines, { style: wmoKaart.outline, interactive: false }).addTo(map);
        }).catch(function () {});
      }
      map.createPane("names").style.zIndex = 450;
      map.getPane("names").style.pointerEvents = "none";
      L.tileLayer(data.labels, { maxZoom: 19, pane: "names", attribution: data.labels_credit }).addTo(map);
    }
    var changed = data.layer !== layerUrl;  // a new selection; keeping a location or its details change nothing here
    if (!first && !changed) { return; }
    var view = first ? fromHash() : null;
    if (view) { map.setView(view.center, view.zoom); }
    else if (data.view.bounds) { map.fitBounds(data.view.bounds, data.view.options || {}); }
    else { map.setView(data.view.center, data.view.zoom); }
    if (origin) { map.removeLayer(origin); }
    origin = L.geoJSON(data.origin, { pointToLayer: wmoKaart.origin, interactive: false }).addTo(map);
    layerUrl = data.layer;
    fetch(data.layer, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (layer) {
      if (data.layer !== layerUrl) { return; }  // a newer selection is on its way
      if (locations) { map.removeLayer(locations); }
      locations = L.geoJSON(layer, {
        pointToLayer: function (f, latlng) { return wmoKaart.location(f, latlng, { hideout: data.hideout, map: map }); }
      }).on("click", function (e) { if (e.layer && e.layer.feature) { details(e.layer.feature.properties.id); } }).addTo(map);
    });
  }

  // the search, the list and the shortlist work from here on; the map once Leaflet and assets/map.js are in
  // (after map.js's own start, which sets every new map up: pan buttons, #map= in the address)
  document.addEventListener("DOMContentLoaded", function () {
    setTimeout(function () {
      data = data || readData(document);  // a part swapped in before the map's scripts arrived brought newer data
      draw(true);
    }, 0);
  });
})();
