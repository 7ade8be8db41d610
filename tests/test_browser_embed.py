"""Browser tests of the embed: framing by allowed origins only, the finder in an iframe,
iframe height, the printed handout, the offline HTML export, axe-core and page weight."""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import DEMO, SIX_MONTHS_ON, TODAY, LiveServer, public_rows
from tests.http_stub import StubServer
from tests.test_browser import points, requested_hosts, wait_for
from wmo_kaart.config import PROJECT_ROOT
from wmo_kaart.core import finder
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson
from wmo_kaart.core.filters import LocationFilter
from wmo_kaart.core.geocode import GeocoderChain

pytestmark = pytest.mark.browser
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


class HostSite(StubServer):
    """A municipality's website on its own origin: one page that frames `src`."""

    def __init__(self):
        self.page = ""
        super().__init__(lambda path: ("text/html; charset=utf-8", self.page.encode()))

    def frame(self, app_url: str, path: str) -> str:
        self.page = (f'<!doctype html><html lang="nl"><head><title>Gemeente (test)</title></head><body>'
                     f'<h1>Gemeentesite</h1><iframe id="kaart" data-wmo-kaart src="{app_url}{path}" '
                     f'title="Kaart" style="width:100%;height:400px;border:0"></iframe>'
                     f'<script src="{app_url}/assets/embed-resize.js"></script></body></html>')
        return self.origin + "/"


@pytest.fixture
def hosts():
    allowed, other = HostSite(), HostSite()
    yield allowed, other
    allowed.stop()
    other.stop()


@pytest.fixture
def embed_server(settings, hosts):
    from wmo_kaart.web import create_app

    app = create_app(replace(settings, embed_allowed_origins=hosts[0].origin))
    server = LiveServer(app)
    yield server
    server.stop()


def test_allowed_origin_embeds_and_finds_day_care_by_distance(browser, embed_server, hosts, artifacts):
    allowed, _ = hosts
    browser.get(allowed.frame(embed_server.url, "/embed?gemeente=GM0828&zorgvorm=07"))
    frame = wait_for(browser, lambda d: d.find_element(By.ID, "kaart"))
    browser.switch_to.frame(frame)
    try:
        box = wait_for(browser, lambda d: d.find_element(By.ID, "embed-q"))
        wait_for(browser, lambda d: points(d) is not None and points(d) > 0)
        box.send_keys("Megen", Keys.ENTER)
        wait_for(browser, lambda d: "Megen" in d.find_element(By.ID, "embed-message").text)
        names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#embed-list .row-name")]
        distances = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#embed-list .row-distance")]
        cares = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#embed-list .row-care")]
        search = browser.execute_script("return window.location.search")
    finally:
        browser.switch_to.default_content()
    frame_view = public_rows(load_geojson(DEMO, default_catalog()).frame)  # ended contracts are not public
    origin = finder.locate(GeocoderChain(), "Megen")[0]
    expected = finder.find(frame_view, origin, LocationFilter(care_types=("07",), municipalities=("GM0828",)), None).rows
    assert names == list(expected["name"])
    assert all("Dagbesteding" in c for c in cares)
    km = [float(re.sub(r"[^0-9,]", "", d).replace(",", ".")) * (1 if "km" in d else 0.001) for d in distances]
    assert km == sorted(km)
    assert "q=Megen" in search and "gemeente=GM0828" in search and "zorgvorm=07" in search
    # the host page's resize script follows the content height
    wait_for(browser, lambda d: d.execute_script(
        "return document.getElementById('kaart').getBoundingClientRect().height") > 400)
    browser.save_screenshot(str(artifacts / "embed-in-host-page.png"))


def test_other_origin_cannot_frame_the_embed(browser, embed_server, hosts):
    _, other = hosts
    browser.get(other.frame(embed_server.url, "/embed?gemeente=GM0828&zorgvorm=07"))
    frame = wait_for(browser, lambda d: d.find_element(By.ID, "kaart"))
    browser.switch_to.frame(frame)
    try:
        import time

        time.sleep(2)
        assert browser.find_elements(By.ID, "embed-q") == []
    finally:
        browser.switch_to.default_content()


