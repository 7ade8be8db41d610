"""Security headers on every response: CSP, framing, sniffing, referrer."""

from __future__ import annotations

import json
import re

import dash
from flask import Flask, Response, request

from .api_edges import MESSAGES, error_body, error_response, is_api


# an anonymous API answer (no session, no key): the visitor's own browser may keep it and ask again with
# its ETag; no shared cache may (web/api.py `prepared_response`)
PUBLIC_REVALIDATE = "private, no-cache"


def content_security_policy(app: dash.Dash, frame_ancestors: str = "'none'") -> str:
    """Return the CSP for our pages: our own origin only (background-map tiles come through /tiles/)."""
    img = ["'self'", "data:", "blob:"]
    connect = ["'self'"]
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(app.csp_hashes()),
        "style-src 'self' 'unsafe-inline'",
        f"img-src {' '.join(img)}",
        "worker-src blob:",
        f"connect-src {' '.join(connect)}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])


EMBED_PATHS = {"/embed"}


PRIVATE_PAGES = ("/pro", "/dekking", "/contracten")
PRIVATE_PREFIXES = ("/beheer", "/account", "/dekking/", "/_dash-update-component", "/_dash-layout", "/api/", "/ogc/", "/hsds/")


STATIC_TYPES = ("image/", "text/javascript", "application/javascript", "text/css", "font/")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, line feed and carriage return are text
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def init_app(server: Flask, app: dash.Dash) -> None:
    """Add the security headers to every response of `server`."""
    settings = server.extensions["wmo_kaart"].settings
    policy = content_security_policy(app)
    embed_policy = content_security_policy(app, settings.frame_ancestors_embed)

    @server.before_request
    def _no_control_characters():
        """NUL and other control characters are no text anyone types: refused with 400 at the edge of every
        form and API (a NUL in a login name reached PostgreSQL and answered 500), naming the parameter."""
        found = next((name for name, value in (*request.args.items(multi=True), *(
            request.form.items(multi=True) if request.method == "POST" and request.mimetype in FORM_TYPES else ()))
            if CONTROL.search(name) or CONTROL.search(value)), None)
        if found is None:
            return None
        message = f"'{CONTROL.sub('?', found)[:40]}' bevat een stuurteken (zoals NUL); dat is geen tekst"
        if is_api(request.path):
            return error_response(request.path, 400, message, CONTROL.sub("?", found)[:40])
        return Response(f"Ongeldige invoer: {message}.", status=400, mimetype="text/plain; charset=utf-8")

    @server.after_request
    def _headers(response: Response) -> Response:
        if response.mimetype.startswith(STATIC_TYPES):
            pass  # a policy means nothing on an image or a script: spare its kilobyte on every tile
        elif request.path in EMBED_PATHS:  # only the embed may be framed, by the configured origins
            response.headers.setdefault("Content-Security-Policy", embed_policy)
        else:
            response.headers.setdefault("Content-Security-Policy", policy)
            response.headers.setdefault("X-Frame-Options", "DENY")
        if request.path.startswith(("/_dash-component-suites/", "/assets/")) and response.status_code == 200:
            # plotly.min.js has no version in its URL; let browsers keep it for a day
            response.headers.setdefault("Cache-Control", "public, max-age=86400")
        if (request.path in PRIVATE_PAGES or request.path.startswith(PRIVATE_PREFIXES)) and \
                response.headers.get("Cache-Control") != PUBLIC_REVALIDATE:
            response.headers["Cache-Control"] = "no-store"  # professional or BW data never sits in a cache
        if settings.hsts_seconds:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={settings.hsts_seconds}; includeSubDomains")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if not response.mimetype.startswith(STATIC_TYPES):
            response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response

    @server.errorhandler(Exception)
    def _unexpected(exc):
        """A callback fed input it cannot use answers 400; nothing answers with a traceback."""
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            if is_api(request.path):  # the APIs answer JSON in their own shape, with Allow on 405
                response = exc.get_response()
                body = error_body(request.path, exc.code or 500, MESSAGES.get(exc.code, exc.name))
                response.set_data(json.dumps(body, ensure_ascii=False))
                response.mimetype = "application/json"
                return response
            return exc
        if request.path.startswith("/_dash-component-suites/"):  # a bundle Dash does not know: nothing to serve
            return Response("niet gevonden", status=404, mimetype="text/plain; charset=utf-8")
        server.logger.exception("Onverwachte fout bij %s %s", request.method, request.path)
        if request.path.startswith("/_dash-update-component"):
            return {"error": "ongeldige invoer voor dit onderdeel"}, 400
        return Response("Er ging iets mis. Probeer het later opnieuw.", status=500, mimetype="text/plain; charset=utf-8")
