"""What the browser benchmarks share: our app on a local port and headless Chromium with a loaded map."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

MAP_READY = """
const el = document.getElementById('map-leaflet');
return !!(el && el.wmoMap && document.querySelectorAll('#map-leaflet .wmo-marker, #map-leaflet .wmo-cluster').length);
"""


@contextmanager
def app_and_browser(data: Path, instance: Path, script_timeout: float):
    """Serve our app on `data` and yield (its URL, a headless Chromium); the window is 1366x900 unless
    BENCH_WINDOW says otherwise ("800,600")."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from tests.conftest import LiveServer
    from wmo_kaart.config import from_env
    from wmo_kaart.web import create_app

    settings = replace(from_env({}), data_path=data, instance_path=instance, cookie_secure=False,
                       rate_callbacks="1000000 per minute")
    server = LiveServer(create_app(settings))
    options = Options()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader",
                f"--window-size={os.environ.get('BENCH_WINDOW', '1366,900')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(script_timeout)
    try:
        yield server.url, driver
    finally:
        driver.quit()
        server.stop()


def open_map(driver, url: str, timeout: float = 120, settle: float = 2) -> None:
    """Open `url` and wait until its map has drawn the locations, then a little longer (fitting, tiles)."""
    driver.get(url)
    deadline = time.time() + timeout
    while time.time() < deadline and not driver.execute_script(MAP_READY):
        time.sleep(0.2)
    time.sleep(settle)
