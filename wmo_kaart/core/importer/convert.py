"""Turn spreadsheet rows into location features; every problem named by row, column and reason."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..catalog import Catalog
from ..geo import in_netherlands, to_wgs84
from ..reference import municipality, towns
from ..schema import POSTCODE_RE, normalise_postcode
from .columns import care_table, map_headers, parse_codes, target_table
from .read import Table

REQUIRED = ("id", "name", "street", "house_number", "postcode", "city", "care_types")
HOUSE_RE = re.compile(r"^[1-9][0-9]{0,4}(?:[ -]?[A-Za-z0-9]{1,4})?$")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y")
YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
NO = {"nee", "n", "no", "false", "onwaar", "0"}


@dataclass(frozen=True)
class RowError:
    """A rejected row: its number as the user sees it, the column header and a Dutch reason."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    """Accepted features, rejected rows and their errors."""

    features: list[dict] = field(default_factory=list)
    accepted_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    geocoded: int = 0

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors if e.row > 0})

    def as_json(self) -> dict:
        return {"accepted": len(self.features), "rejected": self.rejected, "geocoded": self.geocoded,
                "errors": [e.as_dict() for e in self.errors]}


class _Row:
    def __init__(self, number: int, cells: list[str], mapping: dict[str, int], header: list[str]):
        self.number, self.cells, self.mapping, self.header = number, cells, mapping, header
        self.errors: list[RowError] = []

    def get(self, name: str) -> str:
        i = self.mapping.get(name)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def column(self, name: str) -> str:
        i = self.mapping.get(name)
        return self.header[i] if i is not None else name

    def fail(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.column(name), message))


def parse_number(text: str) -> float | None:
    """Parse '51,765', '51.765', '162.170,5' or '162170.5'; None when it is no number."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _int(row: _Row, name: str) -> int | None:
    raw = row.get(name)
    if not raw:
        return None
    value = parse_number(raw)
    if value is None or not value.is_integer():
        row.fail(name, f"'{raw}' is geen geheel getal")
        return None
    return int(value)


def _coordinates(row: _Row) -> tuple[float, float] | None:
    if row.get("lat") or row.get("lon"):
        lat, lon = parse_number(row.get("lat")), parse_number(row.get("lon"))
        if lat is None or lon is None:
            row.fail("lat" if lat is None else "lon", "breedte- en lengtegraad moeten allebei een getal zijn")
            return None
        if not in_netherlands(lon, lat):
            row.fail("lat", f"coördinaten ({lat}, {lon}) liggen buiten Nederland")
            return None
        return lon, lat
    if row.get("x") or row.get("y"):
        x, y = parse_number(row.get("x")), parse_number(row.get("y"))
        if x is None or y is None or not (0 < x < 300_000 and 289_000 < y < 630_000):
            row.fail("x", f"RD-coördinaten ({row.get('x')}, {row.get('y')}) zijn ongeldig of liggen buiten Nederland")
            return None
        lon, lat = to_wgs84(x, y)
        return round(float(lon), 6), round(float(lat), 6)
    return None


def _codes(row: _Row, name: str, table: dict[str, str], what: str) -> list[str]:
    codes, unknown = parse_codes(row.get(name), table)
    for part in unknown:
        row.fail(name, f"onbekende {what} '{part}'")
    return codes


