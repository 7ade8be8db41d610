"""Apply imported rows to the stored data without erasing by omission, and describe the change.

The rules, in replace and merge mode alike:
- a column the file lacks leaves the stored values of matched locations as they are;
- an empty cell in a present column keeps the stored value, unless the data manager chooses to clear;
- stored coordinates stay when the row gives none and its address did not change;
- replace mode removes the locations the file does not mention (a removal needs confirmation);
  merge mode keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .catalog import Catalog
from .importer.convert import HOUSE_FIELDS, ImportedRow, RowError
from .schema import BY_NAME, FIELDS, format_house_number
from .validate import validate_collection

# geocode(properties) -> (lon, lat, precision) or None
Geocode = Callable[[dict], tuple[float, float, str] | None]
DEFAULT_MAX_SHRINK = 0.10
NO_CHANGE = "het bestand verandert niets aan de gepubliceerde gegevens"  # a refusal that is no error


@dataclass
class Applied:
    """The features after the change, rows that failed, and how positions were found."""

    features: list[dict]
    errors: list[RowError] = field(default_factory=list)
    accepted: list[ImportedRow] = field(default_factory=list)
    precision: dict = field(default_factory=dict)
    geocoded: int = 0


def _address(props: dict) -> tuple:
    house = format_house_number(props.get("house_number"), props.get("house_letter"), props.get("house_addition"))
    return (str(props.get("street", "")).casefold(), house.casefold(), str(props.get("postcode", "")).replace(" ", "").upper(),
            str(props.get("city", "")).casefold())


def merge_properties(stored: dict | None, row: ImportedRow, clear_empty: bool) -> dict:
    """Return the stored properties updated with what the row says, by the rules above."""
    values = row.values
    if stored is None:  # a new location: what the row says (below, the same for a new one, in one step)
        present = row.present | set(HOUSE_FIELDS[1:]) if "house_number" in values else row.present
        return {k: v for k, v in values.items() if k in present and v not in ("", None)}
    props = dict(stored)
    for name in row.present:
        if name in values:
            props[name] = values[name]
        elif clear_empty and name in row.empty:
            props.pop(name, None)
    if "house_number" in values:  # a new house number is a new address: letter and addition go with it
        moved = str(stored.get("house_number", "")) != values["house_number"]
        for name in HOUSE_FIELDS[1:]:
            if name in values or moved:
                props[name] = values.get(name, "")
    return {k: v for k, v in props.items() if v not in ("", None)}


def _place(stored: dict | None, props: dict, row: ImportedRow, geocode: Geocode | None, applied: Applied):
    values = row.values
    same_place = stored is not None and row.coords is not None and all(
        abs(a - b) < 1e-6 for a, b in zip(row.coords, stored["geometry"]["coordinates"]))
    if row.coords is not None and not same_place:
        if "position_precision" in values or "position_precision" not in row.present:
            props["position_precision"] = values.get("position_precision", "given")
        else:  # the file has a precision column and leaves it empty: unknown, as it says
            props.pop("position_precision", None)
        return list(row.coords)
    if same_place or (stored is not None and row.coords is None and _address(stored["properties"]) == _address(props)):
        precision = values.get("position_precision") or stored["properties"].get("position_precision")
        if precision:
            props["position_precision"] = precision
        else:
            props.pop("position_precision", None)
        return list(stored["geometry"]["coordinates"])
    found = geocode(props) if geocode else None
    if found is None:
        return None
    applied.geocoded += 1
    lon, lat, precision = found
    props["position_precision"] = precision
    return [lon, lat]


def _problems(feature: dict, row: ImportedRow, catalog: Catalog) -> list[RowError]:
    errors = []
    for p in validate_collection({"type": "FeatureCollection", "features": [feature]}, catalog, row.sheet):
        name = p.field or ""
        column = row.column(name) or (BY_NAME[name].nl if name in BY_NAME else name)
        message = p.message
        if name in BY_NAME and name not in row.present and "verplicht" in message:
            message = f"nieuwe locatie: kolom '{BY_NAME[name].nl}' ontbreekt in het bestand"
        errors.append(RowError(row.number, column, message, row.sheet, row.id))
    return errors


def apply_rows(base: list[dict], rows: list[ImportedRow], catalog: Catalog, *, replace: bool, clear_empty: bool = False,
               geocode: Geocode | None = None, rejected_ids: set | None = None,
               progress: Callable[[int, int], None] | None = None) -> Applied:
    """Merge `rows` into the `base` features; in replace mode drop what the file does not mention."""
    by_id = {f["properties"]["id"]: f for f in base}
    applied = Applied([])
    updated: dict[str, dict] = {}
    for done, row in enumerate(rows, start=1):
        stored = by_id.get(row.id)
        props = merge_properties(stored["properties"] if stored else None, row, clear_empty)
        coords = _place(stored, props, row, geocode, applied)
        if progress:
            progress(done, len(rows))
        if coords is None:
            applied.errors.append(RowError(row.number, row.column("postcode") or "Postcode",
                                           "geen coördinaten en het adres kon niet worden gevonden", row.sheet, row.id))
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": coords}, "properties": props}
        if problems := _problems(feature, row, catalog):
            applied.errors.extend(problems)
            continue
        updated[row.id] = feature
        applied.accepted.append(row)
        key = props.get("position_precision", "onbekend")
        applied.precision[key] = applied.precision.get(key, 0) + 1
    keep = set(rejected_ids or ()) | {e.location_id for e in applied.errors if e.location_id}
    mentioned = {r.id for r in rows} | keep
    features = []
    for fid, feature in by_id.items():
        if fid in updated:
            features.append(updated.pop(fid))
        elif not replace or fid in mentioned:
            features.append(feature)
    applied.features = features + list(updated.values())
    return applied


def describe_change(before: list[dict], after: list[dict], rows_of: dict | None = None) -> dict:
    """Return what a change does: locations added, removed and changed, and per field changed and emptied."""
    rows_of = rows_of or {}
    old = {f["properties"]["id"]: f for f in before}
    new = {f["properties"]["id"]: f for f in after}
    changed: dict[str, list] = {}
    emptied: dict[str, list] = {}
    moved = []
    for fid in old.keys() & new.keys():
        a, b = old[fid]["properties"], new[fid]["properties"]
        for f in FIELDS:
            if a.get(f.name) == b.get(f.name):
                continue
            readdressed = f.name in HOUSE_FIELDS[1:] and a.get("house_number") != b.get("house_number")
            target = emptied if b.get(f.name) in (None, "", []) and not readdressed else changed
            target.setdefault(f.name, []).append(fid)
        if old[fid]["geometry"]["coordinates"] != new[fid]["geometry"]["coordinates"]:
            moved.append(fid)
    touched = {i for ids in (*changed.values(), *emptied.values()) for i in ids} | set(moved)

    def ref(ids):
        return [{"id": i, "row": rows_of.get(i)} for i in sorted(ids)]

    return {"before": len(old), "after": len(new), "added": ref(new.keys() - old.keys()), "removed": ref(old.keys() - new.keys()),
            "changed": {k: ref(v) for k, v in sorted(changed.items())}, "emptied": {k: ref(v) for k, v in sorted(emptied.items())},
            "moved": ref(moved), "unchanged": len((old.keys() & new.keys()) - touched)}


def blockers(change: dict, *, confirm: bool, allow_shrink: bool, max_shrink: float = DEFAULT_MAX_SHRINK) -> list[str]:
    """Return why a change may not be published yet (Dutch), or an empty list."""
    reasons = []
    removed, emptied = len(change["removed"]), sum(len(v) for v in change["emptied"].values())
    if change.get("before") and not (change.get("added") or removed or emptied or change.get("changed") or change.get("moved")):
        return [NO_CHANGE]
    if (removed or emptied) and not confirm:
        reasons.append(f"deze wijziging verwijdert {removed} locatie(s) en maakt {emptied} opgeslagen waarde(n) leeg; "
                       "bevestig dat uitdrukkelijk")
    if change["before"] and removed / change["before"] > max_shrink and not allow_shrink:
        reasons.append(f"de kaart krimpt met {removed} van {change['before']} locaties ({removed / change['before']:.0%}), "
                       f"meer dan de grens van {max_shrink:.0%}; sta dat uitdrukkelijk toe")
    return reasons
