"""Rate limits for anonymous use of the API and the Dash callbacks (flask-limiter).

Per client address (after the trusted proxies); shared between workers through Redis when
`REDIS_URL` is set, per worker in memory otherwise. Logged-in users and API keys are not limited
here: their logins are throttled and their use is audited.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

DASH_POST = "/_dash-update-component"
MEMORY = "wmo-memory://"


class ThreadSafeMemoryStorage(MemoryStorage):
    """`limits`' in-memory storage without its expiry timer thread: under gunicorn's threaded workers two
    requests could both replace the timer and start the same one twice ("threads can only be started
    once", a 500 for the visitor). Expired counts are dropped by the request that finds the last
    sweep a second old instead, so no thread waits on a clock. Registered as `wmo-memory://`."""

    STORAGE_SCHEME = ["wmo-memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, **options):
        self._sweep_lock = threading.Lock()
        self._next_sweep = 0.0
        super().__init__(uri, **options)
        self.timer.cancel()  # the one MemoryStorage starts; sweeps happen inline from now on

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - overrides the mangled private method
        now = time.monotonic()
        with self._sweep_lock:
            if now < self._next_sweep:
                return
            self._next_sweep = now + self.SWEEP_SECONDS
        try:
            self._MemoryStorage__expire_events()
        except (KeyError, RuntimeError):  # a key removed meanwhile by another request: the next sweep takes it
            pass


def storage_uri(redis_url: str | None) -> str:
    """Return where counts live: Redis (shared by every worker and host) when configured, else per worker."""
    return redis_url or MEMORY


def _signed_in() -> bool:
    from flask_login import current_user

    return bool(request.headers.get("Authorization")) or bool(getattr(current_user, "is_authenticated", False))


def init_app(server: Flask) -> Limiter:
    """Limit the anonymous API and callbacks on `server`."""
    settings = server.extensions["wmo_kaart"].settings
    limiter = Limiter(get_remote_address, app=server, storage_uri=storage_uri(settings.redis_url),
                      strategy="fixed-window", headers_enabled=True)
    for name in ("api", "ogc", "hsds"):
        limiter.limit(settings.rate_api, exempt_when=_signed_in)(server.blueprints[name])
    # error reports: anyone may send one, nobody many
    server.view_functions["feedback.report"] = limiter.limit(settings.rate_reports, methods=["POST"])(
        server.view_functions["feedback.report"])
    for rule in server.url_map.iter_rules():
        if rule.rule == DASH_POST:
            view = server.view_functions[rule.endpoint]
            server.view_functions[rule.endpoint] = limiter.limit(settings.rate_callbacks, exempt_when=_signed_in)(view)

    @server.errorhandler(RateLimitExceeded)
    def _too_many(exc):
        message = "Te veel verzoeken; probeer het over een minuut opnieuw."
        if request.path.startswith("/api/"):
            return {"error": {"parameter": None, "message": message}}, 429
        return {"error": message}, 429

    return limiter
