"""Rate limits for anonymous use of the API and the Dash callbacks (flask-limiter).

Per client address (after the trusted proxies), one budget for all routes of an API; shared between
workers and hosts through Redis when `REDIS_URL` is set, per worker in memory otherwise. Logged-in
users and valid API keys are not limited here (their logins are throttled and their use is audited);
any other Authorization header counts for nothing. Callback bodies are limited to 64 KB.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, g, request
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


def _session() -> bool:
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))


def _valid_key() -> bool:
    """A real API key (looked up once per request); any other Authorization header counts for nothing."""
    from auth.keys import key_from_authorization

    key = key_from_authorization(request.headers.get("Authorization"))
    if not key:
        return False
    if "wmo_kaart_key_ok" not in g:
        from auth import users
        from auth.web import engine

        g.wmo_kaart_key_ok = users.by_api_token(engine(), key) is not None
    return g.wmo_kaart_key_ok


def _signed_in() -> bool:
    return _session() or _valid_key()


MAX_CALLBACK_BYTES = 64 * 1024  # a real callback sends a few kilobytes; the upload limit is for /beheer only


def init_app(server: Flask) -> Limiter:
    """Limit the anonymous API and callbacks on `server`."""
    settings = server.extensions["wmo_kaart"].settings
    limiter = Limiter(get_remote_address, app=server, storage_uri=storage_uri(settings.redis_url),
                      strategy="fixed-window", headers_enabled=True)
    # one budget per client address for all routes of an API (four routes are not four budgets)
    for name in ("api", "ogc", "hsds"):
        limiter.shared_limit(settings.rate_api, scope=f"api-{name}", exempt_when=_signed_in)(server.blueprints[name])
    # error reports: anyone may send one, nobody many
    server.view_functions["feedback.report"] = limiter.limit(settings.rate_reports, methods=["POST"])(
        server.view_functions["feedback.report"])
    # the map's layers and their names (map_layers), the embed's page and layer (each search, step of the list
    # or kept location is a request there): as the callbacks, a budget per address for visitors without a session
    for endpoint in ("map_layers.layer", "map_layers.names", "embed.page", "embed.layer"):
        server.view_functions[endpoint] = limiter.limit(settings.rate_callbacks, exempt_when=_session)(
            server.view_functions[endpoint])
    for rule in server.url_map.iter_rules():
        if rule.rule == DASH_POST:
            view = server.view_functions[rule.endpoint]
            # only a real session is exempt: an Authorization header means nothing to a callback
            server.view_functions[rule.endpoint] = limiter.limit(settings.rate_callbacks, exempt_when=_session)(view)

    @server.before_request
    def _small_callbacks():
        if request.path == DASH_POST:
            request.max_content_length = MAX_CALLBACK_BYTES  # also for a body sent without a length

    @server.errorhandler(RateLimitExceeded)
    def _too_many(exc):
        from .api_edges import error_response, is_api

        if is_api(request.path):  # each API's own error shape (OGC's exception on /ogc)
            return error_response(request.path, 429)
        message = "Te veel verzoeken; probeer het over een minuut opnieuw."
        if request.path == "/embed":  # a page: its visitor reads the answer
            return message + "\nToo many requests; please try again in a minute.", 429, {"Content-Type": "text/plain; charset=utf-8"}
        return {"error": message}, 429

    return limiter
