"""Accounts on a real database: SQLite by default, PostgreSQL as in production."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from auth import users
from auth.db import audit_log, make_engine
from tests.conftest import PASSWORD


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'accounts.sqlite'}")
    else:
        url = request.getfixturevalue("postgres_url")
        eng = make_engine(url)
        from auth.db import metadata

        metadata.drop_all(eng)
        metadata.create_all(eng)
    yield eng
    eng.dispose()


def test_add_verify_and_hash(engine):
    account = users.add_user(engine, "anne", "bw_consulent", PASSWORD)
    assert account.role == "bw_consulent" and account.active
    assert users.verify(engine, "anne", PASSWORD) == account
    assert users.verify(engine, "anne", PASSWORD + "x") is None
    assert users.verify(engine, "nobody", PASSWORD) is None
    with engine.connect() as conn:
        stored = conn.execute(select(users.users.c.password_hash)).scalar()
    assert stored.startswith("scrypt:") and PASSWORD not in stored


@pytest.mark.parametrize(("name", "role", "password", "message"), [
    ("anne", "god", PASSWORD, "onbekende rol 'god'"),
    ("anne", "anonymous", PASSWORD, "onbekende rol 'anonymous'"),
    ("anne", "contractmanager", "short-11ch!", "minstens 12 tekens"),
    ("", "contractmanager", PASSWORD, "gebruikersnaam is leeg"),
])
def test_add_refuses(engine, name, role, password, message):
    with pytest.raises(users.UserError, match=message):
        users.add_user(engine, name, role, password)


def test_duplicate_name_refused(engine):
    users.add_user(engine, "anne", "contractmanager", PASSWORD)
    with pytest.raises(users.UserError, match="bestaat al"):
        users.add_user(engine, "anne", "bestuurder", PASSWORD)


def test_role_change_and_disable_rotate_the_session_token(engine):
    first = users.add_user(engine, "anne", "contractmanager", PASSWORD)
    second = users.set_role(engine, "anne", "bw_consulent")
    assert second.role == "bw_consulent" and second.session_token != first.session_token
    third = users.disable(engine, "anne")
    assert not third.active and third.session_token != second.session_token
    assert users.verify(engine, "anne", PASSWORD) is None
    with pytest.raises(users.UserError, match="bestaat niet"):
        users.disable(engine, "nobody")


def test_attempt_budgets_per_pair_and_per_address(engine):
    for _ in range(users.PAIR_LIMIT):
        assert users.reserve_login(engine, "anne", "10.0.0.1")
    assert not users.reserve_login(engine, "anne", "10.0.0.1"), "the pair's budget is spent"
    assert users.reserve_login(engine, "anne", "10.0.0.2"), "another address is not locked out"
    users.login_succeeded(engine, "anne", "10.0.0.1")
    assert users.reserve_login(engine, "anne", "10.0.0.1"), "a successful login gives the budget back"
    for i in range(users.ADDRESS_LIMIT):
        users.reserve_login(engine, f"name-{i}", "10.9.9.9")
    assert not users.reserve_login(engine, "someone-else", "10.9.9.9"), "one address spraying many accounts"


def test_a_spent_budget_comes_back_after_the_window(engine):
    import datetime as dt

    for _ in range(3):
        assert users.reserve(engine, "x", 3, dt.timedelta(minutes=15))
    assert not users.reserve(engine, "x", 3, dt.timedelta(minutes=15))
    assert users.reserve(engine, "x", 3, dt.timedelta(seconds=0)), "an expired window starts afresh"


def test_audit_log_never_holds_passwords(engine):
    users.add_user(engine, "anne", "contractmanager", PASSWORD)
    users.set_password(engine, "anne", PASSWORD + "-new", actor="anne")
    with engine.connect() as conn:
        rows = [tuple(str(v) for v in r) for r in conn.execute(select(audit_log))]
    assert [r[3] for r in rows] == ["user_add", "password_change"]
    assert not any(PASSWORD in v for r in rows for v in r)


def test_api_token_is_stored_hashed(engine):
    users.add_user(engine, "anne", "contractmanager", PASSWORD)
    token = users.new_api_token(engine, "anne")
    assert users.by_api_token(engine, token).username == "anne"
    assert users.by_api_token(engine, token + "x") is None
    with engine.connect() as conn:
        assert token not in str(conn.execute(select(users.users.c.api_token_hash)).scalar())


def test_processes_starting_together_create_the_accounts_tables_once(tmp_path):
    """Workers and commands that start together on a fresh instance all get their accounts database (two
    creating the tables at once failed with 'table already exists')."""
    import subprocess
    import sys

    child = "import sys\nfrom auth.db import make_engine\nmake_engine('sqlite:///' + sys.argv[1])\n"
    for trial in range(8):
        db = tmp_path / f"a{trial}.db"
        procs = [subprocess.Popen([sys.executable, "-c", child, str(db)], stderr=subprocess.PIPE, text=True) for _ in range(4)]
        results = [(p.wait(60), p.stderr.read()[-800:]) for p in procs]
        assert [code for code, _ in results] == [0] * 4, [err for code, err in results if code]
