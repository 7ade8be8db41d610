"""What the three machine interfaces (/api/v1, /ogc, /hsds) do alike at their edges.

- CORS for public reads: `Access-Control-Allow-Origin: *` on every answer to a request without
  credentials (no Authorization header, no cookie), errors included, so web map viewers and
  directory sites on other domains can read the open data. Never with credentials.
- A 401 says how to authenticate (`WWW-Authenticate`: Bearer, or Basic with the key as password).
- Never cached (role-dependent answers).
- Errors are JSON in each API's own shape, never the map's HTML: unknown paths (404), over-long
  requests (414), too many requests (429) and any HTTP error.
"""

from __future__ import annotations

import json

from flask import Flask, Response, request

PREFIXES = ("/api/v1", "/ogc", "/hsds")
# The longest request line gunicorn reads (its maximum); every documented parameter list fits in it
# (100 provider codes of 40 characters are 4.2 KB). The same limit here for any other WSGI server.
MAX_REQUEST_LINE = 8190
CHALLENGE = 'Bearer realm="Wmo-kaart", Basic realm="Wmo-kaart", charset="UTF-8"'
OGC_CODES = {400: "InvalidParameterValue", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
             405: "MethodNotAllowed", 406: "NotAcceptable", 413: "PayloadTooLarge", 414: "URITooLong",
             429: "TooManyRequests"}
MESSAGES = {404: "niet gevonden", 405: "deze methode is hier niet toegestaan; gebruik GET",
            413: "het verzoek is te groot",
            414: f"het adres is te lang (hoogstens {MAX_REQUEST_LINE} tekens); vraag minder waarden tegelijk op",
            429: "Te veel verzoeken zonder sleutel; probeer het over een minuut opnieuw"}


def is_api(path: str) -> bool:
    """Whether `path` belongs to one of the machine interfaces."""
    return any(path == p or path.startswith(p + "/") for p in PREFIXES)


def error_body(path: str, status: int, message: str, parameter: str | None = None) -> dict:
    """Return the error document of the API `path` belongs to: OGC API's exception (code, description),
    else ours (parameter and message), which /api/v1 and /hsds share."""
    if path == "/ogc" or path.startswith("/ogc/"):
        return {"code": OGC_CODES.get(status, "Error"), "description": message}
    return {"error": {"parameter": parameter, "message": message}}


def error_response(path: str, status: int, message: str | None = None, parameter: str | None = None) -> Response:
    body = error_body(path, status, message or MESSAGES.get(status, "fout"), parameter)
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def raw_error(status: int, reason: str) -> bytes:
    """A whole HTTP/1.1 error response for the server to write when the request line could not even be
    read (gunicorn's own error pages are HTML). The path is unknown then, so both shapes are in it."""
    message = MESSAGES.get(status, reason)
    body = json.dumps({"code": OGC_CODES.get(status, "Error"), "description": message,
                       "error": {"parameter": None, "message": message}}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Access-Control-Allow-Origin: *\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n")
    return head.encode("latin-1") + body


def init_app(server: Flask) -> None:
    """Give every machine interface of `server` the same edges."""

    @server.before_request
    def _not_too_long():
        if is_api(request.path) and len(request.full_path) > MAX_REQUEST_LINE:
            return error_response(request.path, 414)
        return None

    @server.after_request
    def _edges(response: Response) -> Response:
        if not is_api(request.path):
            return response
        if not request.headers.get("Authorization") and not request.cookies:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = "ETag, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After"
        if response.status_code == 401:
            response.headers["WWW-Authenticate"] = CHALLENGE
        response.headers.setdefault("Cache-Control", "no-store")
        return response