def test_embed_at_320_pixels(browser, live_server, artifacts):
    browser.set_window_size(320, 800)
    try:
        browser.get(live_server.url + "/embed?gemeente=GM0828&q=Megen")
        wait_for(browser, lambda d: "Megen" in d.find_element(By.ID, "embed-message").text)
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        browser.save_screenshot(str(artifacts / "embed-320.png"))
        assert overflow <= 0, "no horizontal scrolling at 320 px"
    finally:
        browser.set_window_size(1400, 900)


def test_shortlist_handout_prints_on_one_a4(browser, live_server, artifacts):
    browser.get(live_server.url + "/embed?q=Oss")
    wait_for(browser, lambda d: "Oss" in d.find_element(By.ID, "embed-message").text)
    for i in range(5):
        buttons = browser.find_elements(By.CSS_SELECTOR, "#embed-list .keep-button")
        buttons[i].click()
        wait_for(browser, lambda d, n=i + 1: f"({n})" in d.find_element(By.ID, "embed-shortlist-panel").text)
    search = browser.execute_script("return window.location.search")
    assert re.search(r"bewaard=(LOC-\d+%2C){4}LOC-\d+", search)
    handout = browser.find_element(By.CSS_SELECTOR, "#embed-shortlist-panel a.primary-link").get_attribute("href")
    browser.get(handout)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".handout-list li")) == 5
    browser.save_screenshot(str(artifacts / "handout.png"))
    pdf = base64.b64decode(browser.print_page())
    (artifacts / "handout.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_exported_html_opens_offline(browser, tmp_path, artifacts):
    from wmo_kaart.cli import main

    out = tmp_path / "kaart.html"
    assert main(["export-html", "--gemeente", "GM0828", "--zorgvorm", "07", "--out", str(out)]) == 0
    browser.get(out.as_uri())
    markers = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".wmo-marker"))
    frame = public_rows(load_geojson(DEMO, default_catalog()).frame)
    expected = frame[(frame["municipality_code"] == "GM0828") & frame["care_types"].map(lambda c: "07" in c)]
    assert len(markers) == len(expected)  # one marker per location
    legend = browser.find_element(By.CSS_SELECTOR, "section[aria-label=Legenda]").text
    assert "Dagbesteding" in legend and "Gemeentegrens" in legend and "Demogegevens" in legend
    names = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon span")}
    assert {"Oss", "Berghem"} <= names
    assert len(browser.find_elements(By.CSS_SELECTOR, ".leaflet-control-layers-overlays input")) >= 1
    browser.save_screenshot(str(artifacts / "export-html.png"))
    assert requested_hosts(browser) == set()


