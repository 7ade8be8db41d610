"""OGC API – Features, Part 1 (core, GeoJSON, OpenAPI 3.0) under /ogc/, for QGIS, ArcGIS and GDAL.

A small blueprint over the same core as /api/v1 (`access.view_for`, `query`, `tables.to_geojson`):
role-aware through the same Bearer API keys, with the same audit of BW fields. Collections: all
locations, the locations per care type, and the municipal outlines of the region.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Blueprint, Response, request

from ..core import query
from ..core.filters import apply_filter
from ..core.geography import municipal_outlines
from ..core.query import ParamError
from ..core.reference import BY_CODE
from ..export import tables
from . import audit_bw, public_base, role_view, services
from .api import ApiError, api_user, json_response
from .ogc_openapi import CONFORMANCE, ITEM_PARAMETERS, SCHEMA_JSON, document, queryable_properties
from ..core import clock

bp = Blueprint("ogc", __name__, url_prefix="/ogc")
GEOJSON, JSON = "application/geo+json", "application/json"
OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"
DEFAULT_LIMIT, MAX_LIMIT = 1000, 10_000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
LOCATIONS, OUTLINES = "locaties", "gemeenten"


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return _exception(exc.status, exc.message)


@bp.errorhandler(ParamError)
def _param_error(exc: ParamError):
    return _exception(exc.status, exc.message)


def _exception(status: int, description: str) -> Response:
    """Answer with the OGC API exception shape (code and description)."""
    codes = {400: "InvalidParameterValue", 401: "Unauthorized", 404: "NotFound", 405: "MethodNotAllowed"}
    return json_response({"code": codes.get(status, "Error"), "description": description}, status)


def _args() -> dict[str, list[str]]:
    return request.args.to_dict(flat=False)


def _base() -> str:
    return (public_base() or "") + "/ogc"


def _link(href: str, rel: str, type_: str, title: str) -> dict:
    return {"href": href, "rel": rel, "type": type_, "title": title}


def _check_params(known: tuple[str, ...]) -> None:
    name = query.unknown(_args(), (*known, "f"))
    if name:
        raise ParamError(name, f"onbekende parameter '{name[:40]}' (bekend: {', '.join(known)})")
    fmt = request.args.get("f")
    if fmt not in (None, "json", "html"):
        raise ParamError("f", "f moet json of html zijn")


def _html() -> bool:
    """Whether to answer HTML: `f=html`, or no `f` and a client that prefers HTML to JSON (a browser)."""
    fmt = request.args.get("f")
    if fmt is not None:
        return fmt == "html"
    best = request.accept_mimetypes.best_match([JSON, GEOJSON, "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes[JSON]


def _alternates(path: str, json_type: str = JSON) -> list[dict]:
    """The self and alternate links of a resource: JSON and HTML are the same resource, two encodings."""
    html = _html()
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "f"]
    def href(fmt: str) -> str:
        return f"{path}?{urlencode([*args, ('f', fmt)])}"
    return [_link(href("html" if html else "json"), "self", "text/html" if html else json_type, "Deze pagina"),
            _link(href("json" if html else "html"), "alternate", json_type if html else "text/html",
                  "Als JSON" if html else "Als HTML")]


def _answer(document: dict, kind: str, mimetype: str = JSON, title: str | None = None) -> Response:
    """Answer `document` as JSON, or as its HTML page (the HTML conformance class)."""
    if _html():
        from flask import render_template

        response = Response(render_template("ogc.html", kind=kind, doc=document, lang="nl", html_href=_html_href,
                                             title=title or document.get("title") or _TITLES[kind]),
                            mimetype="text/html")
        response.headers["Vary"] = "Accept"
        return response
    response = json_response(document, mimetype=mimetype)
    response.headers["Vary"] = "Accept"
    return response


def _html_href(link: dict) -> str:
    """The HTML page of a link to one of our JSON resources (the HTML pages link to HTML pages)."""
    href = link["href"]
    if link.get("type") in (JSON, GEOJSON, SCHEMA_JSON) and "/ogc/" in href and "/ogc/api" not in href:
        base, _, params = href.partition("?")
        kept = [p for p in params.split("&") if p and not p.startswith("f=")]
        return f"{base}?{'&'.join([*kept, 'f=html'])}"
    return href


_TITLES = {"landing": "Wmo-kaart: OGC API – Features", "conformance": "Conformiteitsklassen",
           "collections": "Collecties", "items": "Objecten", "item": "Object", "queryables": "Filterbare eigenschappen"}


def collections() -> list[dict]:
    """Return the collections: id, title and the care type each one holds (None: all or outlines)."""
    catalog = services().catalog
    found = [{"id": LOCATIONS, "title": "Locaties van gecontracteerde Wmo-aanbieders", "care_type": None}]
    found += [{"id": f"{LOCATIONS}-{t.code}", "title": f"Locaties: {t.nl}", "care_type": t.code} for t in catalog.care_types]
    found.append({"id": OUTLINES, "title": "Gemeentegrenzen van de regio (CBS 2025, CC-BY 4.0)", "care_type": None})
    return found


def _collection(cid: str) -> dict:
    found = next((c for c in collections() if c["id"] == cid), None)
    if found is None:
        raise ApiError(404, "collectionId", f"onbekende collectie '{cid[:40]}'")
    return found


def _describe(c: dict) -> dict:
    base = _base()
    return {"id": c["id"], "title": c["title"], "itemType": "feature", "crs": [CRS84],
            "extent": {"spatial": {"bbox": [list(_extent(c["id"]))], "crs": CRS84}},
            "links": [_link(f"{base}/collections/{c['id']}", "self", JSON, c["title"]),
                      _link(f"{base}/collections/{c['id']}/items", "items", GEOJSON, f"{c['title']} (GeoJSON)")]}


def _extent(cid: str) -> tuple[float, float, float, float]:
    if cid == OUTLINES:
        xs, ys = zip(*(pt for f in municipal_outlines(services().settings.boundaries_path)["features"]
                       for pt in _points(f["geometry"])))
        return round(min(xs), 6), round(min(ys), 6), round(max(xs), 6), round(max(ys), 6)
    frame = services().store.current().frame
    if frame.empty:
        return 3.2, 50.7, 7.3, 53.7
    return (round(float(frame["lon"].min()), 6), round(float(frame["lat"].min()), 6),
            round(float(frame["lon"].max()), 6), round(float(frame["lat"].max()), 6))


def _points(geometry: dict):
    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            yield coords[0], coords[1]
        else:
            for c in coords:
                yield from walk(c)
    return walk(geometry["coordinates"])


@bp.get("/")
def landing():
    _check_params(())
    api_user()
    base = _base()
    return _answer({"title": "Wmo-kaart: OGC API – Features",
                    "description": "Locaties van gecontracteerde Wmo-zorgaanbieders en de gemeentegrenzen van de regio.",
                    "links": [*_alternates(f"{base}/"),
                              _link(f"{base}/api", "service-desc", OPENAPI_TYPE, "De API-definitie (OpenAPI 3.0)"),
                              _link(f"{base}/conformance", "conformance", JSON, "Ondersteunde conformiteitsklassen"),
                              _link(f"{base}/collections", "data", JSON, "De collecties")]}, "landing")


@bp.get("/conformance")
def conformance():
    _check_params(())
    api_user()
    return _answer({"conformsTo": CONFORMANCE, "links": _alternates(f"{_base()}/conformance")}, "conformance")


@bp.get("/api")
def openapi():
    _check_params(())
    return json_response(document(_base(), [c["id"] for c in collections()], services().catalog), mimetype="application/vnd.oai.openapi+json")


@bp.get("/collections")
def collection_list():
    _check_params(())
    api_user()
    return _answer({"links": _alternates(f"{_base()}/collections"),
                    "collections": [_describe(c) for c in collections()]}, "collections")


@bp.get("/collections/<cid>")
def collection(cid: str):
    _check_params(())
    api_user()
    found = _describe(_collection(cid))
    found["links"] = [*_alternates(f"{_base()}/collections/{cid}"), *found["links"][1:]]
    return _answer(found, "collection")


@bp.get("/collections/<cid>/queryables")
def queryables(cid: str):
    """The properties a collection can be filtered on (OGC API – Features Part 3's queryables): the
    same filters as the map, with their allowed values."""
    _collection(cid)
    _check_params(())
    api_user()
    document = {"$schema": "https://json-schema.org/draft/2019-09/schema",
                "$id": f"{_base()}/collections/{cid}/queryables", "type": "object",
                "title": _collection(cid)["title"], "properties": queryable_properties(cid, services().catalog),
                "links": _alternates(f"{_base()}/collections/{cid}/queryables", SCHEMA_JSON)}
    return _answer(document, "queryables", SCHEMA_JSON)


def _features(cid: str, role: str) -> list[dict]:
    """Return every feature of a collection as the role may see it, filtered by the query."""
    if cid == OUTLINES:
        box = query.bbox(_args(), with_heights=True)
        return [{"type": "Feature", "id": code, "geometry": f["geometry"],
                 "properties": {"code": code, "naam": BY_CODE[code].name, "regio": BY_CODE[code].region}}
                for f in municipal_outlines(services().settings.boundaries_path)["features"]
                if (code := f["properties"].get("statcode") or f["properties"].get("code")) in BY_CODE
                and _touches(f["geometry"], box)]
    view = role_view(role)
    care = _collection(cid)["care_type"]
    rows = query.within(apply_filter(view, query.location_filter(_args(), services().catalog)), query.bbox(_args(), with_heights=True))
    if care:
        rows = rows[rows["care_types"].map(lambda codes: care in codes)]
    return tables.to_geojson(rows)["features"]


def _touches(geometry: dict, box) -> bool:
    """Whether an outline intersects the box (the geometry itself, not its bounding box). A box whose
    west edge lies east of its east edge crosses the antimeridian; south above north holds nothing."""
    if box is None:
        return True
    from shapely.geometry import box as make_box, shape

    west, south, east, north = box
    if south > north:
        return False
    boxes = [make_box(west, south, east, north)] if west <= east else [
        make_box(west, south, 180.0, north), make_box(-180.0, south, east, north)]
    outline = shape(geometry)
    return any(outline.intersects(b) for b in boxes)


@bp.get("/collections/<cid>/items")
def items(cid: str):
    _collection(cid)
    _check_params(ITEM_PARAMETERS)
    crs = request.args.get("bbox-crs")
    if crs not in (None, CRS84):
        raise ParamError("bbox-crs", f"alleen {CRS84} wordt ondersteund")
    query.datetime_interval(_args())  # the objects have no time: a valid datetime selects them all
    role, _who = api_user()
    limit = query.integer(_args(), "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, clamp=True)  # the standard clamps
    offset = query.integer(_args(), "offset", 0, 10_000_000, 0)
    features = _features(cid, role)
    page = features[offset:offset + limit]
    base = f"{_base()}/collections/{cid}/items"
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("limit", "offset")]
    links = [*_alternates(base, GEOJSON), _link(f"{_base()}/collections/{cid}", "collection", JSON, "De collectie")]
    if offset + limit < len(features):
        links.append(_link(f"{base}?{urlencode([*args, ('limit', limit), ('offset', offset + limit)])}", "next", GEOJSON, "Volgende pagina"))
    if offset > 0:
        links.append(_link(f"{base}?{urlencode([*args, ('limit', limit), ('offset', max(0, offset - limit))])}", "prev", GEOJSON, "Vorige pagina"))
    if cid != OUTLINES:
        audit_bw(role, request.full_path)
    return _answer({"type": "FeatureCollection", "features": page, "links": links,
                    "timeStamp": clock.now().astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
                    "numberMatched": len(features), "numberReturned": len(page)}, "items", GEOJSON,
                   title=_collection(cid)["title"])


@bp.get("/collections/<cid>/items/<fid>")
def item(cid: str, fid: str):
    _collection(cid)
    _check_params(())
    role, _who = api_user()
    if cid == OUTLINES:
        found = [f for f in _features(cid, role) if f["id"] == fid]
    else:
        view = role_view(role)
        care = _collection(cid)["care_type"]
        rows = view[(view["id"] == fid) & view["care_types"].map(lambda codes: care is None or care in codes)]
        found = tables.to_geojson(rows)["features"]
        audit_bw(role, request.full_path)
    if not found:
        raise ApiError(404, "featureId", f"object '{fid[:40]}' bestaat niet in collectie '{cid}'")
    base = f"{_base()}/collections/{cid}"
    return _answer({**found[0], "links": [*_alternates(f"{base}/items/{fid}", GEOJSON),
                                          _link(base, "collection", JSON, "De collectie")]}, "item", GEOJSON,
                   title=str(found[0]["properties"].get("name") or found[0]["properties"].get("naam") or fid))


@bp.get("/<path:rest>")
def _unknown(rest: str):
    """Unknown paths under /ogc/ answer the OGC exception with 404, not the map page."""
    raise ApiError(404, None, f"onbekend pad '/ogc/{rest[:60]}'; zie /ogc/api")
