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
const el = document.getElementById('cov-leaflet'); const map = el && el.wmoMap;  // set by assets/map.js
if (!map) return null;
let n = 0;
map.eachLayer(l => { if (l.feature && l.feature.properties.fill && l.feature.geometry.type !== 'Point') { n++; } });
return n || null;
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


def test_the_a4_coverage_report_prints_every_column(browser, live_server, make_user, artifacts):
    """The policymaker's A4 report: every column of the table within the printed page, the PDF saved to look at."""
    import base64

    _login(browser, live_server, make_user, "bestuurder")
    browser.get(live_server.url + "/dekking/rapport?zorgvorm=07&doelgroep=ouderen&drempels=5,10,15")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".report-table thead th"))
    headers = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".report-table thead th")]
    assert any("15 km" in h for h in headers) and any("10 km" in h for h in headers), headers
    # lay the page out as the printer does: print media at the A4 text width (210 mm - 2 x 12 mm = 186 mm)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.set_window_size(round(186 / 25.4 * 96) + 16, 1000)
    try:
        cut = browser.execute_script(
            "var main = document.querySelector('main').getBoundingClientRect(); var out = [];"
            "document.querySelectorAll('.report-table th, .report-table td').forEach(function (c) {"
            "  var r = c.getBoundingClientRect(); if (r.right > main.right + 1 || c.scrollWidth > c.clientWidth + 1)"
            "    { out.push(c.textContent); } });"
            "return out;")
        assert cut == [], f"cut off on paper: {cut[:5]}"
        browser.save_screenshot(str(artifacts / "coverage-report-print.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.set_window_size(1400, 900)
    pdf = base64.b64decode(browser.print_page())
    (artifacts / "coverage-report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
