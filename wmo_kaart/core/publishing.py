"""One publish workflow for the command line and /beheer alike: check → stage → publish with
confirmations → audit event.

- `check` reads a file against the live data and returns a `Checked` change, tied to the version it
  was checked on. The web keeps it staged (`Checked.staged` / `from_staged`) while a person reads the
  report; the command line goes straight on.
- `publish` applies the same refusals everywhere: nothing acceptable to publish, removals or emptied
  values without confirmation, a map that shrinks more than allowed, and data that changed since the
  check (StaleError: check again; the command line does that by itself, since nobody has seen a
  preview yet). Then it writes one audit event, the same for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .changes import DEFAULT_MAX_SHRINK, blockers
from .importer.service import ImportOptions, Outcome, run_bw_update, run_import
from .store import StaleError, Store, StoreError, Version

MODES = {"replace": "vervangen", "merge": "samenvoegen", "bw": "BW-cijfers"}
Audit = Callable[[str, str, str, str], None]  # (actor, action, target, detail)


@dataclass(frozen=True)
class Job:
    """What to check: a file, how to apply it, and who asks."""

    source: str
    mode: str
    raw: bytes
    actor: str
    partial: bool = False
    clear_empty: bool = False
    allow_older: bool = False
    allow_future: bool = False
    sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checked:
    """A checked change: the collection to publish (None when it may not be), the change it makes, and
    the version it was checked on."""

    source: str
    mode: str
    actor: str
    collection: dict | None
    change: dict
    source_sha256: str
    base: int | None
    report: dict = field(default_factory=dict)

    def staged(self) -> dict:
        """Return the fields a staged check keeps."""
        return {"source": self.source, "mode": self.mode, "actor": self.actor, "collection": self.collection,
                "sha256": self.source_sha256, "base": self.base, "report": self.report}

    @classmethod
    def from_staged(cls, payload: dict) -> Checked:
        report = payload.get("report") or {}
        return cls(payload["source"], payload["mode"], payload["actor"], payload.get("collection"),
                   report.get("change") or {"removed": [], "emptied": {}, "before": 0}, payload.get("sha256", ""),
                   payload.get("base"), report)


class Refused(StoreError):
    """The change may not be published (yet); `reasons` say why, in Dutch."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def check(store: Store, job: Job, catalog, geocoder, progress=None) -> tuple[Checked, Outcome]:
    """Check `job` against the live data; return the checked change and the full outcome (its report)."""
    if job.mode not in MODES:
        raise ValueError(f"onbekende manier van importeren: {job.mode}")
    live, base = store.collection()
    options = ImportOptions(merge=job.mode == "merge", partial=job.partial, clear_empty=job.clear_empty,
                            mappings=store.column_mappings(), sheets=job.sheets)
    if job.mode == "bw":
        outcome = run_bw_update(job.raw, job.source, catalog, live, partial=job.partial, allow_older=job.allow_older,
                                allow_future=job.allow_future, options=options)
    else:
        outcome = run_import(job.raw, job.source, catalog, geocoder, live, options=options, progress=progress)
    report = outcome.report.as_json()
    checked = Checked(job.source, job.mode, job.actor, outcome.collection,
                      report.get("change") or {"removed": [], "emptied": {}, "before": 0}, outcome.source_sha256, base, report)
    return checked, outcome


def refusals(checked: Checked, *, confirm: bool, allow_shrink: bool, max_shrink: float = DEFAULT_MAX_SHRINK) -> list[str]:
    """Return why `checked` may not be published with these confirmations (Dutch), or an empty list."""
    if checked.collection is None:
        return ["er zijn afgewezen rijen (kies 'Goede rijen toch publiceren', op de opdrachtregel --partial)"
                if checked.report.get("features") else "geen enkele rij is geaccepteerd"]
    return blockers(checked.change, confirm=confirm, allow_shrink=allow_shrink, max_shrink=max_shrink)


def publish(store: Store, checked: Checked, *, actor: str, confirm: bool = False, allow_shrink: bool = False,
            max_shrink: float = DEFAULT_MAX_SHRINK, audit: Audit | None = None) -> Version:
    """Publish a checked change against the version it was checked on, then write the audit event.

    Raises Refused (confirmations missing, nothing to publish), StaleError (the data changed since the
    check) or StoreError (the write failed); nothing is published then."""
    reasons = refusals(checked, confirm=confirm, allow_shrink=allow_shrink, max_shrink=max_shrink)
    if reasons:
        raise Refused(reasons)
    version = store.publish(checked.collection, actor=actor, source=checked.source, source_sha256=checked.source_sha256,
                            note=MODES[checked.mode], base=checked.base)
    if audit is not None:
        audit(actor, "publish", f"v{version.number}", checked.source)
    return version


def check_and_publish(store: Store, job: Job, catalog, geocoder, *, confirm: bool = False, allow_shrink: bool = False,
                      max_shrink: float = DEFAULT_MAX_SHRINK, dry_run: bool = False, audit: Audit | None = None,
                      progress=None, retries: int = 5) -> tuple[Outcome, Version | None, list[str]]:
    """Check and publish in one go (the command line): when another change came first, check again on the
    new data, so nothing is ever published over data it was not checked against. Returns the last
    check's outcome, the version (None when not published) and the refusals."""
    for _attempt in range(retries):
        checked, outcome = check(store, job, catalog, geocoder, progress)
        reasons = refusals(checked, confirm=confirm, allow_shrink=allow_shrink, max_shrink=max_shrink)
        if reasons or dry_run:
            return outcome, None, reasons
        try:
            return outcome, publish(store, checked, actor=job.actor, confirm=confirm, allow_shrink=allow_shrink,
                                    max_shrink=max_shrink, audit=audit), []
        except StaleError:
            continue
    raise StaleError("De gegevens veranderden steeds tijdens de controle; probeer het opnieuw.")
