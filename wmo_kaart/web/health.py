"""Liveness and readiness for load balancers and orchestrators: /healthz and /readyz."""

from __future__ import annotations

import os
import secrets

from flask import Blueprint, jsonify
from sqlalchemy import text

from . import services

bp = Blueprint("health", __name__)
_WORKER: dict[int, str] = {}


def worker() -> str:
    """Return a random name of this process (made after the fork), to tell workers apart without its id."""
    return _WORKER.setdefault(os.getpid(), secrets.token_hex(4))


@bp.get("/healthz")
def healthz():
    """The process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The data is loaded and the accounts database answers; 503 otherwise. The count is what the caller
    may see (the public view for a visitor: ended contracts not counted)."""
    from auth import current_role
    from auth.web import engine

    from . import role_view

    problems = []
    try:
        dataset = services().store.current()
    except Exception:  # noqa: BLE001 - any failure means not ready
        dataset = None
        problems.append("gegevens")
    try:
        with engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001
        problems.append("database")
    if problems:
        return jsonify(status="niet gereed", problems=problems), 503
    return jsonify(status="ok", locations=len(role_view(current_role())), data_version=services().store.live_version(),
                   worker=worker())
