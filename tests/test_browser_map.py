"""A map people can read, as a browser shows it: the first view holds every location of the selection
(desktop and 320 px), a chosen row's marker and details come into view, place names and the background
map come from our own origin, and the background map still shows with its source stopped."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By

from tests.conftest import DEMO, LiveServer, public_rows
from tests.http_stub import StubServer
from tests.test_browser import points, wait_for
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson

pytestmark = pytest.mark.browser

BOUNDS = """
const el = document.getElementById(arguments[0]); const map = el && el.wmoMap;  // set by assets/map.js
if (!map) return null;
const b = map.getBounds();
return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
"""


@pytest.fixture(scope="module")
def demo_frame():
    """The locations the public pages show (ended contracts are not public)."""
    return public_rows(load_geojson(DEMO, default_catalog()).frame)


def _outside(bounds, frame):
    west, south, east, north = bounds
    return frame[~(frame["lon"].between(west, east) & frame["lat"].between(south, north))]["id"].tolist()


def _settled_bounds(browser, graph_id):
    """Return the map's bounds once they stop changing (fitting happens after the first draw)."""
    last = {"b": None}

    def steady(d):
        now = d.execute_script(BOUNDS, graph_id)
        same = now is not None and now == last["b"]
        last["b"] = now
        return now if same else None
    return wait_for(browser, steady, timeout=40)


@pytest.mark.parametrize("size", [(1366, 900), (320, 800)])
def test_first_view_shows_every_location(browser, live_server, demo_frame, artifacts, size):
    browser.set_window_size(*size)
    try:
        browser.get(live_server.url + "/")
        wait_for(browser, lambda d: points(d) == len(demo_frame))
        bounds = _settled_bounds(browser, "map-leaflet")
        assert _outside(bounds, demo_frame) == []
        browser.save_screenshot(str(artifacts / f"first-view-{size[0]}.png"))
        browser.get(live_server.url + "/embed?gemeente=GM0784")
        gilze = demo_frame[demo_frame["municipality_code"] == "GM0784"]
        wait_for(browser, lambda d: points(d) == len(gilze))
        assert _outside(_settled_bounds(browser, "embed-leaflet"), gilze) == []
    finally:
        browser.set_window_size(1400, 900)


def test_a_search_shows_the_search_point_and_its_nearest(browser, live_server, demo_frame):
    browser.get(live_server.url + "/embed?q=Megen&zorgvorm=07")
    wait_for(browser, lambda d: "Megen" in d.find_element(By.ID, "embed-message").text)
    bounds = _settled_bounds(browser, "embed-leaflet")
    west, south, east, north = bounds
    assert west <= 5.562 <= east and south <= 51.822 <= north  # Megen, the search point
    first = browser.find_elements(By.CSS_SELECTOR, "#embed-list .row-name")[:5]
    nearest = demo_frame.set_index("name").loc[[e.text for e in first]]
    assert _outside(bounds, nearest.reset_index()) == []
    # the search point's label is drawn on the map as text of the page (no map fonts to fetch)
    label = wait_for(browser, lambda d: d.execute_script(
        "const l = document.querySelector('#embed-leaflet .wmo-origin-label'); return l ? l.textContent : null;"))
    assert label == "Zoeklocatie: Megen"


def test_choosing_a_row_brings_marker_and_details_into_view(browser, live_server, demo_frame):
    browser.get(live_server.url + "/?lang=nl")
    wait_for(browser, lambda d: points(d) == len(demo_frame))
    _settled_bounds(browser, "map-leaflet")
    # far from Oss, zoomed in, and a row chosen at once: the chosen view must win over the zoom still under way
    browser.execute_script("document.getElementById('map-leaflet').wmoMap.setView([51.55, 4.9], 13);")
    rows = browser.find_elements(By.CSS_SELECTOR, "#map-list button.row-button, #map-list [id*='map-row']")
    row = rows[40]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    name = row.text.splitlines()[0]
    row.click()
    wait_for(browser, lambda d: name in d.find_element(By.ID, "map-details").text)
    target = demo_frame[demo_frame["name"] == name].iloc[0]
    wait_for(browser, lambda d: (b := d.execute_script(BOUNDS, "map-leaflet")) is not None
             and b[0] <= target["lon"] <= b[2] and b[1] <= target["lat"] <= b[3])
    top, bottom, height = browser.execute_script(
        "const r = document.getElementById('map-details').getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight];")
    assert 0 <= top < height, (top, bottom, height)


