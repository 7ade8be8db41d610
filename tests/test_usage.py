"""Usage figures without tracking: the vocabulary, the table on SQLite and PostgreSQL, folding after the
retention, counts from several processes at once, what pages and callbacks count, the usage page per
role, and the privacy promises (no cookie on any public route, nothing personal in the stored counts)."""

from __future__ import annotations

import datetime as dt
import html
import json
import multiprocessing
import re
from collections import Counter
from dataclasses import replace

import pytest

from tests import dash_client
from tests.conftest import BW_ROLES, PRO_ROLES
from wmo_kaart.core import usage
from wmo_kaart.core.usage import UsageTable

USAGE_ROLES = ("bestuurder", "beleidsadviseur", "beheerder")
ALL_ROLES = ("anonymous", *PRO_ROLES, *BW_ROLES)


# the vocabulary ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("distance, in_region, expected", [
    (0, True, "within_5km"), (5000, True, "within_5km"), (5001, True, "within_10km"), (10000, True, "within_10km"),
    (14999.9, True, "within_15km"), (15000, True, "within_15km"), (15001, True, "beyond_15km"),
    (None, True, "none"), (100, False, "outside_region"), (None, False, "outside_region"),
])
def test_search_result_bands(distance, in_region, expected):
    assert usage.search_result(distance, in_region) == expected


@pytest.mark.parametrize("typed, kind", [("5341 AB", "postcode"), ("5341ab", "postcode"), ("5341", "postcode"),
                                         ("Oss", "place"), ("'s-Hertogenbosch", "place"), ("51.76, 5.52", "point"),
                                         ("53", "postcode")])
def test_search_kind(typed, kind):
    assert usage.search_kind(typed) == kind


@pytest.mark.parametrize("referer, key", [
    ("https://www.oss.nl/wonen/zorg?postcode=5341AB", "www.oss.nl"),  # path and query never reach the key
    ("https://WWW.OSS.NL/", "www.oss.nl"),
    ("http://www.oss.nl/", "overig"),  # another origin (scheme) than the configured one
    ("https://www.tilburg.nl:8443/x", "overig"),
    ("https://kaart.example.nl/embed/code", "eigen site"),
    ("", "onbekend"), ("niet-een-adres", "overig"),
])
def test_embed_host_only_names_configured_sites(referer, key):
    assert usage.embed_host(referer, "kaart.example.nl", ["https://www.oss.nl", "https://www.tilburg.nl"]) == key


def test_postcode_area_of_a_point_and_of_a_typed_postcode():
    from shapely.geometry import shape

    from wmo_kaart.core.demand import BUNDLED

    features = json.loads(BUNDLED.read_text(encoding="utf-8"))["features"]
    for feature in features[::25]:
        inside = shape(feature["geometry"]).representative_point()
        assert usage.pc4_at(inside.y, inside.x) == feature["properties"]["postcode"]
    assert usage.pc4_at(53.2, 6.56) is None  # Groningen: no area of ours
    origin = type("O", (), {"lat": 53.2, "lon": 6.56})()
    events = usage.search_events("postcode", "9712 CP", origin, 40_000, False, ["07"])
    assert events == [("search", "postcode|outside_region"), ("search_area", "9712")]


def test_a_miss_is_counted_per_area_and_care_type():
    origin = type("O", (), {"lat": 0.0, "lon": 0.0})()
    assert usage.search_events("postcode", "5341 AB", origin, 20_000, True, ["07", "04"]) == [
        ("search", "postcode|beyond_15km"), ("search_area", "5341"), ("miss", "5341|07"), ("miss", "5341|04")]
    assert usage.search_events("postcode", "5341", origin, None, True, []) == [
        ("search", "postcode|none"), ("search_area", "5341"), ("miss", "5341|alle")]
    assert usage.search_events("postcode", "5341", origin, 3_000, True, ["07"]) == [
        ("search", "postcode|within_5km"), ("search_area", "5341")]


