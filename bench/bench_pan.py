"""Panning the public map at national scale (30,000 synthetic locations), in Chromium: frames per second.

Measures, in the same run and the same browser:
- **ours**: the map as we draw it from 2,000 locations on (one clustered trace, counts in our glyphs);
- **baseline**: the same 30,000 locations drawn unclustered (our own layer with clustering switched off),
  as the map was before.

Each is panned for a few seconds with `map.panBy` and MapLibre's `render` events are counted. Not a test:
frame rates depend on the machine (software WebGL on 2 cores here). Run:
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
const seconds = arguments[0];
const gd = document.getElementById('map-graph').querySelector('.js-plotly-plot');
const map = gd._fullLayout.map._subplot.map;
let frames = 0;
const count = () => { frames += 1; };
map.on('render', count);
const start = performance.now();
let step = 0;
(function pan() {
  const now = performance.now();
  if (now - start > seconds * 1000) { map.off('render', count); done(frames / ((now - start) / 1000)); return; }
  step += 1;
  map.panBy([step % 120 < 60 ? 12 : -12, 0], {duration: 0});
  requestAnimationFrame(pan);
})();
"""


def _fps(driver, url: str, seconds: float) -> float:
    open_map(driver, url, settle=3)
    return driver.execute_async_script(PAN, seconds)


def main(seconds: float) -> int:
    import layers.locations as locations
    from wmo_kaart.demo import write

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "national.geojson"
        write(data, locations=30_000, providers=400)
        with app_and_browser(data, Path(tmp) / "app", seconds + 60) as (url, driver):
            ours = _fps(driver, url + "/", seconds)
            cluster_from = locations.CLUSTER_FROM
            locations.CLUSTER_FROM = 10**9  # the baseline: every location its own marker, as before
            try:
                base = _fps(driver, url + "/?unclustered", seconds)
            finally:
                locations.CLUSTER_FROM = cluster_from
    print(f"panning the public map at 30,000 locations, {seconds:g} s each")
    print(f"  ours (clustered, ids only):        {ours:5.1f} frames/s")
    print(f"  baseline (every marker drawn):     {base:5.1f} frames/s")
    print(f"  ratio ours / baseline: {ours / base:.1f}x")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    sys.exit(main(parser.parse_args().seconds))
