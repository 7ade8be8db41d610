"""Liveness and readiness for load balancers and orchestrators: /healthz and /readyz."""

from __future__ import annotations

import os

from flask import Blueprint, jsonify
from sqlalchemy import text

from . import services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The data is loaded and the accounts database answers; 503 otherwise."""
    from auth.web import engine

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
    return jsonify(status="ok", locations=len(dataset), data_version=services().store.live_version(), worker=os.getpid())
