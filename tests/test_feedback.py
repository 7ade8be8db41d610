"""'Meld een fout': anyone may report a mistake about a location; only the data manager reads the queue."""

from __future__ import annotations

import pytest

from tests.conftest import PRO_ROLES, csrf_from


def _send(client, loc="LOC-0001", **fields):
    page = client.get(f"/melding?locatie={loc}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "locatie": loc, "bericht": "", "contact": "", **fields}
    return client.post("/melding", data=data)


def test_a_resident_reports_a_mistake_and_the_data_manager_handles_it(client, auth, make_user, app):
    sent = _send(client, bericht="Het telefoonnummer is veranderd.")
    assert sent.status_code == 200 and "Dank u wel" in sent.get_data(as_text=True)
    auth.login(make_user("beheerder"))
    queue = client.get("/beheer/meldingen").get_data(as_text=True)
    assert "Het telefoonnummer is veranderd." in queue and "LOC-0001" in queue and "(1 open)" in queue
    token = csrf_from(queue)
    import re

    report_id = re.search(r'action="/beheer/meldingen/(\d+)"', queue).group(1)
    assert client.post(f"/beheer/meldingen/{report_id}", data={"csrf_token": token, "status": "handled"}).status_code == 302
    assert "(0 open)" in client.get("/beheer/meldingen").get_data(as_text=True)


@pytest.mark.parametrize("role", ["anonymous", *PRO_ROLES, "bw_consulent", "beleidsadviseur"])
def test_nobody_but_the_data_manager_reads_reports(client, auth, make_user, role):
    _send(client, bericht="Geheime melding XYZZY-42 over de locatie.")
    if role != "anonymous":
        auth.login(make_user(role))
    response = client.get("/beheer/meldingen")
    assert response.status_code in (302, 403) and "XYZZY-42" not in response.get_data(as_text=True)
    assert client.post("/beheer/meldingen/1", data={"status": "handled"}).status_code in (302, 400, 403)


@pytest.mark.parametrize(("fields", "words"), [
    ({"bericht": "nee"}, "Beschrijf in een paar woorden"),
    ({"bericht": "x" * 1001}, "hoogstens 1000 tekens"),
])
def test_bad_reports_get_a_dutch_message(client, fields, words):
    response = _send(client, **fields)
    assert response.status_code == 400 and words in response.get_data(as_text=True)


def test_bots_filling_the_hidden_field_are_thanked_and_ignored(client, auth, make_user):
    response = _send(client, bericht="Koop nu goedkope horloges!", website="http://spam.example")
    assert response.status_code == 200
    auth.login(make_user("beheerder"))
    assert "horloges" not in client.get("/beheer/meldingen").get_data(as_text=True)


def test_unknown_and_ended_locations_cannot_be_reported(client):
    assert client.get("/melding?locatie=LOC-9999").status_code == 404
    assert client.get("/melding?locatie=<script>").status_code == 404


def test_reports_are_rate_limited(settings, tmp_path):
    from dataclasses import replace

    from wmo_kaart.web import create_app

    client = create_app(replace(settings, rate_reports="2 per hour")).test_client()
    codes = [_send(client, bericht=f"Melding nummer {i} over de locatie.").status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_details_link_to_the_report_form(client):
    from tests import dash_client

    deps = dash_client.dependencies(client)
    dep = dash_client.find(deps, "map-details.children")
    out = dash_client.post(client, dep, {("map-layer-locations", "clickData"): {"properties": {"id": "LOC-0001"}}},
                           changed=["map-layer-locations.clickData"]).get_json()["response"]
    assert "/melding?locatie=LOC-0001" in str(out["map-details"]["children"])
