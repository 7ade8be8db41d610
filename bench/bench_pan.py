"""Panning the public map at national scale (30,000 synthetic locations, clustered), in Chromium: frames per second.

Measures, in the same run and the same page:
- **ours**: our map (dash-leaflet, supercluster re-clustering after each move, SVG markers);
- **baseline**: plain Leaflet in a fresh map of the same size, with the same markers as drawn at the
  start (clusters and single locations, the same icons), nothing recomputed on a move.

Each is panned for a few seconds with `map.panBy` on every animation frame; the frames the browser
managed are counted. Not a test: frame rates depend on the machine (2 cores, no GPU here). The map
issue's bar: at least 25 frames/s, as the WebGL map managed clustered. Run:
`.venv/bin/python bench/bench_pan.py [--seconds S]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _chromium import app_and_browser, open_map  # noqa: E402  (this folder, beside the script)

PAN = """
const done = arguments[arguments.length - 1];
const seconds = arguments[0], baseline = arguments[1];
const src = document.getElementById('map-leaflet');
let map = src.wmoMap;
if (baseline) {
  const div = document.createElement('div');
  div.style.width = src.clientWidth + 'px'; div.style.height = src.clientHeight + 'px';
  document.body.prepend(div);
  const plain = L.map(div, {zoomControl: false}).setView(map.getCenter(), map.getZoom());
  map.eachLayer(l => { if (l instanceof L.Marker) { L.marker(l.getLatLng(), {icon: l.options.icon}).addTo(plain); } });
  src.style.display = 'none';
  map = plain;
}
let frames = 0, step = 0;
const start = performance.now();
(function pan() {
  const now = performance.now();
  if (now - start > seconds * 1000) { done(frames / ((now - start) / 1000)); return; }
  frames += 1; step += 1;
  map.panBy([step % 120 < 60 ? 12 : -12, 0], {animate: false});
  requestAnimationFrame(pan);
})();
"""


def main(seconds: float) -> int:
    from wmo_kaart.demo import write

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "national.geojson"
        write(data, locations=30_000, providers=400)
        with app_and_browser(data, Path(tmp) / "app", seconds + 60) as (url, driver):
            open_map(driver, url + "/", settle=3)
            markers = driver.execute_script("return document.querySelectorAll('#map-leaflet .leaflet-marker-icon').length")
            ours = driver.execute_async_script(PAN, seconds, False)
            open_map(driver, url + "/", settle=3)
            base = driver.execute_async_script(PAN, seconds, True)
    print(f"panning the public map at 30,000 locations (clustered; {markers} markers and clusters in view), {seconds:g} s each")
    print(f"  ours (dash-leaflet, supercluster):      {ours:5.1f} frames/s (bar: ≥ 25)")
    print(f"  baseline (plain Leaflet, same markers): {base:5.1f} frames/s")
    print(f"  ratio ours / baseline: {ours / base:.2f}x")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    sys.exit(main(parser.parse_args().seconds))
