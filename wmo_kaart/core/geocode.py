"""Turn a postcode (PC6 or PC4) or a place name into a point: a chain of geocoders.

First the PDOK Locatieserver when configured (called from our server, with a timeout and a
cache), then the offline gazetteer of the 14 municipalities. A geocoder that cannot be reached
hands over to the next one with a notice; it never raises to the user.
"""

from __future__ import annotations

import csv
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .reference import municipality, towns
from .text import fold

PC6_RE = re.compile(r"^\s*([1-9][0-9]{3})\s?(?!SA|SD|SS)([A-Z]{2})\s*$", re.IGNORECASE)
PC4_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*$")
LOOKS_LIKE_POSTCODE = re.compile(r"^\s*[0-9]")
PDOK_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"


class GeocodeError(ValueError):
    """Input that cannot be a postcode or place; the message is Dutch, for the user."""


class GeocoderUnavailable(RuntimeError):
    """The geocoder could not be reached or answered nonsense."""


@dataclass(frozen=True)
class Origin:
    """Where a search starts: a label for the user, WGS84 coordinates and the geocoder used."""

    label: str
    lat: float
    lon: float
    source: str

    def as_dict(self) -> dict:
        return {"label": self.label, "lat": self.lat, "lon": self.lon, "source": self.source}


@dataclass(frozen=True)
class Query:
    """A parsed search: kind is `pc6`, `pc4` or `place`."""

    kind: str
    value: str


def parse_query(text: str) -> Query:
    """Classify the search text; raise GeocodeError (Dutch) for a malformed postcode."""
    text = (text or "").strip()
    if not text:
        raise GeocodeError("Vul een postcode of plaatsnaam in.")
    if m := PC6_RE.match(text):
        return Query("pc6", f"{m.group(1)} {m.group(2).upper()}")
    if m := PC4_RE.match(text):
        return Query("pc4", m.group(1))
    if LOOKS_LIKE_POSTCODE.match(text):
        raise GeocodeError(f"'{text}' is geen geldige postcode. Gebruik vier cijfers en eventueel "
                           "twee letters, bijvoorbeeld 5341 AB of 5341.")
    if len(text) > 80:
        raise GeocodeError("De zoektekst is te lang.")
    return Query("place", text)


def _fold(text: str) -> str:
    return fold(text.lower().replace("'s ", "s "))


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    text = resources.files(__package__).joinpath("data/place_aliases.csv").read_text("utf-8")
    return {_fold(r["alias"]): r["name"] for r in csv.DictReader(text.splitlines())}


@lru_cache(maxsize=1)
def _nearby() -> dict[str, tuple[str, float, float]]:
    text = resources.files(__package__).joinpath("data/places_nearby.csv").read_text("utf-8")
    found = {}
    for r in csv.DictReader(text.splitlines()):
        for name in [r["name"], *filter(None, r["aliases"].split(";"))]:
            found[_fold(name)] = (r["name"], float(r["lat"]), float(r["lon"]))
    return found


def outside_region(text: str) -> Origin | None:
    """Return a known town just outside the region ('Den Bosch'), or None."""
    hit = _nearby().get(_fold(text))
    return Origin(hit[0], hit[1], hit[2], "gazetteer") if hit else None


def gazetteer(query: Query) -> Origin | None:
    """Look the query up in the offline gazetteer of towns and their PC4 areas (and their other spellings)."""
    if query.kind in ("pc6", "pc4"):
        pc4 = query.value[:4]
        town = next((t for t in towns() if pc4 in t.pc4), None)
        if town is None:
            return None
        return Origin(f"{query.value} ({town.name})", town.lat, town.lon, "gazetteer")
    key = _fold(query.value)
    key = _fold(_aliases().get(key, query.value))
    town = next((t for t in towns() if _fold(t.name) == key), None)
    if town is None and (m := municipality(query.value)):
        town = next((t for t in towns() if t.municipality_code == m.code), None)
    if town is None:
        return None
    return Origin(town.name, town.lat, town.lon, "gazetteer")


_POINT = re.compile(r"POINT\(\s*([-0-9.]+)\s+([-0-9.]+)\s*\)")


def parse_pdok(payload: dict, query: Query) -> Origin | None:
    """Return the best document of a Locatieserver `free` response as an Origin."""
    try:
        docs = payload["response"]["docs"]
    except (KeyError, TypeError) as exc:
        raise GeocoderUnavailable("onverwacht antwoord van PDOK") from exc
    for doc in docs:
        m = _POINT.match(str(doc.get("centroide_ll", "")))
        if m:
            label = doc.get("weergavenaam") or query.value
            return Origin(label, float(m.group(2)), float(m.group(1)), "pdok")
    return None


def pdok_params(query: Query) -> dict:
    """Return the query parameters for the Locatieserver (v3.1 rejects unknown ones)."""
    if query.kind == "pc6":
        return {"q": query.value.replace(" ", ""), "fq": "type:postcode", "rows": 1}
    if query.kind == "pc4":  # there is no PC4 document type: the first postcode in the area
        return {"q": f"postcode:{query.value}*", "fq": "type:postcode", "rows": 1}
    return {"q": query.value, "fq": "type:woonplaats", "rows": 1}


Fetch = Callable[[str, float], dict]


