"""A tiny HTTP server for tests: another origin, a slow geocoder, a PDOK-shaped API."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable

Respond = Callable[[str], tuple[str, bytes]]  # path -> (content type, body)


class StubServer:
    """Serve `respond(path)` on a free local port in a background thread; record the paths."""

    def __init__(self, respond: Respond):
        stub = self
        self.requests: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                stub.requests.append(self.path)
                content_type, body = respond(self.path)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
