"""Counting, not tracking: the web adapter of `core.usage`.

One hook after every request counts page views, the site an embedded map is shown on, API calls by
endpoint and role, and downloads by format; pages and callbacks count searches, filters, details,
shortlists, handouts and error reports through `count`. Only the event and its key from the closed
vocabulary are kept: never an address, user agent, cookie, session or search text.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, request

from ..core import usage

log = logging.getLogger(__name__)

# the pages whose views are counted (a fixed list: an unknown path never becomes a key)
PAGES = ("/", "/pro", "/embed", "/dekking", "/contracten", "/handout", "/data", "/melding", "/toegankelijkheid",
         "/privacy", "/embed/code", "/dekking/rapport", "/beheer", "/beheer/gebruik", "/beheer/gebruik/rapport", "/login")
APIS = ("/api/v1/", "/ogc", "/hsds")
QUIET = "X-Wmo-Kaart-Warm"  # the worker's own warm-up requests are not visits
PART = "X-Wmo-Kaart-Part"  # a part of a page fetched by the page itself (assets/embed-page.js): no new visit


def tally() -> usage.Tally:
    """Return this worker's tally."""
    return current_app.extensions["wmo_kaart_usage"]


def count(event: str, key: object = "") -> None:
    """Count one event now (for pages and callbacks)."""
    tally().count(event, key)


def count_many(events) -> None:
    """Count several (event, key) pairs."""
    tally().count_many(events)


def _downloaded(response) -> str | None:
    disposition = response.headers.get("Content-Disposition", "")
    if "attachment" not in disposition or "filename=" not in disposition:
        return None
    name = disposition.split("filename=", 1)[1].strip().strip('"').split(";")[0]
    return name.split(".", 1)[1].lower() if "." in name else "onbekend"


def _after(response):
    if request.headers.get(QUIET) or response.status_code >= 400:
        return response
    try:
        events = []
        path = request.path
        if path.startswith(APIS) and request.url_rule is not None:
            events.append(("api", f"{request.url_rule.rule}|{g.get('api_role', 'anonymous')}"))
        elif request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html" \
                and not request.headers.get(PART):
            page = path.rstrip("/") or "/"
            if page in PAGES:
                events.append(("page", page))
            if page == "/embed":
                settings = current_app.extensions["wmo_kaart"].settings
                events.append(("embed_host", usage.embed_host(request.headers.get("Referer", ""), request.host,
                                                             settings.embed_origins)))
            if page == "/handout":
                from flask_login import current_user

                events.append(("handout", "professioneel" if current_user.is_authenticated else "publiek"))
        fmt = _downloaded(response) if response.status_code == 200 else None
        if fmt:
            events.append(("export", fmt))
        if events:
            tally().count_many(events)
    except Exception:  # noqa: BLE001 - counting never breaks an answer
        log.exception("usage count failed")
    return response


def init_app(server: Flask) -> None:
    """Give the server a tally on the store's usage table and count after every request."""
    svc = server.extensions["wmo_kaart"]
    server.extensions["wmo_kaart_usage"] = usage.Tally(svc.store.usage, every=svc.settings.usage_flush_seconds,
                                                       keep_days=svc.settings.usage_days)
    server.after_request(_after)
