"""Opening hours read into weekly rules (HSDS schedules), by hand-written expectations."""

import pytest

from wmo_kaart.core.opening_hours import Weekly, weekly


@pytest.mark.parametrize(("text", "expected"), [
    ("ma-vr 9:00-16:00", Weekly(("MO", "TU", "WE", "TH", "FR"), "09:00", "16:00")),
    ("ma-do 8:30-15:30", Weekly(("MO", "TU", "WE", "TH"), "08:30", "15:30")),
    ("di, do en vr 10:00-16:00", Weekly(("TU", "TH", "FR"), "10:00", "16:00")),
    ("Za 10.00 - 12.30 uur", Weekly(("SA",), "10:00", "12:30")),
    ("ma, wo-vr 9:00–17:00", Weekly(("MO", "WE", "TH", "FR"), "09:00", "17:00")),
    ("ma-vr 9:30-15:00, wo tot 12:00", None),   # two rules in one: text only
    ("vr-ma 9:00-12:00", None),                  # backwards
    ("ma-vr 16:00-9:00", None),
    ("ma 9:00-9:00", None),                      # open for no time at all
    ("op afspraak", None),
    ("ma ma 9:00-10:00", None),
    ("", None),
    (None, None),
])
def test_weekly(text, expected):
    assert weekly(text) == expected