def _axe(browser) -> list[dict]:
    if not AXE.exists():
        if os.environ.get("WMO_KAART_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{AXE} missing: run npm install")
        pytest.skip("axe-core not installed (npm install)")
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    return [v for v in result if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("path", ["/", "/embed?gemeente=GM0828&q=Megen", "/toegankelijkheid", "/login", "/embed/code",
                                  "/handout?ids=LOC-0001,LOC-0002", "/data", "/data?lang=en", "/ogc/?f=html",
                                  "/ogc/collections?f=html", "/ogc/collections/locaties/items?f=html&limit=20",
                                  "/ogc/collections/locaties/items/LOC-0001?f=html", "/ogc/collections/locaties/queryables?f=html"])
def test_axe_finds_no_serious_or_critical_violations(browser, live_server, path):
    browser.get(live_server.url + path)
    if path.startswith("/embed?"):
        wait_for(browser, lambda d: "Megen" in d.find_element(By.ID, "embed-message").text)
    elif path == "/":
        wait_for(browser, lambda d: points(d))
    violations = _axe(browser)
    summary = [(v["id"], v["impact"], v["help"], [n.get("target") for n in v.get("nodes", [])][:3]) for v in violations]
    assert summary == [], "\n".join(map(str, summary))


def _cold_load(browser, url: str) -> dict:
    """Load `url` with the browser cache disabled; return the bytes over the wire (CDP encodedDataLength)."""
    import json as _json

    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    browser.get_log("performance")
    try:
        browser.get(url)
        wait_for(browser, lambda d: points(d))
        import time

        time.sleep(2)  # the label tiles of the first view
        messages = [_json.loads(e["message"])["message"] for e in browser.get_log("performance")]
    finally:
        browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
    urls = {m["params"]["requestId"]: m["params"]["request"]["url"] for m in messages if m["method"] == "Network.requestWillBeSent"}
    sizes = {urls.get(m["params"]["requestId"], "?"): m["params"]["encodedDataLength"]
             for m in messages if m["method"] == "Network.loadingFinished"}
    return {"url": url, "requests": len(sizes), "bytes": sum(sizes.values()), "paths": sorted({urlsplit(u).path for u in sizes}),
            "largest": sorted(([urlsplit(u).path, n] for u, n in sizes.items()), key=lambda e: -e[1])[:6]}


def test_embed_first_load_weight_with_a_cold_cache(browser, live_server, artifacts):
    """At most 0.25 MB over the wire on a first visit (every response, the map's layer and tiles included), no
    plotly.js and no Dash front end at all (the light embed; measured with the cache disabled, so a warm cache
    cannot flatter it)."""
    report = _cold_load(browser, live_server.url + "/embed")
    (artifacts / "page-weight.json").write_text(json.dumps(report, indent=2))
    assert 0 < report["bytes"] <= 250_000, report
    assert "/embed/laag.geojson" in report["paths"] and "/vendor/leaflet.js" in report["paths"], "the map is counted"
    assert not any("plotly" in path or "_dash" in path for path in report["paths"]), report


def test_axe_on_the_professional_map_with_bw_panel(browser, live_server, make_user):
    from tests.conftest import PASSWORD
    from tests.test_browser import _login

    _login(browser, live_server, make_user("bw_consulent"), PASSWORD)
    wait_for(browser, lambda d: points(d))
    wait_for(browser, lambda d: d.find_elements(By.ID, "bw-panel"))
    violations = _axe(browser)
    summary = [(v["id"], v["impact"], v["help"], [n.get("target") for n in v.get("nodes", [])][:3]) for v in violations]
    assert summary == [], "\n".join(map(str, summary))


def test_contract_manager_finds_exports_contracts_ending_in_oss_in_five_keyboard_actions(
        browser, live_server, make_user, artifacts):
    """The contract manager's year: from /pro to a CSV of Oss's contracts ending within 6 months, latest
    first by provider, with the keyboard only, counting the actions; the map flags those contracts; axe
    finds nothing on the contracts page."""
    import csv
    import io

    from selenium.webdriver.common.keys import Keys

    from tests.conftest import DEMO, PASSWORD
    from tests.test_browser import _login

    _login(browser, live_server, make_user("contractmanager"), PASSWORD)
    wait_for(browser, lambda d: points(d))
    warnings = wait_for(browser, lambda d: d.execute_script(  # the warning sign: the only path in a marker (assets/map.js)
        "return document.querySelectorAll('#map-leaflet .wmo-marker svg path').length || null;"))
    demo = json.loads(DEMO.read_text())["features"]
    horizon = SIX_MONTHS_ON
    assert warnings == sum(1 for f in demo if f["properties"].get("contract_end")
                           and f["properties"]["contract_end"] <= horizon), "a warning sign per ended or ending contract"
    actions = 0
    link = browser.find_element(By.LINK_TEXT, "Contracten")
    link.send_keys(Keys.ENTER)  # 1 open the contracts
    actions += 1
    wait_for(browser, lambda d: d.find_elements(By.ID, "c-gemeente"))
    violations = _axe(browser)
    summary = [(v["id"], v["impact"], v["help"], [n.get("target") for n in v.get("nodes", [])][:3]) for v in violations]
    assert summary == [], "\n".join(map(str, summary))
    browser.find_element(By.ID, "c-gemeente").send_keys("Oss")  # 2 municipality: typing picks the option
    actions += 1
    months = browser.find_element(By.ID, "c-maanden")
    months.send_keys(Keys.SHIFT, Keys.TAB)  # the focus order: provider and care type lie between
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element == months
    months.send_keys("6" + Keys.ENTER)  # 3 ends within 6 months, applied
    actions += 1
    wait_for(browser, lambda d: "maanden=6" in d.current_url and "gemeente=GM0828" in d.current_url)
    outline = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline is not None
    browser.find_element(By.LINK_TEXT, "Aanbieder").send_keys(Keys.ENTER)  # 4 sort by provider
    actions += 1
    wait_for(browser, lambda d: "sorteer=provider_name" in d.current_url)
    browser.save_screenshot(str(artifacts / "contracts-keyboard.png"))
    export = browser.find_element(By.PARTIAL_LINK_TEXT, "CSV downloaden")
    href = export.get_attribute("href")
    export.send_keys(Keys.ENTER)  # 5 export
    actions += 1
    assert actions <= 5
    text = browser.execute_script("const r = await fetch(arguments[0]); return await r.text();", href)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";" if text.count(";") > text.count(",") else ","))
    expected = sorted(f["properties"]["contract_id"] for f in demo if f["properties"].get("contract_end")
                      and TODAY.isoformat() <= f["properties"]["contract_end"] <= horizon
                      and f["properties"]["municipality_code"] == "GM0828")  # still running: ended ones only on request
    assert sorted(r["Contractnummer"] for r in rows) == expected and expected
    providers = [r["Aanbieder"].casefold() for r in rows]
    assert providers == sorted(providers)


