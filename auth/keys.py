"""API keys as clients send them: `Authorization: Bearer <key>`, or HTTP Basic with the key as the
password (any user name), which is all QGIS 3.22 and other GIS clients can send. Never in a query
string (it would end up in logs and browser histories). No Flask in here."""

from __future__ import annotations

import base64
import binascii

def key_from_authorization(header: str | None) -> str | None:
    """Return the API key an Authorization header carries, or None when it carries none we can use.

    Bearer: the token. Basic: the password; with an empty password, the user name (some clients only
    ask for a "user"). Any other scheme, bad base64 or an empty key: None (the caller answers 401).
    """
    scheme, _, value = (header or "").strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value or None
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    user, colon, password = decoded.partition(":")
    if not colon:
        return None
    return password.strip() or user.strip() or None
