"""The JSON API under /api/v1/: locations, nearest, meta, exports and its OpenAPI document.

Role-aware through the session or a per-user API token (`Authorization: Bearer wk_…`); the
data comes from `access.view_for`, like everywhere else. Public answers allow CORS without
credentials. JSON is strict: no NaN.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, Response, request
from flask_login import current_user

from auth import current_role, users
from auth.web import engine
from ..core import access, finder
from ..core.filters import LocationFilter, apply_filter
from ..core.geocode import GeocodeError
from ..core.reference import municipality
from ..export import tables
from . import audit_bw, services
from .openapi import OPENAPI

bp = Blueprint("api", __name__, url_prefix="/api/v1")
DEFAULT_LIMIT = 1000  # a page of locations; `next` links lead on
MAX_LIMIT = 10_000
FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "geojson": "application/geo+json", "hsds": "application/json"}


class ApiError(Exception):
    """A refused request: status, the parameter at fault and a Dutch message."""

    def __init__(self, status: int, parameter: str | None, message: str):
        super().__init__(message)
        self.status, self.parameter, self.message = status, parameter, message


def _json(data, status: int = 200, mimetype: str = "application/json") -> Response:
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, status=status, mimetype=mimetype)


@bp.errorhandler(ApiError)
def _error(exc: ApiError):
    return _json({"error": {"parameter": exc.parameter, "message": exc.message}}, exc.status)


def api_user() -> tuple[str, str]:
    """Return (role, who) of this API request: from a Bearer token, else from the session."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        account = users.by_api_token(engine(), token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if account is None:
            raise ApiError(401, "Authorization", "ongeldige of verlopen API-sleutel")
        request.wmo_kaart_api_user = account.username
        return account.role, account.username
    role = current_role()
    return role, getattr(current_user, "username", None) or role


def api_role() -> str:
    return api_user()[0]


@bp.after_request
def _cors(response: Response) -> Response:
    if not request.headers.get("Authorization") and not request.cookies:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Vary"] = "Origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _many(name: str) -> list[str]:
    return [v.strip() for raw in request.args.getlist(name) for v in raw.split(",") if v.strip()]


def _filter() -> LocationFilter:
    catalog = services().catalog
    gemeente = []
    for value in _many("gemeente"):
        found = municipality(value)
        if not found:
            raise ApiError(400, "gemeente", f"onbekende gemeente '{value[:40]}'")
        gemeente.append(found.code)
    zorgvorm = _many("zorgvorm")
    for code in zorgvorm:
        if code not in catalog.care_codes:
            raise ApiError(400, "zorgvorm", f"onbekende zorgvorm '{code[:20]}' (bekend: {', '.join(catalog.care_codes)})")
    doelgroep = _many("doelgroep")
    for code in doelgroep:
        if code not in catalog.target_codes:
            raise ApiError(400, "doelgroep", f"onbekende doelgroep '{code[:30]}'")
    return LocationFilter.from_values(zorgvorm, gemeente, doelgroep, _many("aanbieder"), request.args.get("q", ""))


def _bbox(rows):
    raw = request.args.get("bbox")
    if raw is None:
        return rows
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in raw.split(","))
    except ValueError:
        raise ApiError(400, "bbox", "bbox moet vier getallen zijn: minLon,minLat,maxLon,maxLat") from None
    if not (min_lon <= max_lon and min_lat <= max_lat):
        raise ApiError(400, "bbox", "bbox: het minimum moet kleiner zijn dan het maximum")
    return rows[rows["lon"].between(min_lon, max_lon) & rows["lat"].between(min_lat, max_lat)]


def _rows():
    role, who = api_user()
    view = access.view_for(services().store.current(), role)
    return (role, who), _bbox(apply_filter(view, _filter()))


@bp.get("/locations")
def locations():
    (role, _who), rows = _rows()
    limit = _number("limit", 1, MAX_LIMIT, integer=True) or DEFAULT_LIMIT
    offset = _number("offset", 0, 10_000_000, integer=True) or 0
    page = rows.iloc[offset:offset + limit]
    body = tables.to_geojson(page)
    body.update(numberMatched=len(rows), numberReturned=len(page), links=[])
    if offset + limit < len(rows):
        from urllib.parse import urlencode

        args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("limit", "offset")]
        body["links"].append({"rel": "next", "type": "application/geo+json",
                              "href": f"{request.path}?{urlencode([*args, ('limit', limit), ('offset', offset + limit)])}"})
    audit_bw(role, request.full_path)
    return _json(body, mimetype="application/geo+json")


def _number(name: str, low: float, high: float, integer: bool = False):
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise ApiError(400, name, f"'{raw[:20]}' is geen {'geheel ' if integer else ''}getal") from None
    if not (low <= value <= high):
        raise ApiError(400, name, f"{name} moet tussen {low:g} en {high:g} liggen")
    return value


