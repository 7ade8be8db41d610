"""Accounts: create, list, change role, disable, check passwords. No Flask in here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from wmo_kaart.core.access import ANONYMOUS, ROLES

from .db import audit_log, login_failures, now, users

MIN_PASSWORD_LENGTH = 12
# A real hash to compare against when the user does not exist, so both cases cost the same.
_DUMMY_HASH = generate_password_hash("wmo-kaart-dummy-password", method="scrypt")


class UserError(ValueError):
    """A refused account operation, with a Dutch message for the user."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    active: bool
    session_token: str


def _account(row) -> Account:
    return Account(row.id, row.username, row.role, row.active, row.session_token)


def _check_role(role: str) -> None:
    if role not in ROLES or role == ANONYMOUS:
        known = ", ".join(r for r in ROLES if r != ANONYMOUS)
        raise UserError(f"onbekende rol {role!r} (bekend: {known})")


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn")


def audit(engine: Engine, actor: str, action: str, target: str | None = None,
          detail: str | None = None, address: str | None = None) -> None:
    """Write one line to the audit log (never passwords or BW figures)."""
    with engine.begin() as conn:
        conn.execute(insert(audit_log).values(at=now(), actor=actor, action=action, target=target,
                                              detail=detail, address=address))


def add_user(engine: Engine, username: str, role: str, password: str, actor: str = "cli") -> Account:
    """Create an account; refuse unknown roles, short passwords and existing names."""
    username = username.strip()
    if not username or len(username) > 80:
        raise UserError("gebruikersnaam is leeg of te lang")
    _check_role(role)
    check_password_strength(password)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise UserError(f"gebruiker {username!r} bestaat al")
        conn.execute(insert(users).values(
            username=username, password_hash=generate_password_hash(password, method="scrypt"),
            role=role, active=True, session_token=secrets.token_hex(32), created_at=now()))
    audit(engine, actor, "user_add", username, f"rol={role}")
    return get_by_username(engine, username)


def get_by_username(engine: Engine, username: str) -> Account | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    return _account(row) if row else None


def get_by_id(engine: Engine, user_id: int) -> Account | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return _account(row) if row else None


def list_users(engine: Engine) -> list[Account]:
    with engine.connect() as conn:
        return [_account(r) for r in conn.execute(select(users).order_by(users.c.username))]


def _change(engine: Engine, username: str, **values) -> Account:
    with engine.begin() as conn:
        result = conn.execute(update(users).where(users.c.username == username).values(**values))
    if result.rowcount == 0:
        raise UserError(f"gebruiker {username!r} bestaat niet")
    return get_by_username(engine, username)


def set_role(engine: Engine, username: str, role: str, actor: str = "cli") -> Account:
    """Change the role of an account; its sessions end."""
    _check_role(role)
    account = _change(engine, username, role=role, session_token=secrets.token_hex(32))
    audit(engine, actor, "user_set_role", username, f"rol={role}")
    return account


def disable(engine: Engine, username: str, actor: str = "cli") -> Account:
    """Disable an account; its sessions end."""
    account = _change(engine, username, active=False, session_token=secrets.token_hex(32))
    audit(engine, actor, "user_disable", username)
    return account


def set_password(engine: Engine, username: str, password: str, actor: str) -> Account:
    """Set a new password; every existing session of the account ends."""
    check_password_strength(password)
    account = _change(engine, username, password_hash=generate_password_hash(password, method="scrypt"),
                      session_token=secrets.token_hex(32))
    audit(engine, actor, "password_change", username)
    return account


def rotate_session(engine: Engine, user_id: int) -> None:
    """End every session of the account (logout everywhere)."""
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user_id).values(session_token=secrets.token_hex(32)))


def verify(engine: Engine, username: str, password: str) -> Account | None:
    """Return the active account when the password matches; None otherwise, in the same time."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    ok = check_password_hash(row.password_hash if row else _DUMMY_HASH, password)
    return _account(row) if row and ok and row.active else None


def new_api_token(engine: Engine, username: str, actor: str = "cli") -> str:
    """Create a new API token for the account and return it (only its hash is kept)."""
    token = "wk_" + secrets.token_urlsafe(32)
    _change(engine, username, api_token_hash=hashlib.sha256(token.encode()).hexdigest())
    audit(engine, actor, "api_token_new", username)
    return token


def by_api_token(engine: Engine, token: str) -> Account | None:
    """Return the active account with API token `token`."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.api_token_hash == digest)).first()
    if row and row.active and hmac.compare_digest(row.api_token_hash, digest):
        return _account(row)
    return None


# --- throttling ---------------------------------------------------------------------------

def record_failure(engine: Engine, account: str, address: str) -> None:
    """Remember a failed login for the account name and for the client address."""
    at = now()
    with engine.begin() as conn:
        conn.execute(insert(login_failures), [
            {"kind": "account", "key": account[:120], "at": at},
            {"kind": "address", "key": address[:120], "at": at}])


def throttled(engine: Engine, account: str, address: str, limit: int = 5,
              window: dt.timedelta = dt.timedelta(minutes=15)) -> bool:
    """Tell whether the account name or the address has `limit` failures within `window`."""
    since = now() - window
    with engine.connect() as conn:
        for kind, key in (("account", account[:120]), ("address", address[:120])):
            n = conn.execute(select(func.count()).select_from(login_failures).where(
                login_failures.c.kind == kind, login_failures.c.key == key, login_failures.c.at >= since)).scalar()
            if n >= limit:
                return True
    return False


def clear_failures(engine: Engine, account: str) -> None:
    """Forget the failures of an account after a successful login."""
    with engine.begin() as conn:
        conn.execute(delete(login_failures).where(login_failures.c.kind == "account",
                                                  login_failures.c.key == account[:120]))
