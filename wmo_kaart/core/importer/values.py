"""Dutch cell values: numbers, dates, yes/no and BAG house numbers."""

from __future__ import annotations

import datetime as dt
import re

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%Y-%m-%d %H:%M:%S", "%d %m %Y",
                "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
SERIALS = (20_000, 80_000)  # Excel day numbers from 1954 to 2119: a plausible date, not a count
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
    """Return an ISO date for '31-12-2026', '2026-12-31', '2026-12-31T00:00:00', '31/12/2026', '31 dec 2026'
    or an Excel day number ('46387', as a CSV export of a date cell shows it); None otherwise."""
    text = str(text).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    if re.fullmatch(r"\d{5}(?:[.,]0+)?", text) and SERIALS[0] <= int(re.split(r"[.,]", text)[0]) <= SERIALS[1]:
        return (EXCEL_EPOCH + dt.timedelta(days=int(re.split(r"[.,]", text)[0]))).isoformat()  # an Excel day number
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
