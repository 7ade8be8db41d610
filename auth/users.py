"""Accounts: create, list, change role, disable, check passwords. No Flask in here."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from wmo_kaart.core.access import ANONYMOUS, ROLES

from .db import audit_log, login_budget, now, users

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
# An attempt is reserved atomically *before* the password is hashed, so a concurrent burst cannot
# get more evaluations than the budget. Budgets: per account and address together (a guesser from
# one address cannot lock the account for its owner elsewhere) and per address over all accounts.

PAIR_LIMIT = 5
ADDRESS_LIMIT = 30
PASSWORD_CHANGE_LIMIT = 5
WINDOW = dt.timedelta(minutes=15)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def reserve(engine: Engine, key: str, limit: int, window: dt.timedelta = WINDOW) -> bool:
    """Take one attempt from the budget `key` (`limit` per `window`); False when it is spent."""
    key = key[:300]
    for _ in range(20):
        at = now()
        with engine.begin() as conn:
            row = conn.execute(select(login_budget).where(login_budget.c.key == key)).first()
            if row is None:
                try:
                    with conn.begin_nested():
                        conn.execute(insert(login_budget).values(key=key, used=1, window_start=at, version=1))
                    return True
                except IntegrityError:
                    continue
            fresh = at - _as_utc(row.window_start) > window
            used = 0 if fresh else row.used
            if used >= limit:
                return False
            done = conn.execute(update(login_budget).where(login_budget.c.key == key, login_budget.c.version == row.version)
                                .values(used=used + 1, window_start=at if fresh else row.window_start,
                                        version=row.version + 1)).rowcount
            if done == 1:
                return True
    return False


def reset(engine: Engine, key: str) -> None:
    """Give the budget `key` back in full (after a successful login)."""
    with engine.begin() as conn:
        conn.execute(delete(login_budget).where(login_budget.c.key == key[:300]))


def reserve_login(engine: Engine, account: str, address: str) -> bool:
    """Reserve a login attempt for this account from this address; False when either budget is spent."""
    return reserve(engine, f"address:{address}", ADDRESS_LIMIT) and reserve(engine, f"pair:{account}|{address}", PAIR_LIMIT)


def login_succeeded(engine: Engine, account: str, address: str) -> None:
    """Forget the attempts of this account from this address."""
    reset(engine, f"pair:{account}|{address}")
