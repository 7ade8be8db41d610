"""The accounts database (SQLAlchemy Core): users, login failures and the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, Column, DateTime, Engine, Integer, MetaData, String, Table, Text,
                        create_engine)

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

login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # "account" or "address"
    Column("key", String(120), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
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


bw_history = Table(
    "bw_history", metadata,
    Column("id", Integer, primary_key=True),
    Column("location_id", String(64), nullable=False, index=True),
    Column("as_of", String(10), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("occupancy", Integer, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("source_sha256", String(64), nullable=False),
)


def now() -> dt.datetime:
    """Return the current time in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def make_engine(url: str) -> Engine:
    """Return an engine for `url` with the tables created."""
    engine = create_engine(url, pool_pre_ping=True, future=True)
    metadata.create_all(engine)
    return engine


def record_bw_history(engine: Engine, rows: list[dict], source_sha256: str) -> None:
    """Keep the monthly BW figures of an update, for trends."""
    if rows:
        from sqlalchemy import insert

        at = now()
        with engine.begin() as conn:
            conn.execute(insert(bw_history), [{**r, "imported_at": at, "source_sha256": source_sha256} for r in rows])