def test_only_newly_chosen_filter_values_count():
    before = {"zorgvorm": ["07"], "gemeente": []}
    after = {"zorgvorm": ["07", "02"], "gemeente": ["GM0828"], "doelgroep": []}
    assert sorted(usage.filter_events(before, after)) == [("filter", "gemeente|GM0828"), ("filter", "zorgvorm|02")]
    assert usage.filter_events(after, after) == []


def test_unknown_events_are_a_bug_and_keys_are_bounded(tmp_path):
    tally = usage.Tally(UsageTable.sqlite(tmp_path / "u.sqlite"), every=0)
    with pytest.raises(KeyError):
        tally.count("visitor_ip", "203.0.113.1")
    tally.count("page", "x" * 500 + "\nmore")
    (row,) = tally.table.rows()
    assert len(row.key) == usage.KEY_MAX and "\n" not in row.key


# the table: SQLite beside the file store, PostgreSQL in the PostGIS store --------------------------------
@pytest.fixture(scope="module")
def usage_database(postgres_url):
    """A PostgreSQL database of these tests' own (the store's database keeps its migrated table)."""
    from bench._postgres import create_database

    url, drop = create_database(postgres_url, "wmo_kaart_usage_test")
    yield url
    drop()


def _fresh_pg_table(url: str) -> UsageTable:
    from sqlalchemy import text

    table = UsageTable(_pg_engine(url))
    with table.engine.begin() as conn:
        conn.execute(text("DELETE FROM usage_counts"))
    return table


@pytest.fixture(params=["sqlite", "postgresql"])
def table(request, tmp_path):
    if request.param == "sqlite":
        return UsageTable.sqlite(tmp_path / "usage.sqlite")
    return _fresh_pg_table(request.getfixturevalue("usage_database"))


def _days(n: int, end: dt.date) -> dict[tuple[str, str, str], int]:
    """n days of counts up to `end`, written by hand: 1..7 searches a day, two keys."""
    counts = {}
    for i in range(n):
        day = (end - dt.timedelta(days=i)).isoformat()
        counts[(day, "search", "postcode|within_5km")] = 1 + i % 7
        counts[(day, "page", "/embed")] = 2
    return counts


def test_add_adds_up_and_reads_by_period(table):
    table.add({("2026-11-01", "page", "/"): 2, ("2026-11-02", "page", "/"): 3})
    table.add({("2026-11-01", "page", "/"): 5, ("2026-11-01", "page", "/embed"): 0})
    assert [(r.period, r.key, r.n) for r in table.rows()] == [("2026-11-01", "/", 7), ("2026-11-02", "/", 3)]
    assert [r.n for r in table.rows("2026-11-02", "2026-11-30")] == [3]


def test_after_500_days_old_days_are_months_and_totals_are_unchanged(table):
    today = dt.date(2026, 11, 28)
    written = _days(500, today)
    table.add(written)
    cutoff = usage.retention_cutoff(today, 400)
    assert cutoff == dt.date(2025, 10, 24)
    folded = table.fold(cutoff)
    assert folded == 2 * 99  # 2025-07-17 .. 2025-10-23: 15 + 31 + 30 + 23 days, two keys each
    rows = table.rows()
    assert all(r.period >= cutoff.isoformat() for r in rows if r.is_day)
    months = {r.period for r in rows if not r.is_day}
    assert months == {"2025-07", "2025-08", "2025-09", "2025-10"}  # 2025-07-17 .. 2025-10-23
    by_key_before, by_key_after = Counter(), Counter()
    for (_p, e, k), n in written.items():
        by_key_before[(e, k)] += n
    for r in rows:
        by_key_after[(r.event, r.key)] += r.n
    assert by_key_after == by_key_before
    # per month too: what the test wrote for August 2025, added up by the test itself
    august = sum(n for (p, e, _k), n in written.items() if p.startswith("2025-08") and e == "search")
    assert [r.n for r in rows if r.period == "2025-08" and r.event == "search"] == [august]
    assert table.fold(cutoff) == 0  # folding again changes nothing


