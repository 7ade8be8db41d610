"""The JSON API under /api/v1/: locations, nearest, meta, exports and its OpenAPI document.

Role-aware through the session or a per-user API token (`Authorization: Bearer wk_…`, or the
token as the password of HTTP Basic); the data comes from `access.view_for`, like everywhere else.
CORS, 401 challenges and the error shapes are the same for every API (`api_edges`). JSON is strict:
no NaN.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, g, request
from flask_login import current_user

from auth import current_role, users
from auth.keys import key_from_authorization
from auth.web import engine
from ..core import access, finder, query
from ..core.filters import apply_filter
from ..core.geocode import GeocodeError
from ..core.query import ParamError
from . import audit_bw, role_view, services
from .openapi import document
from .prepared import TINY, best_encoding, prepared
from .security import PUBLIC_REVALIDATE
from ..core import clock

bp = Blueprint("api", __name__, url_prefix="/api/v1")
DEFAULT_LIMIT = 1000  # a page of locations; `next` links lead on
MAX_LIMIT = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ApiError(Exception):
    """A refused request: status, the parameter at fault and a Dutch message."""

    def __init__(self, status: int, parameter: str | None, message: str):
        super().__init__(message)
        self.status, self.parameter, self.message = status, parameter, message


def json_response(data, status: int = 200, mimetype: str = "application/json") -> Response:
    """Answer with strict JSON (no NaN), compact, UTF-8."""
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, status=status, mimetype=mimetype)


_json = json_response


def error_response(exc: ApiError | ParamError) -> Response:
    """Answer a refused request: the parameter at fault and a Dutch message (used by /api/v1 and /hsds)."""
    return _json({"error": {"parameter": exc.parameter, "message": exc.message}}, exc.status)


bp.register_error_handler(ApiError, error_response)
bp.register_error_handler(ParamError, error_response)


@bp.get("/<path:rest>")
def _unknown(rest: str):
    """Unknown paths under /api/v1/ answer JSON 404, not the map page."""
    raise ApiError(404, None, f"onbekend pad '/api/v1/{rest[:60]}'; zie /api/v1/openapi.json")


def api_user() -> tuple[str, str]:
    """Return (role, who) of this API request: from an API key (Bearer, or the password of HTTP Basic), else
    from the session."""
    header = request.headers.get("Authorization", "")
    if header:
        key = key_from_authorization(header)
        account = users.by_api_token(engine(), key) if key else None
        if account is None:
            raise ApiError(401, "Authorization", "ongeldige of verlopen API-sleutel")
        request.wmo_kaart_api_user = account.username
        g.api_role = account.role  # counted per role (web/usage.py)
        return account.role, account.username
    role = current_role()
    g.api_role = role
    return role, getattr(current_user, "username", None) or role


def api_role() -> str:
    return api_user()[0]


def _args() -> dict[str, list[str]]:
    return request.args.to_dict(flat=False)


def _rows():
    role, who = api_user()
    view = role_view(role)
    rows = apply_filter(view, query.location_filter(_args(), services().catalog))
    return (role, who), query.within(rows, query.bbox(_args()))


@bp.get("/locations")
def locations():
    role, _who = api_user()
    view = role_view(role)
    args = _args()
    ready = prepared(view)

    def make() -> bytes:
        rows = query.within(apply_filter(view, query.location_filter(args, services().catalog)), query.bbox(args))
        limit = query.integer(args, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
        offset = query.integer(args, "offset", 0, 10_000_000, 0)
        page = rows.iloc[offset:offset + limit]
        tail = {"numberMatched": len(rows), "numberReturned": len(page), "links": []}
        if offset + limit < len(rows):
            from urllib.parse import urlencode

            kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("limit", "offset")]
            tail["links"].append({"rel": "next", "type": "application/geo+json",
                                  "href": f"{request.path}?{urlencode([*kept, ('limit', limit), ('offset', offset + limit)])}"})
        return ready.collection(page, tail)

    answer = ready.answer(("locations", tuple(sorted((k, tuple(v)) for k, v in args.items()))), make)
    audit_bw(role, request.full_path)
    return prepared_response(ready, answer, "application/geo+json", public=role == access.ANONYMOUS and not request.authorization)


def prepared_response(ready, answer, mimetype: str, public: bool) -> Response:
    """Answer with a prepared body: 304 when the client has it (If-None-Match), else compressed when the client
    takes it and the body is not tiny. Public answers may be kept by the client if it asks again first."""
    headers = {"ETag": answer.etag, "Vary": "Accept-Encoding"}
    if public:
        headers["Cache-Control"] = PUBLIC_REVALIDATE
    if answer.etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        return Response(status=304, headers=headers)
    encoding = best_encoding(request.headers.get("Accept-Encoding", "")) if len(answer.body) >= TINY else None
    body = answer.body
    if encoding:
        before = answer.size
        body = answer.encoded(encoding)
        ready.grew(before, answer)
        headers["Content-Encoding"] = encoding
    return Response(body, mimetype=mimetype, headers=headers)


@bp.get("/nearest")
def nearest():
    svc = services()
    role = api_role()
    view = role_view(role)
    limit = query.integer(_args(), "limit", 1, 100, 10)
    flt = query.location_filter({"zorgvorm": request.args.getlist("zorgvorm")}, svc.catalog)
    text = (request.args.get("van") or "").strip()
    if not text:
        raise ApiError(400, "van", "geef een vertrekpunt: een postcode, een plaats of breedtegraad,lengtegraad")
    if len(text) > 100:
        raise ApiError(400, "van", "van mag hoogstens 100 tekens lang zijn")
    try:
        origin, notice = finder.origin_from_text(svc.geocoder, text)
    except GeocodeError as exc:
        raise ApiError(404, "van", str(exc)) from None
    result = finder.find_json(view, origin, flt, limit, notice)
    audit_bw(role, request.full_path)
    return _json(result)


@bp.get("/meta")
def meta():
    role, _who = api_user()  # a bad key is refused here too
    svc = services()
    dataset = svc.store.current()
    versions = svc.store.versions()
    last = versions[-1] if versions else None
    return _json({"version": last.number if last else None, "version_sha256": last.data_sha256 if last else None,
                  "published_at": last.published_at if last else None,
                  "locations": len(role_view(role)),  # what this caller may see: no ended contracts for the public
                  "demo": bool(dataset.meta.get("demo")), "care_types": [
                      {"code": t.code, "nl": t.nl, "en": t.en} for t in svc.catalog.care_types]})


@bp.get("/coverage")
def coverage():
    from ..core.coverage_params import ScenarioError, scenario_from_query
    from ..export import coverage_tables
    from .coverage_service import demand, figures

    role, who = api_user()
    if not access.may(role, "coverage"):
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
    name = f"dekking-{scenario.care_type}-{clock.today().isoformat()}"
    if fmt == "csv":
        return _attach(Response(coverage_tables.to_csv(result), mimetype="text/csv"), f"{name}.csv")
    if fmt == "xlsx":
        return _attach(Response(coverage_tables.to_xlsx(result, demand().source), mimetype=XLSX), f"{name}.xlsx")
    return _json(result.as_json())


@bp.get("/export/<fmt>")
def export(fmt: str):
    from ..export.formats import FORMATS, file_name

    if fmt not in FORMATS:
        raise ApiError(404, "fmt", f"onbekend formaat '{fmt[:20]}' (bekend: {', '.join(FORMATS)})")
    (role, who), rows = _rows()
    audit_bw(role, f"export {fmt}")
    body = FORMATS[fmt].write(rows, services().catalog, _provenance())
    return _attach(Response(body, mimetype=FORMATS[fmt].media_type), file_name(FORMATS[fmt], clock.today()))


def _published() -> str | None:
    versions = services().store.versions()
    return versions[-1].published_at if versions else None


def _provenance() -> dict:
    """Return where an export comes from (its 'Bron' sheet, its GeoJSON `provenance`)."""
    from ..core import provenance

    return provenance.of_store(services().store)


def _attach(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/openapi.json")
def openapi():
    from . import public_base

    return _json(document(services().catalog, (public_base() or "") + "/api/v1"))


