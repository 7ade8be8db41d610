"""gunicorn's threaded worker, with JSON for the one error our app never sees: a request line longer
than gunicorn reads (gunicorn's own error pages are HTML, which no API client can parse)."""

from __future__ import annotations

import contextlib

from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from ..web.api_edges import raw_error


class JsonErrorWorker(ThreadWorker):
    """`worker_class` of `wmo-kaart serve`."""

    def handle_error(self, req, client, addr, exc):
        if not isinstance(exc, LimitRequestLine):
            return super().handle_error(req, client, addr, exc)
        self.log.debug("Request line too long from %s", addr)
        with contextlib.suppress(OSError):
            client.sendall(raw_error(414, "URI Too Long"))
        return None
