"""The admin screens: only for the data manager; upload, report, publish, discard, rollback,
accounts; file checks by content and size."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html import unescape
from urllib.parse import unquote
from dataclasses import replace

import pytest

from tests.conftest import BW_ROLES, DEMO, PRO_ROLES, csrf_from
from tests.test_import import BASE, csv_bytes


@pytest.fixture
def admin_app(settings, tmp_path):
    from wmo_kaart.web import create_app

    data = tmp_path / "providers.geojson"
    data.write_bytes(DEMO.read_bytes())
    return create_app(replace(settings, data_path=data, max_upload_mb=1))


@pytest.fixture
def admin(admin_app):
    from auth import users
    from tests.conftest import PASSWORD, AuthActions

    users.add_user(admin_app.extensions["wmo_kaart_db"], "beheer", "beheerder", PASSWORD)
    actions = AuthActions(admin_app.test_client())
    actions.login("beheer")
    return actions


def _token(client, path="/beheer") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


@pytest.mark.parametrize("role", ["anonymous", *PRO_ROLES, *BW_ROLES])
def test_only_the_data_manager_gets_in(admin_app, role):
    from auth import users
    from tests.conftest import PASSWORD, AuthActions

    actions = AuthActions(admin_app.test_client())
    if role != "anonymous":
        users.add_user(admin_app.extensions["wmo_kaart_db"], "u", role, PASSWORD)
        actions.login("u")
    # for the data manager: the overview, the download, the live version is not offered (back to /beheer),
    # a check that does not exist is 404
    manager = {"/beheer": 200, "/beheer/download": 200, "/beheer/rollback/1": 302, f"/beheer/staging/{'0' * 32}": 404}
    for path, expected in manager.items():
        response = actions.client.get(path)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == (expected if role == "beheerder" else 403), (role, path)
    token = csrf_from(actions.client.get("/login").get_data(as_text=True)) if role != "beheerder" else _token(actions.client)
    posted = actions.client.post("/beheer/rollback/1", data={"csrf_token": token})
    if role == "anonymous":
        assert posted.status_code == 302 and "/login" in posted.headers["Location"]
    else:  # a valid CSRF token: the role check is what refuses
        assert posted.status_code == (302 if role == "beheerder" else 403), role


def wait_for_check(client, location: str, seconds: float = 30) -> str:
    """Poll the staging page until the background check is done; return the report page."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        page = client.get(location).get_data(as_text=True)
        if "wordt gecontroleerd" not in page or time.monotonic() > deadline:
            return page
        time.sleep(0.05)


def _upload(admin, data: bytes, name: str, mode: str = "replace", **flags):
    client = admin.client
    response = client.post("/beheer/upload", data={"csrf_token": _token(client), "mode": mode, **flags,
                                                   "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    if response.status_code == 302 and "/staging/" in response.headers["Location"]:
        wait_for_check(client, response.headers["Location"])
    return response


def test_upload_report_then_publish(admin, admin_app):
    response = _upload(admin, csv_bytes([BASE, BASE | {"Locatiecode": "A2"}]), "nieuw.csv", mode="merge")
    assert response.status_code == 302
    page = admin.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>2</strong> rijen geaccepteerd" in page and "Publiceren" in page
    data_path = admin_app.extensions["wmo_kaart"].settings.data_path
    assert len(json.loads(data_path.read_text())["features"]) == 280, "nothing published before the button"
    token = re.search(r"/beheer/staging/([0-9a-f]{32})/publish", page).group(1)
    done = admin.client.post(f"/beheer/staging/{token}/publish", data={"csrf_token": csrf_from(page)})
    assert "Gepubliceerd als versie 2" in unquote(done.headers["Location"])
    assert len(json.loads(data_path.read_text())["features"]) == 282
    overview = admin.client.get("/beheer").get_data(as_text=True)
    assert "nieuw.csv" in overview and "gegevens vóór de eerste publicatie" in overview


def test_rejected_rows_cannot_be_published_and_can_be_discarded(admin):
    response = _upload(admin, csv_bytes([BASE, BASE | {"Locatiecode": "A2", "Postcode": "99"}]), "fout.csv")
    page = unescape(admin.client.get(response.headers["Location"]).get_data(as_text=True))
    assert "'99' is geen geldige postcode" in page and "kan zo niet worden gepubliceerd" in page
    assert "/publish" not in page
    token = re.search(r"/beheer/staging/([0-9a-f]{32})/discard", page).group(1)
    assert admin.client.post(f"/beheer/staging/{token}/discard", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert admin.client.get(f"/beheer/staging/{token}").status_code == 404


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "stiekem.csv", "geen CSV-, XLSX-, ODS- of XLS-bestand"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "oud.xlsx", "Het XLS-bestand kan niet worden gelezen"),
])
def test_file_type_is_checked_by_content(admin, data, name, message):
    response = _upload(admin, data, name)
    assert message in admin.client.get(response.headers["Location"]).get_data(as_text=True)


