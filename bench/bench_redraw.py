"""The redraw after a filter change on the public map, in Chromium, at the 280 demo locations.

Measures, in the same browser page and the same run:
- **ours**: from ticking a care-type box until the map shows the new selection and the list and count
  are redrawn (Dash callback, server, figure and list in the page);
- **baseline**: `Plotly.react` with the very figure our server sent, straight into a fresh div of the
  same page: what drawing that map costs plotly.js alone, without Dash, the server or the list.

Prints both medians and the ratio. Not a test: timings depend on the machine (software WebGL on
2 cores here). Run: `.venv/bin/python bench/bench_redraw.py [--rounds N]`.
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
const gd = document.getElementById('map-graph').querySelector('.js-plotly-plot');
const count = document.getElementById('map-count');
const start = window.__clicked;  // set by a capturing click listener when Chromium clicked the box
(function poll() {
  const n = gd._fullData.filter(t => t.meta === 'locations').reduce((s, t) => s + t.lat.length, 0);
  const listed = count.textContent.startsWith(String(want));
  const map = gd._fullLayout.map._subplot.map;
  if (n === want && listed && map.loaded() && map.areTilesLoaded()) {  // the map's sources are updated and drawn
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
  } else if (performance.now() - start > 20000) { done(null); } else { setTimeout(poll, 2); }
})();
"""

BASELINE = """
const done = arguments[arguments.length - 1];
const src = document.getElementById('map-graph').querySelector('.js-plotly-plot');
const fig = {data: JSON.parse(JSON.stringify(src.data)), layout: JSON.parse(JSON.stringify(src.layout))};
let div = document.getElementById('bench-div');
if (div) { Plotly.purge(div); div.remove(); }
div = document.createElement('div'); div.id = 'bench-div';
div.style.width = src.clientWidth + 'px'; div.style.height = src.clientHeight + 'px';
document.body.appendChild(div);
Plotly.newPlot(div, {data: [], layout: fig.layout}).then(() => {
  const start = performance.now();
  Plotly.react(div, fig.data, fig.layout).then(() => {
    const map = div._fullLayout.map._subplot.map;
    (function poll() {
      if (map.loaded() && map.areTilesLoaded()) {
        requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
      } else { setTimeout(poll, 2); }
    })();
  });
});
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
            base.append(driver.execute_async_script(BASELINE))
    ours_ms, base_ms = statistics.median(ours), statistics.median(base)
    print(f"redraw after a filter change, 280 demo locations ({len(frame)} public), {len(ours)} redraws")
    print(f"  ours (Dash: callback, server, figure, list):  {ours_ms:7.0f} ms median (target ≤ 300 ms)")
    print(f"  baseline (Plotly.react of the same figure):  {base_ms:7.0f} ms median")
    print(f"  ratio ours / baseline: {ours_ms / base_ms:.1f}x")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    sys.exit(main(parser.parse_args().rounds))
