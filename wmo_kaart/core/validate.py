"""Validate a GeoJSON FeatureCollection of provider locations against the data contract."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .catalog import Catalog
from .geo import in_netherlands
from .reference import BY_CODE, REGIONS
from .schema import BY_NAME, FIELDS, HOUSE_ADDITION_RE, HOUSE_LETTER_RE, POSTCODE_RE, PRECISIONS


@dataclass(frozen=True)
class Problem:
    """One problem in a data file, with where it is and why (in Dutch)."""

    source: str
    index: int | None
    feature_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.source]
        if self.index is not None:
            where.append(f"feature {self.index}")
        if self.feature_id:
            where.append(f"id {self.feature_id!r}")
        if self.field:
            where.append(f"veld {self.field!r}")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict:
        return {"source": self.source, "index": self.index, "id": self.feature_id,
                "field": self.field, "message": self.message}


class InvalidDataError(ValueError):
    """A data file that breaks the contract; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} probleem/problemen in de gegevens:\n"
                         + "\n".join(f"- {p}" for p in problems))


_KIND_NL = {"str": "tekst", "str_list": "lijst van teksten", "bool": "ja/nee (true/false)",
            "int": "geheel getal", "date": "datum (JJJJ-MM-DD)"}


def _type_ok(kind: str, value) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "str_list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
            return isinstance(value, str) and len(value) == 10
        except (TypeError, ValueError):
            return False
    raise ValueError(kind)


def _geometry_problems(geometry) -> Iterator[tuple[str, str]]:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        yield "geometry", "geometrie ontbreekt of is geen Point"
        return
    coords = geometry.get("coordinates")
    if (not isinstance(coords, list) or len(coords) != 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords)):
        yield "geometry", "coördinaten moeten [lengtegraad, breedtegraad] zijn"
    elif not in_netherlands(*coords):
        yield "geometry", (f"coördinaten ({coords[0]}, {coords[1]}) liggen buiten Nederland "
                           "(verwacht lengtegraad, breedtegraad in WGS84)")


def _property_problems(props: dict, catalog: Catalog) -> Iterator[tuple[str, str]]:
    for f in FIELDS:
        value = props.get(f.name)
        if value is None or value == "":
            if f.required:
                yield f.name, "verplicht veld ontbreekt"
            continue
        if not _type_ok(f.kind, value):
            yield f.name, f"verwacht {_KIND_NL[f.kind]}, gevonden {value!r}"
    if isinstance(props.get("postcode"), str) and props["postcode"] and not POSTCODE_RE.match(props["postcode"]):
        yield "postcode", f"ongeldige postcode {props['postcode']!r} (verwacht 1234 AB)"
    code = props.get("municipality_code")
    if isinstance(code, str) and code and code not in BY_CODE:
        yield "municipality_code", f"onbekende gemeentecode {code!r}"
    yield from _list_problems(props, "care_types", catalog.care_codes, "zorgvorm (iWmo-code)")
    yield from _list_problems(props, "target_groups", catalog.target_codes, "doelgroep")
    yield from _list_problems(props, "contract_regions", REGIONS, "inkoopregio")
    if _type_ok("str_list", props.get("care_types")) and props["care_types"] == []:
        yield "care_types", "minstens één zorgvorm is verplicht"
    yield from _bw_problems(props)
    yield from _house_problems(props)


WEB_URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
EMAIL_RE = re.compile(r"^[^@\s<>\"':/]+@[^@\s<>\"':/]+\.[^@\s<>\"':/]+$")


def _house_problems(props: dict) -> Iterator[tuple[str, str]]:
    letter, addition = props.get("house_letter"), props.get("house_addition")
    if isinstance(letter, str) and letter and not HOUSE_LETTER_RE.match(letter):
        yield "house_letter", f"huisletter is één letter, gevonden {letter!r}"
    if isinstance(addition, str) and addition and not HOUSE_ADDITION_RE.match(addition):
        yield "house_addition", f"toevoeging is 1 tot 4 letters of cijfers, gevonden {addition!r}"
    if (letter or addition) and isinstance(props.get("house_number"), str) and not props["house_number"].isdigit():
        yield "house_number", "met een aparte huisletter of toevoeging is het huisnummer alleen cijfers"
    website = props.get("website")
    if isinstance(website, str) and website and not WEB_URL_RE.match(website):
        yield "website", f"alleen http- en https-adressen zijn toegestaan, gevonden {website[:60]!r}"
    for name in ("email", "contact_email"):
        value = props.get(name)
        if isinstance(value, str) and value and not EMAIL_RE.match(value):
            yield name, f"geen geldig e-mailadres: {value[:60]!r}"
    free = props.get("free_places")
    if _type_ok("int", free) and free < 0:
        yield "free_places", f"vrije plaatsen mag niet negatief zijn ({free})"
    precision = props.get("position_precision")
    if isinstance(precision, str) and precision and precision not in PRECISIONS:
        yield "position_precision", f"onbekende nauwkeurigheid {precision!r} (bekend: {', '.join(PRECISIONS)})"


def _list_problems(props: dict, name: str, known: tuple[str, ...], what: str) -> Iterator[tuple[str, str]]:
    values = props.get(name)
    if _type_ok("str_list", values):
        for v in values:
            if v not in known:
                yield name, f"onbekende {what} {v!r} (bekend: {', '.join(known)})"


def _bw_problems(props: dict) -> Iterator[tuple[str, str]]:
    cap, occ = props.get("bw_capacity"), props.get("bw_occupancy")
    cap_ok, occ_ok = _type_ok("int", cap), _type_ok("int", occ)
    if cap_ok and cap < 0:
        yield "bw_capacity", f"capaciteit mag niet negatief zijn ({cap})"
    if occ_ok and occ < 0:
        yield "bw_occupancy", f"bezetting mag niet negatief zijn ({occ})"
    if cap_ok and occ_ok and 0 <= cap < occ:
        yield "bw_occupancy", f"bezetting ({occ}) is hoger dan de capaciteit ({cap})"


def validate_collection(data, catalog: Catalog, source: str = "<data>") -> list[Problem]:
    """Return every problem in a parsed GeoJSON FeatureCollection (an empty list when valid)."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [Problem(source, None, None, None, "geen GeoJSON FeatureCollection")]
    features = data.get("features")
    if not isinstance(features, list):
        return [Problem(source, None, None, "features", "'features' moet een lijst zijn")]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(source, index, None, None, "geen GeoJSON Feature"))
            continue
        props = feature.get("properties")
        if not isinstance(props, dict):
            problems.append(Problem(source, index, None, "properties", "'properties' ontbreekt"))
            continue
        fid = props.get("id") if isinstance(props.get("id"), str) else None
        found = [*_geometry_problems(feature.get("geometry")), *_property_problems(props, catalog)]
        problems.extend(Problem(source, index, fid, field, msg) for field, msg in found)
        if fid:
            if fid in seen:
                problems.append(Problem(source, index, fid, "id",
                                        f"dubbele id (ook bij feature {seen[fid]})"))
            else:
                seen[fid] = index
    return problems


__all__ = ["InvalidDataError", "Problem", "validate_collection", "BY_NAME"]