def test_a_tally_over_500_simulated_days_folds_as_it_goes(tmp_path, monkeypatch):
    table = UsageTable.sqlite(tmp_path / "usage.sqlite")
    tally = usage.Tally(table, every=0, keep_days=400)
    start = dt.date(2025, 1, 1)
    for i in range(500):
        monkeypatch.setenv("WMO_KAART_TODAY", (start + dt.timedelta(days=i)).isoformat())
        tally.count("search", "place|within_5km")
        tally.count("page", "/embed")
    rows = table.rows()
    assert sum(r.n for r in rows if r.event == "search") == 500
    assert sum(r.n for r in rows if r.event == "page") == 500
    last = start + dt.timedelta(days=499)
    assert min(r.period for r in rows if r.is_day) == usage.retention_cutoff(last, 400).isoformat()
    assert [r.period for r in rows if not r.is_day and r.event == "page"] == ["2025-01", "2025-02", "2025-03",
                                                                             "2025-04"]


def _count_in_process(kind: str, where: str, n: int) -> None:
    table = UsageTable.sqlite(where) if kind == "sqlite" else UsageTable(_pg_engine(where), create=False)
    tally = usage.Tally(table, every=0)
    for _ in range(n):
        tally.count("api", "/api/v1/nearest|anonymous")
    tally.flush()


def _fold_in_process(kind: str, where: str) -> None:
    table = UsageTable.sqlite(where) if kind == "sqlite" else UsageTable(_pg_engine(where), create=False)
    table.fold(dt.date(2026, 11, 1))


def _pg_engine(url: str):
    from sqlalchemy import create_engine

    from wmo_kaart.core.pgstore import engine_url

    return create_engine(engine_url(url))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_counts_from_several_processes_at_once_add_up(kind, tmp_path, request):
    if kind == "sqlite":
        where = str(tmp_path / "usage.sqlite")
        UsageTable.sqlite(where)
    else:
        where = request.getfixturevalue("usage_database")
        _fresh_pg_table(where)
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_count_in_process, args=(kind, where, 150)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    table = UsageTable.sqlite(where) if kind == "sqlite" else UsageTable(_pg_engine(where), create=False)
    assert sum(r.n for r in table.rows()) == 600
    # and two processes folding the same days at once do not count them twice
    table.add({(f"2026-10-{d:02d}", "page", "/"): d for d in range(1, 32)})
    folders = [spawn.Process(target=_fold_in_process, args=(kind, where)) for _ in range(3)]
    for f in folders:
        f.start()
    for f in folders:
        f.join(120)
    assert [f.exitcode for f in folders] == [0, 0, 0]
    october = [r for r in table.rows() if r.event == "page"]
    assert [(r.period, r.n) for r in october] == [("2026-10", sum(range(1, 32)))]


# the stores -----------------------------------------------------------------------------------------------
def test_the_postgis_store_keeps_counts_in_its_own_database(postgres_url, settings):
    from wmo_kaart.config import open_store

    store = open_store(replace(settings, store_url=postgres_url))
    store.usage.add({("2026-11-28", "feedback", "melding"): 2})
    again = open_store(replace(settings, store_url=postgres_url))
    assert [(r.event, r.n) for r in again.usage.rows("2026-11-28") if r.event == "feedback"] == [("feedback", 2)]


# what the web app counts --------------------------------------------------------------------------------
def _counts(app) -> Counter:
    app.extensions["wmo_kaart_usage"].flush()
    found = Counter()
    for r in app.extensions["wmo_kaart"].store.usage.rows():
        found[(r.event, r.key)] += r.n
    return found


def _embed(client, **values):
    """Send the embed's search form as a resident does (`applied`: the state the page showed before)."""
    from urllib.parse import urlencode

    before = values.get("applied") or {}
    was = urlencode([(k, v) for k in ("zorgvorm", "gemeente", "doelgroep") for v in before.get(k, [])]
                    + ([("q", before["q"])] if before.get("q") else []))
    query = ([("zoek", "1"), ("was", was), ("q", values.get("q", ""))] + [("zorgvorm", v) for v in values.get("care", [])]
             + [("gemeente", v) for v in values.get("gemeente", [])] + [("doelgroep", v) for v in values.get("doelgroep", [])])
    response = client.get("/embed?" + urlencode(query))
    assert response.status_code == 200
    return response


