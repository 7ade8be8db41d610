"""The embed, its URL state, framing headers, handout, embed code, statement and HTML export."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests import dash_client
from tests.conftest import DEMO, public_rows
from wmo_kaart.cli import main
from wmo_kaart.core.catalog import default_catalog
from wmo_kaart.core.dataset import load_geojson
from wmo_kaart.web import urlstate
from wmo_kaart.web.urlstate import EmbedState


@pytest.mark.parametrize(("search", "expected"), [
    ("", EmbedState()),
    ("?gemeente=GM0828&zorgvorm=07", EmbedState(gemeente=("GM0828",), zorgvorm=("07",))),
    ("?gemeente=oss&gemeente=Tilburg&zorgvorm=7&zorgvorm=15", EmbedState(gemeente=("GM0828", "GM0855"), zorgvorm=("07", "15"))),
    ("?zorgvorm=07,02&doelgroep=ggz&doelgroep=kinderen", EmbedState(zorgvorm=("07", "02"), doelgroep=("ggz",))),
    ("?gemeente=GM9999&zorgvorm=99&lang=fr&theme=../x", EmbedState()),
    ("?q=5341%20AB&lang=en&theme=voorbeeld-donker", EmbedState(q="5341 AB", lang="en", theme="voorbeeld-donker")),
    ("?bewaard=LOC-0001,LOC-0002,<script>", EmbedState(bewaard=("LOC-0001", "LOC-0002"))),
])
def test_parse_url_state(search, expected):
    assert urlstate.parse(search, default_catalog()) == expected


def test_url_state_round_trip():
    state = EmbedState(("GM0828",), ("07", "15"), ("ggz",), "Megen", "en", "voorbeeld-donker", ("LOC-0001",))
    assert urlstate.parse(urlstate.build(state), default_catalog()) == state
    assert urlstate.build(EmbedState()) == ""


class Page:
    """The embed page as the server wrote it: the text of an element by id, the addresses of its links."""

    def __init__(self, response):
        import lxml.html

        assert response.status_code == 200 and response.mimetype == "text/html", response.status_code
        self.html = response.get_data(as_text=True)
        self.doc = lxml.html.fromstring(self.html)

    def text(self, id_: str) -> str:
        found = self.doc.get_element_by_id(id_, None)
        return " ".join(" ".join(found.itertext()).split()) if found is not None else ""

    def links(self, css: str) -> list[str]:
        """Return the addresses of the links matching `tag.class`."""
        tag, _, cls = css.partition(".")
        return [a.get("href") for a in self.doc.xpath(
            f"//{tag or '*'}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")]

    def map_data(self) -> dict:
        import json

        return json.loads(self.doc.get_element_by_id("embed-map-data").text)


def _embed(client, headers=None, **values) -> Page:
    from urllib.parse import urlencode

    names = {"care": "zorgvorm", "gemeente": "gemeente", "doelgroep": "doelgroep", "q": "q", "lang": "lang",
             "bewaard": "bewaard", "meer": "meer", "info": "info", "op": "op", "weg": "weg"}
    pairs = []
    for key, value in values.items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append((names[key], v))
    return Page(client.get("/embed?" + urlencode(pairs), headers=headers or {}))


def test_embed_search_sorts_day_care_by_distance(client):
    page = _embed(client, q="Megen", care=["07"], gemeente=["GM0828"])
    text = page.text("embed-list")
    assert page.text("embed-message") == ("Gesorteerd op afstand vanaf Megen. U ziet de locaties die regio "
                                          "Brabant Noordoost-oost heeft gecontracteerd: daar kunnen inwoners "
                                          "van deze plaats terecht.")
    frame = public_rows(load_geojson(DEMO, default_catalog()).frame)
    from wmo_kaart.core.geocode import GeocoderChain
    from wmo_kaart.core import finder
    from wmo_kaart.core.filters import LocationFilter

    origin = finder.locate(GeocoderChain(), "Megen")[0]
    expected = finder.find(frame, origin, LocationFilter(care_types=("07",), municipalities=("GM0828",)), None).rows
    positions = [text.index(name) for name in expected["name"]]
    assert positions == sorted(positions), "the list follows the distance order"
    data = page.map_data()
    assert data["origin"]["features"][0]["properties"]["label"] == "Zoeklocatie: Megen"
    # the map's layer: exactly the listed locations, nothing of the BW layer
    layer = client.get(data["layer"]).get_json()
    assert {f["properties"]["id"] for f in layer["features"]} == set(expected.index)
    assert all(set(f["properties"]) <= {"id", "name", "city", "care", "count"} for f in layer["features"])
    assert page.doc.get_element_by_id("embed-q").get("value") == "Megen"
    assert [i.get("value") for i in page.doc.xpath("//input[@name='zorgvorm'][@checked]")] == ["07"]


@pytest.mark.parametrize(("q", "message"), [
    ("53411", "geen geldige postcode"),
    ("Zonnehoeve", "geen bekende postcode of plaats; er is gezocht op naam"),
    ("5341 AB", "Gesorteerd op afstand vanaf 5341 AB (Oss)."),
])
def test_embed_search_messages(client, q, message):
    assert message in _embed(client, q=q).text("embed-message")


def test_embed_in_english(client):
    page = _embed(client, q="Megen", lang="en")
    assert page.text("embed-message").startswith("Sorted by distance from Megen. You see the locations contracted")
    assert page.text("embed-count").endswith("locations")
    assert page.doc.xpath("//title")[0].text_content().startswith("Search: Megen · Find support nearby")


def test_embed_page_html_language(client):
    assert b'<html lang="en" class="no-js">' in client.get("/embed?lang=en").data
    assert b'<html lang="nl" class="no-js">' in client.get("/embed").data


def test_embed_may_be_framed_only_by_configured_origins(settings):
    from wmo_kaart.web import create_app

    app = create_app(replace(settings, embed_allowed_origins="https://www.oss.nl https://www.tilburg.nl"))
    client = app.test_client()
    embed = client.get("/embed?gemeente=GM0828")
    assert "frame-ancestors 'self' https://www.oss.nl https://www.tilburg.nl" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert embed.headers.getlist("Set-Cookie") == []
    for path in ("/", "/embed/code", "/handout", "/toegankelijkheid"):
        assert "frame-ancestors 'none'" in client.get(path).headers["Content-Security-Policy"], path


def test_embed_code_builds_the_snippet(client):
    html = client.get("/embed/code?gemeente=GM0828&zorgvorm=07&lang=en").get_data(as_text=True)
    assert "/embed?gemeente=GM0828&amp;zorgvorm=07&amp;lang=en" in html
    assert "/assets/embed-resize.js" in html and "data-wmo-kaart" in html
    assert client.get("/assets/embed-resize.js").status_code == 200


def test_handout_lists_public_details_in_distance_order(client):
    frame = load_geojson(DEMO, default_catalog()).frame
    ids = list(frame.index[:5])
    html = client.get(f"/handout?ids={','.join(ids)},NOPE&q=Oss").get_data(as_text=True)
    assert html.split('<ol class="handout-list">')[1].count("<li>") == 5 and "<svg" in html and "Afstand:" in html
    assert "Gemeentegrens" in html and "Gegevens van " in html and "Demogegevens" in html  # legend, date, demo notice
    for row in frame.loc[ids].itertuples():
        assert row.name in html and row.contact_name not in html


def test_accessibility_statement(client):
    assert "Toegankelijkheidsverklaring" in client.get("/toegankelijkheid").get_data(as_text=True)
    assert "Accessibility statement" in client.get("/toegankelijkheid?lang=en").get_data(as_text=True)


def test_export_html_is_self_contained(tmp_path, capsys):
    out = tmp_path / "kaart.html"
    assert main(["export-html", "--gemeente", "GM0828", "--zorgvorm", "07", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script src=" not in html and "<link rel=\"stylesheet\" href=\"http" not in html
    for host in ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrapcdn", "unpkg"):
        assert host not in html
    frame = public_rows(load_geojson(DEMO, default_catalog()).frame)
    expected = frame[(frame["municipality_code"] == "GM0828") & frame["care_types"].map(lambda c: "07" in c)]
    # one marker per location, never two on top of each other for one location
    assert html.count('"care": [') == len(expected), "one marker per location, drawn by our web maps' marker code"
    assert "wmoKaart.location(" in html and "function markerSvg" in html
    assert "Gemeentegrens" in html and "Demogegevens" in html and "Gegevens van " in html  # legend, demo, date
    names = html.replace("\\u003c", "<").replace("\\u003e", ">")
    assert ">Oss</span>" in names and ">Tilburg</span>" in names  # place names, drawn as text (no font download)
    assert expected.iloc[0]["contact_email"] not in html and "bw_capacity" not in html
    assert main(["export-html", "--gemeente", "Atlantis", "--out", str(out)]) == 2
    assert "onbekende gemeente" in capsys.readouterr().err


def test_accessibility_statement_follows_the_model(client, settings):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    html = client.get("/toegankelijkheid").get_data(as_text=True)
    for fact in ("Organisatie", "Status", "C: eerste maatregelen genomen", "Datum verklaring", "Onderzoek",
                 "reactietermijn", "werkdagen", "toegankelijkheidsverklaring.nl/register"):
        assert fact in html, fact
    configured = create_app(replace(settings, organisation="Gemeente Oss", contact_email="wmo@oss.example",
                                    response_days=3)).test_client().get("/toegankelijkheid").get_data(as_text=True)
    assert "Gemeente Oss" in configured and "mailto:wmo@oss.example" in configured and "binnen 3 werkdagen" in configured


def test_residents_on_a_phone_get_whole_rows_honest_counts_and_other_spellings(client):
    assert "Heeswijk-Dinther" in _embed(client, q="Heeswijk").text("embed-message")
    page = _embed(client, q="Den Bosch", care=["07"])
    assert page.text("embed-message").startswith("Den Bosch ligt buiten de regio; de dichtstbijzijnde locaties vanaf 's-Hertogenbosch.")
    rows = page.text("embed-list")
    assert "Doelgroep:" in rows and "@" in rows and "toegankelijk" in rows.lower()
    everything = _embed(client)
    listed = everything.text("embed-list")
    total = int(everything.text("embed-count").split(" van ")[0])
    assert total > 50 and f"50 van {total} locaties staan hieronder" in listed
    assert listed.count("Zet op mijn lijst") == 50 and len(everything.links("a.more-button")) == 1


def test_the_list_grows_in_steps_until_every_location_is_listed(client):
    public = public_rows(load_geojson(DEMO, default_catalog()).frame)
    first = _embed(client)
    more = first.links("a.more-button")
    assert len(more) == 1 and "meer=1" in more[0]
    listed = Page(client.get(more[0])).text("embed-list")
    assert listed.count("Zet op mijn lijst") == 100 and f"100 van {len(public)} locaties" in listed
    last = -(-len(public) // 50) - 1  # the step that lists the last rows
    page = _embed(client, meer=last)
    listed = page.text("embed-list")
    assert listed.count("Zet op mijn lijst") == len(public) and "staan hieronder" not in listed
    assert page.links("a.more-button") == []
    for name in public["name"]:
        assert name in listed
    day_care = int(public["care_types"].map(lambda c: "07" in c).sum())
    assert _embed(client, care=["07"], meer=1).text("embed-list").count("Zet op mijn lijst") == min(100, day_care), \
        "the filters still apply"
    assert _embed(client, meer="9" * 40).text("embed-list").count("Zet op mijn lijst") == 50, "a forged step is the first"


def _rows_after_more(client, clicks: int, prefix: str, headers=None, **values):
    deps = dash_client.dependencies(client)
    dep = next(d for d in deps if d["inputs"][0]["id"] == f"{prefix}-more")
    response = dash_client.post(client, dep, {(f"{prefix}-more", "n_clicks"): clicks,
                                              **{(f"{prefix}-{k}", "value"): v for k, v in values.items()}},
                                headers=headers)
    if response.status_code == 204:
        return None
    assert response.status_code == 200
    out = response.get_json()["response"]
    return dash_client.text_of(out[f"{prefix}-list"]["children"]), out[f"{prefix}-more"]["hidden"]


def test_the_professional_list_grows_in_steps_too(auth, make_user):
    make_user("wmo_consulent", "consulent")
    auth.login("consulent")
    listed, hidden = _rows_after_more(auth.client, 1, "map", headers=auth.csrf_header())
    assert hidden is False and "100 van 280 locaties" in listed


def test_adding_to_the_shortlist_is_announced_and_kept_in_the_address(client):
    page = _embed(client, q="Oss")
    keep = page.doc.get_element_by_id("keep-LOC-0001").get("href")
    assert "bewaard=LOC-0001" in keep and "op=LOC-0001" in keep and "q=Oss" in keep
    kept = Page(client.get(keep))
    assert "staat op uw lijst (1)" in kept.text("embed-announce")
    assert kept.text("embed-mylist") == "Mijn lijst (1)"
    assert kept.doc.get_element_by_id("keep-LOC-0001").text_content() == "Haal van mijn lijst"
    panel = kept.text("embed-shortlist-panel")
    assert "Mijn lijst (1)" in panel and "Lijst afdrukken" in panel
    handout = [a.get("href") for a in kept.doc.get_element_by_id("embed-shortlist-panel").iter("a") if "/handout" in a.get("href")]
    assert handout == ["/handout?ids=LOC-0001&q=Oss"]
    assert kept.doc.xpath("//form[@id='embed-form']//input[@name='bewaard']")[0].get("value") == "LOC-0001", \
        "a new search keeps the list"
    removed = Page(client.get(kept.doc.get_element_by_id("keep-LOC-0001").get("href")))
    assert "van uw lijst gehaald (0)" in removed.text("embed-announce") and removed.text("embed-mylist") == "Mijn lijst (0)"
    # unknown and forged ids never reach the list
    forged = _embed(client, bewaard="NOPE,<x>", op="NOPE")
    assert forged.text("embed-mylist") == "Mijn lijst (0)" and forged.text("embed-announce") == ""


def test_more_information_shows_every_public_detail_without_javascript(client):
    page = _embed(client, q="Oss")
    link = next(a.get("href") for a in page.doc.xpath("//a[@data-swap='details']"))
    shown = Page(client.get(link))
    details = shown.text("embed-details")
    assert details.startswith("Details Begeleiding Peelrand Oss") and "Openingstijden" in details and "Meld een fout" in details
    assert _embed(client, info="NOPE").text("embed-details") == ""


def test_the_handout_names_the_wmo_desk_from_configuration(settings):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    client = create_app(replace(settings, wmo_desk="Wmo-loket gemeente Oss, 0412-629629")).test_client()
    html = client.get("/handout?ids=LOC-0001").get_data(as_text=True)
    assert "Vragen over ondersteuning van de gemeente? Wmo-loket gemeente Oss, 0412-629629" in html


def test_handout_says_why_each_option_fits(client):
    frame = public_rows(load_geojson(DEMO, default_catalog()).frame)
    has = frame[(frame["specialisms"].map(len) > 0) & (frame["target_groups"].map(len) > 0)]
    row = has.iloc[0]
    specialism, target = row["specialisms"][0], row["target_groups"][0]
    label = {t.code: t.label("nl") for t in default_catalog().target_groups}[target]
    html = client.get(f"/handout?ids={row.name}&doelgroep={target}&specialisme={specialism}").get_data(as_text=True)
    fits = html.split('class="handout-fits">')[1].split("</p>")[0]
    assert "Past bij uw vraag" in fits and label in fits and specialism in fits
    facts = html.split('class="handout-facts">')[1].split("</p>")[0]
    assert "Specialismen: " + ", ".join(row["specialisms"]) in facts
    assert {True: "Rolstoeltoegankelijk", False: "Niet rolstoeltoegankelijk"}.get(row["wheelchair_accessible"],
                                                                                "Rolstoeltoegankelijkheid onbekend") in facts
    if isinstance(row["opening_hours"], str) and row["opening_hours"]:
        assert "Openingstijden: " + row["opening_hours"] in facts
    if isinstance(row["email"], str) and row["email"]:
        assert "E-mail: " + row["email"] in html
    # a wish the location does not meet is not claimed; unknown codes in the address are dropped
    other = client.get(f"/handout?ids={row.name}&doelgroep=nope&specialisme=geen-bestaand").get_data(as_text=True)
    assert 'class="handout-fits"' not in other


@pytest.mark.parametrize("px_per_metre,width,metres", [
    (360 / 70_000, 360, 10_000),   # 70 km across: a quarter is 17.5 km, so 10 km
    (360 / 5_000, 360, 1_000),     # 5 km across: 1,250 m, so 1 km
    (360 / 3_000, 360, 500),       # 3 km across: 750 m, so 500 m
    (300 / 9_000, 300, 2_000),     # 9 km across: 2,250 m, so 2 km
])
def test_the_handout_scale_bar_has_a_real_round_length(px_per_metre, width, metres):
    from wmo_kaart.web.svgmap import format_length, scale_bar

    got, length = scale_bar(px_per_metre, width)
    assert got == metres and length == pytest.approx(metres * px_per_metre)
    assert width / 10 <= length <= width / 4  # readable, never 5 px
    assert format_length(10_000) == "10 km" and format_length(500) == "500 m"


def test_the_map_data_in_the_page_can_hold_any_text(client):
    page = _embed(client, q="</script><!--<script>x")
    block = page.html.split('id="embed-map-data">')[1].split("</script>")[0]
    assert "<" not in block
    assert page.map_data()["details"].startswith("/embed?q=%3C%2Fscript%3E")
