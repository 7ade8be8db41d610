"""Read a coverage scenario from the words people use (`zorgvorm`, `doelgroep`, `drempels`, …).

The API, the page's URL and the command line all call `parse_scenario`, so they accept and refuse
the same things, with the same Dutch messages naming the parameter.
"""

from __future__ import annotations

import re

from .catalog import Catalog
from .coverage import DEFAULT_THRESHOLDS, Scenario

MAX_THRESHOLDS = 5
MAX_LEFT_OUT = 500
MAX_ADDED = 10
# A distance in km, more than 0 and at most 100, with at most three decimals (5, 7.5, 0.25, 100).
_KM = r"(?:100(?:\.0{1,3})?|[1-9]\d?(?:\.\d{1,3})?|0\.(?:[1-9]\d{0,2}|0[1-9]\d?|00[1-9]))"
THRESHOLDS_PATTERN = rf"^{_KM}(?:,{_KM}){{0,{MAX_THRESHOLDS - 1}}}$"
# An imagined location in and around the Netherlands: latitude 50-53.x, longitude 3-7.x, up to six decimals.
POINT_PATTERN = r"^5[0-3](?:\.\d{1,6})?,[3-7](?:\.\d{1,6})?$"


class ScenarioError(ValueError):
    """A scenario parameter that cannot be used: the parameter's own name and a Dutch message."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter, self.message = parameter, message


def _thresholds(raw: str | None) -> tuple[float, ...]:
    if raw in (None, ""):
        return DEFAULT_THRESHOLDS
    text = str(raw)
    if not re.fullmatch(THRESHOLDS_PATTERN, text):
        raise ScenarioError("drempels", f"'{str(raw)[:40]}': geef 1 tot {MAX_THRESHOLDS} afstanden in km, "
                                        "groter dan 0 en hoogstens 100 (bijvoorbeeld 5,10,15)")
    return tuple(sorted({float(v) for v in text.split(",")}))


def _points(values) -> tuple[tuple[float, float], ...]:
    points = []
    for raw in values or ():
        text = str(raw)
        if not re.fullmatch(POINT_PATTERN, text):
            raise ScenarioError("nieuw", f"'{str(raw)[:40]}' is geen punt in Nederland (breedtegraad,lengtegraad, "
                                         "bijvoorbeeld 51.7,5.5)")
        lat, lon = (float(v) for v in text.split(","))
        points.append((lon, lat))
    if len(points) > MAX_ADDED:
        raise ScenarioError("nieuw", f"hoogstens {MAX_ADDED} nieuwe locaties")
    return tuple(points)


def scenario_from_query(catalog: Catalog, params: dict[str, list[str]]) -> Scenario:
    """Return the scenario of a query string's parameters ({name: [values]}); lists may be repeated or comma-separated."""
    def one(name):
        return (params.get(name) or [None])[0]

    def many(name):
        pieces = [v for raw in params.get(name, []) for v in raw.split(",")]
        if len(pieces) > MAX_LEFT_OUT:  # counted as sent, empty pieces included
            raise ScenarioError(name, f"hoogstens {MAX_LEFT_OUT} weggelaten aanbieders of locaties")
        return [v.strip() for v in pieces if v.strip()]
    return parse_scenario(catalog, one("zorgvorm"), one("doelgroep"), one("drempels"), many("zonder-aanbieder"),
                          many("zonder-locatie"), params.get("nieuw", []), one("met-beeindigd"))


def parse_scenario(catalog: Catalog, zorgvorm: str | None, doelgroep: str | None = None, drempels: str | None = None,
                   zonder_aanbieder=(), zonder_locatie=(), nieuw=(), met_beeindigd=None) -> Scenario:
    """Return the scenario, or raise ScenarioError naming the parameter at fault."""
    if not zorgvorm:
        raise ScenarioError("zorgvorm", f"kies een zorgvorm ({', '.join(catalog.care_codes)})")
    if zorgvorm not in catalog.care_codes:
        raise ScenarioError("zorgvorm", f"onbekende zorgvorm '{str(zorgvorm)[:20]}' (bekend: {', '.join(catalog.care_codes)})")
    if doelgroep and doelgroep not in catalog.target_codes:
        raise ScenarioError("doelgroep", f"onbekende doelgroep '{str(doelgroep)[:30]}'")
    left_out = [tuple(str(v)[:64] for v in values or () if str(v).strip()) for values in (zonder_aanbieder, zonder_locatie)]
    if any(len(v) > MAX_LEFT_OUT for v in left_out):
        raise ScenarioError("zonder-aanbieder", f"hoogstens {MAX_LEFT_OUT} weggelaten aanbieders of locaties")
    if met_beeindigd not in (None, "", "0", "1", True, False):
        raise ScenarioError("met-beeindigd", f"'{str(met_beeindigd)[:20]}': 1 telt beëindigde contracten mee, 0 niet")
    return Scenario(zorgvorm, doelgroep or None, _thresholds(drempels), left_out[0], left_out[1], _points(nieuw),
                    with_ended=met_beeindigd in ("1", True))