def test_zip_bomb_and_oversize_upload_are_refused(admin):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (150 * 1024 * 1024))
    response = _upload(admin, out.getvalue(), "bom.xlsx")
    assert "te groot" in admin.client.get(response.headers["Location"]).get_data(as_text=True)
    assert _upload(admin, b"a;b\n" * 400_000, "groot.csv").status_code == 413


def test_upload_without_csrf_is_refused(admin):
    response = admin.client.post("/beheer/upload", data={"mode": "replace", "file": (io.BytesIO(b"x"), "x.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 400


def test_accounts_and_rollback_from_the_screens(admin, admin_app):
    from auth import users

    db = admin_app.extensions["wmo_kaart_db"]
    client = admin.client
    client.post("/beheer/users/add", data={"csrf_token": _token(client), "username": "nieuw",
                                           "role": "wmo_consulent", "password": "een-lang-wachtwoord"})
    assert users.get_by_username(db, "nieuw").role == "wmo_consulent"
    client.post("/beheer/users/nieuw/role", data={"csrf_token": _token(client), "role": "bw_consulent"})
    assert users.get_by_username(db, "nieuw").role == "bw_consulent"
    client.post("/beheer/users/nieuw/disable", data={"csrf_token": _token(client)})
    assert not users.get_by_username(db, "nieuw").active
    own = client.post("/beheer/users/beheer/disable", data={"csrf_token": _token(client)})
    assert "eigen rol of account" in unquote(own.headers["Location"]) and users.get_by_username(db, "beheer").active
    bad = client.post("/beheer/users/add", data={"csrf_token": _token(client), "username": "x", "role": "god",
                                                 "password": "een-lang-wachtwoord"})
    assert "onbekende rol" in unquote(bad.headers["Location"])
    data_path = admin_app.extensions["wmo_kaart"].settings.data_path
    original = data_path.read_bytes()
    response = _upload(admin, csv_bytes([BASE]), "een.csv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    token = re.search(r"/beheer/staging/([0-9a-f]{32})/publish", page).group(1)
    client.post(f"/beheer/staging/{token}/publish", data={"csrf_token": csrf_from(page), "confirm": "1", "allow_shrink": "1"})
    assert data_path.read_bytes() != original
    client.post("/beheer/rollback/1", data={"csrf_token": _token(client)})
    assert json.loads(data_path.read_bytes())["features"] == json.loads(original)["features"]
    download = client.get("/beheer/download")
    assert download.status_code == 200 and download.data == data_path.read_bytes()


def test_forged_upload_mode_is_refused_politely(admin):
    response = _upload(admin, csv_bytes([BASE]), "x.csv", mode="verzonnen")
    assert response.status_code == 302 and "Kies vervangen" in unquote(response.headers["Location"])


def test_hand_mapping_on_the_report_page_rechecks_and_is_remembered(admin, admin_app):
    rows = [{"Locatiecode": "LOC-0001", "Tel algemeen balie": "0412-111111"}]
    response = _upload(admin, csv_bytes(rows), "eigen.csv", mode="merge")
    page = unescape(wait_for_check(admin.client, response.headers["Location"]))
    assert "Tel algemeen balie" in page and "niet gebruikt" in page
    token = re.search(r"/beheer/staging/([0-9a-f]{32})/map", page).group(1)
    again = admin.client.post(f"/beheer/staging/{token}/map", data={"csrf_token": csrf_from(page),
                                                                   "kolom:Tel algemeen balie": "phone"})
    page = unescape(wait_for_check(admin.client, again.headers["Location"]))
    assert "Kolom 'Tel algemeen balie'" in page and "1 gewijzigd" in page
    assert admin_app.extensions["wmo_kaart"].store.column_mappings() == {"tel algemeen balie": "phone"}


def test_overview_shows_the_live_version_and_local_times(admin):
    page = admin.client.get("/beheer").get_data(as_text=True)
    assert "versie 1</strong>" in page and "(live)" in page
    assert re.search(r"<td>\d\d-\d\d-20\d\d \d\d:\d\d</td>", page), "times as dd-mm-jjjj uu:mm"


def test_publishing_over_a_newer_version_asks_to_check_again(admin, admin_app):
    first = _upload(admin, csv_bytes([BASE]), "een.csv", mode="merge")
    page = admin.client.get(first.headers["Location"]).get_data(as_text=True)
    store = admin_app.extensions["wmo_kaart"].store
    collection, base = store.collection()
    store.publish(collection, actor="ander", source="tussendoor.csv", source_sha256="0" * 64, base=base)
    token = re.search(r"/beheer/staging/([0-9a-f]{32})/publish", page).group(1)
    done = admin.client.post(f"/beheer/staging/{token}/publish", data={"csrf_token": csrf_from(page)})
    assert "gewijzigd sinds de controle" in unquote(done.headers["Location"])
    assert store.live_version() == base + 1


def test_cli_and_web_publish_the_same_upload_the_same_way(admin, admin_app, tmp_path, monkeypatch):
    """One workflow (core.publishing): the same file, merged on the command line into one copy of the demo
    and on /beheer into another, gives the same data, the same version and the same audit record."""
    from sqlalchemy import select

    from auth.db import audit_log, make_engine
    from wmo_kaart.cli import main
    from wmo_kaart.config import from_env

    upload = csv_bytes([BASE, BASE | {"Locatiecode": "LOC-0001", "Locatienaam": "Bijgewerkt"}])
    src = tmp_path / "beide.csv"
    src.write_bytes(upload)
    cli_data = tmp_path / "cli" / "providers.geojson"
    cli_data.parent.mkdir()
    cli_data.write_bytes(DEMO.read_bytes())
    monkeypatch.setenv("WMO_KAART_DATA", str(cli_data))
    monkeypatch.setenv("WMO_KAART_INSTANCE", str(tmp_path / "cli" / "instance"))
    monkeypatch.setenv("LOGNAME", "beheer")  # the command line's user: the same name as the web account
    assert main(["import", str(src), "--merge"]) == 0

    response = _upload(admin, upload, "beide.csv", mode="merge")
    page = admin.client.get(response.headers["Location"]).get_data(as_text=True)
    token = re.search(r"/beheer/staging/([0-9a-f]{32})/publish", page).group(1)
    admin.client.post(f"/beheer/staging/{token}/publish", data={"csrf_token": csrf_from(page)})

    web_data = admin_app.extensions["wmo_kaart"].settings.data_path
    assert json.loads(web_data.read_text())["features"] == json.loads(cli_data.read_text())["features"]
    web_store, cli_store = admin_app.extensions["wmo_kaart"].store, __import__("wmo_kaart.config").config.open_store(from_env())
    strip = lambda v: (v.number, v.actor, v.source, v.note, v.locations, v.base)  # noqa: E731
    assert strip(web_store.versions()[-1]) == strip(cli_store.versions()[-1]) == (
        2, "beheer", "beide.csv", "samenvoegen", 281, 1)  # the data differs only in its publication time stamps

    def published(engine):
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(audit_log.c.actor, audit_log.c.action, audit_log.c.target,
                                                          audit_log.c.detail).where(audit_log.c.action == "publish"))]
    cli_engine = make_engine(from_env().db_url)
    assert published(admin_app.extensions["wmo_kaart_db"]) == published(cli_engine) == [("beheer", "publish", "v2", "beide.csv")]


def test_progress_does_not_stage_the_upload_again(admin_app, tmp_path):
    """A check of 2,000 rows reports its progress in steps of 5 %; only its outcome carries the upload."""
    import base64

    from wmo_kaart.core.geocode import GeocoderChain
    from wmo_kaart.web import admin_import

    store = admin_app.extensions["wmo_kaart"].store
    staged = []

    class Recording:
        def __getattr__(self, name):
            return getattr(store, name)

        def stage(self, payload, token=None):
            staged.append(payload)
            return store.stage(payload, token)

    raw = csv_bytes([BASE | {"Locatiecode": f"P{i}"} for i in range(2000)])
    job = {"source": "groot.csv", "mode": "merge", "raw": base64.b64encode(raw).decode(), "actor": "beheer",
           "partial": False, "clear_empty": False, "allow_older": False, "allow_future": False}
    admin_import._check(Recording(), store.catalog, GeocoderChain(), "a" * 32, job)
    progress = [p for p in staged if p["state"] == "running"]
    assert len(progress) >= 10 and all("raw" not in p for p in progress)
    assert [p["state"] for p in staged if "raw" in p] == ["done"]


def test_a_contract_export_on_beheer_accounts_for_every_row_and_asks(admin, admin_app, monkeypatch):
    """The contract administration's export through /beheer: counts that add up, ignored columns with their
    numbers (never a Python method), the ended sub-agreements, and a question answered and remembered."""
    from pathlib import Path

    monkeypatch.setenv("WMO_KAART_TODAY", "2026-11-28")
    here = Path(__file__).parent / "fixtures" / "contract_export"
    response = _upload(admin, (here / "contractadministratie_2027.xlsx").read_bytes(), "contract.xlsx", mode="merge",
                       partial="1")
    page = unescape(admin.client.get(response.headers["Location"]).get_data(as_text=True))
    assert "8 rijen = 5 locatie(s) + 2 samengevoegd + 1 afgewezen" in page
    assert "built-in method" not in page and "(8 waarden)" in page  # 'Productomschrijving', not used
    assert "DO-2025-0103 (perceel 3)" in page and "onbekend product '99Z99'" in page
    token = re.search(r"/beheer/staging/([0-9a-f]{32})/publish", page).group(1)
    admin.client.post(f"/beheer/staging/{token}/publish", data={"csrf_token": csrf_from(page)})
    # next year: De Linde Berghem moved; the page asks, the answer is remembered
    monkeypatch.setenv("WMO_KAART_TODAY", "2027-11-28")
    response = _upload(admin, (here / "contractadministratie_2028.csv").read_bytes(), "contract.csv", mode="merge")
    page = unescape(admin.client.get(response.headers["Location"]).get_data(as_text=True))
    assert "is dit dezelfde locatie?" in page and "zelfde aanbieder en naam, ander adres" in page
    question = re.search(r'name="vraag:(V-[0-9A-F]{10})" value="(V-[0-9A-F]{10})"', page)
    token = re.search(r"/beheer/staging/([0-9a-f]{32})/answer", page).group(1)
    again = admin.client.post(f"/beheer/staging/{token}/answer", data={
        "csrf_token": csrf_from(page), f"vraag:{question.group(1)}": question.group(2)})
    wait_for_check(admin.client, again.headers["Location"])
    page = unescape(admin.client.get(again.headers["Location"]).get_data(as_text=True))
    assert "is dit dezelfde locatie?" not in page
    assert admin_app.extensions["wmo_kaart"].store.column_mappings()["§zelfde:" + question.group(1)] == question.group(2)


def test_an_unreadable_file_gets_no_advice_to_publish_good_rows(admin):
    response = _upload(admin, b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "plaatje.csv")
    page = unescape(admin.client.get(response.headers["Location"]).get_data(as_text=True))
    assert "kon niet worden gelezen" in page and "goede rijen toch publiceren" not in page


def test_a_no_change_import_publishes_nothing(admin, admin_app):
    data_path = admin_app.extensions["wmo_kaart"].settings.data_path
    response = _upload(admin, data_path.read_bytes(), "zelfde.geojson", mode="merge")
    page = unescape(admin.client.get(response.headers["Location"]).get_data(as_text=True))
    assert "verandert niets aan de gepubliceerde gegevens" in page and "/publish" not in page


def test_an_unexpected_failure_ends_the_check_with_a_dutch_message(admin, monkeypatch, caplog):
    from wmo_kaart.core import publishing

    def broken(*_args, **_kwargs):
        raise RuntimeError("kapot")
    monkeypatch.setattr(publishing, "check", broken)
    response = _upload(admin, csv_bytes([BASE]), "x.csv")
    page = unescape(admin.client.get(response.headers["Location"]).get_data(as_text=True))
    assert "De controle is mislukt: de controle stopte onverwacht" in page and "Traceback" not in page
    assert 'http-equiv="refresh"' not in page  # the page no longer waits
    assert any("onverwacht gestopt" in r.getMessage() for r in caplog.records)
