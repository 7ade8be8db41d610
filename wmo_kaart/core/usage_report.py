"""What the usage counts and the data say, for the usage page, its downloads and the evaluation report.

Pure functions over `core.usage.Row`s, the locations as a role sees them and the error reports: trends
per week and month, totals per key, searches by kind and result, searches that found nothing nearby per
postcode area and care type, searches per municipality against its population, and how fresh each
location's details are. No Flask in here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .usage import ALL_CARE, MISSES, SEARCH_KINDS, SEARCH_RESULTS, Row, pc4_municipality

STALE_DAYS = 365  # details not confirmed for a year go on the list for the yearly round


class PeriodError(ValueError):
    """A period that cannot be read; `parameter` names the query parameter, the message is Dutch."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} t/m {self.end:%d-%m-%Y}"


def period_from(args: dict, today: dt.date) -> Period:
    """Return the period asked for (`van`, `tot` as JJJJ-MM-DD), by default the past year up to today."""
    def day(name: str, default: dt.date) -> dt.date:
        raw = (args.get(name) or "").strip()
        if not raw:
            return default
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise PeriodError(name, f"'{raw[:20]}' is geen datum; gebruik JJJJ-MM-DD, bijvoorbeeld {today.isoformat()}") from None
    end = day("tot", today)
    start = day("van", end - dt.timedelta(days=364))
    if start > end:
        raise PeriodError("van", "de begindatum ligt na de einddatum")
    return Period(start, end)


def of_event(rows: Iterable[Row], event: str) -> list[Row]:
    return [r for r in rows if r.event == event]


def totals(rows: Iterable[Row], event: str) -> list[tuple[str, int]]:
    """Return (key, total) of one event, largest first, then by key."""
    counts: Counter = Counter()
    for r in of_event(rows, event):
        counts[r.key] += r.n
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def by_month(rows: Iterable[Row], event: str) -> list[tuple[str, int]]:
    """Return (YYYY-MM, total) of one event per calendar month, days and folded months together."""
    counts: Counter = Counter()
    for r in of_event(rows, event):
        counts[r.period[:7]] += r.n
    return sorted(counts.items())


def by_week(rows: Iterable[Row], event: str) -> list[tuple[str, int]]:
    """Return (ISO week 'JJJJ-Www', total) of one event from the daily counts (folded months have no weeks)."""
    counts: Counter = Counter()
    for r in of_event(rows, event):
        if r.is_day:
            year, week, _ = dt.date.fromisoformat(r.period).isocalendar()
            counts[f"{year}-W{week:02d}"] += r.n
    return sorted(counts.items())


def searches(rows: Iterable[Row], lang: str = "nl") -> list[tuple[str, str, int]]:
    """Return (kind, result, total) of the searches, in the order of the vocabulary, labelled in `lang`."""
    i = 1 if lang == "en" else 0
    counts = dict(totals(rows, "search"))
    out = []
    for kind, kind_labels in SEARCH_KINDS.items():
        for result, result_labels in SEARCH_RESULTS.items():
            n = counts.get(f"{kind}|{result}", 0)
            if n:
                out.append((kind_labels[i], result_labels[i], n))
    return out


def misses(rows: Iterable[Row]) -> list[tuple[str, str, str, int]]:
    """Return (postcode area, municipality code, care type, total) of searches that found nothing nearby."""
    where = pc4_municipality()
    out = []
    for key, n in totals(rows, "miss"):
        pc4, _, care = key.partition("|")
        out.append((pc4, where.get(pc4, ""), care or ALL_CARE, n))
    return out


def misses_per_area(rows: Iterable[Row]) -> dict[str, int]:
    """Return {postcode area: searches that found nothing nearby} (every care type together)."""
    counts: Counter = Counter()
    for pc4, _m, _care, n in misses(rows):
        counts[pc4] += n
    return dict(counts)


