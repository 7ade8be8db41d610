"""What only a browser shows: points drawn, filtering, keyboard use, no third-party requests."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import DEMO, public_rows
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson

pytestmark = pytest.mark.browser

COUNT_POINTS = "return document.querySelectorAll('.leaflet-map .wmo-marker').length;"  # one per location (assets/map.js)


def wait_for(driver, condition, timeout=30):
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: condition(d))


def points(driver):
    return driver.execute_script(COUNT_POINTS)


def requested_hosts(driver) -> set[str]:
    hosts = set()
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            url = urlsplit(msg["params"]["request"]["url"])
            if url.scheme in ("http", "https", "ws", "wss"):
                hosts.add(url.netloc)
    return hosts


@pytest.fixture(scope="module")
def demo_frame():
    return load_geojson(DEMO, default_catalog()).frame


@pytest.fixture(scope="module")
def public_frame(demo_frame):
    """What the public map shows: ended contracts are not public."""
    return public_rows(demo_frame)


def test_public_map_draws_all_points_and_filters(browser, live_server, public_frame, artifacts):
    demo_frame = public_frame
    browser.get(live_server.url + "/")
    wait_for(browser, lambda d: points(d) == len(demo_frame))
    browser.save_screenshot(str(artifacts / "public-map.png"))

    expected = sum("15" in c for c in demo_frame["care_types"])
    box = browser.find_element(By.CSS_SELECTOR, "#map-care input[value='15']")
    box.click()
    wait_for(browser, lambda d: points(d) == expected)
    count = browser.find_element(By.ID, "map-count").text
    assert count == f"{expected} van {len(demo_frame)} locaties"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#map-list .row-button")) == expected
    assert requested_hosts(browser) == {urlsplit(live_server.url).netloc}


def test_list_works_with_the_keyboard(browser, live_server, public_frame):
    demo_frame = public_frame
    browser.get(live_server.url + "/")
    wait_for(browser, lambda d: points(d) == len(demo_frame))
    search = browser.find_element(By.ID, "map-q")
    search.send_keys("Vierlingsbeek")
    expected = demo_frame[demo_frame["city"] == "Vierlingsbeek"]
    wait_for(browser, lambda d: points(d) == len(expected))
    first = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#map-list .row-button"))
    first.send_keys(Keys.ENTER)
    details = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#map-details h3"))
    assert details.text in set(expected["name"])
    halo = wait_for(browser, lambda d: d.execute_script("return document.querySelectorAll('.leaflet-map .wmo-selected').length"))
    assert halo == 1


def _login(browser, live_server, name, password):
    browser.get(live_server.url + "/pro")
    assert "/login?next=/pro" in browser.current_url
    browser.find_element(By.ID, "username").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda d: d.current_url.endswith("/pro"))


BW_HALOS = "return document.querySelectorAll('.leaflet-map .wmo-bw').length;"


@pytest.mark.parametrize(("role", "sees_bw"), [("bw_consulent", True), ("contractmanager", False)])
def test_pro_map_shows_bw_layer_only_to_bw_roles(browser, live_server, make_user, demo_frame, artifacts, role, sees_bw):
    from tests.conftest import PASSWORD

    _login(browser, live_server, make_user(role), PASSWORD)
    wait_for(browser, lambda d: points(d) == len(demo_frame))
    halos = browser.execute_script(BW_HALOS)
    assert (halos == demo_frame["bw_capacity"].notna().sum()) if sees_bw else halos == 0
    panels = browser.find_elements(By.ID, "bw-panel")
    assert bool(panels) is sees_bw
    browser.save_screenshot(str(artifacts / f"pro-{role}.png"))
    if sees_bw:
        bw_rows = demo_frame["bw_capacity"].notna().sum()
        assert len(browser.find_elements(By.CSS_SELECTOR, ".bw-locations tbody tr")) == bw_rows
        browser.execute_script("document.getElementById('bw-panel').scrollIntoView()")
        browser.save_screenshot(str(artifacts / f"pro-{role}-bw-panel.png"))
    # the CSRF header travels with callbacks: filtering still works when logged in
    browser.find_element(By.CSS_SELECTOR, "#map-care input[value='07']").click()
    expected = sum("07" in c for c in demo_frame["care_types"])
    wait_for(browser, lambda d: points(d) == expected)


def test_consultant_prints_a_handout_for_day_care_dementia_near_5351_in_six_keyboard_actions(
        browser, live_server, make_user, demo_frame, artifacts):
    """The kitchen-table talk: from /pro to a printed handout for 'dagbesteding, dementie, bij 5351'
    with the keyboard only, counting the actions."""
    from tests.conftest import PASSWORD

    _login(browser, live_server, make_user("wmo_consulent"), PASSWORD)
    wait_for(browser, lambda d: points(d) == len(demo_frame))
    actions = 0
    browser.find_element(By.CSS_SELECTOR, "#map-care input[value='07']").send_keys(Keys.SPACE)  # 1 day care
    actions += 1
    browser.find_element(By.ID, "map-specialism").send_keys(Keys.ENTER)  # 2 specialism: dementie
    browser.switch_to.active_element.send_keys("dementie")
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    actions += 1
    browser.find_element(By.ID, "map-from").send_keys("5351" + Keys.ENTER)  # 3 distance from 5351
    actions += 1
    wait_for(browser, lambda d: "Gesorteerd op afstand vanaf 5351" in d.find_element(By.ID, "map-count").text)
    first = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#map-list .row-button"))[0]
    name = first.find_element(By.CSS_SELECTOR, ".row-name").text
    expected = demo_frame[demo_frame["care_types"].map(lambda c: "07" in c)
                          & demo_frame["specialisms"].map(lambda s: "dementie" in s)]
    assert name in set(expected["name"])
    assert "Afstand" in first.text
    first.send_keys(Keys.ENTER)  # 4 choose the nearest
    actions += 1
    wait_for(browser, lambda d: name in d.find_element(By.ID, "map-details").text)
    browser.find_element(By.ID, "map-keep").send_keys(Keys.ENTER)  # 5 put it on the list
    actions += 1
    link = wait_for(browser, lambda d: d.find_elements(By.ID, "map-handout"))[0]
    assert name in browser.find_element(By.ID, "map-shortlist-panel").text
    href = link.get_attribute("href")
    link.send_keys(Keys.ENTER)  # 6 print the handout
    actions += 1
    assert actions <= 6
    browser.get(href)
    handout = browser.find_element(By.TAG_NAME, "main").text
    assert name in handout and "Afstand" in handout
    contact = demo_frame.set_index("name").loc[name, "contact_name"]
    assert contact not in handout  # the client gets the public details only
    browser.save_screenshot(str(artifacts / "consultant-handout.png"))


def test_consultant_in_goirle_prints_three_running_hvb_options_with_the_goirle_desk(
        browser, settings, make_user, artifacts):
    """'begeleiding, autisme, bij 5051' (Goirle, Hart van Brabant): keep the three nearest options that can
    be offered (running contracts, contracted by HvB), print: three options with why they fit, and the
    Goirle desk; the PDF is saved to look at. Expected ids written by hand from the demo data."""
    import base64
    import re
    from dataclasses import replace

    from tests.conftest import PASSWORD, LiveServer
    from wmo_kaart.web import create_app

    desks = "Goirle = Wmo-loket Goirle, 013-5310610 | GM0828 = Wmo-loket Oss, 0412-629629"
    app = create_app(replace(settings, wmo_desk=desks))
    server = LiveServer(app)
    try:
        with app.app_context():
            name = make_user("wmo_consulent")
        _login(browser, server, name, PASSWORD)
        wait_for(browser, lambda d: points(d))
        wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#map-care input[value='02']")).send_keys(Keys.SPACE)
        browser.find_element(By.ID, "map-specialism").send_keys(Keys.ENTER)
        browser.switch_to.active_element.send_keys("autisme")
        browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
        browser.switch_to.active_element.send_keys(Keys.ESCAPE)
        browser.find_element(By.ID, "map-from").send_keys("5051" + Keys.ENTER)
        wait_for(browser, lambda d: "5051" in d.find_element(By.ID, "map-count").text)
        rows = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#map-list .row-button"))
        offered = [r for r in rows if "beëindigd" not in r.text][:3]
        names = [r.find_element(By.CSS_SELECTOR, ".row-name").text for r in offered]
        for row, row_name in zip(offered, names):
            row.send_keys(Keys.ENTER)
            wait_for(browser, lambda d, n=row_name: n in d.find_element(By.ID, "map-details").text)
            keep = browser.find_element(By.ID, "map-keep")
            assert keep.get_attribute("disabled") is None, row_name
            keep.send_keys(Keys.ENTER)
            wait_for(browser, lambda d, n=row_name: n in d.find_element(By.ID, "map-shortlist-panel").text)
        href = browser.find_element(By.ID, "map-handout").get_attribute("href")
        assert "specialisme=autisme" in href and "zorgvorm=02" in href
        browser.get(href)
        main = browser.find_element(By.TAG_NAME, "main").text
        # the demo's running HvB begeleiding locations with autism: LOC-0017, LOC-0022 (both Tilburg region
        # municipalities) and LOC-0244; LOC-0048's contract has ended
        by_id = {f["properties"]["id"]: f["properties"]["name"] for f in json.loads(DEMO.read_text())["features"]}
        assert set(names) == {by_id["LOC-0017"], by_id["LOC-0022"], by_id["LOC-0244"]}, names
        assert len(browser.find_elements(By.CSS_SELECTOR, ".handout-list > li")) == 3
        assert main.count("Past bij uw vraag: Begeleiding / individuele ondersteuning, autisme") == 3
        assert "Wmo-loket Goirle, 013-5310610" in main and "Wmo-loket Oss" not in main
        assert "Niet gecontracteerd" not in main and "Nog niets op uw lijst" not in main
        browser.save_screenshot(str(artifacts / "consultant-goirle-handout.png"))
        pdf = base64.b64decode(browser.print_page())
        (artifacts / "consultant-goirle-handout.pdf").write_bytes(pdf)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    finally:
        server.stop()