def _properties(row: _Row, catalog: Catalog) -> dict:
    props: dict = {}
    for name in REQUIRED:
        if not row.get(name):
            row.fail(name, "verplicht veld is leeg" if name in row.mapping else "kolom ontbreekt")
    props["id"] = row.get("id")
    props["provider_id"] = row.get("provider_id") or (f"KVK-{row.get('kvk')}" if row.get("kvk") else "")
    if not props["provider_id"]:
        row.fail("provider_id" if "provider_id" in row.mapping else "kvk", "aanbiedercode of KvK-nummer ontbreekt")
    props["provider_name"] = row.get("provider_name")
    if not props["provider_name"]:
        row.fail("provider_name", "naam van de aanbieder ontbreekt")
    for name in ("name", "street", "city", "website", "phone", "email", "contact_name", "contact_email",
                 "contact_phone", "contract_id"):
        props[name] = row.get(name)
    house = " ".join(filter(None, [row.get("house_number"), row.get("addition")])).strip()
    if house and not HOUSE_RE.match(house):
        row.fail("house_number", f"'{house}' is geen huisnummer (bijvoorbeeld 12, 12a of 12-3)")
    props["house_number"] = house.replace(" ", "")
    postcode = row.get("postcode")
    if postcode:
        if POSTCODE_RE.match(postcode.replace(" ", "")) or POSTCODE_RE.match(postcode):
            props["postcode"] = normalise_postcode(postcode)
        else:
            row.fail("postcode", f"'{postcode}' is geen geldige postcode (1234 AB)")
    gm = row.get("municipality_code")
    found = municipality(gm) if gm else None
    if gm and not found:
        row.fail("municipality_code", f"onbekende gemeente '{gm}'")
    if not gm and props.get("postcode"):  # no municipality column: the postcode area tells
        town = next((t for t in towns() if props["postcode"][:4] in t.pc4), None)
        found = municipality(town.municipality_code) if town else None
        if found is None:
            row.fail("postcode", f"gemeente ontbreekt en postcode {props['postcode']} ligt niet in de regio")
    elif not gm:
        row.fail("municipality_code", "gemeente ontbreekt")
    props["municipality_code"] = found.code if found else ""
    props["care_types"] = _codes(row, "care_types", care_table(catalog), "zorgvorm")
    if row.get("care_types") and not props["care_types"] and not any(e.column == row.column("care_types") for e in row.errors):
        row.fail("care_types", f"geen zorgvorm herkend in '{row.get('care_types')}'")
    props["target_groups"] = _codes(row, "target_groups", target_table(catalog), "doelgroep")
    props["specialisms"] = [s.strip() for s in re.split(r"[;,|]", row.get("specialisms")) if s.strip()]
    wheel = row.get("wheelchair_accessible").lower()
    if wheel:
        if wheel in YES | NO:
            props["wheelchair_accessible"] = wheel in YES
        else:
            row.fail("wheelchair_accessible", f"'{wheel}' is geen ja of nee")
    for name in ("contract_end", "bw_updated"):
        raw = row.get(name)
        if raw:
            props[name] = parse_date(raw)
            if props[name] is None:
                row.fail(name, f"'{raw}' is geen datum (dd-mm-jjjj)")
    props["bw_capacity"], props["bw_occupancy"] = _int(row, "bw_capacity"), _int(row, "bw_occupancy")
    cap, occ = props["bw_capacity"], props["bw_occupancy"]
    if cap is not None and cap < 0:
        row.fail("bw_capacity", "capaciteit mag niet negatief zijn")
    if occ is not None and occ < 0:
        row.fail("bw_occupancy", "bezetting mag niet negatief zijn")
    elif cap is not None and occ is not None and 0 <= cap < occ:
        row.fail("bw_occupancy", f"bezetting ({occ}) is hoger dan de capaciteit ({cap})")
    return {k: v for k, v in props.items() if v not in (None, "")}


Geocode = Callable[[dict], tuple[float, float] | None]


def convert_rows(table: Table, catalog: Catalog, geocode: Geocode | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Convert every row; rows without coordinates are placed by `geocode(properties)`."""
    mapping, _unknown = map_headers(table.header)
    report = ImportReport()
    missing = [f for f in ("id", "name", "postcode", "care_types") if f not in mapping]
    if missing:
        report.errors.append(RowError(1, ", ".join(missing), "verplichte kolom(men) niet gevonden in de kopregel"))
        return report
    seen: dict[str, int] = {}
    pending = []
    for number, cells in table.rows:
        row = _Row(number, cells, mapping, table.header)
        props = _properties(row, catalog)
        coords = _coordinates(row)
        if props.get("id") in seen:
            row.fail("id", f"locatiecode '{props['id']}' komt al voor in rij {seen[props['id']]}")
        elif props.get("id"):
            seen[props["id"]] = number
        if row.errors:
            report.errors.extend(row.errors)
            continue
        pending.append((row, props, coords))
    todo = [p for p in pending if p[2] is None]
    done = 0
    for row, props, coords in pending:
        if coords is None:
            coords = geocode(props) if geocode else None
            done += 1
            if progress:
                progress(done, len(todo))
            if coords is None:
                report.errors.append(RowError(row.number, row.column("postcode"),
                                              "geen coördinaten en het adres kon niet worden gevonden"))
                continue
            report.geocoded += 1
        report.features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": list(coords)},
                                "properties": props})
        report.accepted_rows.append(row.number)
    return report
