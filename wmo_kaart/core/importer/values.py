"""Dutch cell values: numbers, dates, yes/no and BAG house numbers."""

from __future__ import annotations

import datetime as dt
import re

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%Y-%m-%d %H:%M:%S", "%d %m %Y")
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "wel"}
NO = {"nee", "n", "no", "false", "onwaar", "0", "niet"}
_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.000 or 162.170,5: dots group thousands
HOUSE_RE = re.compile(r"^(?P<number>[1-9][0-9]{0,4})\s*(?:(?P<letter>[A-Za-z])(?![A-Za-z]))?\s*[-/ ]?\s*(?P<addition>[A-Za-z0-9]{1,4})?$")
MONTHS = {"jan": 1, "feb": 2, "mrt": 3, "maa": 3, "apr": 4, "mei": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
          "okt": 10, "oct": 10, "nov": 11, "dec": 12}


def parse_number(text: str, grouped: bool = False) -> float | None:
    """Parse '51,765', '51.765', '162.170,5' or '162170.5'; with `grouped`, '1.000' is one thousand."""
    text = str(text).strip().replace(" ", "").replace("\u2212", "-")
    if not text:
        return None
    if "," in text or (grouped and _GROUPED.match(text)):
        text = text.replace(".", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def parse_count(text: str) -> int | None:
    """Parse a whole number the Dutch way ('1.000' is 1000, '12,0' is 12); None when it is not one."""
    value = parse_number(text, grouped=True)
    return int(value) if value is not None and value.is_integer() else None


def parse_date(text: str) -> str | None:
    """Return an ISO date for '31-12-2026', '2026-12-31', '31/12/2026', '31 dec 2026'; None otherwise."""
    text = str(text).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    m = re.match(r"^(\d{1,2})[ -]([a-z]{3})[a-z]*\.?[ -](\d{4})$", text.lower())
    if m and m.group(2) in MONTHS:
        try:
            return dt.date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1))).isoformat()
        except ValueError:
            return None
    return None


def parse_yes_no(text: str) -> bool | None:
    """Return True for ja/yes/x, False for nee/no, None for anything else."""
    key = str(text).strip().lower()
    return True if key in YES else False if key in NO else None


def split_house_number(text: str) -> tuple[str, str, str] | None:
    """Split '12', '12a', '12-3', '12A-3' or '12 bis' into (number, letter, addition); None if it is none."""
    m = HOUSE_RE.match(str(text).strip())
    if not m:
        return None
    return m.group("number"), (m.group("letter") or "").upper(), m.group("addition") or ""
