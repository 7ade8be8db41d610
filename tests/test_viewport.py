"""The view of a map: fitted to the selection, or the one in the address (#map=ZOOM/LAT/LON)."""

import pytest

from wmo_kaart.core.viewport import LEAFLET_REGION, leaflet_view, view_from_hash


def test_a_selection_is_fitted_by_its_bounds_south_west_first():
    view = leaflet_view([5.52, 5.07, 5.9], [51.76, 51.56, 51.7])
    assert view["bounds"] == [[51.56, 5.07], [51.76, 5.9]] and view["transition"] == "fitBounds"
    assert view["options"]["maxZoom"] == 14, "a small selection is not zoomed in beyond street level"


def test_nothing_to_fit_shows_the_region_and_one_spot_shows_its_street():
    assert leaflet_view([], []) == {**LEAFLET_REGION, "transition": "setView"}
    one = leaflet_view([5.52, 5.52], [51.765, 51.765])
    assert one == {"center": [51.765, 5.52], "zoom": 15, "transition": "setView"}


@pytest.mark.parametrize(("text", "expected"), [
    ("#map=13/51.7650/5.5200", {"center": [51.765, 5.52], "zoom": 13, "transition": "setView"}),
    ("#map=9.75/51.6/5.4", {"center": [51.6, 5.4], "zoom": 9.75, "transition": "setView"}),
    ("#x=1&map=12/-33.9/18.4", {"center": [-33.9, 18.4], "zoom": 12, "transition": "setView"}),
])
def test_the_view_in_the_address(text, expected):
    assert view_from_hash(text) == expected


@pytest.mark.parametrize("text", [None, "", "#", "#map=", "#map=20/51/5", "#map=12/95/5", "#map=12/51/181",
                                  "#map=12/51/5/7", "#map=a/b/c", "#map=12/51.7", ["#map=12/51/5"], "#map=12/51/5" + "0" * 300])
def test_anything_else_in_the_address_is_no_view(text):
    assert view_from_hash(text) is None
