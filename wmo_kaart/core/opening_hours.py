"""Opening hours as people write them ("ma-vr 9:00-16:00", "di, do en vr 10:00-16:00") read into weekly
rules (the iCalendar terms HSDS `schedule` uses). What does not fit that simple shape ("ma-vr
9:30-15:00, wo tot 12:00") stays text only: never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = {"ma": "MO", "di": "TU", "wo": "WE", "do": "TH", "vr": "FR", "za": "SA", "zo": "SU"}
ORDER = list(DAYS)
_TIME = r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])"
_SHAPE = re.compile(rf"^(?P<days>[a-z ,\-–]+?)\s+{_TIME}\s*[-–]\s*{_TIME}(\s*uur)?$")


@dataclass(frozen=True)
class Weekly:
    """Open on `days` (MO..SU) from `opens` to `closes` (HH:MM)."""

    days: tuple[str, ...]
    opens: str
    closes: str


def _days(text: str) -> tuple[str, ...] | None:
    found: list[str] = []
    for part in re.split(r"\s*(?:,|\ben\b)\s*", text.strip()):
        if not part:
            continue
        span = re.fullmatch(r"([a-z]{2})\s*[-–]\s*([a-z]{2})", part)
        if span:
            first, last = span.groups()
            if first not in DAYS or last not in DAYS or ORDER.index(first) > ORDER.index(last):
                return None
            found += ORDER[ORDER.index(first): ORDER.index(last) + 1]
        elif part in DAYS:
            found.append(part)
        else:
            return None
    if not found or len(set(found)) != len(found):
        return None
    return tuple(DAYS[d] for d in found)


def weekly(text: str | None) -> Weekly | None:
    """Return the weekly rule of `text`, or None when it is not one day set with one time span."""
    if not text:
        return None
    match = _SHAPE.match(str(text).strip().lower())
    if not match:
        return None
    days = _days(match.group("days"))
    if days is None:
        return None
    h1, m1, h2, m2 = match.group(2), match.group(3), match.group(4), match.group(5)
    opens, closes = f"{int(h1):02d}:{m1}", f"{int(h2):02d}:{m2}"
    if opens >= closes:
        return None
    return Weekly(days, opens, closes)