def _text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))


def _first_km(answer) -> float:
    text = _text(answer)
    km = re.search(r"Afstand: ([0-9]+(?:,[0-9]+)?) (km|m)", text)
    value = float(km.group(1).replace(",", "."))
    return value if km.group(2) == "km" else value / 1000


def test_an_embed_search_counts_its_kind_result_area_and_new_filters_once(app, client):
    answer = _embed(client, q="5341 AB", care=["07"])
    km = _first_km(answer)
    band = "within_5km" if km <= 5 else "within_10km" if km <= 10 else "within_15km" if km <= 15 else "beyond_15km"
    counts = _counts(app)
    assert counts[("search", f"postcode|{band}")] == 1
    assert counts[("search_area", "5341")] == 1
    assert counts[("filter", "zorgvorm|07")] == 1
    # the same search redrawn (a new map size, a filter) is not a new search; only the new filter counts
    applied = {"q": "5341 AB", "zorgvorm": ["07"], "gemeente": [], "doelgroep": []}
    _embed(client, q="5341 AB", care=["07", "02"], applied=applied)
    counts = _counts(app)
    assert counts[("search", f"postcode|{band}")] == 1
    assert counts[("filter", "zorgvorm|07")] == 1 and counts[("filter", "zorgvorm|02")] == 1


def test_a_search_that_finds_nothing_is_a_miss_for_its_area_and_care_type(app, client):
    # short stay (04) limited to Boekel, searched from Tilburg: Hart van Brabant contracts nothing in Boekel
    answer = _embed(client, q="5038", care=["04"], gemeente=["GM0755"])
    assert "Afstand:" not in _text(answer)
    counts = _counts(app)
    assert counts[("search", "postcode|none")] == 1
    assert counts[("miss", "5038|04")] == 1


def test_name_and_unknown_searches_keep_no_text(app, client):
    _embed(client, q="Zonnehoeve")
    _embed(client, q="9999 ZZ")
    counts = _counts(app)
    assert counts[("search", "name|found")] == 1
    assert counts[("search", "postcode|not_found")] + counts[("search", "postcode|outside_region")] == 1
    assert not any("Zonnehoeve" in k or "9999" in k for _e, k in counts)


def test_pages_embeds_downloads_handouts_api_and_reports_are_counted(settings, make_user, auth):
    from wmo_kaart.web import create_app

    app = create_app(replace(settings, embed_allowed_origins="https://www.oss.nl"))
    client = app.test_client()
    client.get("/embed", headers={"Referer": "https://www.oss.nl/zorg/kaart?wie=ik"})
    client.get("/embed", headers={"Referer": "https://elders.example/"})
    client.get("/")
    client.get("/handout?ids=LOC-0001")
    client.get("/api/v1/export/csv")
    client.get("/api/v1/locations?gemeente=GM0828")
    client.get("/api/v1/locations?limit=x")  # an error is not a use
    client.get("/ogc/collections", headers={"Accept": "application/json"})
    client.get("/", headers={"X-Wmo-Kaart-Warm": "1"})  # the worker's own warm-up
    counts = _counts(app)
    assert counts[("page", "/embed")] == 2 and counts[("page", "/")] == 1
    assert counts[("embed_host", "www.oss.nl")] == 1 and counts[("embed_host", "overig")] == 1
    assert counts[("handout", "publiek")] == 1
    assert counts[("export", "csv")] == 1
    assert counts[("api", "/api/v1/locations|anonymous")] == 1
    assert counts[("api", "/ogc/collections|anonymous")] == 1


