"""Error reports ("Meld een fout"): anyone may send one about a location, only the data manager reads them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update

from .db import now, reports

MESSAGE_MIN, MESSAGE_MAX, CONTACT_MAX = 5, 1000, 200


class ReportError(ValueError):
    """A report that cannot be taken (Dutch message naming the field)."""


@dataclass(frozen=True)
class Report:
    id: int
    at: object
    location_id: str
    message: str
    contact: str | None
    status: str
    handled_by: str | None


def check(message: str, contact: str) -> tuple[str, str | None]:
    """Return the cleaned message and contact, or raise ReportError naming the field."""
    message = " ".join((message or "").split())
    contact = (contact or "").strip() or None
    if len(message) < MESSAGE_MIN:
        raise ReportError("Beschrijf in een paar woorden wat er niet klopt.")
    if len(message) > MESSAGE_MAX:
        raise ReportError(f"Uw melding is te lang: hoogstens {MESSAGE_MAX} tekens.")
    if contact and len(contact) > CONTACT_MAX:
        raise ReportError(f"Het contactgegeven is te lang: hoogstens {CONTACT_MAX} tekens.")
    return message, contact


def add(engine: Engine, location_id: str, message: str, contact: str | None) -> int:
    with engine.begin() as conn:
        result = conn.execute(insert(reports).values(at=now(), location_id=location_id, message=message,
                                                     contact=contact, status="open"))
        return int(result.inserted_primary_key[0])


def listed(engine: Engine, status: str | None = None) -> list[Report]:
    query = select(reports).order_by(reports.c.at.desc())
    if status:
        query = query.where(reports.c.status == status)
    with engine.connect() as conn:
        return [Report(r.id, r.at, r.location_id, r.message, r.contact, r.status, r.handled_by)
                for r in conn.execute(query)]


def mark(engine: Engine, report_id: int, status: str, who: str) -> bool:
    """Mark a report open or handled; return False when it does not exist. Handling a report forgets the
    reporter's contact details (the privacy statement promises it)."""
    if status not in ("open", "handled"):
        raise ReportError("onbekende status")
    handled = status == "handled"
    with engine.begin() as conn:
        result = conn.execute(update(reports).where(reports.c.id == report_id).values(
            status=status, handled_by=who if handled else None, handled_at=now() if handled else None,
            **({"contact": None} if handled else {})))
        return result.rowcount == 1
