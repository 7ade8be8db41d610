"""A PostgreSQL database of its own, for a test session or a benchmark run (and dropped after)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, text

LOCAL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def create_database(base: str, prefix: str) -> tuple[str, Callable[[], None]]:
    """Create a fresh database on the server of `base` (a URL of a database we may create others from);
    return its URL and the function that drops it. Raises whatever connecting raises when the server
    is not reachable."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception:
        admin.dispose()
        raise

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()

    return base.rsplit("/", 1)[0] + "/" + name, drop
