"""The data manager's walk on /beheer in a real browser, in Dutch: upload, background check with
progress, column accounting, preview of the change, confirm, publish, rollback with confirmation."""

from __future__ import annotations

import json

from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import DEMO, PASSWORD, LiveServer
from tests.test_browser import wait_for
from tests.test_browser_embed import _axe
from tests.test_no_loss import contract_export

pytestmark = pytest.mark.browser


def main_text(driver) -> str:
    """Return the text of <main>, read in one script so a page change in between cannot break it."""
    return driver.execute_script("const m = document.querySelector('main'); return m ? m.innerText.replace(/[ \t]+/g, ' ') : '';")


@pytest.fixture
def admin_server(settings, tmp_path):
    from auth import users
    from wmo_kaart.web import create_app

    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    app = create_app(replace(settings, data_path=data))
    users.add_user(app.extensions["wmo_kaart_db"], "beheer", "beheerder", PASSWORD)
    server = LiveServer(app)
    yield server, data
    server.stop()


def _spreadsheet(tmp_path) -> str:
    """A yearly file that drops 40 locations, renames one and adds a column nobody knows."""
    import json

    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    demo["features"] = demo["features"][:240]
    lines = contract_export(demo, {"LOC-0002": "Nieuwe naam (demo)"}).decode().splitlines()
    lines = [lines[0] + ";Opmerkingen"] + [line + ";zie contract" for line in lines[1:]]
    path = tmp_path / "jaarbestand 2027.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_upload_preview_confirm_publish_and_rollback(browser, admin_server, tmp_path, artifacts):
    server, data = admin_server
    original = data.read_bytes()
    browser.get(server.url + "/beheer")
    browser.find_element(By.ID, "username").send_keys("beheer")
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait_for(browser, lambda d: d.current_url.endswith("/beheer"))
    assert "Live: versie 1" in main_text(browser)

    browser.find_element(By.ID, "file").send_keys(_spreadsheet(tmp_path))
    browser.find_element(By.CSS_SELECTOR, "form[action='/beheer/upload'] button[type=submit]").click()
    wait_for(browser, lambda d: "Wat er verandert" in main_text(d))
    page = main_text(browser)
    assert "Locaties nu → straks 280 → 240" in page
    assert "Locaties die verdwijnen 40" in page
    assert "Kolom 'Locatienaam' 1 gewijzigd" in page
    assert "Opmerkingen" in page and "niet gebruikt" in page and "zie contract" in page
    assert "location_id" not in page and "bw_capacity" not in page, "the file's column names, never ours"
    browser.save_screenshot(str(artifacts / "beheer-preview.png"))
    assert _axe(browser) == []

    browser.find_element(By.CSS_SELECTOR, "form[action$='/publish'] button").click()
    wait_for(browser, lambda d: "Niet gepubliceerd" in main_text(d))
    assert data.read_bytes() == original, "no publication without confirmation"
    browser.find_element(By.ID, "confirm").click()
    browser.find_element(By.ID, "allow-shrink").click()
    browser.find_element(By.CSS_SELECTOR, "form[action$='/publish'] button").click()
    wait_for(browser, lambda d: "Gepubliceerd als versie 2" in main_text(d))
    assert "Live: versie 2, 240 locaties" in main_text(browser)
    browser.save_screenshot(str(artifacts / "beheer-versions.png"))

    rows = browser.find_elements(By.CSS_SELECTOR, "table.bw-table tbody tr")
    live_row = next(r for r in rows if "(live)" in r.text)
    assert "Terugzetten" not in live_row.text, "the live version is not offered for rollback"
    browser.find_element(By.PARTIAL_LINK_TEXT, "Terugzetten").click()
    wait_for(browser, lambda d: "Versie 1 terugzetten?" in main_text(d))
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda d: "Versie 1 staat weer online (als versie 3)" in main_text(d))
    assert json.loads(data.read_bytes())["features"] == json.loads(original)["features"]


LOGGED_IN_PAGES = ["/pro", "/dekking", "/dekking/rapport?zorgvorm=07", "/contracten", "/beheer", "/beheer/meldingen"]


def test_every_page_behind_login_reflows_at_320_px_has_a_main_and_its_own_title(browser, live_server, make_user):
    """WCAG 1.4.10 for the professional pages too: no sideways scrolling at 320 px, a <main>, a title of its own."""
    name = make_user("beheerder")
    browser.get(live_server.url + "/login?next=/pro")
    browser.find_element(By.ID, "username").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait_for(browser, lambda d: "/pro" in d.current_url and "/login" not in d.current_url)
    browser.set_window_size(320, 800)
    titles = {}
    try:
        for path in LOGGED_IN_PAGES:
            browser.get(live_server.url + path)
            wait_for(browser, lambda d: d.execute_script("return document.readyState") == "complete"
                     and d.find_elements(By.TAG_NAME, "main"))
            wait_for(browser, lambda d: d.title and d.title != "Wmo-kaart")
            import time

            time.sleep(1.5)  # Dash pages draw their content after the first paint
            wide = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            assert wide[0] <= wide[1] + 1, (path, wide)
            assert "/login" not in browser.current_url, path
            titles[path] = browser.title
        assert len(set(titles.values())) == len(titles), titles
    finally:
        browser.set_window_size(1400, 900)
