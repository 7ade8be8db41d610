"""A resident uses the embed inside a municipality's page (search, filter, details, print); the data
manager then reads exactly those counts on the usage page, and prints the evaluation report."""

from __future__ import annotations

import base64
import re
from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import PASSWORD, LiveServer
from tests.test_browser import wait_for
from tests.test_browser_embed import HostSite

pytestmark = pytest.mark.browser
CARES = "return Array.from(document.querySelectorAll('#embed-list .row-care')).map(e => e.textContent)"


@pytest.fixture
def host():
    site = HostSite()
    yield site
    site.stop()


@pytest.fixture
def served(settings, host):
    from wmo_kaart.web import create_app

    app = create_app(replace(settings, embed_allowed_origins=host.origin))
    server = LiveServer(app)
    yield server
    server.stop()


def _row(page_text_rows: list[list[str]], first: str) -> list[str]:
    return next((r for r in page_text_rows if r and r[0] == first), [])


def _rows(browser, caption: str) -> list[list[str]]:
    table = browser.find_element(By.XPATH, f"//table[caption[contains(., '{caption}')]]")
    return [[c.text for c in tr.find_elements(By.CSS_SELECTOR, "th, td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]


def test_embed_use_in_a_host_page_shows_up_on_the_usage_page(browser, served, host, make_user, artifacts):
    browser.set_window_size(1300, 1000)
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})  # earlier tests logged in on this host
    browser.get(host.frame(served.url, "/embed"))
    frame = wait_for(browser, lambda d: d.find_element(By.ID, "kaart"))
    browser.switch_to.frame(frame)
    try:
        box = wait_for(browser, lambda d: d.find_element(By.ID, "embed-q"))
        box.send_keys("5341", Keys.ENTER)
        wait_for(browser, lambda d: "5341" in d.find_element(By.ID, "embed-message").text)
        browser.find_element(By.CSS_SELECTOR, "#embed-care input[value='07']").click()
        wait_for(browser, lambda d: d.execute_script(CARES) and all("Dagbesteding" in c for c in d.execute_script(CARES)))
        wait_for(browser, lambda d: d.execute_script(
            "return document.querySelector('#embed-list .details-button')") is not None)
        browser.execute_script("document.querySelector('#embed-list .details-button').focus()")
        browser.switch_to.active_element.send_keys(Keys.ENTER)  # keyboard: a real button
        wait_for(browser, lambda d: "Meld een fout" in d.find_element(By.ID, "embed-details").text)
        browser.execute_script("document.querySelector('#embed-list .keep-button').click()")
        wait_for(browser, lambda d: "(1)" in d.find_element(By.ID, "embed-shortlist-panel").text)
        handout = browser.find_element(By.CSS_SELECTOR, "#embed-shortlist-panel a.primary-link").get_attribute("href")
    finally:
        browser.switch_to.default_content()
    browser.get(handout)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".handout-list li")) == 1
    assert browser.get_cookies() == []  # a resident's browser holds no cookie of ours

    browser.get(served.url + "/beheer/gebruik")
    browser.find_element(By.ID, "username").send_keys(make_user("beheerder"))
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait_for(browser, lambda d: "/beheer/gebruik" in d.current_url and d.find_elements(By.TAG_NAME, "h1"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Gebruik en actualiteit"
    host_key = host.origin.split("://", 1)[1]
    assert _row(_rows(browser, "Ingesloten kaart per website"), host_key) == [host_key, "1"]
    assert _row(_rows(browser, "Paginabezoeken"), "/embed") == ["/embed", "1"]
    assert _row(_rows(browser, "Details geopend"), "embed") == ["embed", "1"]
    assert _row(_rows(browser, "Op de lijst gezet"), "embed") == ["embed", "1"]
    assert _row(_rows(browser, "Lijsten afgedrukt"), "publiek") == ["publiek", "1"]
    assert _row(_rows(browser, "Gekozen filters"), "zorgvorm|07") == ["zorgvorm|07", "1"]
    searches = _rows(browser, "Zoekopdrachten naar soort en resultaat")
    assert len(searches) == 1 and searches[0][0] == "postcode" and searches[0][2] == "1"
    assert re.match(r"gevonden binnen (5|10|15) km", searches[0][1])
    oss = _row(_rows(browser, "Zoekopdrachten vanuit elke gemeente"), "Oss")
    assert oss[1] == "1"
    browser.save_screenshot(str(artifacts / "usage-page.png"))
    browser.get(served.url + "/beheer/gebruik/rapport")
    assert "Hoe we tellen" in browser.find_element(By.TAG_NAME, "main").text
    pdf = base64.b64decode(browser.print_page())
    (artifacts / "usage-report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    browser.save_screenshot(str(artifacts / "usage-report.png"))


@pytest.mark.parametrize("role", ["wmo_consulent", "contractmanager", "bw_consulent"])
def test_other_roles_get_403_on_the_usage_page(browser, live_server, make_user, role):
    browser.get(live_server.url + "/beheer/gebruik")
    browser.find_element(By.ID, "username").send_keys(make_user(role))
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait_for(browser, lambda d: "/login" not in d.current_url)
    assert "Gebruik en actualiteit" not in browser.page_source
    assert "403" in browser.page_source or "Geen toegang" in browser.page_source or "Forbidden" in browser.page_source