def share_by_municipality(rows: Iterable[Row], areas: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    """Return per municipality the searches from its postcode areas, its residents (from `areas`: the CBS
    postcode areas with `id`, `municipality_code`, `population`), searches per 1,000 residents and its share
    of all searches beside its share of the residents."""
    where = pc4_municipality()
    searched: Counter = Counter()
    for pc4, n in totals(rows, "search_area"):
        if pc4 in where:
            searched[where[pc4]] += n
    people = areas.groupby("municipality_code")["population"].sum(min_count=1)
    all_searches, all_people = sum(searched.values()), float(people.sum())
    out = []
    for code in sorted(set(people.index) | set(searched), key=lambda c: names.get(c, c)):
        population = float(people.get(code, float("nan")))
        n = searched.get(code, 0)
        out.append({"code": code, "name": names.get(code, code), "searches": n,
                    "population": None if population != population else int(population),
                    "per_1000": round(n / population * 1000, 2) if population and population == population else None,
                    "share_searches": round(n / all_searches * 100, 1) if all_searches else 0.0,
                    "share_population": round(population / all_people * 100, 1) if all_people and population == population else None})
    return out


def _checked(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Freshness:
    """How current the details are: every location with its last check, and the providers to ask."""

    locations: list[dict]  # id, name, provider_name, city, last_checked (date|None), age_days, stale, reports
    providers: list[dict]  # provider_id, provider_name, locations, stale, oldest, contacts, reports

    @property
    def stale(self) -> int:
        return sum(1 for loc in self.locations if loc["stale"])

    @property
    def reported(self) -> list[dict]:
        """The locations with open error reports, most reports first."""
        return sorted((loc for loc in self.locations if loc["reports"]), key=lambda loc: (-loc["reports"], loc["name"]))

    @property
    def open_reports(self) -> int:
        return sum(loc["reports"] for loc in self.locations)


def freshness(view: pd.DataFrame, today: dt.date, open_reports: Iterable[str] = (), stale_days: int = STALE_DAYS) -> Freshness:
    """Return the freshness of `view`'s locations on `today`: a location whose details were never confirmed,
    or not within `stale_days`, is stale; `open_reports` are the location ids of open error reports."""
    reports = Counter(open_reports)
    locations = []
    for r in view.itertuples():
        checked = _checked(getattr(r, "last_checked", None))
        age = (today - checked).days if checked else None
        locations.append({"id": r.Index, "name": r.name, "provider_id": r.provider_id, "provider_name": r.provider_name,
                          "city": r.city, "last_checked": checked, "age_days": age,
                          "stale": age is None or age > stale_days, "reports": reports.get(r.Index, 0),
                          "contact": getattr(r, "contact_email", None) or getattr(r, "email", None) or ""})
    locations.sort(key=lambda loc: (loc["last_checked"] or dt.date.min, loc["provider_name"], loc["name"]))
    grouped: dict[str, list[dict]] = defaultdict(list)
    for loc in locations:
        grouped[loc["provider_id"]].append(loc)
    providers = []
    for pid, locs in grouped.items():
        dates = [loc["last_checked"] for loc in locs if loc["last_checked"]]
        providers.append({"provider_id": pid, "provider_name": locs[0]["provider_name"], "locations": len(locs),
                          "stale": sum(loc["stale"] for loc in locs),
                          "never": sum(loc["last_checked"] is None for loc in locs),
                          "oldest": min(dates) if dates else None,
                          "contacts": sorted({loc["contact"] for loc in locs if loc["contact"]}),
                          "reports": sum(loc["reports"] for loc in locs)})
    providers.sort(key=lambda p: (-p["stale"], p["provider_name"]))
    return Freshness(locations, providers)


def round_list(fresh: Freshness) -> list[dict]:
    """Return the yearly round: per provider with stale locations, which ones, with the contact to ask."""
    by_provider: dict[str, list[dict]] = defaultdict(list)
    for loc in fresh.locations:
        if loc["stale"]:
            by_provider[loc["provider_id"]].append(loc)
    return [{**p, "to_check": by_provider[p["provider_id"]]} for p in fresh.providers if p["stale"]]


def labelled_rows(rows: Iterable[Row], lang: str = "nl") -> tuple[list[str], list[list]]:
    """Return the counts as a table for CSV and XLSX: period, event (in words), key, number."""
    from .usage import EVENTS

    i = 1 if lang == "en" else 0
    header = ["Period", "Event", "Event code", "Key", "Number"] if i else ["Periode", "Gebeurtenis", "Code", "Sleutel", "Aantal"]
    return header, [[r.period, EVENTS[r.event][i] if r.event in EVENTS else r.event, r.event, r.key, r.n] for r in rows]


__all__ = ["MISSES", "Freshness", "Period", "PeriodError", "by_month", "by_week", "freshness", "labelled_rows",
           "misses", "misses_per_area", "period_from", "round_list", "searches", "share_by_municipality", "totals"]