def test_embed_details_and_shortlist_are_counted(app, client):
    response = client.get("/embed?info=LOC-0001")
    assert response.status_code == 200 and "Meld een fout" in _text(response)
    client.get("/embed?bewaard=LOC-0001&op=LOC-0001")
    counts = _counts(app)
    assert counts[("details", "embed")] == 1 and counts[("shortlist", "embed")] == 1
    for forged in ("/embed?info=../../etc", "/embed?op=LOC-0001", "/embed?bewaard=NOPE&op=NOPE"):
        assert client.get(forged).status_code == 200
    counts = _counts(app)
    assert counts[("details", "embed")] == 1 and counts[("shortlist", "embed")] == 1
    # a part of the page fetched by the page itself (assets/embed-page.js) is no new visit
    visits = counts[("page", "/embed")]
    client.get("/embed?info=LOC-0002", headers={"X-Wmo-Kaart-Part": "1"})
    assert _counts(app)[("page", "/embed")] == visits and _counts(app)[("details", "embed")] == 2


# the usage page per role ----------------------------------------------------------------------------------
PAGES = ("/beheer/gebruik", "/beheer/gebruik/rapport", "/beheer/gebruik.csv", "/beheer/gebruik.xlsx",
         "/beheer/actualiteit.csv", "/beheer/actualiteit.xlsx")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_x_usage_pages(role, make_user, auth):
    if role != "anonymous":
        assert auth.login(make_user(role)).status_code == 302
    for path in PAGES:
        response = auth.client.get(path)
        if role == "anonymous":
            assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/beheer/")
        elif role in USAGE_ROLES:
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, (role, path)


def test_the_usage_page_shows_the_counts_and_names_a_bad_period(app, make_user, auth):
    client = auth.client
    _embed(client, q="5038", care=["04"], gemeente=["GM0755"])
    client.get("/embed")
    assert auth.login(make_user("beheerder")).status_code == 302
    page = client.get("/beheer/gebruik").get_data(as_text=True)
    assert re.search(r"<th scope=\"row\">5038</th><td>[^<]*Tilburg[^<]*</td><td>Kortdurend verblijf</td><td>1</td>", page)
    assert re.search(r"<th scope=\"row\">/embed</th><td>2</td>", page), "the search sent without JavaScript is a visit too"
    bad = client.get("/beheer/gebruik?van=2026-13-01")
    assert bad.status_code == 400 and "van: '2026-13-01' is geen datum" in html.unescape(bad.get_data(as_text=True))
    csv_text = client.get("/beheer/gebruik.csv").data.decode("utf-8-sig")
    assert "Periode;Gebeurtenis;Code;Sleutel;Aantal" in csv_text and "miss;5038|04;1" in csv_text


def test_freshness_lists_locations_unchecked_for_a_year(app, make_user, auth):
    from wmo_kaart.core.catalog import default_catalog
    from wmo_kaart.core.dataset import load_geojson
    from tests.conftest import DEMO, TODAY

    frame = load_geojson(DEMO, default_catalog()).frame
    ended = [not (isinstance(e, str) and e and e < TODAY.isoformat()) for e in frame["contract_end"]]
    # written out here: a location is stale when it was never checked or checked more than 365 days ago
    stale = {i for i, c in frame["last_checked"].items()
             if not isinstance(c, str) or (TODAY - dt.date.fromisoformat(c[:10])).days > 365}
    assert auth.login(make_user("beleidsadviseur")).status_code == 302
    sheet = auth.client.get("/beheer/actualiteit.csv").data.decode("utf-8-sig").splitlines()
    listed = {line.split(";")[3] for line in sheet[1:]}
    assert listed == stale and len(ended) == len(frame)


# privacy: no cookie on any public route, nothing personal in the counts --------------------------------------
def _public_get_routes(app) -> list[str]:
    private = ("/beheer", "/account", "/login", "/logout", "/contracten", "/dekking", "/pro")
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith(private):
            paths.append(rule.rule)
    return sorted(set(paths))


