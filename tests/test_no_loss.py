"""Updates never erase by omission: the yearly refresh, merging an export back, empty cells,
coordinates, BW figures; and the store's rules: stale checks, modes, full or read-only folders."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import stat

import pytest

from tests.conftest import DEMO
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.changes import blockers
from wmo_kaart.core.filestore import FileStore
from wmo_kaart.core.geocode import GeocoderChain
from wmo_kaart.core.importer.service import ImportOptions, run_bw_update, run_import
from wmo_kaart.core.store import StaleError, StoreError

KEPT = ("phone", "email", "website", "contact_name", "contact_email", "contact_phone", "contract_id", "contract_end",
        "bw_capacity", "bw_occupancy", "bw_updated", "specialisms", "target_groups", "wheelchair_accessible")


@pytest.fixture
def demo() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def write_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue().encode("utf-8")


def contract_export(collection: dict, rename: dict | None = None) -> bytes:
    """The yearly file of a contract system: no coordinates, no BW, no contact columns."""
    rename = rename or {}
    rows = [["Locatiecode", "Aanbiedercode", "Aanbieder", "Locatienaam", "Straat", "Huisnummer", "Huisletter",
             "Toevoeging", "Postcode", "Plaats", "Gemeente", "Zorgvorm"]]
    for f in collection["features"]:
        p = f["properties"]
        rows.append([p["id"], p["provider_id"], p["provider_name"], rename.get(p["id"], p["name"]), p["street"],
                     p["house_number"], p.get("house_letter", ""), p.get("house_addition", ""), p["postcode"], p["city"],
                     p["municipality_code"], ", ".join(p["care_types"])])
    return write_csv(rows)


def by_id(collection: dict) -> dict:
    return {f["properties"]["id"]: f for f in collection["features"]}


def test_yearly_refresh_without_bw_and_contact_columns_keeps_them(demo):
    outcome = run_import(contract_export(demo, {"LOC-0007": "Nieuwe naam"}), "jaarbestand.csv", default_catalog(),
                         GeocoderChain(), demo)
    assert outcome.report.errors == [] and outcome.collection is not None
    before, after = by_id(demo), by_id(outcome.collection)
    assert set(after) == set(before)
    assert sum(1 for f in before.values() if "bw_capacity" in f["properties"]) >= 40
    for fid, feature in before.items():
        for name in KEPT:
            assert after[fid]["properties"].get(name) == feature["properties"].get(name), (fid, name)
        assert after[fid]["geometry"] == feature["geometry"], "precise positions are not replaced by a town centre"
    assert after["LOC-0007"]["properties"]["name"] == "Nieuwe naam"
    change = outcome.report.change
    assert change["removed"] == [] and change["emptied"] == {} and change["moved"] == []
    assert [r["id"] for r in change["changed"]["name"]] == ["LOC-0007"] and set(change["changed"]) == {"name"}
    assert blockers(change, confirm=False, allow_shrink=False) == []


def test_merging_a_public_export_changes_nothing(client, demo):
    raw = client.get("/api/v1/export/csv").data
    outcome = run_import(raw, "export.csv", default_catalog(), GeocoderChain(), demo, options=ImportOptions(merge=True))
    assert outcome.report.errors == []
    change = outcome.report.change
    assert (change["added"], change["removed"], change["changed"], change["emptied"], change["moved"]) == ([], [], {}, {}, [])
    assert change["unchanged"] == 280
    assert outcome.collection["features"] == demo["features"]


def test_five_row_change_file_touches_only_its_cells(demo):
    rows = [["Locatiecode", "Telefoon"]] + [[f"LOC-{n:04d}", f"0412-99999{n}"] for n in range(1, 6)]
    outcome = run_import(write_csv(rows), "wijzigingen.csv", default_catalog(), GeocoderChain(), demo,
                         options=ImportOptions(merge=True))
    assert outcome.report.errors == []
    before, after = by_id(demo), by_id(outcome.collection)
    changed = {fid for fid in before if before[fid] != after[fid]}
    assert changed == {f"LOC-{n:04d}" for n in range(1, 6)}
    for fid in changed:
        diff = {k for k in after[fid]["properties"] if after[fid]["properties"][k] != before[fid]["properties"].get(k)}
        assert diff == {"phone"}


def test_empty_cell_keeps_the_stored_value_unless_clearing_is_chosen(demo):
    rows = [["Locatiecode", "Website", "Contactpersoon"], ["LOC-0001", "", "Nieuwe Contactpersoon"]]
    kept = run_import(write_csv(rows), "x.csv", default_catalog(), GeocoderChain(), demo, options=ImportOptions(merge=True))
    props = by_id(kept.collection)["LOC-0001"]["properties"]
    assert props["website"] == by_id(demo)["LOC-0001"]["properties"]["website"]
    assert props["contact_name"] == "Nieuwe Contactpersoon"
    cleared = run_import(write_csv(rows), "x.csv", default_catalog(), GeocoderChain(), demo,
                         options=ImportOptions(merge=True, clear_empty=True))
    assert "website" not in by_id(cleared.collection)["LOC-0001"]["properties"]
    assert [r["id"] for r in cleared.report.change["emptied"]["website"]] == ["LOC-0001"]
    assert blockers(cleared.report.change, confirm=False, allow_shrink=False), "emptying needs confirmation"
    assert blockers(cleared.report.change, confirm=True, allow_shrink=False) == []


def test_changed_address_is_geocoded_and_its_precision_named(demo):
    stored = by_id(demo)["LOC-0001"]["properties"]
    rows = [["Locatiecode", "Straat", "Huisnummer", "Postcode", "Plaats"], ["LOC-0001", "Andere straat", "1", "5341 AB", "Oss"]]
    outcome = run_import(write_csv(rows), "x.csv", default_catalog(), GeocoderChain(), demo, options=ImportOptions(merge=True))
    props = by_id(outcome.collection)["LOC-0001"]["properties"]
    assert props["street"] == "Andere straat" and props["position_precision"] == "town"
    assert outcome.report.precision == {"town": 1} and outcome.report.geocoded == 1
    assert stored["street"] != "Andere straat"


def test_replace_removes_unmentioned_locations_only_with_confirmation(demo):
    keep = copy.deepcopy(demo)
    keep["features"] = keep["features"][:250]
    outcome = run_import(contract_export(keep), "x.csv", default_catalog(), GeocoderChain(), demo)
    change = outcome.report.change
    assert len(change["removed"]) == 30 and change["after"] == 250
    reasons = blockers(change, confirm=False, allow_shrink=False, max_shrink=0.20)
    assert len(reasons) == 1 and "30 locatie(s)" in reasons[0]
    assert len(blockers(change, confirm=True, allow_shrink=False, max_shrink=0.05)) == 1, "more than 5 %: refused"
    assert blockers(change, confirm=True, allow_shrink=True, max_shrink=0.05) == []


def test_rejected_row_in_replace_with_partial_keeps_that_location(demo):
    raw = contract_export(demo).replace(b";5368 GC;", b";9999 XX;", 1)
    outcome = run_import(raw, "x.csv", default_catalog(), GeocoderChain(), demo, options=ImportOptions(partial=True))
    assert len(outcome.report.errors) == 1 and outcome.collection is not None
    assert set(by_id(outcome.collection)) == set(by_id(demo)), "a rejected row never removes its location"


BW_HEADER = ["Locatiecode", "Capaciteit", "Bezetting", "Peildatum"]


def _bw_target(demo, date_before: str | None = None) -> dict:
    return next(f["properties"] for f in demo["features"] if "15" in f["properties"]["care_types"]
                and f["properties"].get("bw_updated") and (date_before is None or f["properties"]["bw_updated"] < date_before))


@pytest.mark.parametrize(("rows", "flags", "column", "message"), [
    ([["{id}", "12", "11", "01-01-2020"]], {}, "Peildatum", "ouder dan de opgeslagen cijfers"),
    ([["{id}", "12", "11", "01-01-2030"]], {}, "Peildatum", "in de toekomst"),
    ([["LOC-NONBW", "12", "11", "20-11-2026"]], {}, "Locatiecode", "biedt geen beschermd wonen"),
    ([["{id}", "", "11", "20-11-2026"]], {}, "Capaciteit", "verplicht veld is leeg"),
])
def test_bw_update_refusals(demo, rows, flags, column, message):
    target = _bw_target(demo)
    other = next(f["properties"]["id"] for f in demo["features"] if "15" not in f["properties"]["care_types"])
    rows = [[c.replace("{id}", target["id"]).replace("LOC-NONBW", other) for c in r] for r in rows]
    outcome = run_bw_update(write_csv([BW_HEADER, *rows]), "bw.csv", default_catalog(), demo,
                            today=dt.date(2026, 11, 28), **flags)
    assert outcome.collection is None
    assert [(e.row, e.column) for e in outcome.report.errors] == [(2, column)]
    assert message in outcome.report.errors[0].message


def test_bw_update_flags_and_dutch_thousands(demo):
    target = _bw_target(demo)
    old = run_bw_update(write_csv([BW_HEADER, [target["id"], "1.000", "999", "01-01-2020"]]), "bw.csv", default_catalog(),
                        demo, today=dt.date(2026, 11, 28), allow_older=True)
    props = by_id(old.collection)[target["id"]]["properties"]
    assert (props["bw_capacity"], props["bw_occupancy"], props["bw_updated"]) == (1000, 999, "2020-01-01")
    future = run_bw_update(write_csv([BW_HEADER, [target["id"], "12", "11", "01-01-2030"]]), "bw.csv", default_catalog(),
                           demo, today=dt.date(2026, 11, 28), allow_future=True)
    assert future.collection is not None


def test_bw_update_partial_publishes_the_good_rows(demo):
    target = _bw_target(demo)
    rows = [BW_HEADER, [target["id"], "12", "11", "20-11-2026"], ["LOC-9999", "1", "1", "20-11-2026"]]
    strict = run_bw_update(write_csv(rows), "bw.csv", default_catalog(), demo, today=dt.date(2026, 11, 28))
    assert strict.collection is None
    partial = run_bw_update(write_csv(rows), "bw.csv", default_catalog(), demo, today=dt.date(2026, 11, 28), partial=True)
    assert by_id(partial.collection)[target["id"]]["properties"]["bw_capacity"] == 12


@pytest.fixture
def store(tmp_path):
    data = tmp_path / "data" / "providers.geojson"
    data.parent.mkdir()
    data.write_bytes(DEMO.read_bytes())
    return FileStore(data, tmp_path / "versions", default_catalog(), staging_dir=tmp_path / "staging")


def _some(store, n):
    collection, _ = store.collection()
    return {**collection, "features": collection["features"][:n]}


def test_a_check_against_an_older_version_cannot_be_published(store):
    base = store.live_version()
    store.publish(_some(store, 200), actor="a", source="a.csv", source_sha256="0" * 64, base=base)
    with pytest.raises(StaleError, match="gewijzigd sinds de controle"):
        store.publish(_some(store, 100), actor="b", source="b.csv", source_sha256="0" * 64, base=base)
    assert len(store.collection()[0]["features"]) == 200


def test_every_bw_change_from_any_path_is_in_the_history(store):
    collection, base = store.collection()
    target = next(f for f in collection["features"] if f["properties"].get("bw_capacity"))
    target["properties"]["bw_capacity"] += 5
    store.publish(collection, actor="anne", source="handmatig.geojson", source_sha256="0" * 64, base=base)
    store.rollback(base, actor="bert")
    rows = [r for r in store.bw_history(target["properties"]["id"]) if r.version > base]
    assert [(r.actor, r.source, r.capacity) for r in rows] == [
        ("anne", "handmatig.geojson", target["properties"]["bw_capacity"]),
        ("bert", f"v{base}", target["properties"]["bw_capacity"] - 5)]


def test_published_files_are_group_readable_and_staging_private(store):
    store.publish(_some(store, 10), actor="a", source="a.csv", source_sha256="0" * 64)
    assert stat.S_IMODE(os.stat(store.data_path).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(store.index).st_mode) == 0o644
    token = store.stage({"x": 1})
    assert stat.S_IMODE(os.stat(store.staging_dir / f"{token}.json").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.staging_dir).st_mode) == 0o700
    assert store.staged(token)["x"] == 1 and store.staged("../../etc/passwd") is None


def test_staged_changes_expire(tmp_path, store):
    short = FileStore(store.data_path, store.dir, default_catalog(), staging_dir=store.staging_dir, staging_hours=0)
    token = short.stage({"x": 1})
    assert short.staged(token) is None and not (store.staging_dir / f"{token}.json").exists()


def test_disk_full_gives_a_dutch_message_naming_the_folder(store, monkeypatch):
    from wmo_kaart.core import filestore

    before = store.data_path.read_bytes()
    versions = store.versions()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(filestore.tempfile, "mkstemp", full)
    with pytest.raises(StoreError) as info:
        store.publish(_some(store, 10), actor="a", source="a.csv", source_sha256="0" * 64)
    assert "De schijf is vol" in str(info.value) and str(store.dir) in str(info.value)
    assert store.data_path.read_bytes() == before and store.versions() == versions


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_gives_a_dutch_message(store):  # pragma: no cover - CI runs as root
    os.chmod(store.dir, 0o555)
    try:
        with pytest.raises(StoreError, match="Geen schrijfrechten"):
            store.publish(_some(store, 10), actor="a", source="a.csv", source_sha256="0" * 64)
    finally:
        os.chmod(store.dir, 0o755)


def test_read_only_folder_error_message():
    from wmo_kaart.core.filestore import folder_error

    message = str(folder_error(OSError(30, "Read-only file system"), "/srv/wmo/versions"))
    assert message.startswith("Geen schrijfrechten in de map /srv/wmo/versions")


def test_an_outside_edit_is_shown_as_the_next_version_and_recorded_at_the_next_write(store):
    collection, base = store.collection()
    store.publish(collection, actor="t", source="t", source_sha256="0", base=base)  # v1 (data before) and v2
    collection["features"] = collection["features"][:3]
    store.data_path.write_text(json.dumps(collection), encoding="utf-8")
    again = FileStore(store.data_path, store.dir, default_catalog())
    assert [(v.number, v.note, v.locations) for v in again.versions()][-1] == (3, "buiten de kaart om gewijzigd", 3)
    assert len(again.current()) == 3 and not (store.dir / "v00003.geojson").exists()  # shown, not written
    live, number = again.collection()
    again.publish(live, actor="t", source="t", source_sha256="0", base=number)
    assert [(v.number, v.actor) for v in again.versions()][-2:] == [(3, "systeem"), (4, "t")]
