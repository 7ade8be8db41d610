"""Maps without WebGL: Chromium started with --disable-3d-apis (as on a virtual desktop without a GPU)
draws the locations on /, /pro, /embed and /dekking, with no error in the console."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import DEMO, PASSWORD, chromium, public_rows
from tests.test_browser import points, wait_for
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def no_webgl():
    yield from chromium("--disable-3d-apis")


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_without_webgl_there_is_no_webgl_and_every_map_draws(no_webgl, live_server, make_user, artifacts):
    driver = no_webgl
    driver.get(live_server.url + "/")
    assert driver.execute_script(
        "const c = document.createElement('canvas'); return !!(c.getContext('webgl2') || c.getContext('webgl'));") is False
    public = public_rows(load_geojson(DEMO, default_catalog()).frame)
    wait_for(driver, lambda d: points(d) == len(public))
    driver.save_screenshot(str(artifacts / "no-webgl-public.png"))
    assert _errors(driver) == []
    driver.get(live_server.url + "/embed?q=Megen")
    wait_for(driver, lambda d: (points(d) or 0) > 0 and d.find_elements(By.CSS_SELECTOR, ".wmo-origin"))
    assert _errors(driver) == []
    driver.get(live_server.url + "/pro")
    driver.find_element(By.ID, "username").send_keys(make_user("bw_consulent"))
    driver.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait_for(driver, lambda d: d.current_url.endswith("/pro"))
    every = load_geojson(DEMO, default_catalog()).frame
    wait_for(driver, lambda d: points(d) == len(every) and d.find_elements(By.CSS_SELECTOR, ".wmo-bw"))
    assert _errors(driver) == []
    driver.get(live_server.url + "/dekking")
    wait_for(driver, lambda d: d.execute_script(
        "const el = document.getElementById('cov-leaflet'); const m = el && el.wmoMap; let n = 0;"
        "if (m) { m.eachLayer(l => { if (l.feature && l.feature.properties.fill) { n++; } }); } return n;") > 100, timeout=60)
    wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#cov-leaflet path.leaflet-interactive")) > 100)
    driver.save_screenshot(str(artifacts / "no-webgl-coverage.png"))
    assert _errors(driver) == []
