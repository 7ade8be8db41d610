"""When each location last changed, as each role sees it: the store stamps every publish.

A harvester (HSDS `modified_after`) fetches only what changed. A change to a confidential field must
not show the public that something changed, so a location keeps one time per tier: the last publish
that changed its position or a field of that tier or a more open one. A role reads the time of the
most closed tier it sees. Stamps live in the collection's `metadata.modified` (`{id: time}` when all
tiers agree, else `{id: [public, professional, bw]}`); no Flask, no store in here.
"""

from __future__ import annotations

from . import demo_dates
from .schema import BW, PROFESSIONAL, PUBLIC, fields_of

TIERS = (PUBLIC, PROFESSIONAL, BW)
_UP_TO = [fields_of(*TIERS[: i + 1]) for i in range(len(TIERS))]
_EMPTY = (None, "", [])


def _same(a, b) -> bool:
    return a == b or (a in _EMPTY and b in _EMPTY)


def _expand(value) -> list[str] | None:
    if isinstance(value, str):
        return [value] * len(TIERS)
    if isinstance(value, list) and len(value) == len(TIERS) and all(isinstance(v, str) for v in value):
        return value
    return None


def _compact(times: list[str]):
    """One time when every tier agrees, else the list (what `_expand` reads back)."""
    return times[0] if len(set(times)) == 1 else times


def stamp(before: dict, after: dict, at: str, since: str | None = None) -> dict:
    """Return `after` with `metadata.modified` stamped against `before` (the live collection): a new
    location, or a tier with a changed field, gets `at`; everything else keeps its time in `before`
    (`since`, when before carries none: the time `before` was published)."""
    made_for = demo_dates.as_of(after)
    if made_for and demo_dates.as_of(before):  # demo dates move monthly: compare them as of the same day
        before = {**demo_dates.current(before, made_for), "metadata": before.get("metadata")}
    old = {f["properties"].get("id"): f for f in before.get("features", [])}
    old_stamps = (before.get("metadata") or {}).get("modified") or {}
    stamps: dict[str, object] = {}
    for feature in after.get("features", []):
        props = feature["properties"]
        lid = props.get("id")
        previous = old.get(lid)
        kept = _expand(old_stamps.get(lid)) or [since or at] * len(TIERS)
        if previous is None:
            stamps[lid] = at
            continue
        if previous == feature:  # the common case, compared in C: nothing changed
            stamps[lid] = _compact(kept)
            continue
        changed = previous.get("geometry") != feature.get("geometry")
        times = []
        for i, names in enumerate(_UP_TO):
            changed = changed or any(not _same(props.get(n), previous["properties"].get(n)) for n in names)
            times.append(at if changed else kept[i])
        stamps[lid] = _compact(times)
    return {**after, "metadata": {**(after.get("metadata") or {}), "modified": stamps}}


def modified_times(meta: dict, tiers: tuple[str, ...]) -> dict[str, str]:
    """Return {location id: last change} as a role reading `tiers` sees it; locations without a stamp
    (data from before stamps) are not in it."""
    index = max(TIERS.index(t) for t in tiers)
    out = {}
    for lid, value in ((meta or {}).get("modified") or {}).items():
        times = _expand(value)
        if times:
            out[lid] = times[index]
    return out
