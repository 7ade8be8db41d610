"""Rate limits for anonymous use of the API and the Dash callbacks (flask-limiter).

Per client address (after the trusted proxies); shared between workers through Redis when
`REDIS_URL` is set, per worker in memory otherwise. Logged-in users and API keys are not limited
here: their logins are throttled and their use is audited.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

DASH_POST = "/_dash-update-component"


def _signed_in() -> bool:
    from flask_login import current_user

    return bool(request.headers.get("Authorization")) or bool(getattr(current_user, "is_authenticated", False))


def init_app(server: Flask) -> Limiter:
    """Limit the anonymous API and callbacks on `server`."""
    settings = server.extensions["wmo_kaart"].settings
    limiter = Limiter(get_remote_address, app=server, storage_uri=settings.redis_url or "memory://",
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
