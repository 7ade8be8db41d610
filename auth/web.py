"""Login, logout, password change, sessions, timeouts and CSRF for the Flask server."""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, request, session
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from . import users
from .db import make_engine
from .templates import login_fields, page, password_fields, tr

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()
DASH_POST = "/_dash-update-component"


class SessionUser(UserMixin):
    """The logged-in account; its id carries the session token that logout rotates."""

    def __init__(self, account: users.Account):
        self.account = account
        self.role = account.role
        self.username = account.username

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.session_token}"


def engine():
    return current_app.extensions["wmo_kaart_db"]


# Password hashing costs ~90 ms of CPU and memory; a few at a time per process, the rest wait or get 503.
HASHING = threading.BoundedSemaphore(4)


class Busy(Exception):
    """Too many password checks at once."""


def _verify(db, name: str, password: str):
    if not HASHING.acquire(timeout=10):
        raise Busy()
    try:
        return users.verify(db, name, password)
    finally:
        HASHING.release()


def _address() -> str:
    return request.remote_addr or "onbekend"


def safe_next(target: str | None) -> str | None:
    """Return `target` when it is a path on this site; None for anything else."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return None
    return target


def secret_key(instance: Path, configured: str | None) -> str:
    """Return the configured secret key, or one generated once and kept under `instance`."""
    if configured:
        return configured
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


@bp.route("/login", methods=["GET", "POST"])
def login():
    nxt = safe_next(request.values.get("next")) or "/pro"
    form = dict(fields=login_fields(), submit=tr("login_submit"), action="/login", next=nxt)
    if request.method == "GET":
        return page(tr("login_title"), csrf_token=generate_csrf(), **form)
    name = request.form.get("username", "").strip()[:80]
    password = request.form.get("password", "")
    db, address = engine(), _address()
    if not users.reserve_login(db, name, address):  # reserved before the hash: a burst gets no more tries
        users.audit(db, name or "?", "login_throttled", name, address=address)
        return page(tr("login_title"), csrf_token=generate_csrf(), status=429, message=tr("throttled"), **form)
    account = _verify(db, name, password)
    if account is None:
        users.audit(db, name or "?", "login_failed", name, address=address)
        return page(tr("login_title"), csrf_token=generate_csrf(), status=401, message=tr("failure"), **form)
    users.login_succeeded(db, name, address)
    session.clear()
    login_user(SessionUser(account))
    session.permanent = False  # the cookie ends with the browser; idle and absolute limits are checked here
    session["login_at"] = session["seen"] = time.time()
    users.audit(db, account.username, "login_ok", account.username, address=address)
    return redirect(nxt)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "GET":
        return page(tr("logout_title"), csrf_token=generate_csrf(),
                    notice=tr("logout_in") if current_user.is_authenticated else tr("logout_out"))
    if current_user.is_authenticated:
        users.rotate_session(engine(), current_user.account.id)
        users.audit(engine(), current_user.username, "logout", current_user.username, address=_address())
    logout_user()
    session.clear()
    return redirect("/")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = dict(fields=password_fields(), submit=tr("pw_title"), action="/account/password")
    if request.method == "GET":
        return page(tr("pw_title"), csrf_token=generate_csrf(), **form)
    db, name = engine(), current_user.username
    message = ""
    if not users.reserve(db, f"password:{name}", users.PASSWORD_CHANGE_LIMIT):
        users.audit(db, name, "password_throttled", name, address=_address())
        return page(tr("pw_title"), csrf_token=generate_csrf(), message=tr("throttled"), status=429, **form)
    if _verify(db, name, request.form.get("current_password", "")) is None:
        users.audit(db, name, "password_change_failed", name, "huidig wachtwoord onjuist", address=_address())
        message = tr("pw_wrong")
    elif request.form.get("new_password") != request.form.get("repeat_password"):
        message = tr("pw_mismatch")
    else:
        try:
            account = users.set_password(db, name, request.form["new_password"], actor=name)
        except users.UserError as exc:
            message = tr("pw_refused", reason=exc)
        else:  # every other session ended; this one continues with the new token
            users.reset(db, f"password:{name}")
            login_user(SessionUser(account))
            return page(tr("pw_title"), notice=tr("pw_done"))
    return page(tr("pw_title"), csrf_token=generate_csrf(), message=message, status=400, **form)


def _enforce_timeouts() -> None:
    if not current_user.is_authenticated:
        return
    settings = current_app.extensions["wmo_kaart"].settings
    now = time.time()
    idle = now - session.get("seen", 0) > settings.session_idle_minutes * 60
    expired = now - session.get("login_at", 0) > settings.session_max_hours * 3600
    if idle or expired:
        users.audit(engine(), current_user.username, "session_timeout", current_user.username,
                    "inactief" if idle else "maximale duur")
        logout_user()
        session.clear()
    else:
        session["seen"] = now


SIGNED_FORM = "/melding"  # web/feedback.py checks its own token for visitors without a session
NO_FORMS = ("/api/v1/", "/ogc/", "/hsds/")  # read-only APIs: a POST there is answered 405, not with a form error


def _csrf_check() -> None:
    """Every form post needs a token; Dash callbacks only when a session is at stake."""
    if request.method != "POST" or request.path.startswith(NO_FORMS):
        return
    if request.path == SIGNED_FORM and not current_user.is_authenticated:
        return  # a resident's error report carries a signed form token instead of a session (no cookie)
    if request.path != DASH_POST or current_user.is_authenticated:
        csrf.protect()


def init_app(server: Flask, dash_app=None) -> None:
    """Wire accounts, sessions and CSRF into `server`."""
    settings = server.extensions["wmo_kaart"].settings
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.instance_path, 0o700)  # secret key, accounts database, versions and staging: ours only
    server.extensions["wmo_kaart_db"] = make_engine(settings.db_url)
    if settings.db_url.startswith("sqlite:///") and os.path.exists(settings.db_url[len("sqlite:///"):]):
        os.chmod(settings.db_url[len("sqlite:///"):], 0o600)
    server.config.update(
        SECRET_KEY=secret_key(settings.instance_path, settings.secret_key),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure, SESSION_COOKIE_NAME="wmo_kaart_session",
        PERMANENT_SESSION_LIFETIME=settings.session_max_hours * 3600,
        REMEMBER_COOKIE_DURATION=0, WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,
    )
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = None
    manager.init_app(server)

    @manager.user_loader
    def _load(user_id: str):
        uid, _, token = user_id.partition(":")
        account = users.get_by_id(server.extensions["wmo_kaart_db"], int(uid)) if uid.isdigit() else None
        if account and account.active and token and hmac.compare_digest(account.session_token, token):
            return SessionUser(account)
        return None

    csrf.init_app(server)
    server.register_blueprint(bp)
    server.before_request(_enforce_timeouts)
    server.before_request(_csrf_check)

    @server.after_request
    def _csrf_cookie(response):
        # Dash sends this cookie's value as X-CSRFToken with every callback; only sessions need it.
        if current_user.is_authenticated:
            response.set_cookie("_csrf_token", generate_csrf(), secure=settings.cookie_secure,
                                samesite="Strict", httponly=False)
        return response

    @server.errorhandler(Busy)
    def _busy(exc):
        return page(tr("login_title"), status=503, message=tr("throttled"))

    @server.errorhandler(CSRFError)
    def _csrf_error(exc):
        return page(tr("csrf_title"), status=400, message=tr("csrf"))