@pytest.mark.parametrize("path", ["/", "/embed?q=Megen", "/toegankelijkheid", "/embed/code", "/login",
                                  "/handout?ids=LOC-0001,LOC-0002", "/melding?locatie=LOC-0001"])
def test_every_page_reflows_at_320_px_has_a_main_and_its_own_title(browser, live_server, path):
    browser.set_window_size(320, 800)
    try:
        browser.get(live_server.url + path)
        wait_for(browser, lambda d: d.execute_script("return document.readyState") == "complete")
        if path.startswith(("/embed?", "/?", "/")) and path in ("/", "/embed?q=Megen"):
            wait_for(browser, lambda d: points(d))
        wide = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1] + 1, (path, wide)  # no sideways scrolling
        assert browser.find_elements(By.TAG_NAME, "main"), path
        title = browser.title
        assert title and title != "Wmo-kaart", (path, title)
        if path == "/embed?q=Megen":
            assert "Megen" in title
    finally:
        browser.set_window_size(1400, 900)


def test_resident_on_a_phone_finds_keeps_and_prints_with_the_keyboard(browser, live_server, artifacts):
    """At 320 px: search, keep the nearest, jump to 'Mijn lijst', print; the map is one button away."""
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(320, 800)
    try:
        browser.get(live_server.url + "/embed")
        wait_for(browser, lambda d: points(d))
        actions = 0
        browser.find_element(By.ID, "embed-q").send_keys("Megen" + Keys.ENTER)  # 1 search
        actions += 1
        wait_for(browser, lambda d: "Megen" in d.find_element(By.ID, "embed-message").text)
        assert not browser.find_element(By.CSS_SELECTOR, ".embed-list").value_of_css_property("display") == "none"
        first = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#embed-list .keep-button"))[0]
        name = browser.find_elements(By.CSS_SELECTOR, "#embed-list .row-name")[0].text
        first.send_keys(Keys.ENTER)  # 2 keep the nearest
        actions += 1
        wait_for(browser, lambda d: "staat op uw lijst (1)" in d.find_element(By.ID, "embed-announce").get_attribute("textContent"))
        mylist = browser.find_element(By.ID, "embed-mylist")
        top = browser.execute_script("return arguments[0].getBoundingClientRect().top", mylist)
        assert mylist.text == "Mijn lijst (1)" and 0 <= top < 800  # sticky: on screen wherever the row was
        mylist.send_keys(Keys.ENTER)  # 3 jump to the list
        actions += 1
        link = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#embed-shortlist-panel a.primary-link"))[0]
        assert name in browser.find_element(By.ID, "embed-shortlist-panel").text
        href = link.get_attribute("href")
        link.send_keys(Keys.ENTER)  # 4 print
        actions += 1
        assert actions == 4
        toggle = browser.find_element(By.ID, "embed-toggle")
        toggle.send_keys(Keys.ENTER)  # the map instead of the list
        wait_for(browser, lambda d: d.find_element(By.ID, "embed-toggle").get_attribute("aria-expanded") == "true")
        assert browser.find_element(By.CSS_SELECTOR, ".embed-list").value_of_css_property("display") == "none"
        browser.save_screenshot(str(artifacts / "embed-phone-map.png"))
        browser.get(href)
        assert name in browser.find_element(By.TAG_NAME, "main").text
    finally:
        browser.set_window_size(1400, 900)


