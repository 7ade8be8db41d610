"""Fuzzing every route and every Dash callback with hypothesis: whatever arrives, no 5xx and no leak.

The forged-request harness in test_security posts chosen values; here hypothesis invents them: odd path
segments and query strings for every GET route, and any JSON for every input and state of every callback,
as an anonymous visitor (nothing professional or BW may come back) and as a contract manager (nothing BW)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests import dash_client
from tests.conftest import AuthActions
from tests.test_security import SECRET, _leaks, secret_app  # noqa: F401 - the fixture

# the secret values themselves (field names are in documents such as the OpenAPI schema; values never are)
BW_VALUES = [str(v) for k, v in SECRET.items() if k.startswith("bw_")]
PRO_VALUES = [str(v) for k, v in SECRET.items() if not k.startswith("bw_")]

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False)
                    | TEXT, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=3),
                    max_leaves=8)
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _get_rules(app) -> list[str]:
    return sorted({r.rule for r in app.url_map.iter_rules() if "GET" in r.methods and not r.rule.startswith("/static")})


def _segment(kind: str | None, draw) -> str:
    if kind == "int":
        return str(draw(st.integers(0, 10**7)))
    return quote(draw(TEXT.filter(lambda t: t not in ("", ".", ".."))), safe="")


@pytest.mark.parametrize("role", ["anonymous", "contractmanager"])
def test_every_route_answers_anything_without_5xx_or_leak(secret_app, role):  # noqa: F811
    from auth import users

    client = secret_app.test_client()
    if role != "anonymous":
        users.add_user(secret_app.extensions["wmo_kaart_db"], "u", role, "correct-horse-battery-staple")
        AuthActions(client).login("u", "correct-horse-battery-staple")
    forbidden = BW_VALUES + (PRO_VALUES if role == "anonymous" else [])
    rules = _get_rules(secret_app)
    assert len(rules) > 20

    @FUZZ
    @given(data=st.data())
    def check(data):
        rule = data.draw(st.sampled_from(rules))
        path = CONVERTER.sub(lambda m: _segment(m.group(1), data.draw), rule)
        query = data.draw(st.dictionaries(st.sampled_from(["q", "van", "zorgvorm", "gemeente", "limit", "offset", "bbox",
                                                           "ids", "lang", "f", "datetime", "doelgroep", "x"]), TEXT,
                                          max_size=4))
        response = client.get(path + ("?" + urlencode(query) if query else ""))
        assert response.status_code < 500, (path, query)
        if response.mimetype in ("text/html", "text/plain", "text/csv", "application/json", "application/geo+json"):  # not code
            assert _leaks(response.get_data(as_text=True), forbidden) == [], (path, query)

    check()


@pytest.mark.parametrize("role", ["anonymous", "contractmanager"])
def test_every_callback_answers_any_json_without_5xx_or_leak(secret_app, role):  # noqa: F811
    from auth import users

    client = secret_app.test_client()
    auth = AuthActions(client)
    if role != "anonymous":
        users.add_user(secret_app.extensions["wmo_kaart_db"], "u", role, "correct-horse-battery-staple")
        auth.login("u", "correct-horse-battery-staple")
    forbidden = BW_VALUES + (PRO_VALUES if role == "anonymous" else [])
    deps = dash_client.dependencies(client)

    @FUZZ
    @given(data=st.data())
    def check(data):
        dep = data.draw(st.sampled_from(deps))
        values = {}
        for spec in dep["inputs"] + dep["state"]:
            key = (spec["id"], spec["property"])
            if spec["id"].startswith("{"):  # a pattern: a few matched components with ids of any kind
                pattern = key[0]
                import json

                values[(json.loads(pattern).get("type"), spec["property"])] = data.draw(
                    st.lists(st.tuples(TEXT, JSON), max_size=3))
            else:
                values[key] = data.draw(JSON)
        response = dash_client.post(client, dep, values, headers=auth.csrf_header())
        assert response.status_code < 500, (dep["output"], values)
        text = dash_client.text(response) if response.is_json else response.get_data(as_text=True)
        assert _leaks(text, forbidden) == [], (dep["output"], values)

    check()
