"""`wmo-kaart boundaries`: outlines from a PDOK-shaped OGC API Features server, paged."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.http_stub import StubServer
from wmo_kaart.cli import main
from wmo_kaart.core.reference import BY_CODE


def _square(i: int) -> dict:
    x, y = 4.8 + 0.1 * i, 51.4
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 0.05, y], [x + 0.05, y + 0.05], [x, y + 0.05], [x, y]]]}


class PdokStub(StubServer):
    """Two pages of `gemeente_gegeneraliseerd` items, written from the OGC API Features format."""

    def __init__(self, codes):
        features = [{"type": "Feature", "id": n, "geometry": _square(n),
                     "properties": {"statcode": code, "statnaam": f"Gemeente {code}", "jaarcode": 2025}}
                    for n, code in enumerate(codes)]
        half = len(features) // 2

        def respond(path: str) -> tuple[str, bytes]:
            page = int(parse_qs(urlsplit(path).query).get("page", ["0"])[0])
            body = {"type": "FeatureCollection", "features": features[:half] if page == 0 else features[half:],
                    "links": [{"rel": "self", "href": path}]}
            if page == 0:
                body["links"].append({"rel": "next", "href": f"{self.url}?jaarcode=2025&f=json&page=1"})
            return "application/geo+json", json.dumps(body).encode()

        super().__init__(respond)
        self.url = f"{self.origin}/collections/gemeente_gegeneraliseerd/items"


@pytest.fixture
def stub_all():
    stub = PdokStub([*BY_CODE, "GM0363", "GM0796"])
    yield stub
    stub.stop()


def test_downloads_pages_and_keeps_our_14(stub_all, tmp_path, capsys):
    out = tmp_path / "gemeenten.geojson"
    assert main(["boundaries", "--url", stub_all.url, "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert sorted(f["properties"]["statcode"] for f in data["features"]) == sorted(BY_CODE)
    assert "CC-BY" in data["metadata"]["attribution"] and len(stub_all.requests) == 2
    assert "jaarcode=2025" in stub_all.requests[0]
    assert "WMO_KAART_BOUNDARIES" in capsys.readouterr().out


def test_missing_municipalities_are_named(tmp_path, capsys):
    stub = PdokStub(["GM0828", "GM0855"])
    try:
        assert main(["boundaries", "--url", stub.url, "--out", str(tmp_path / "x.geojson")]) == 1
    finally:
        stub.stop()
    assert "geen grenzen gevonden voor GM0755" in capsys.readouterr().err
    assert not (tmp_path / "x.geojson").exists()


def test_unreachable_pdok(tmp_path, capsys):
    assert main(["boundaries", "--url", "http://127.0.0.1:9/items", "--out", str(tmp_path / "x.geojson")]) == 1
    assert "PDOK is niet bereikbaar" in capsys.readouterr().err


def test_downloaded_outlines_are_drawn_on_the_map(stub_all, tmp_path, settings):
    from dataclasses import replace

    from tests import dash_client
    from wmo_kaart.web import create_app

    out = tmp_path / "gemeenten.geojson"
    main(["boundaries", "--url", stub_all.url, "--out", str(out)])
    client = create_app(replace(settings, boundaries_path=str(out))).test_client()
    route = dash_client.find(dash_client.dependencies(client), "page.children")
    page = dash_client.text(dash_client.post(client, route, {("url", "pathname"): "/"}))
    assert '"url":"/tiles/gemeenten.geojson"' in page.replace(" ", ""), "the map draws the outlines from our origin"
    source = "/tiles/gemeenten.geojson"
    drawn = client.get(source)
    assert drawn.status_code == 200 and drawn.mimetype == "application/geo+json"
    assert len(drawn.get_json()["features"]) == 14 and drawn.get_json() == json.loads(out.read_text())
    assert client.get(source, headers={"If-None-Match": drawn.headers["ETag"]}).status_code == 304