def test_the_embed_is_usable_before_the_map_has_loaded(settings):
    """On a slow line (Leaflet takes 12 s), the search, the list and 'Zet op mijn lijst' already work, in place."""
    import time

    from flask import request

    from tests.conftest import chromium
    from wmo_kaart.web import create_app

    app = create_app(settings)

    @app.before_request
    def _slow_map():
        if request.path == "/vendor/leaflet.js":
            time.sleep(12)
    server = LiveServer(app)
    browsers = chromium(page_load="none")  # Selenium would wait for the page's load event, which Leaflet holds back
    browser = next(browsers)
    try:
        browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        started = time.monotonic()
        browser.get(server.url + "/embed?q=Megen")
        wait_for(browser, lambda d: d.execute_script("return document.documentElement.classList.contains('js')"))
        wait_for(browser, lambda d: "Megen" in d.find_element(By.ID, "embed-message").text)
        assert not points(browser), "the map's markers are not there yet"
        browser.find_elements(By.CSS_SELECTOR, "#embed-list .keep-button")[0].click()
        wait_for(browser, lambda d: "(1)" in d.find_element(By.ID, "embed-mylist").text)
        assert "Megen" in browser.title and not points(browser) and time.monotonic() - started < 10
        assert "bewaard=" in browser.current_url and "op=" not in browser.current_url, "swapped in, the address follows"
        wait_for(browser, lambda d: points(d), timeout=40)  # and then the map comes
    finally:
        browsers.close()
        server.stop()


def test_dash_finds_our_plotly_where_it_looks_for_its_own(client):
    from wmo_kaart.web.static_files import STATIC

    response = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Content-Encoding"] == "br" and response.data == (STATIC / "plotly-wmo.min.js.br").read_bytes()
    again = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js",
                       headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and "max-age=86400" in response.headers["Cache-Control"]
    assert "plotly" not in client.get("/embed").get_data(as_text=True).split("<body")[0], "no plotly script holds the page"


def _host_frame_box(browser) -> dict:
    return browser.execute_script(
        "var r = document.getElementById('kaart').getBoundingClientRect();"
        "return {top: r.top, height: r.height, inner: window.innerHeight};")


