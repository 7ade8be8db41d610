"""/dekking in a real browser: the choropleth, the table, a what-if with one provider left out, the
best new location, axe, and screenshots for the docs."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.conftest import PASSWORD
from tests.test_browser import requested_hosts, wait_for
from tests.test_browser_admin import main_text
from tests.test_browser_embed import _axe

pytestmark = pytest.mark.browser

AREAS = """
const gd = document.getElementById('cov-map');
const plot = gd && gd.querySelector('.js-plotly-plot');
if (!plot || !plot._fullData) return null;
const t = plot._fullData.find(t => t.meta === 'areas');
return t ? t.locations.length : null;
"""


def _login(browser, live_server, make_user, role):
    browser.get(live_server.url + "/dekking")
    browser.find_element(By.ID, "username").send_keys(make_user(role))
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait_for(browser, lambda d: "/dekking" in d.current_url and "/login" not in d.current_url)


def test_coverage_page_what_if_and_best_new_location(browser, live_server, make_user, artifacts):
    browser.set_window_size(1400, 1000)
    _login(browser, live_server, make_user, "beleidsadviseur")
    wait_for(browser, lambda d: d.execute_script(AREAS) == 164)
    wait_for(browser, lambda d: "Tilburg" in main_text(d) and "Regio" in main_text(d))
    text = main_text(browser)
    assert "hemelsbreed" in text and "Binnen 5 km" in text and "Gebieden verder dan 15 km" in text
    assert "Beschermd wonen: capaciteit en bezetting" in text, "the BW overview for a BW role"
    from urllib.parse import urlsplit

    assert requested_hosts(browser) <= {urlsplit(live_server.url).netloc}, "no request leaves our origin"
    browser.save_screenshot(str(artifacts / "coverage-day-care.png"))
    assert _axe(browser) == []

    browser.find_element(By.ID, "cov-without").send_keys(Keys.ENTER)  # open the list with the keyboard
    browser.switch_to.active_element.send_keys("Lindehof")
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_for(browser, lambda d: "Na wijziging" in main_text(d))
    assert "zonder-aanbieder=" in browser.current_url
    browser.save_screenshot(str(artifacts / "coverage-what-if.png"))

    browser.find_element(By.ID, "cov-reset").click()
    wait_for(browser, lambda d: "Na wijziging" not in main_text(d))
    browser.find_element(By.ID, "cov-drempels").clear()
    browser.find_element(By.ID, "cov-drempels").send_keys("1,2,3" + Keys.ENTER)
    wait_for(browser, lambda d: "Binnen 1 km" in main_text(d))
    browser.find_element(By.ID, "cov-add-best").click()
    wait_for(browser, lambda d: "1 denkbeeldige locatie(s) toegevoegd" in main_text(d))
    assert "nieuw=" in browser.current_url


def test_coverage_page_for_a_contract_manager_has_no_bw(browser, live_server, make_user):
    _login(browser, live_server, make_user, "contractmanager")
    wait_for(browser, lambda d: d.execute_script(AREAS) == 164)
    text = main_text(browser)
    assert "Beschermd wonen: capaciteit" not in text and "BW-plaatsen" not in text
    assert not browser.find_element(By.ID, "cov-places").is_displayed()
