"""The command line: validate, serve (refusing invalid data) and demo-data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests import dash_client
from wmo_kaart.cli import main


def test_validate_valid_file(capsys, write_geojson, feature):
    assert main(["validate", str(write_geojson([feature]))]) == 0
    assert "Geldig: 1 locaties" in capsys.readouterr().out


def test_validate_invalid_file_lists_every_problem(capsys, write_geojson, feature):
    feature["properties"]["postcode"] = "12"
    feature["properties"]["bw_occupancy"] = 99
    assert main(["validate", str(write_geojson([feature]))]) == 1
    out = capsys.readouterr().out
    assert "feature 0, id 'T-1', veld 'postcode': ongeldige postcode '12'" in out
    assert "veld 'bw_occupancy': bezetting (99) is hoger dan de capaciteit (10)" in out
    assert "Ongeldig: 2 probleem/problemen" in out


def test_serve_refuses_invalid_data(capsys, monkeypatch, write_geojson, feature, tmp_path):
    feature["properties"]["municipality_code"] = "GM9999"
    monkeypatch.setenv("WMO_KAART_DATA", str(write_geojson([feature])))
    monkeypatch.setenv("WMO_KAART_INSTANCE", str(tmp_path / "instance"))
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "De app start niet" in err and "onbekende gemeentecode 'GM9999'" in err


def test_demo_data_command_is_reproducible(tmp_path):
    out = tmp_path / "demo.geojson"
    assert main(["demo-data", "--out", str(out), "--datum", "2026-11-01"]) == 0
    from tests.conftest import DEMO

    assert json.loads(out.read_text()) == json.loads(DEMO.read_text())
    assert main(["demo-data", "--out", str(out), "--datum", "1-11-2026"]) == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_serves_the_configured_file(write_geojson, feature, tmp_path):
    """`WMO_KAART_DATA=<file> wmo-kaart serve` serves that file (a real process and port)."""
    path = write_geojson([feature])
    port = _free_port()
    env = {**os.environ, "WMO_KAART_DATA": str(path), "WMO_KAART_INSTANCE": str(tmp_path / "inst")}
    proc = subprocess.Popen([sys.executable, "-m", "wmo_kaart.cli", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                deps = json.load(urllib.request.urlopen(base + "/_dash-dependencies", timeout=2))
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(proc.stdout.read1().decode())

        class Client:  # the tiny part of a test client that dash_client needs
            def post(self, url, json=None, headers=None):
                req = urllib.request.Request(base + url, data=__import__("json").dumps(json).encode(),
                                             headers={"Content-Type": "application/json"})
                body = urllib.request.urlopen(req, timeout=10).read()
                return type("R", (), {"get_json": lambda self: __import__("json").loads(body)})()

        out = dash_client.post(Client(), dash_client.find(deps, "map-count.children")).get_json()
        assert out["response"]["map-count"]["children"] == "1 van 1 locaties"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_users_commands(monkeypatch, tmp_path, capsys):
    import io

    monkeypatch.setenv("WMO_KAART_INSTANCE", str(tmp_path / "inst"))
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord\n"))
    assert main(["users", "add", "anne", "--role", "bw_consulent", "--password-stdin"]) == 0
    assert main(["users", "set-role", "anne", "contractmanager"]) == 0
    assert main(["users", "token", "anne"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("wk_")
    assert main(["users", "disable", "anne"]) == 0
    assert main(["users", "list"]) == 0
    assert "anne\tcontractmanager\tuitgeschakeld" in capsys.readouterr().out
    assert main(["users", "set-role", "anne", "god"]) == 1


def test_serve_runs_gunicorn_with_workers_and_health_routes(write_geojson, feature, tmp_path):
    """The default server is gunicorn with the requested workers; /healthz and /readyz answer."""
    path = write_geojson([feature])
    port = _free_port()
    env = {**os.environ, "WMO_KAART_DATA": str(path), "WMO_KAART_INSTANCE": str(tmp_path / "inst")}
    env["WMO_KAART_LOG_FORMAT"] = "json"
    proc = subprocess.Popen([sys.executable, "-m", "wmo_kaart.cli", "serve", "--port", str(port), "--workers", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                ready = urllib.request.urlopen(base + "/readyz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(proc.stdout.read1().decode())
        body = json.load(ready)
        assert body["status"] == "ok" and body["locations"] == 1 and body["data_version"] == 1
        control = tmp_path / "inst" / "gunicorn.ctl"  # this instance's own control socket, owner only
        for _ in range(50):  # gunicorn opens it once its workers are forked; preloaded workers may answer first
            if control.exists():
                break
            time.sleep(0.2)
        assert control.exists() and (control.stat().st_mode & 0o077) == 0
        health = urllib.request.urlopen(base + "/healthz", timeout=2)
        assert json.load(health) == {"status": "ok"}
        assert "werkzeug" not in (health.headers.get("Server") or "").lower()
        assert not any(ch.isdigit() for ch in health.headers.get("Server") or ""), "no version in the Server header"
        from tests.test_import import BASE, csv_bytes

        src = tmp_path / "nieuw.csv"
        src.write_bytes(csv_bytes([BASE | {"Locatiecode": "NIEUW-1"}]))
        assert subprocess.run([sys.executable, "-m", "wmo_kaart.cli", "import", "--merge", str(src)], env=env,
                              capture_output=True).returncode == 0
        seen: dict[int, int] = {}
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not (len(seen) >= 2 and all(v == 2 for v in seen.values())):
            answer = json.load(urllib.request.urlopen(base + "/readyz", timeout=2))
            seen[answer["worker"]] = answer["data_version"]
        assert len(seen) >= 2 and all(v == 2 for v in seen.values()), seen
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0].decode()
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert sum(1 for entry in lines if entry["message"].startswith("Booting worker with pid")) >= 2
    assert any(entry["logger"] == "gunicorn.access" and "/readyz" in entry["message"] for entry in lines), "access log as JSON"


def test_bench_quick_measures_every_target(tmp_path):
    """`wmo-kaart bench --quick` runs within CI's time and reports every target (met or not)."""
    out = tmp_path / "BENCHMARKS.md"
    done = subprocess.run([sys.executable, "-m", "wmo_kaart.cli", "bench", "--quick", "--write", str(out)],
                          capture_output=True, text=True, timeout=600, env={**os.environ, "WMO_KAART_INSTANCE": str(tmp_path / "i")})
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    for name in ("nearest", "API /nearest", "API /locations", "map callback", "coverage", "concurrent clients", "memory per worker"):
        assert name in text
    assert text.count("| ja |") + text.count("| **nee** |") == 7


