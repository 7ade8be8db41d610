"""The site database (SQLAlchemy Core): users, login failures, the audit log and error reports."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import (Boolean, Column, DateTime, Engine, Integer, MetaData, String, Table, Text,
                        create_engine)

from wmo_kaart.core import clock

metadata = MetaData()

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), unique=True, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(40), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    # Rotated on logout, password change and disabling: old session cookies stop working.
    Column("session_token", String(64), nullable=False),
    Column("api_token_hash", String(128), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Attempt budgets for logins and password changes: one row per key ("pair:<account>|<address>",
# "address:<address>", "password:<account>"), reserved atomically by compare-and-set on `version`.
login_budget = Table(
    "login_budget", metadata,
    Column("key", String(300), primary_key=True),
    Column("used", Integer, nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", String(120), nullable=True),
    Column("detail", Text, nullable=True),
    Column("address", String(64), nullable=True),
)


# "Meld een fout": short reports from anyone about a location's data, handled by the data manager.
reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("location_id", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("contact", String(200), nullable=True),
    Column("status", String(20), nullable=False, default="open"),
    Column("handled_by", String(80), nullable=True),
    Column("handled_at", DateTime(timezone=True), nullable=True),
)


def now() -> dt.datetime:
    """Return the current time in UTC."""
    return clock.now().astimezone(dt.timezone.utc)


def make_engine(url: str) -> Engine:
    """Return an engine for `url` with the tables created. Processes that start together (workers, two
    commands) may both create them: the one that loses sees the tables on its next look."""
    from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

    engine = create_engine(url, pool_pre_ping=True, future=True)
    for attempt in range(5):
        try:
            metadata.create_all(engine)
            break
        except (OperationalError, ProgrammingError, IntegrityError) as exc:
            if "exist" not in str(exc).lower() and "duplicate" not in str(exc).lower() or attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))
    return engine
