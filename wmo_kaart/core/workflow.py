"""Check a change against the live data and publish it, checking again when another change came first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .changes import DEFAULT_MAX_SHRINK, blockers
from .importer.service import Outcome
from .store import StaleError, Store, Version

RETRIES = 5


@dataclass
class Published:
    """The last check's outcome, the version it became (None when not published) and why not."""

    outcome: Outcome
    version: Version | None
    reasons: list[str]


def check_and_publish(store: Store, check: Callable[[dict], Outcome], *, actor: str, source: str, note: str,
                      confirm: bool = False, allow_shrink: bool = False, max_shrink: float = DEFAULT_MAX_SHRINK,
                      dry_run: bool = False, retries: int = RETRIES) -> Published:
    """Run `check(live collection)` and publish its collection against the version it was checked on.

    When another writer published in between, the change is checked again on the new data (it is
    never published over data it was not checked against). Raises StoreError for a failed write."""
    for _attempt in range(retries):
        base, number = store.collection()
        outcome = check(base)
        if outcome.collection is None:
            return Published(outcome, None, [])
        reasons = blockers(outcome.report.change, confirm=confirm, allow_shrink=allow_shrink, max_shrink=max_shrink)
        if reasons or dry_run:
            return Published(outcome, None, reasons)
        try:
            version = store.publish(outcome.collection, actor=actor, source=source,
                                    source_sha256=outcome.source_sha256, note=note, base=number)
        except StaleError:
            continue
        return Published(outcome, version, [])
    raise StaleError("De gegevens veranderden steeds tijdens de controle; probeer het opnieuw.")