@bp.get("/nearest")
def nearest():
    svc = services()
    role = api_role()
    view = access.view_for(svc.store.current(), role)
    limit = _number("limit", 1, 100, integer=True) or 10
    lat, lon = _number("lat", -90, 90), _number("lon", -180, 180)
    text = request.args.get("postcode") or request.args.get("place")
    try:
        if lat is not None or lon is not None:
            if lat is None or lon is None:
                raise ApiError(400, "lat" if lat is None else "lon", "geef zowel lat als lon")
            origin, notice = finder.origin_from_point(lat, lon), ""
        elif text:
            origin, notice = finder.locate(svc.geocoder, text)
        else:
            raise ApiError(400, "postcode", "geef postcode, place of lat en lon")
    except GeocodeError as exc:
        raise ApiError(400, "postcode" if request.args.get("postcode") else ("place" if text else "lat"), str(exc)) from None
    flt = LocationFilter.from_values(care_types=_filter().care_types)
    result = finder.find(view, origin, flt, limit, notice).as_json()
    audit_bw(role, request.full_path)
    return _json(result)


@bp.get("/meta")
def meta():
    svc = services()
    dataset = svc.store.current()
    versions = svc.store.versions()
    published = versions[-1].published_at if versions else None
    return _json({"version": dataset.version, "published_at": published, "locations": len(dataset),
                  "demo": bool(dataset.meta.get("demo")), "care_types": [
                      {"code": t.code, "nl": t.nl, "en": t.en} for t in svc.catalog.care_types]})


@bp.get("/coverage")
def coverage():
    from ..core.coverage_params import ScenarioError, scenario_from_query
    from ..export import coverage_tables
    from .coverage_service import demand, figures

    role, who = api_user()
    if not access.may_open_page(role, "dekking"):
        raise ApiError(401 if role == access.ANONYMOUS else 403, "Authorization",
                       "dekkingscijfers zijn er voor professionele rollen: log in of gebruik een API-sleutel")
    try:
        scenario = scenario_from_query(services().catalog, request.args.to_dict(flat=False))
    except ScenarioError as exc:
        raise ApiError(400, exc.parameter, exc.message) from None
    places = request.args.get("plaatsen", "0")
    fmt = request.args.get("f", "json")
    if places not in ("0", "1") or fmt not in ("json", "csv", "xlsx"):
        raise ApiError(400, "plaatsen" if places not in ("0", "1") else "f", "ongeldige waarde")
    try:
        result = figures(role, scenario, places == "1")
    except PermissionError:
        raise ApiError(403, "plaatsen", "BW-plaatsen zijn alleen zichtbaar voor BW-rollen") from None
    if places == "1":
        audit_bw(role, f"coverage {scenario.care_type}")
    name = f"dekking-{scenario.care_type}-{dt.date.today().isoformat()}"
    if fmt == "csv":
        return _attach(Response(coverage_tables.to_csv(result), mimetype=FORMATS["csv"]), f"{name}.csv")
    if fmt == "xlsx":
        return _attach(Response(coverage_tables.to_xlsx(result, demand().source), mimetype=FORMATS["xlsx"]), f"{name}.xlsx")
    return _json(result.as_json())


@bp.get("/export/<fmt>")
def export(fmt: str):
    if fmt not in FORMATS:
        raise ApiError(404, "fmt", f"onbekend formaat '{fmt[:20]}' (bekend: {', '.join(FORMATS)})")
    (role, who), rows = _rows()
    audit_bw(role, f"export {fmt}")
    name = f"wmo-kaart-{dt.date.today().isoformat()}"
    if fmt == "csv":
        body = tables.to_csv(rows)
    elif fmt == "xlsx":
        body = tables.to_xlsx(rows, _provenance())
    elif fmt == "geojson":
        return _attach(_json(tables.to_geojson(rows), mimetype=FORMATS[fmt]), f"{name}.geojson")
    else:
        return _attach(_json(tables.to_hsds(rows, services().catalog)), f"{name}-hsds.json")
    return _attach(Response(body, mimetype=FORMATS[fmt]), f"{name}.{fmt}")


def _provenance() -> dict:
    """Return where an export comes from, for its second sheet."""
    store = services().store
    dataset = store.current()
    versions = store.versions()
    return {"Gegevensversie": store.live_version() or dataset.version,
            "Gepubliceerd": versions[-1].published_at if versions else "",
            "Bron": (versions[-1].source if versions else dataset.source),
            "Geëxporteerd": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "Demogegevens": "ja: alle aanbieders, locaties en personen zijn fictief" if dataset.meta.get("demo") else "nee",
            "Licentie": "EUPL-1.2 (software); gegevens van de regio; gemeenten en postcodes: CBS, CC-BY 4.0"}


def _attach(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/openapi.json")
def openapi():
    from . import public_base

    return _json({**OPENAPI, "servers": [{"url": (public_base() or "") + "/api/v1"}]})


