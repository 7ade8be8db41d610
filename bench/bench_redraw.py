"""The redraw after a filter change on the public map, in Chromium, at the 280 demo locations.

Measures, in the same browser page and the same run:
- **ours**: from ticking a care-type box until the map shows the new selection (its markers drawn) and
  the count is redrawn: Dash callback, server, the GeoJSON layer and the list;
- **baseline**: plain Leaflet drawing the very same markers (the features our server sent, with the
  same marker function) into a fresh map of the same size in the same page: what the drawing costs
  without Dash, the server or the list.

Prints both medians and the ratio. Not a test: timings depend on the machine (2 cores here, software
rendering). Run: `.venv/bin/python bench/bench_redraw.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _chromium import app_and_browser, open_map  # noqa: E402  (this folder, beside the script)

WAIT_REDRAW = """
const done = arguments[arguments.length - 1];
const want = arguments[0];
const count = document.getElementById('map-count');
const start = window.__clicked;  // set by a capturing click listener when Chromium clicked the box
(function poll() {
  const n = document.querySelectorAll('#map-leaflet .wmo-marker').length;
  if (n === want && count.textContent.startsWith(String(want))) {
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
  } else if (performance.now() - start > 20000) { done(null); } else { setTimeout(poll, 2); }
})();
"""

BASELINE = """
const done = arguments[arguments.length - 1];
const src = document.getElementById('map-leaflet');
const features = [];
src.wmoMap.eachLayer(l => { if (l.feature && l.feature.properties.care) { features.push(l.feature); } });
let div = document.getElementById('bench-div');
if (div) { div.wmoBench.remove(); div.remove(); }
div = document.createElement('div'); div.id = 'bench-div';
div.style.width = src.clientWidth + 'px'; div.style.height = src.clientHeight + 'px';
document.body.appendChild(div);
const map = L.map(div, {zoomControl: false}).setView(src.wmoMap.getCenter(), src.wmoMap.getZoom());
div.wmoBench = map;
const start = performance.now();
L.geoJSON({type: 'FeatureCollection', features: features},
          {pointToLayer: (f, ll) => wmoKaart.location(f, ll, {hideout: wmoKaart.hideout})}).addTo(map);
requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - start, features.length])));
"""


def main(rounds: int) -> int:
    from selenium.webdriver.common.by import By

    from tests.conftest import public_rows
    from wmo_kaart.core.catalog import default_catalog
    from wmo_kaart.core.dataset import load_geojson

    data = ROOT / "data" / "providers.geojson"
    frame = public_rows(load_geojson(data, default_catalog()).frame)
    code = "07"
    with_code = int(frame["care_types"].map(lambda c: code in c).sum())
    ours, base = [], []
    with tempfile.TemporaryDirectory() as tmp, app_and_browser(data, Path(tmp), 60) as (url, driver):
        open_map(driver, url + "/", timeout=60)
        driver.execute_script("document.addEventListener('click', () => { window.__clicked = performance.now(); }, true)")
        box = driver.find_element(By.CSS_SELECTOR, f"#map-care input[value='{code}']")
        for _ in range(rounds):
            for want in (with_code, len(frame)):
                box.click()  # a real click, as a person's
                ours.append(driver.execute_async_script(WAIT_REDRAW, want))
            ms, n = driver.execute_async_script(BASELINE)
            assert n == len(frame), n
            base.append(ms)
    ours_ms, base_ms = statistics.median(ours), statistics.median(base)
    print(f"redraw after a filter change, {len(frame)} demo locations, {len(ours)} redraws (Leaflet, SVG markers, no WebGL)")
    print(f"  ours (Dash: callback, server, layer, list):  {ours_ms:7.0f} ms median (target ≤ 300 ms)")
    print(f"  baseline (plain Leaflet, same markers):      {base_ms:7.0f} ms median")
    print(f"  ratio ours / baseline: {ours_ms / base_ms:.1f}x")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    sys.exit(main(parser.parse_args().rounds))