def test_no_public_route_sets_a_cookie_and_counts_hold_nothing_personal(app):
    client = app.test_client()
    who = {"User-Agent": "Unieke-Browser/9.9 (Testapparaat)", "Referer": "https://www.oss.nl/pad?postcode=5341AB"}
    address = {"REMOTE_ADDR": "203.0.113.77"}
    paths = _public_get_routes(app) + ["/embed", "/melding?locatie=LOC-0001", "/handout?ids=LOC-0001&q=5341%20AB",
                                       "/api/v1/nearest?q=5341%20AB", "/ogc/collections/locaties/items?limit=2",
                                       "/hsds/services?minimal=true", "/data/actueel/wmo-kaart-locaties.csv"]
    assert len(paths) > 20
    for path in paths:
        response = client.get(path, headers=who, environ_base=address)
        assert response.status_code < 500, path
        assert not response.headers.getlist("Set-Cookie"), path
    # a resident's error report: the form and its post set no cookie either
    page = client.get("/melding?locatie=LOC-0001", headers=who, environ_base=address).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = client.post("/melding", data={"locatie": "LOC-0001", "bericht": "Het telefoonnummer klopt niet meer.",
                                         "contact": "", "csrf_token": token}, headers=who, environ_base=address)
    assert sent.status_code == 200 and not sent.headers.getlist("Set-Cookie")
    # every Dash callback as a resident calls it, and the embed's search
    deps = dash_client.dependencies(client)
    for dep in deps:
        response = dash_client.post(client, dep, {("map-q", "value"): "5341 AB"}, headers=who)
        assert not response.headers.getlist("Set-Cookie"), dep["output"]
    searched = client.get("/embed?zoek=1&q=5341+AB", headers=who, environ_base=address)
    assert searched.status_code == 200 and not searched.headers.getlist("Set-Cookie")
    _embed(client, q="Sterrenlaan Zonnedorp")
    counts = _counts(app)
    assert counts[("feedback", "melding")] == 1
    stored = json.dumps([[r.period, r.event, r.key, r.n] for r in app.extensions["wmo_kaart"].store.usage.rows()])
    for personal in ("203.0.113.77", "Unieke-Browser", "Testapparaat", "5341AB", "5341 AB", "Sterrenlaan", "pad?",
                     "postcode=", "Het telefoonnummer"):
        assert personal not in stored, personal
    raw = (app.extensions["wmo_kaart"].settings.versions_dir / "usage.sqlite").read_bytes()
    for personal in (b"203.0.113.77", b"Unieke-Browser", b"5341 AB", b"Sterrenlaan"):
        assert personal not in raw


def test_a_resident_form_token_is_bound_to_its_location_and_expires(app):
    client = app.test_client()
    page = client.get("/melding?locatie=LOC-0001").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    other = client.post("/melding", data={"locatie": "LOC-0002", "bericht": "Het adres klopt niet meer.",
                                          "csrf_token": token})
    assert other.status_code == 400 and "verlopen" in other.get_data(as_text=True)
    none = client.post("/melding", data={"locatie": "LOC-0001", "bericht": "Het adres klopt niet meer."})
    assert none.status_code == 400


def test_handling_a_report_forgets_the_contact(db):
    from auth import reports

    report_id = reports.add(db, "LOC-0001", "Het adres klopt niet meer.", "jan@example.nl")
    reports.mark(db, report_id, "handled", "beheerder")
    (report,) = [r for r in reports.listed(db) if r.id == report_id]
    assert report.contact is None and report.message == "Het adres klopt niet meer."


def test_the_privacy_statement_names_every_counted_event(client):
    for lang, index in (("nl", 0), ("en", 1)):
        page = client.get(f"/privacy?lang={lang}").get_data(as_text=True)
        for labels in usage.EVENTS.values():
            assert f"<li>{labels[index]}</li>" in page
        assert "400" in page


