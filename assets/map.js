/* The location maps on Leaflet (dash-leaflet): SVG markers, never WebGL.

   The server sends per location what to draw (wmo_kaart/web/leaflet_map.py, layers/): the colours of
   its care types (the first fills the marker, the others are rings around it), the pattern of the
   first (white ring, dot or target: shape as well as colour), a count where locations share a spot,
   a contract warning for professional roles, and its accessible name. This file only draws that.

   Every marker is a focusable button (Leaflet 1.9) with that name; Enter opens its details. Maps with
   the class `url-view` keep their view in the address as OpenStreetMap does (#map=ZOOM/LAT/LON), and
   every map gets pan buttons beside the zoom buttons (dragging is not the only way to move it). */
(function () {
  var WORDS = {
    nl: { up: "Kaart omhoog schuiven", down: "Kaart omlaag schuiven", left: "Kaart naar links schuiven",
          right: "Kaart naar rechts schuiven", zoomIn: "Inzoomen", zoomOut: "Uitzoomen", cluster: "locaties, inzoomen",
          spot: "locaties op deze plek" },
    en: { up: "Pan the map up", down: "Pan the map down", left: "Pan the map left", right: "Pan the map right",
          zoomIn: "Zoom in", zoomOut: "Zoom out", cluster: "locations, zoom in", spot: "locations at this spot" }
  };

  function words() { return WORDS[(document.documentElement.lang || "nl").slice(0, 2)] || WORDS.nl; }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function circle(r, fill, stroke) {
    return '<circle cx="0" cy="0" r="' + r + '" fill="' + fill + '"' + (stroke ? ' stroke="' + stroke + '" stroke-width="1"' : "") + "/>";
  }

  /* The SVG of one location: rings of its further care types (outermost first), the disc of the first,
     its pattern, then a count (same spot) on the right and a warning sign on the left. */
  function markerSvg(p, geometry) {  // geometry: size, ring and patterns, from the layer's hideout (layers/locations.py)
    var SIZE = geometry.size, RING = geometry.ring, PATTERNS = geometry.patterns;
    var colours = p.colours || ["#555555"];
    var outer = (SIZE + RING * (colours.length - 1)) / 2;
    var half = Math.ceil(outer) + 2, width = 2 * half + (p.count ? 20 : 0) + (p.warn ? 20 : 0);
    var left = p.warn ? 20 : 0;
    var parts = [];
    for (var k = colours.length - 1; k >= 1; k--) { parts.push(circle((SIZE + RING * k) / 2, colours[k], "#ffffff")); }
    parts.push(circle(SIZE / 2, colours[0], "#ffffff"));
    (PATTERNS[p.pattern] || []).forEach(function (layer) { parts.push(circle(layer[1] / 2, layer[0] || colours[0])); });
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + (2 * half) + '" viewBox="' +
      (-half - left) + " " + (-half) + " " + width + " " + (2 * half) + '" aria-hidden="true" focusable="false">' + parts.join("");
    if (p.count) {
      svg += '<text x="' + (half + 2) + '" y="5" font-size="15" font-weight="700" fill="#111111" stroke="#ffffff" stroke-width="3" paint-order="stroke">' + escape(p.count) + "</text>";
    }
    if (p.warn) {
      svg += '<path d="M' + (-half - 10) + ",-9 l9,16 h-18 z\" fill=\"#b3261e\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>" +
        '<text x="' + (-half - 10) + '" y="5" font-size="11" font-weight="700" text-anchor="middle" fill="#ffffff">!</text>';
    }
    return { html: svg + "</svg>", width: width, height: 2 * half, anchor: [half + left, half] };
  }

  /* A marker named for screen readers, that Enter (or Space) chooses as a click does: Leaflet 1.9 makes
     markers focusable buttons, but Enter only opens popups, which we do not use. */
  function named(marker) {
    marker.on("add", function () {
      var el = marker.getElement();
      if (el && marker.options.title) { el.setAttribute("aria-label", marker.options.title); }
    });
    marker.on("keypress", function (e) {
      var key = e.originalEvent && (e.originalEvent.key || e.originalEvent.keyCode);
      if ((key === "Enter" || key === 13 || key === " " || key === 32) && !marker.getPopup()) {  // a popup opens by itself
        if (e.originalEvent.preventDefault) { e.originalEvent.preventDefault(); }
        marker.fire("click", { latlng: marker.getLatLng(), originalEvent: e.originalEvent }, true);
      }
    });
    return marker;
  }

  /* A national (clustered) layer comes without its locations' names and towns: they are fetched once per
     layer address, from the same address with ".namen.json" (wmo_kaart/web/map_layers.py), when the first
     location's own marker is drawn; markers drawn before they arrive are named then. */
  var NAMES = {};

  function namesOf(url) {
    var key = String(url).replace(/\.geojson\?/, ".namen.json?");
    var entry = NAMES[key];
    if (!entry) {
      var keys = Object.keys(NAMES);
      if (keys.length >= 8) { delete NAMES[keys[0]]; }  // a few filters back is enough
      entry = NAMES[key] = { table: null, waiting: [] };
      fetch(key, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; })
        .then(function (table) {
          entry.table = table || {};
          entry.waiting.forEach(function (done) { done(); });
          entry.waiting = [];
        });
    }
    return entry;
  }

  function rename(marker, name) {
    marker.options.title = name;
    var el = marker.getElement();
    if (el) { el.setAttribute("aria-label", name); el.setAttribute("title", name); }
  }

  /* A location (pointToLayer of the locations layer): its care types (the first fills the marker) drawn
     with the colours and patterns of the layer's hideout, named "name, care types, town". */
  function location(feature, latlng, context) {
    var p = feature.properties || {};
    var hideout = (context && context.hideout) || {};
    window.wmoKaart.hideout = hideout;  // the last legend drawn with (the benchmarks redraw the same markers)
    var care = hideout.care || {};
    var codes = p.care || [];
    var first = care[codes[0]] || {};
    var drawn = markerSvg({ colours: codes.map(function (c) { return (care[c] || {}).colour || "#555555"; }),
                            pattern: first.pattern, count: p.count, warn: p.warn }, hideout.marker);
    function nameOf(place, town) {
      // no parentheses: the count is visible text of the marker, and a name must hold it (WCAG 2.5.3)
      return [place, codes.map(function (c) { return (care[c] || {}).label || c; }).join(", "), town]
        .filter(Boolean).join(", ") + (p.warn ? "; " + p.warn : "") + (p.count ? "; " + p.count + " " + words().spot : "");
    }
    var icon = L.divIcon({ html: drawn.html, className: "wmo-marker", iconSize: [drawn.width, drawn.height], iconAnchor: drawn.anchor });
    if (context && context.map) { setup(context.map); }
    var names = p.name === undefined && context && context.url ? namesOf(context.url) : null;
    var known = names && names.table ? (names.table[p.id] || []) : [p.name, p.city];
    var marker = named(L.marker(latlng, { icon: icon, title: nameOf(known[0], known[1]), keyboard: true, riseOnHover: true }));
    if (names && !names.table) {
      names.waiting.push(function () { var n = names.table[p.id] || []; rename(marker, nameOf(n[0], n[1])); });
    }
    return marker;
  }

  /* A cluster of locations at national scale: a grey-blue disc with the count (text 4.5:1 on it). */
  function cluster(feature, latlng, index, context) {
    if (context && context.map) { setup(context.map); }
    var n = feature.properties.point_count;
    var size = n < 50 ? 28 : n < 500 ? 38 : 50;
    var icon = L.divIcon({ html: '<span class="wmo-cluster-count">' + (feature.properties.point_count_abbreviated || n) + "</span>",
                           className: "wmo-cluster", iconSize: [size, size] });
    return named(L.marker(latlng, { icon: icon, title: n + " " + words().cluster, keyboard: true }));
  }

  /* The confidential BW layer (BW roles only): a halo under the marker, a full disc, a thick or a thin ring. */
  function bw(feature, latlng) {
    var p = feature.properties || {};
    var r = (p.size || 30) / 2, inner = (p.inner || 0) / 2;
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + 2 * r + '" height="' + 2 * r + '" viewBox="' + (-r) + " " + (-r) + " " +
      2 * r + " " + 2 * r + '" aria-hidden="true">' + circle(r, p.colour) + (inner ? circle(inner, "#ffffff") : "") + "</svg>";
    var icon = L.divIcon({ html: svg, className: "wmo-bw", iconSize: [2 * r, 2 * r] });
    return L.marker(latlng, { icon: icon, title: p.title || "", keyboard: false, interactive: true, zIndexOffset: -1000 });
  }

  /* The search point: a bullseye (no location looks like it), labelled with the place searched for. */
  function origin(feature, latlng) {
    var p = feature.properties || {};
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="-12 -12 24 24" aria-hidden="true">' +
      circle(12, "#000000") + circle(9, "#ffffff") + circle(4.5, "#000000") + "</svg>";
    var icon = L.divIcon({ html: svg + '<span class="wmo-origin-label">' + escape(p.label || "") + "</span>",
                           className: "wmo-origin", iconSize: [24, 24], iconAnchor: [12, 12] });
    return L.marker(latlng, { icon: icon, keyboard: false, interactive: false, zIndexOffset: -2000 });
  }

  /* The halo under the chosen location. */
  function selected(feature, latlng) {
    var icon = L.divIcon({ html: "", className: "wmo-selected", iconSize: [32, 32] });
    return L.marker(latlng, { icon: icon, keyboard: false, interactive: false, zIndexOffset: -3000 });
  }

  /* An area of the coverage map: its fill from the server (colour per class, never colour alone: the list says it too). */
  function area(feature) {
    var p = feature.properties || {};
    return { color: "#5a5a5a", weight: 0.6, fillColor: p.fill || "#cccccc", fillOpacity: p.fill ? 0.75 : 0.15 };
  }

  /* Coverage: a location (or an added, hypothetical one) as a small disc; residents' searches that found
     nothing nearby as a square sized by their number. */
  function dot(feature, latlng) {
    var p = feature.properties || {};
    return L.circleMarker(latlng, { radius: p.radius || 4, fillColor: p.colour || "#0b57a4", color: "#ffffff", weight: 1,
                                    fillOpacity: 1, interactive: true });
  }

  function square(feature, latlng) {
    var p = feature.properties || {};
    var size = p.size || 12;
    var icon = L.divIcon({ html: "", className: "wmo-miss", iconSize: [size, size] });
    return L.marker(latlng, { icon: icon, keyboard: false, title: p.title || "" });
  }

  /* Every feature with a title shows it as a tooltip (the same figures are in the page's tables). */
  function titled(feature, layer) {
    var p = feature.properties || {};
    if (p.title && layer.bindTooltip) { layer.bindTooltip(String(p.title), { sticky: true }); }
  }

  function outline() { return { color: "#5a5a5a", weight: 1.2, fill: false, interactive: false }; }

  /* #map=ZOOM/LAT/LON, as OpenStreetMap writes it (the server reads it: core/viewport.view_from_hash). */
  function writeHash(map) {
    var c = map.getCenter(), z = Math.round(map.getZoom() * 100) / 100;
    var digits = Math.max(1, Math.ceil(z / 3.3) + 1);  // as precise as the zoom shows
    var hash = "#map=" + z + "/" + c.lat.toFixed(digits) + "/" + c.lng.toFixed(digits);
    if (window.location.hash !== hash) { window.history.replaceState(window.history.state, "", hash); }
  }

  function panControl(map) {
    var w = words();
    var Control = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "leaflet-bar wmo-pan");
        [["up", "\u2191", [0, -1]], ["left", "\u2190", [-1, 0]], ["right", "\u2192", [1, 0]], ["down", "\u2193", [0, 1]]].forEach(function (b) {
          var button = L.DomUtil.create("button", "wmo-pan-" + b[0], box);
          button.type = "button";
          button.textContent = b[1];
          button.title = w[b[0]];
          button.setAttribute("aria-label", w[b[0]]);
          L.DomEvent.disableClickPropagation(button);
          L.DomEvent.on(button, "click", function () {
            var size = map.getSize();
            map.panBy([b[2][0] * size.x / 3, b[2][1] * size.y / 3]);
          });
        });
        return box;
      }
    });
    return new Control();
  }

  /* Show a view the server chose (fitted to the selection, the address's #map=, a chosen row): once per
     change of the page's view store, never again on a redraw. */
  function show(map, view) {
    if (map._animatingZoom) {  // a zoom under way would end on its own target and undo this view: wait for it
      map.once("zoomend", function () { show(map, view); });
      return;
    }
    if (view.bounds) {
      map.fitBounds(view.bounds, view.options || {});
    } else if (view.center) {  // `closer`: at least this close, never further out than the user already is
      map.setView(view.center, view.closer ? Math.max(map.getZoom(), view.zoom) : view.zoom, { animate: false });
    }
  }

  function applyView(id, view) {
    var el = document.getElementById(id);
    var unchanged = window.dash_clientside ? window.dash_clientside.no_update : null;
    if (!view || !el) { return unchanged; }
    if (el.wmoMap) { show(el.wmoMap, view); } else { el.wmoPendingView = view; }  // the map is still on its way
    return unchanged;
  }

  function setup(map) {
    if (map._wmoKaart) { return; }
    map._wmoKaart = true;
    var container = map.getContainer();
    container.wmoMap = map;  // for tests and the benchmarks: the page's map by its element
    if (container.wmoPendingView) { show(map, container.wmoPendingView); container.wmoPendingView = null; }
    var w = words();
    if (map.zoomControl) {  // the zoom buttons in the page's language
      var zoom = map.zoomControl.getContainer();
      var zin = zoom.querySelector(".leaflet-control-zoom-in"), zout = zoom.querySelector(".leaflet-control-zoom-out");
      if (zin) { zin.title = w.zoomIn; zin.setAttribute("aria-label", w.zoomIn); }
      if (zout) { zout.title = w.zoomOut; zout.setAttribute("aria-label", w.zoomOut); }
    }
    panControl(map).addTo(map);
    if (container.classList.contains("url-view")) {
      map.on("moveend", function () { writeHash(map); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.L && L.Map) { L.Map.addInitHook(function () { var map = this; map.whenReady(function () { setup(map); }); }); }
  });

  window.wmoKaart = Object.assign(window.wmoKaart || {}, {
    location: location, cluster: cluster, bw: bw, origin: origin, selected: selected, area: area, outline: outline,
    dot: dot, square: square, titled: titled,
    markerSvg: markerSvg, applyView: applyView
  });
})();