@pytest.mark.parametrize("width,height", [(375, 667), (320, 640)])
def test_phone_embed_in_a_host_page_keeps_my_list_at_hand(browser, embed_server, hosts, artifacts, width, height):
    """Inside a municipality's page on a phone: the iframe grows to its whole content (nothing cut off),
    'Mijn lijst' stays in view wherever the page is scrolled, and a tap on it brings the shortlist in view."""
    allowed, _ = hosts
    browser.set_window_size(width, height)
    try:
        browser.get(allowed.frame(embed_server.url, "/embed?q=Oss"))
        frame = wait_for(browser, lambda d: d.find_element(By.ID, "kaart"))
        browser.switch_to.frame(frame)
        wait_for(browser, lambda d: "Oss" in d.find_element(By.ID, "embed-message").text)
        wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#embed-list .keep-button")) >= 20)
        content = browser.execute_script("return document.documentElement.scrollHeight")
        browser.switch_to.default_content()
        wait_for(browser, lambda d: abs(_host_frame_box(d)["height"] - content) <= 2)
        assert content > 5000, "the list of 50 is long on a phone: no cap may cut it"
        # scroll the host page far down, into the list: 'Mijn lijst' is in the part of the frame in view
        for y in (1500, 4000, int(content * 0.8)):
            browser.execute_script("window.scrollTo(0, arguments[0])", y)
            browser.switch_to.frame(frame)
            try:
                def button_on_screen(d):
                    top = d.execute_script("return document.getElementById('embed-mylist').getBoundingClientRect().top")
                    d.switch_to.default_content()
                    box = _host_frame_box(d)
                    d.switch_to.frame(frame)
                    return -2 <= box["top"] + top <= box["inner"] - 30
                wait_for(browser, button_on_screen, timeout=10)
            finally:
                browser.switch_to.default_content()
        browser.save_screenshot(str(artifacts / f"embed-host-{width}-scrolled.png"))
        # keep a row that is in view, then tap 'Mijn lijst': the shortlist is in view of the host page
        browser.switch_to.frame(frame)
        try:
            keep = browser.execute_script(
                "var top = arguments[0], bs = document.querySelectorAll('#embed-list .keep-button');"
                "for (var i = 0; i < bs.length; i++) { var r = bs[i].getBoundingClientRect();"
                "  if (r.top > top + 60) { return bs[i]; } } return null;",
                -_host_frame_box_from_frame(browser, frame))
            name = keep.find_element(By.XPATH, "ancestor::li").find_element(By.CSS_SELECTOR, ".row-name").text
            keep.click()
            wait_for(browser, lambda d: "(1)" in d.find_element(By.ID, "embed-mylist").text)
            browser.find_element(By.ID, "embed-mylist").click()
            panel_top = browser.execute_script(
                "return document.getElementById('embed-shortlist-panel').getBoundingClientRect().top")
            assert name in browser.find_element(By.ID, "embed-shortlist-panel").text
        finally:
            browser.switch_to.default_content()
        wait_for(browser, lambda d: 0 <= _host_frame_box(d)["top"] + panel_top <= d.execute_script("return innerHeight") / 2,
                 timeout=10)
        browser.save_screenshot(str(artifacts / f"embed-host-{width}-mylist.png"))
    finally:
        browser.switch_to.default_content()
        browser.set_window_size(1400, 900)


def _host_frame_box_from_frame(browser, frame) -> float:
    """Return the frame's top in the host's viewport, asked from inside the frame."""
    browser.switch_to.default_content()
    top = _host_frame_box(browser)["top"]
    browser.switch_to.frame(frame)
    return top


