"""Reference data: the 14 municipalities of BNO-O and Hart van Brabant, and their towns."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

BNOO = "Brabant Noordoost-oost"
HVB = "Hart van Brabant"


@dataclass(frozen=True)
class Municipality:
    """A municipality by its CBS code (boundary year 2025)."""

    code: str
    name: str
    region: str


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("GM0828", "Oss", BNOO),
    Municipality("GM1721", "Bernheze", BNOO),
    Municipality("GM0755", "Boekel", BNOO),
    Municipality("GM1982", "Land van Cuijk", BNOO),
    Municipality("GM1991", "Maashorst", BNOO),
    Municipality("GM0855", "Tilburg", HVB),
    Municipality("GM0766", "Dongen", HVB),
    Municipality("GM0784", "Gilze en Rijen", HVB),
    Municipality("GM0785", "Goirle", HVB),
    Municipality("GM0797", "Heusden", HVB),
    Municipality("GM0798", "Hilvarenbeek", HVB),
    Municipality("GM0809", "Loon op Zand", HVB),
    Municipality("GM0824", "Oisterwijk", HVB),
    Municipality("GM0867", "Waalwijk", HVB),
)
BY_CODE = {m.code: m for m in MUNICIPALITIES}
REGIONS = (BNOO, HVB)  # the purchasing regions: each buys Wmo support for its own municipalities
REGION_ALIASES = {"bno o": BNOO, "bnoo": BNOO, "brabant noordoost oost": BNOO, "regio oss": BNOO,
                  "hvb": HVB, "hart van brabant": HVB, "regio tilburg": HVB}


def municipality(code_or_name: str) -> Municipality | None:
    """Find a municipality by CBS code (`GM0828`, `0828`) or name, ignoring case and accents."""
    key = code_or_name.strip().upper()
    if key.isdigit():
        key = f"GM{key.zfill(4)}"
    if key in BY_CODE:
        return BY_CODE[key]
    from .text import fold

    return next((m for m in MUNICIPALITIES if fold(m.name) == fold(key)), None)


@dataclass(frozen=True)
class Town:
    """A town or village with its approximate centre (WGS84) and its PC4 areas."""

    name: str
    municipality_code: str
    lat: float
    lon: float
    pc4: tuple[str, ...]


@lru_cache(maxsize=1)
def towns() -> tuple[Town, ...]:
    """Return the gazetteer of towns and villages of the 14 municipalities."""
    text = resources.files(__package__).joinpath("data/gazetteer.csv").read_text("utf-8")
    return tuple(
        Town(r["name"], r["municipality_code"], float(r["lat"]), float(r["lon"]), tuple(r["pc4"].split()))
        for r in csv.DictReader(text.splitlines())
    )
