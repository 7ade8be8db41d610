"""Login, logout, throttling, redirects, cookies, timeouts and session ending, per request."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from auth import users
from auth.db import audit_log
from auth.web import safe_next
from tests.conftest import PASSWORD, AuthActions, csrf_from


def _audit(db) -> list[tuple]:
    with db.connect() as conn:
        return [(r.actor, r.action, r.target) for r in conn.execute(select(audit_log).order_by(audit_log.c.id))]


def test_login_page_is_a_plain_form_with_csrf(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html and 'name="csrf_token"' in html
    assert "<script" not in html


def test_login_without_csrf_token_is_refused(client, make_user):
    name = make_user("contractmanager")
    response = client.post("/login", data={"username": name, "password": PASSWORD})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_login_success_redirects_to_pro_and_is_audited(auth, make_user, db):
    name = make_user("contractmanager")
    response = auth.login(name)
    assert response.status_code == 302 and response.headers["Location"] == "/pro"
    assert auth.client.get("/pro").status_code == 200
    assert (name, "login_ok", name) in _audit(db)


def test_unknown_user_and_wrong_password_get_the_same_answer(auth, make_user, db):
    name = make_user("contractmanager")
    wrong = auth.login(name, "wrong-password-123")
    unknown = auth.login("nobody-at-all", "wrong-password-123")
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda r: r.get_data(as_text=True).split('name="csrf_token"')[0]  # noqa: E731
    assert strip(wrong) == strip(unknown)
    assert (name, "login_failed", name) in _audit(db)


def test_five_attempts_per_account_and_address_then_429(auth, make_user):
    name = make_user("contractmanager")
    for i in range(5):
        assert auth.login(name, f"wrong-password-{i:03d}", address="10.1.1.1").status_code == 401
    response = auth.login(name, PASSWORD, address="10.1.1.1")
    assert response.status_code == 429, "even the right password waits once throttled"
    assert auth.login(name, PASSWORD, address="10.1.1.2").status_code == 302, "the owner elsewhere is not locked out"


def test_one_address_spraying_many_accounts_is_stopped(auth, make_user):
    name = make_user("contractmanager")
    for i in range(30):
        auth.login(f"guess-{i}", "wrong-password-123", address="10.2.2.2")
    assert auth.login(name, PASSWORD, address="10.2.2.2").status_code == 429
    assert auth.login(name, PASSWORD, address="10.2.2.3").status_code == 302


def test_a_concurrent_burst_is_evaluated_at_most_the_limit(app, make_user, db):
    """30 wrong passwords at once for one account: the attempt is reserved before hashing."""
    import threading

    from auth.users import PAIR_LIMIT

    name = make_user("contractmanager")
    clients = [AuthActions(app.test_client()) for _ in range(30)]
    tokens = [csrf_from(c.client.get("/login").get_data(as_text=True)) for c in clients]
    codes, barrier = [], threading.Barrier(30)

    def attempt(client, token, i):
        barrier.wait()
        response = client.client.post("/login", data={"username": name, "password": f"wrong-{i:04d}-password",
                                                      "csrf_token": token}, environ_base={"REMOTE_ADDR": "10.3.3.3"})
        codes.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(c, t, i)) for i, (c, t) in enumerate(zip(clients, tokens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    evaluated = [a for a in _audit(db) if a[1] == "login_failed" and a[0] == name]
    assert len(evaluated) <= PAIR_LIMIT and codes.count(401) == len(evaluated)
    assert codes.count(429) == 30 - len(evaluated)


def test_password_change_is_throttled_and_audited(auth, make_user, db):
    name = make_user("contractmanager")
    auth.login(name)
    page = auth.client.get("/account/password").get_data(as_text=True)
    for i in range(5):
        response = auth.client.post("/account/password", data={"csrf_token": csrf_from(page), "current_password": f"guess-{i}",
                                                                "new_password": "x" * 14, "repeat_password": "x" * 14})
        assert response.status_code == 400
    response = auth.client.post("/account/password", data={"csrf_token": csrf_from(page), "current_password": PASSWORD,
                                                            "new_password": "x" * 14, "repeat_password": "x" * 14})
    assert response.status_code == 429
    actions = [a[1] for a in _audit(db) if a[0] == name]
    assert actions.count("password_change_failed") == 5 and "password_throttled" in actions


def test_session_cookie_ends_with_the_browser(auth, make_user):
    response = auth.login(make_user("contractmanager"))
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("wmo_kaart_session="))
    assert "Expires" not in cookie and "Max-Age" not in cookie


@pytest.mark.parametrize(("target", "expected"), [
    ("/pro", "/pro"), ("/pro?x=1", "/pro?x=1"), ("/", "/"),
    ("https://evil.example/", None), ("//evil.example/", None), ("/\\evil.example", None),
    ("http:/evil.example", None), ("javascript:alert(1)", None), ("pro", None), ("", None),
    (None, None), ("/pro\r\nLocation: x", None),
])
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_next_redirects_only_to_our_own_paths(auth, make_user):
    name = make_user("contractmanager")
    assert auth.login(name, next="https://evil.example/").headers["Location"] == "/pro"


def test_session_cookie_flags(settings, make_user):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    app = create_app(replace(settings, cookie_secure=True))
    from auth import users as u

    u.add_user(app.extensions["wmo_kaart_db"], "anne", "contractmanager", PASSWORD)
    response = AuthActions(app.test_client()).login("anne")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("wmo_kaart_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert not any(h.startswith("remember_token") for h in response.headers.getlist("Set-Cookie"))


def test_cookie_secure_can_be_switched_off(auth, make_user):
    response = auth.login(make_user("contractmanager"))
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("wmo_kaart_session="))
    assert "Secure" not in cookie


def test_cookie_replayed_after_logout_no_longer_works(app, auth, make_user):
    auth.login(make_user("contractmanager"))
    copied = auth.client.get_cookie("wmo_kaart_session").value
    assert auth.logout().status_code == 302
    thief = app.test_client()
    thief.set_cookie("wmo_kaart_session", copied)
    assert thief.get("/pro").status_code == 302


def test_password_change_ends_other_sessions(app, auth, make_user, db):
    name = make_user("contractmanager")
    other = AuthActions(app.test_client())
    other.login(name)
    auth.login(name)
    from tests.conftest import csrf_from

    token = csrf_from(auth.client.get("/account/password").get_data(as_text=True))
    response = auth.client.post("/account/password", data={
        "csrf_token": token, "current_password": PASSWORD,
        "new_password": "a-brand-new-password", "repeat_password": "a-brand-new-password"})
    assert "gewijzigd" in response.get_data(as_text=True)
    assert auth.client.get("/pro").status_code == 200, "this session continues"
    assert other.client.get("/pro").status_code == 302, "the other session ended"
    assert (name, "password_change", name) in _audit(db)


@pytest.mark.parametrize("change", [
    lambda db, name: users.disable(db, name),
    lambda db, name: users.set_role(db, name, "bestuurder"),
])
def test_disabling_or_role_change_ends_sessions(auth, make_user, db, change):
    name = make_user("contractmanager")
    auth.login(name)
    assert auth.client.get("/pro").status_code == 200
    change(db, name)
    assert auth.client.get("/pro").status_code == 302


@pytest.mark.parametrize(("key", "age"), [("seen", 31 * 60), ("login_at", 10 * 3600 + 1)])
def test_idle_and_absolute_timeouts(auth, make_user, db, key, age):
    name = make_user("contractmanager")
    auth.login(name)
    with auth.client.session_transaction() as sess:
        sess[key] = time.time() - age
    assert auth.client.get("/pro").status_code == 302
    assert (name, "session_timeout", name) in _audit(db)


def test_secret_key_is_generated_once_and_kept(settings):
    from wmo_kaart.web import create_app

    first = create_app(settings).secret_key
    assert first and create_app(settings).secret_key == first
    assert (settings.instance_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment(settings):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    assert create_app(replace(settings, secret_key="from-env-0123456789")).secret_key == "from-env-0123456789"


def test_login_in_english(auth, make_user):
    html = auth.client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in for professionals" in html and 'name="lang" value="en"' in html
    token = csrf_from(html)
    response = auth.client.post("/login", data={"username": "nobody", "password": "wrong-password-1",
                                                "csrf_token": token, "lang": "en"})
    assert "User name or password incorrect." in response.get_data(as_text=True)
