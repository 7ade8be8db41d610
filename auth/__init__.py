"""Authentication: who is asking. Roles and what they may see live in wmo_kaart.core.access."""

from __future__ import annotations

from flask_login import current_user

from wmo_kaart.core.access import ANONYMOUS


def current_role() -> str:
    """Return the role slug of the user of this request (`anonymous` when not logged in)."""
    try:
        if current_user and current_user.is_authenticated:
            return current_user.role
    except (AttributeError, RuntimeError):
        pass
    return ANONYMOUS
