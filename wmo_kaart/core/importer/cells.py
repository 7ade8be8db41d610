"""What one cell says, by the rules of its field: each rule once, for the row-by-row conversion and the
column-by-column one alike (`convert` and `columnwise`). A rule returns the value, or None when the cell
is not one (the caller says why, in the user's words)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..reference import towns
from ..schema import POSTCODE_RE, PRECISIONS, normalise_postcode
from .columns import normalise
from .values import split_house_number

HOUSE_FIELDS = ("house_number", "house_letter", "house_addition")  # a house number column states all three
TEXT_FIELDS = ("provider_name", "name", "street", "city", "website", "phone", "email", "contact_name", "contact_email",
               "contact_phone", "contract_id", "opening_hours")
GENERIC_MAIL = re.compile(r"^(info|contact|post|mail|secretariaat|administratie|receptie|zorg|aanmelden|aanmelding|"
                          r"planning|office|algemeen|clientservice|klantenservice|team|welkom|hallo)\b", re.IGNORECASE)
PERSONAL_MAIL = re.compile(r"^[a-z]{1,3}\.[a-z]+@|^[a-z]+\.[a-z]+(\.[a-z]+)?@", re.IGNORECASE)
STREET_AND_NUMBER = re.compile(r"^(?P<street>.*?[^\d\s])\s+(?P<house>\d{1,5}(?:\s*[A-Za-z](?![A-Za-z]{2}))?(?:\s*[-/ ]\s*[A-Za-z0-9]{1,4})?)$")
LIST_SEPARATORS = re.compile(r"[;,|\n]")


def text_value(text: str) -> str:
    """A line break inside a cell separates parts: kept as '; '."""
    return "; ".join(text.split("\n")) if "\n" in text else text


def website_value(text: str) -> str:
    """'www.linde.nl' is 'https://www.linde.nl'."""
    return "https://" + text if text.lower().startswith("www.") else text


def kvk_provider_id(text: str) -> str | None:
    """'09876543', '9876543' (shown without its leading zero) or 'KvK 0987 6543' is 'KVK-09876543'."""
    digits = re.sub(r"\D", "", text)
    return f"KVK-{digits.zfill(8)}" if digits and len(digits) <= 8 else None


def postcode_value(text: str) -> str | None:
    """'5341AB', '5341 ab' and '5341-AB' (as some systems write it) are '5341 AB'."""
    postcode = text.replace("-", " ").strip()
    if POSTCODE_RE.match(postcode.replace(" ", "")) or POSTCODE_RE.match(postcode):
        return normalise_postcode(postcode)
    return None


def street_parts(text: str) -> tuple[str, str, str, str] | None:
    """'Lindelaan 128 a' in an address column: (street, number, letter, addition); None when the cell holds
    no house number."""
    m = STREET_AND_NUMBER.match(text)
    parts = split_house_number(m.group("house")) if m else None
    return (m.group("street").strip(), *parts) if parts else None


def is_mobile(phone: str) -> bool:
    """A mobile number (06, +31 6) is a person's, not a location's."""
    return re.sub(r"\D", "", phone).startswith(("06", "316"))


def is_personal_mail(email: str) -> bool:
    """'j.jansen@' or 'jan.jansen@' is a person's address; 'info@' is not."""
    return bool(PERSONAL_MAIL.match(email)) and not GENERIC_MAIL.match(email)


@lru_cache(maxsize=1)
def _municipality_by_pc4() -> dict[str, str]:
    found: dict[str, str] = {}
    for town in towns():  # the first town holding a postcode area decides, as the gazetteer orders them
        for pc4 in town.pc4:
            found.setdefault(pc4, town.municipality_code)
    return found


def municipality_of_postcode(postcode: str) -> str | None:
    """The municipality whose town holds the postcode's area ('5341 AB' is Oss), None outside the region."""
    return _municipality_by_pc4().get(postcode[:4])


def precision_value(text: str) -> str | None:
    """A position's precision by its code or its Dutch or English name."""
    key = normalise(text)
    return next((code for code, (nl, en) in PRECISIONS.items() if key in (code, normalise(nl), normalise(en))), None)


def list_values(text: str) -> list[str]:
    """'autisme; NAH' or two lines: ['autisme', 'NAH']."""
    return [s.strip() for s in LIST_SEPARATORS.split(text) if s.strip()]
