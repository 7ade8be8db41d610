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
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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
    driver.get(url)
    deadline = time.time() + 120
    while time.time() < deadline and not driver.execute_script(
            "const e = document.getElementById('map-graph'); const g = e && e.querySelector('.js-plotly-plot');"
            "const s = g && g._fullLayout && g._fullLayout.map && g._fullLayout.map._subplot;"
            "return !!(s && s.map && s.map.loaded() && g._fullData.some(t => t.meta === 'locations'));"):
        time.sleep(0.5)
    time.sleep(3)
    return driver.execute_async_script(PAN, seconds)


def main(seconds: float) -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    import layers.locations as locations
    from tests.conftest import LiveServer
    from wmo_kaart.config import from_env
    from wmo_kaart.demo import write
    from wmo_kaart.web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "national.geojson"
        write(data, locations=30_000, providers=400)
        settings = replace(from_env({}), data_path=data, instance_path=Path(tmp) / "app", cookie_secure=False,
                           rate_callbacks="1000000 per minute")
        server = LiveServer(create_app(settings))
        options = Options()
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--window-size=1366,900"):
            options.add_argument(arg)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_script_timeout(seconds + 60)
        try:
            ours = _fps(driver, server.url + "/", seconds)
            cluster_from = locations.CLUSTER_FROM
            locations.CLUSTER_FROM = 10**9  # the baseline: every location its own marker, as before
            try:
                base = _fps(driver, server.url + "/?unclustered", seconds)
            finally:
                locations.CLUSTER_FROM = cluster_from
        finally:
            driver.quit()
            server.stop()
    print(f"panning the public map at 30,000 locations, {seconds:g} s each")
    print(f"  ours (clustered, ids only):        {ours:5.1f} frames/s")
    print(f"  baseline (every marker drawn):     {base:5.1f} frames/s")
    print(f"  ratio ours / baseline: {ours / base:.1f}x")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    sys.exit(main(parser.parse_args().seconds))