@pytest.mark.parametrize("role", ["wmo_consulent", "beleidsadviseur"])
def test_misses_on_the_coverage_map_only_for_roles_with_usage_figures(role, app, make_user, auth):
    _embed(auth.client, q="5038", care=["04"], gemeente=["GM0755"])
    assert auth.login(make_user(role)).status_code == 302
    deps = dash_client.dependencies(auth.client)
    dep = dash_client.find(deps, "cov-misses-points.data")
    values = {("cov-care", "value"): "07", ("cov-drempels", "value"): "", ("cov-misses", "value"): ["1"],
              ("cov-lang", "data"): "nl", ("cov-sort", "value"): "name"}
    response = dash_client.post(auth.client, dep, values, headers=auth.csrf_header())
    assert response.status_code == 200
    squares = response.get_json()["response"]["cov-misses-points"]["data"]["features"]
    traces = [f["properties"]["title"] for f in squares]
    gaps = dash_client.text_of(response.get_json()["response"]["cov-gaps"]["children"])
    if role == "beleidsadviseur":
        assert traces == ["5038: 1 zoekopdracht(en) zonder passende locatie binnen 15 km"]
        assert "5038: 1 zoekopdracht(en)" in gaps
    else:  # the forged choice draws nothing: the counts are read only for roles with `usage`
        assert traces == [] and "zoekopdracht" not in gaps


def test_open_reports_appear_beside_freshness(app, db, make_user, auth):
    from auth import reports

    reports.add(db, "LOC-0002", "Deze locatie is verhuisd.", None)
    reports.add(db, "LOC-0002", "Het telefoonnummer klopt niet.", None)
    handled = reports.add(db, "LOC-0003", "Oud bericht.", None)
    reports.mark(db, handled, "handled", "beheerder")
    assert auth.login(make_user("bestuurder")).status_code == 302
    page = auth.client.get("/beheer/gebruik/rapport").get_data(as_text=True)
    name = app.extensions["wmo_kaart"].store.current().frame.at["LOC-0002", "name"]
    assert f"Open meldingen van fouten: <strong>2</strong>, bij 1 locatie(s): {html.escape(name)} (2)." in page


def test_the_production_access_log_names_no_person():
    from wmo_kaart.cli.server import ACCESS_LOG_FORMAT

    # gunicorn's atoms: %(h)s address, %(a)s user agent, %(f)s referer, %(r)s/%(q)s request line and query
    for atom in ("%(h)s", "%(a)s", "%(f)s", "%(r)s", "%(q)s", "%(u)s", "%({"):
        assert atom not in ACCESS_LOG_FORMAT
    assert "%(U)s" in ACCESS_LOG_FORMAT and "%(s)s" in ACCESS_LOG_FORMAT


@pytest.mark.parametrize("backend", ["file", "postgis"])
def test_counts_from_several_gunicorn_workers_add_up_and_a_stopping_worker_writes_its_own(backend, tmp_path, request):
    """The real server, three workers, counts held 60 s in memory: 90 concurrent API calls and 30 embed
    views, then a graceful stop; every worker writes what it counted on its way out."""
    from concurrent.futures import ThreadPoolExecutor

    from bench._server import Served, get
    from wmo_kaart.config import from_env, open_store

    env = {"WMO_KAART_USAGE_FLUSH_SECONDS": "60", "WMO_KAART_RATE_API": "100000 per minute"}
    if backend == "postgis":
        from bench._postgres import create_database

        url, drop = create_database(request.getfixturevalue("postgres_url"), "wmo_kaart_usage_srv")
        request.addfinalizer(drop)
        env["WMO_KAART_STORE"] = url
    server = Served(tmp_path / "instance", env, workers=3).start()
    try:
        server.wait_ready()
        paths = ["/api/v1/meta"] * 90 + ["/embed"] * 30
        with ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(lambda p: get(server.url + p)[0], paths))
        assert statuses == [200] * 120
    finally:
        log = server.stop()
    assert "Traceback" not in log
    settings = from_env({**env, "WMO_KAART_INSTANCE": str(tmp_path / "instance")})
    rows = open_store(settings).usage.rows()
    counted = Counter()
    for r in rows:
        counted[(r.event, r.key)] += r.n
    assert counted[("api", "/api/v1/meta|anonymous")] == 90
    assert counted[("page", "/embed")] == 30
    assert counted[("page", "/")] == 0  # the workers' own warm-up is not a visit