def http_fetch(url: str, timeout: float) -> dict:
    """GET `url` and parse JSON; raise GeocoderUnavailable on any network or format problem."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "wmo-kaart"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read(1_000_000))
    except (OSError, urllib.error.URLError, ValueError) as exc:
        raise GeocoderUnavailable(str(exc)) from exc


class PdokGeocoder:
    """The PDOK Locatieserver, with a timeout and a cache of answers."""

    def __init__(self, base_url: str = PDOK_URL, timeout: float = 3.0, fetch: Fetch = http_fetch, cache_size: int = 2048):
        self.base_url = base_url
        self.timeout = timeout
        self._lookup = lru_cache(maxsize=cache_size)(self._uncached)
        self._fetch = fetch

    def _uncached(self, query: Query) -> Origin | None:
        url = f"{self.base_url}?{urllib.parse.urlencode(pdok_params(query))}"
        return parse_pdok(self._fetch(url, self.timeout), query)

    def __call__(self, query: Query) -> Origin | None:
        return self._lookup(query)


@dataclass(frozen=True)
class Result:
    """The origin found (or None) and a notice for the user (Dutch), if any."""

    origin: Origin | None
    notice: str = ""


FALLBACK_NOTICE = ("De landelijke zoekdienst (PDOK) is nu niet bereikbaar; de plaats is bepaald "
                   "met de ingebouwde plaatsenlijst en kan minder precies zijn.")


NEIGHBOURHOODS = "data/buurten_wijken_regio_2022.geojson"  # bundled: CBS 2022, CC-BY 4.0 (see data/SOURCES.md)
_WIJK_NUMBER = re.compile(r"^wijk \d+\s+", re.IGNORECASE)  # "Wijk 01 Venhorst" is searched as "Venhorst" too


def _named_points(features: list) -> list[tuple[str, str, float, float]]:
    """Return (name, municipality code, lat, lon) of features with a name and a geometry; the bundled CBS
    file names them `naam`/`gemeente_code`, a `wmo-kaart population` file `name`/`municipality_code`."""
    from shapely.geometry import shape

    found = []
    for feature in features:
        props = feature.get("properties") or {}
        name = props.get("name") or props.get("naam")
        code = props.get("municipality_code") or props.get("gemeente_code")
        if not isinstance(name, str) or not name.strip() or LOOKS_LIKE_POSTCODE.match(name) or not feature.get("geometry"):
            continue
        try:
            point = shape(feature["geometry"]).representative_point()
        except (ValueError, TypeError, AttributeError):
            continue
        found.append((name.strip(), code, round(point.y, 6), round(point.x, 6)))
    return found


@lru_cache(maxsize=4)
def neighbourhoods(path: str | None) -> dict[str, Origin]:
    """Return the neighbourhood (buurt) and district (wijk) names by folded name, each at a point inside
    its outline: the bundled CBS names of the region, then those of a `wmo-kaart population` file (which
    win). 'Ruwaard', and 'Centrum Oss' / 'Centrum, Oss' where a name occurs in more than one
    municipality (then the bare name is left out: it cannot say which)."""
    from pathlib import Path

    from .reference import BY_CODE

    sources = [resources.files(__package__).joinpath(NEIGHBOURHOODS).read_text("utf-8")]
    if path and Path(path).is_file():
        try:
            sources.append(Path(path).read_text(encoding="utf-8"))
        except OSError:
            pass
    by_name: dict[tuple[str, str], tuple[float, float]] = {}
    for text in sources:
        try:
            features = json.loads(text).get("features") or []
        except (ValueError, AttributeError):
            continue
        for name, code, lat, lon in _named_points(features):
            by_name[(_fold(name), code or "")] = (name, code, lat, lon)  # a later source wins
    found: dict[str, list[Origin]] = {}
    for name, code, lat, lon in by_name.values():
        town = BY_CODE[code].name if code in BY_CODE else ""
        origin = Origin(f"{name} ({town})" if town else name, lat, lon, "buurt")
        for bare in {name, _WIJK_NUMBER.sub("", name)}:
            found.setdefault(_fold(bare), []).append(origin)
            if town:
                for key in (f"{bare} {town}", f"{bare}, {town}"):
                    found.setdefault(_fold(key), []).append(origin)
    return {key: hits[0] for key, hits in found.items() if len({(o.lat, o.lon) for o in hits}) == 1}


class GeocoderChain:
    """Try PDOK (when configured), then the gazetteer of towns, then the neighbourhood and district names
    (bundled, plus those of a configured `wmo-kaart population` file)."""

    def __init__(self, pdok: PdokGeocoder | None = None, neighbourhood_file: str | None = None):
        self.pdok = pdok
        self.neighbourhood_file = neighbourhood_file

    def locate(self, text: str) -> Result:
        """Return where `text` is; raise GeocodeError for input that cannot be a place."""
        query = parse_query(text)
        notice = ""
        if self.pdok is not None:
            try:
                found = self.pdok(query)
                if found:
                    return Result(found)
            except GeocoderUnavailable:
                notice = FALLBACK_NOTICE
        found = gazetteer(query)
        if found is None and query.kind == "place":
            found = neighbourhoods(self.neighbourhood_file).get(_fold(query.value))
            if found is None and (near := outside_region(query.value)):
                return Result(near, f"{query.value.strip()} ligt buiten de regio; de dichtstbijzijnde locaties vanaf {near.label}.")
        return Result(found, notice)


def configured_chain(pdok: bool, url: str = PDOK_URL, timeout: float = 3.0,
                     neighbourhood_file: str | None = None) -> GeocoderChain:
    """Return the chain as configured: PDOK first when switched on, then the gazetteer and neighbourhoods."""
    return GeocoderChain(PdokGeocoder(url, timeout) if pdok else None, neighbourhood_file)