def _png(colour=(200, 210, 220)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(out, format="PNG")
    return out.getvalue()


class Network:
    """The browser's network log, kept as it is read."""

    def __init__(self, driver):
        self.driver, self.messages = driver, []

    def pull(self) -> "Network":
        self.messages += [json.loads(e["message"])["message"] for e in self.driver.get_log("performance")]
        return self

    def statuses(self, part: str) -> list[int]:
        return [m["params"]["response"]["status"] for m in self.pull().messages
                if m["method"] == "Network.responseReceived" and part in m["params"]["response"]["url"]]

    def hosts(self) -> set[str]:
        urls = [urlsplit(m["params"]["request"]["url"]) for m in self.pull().messages if m["method"] == "Network.requestWillBeSent"]
        return {u.netloc for u in urls if u.scheme in ("http", "https", "ws", "wss")}


def test_background_map_only_through_our_origin_and_with_the_source_down(browser, settings, artifacts):
    tile = _png()
    upstream = StubServer(lambda path: ("image/png", tile))
    from wmo_kaart.web import create_app

    app = create_app(replace(settings, basemap=upstream.origin + "/brt/{z}/{x}/{y}.png"))
    server = LiveServer(app)
    network = Network(browser)
    try:
        browser.get(server.url + "/")
        wait_for(browser, lambda d: (points(d) or 0) > 0)
        wait_for(browser, lambda d: 200 in network.statuses("/tiles/achtergrond/") or None)
        wait_for(browser, lambda d: 200 in network.statuses("/tiles/namen/") or None)
        browser.save_screenshot(str(artifacts / "basemap-through-proxy.png"))
        assert upstream.requests, "our server fetched the tiles upstream"
        assert network.hosts() == {urlsplit(server.url).netloc}  # every request of the page: our own origin
        upstream.stop()
        browser.execute_cdp_cmd("Network.clearBrowserCache", {})
        second = Network(browser)
        browser.get(server.url + "/")
        wait_for(browser, lambda d: (points(d) or 0) > 0)
        statuses = wait_for(browser, lambda d: second.statuses("/tiles/achtergrond/") or None)
        assert statuses and all(s == 200 for s in statuses)
    finally:
        server.stop()


def _buttons(browser) -> list[str]:
    return browser.execute_script(
        "return [...document.querySelectorAll('#map-leaflet .leaflet-control a, #map-leaflet .leaflet-control button')]"
        ".map(b => b.getAttribute('aria-label') || b.title)")


def test_map_buttons_speak_the_page_language_and_markers_work_by_keyboard(browser, live_server, demo_frame):
    from selenium.webdriver.common.keys import Keys

    browser.get(live_server.url + "/")
    wait_for(browser, lambda d: points(d) == len(demo_frame))
    titles = wait_for(browser, lambda d: _buttons(d) or None)
    assert {"Inzoomen", "Uitzoomen", "Kaart omhoog schuiven", "Kaart naar links schuiven"} <= set(titles)
    # Tab reaches a marker: a button named by name, care types and town, with a visible focus ring
    marker = browser.find_elements(By.CSS_SELECTOR, "#map-leaflet .wmo-marker")[0]
    assert marker.get_attribute("tabindex") == "0" and marker.get_attribute("role") == "button"
    name = marker.get_attribute("aria-label")
    row = demo_frame[demo_frame["name"] == name.split(", ")[0]].iloc[0]
    assert name.startswith(f"{row['name']}, ") and row["city"] in name
    browser.execute_script("arguments[0].focus()", marker)
    style = browser.execute_script("const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];")
    assert style == ["solid", "3px"]
    marker.send_keys(Keys.ENTER)  # Enter opens its details
    wait_for(browser, lambda d: row["name"] in d.find_element(By.ID, "map-details").text)
    # the arrows move the map
    before = browser.execute_script(BOUNDS, "map-leaflet")
    browser.find_element(By.CSS_SELECTOR, "#map-leaflet .wmo-pan-right").click()
    wait_for(browser, lambda d: d.execute_script(BOUNDS, "map-leaflet")[0] > before[0])
    browser.get(live_server.url + "/?lang=en")
    wait_for(browser, lambda d: points(d) == len(demo_frame))
    assert {"Zoom in", "Zoom out", "Pan the map up"} <= set(wait_for(browser, lambda d: _buttons(d) or None))


@pytest.mark.parametrize(("page", "element"), [("/", "map-leaflet"), ("/embed", "embed-leaflet")])
def test_the_view_is_in_the_address(browser, live_server, demo_frame, page, element):
    shown = len(demo_frame)  # the public locations, on both
    browser.get(live_server.url + page + "#map=13/51.7650/5.5200")
    wait_for(browser, lambda d: points(d) == shown)
    where = (f"const m = document.getElementById('{element}').wmoMap; const c = m.getCenter();"
             "return m.getZoom() === {zoom} ? [c.lat, c.lng] : null;")
    view = wait_for(browser, lambda d: d.execute_script(where.replace("{zoom}", "13")))
    assert abs(view[0] - 51.765) < 0.001 and abs(view[1] - 5.52) < 0.001
    browser.execute_script(f"document.getElementById('{element}').wmoMap.setView([51.56, 5.08], 12);")  # pan and zoom
    wait_for(browser, lambda d: "#map=12/51.56" in d.current_url)
    browser.refresh()
    wait_for(browser, lambda d: points(d) == shown)
    again = wait_for(browser, lambda d: d.execute_script(where.replace("{zoom}", "12")))
    assert abs(again[0] - 51.56) < 0.01 and abs(again[1] - 5.08) < 0.01


def test_national_scale_draws_clusters_with_counts(browser, settings, tmp_path, artifacts):
    from wmo_kaart.demo import write
    from wmo_kaart.web import create_app

    data = tmp_path / "many.geojson"
    write(data, locations=2500, providers=60)
    server = LiveServer(create_app(replace(settings, data_path=data)))
    try:
        browser.get(server.url + "/")
        counts = wait_for(browser, lambda d: [int(e.text) for e in d.find_elements(By.CSS_SELECTOR, "#map-leaflet .wmo-cluster")
                                              if e.text.isdigit()] or None, timeout=40)
        browser.save_screenshot(str(artifacts / "clusters.png"))
        total = int(browser.find_element(By.ID, "map-count").text.split()[0].replace(".", ""))
        singles = len(browser.find_elements(By.CSS_SELECTOR, "#map-leaflet .wmo-marker"))
        assert sum(counts) + singles == total and max(counts) > 1, "clusters count the locations they hold"
        # zoomed in on one location: its own marker, named with its name and town (fetched apart at this scale)
        import json

        spot = json.loads(data.read_text(encoding="utf-8"))["features"][0]
        lon, lat = spot["geometry"]["coordinates"]
        browser.execute_script(f"document.getElementById('map-leaflet').wmoMap.setView([{lat}, {lon}], 18);")
        label = wait_for(browser, lambda d: next((e.get_attribute("aria-label") for e in d.find_elements(
            By.CSS_SELECTOR, "#map-leaflet .wmo-marker") if (e.get_attribute("aria-label") or "").startswith(
            spot["properties"]["name"] + ",")), None), timeout=20)
        assert label.split(", ")[-1].split(";")[0] == spot["properties"]["city"]
    finally:
        server.stop()


def test_the_map_follows_every_filter_change(browser, live_server, demo_frame):
    """Ticking and unticking a care type redraws the map each time (an empty object in our map style once
    made MapLibre refuse every update after the first)."""
    browser.get_log("browser")  # the browser is shared: leave earlier tests' messages behind
    browser.get(live_server.url + "/")
    wait_for(browser, lambda d: points(d) == len(demo_frame))
    box = browser.find_element(By.CSS_SELECTOR, "#map-care input[value='07']")
    day_care = int(demo_frame["care_types"].map(lambda c: "07" in c).sum())
    for want in (day_care, len(demo_frame), day_care, len(demo_frame)):
        box.click()
        wait_for(browser, lambda d: points(d) == want)
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