def test_a_marker_opens_its_details_and_a_ticked_filter_redraws_list_and_map(browser, live_server):
    """Enter on a marker of the embed's map shows that location's details below the list; ticking a care type
    redraws the list, the count and the map in place, and the address follows."""
    public = public_rows(load_geojson(DEMO, default_catalog()).frame)
    browser.get_log("browser")  # the browser is shared: leave earlier tests' messages behind
    browser.get(live_server.url + "/embed")
    wait_for(browser, lambda d: points(d) == len(public))
    view = ("const m = document.getElementById('embed-leaflet').wmoMap; const c = m.getCenter();"
            "return [m.getZoom(), c.lat.toFixed(5), c.lng.toFixed(5)];")
    marker = browser.find_elements(By.CSS_SELECTOR, "#embed-leaflet .wmo-marker")[0]
    browser.execute_script(  # the user's own view, with this marker well inside it
        "const m = document.getElementById('embed-leaflet').wmoMap; let at = null;"
        "m.eachLayer(l => { if (l.getElement && l.getElement() === arguments[0]) { at = l.getLatLng(); } });"
        "m.setView(at, 12, {animate: false});", marker)
    before = browser.execute_script(view)
    name = marker.get_attribute("aria-label").split(",")[0]
    marker.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: name in d.find_element(By.ID, "embed-details").text)
    assert "info=" in browser.current_url
    browser.find_elements(By.CSS_SELECTOR, "#embed-list .keep-button")[0].click()
    wait_for(browser, lambda d: d.find_element(By.ID, "embed-mylist").text == "Mijn lijst (1)")
    assert browser.execute_script(view) == before, "details and 'Mijn lijst' leave the map where the user put it"
    browser.find_element(By.CSS_SELECTOR, "#embed-care input[value='07']").click()
    day_care = int(public["care_types"].map(lambda c: "07" in c).sum())
    wait_for(browser, lambda d: points(d) == day_care)
    wait_for(browser, lambda d: d.find_element(By.ID, "embed-count").text.startswith(f"{day_care} van"))
    assert "zorgvorm=07" in browser.current_url and "zoek=" not in browser.current_url
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def _text(driver, id_: str) -> str:
    """The text of element `id_`, or "" while a new page is on its way (the old one's elements are gone)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    try:
        return driver.find_element(By.ID, id_).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def test_without_javascript_the_embed_is_a_form_and_a_list_that_do_everything(live_server):
    """Chromium with JavaScript switched off: search, filter, keep, details and the handout, by links and the form."""
    from tests.conftest import chromium

    browsers = chromium("--blink-settings=scriptEnabled=false")
    browser = next(browsers)
    try:
        browser.get(live_server.url + "/embed")
        assert "no-js" in browser.find_element(By.TAG_NAME, "html").get_attribute("class"), "no script ran"
        assert "De kaart heeft JavaScript nodig" in browser.find_element(By.ID, "embed-leaflet").text
        box = browser.find_element(By.ID, "embed-q")
        box.send_keys("Megen")
        browser.find_element(By.CSS_SELECTOR, "#embed-care input[value='07']").click()
        box.send_keys(Keys.ENTER)
        wait_for(browser, lambda d: "q=Megen" in d.current_url and "Megen" in _text(d, "embed-message"))
        assert "zorgvorm=07" in browser.current_url
        cares = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#embed-list .row-care")]
        assert cares and all("Dagbesteding" in c for c in cares)
        first = browser.find_elements(By.CSS_SELECTOR, "#embed-list .row-name")[0].text
        browser.find_elements(By.CSS_SELECTOR, "#embed-list .keep-button")[0].click()
        wait_for(browser, lambda d: "bewaard=" in d.current_url and _text(d, "embed-mylist") == "Mijn lijst (1)")
        assert first in browser.find_element(By.ID, "embed-shortlist-panel").text
        browser.find_elements(By.CSS_SELECTOR, "#embed-list .details-button")[0].click()
        wait_for(browser, lambda d: "info=" in d.current_url and first in _text(d, "embed-details"))
        assert browser.find_element(By.ID, "embed-mylist").text == "Mijn lijst (1)", "the list survives every step"
        browser.get(browser.find_element(By.CSS_SELECTOR, "#embed-shortlist-panel a.primary-link").get_attribute("href"))
        assert len(browser.find_elements(By.CSS_SELECTOR, ".handout-list li")) == 1
        assert first in browser.find_element(By.TAG_NAME, "main").text
    finally:
        browsers.close()