def test_export_command_uses_the_formats_of_the_api(tmp_path, client, settings, monkeypatch):
    """`wmo-kaart export` writes every format of the registry, byte for byte what /api/v1/export gives
    for the same selection (apart from the moment of export in the provenance)."""
    import re

    from wmo_kaart.export.formats import FORMATS

    assert set(FORMATS) == {"csv", "xlsx", "geojson", "hsds"}
    monkeypatch.setenv("WMO_KAART_DATA", str(settings.data_path))  # the data and instance the client serves
    monkeypatch.setenv("WMO_KAART_INSTANCE", str(settings.instance_path))
    for slug in ("csv", "geojson", "hsds"):
        out = tmp_path / f"x.{slug}"
        assert main(["export", slug, "--out", str(out), "--gemeente", "Oss", "--zorgvorm", "07"]) == 0
        api = client.get(f"/api/v1/export/{slug}?gemeente=GM0828&zorgvorm=07").data
        moment = re.compile('"Geëxporteerd":"[^"]*"')
        assert moment.sub("", out.read_bytes().decode("utf-8")) == moment.sub("", api.decode("utf-8")), slug
    assert main(["export", "xlsx", "--out", str(tmp_path / "x.xlsx"), "--rol", "beheerder"]) == 0
    assert (tmp_path / "x.xlsx").read_bytes()[:2] == b"PK"
    assert main(["export", "csv", "--out", str(tmp_path / "y.csv"), "--gemeente", "Nergenshuizen"]) == 2
    assert main(["export", "csv", "--out", str(tmp_path / "y.csv"), "--rol", "hacker"]) == 2


def test_an_unexpected_failure_of_the_import_check_says_so_in_dutch(tmp_path, monkeypatch, capsys):
    from tests.conftest import DEMO
    from tests.test_import import BASE, csv_bytes
    from wmo_kaart.core import publishing

    monkeypatch.setenv("WMO_KAART_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("WMO_KAART_DATA", str(tmp_path / "providers.geojson"))
    (tmp_path / "providers.geojson").write_bytes(DEMO.read_bytes())
    src = tmp_path / "x.csv"
    src.write_bytes(csv_bytes([BASE]))

    def broken(*_args, **_kwargs):
        raise RuntimeError("kapot")
    monkeypatch.setattr(publishing, "check_and_publish", broken)
    assert main(["import", str(src), "--merge"]) == 1
    captured = capsys.readouterr()
    assert "de controle stopte onverwacht" in captured.err and "Traceback" not in captured.err + captured.out
