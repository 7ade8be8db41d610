"""The finder: parsing, the geocoder chain (gazetteer, PDOK from fixtures), nearest, CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import DEMO
from tests.http_stub import StubServer
from wmo_kaart.cli import main
from wmo_kaart.core import access, finder
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson
from wmo_kaart.core.filters import LocationFilter
from wmo_kaart.core.geocode import (FALLBACK_NOTICE, GeocodeError, GeocoderChain, GeocoderUnavailable,
                                    PdokGeocoder, Query, gazetteer, parse_query)
from wmo_kaart.core.nearest import format_km, nearest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("text", "expected"), [
    ("5341 AB", Query("pc6", "5341 AB")), ("5341ab", Query("pc6", "5341 AB")), (" 5341  ", Query("pc4", "5341")),
    ("Megen", Query("place", "Megen")), ("'s Gravenmoer", Query("place", "'s Gravenmoer")),
])
def test_parse_query(text, expected):
    assert parse_query(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("", "Vul een postcode of plaatsnaam in"), ("53411", "geen geldige postcode"),
    ("5341 SS", "geen geldige postcode"), ("0341 AB", "geen geldige postcode"), ("5341-AB", "geen geldige postcode"),
])
def test_malformed_input_gets_a_dutch_message(text, message):
    with pytest.raises(GeocodeError, match=message):
        parse_query(text)


@pytest.mark.parametrize(("text", "label", "town"), [
    ("5341 AB", "5341 AB (Oss)", "Oss"), ("5366", "5366 (Megen)", "Megen"),
    ("megen", "Megen", "Megen"), ("S GRAVENMOER", "'s Gravenmoer", "'s Gravenmoer"),
    ("Land van Cuijk", "Boxmeer", "Boxmeer"), ("Heeswijk Dinther", "Heeswijk-Dinther", "Heeswijk-Dinther"),
])
def test_gazetteer(text, label, town):
    origin = gazetteer(parse_query(text))
    assert origin.label == label and origin.source == "gazetteer"


@pytest.mark.parametrize("text", ["Amsterdam", "9999 ZZ", "1011"])
def test_gazetteer_unknown(text):
    assert gazetteer(parse_query(text)) is None


def _fake_fetch(answers: dict):
    calls = []

    def fetch(url: str, timeout: float) -> dict:
        calls.append((url, timeout))
        q = parse_qs(urlsplit(url).query)
        answer = answers[q["fq"][0]]
        if isinstance(answer, Exception):
            raise answer
        return answer
    return fetch, calls


def test_pdok_postcode_from_fixture_and_cache():
    fetch, calls = _fake_fetch({"type:postcode": fixture("pdok_postcode_5341AB.json")})
    pdok = PdokGeocoder("https://pdok.invalid/free", 2.0, fetch)
    result = GeocoderChain(pdok).locate("5341ab")
    assert result.origin.as_dict() == {"label": "Kruisstraat, 5341AB Oss", "lat": 51.76521, "lon": 5.51996, "source": "pdok"}
    assert result.notice == ""
    GeocoderChain(pdok).locate("5341 AB")
    assert len(calls) == 1, "the second search is answered from the cache"
    q = parse_qs(urlsplit(calls[0][0]).query)
    assert q == {"q": ["5341AB"], "fq": ["type:postcode"], "rows": ["1"]} and calls[0][1] == 2.0


def test_pdok_place_from_fixture():
    fetch, _ = _fake_fetch({"type:woonplaats": fixture("pdok_woonplaats_megen.json")})
    origin = GeocoderChain(PdokGeocoder(fetch=fetch)).locate("Megen").origin
    assert (origin.lat, origin.lon, origin.source) == (51.8217, 5.56411, "pdok")


def test_pdok_empty_answer_falls_through_to_gazetteer():
    fetch, _ = _fake_fetch({"type:woonplaats": fixture("pdok_empty.json")})
    result = GeocoderChain(PdokGeocoder(fetch=fetch)).locate("Megen")
    assert result.origin.source == "gazetteer" and result.notice == ""


@pytest.mark.parametrize("answer", [GeocoderUnavailable("timed out"), {"unexpected": True}])
def test_unreachable_pdok_falls_back_with_notice(answer):
    fetch, _ = _fake_fetch({"type:woonplaats": answer})
    result = GeocoderChain(PdokGeocoder(fetch=fetch)).locate("Megen")
    assert result.origin.source == "gazetteer" and result.notice == FALLBACK_NOTICE


@pytest.mark.parametrize(("delay", "source"), [(0.0, "pdok"), (1.5, "gazetteer")])
def test_real_http_with_timeout(delay, source):
    body = (FIXTURES / "pdok_woonplaats_megen.json").read_bytes()

    def respond(path):
        time.sleep(delay)
        return "application/json", body

    server = StubServer(respond)
    try:
        pdok = PdokGeocoder(f"{server.origin}/free", timeout=0.5)
        assert GeocoderChain(pdok).locate("Megen").origin.source == source
    finally:
        server.stop()


@pytest.fixture(scope="module")
def view():
    return access.view_for(load_geojson(DEMO, default_catalog()), None)


def test_nearest_sorted_and_in_rd_metres(view):
    rows = nearest(view, 51.765, 5.518, limit=5)
    assert list(rows["distance_m"]) == sorted(rows["distance_m"])
    assert len(rows) == 5
    # brute force over every row gives the same first result
    import numpy as np

    from wmo_kaart.core.geo import to_rd

    x, y = to_rd(5.518, 51.765)
    d = np.hypot(view["x"] - float(x), view["y"] - float(y))
    assert rows.iloc[0]["id"] == view.iloc[int(np.argmin(d))]["id"]


def test_nearest_known_distance():
    import pandas as pd

    from wmo_kaart.core.geo import to_rd

    x, y = to_rd([5.0, 5.0], [51.5, 51.6])
    rows = pd.DataFrame({"id": ["a", "b"], "x": x, "y": y})
    out = nearest(rows, 51.5, 5.0)
    # 0.1 degree of latitude is about 11.1 km
    assert list(out["id"]) == ["a", "b"] and out.iloc[1]["distance_m"] == pytest.approx(11_120, abs=30)


@pytest.mark.parametrize(("m", "nl", "en"), [(0, "0 m", "0 m"), (854, "850 m", "850 m"), (994, "990 m", "990 m"),
                                            (995, "1,0 km", "1.0 km"), (1000, "1,0 km", "1.0 km"), (2345, "2,3 km", "2.3 km")])
def test_format_km(m, nl, en):
    assert format_km(m) == nl and format_km(m, "en") == en


def test_find_filters_by_care_type(view):
    origin = finder.locate(GeocoderChain(), "Megen")[0]
    found = finder.find(view, origin, LocationFilter(care_types=("07",)), limit=5)
    assert all("07" in c for c in found.rows["care_types"]) and len(found.rows) == 5


def test_cli_nearest_json(capsys):
    assert main(["nearest", "--place", "Megen", "--zorgvorm", "07", "--limit", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["origin"] == {"label": "Megen", "lat": 51.822, "lon": 5.562, "source": "gazetteer"}
    assert len(out["results"]) == 3
    assert set(out["results"][0]) == {"id", "name", "provider_name", "lat", "lon", "distance_m"}
    distances = [r["distance_m"] for r in out["results"]]
    assert distances == sorted(distances)


def test_cli_nearest_by_coordinates_and_errors(capsys):
    assert main(["nearest", "--lat", "51.56", "--lon", "5.09", "--limit", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["origin"]["source"] == "coordinates"
    assert main(["nearest", "--postcode", "12345"]) == 2
    assert "geen geldige postcode" in capsys.readouterr().err
    assert main(["nearest", "--lat", "48.8", "--lon", "2.3"]) == 2
    assert "niet in Nederland" in capsys.readouterr().err


def _square(lon: float, lat: float, d: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]}


@pytest.fixture
def buurten(tmp_path):
    """A small neighbourhood file in the form `wmo-kaart population` writes (test outlines, not CBS's)."""
    features = [
        {"type": "Feature", "geometry": _square(5.53, 51.76), "properties": {"id": "BU08280101", "name": "Ruwaard", "municipality_code": "GM0828"}},
        {"type": "Feature", "geometry": _square(5.51, 51.76), "properties": {"id": "BU08280001", "name": "Centrum", "municipality_code": "GM0828"}},
        {"type": "Feature", "geometry": _square(5.08, 51.55), "properties": {"id": "BU08550001", "name": "Centrum", "municipality_code": "GM0855"}},
        {"type": "Feature", "geometry": None, "properties": {"id": "BU0", "name": "Zonder vorm", "municipality_code": "GM0828"}},
    ]
    path = tmp_path / "buurten.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


def test_the_finder_knows_neighbourhood_names_from_the_population_file(buurten):
    from wmo_kaart.core.geocode import configured_chain

    chain = configured_chain(False, neighbourhood_file=buurten)
    found = chain.locate("ruwaard").origin
    assert found.label == "Ruwaard (Oss)" and 5.53 < found.lon < 5.54 and 51.76 < found.lat < 51.77
    assert chain.locate("Centrum").origin is None, "two municipalities have a Centrum: the bare name cannot say which"
    tilburg = chain.locate("Centrum, Tilburg").origin
    assert tilburg.label == "Centrum (Tilburg)" and 5.08 < tilburg.lon < 5.09
    assert chain.locate("Centrum Oss").origin.label == "Centrum (Oss)"
    assert chain.locate("Zonder vorm").origin is None
    assert chain.locate("Berghem").origin.label == "Berghem", "towns still come from the gazetteer"
    bundled = configured_chain(False).locate("Ruwaard").origin  # the bundled CBS 2022 names: a default install
    assert bundled.label == "Ruwaard (Oss)" and 51.74 < bundled.lat < 51.77 and 5.49 < bundled.lon < 5.55


@pytest.mark.parametrize(("typed", "label", "box"), [
    ("Ruwaard", "Ruwaard (Oss)", (51.74, 51.77, 5.49, 5.55)),             # a wijk of Oss
    ("ruwaard, oss", "Ruwaard (Oss)", (51.74, 51.77, 5.49, 5.55)),
    ("Groenewoud", "Groenewoud (Tilburg)", (51.52, 51.56, 5.06, 5.12)),   # a wijk of Tilburg
    ("Goirle-Centrum", "Wijk 01 Goirle-Centrum (Goirle)", (51.50, 51.54, 5.04, 5.09)),
])
def test_the_finder_knows_the_regions_neighbourhoods_without_configuration(typed, label, box):
    from wmo_kaart.core.geocode import configured_chain

    found = configured_chain(False).locate(typed).origin
    assert found is not None and found.label == label, typed
    assert box[0] < found.lat < box[1] and box[2] < found.lon < box[3], (typed, found)


def test_the_embed_finds_a_neighbourhood(settings, buurten):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    client = create_app(replace(settings, demand_path=buurten)).test_client()
    from tests.test_embed import _embed

    assert _embed(client, q="Ruwaard").text("embed-message").startswith("Gesorteerd op afstand vanaf Ruwaard (Oss).")
