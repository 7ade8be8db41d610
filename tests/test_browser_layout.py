"""Layout stability in the browser: Cumulative Layout Shift (CLS) while a page starts, measured with a
PerformanceObserver registered before the page's first script, at most 0.1 (Google's 'good')."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

from tests.test_browser import points, wait_for
from tests.test_browser_coverage import AREAS, _login

pytestmark = pytest.mark.browser

OBSERVE = """
window.__cls = 0; window.__shifts = [];
new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) {
  if (!e.hadRecentInput) { window.__cls += e.value;
    window.__shifts.push([Math.round(e.value * 1000) / 1000, (e.sources || []).map(function (s) {
      var n = s.node; return n ? (n.id || String(n.className) || n.nodeName) : '?'; })]); } }); })
  .observe({type: 'layout-shift', buffered: true});
"""


def _measured(browser, load, ready) -> tuple[float, list]:
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVE})
    try:
        load()
        wait_for(browser, ready)
        time.sleep(2.5)  # late shifts: fonts, the map's tiles, the list
        return browser.execute_script("return window.__cls"), browser.execute_script("return window.__shifts")
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


@pytest.mark.parametrize("path,size", [
    ("/", (1366, 900)), ("/embed", (1366, 900)), ("/embed", (375, 667)), ("/embed?q=Oss", (375, 667)),
    ("/embed?q=Oss", (320, 640)),
])
def test_public_pages_do_not_shift_while_they_start(browser, live_server, path, size):
    browser.set_window_size(*size)
    try:
        cls, shifts = _measured(browser, lambda: browser.get(live_server.url + path), lambda d: points(d))
        assert cls <= 0.1, (cls, shifts)
    finally:
        browser.set_window_size(1400, 900)


def test_the_coverage_page_does_not_shift_while_it_starts(browser, live_server, make_user):
    browser.set_window_size(1366, 900)
    try:
        _login(browser, live_server, make_user, "beleidsadviseur")
        cls, shifts = _measured(browser, lambda: browser.get(live_server.url + "/dekking?zorgvorm=07"),
                                lambda d: d.execute_script(AREAS) == 164
                                and "Regio" in d.find_element(By.TAG_NAME, "main").text)
        assert cls <= 0.1, (cls, shifts)
    finally:
        browser.set_window_size(1400, 900)


def _contrast(rgb: str, background=(255, 255, 255)) -> float:
    import re

    def lum(channels):
        def one(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (one(c) for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    values = [float(v) for v in re.findall(r"[\d.]+", rgb)]
    r, g, b = values[:3]
    alpha = values[3] if len(values) > 3 else 1.0
    mixed = [alpha * c + (1 - alpha) * bg for c, bg in zip((r, g, b), background)]
    light, dark = sorted((lum(mixed), lum(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_embed_map_has_a_focus_ring_and_readable_buttons(browser, live_server, artifacts):
    """WCAG 2.4.7 and 1.4.11: focus on the map shows a ring; the zoom buttons reach 3:1 against white."""
    browser.get(live_server.url + "/embed?q=Oss")
    wait_for(browser, lambda d: points(d))
    ring = browser.execute_script(
        "var m = document.querySelector('.embed-map .wmo-marker'); m.focus();"
        "var s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor];")
    assert ring[0] == "solid" and ring[1] >= 2 and _contrast(ring[2]) >= 3, ring
    colours = browser.execute_script(
        "return Array.from(document.querySelectorAll('.embed-map .leaflet-control-zoom a, .embed-map .wmo-pan button'))"
        ".map(b => getComputedStyle(b).color)")
    assert len(colours) == 6 and min(_contrast(c) for c in colours) >= 3, colours
    browser.save_screenshot(str(artifacts / "embed-map-focus.png"))
