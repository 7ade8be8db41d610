"""The first marker of a cold first visit to the embed, in Chromium, at the 280 demo locations.

Measures, in the same browser and the same run, from the start of the navigation (the browser's own
clock, `performance.now()`) until the first location marker is in the page, with the browser cache
switched off (every visit is a first visit):
- **ours**: `/embed` as a resident opens it (the page the server renders with the list, then Leaflet,
  assets/map.js and assets/embed-page.js, then the layer from /embed/laag.geojson);
- **baseline**: a plain Leaflet 1.9 page with the very same markers (the features our embed drew, the
  same marker function, `assets/map.js`), its five files served by Python's own HTTP server: what a
  map of these markers costs without our page around it.

Prints both medians and the ratio. Not a test: timings depend on the machine (2 cores here, software
rendering). Run: `.venv/bin/python bench/bench_first_marker.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _chromium import app_and_browser  # noqa: E402  (this folder, beside the script)

# set on every new document before its own scripts run: when the first location marker appears
FIRST_MARKER = """
window.__firstMarker = null;
new MutationObserver(function (changes, observer) {
  if (document.querySelector('.wmo-marker')) { window.__firstMarker = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""

BASELINE_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Leaflet</title>
<link rel="stylesheet" href="leaflet.css"><style>html, body, #map {{ margin: 0; height: 100%; }}</style></head>
<body><div id="map"></div>
<script src="leaflet.js"></script><script src="map.js"></script>
<script>
fetch("features.json").then(function (r) {{ return r.json(); }}).then(function (d) {{
  var map = L.map("map").setView([{lat}, {lon}], {zoom});
  L.geoJSON(d.layer, {{pointToLayer: function (f, ll) {{ return wmoKaart.location(f, ll, {{hideout: d.hideout}}); }}}}).addTo(map);
}});
</script></body></html>
"""

DRAWN = """
const map = document.getElementById('embed-leaflet').wmoMap;
const features = [];
map.eachLayer(l => { if (l.feature && l.feature.properties.care) { features.push(l.feature); } });
const c = map.getCenter();
return [{type: 'FeatureCollection', features: features}, wmoKaart.hideout, c.lat, c.lng, map.getZoom()];
"""


def _first_marker(driver, url: str, timeout: float = 30) -> float:
    driver.get(url)
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = driver.execute_script("return window.__firstMarker")
        if found:
            return float(found)
        time.sleep(0.02)
    raise RuntimeError(f"no marker on {url}")


def _serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *_a: None})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def main(rounds: int) -> int:
    from wmo_kaart.export.html_map import _vendor

    data = ROOT / "data" / "providers.geojson"
    ours, base = [], []
    with tempfile.TemporaryDirectory() as tmp, app_and_browser(data, Path(tmp) / "app", 60) as (url, driver):
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_MARKER})
        _first_marker(driver, url + "/embed")  # the server's own first answers (its caches) are not the browser's
        time.sleep(2)
        layer, hideout, lat, lon, zoom = driver.execute_script(DRAWN)
        folder = Path(tmp) / "plain"
        folder.mkdir()
        (folder / "index.html").write_text(BASELINE_PAGE.format(lat=lat, lon=lon, zoom=zoom), encoding="utf-8")
        (folder / "features.json").write_text(json.dumps({"layer": layer, "hideout": hideout}), encoding="utf-8")
        (folder / "map.js").write_bytes((ROOT / "assets" / "map.js").read_bytes())
        for name in ("leaflet.js", "leaflet.css"):
            (folder / name).write_bytes(_vendor(name))
        plain, server = _serve(folder)
        try:
            for _ in range(rounds):  # interleaved: ours, then the baseline, in the same browser
                ours.append(_first_marker(driver, url + "/embed"))
                base.append(_first_marker(driver, plain + "/index.html"))
        finally:
            server.shutdown()
    ours_ms, base_ms = statistics.median(ours), statistics.median(base)
    print(f"first marker of a cold first visit, {len(layer['features'])} demo locations, {rounds} visits each (cache off)")
    print(f"  ours (/embed: page, list, Leaflet, layer):   {ours_ms:7.0f} ms median (target ≤ 500 ms)")
    print(f"  baseline (plain Leaflet page, same markers): {base_ms:7.0f} ms median")
    print(f"  ratio ours / baseline: {ours_ms / base_ms:.1f}x")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    sys.exit(main(parser.parse_args().rounds))
