"""The HSDS 3.1 API under /hsds/: services, organizations, services at locations, taxonomies and terms.

Paginated as the specification's OpenAPI says (`page`, `per_page`; `total_items`, `total_pages`,
`page_number`, `size`, `first_page`, `last_page`, `empty`, `contents`). Role-aware like /api/v1:
anonymous callers get public fields, a Bearer key the fields of its role (BW capacity included for
BW roles, with the audit record).
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

from flask import Blueprint, request

from ..core import access, query
from ..core.modified import modified_times
from ..core.query import ParamError
from ..export import hsds
from . import audit_bw, public_base, role_view, services
from .api import ApiError, api_user, error_response, json_response
from ..core import clock

bp = Blueprint("hsds", __name__, url_prefix="/hsds")
DEFAULT_PER_PAGE, MAX_PER_PAGE = 50, 1000
ID_MAX = 200  # an id in a filter (ours are UUIDs)
PAGING = ("page", "per_page", "format")
SERVICE_PARAMETERS = (*PAGING, "search", "organization_id", "taxonomy_term_id", "taxonomy_id", "modified_after", "minimal", "full")
SAL_PARAMETERS = (*PAGING, "search", "organization_id", "taxonomy_term_id", "taxonomy_id", "modified_after", "full")
ORGANIZATION_PARAMETERS = (*PAGING, "search", "full")
TAXONOMY_PARAMETERS = (*PAGING, "search")
TERM_PARAMETERS = (*PAGING, "search", "taxonomy_id")


bp.register_error_handler(ApiError, error_response)
bp.register_error_handler(ParamError, error_response)


def _graph() -> hsds.Graph:
    role, _who = api_user()
    svc = services()
    text = request.args.get("search", "")
    if text:
        query.location_filter({"q": [text]}, svc.catalog)  # a bad search is a 400 before anything is built
    graph = _built(svc.store, svc.store.live_version(), clock.today(), role, text)
    if graph.bw:
        audit_bw(role, request.full_path)
    return graph


@lru_cache(maxsize=32)
def _built(_store, _version, _today, role: str, text: str) -> hsds.Graph:
    """Build the HSDS graph once per data version, day (contracts end), role and search: every page of every
    endpoint reads the same graph (it was rebuilt per request). Nobody changes a graph once built."""
    svc = services()
    view = role_view(role)
    if text:
        from ..core.filters import apply_filter

        view = apply_filter(view, query.location_filter({"q": [text]}, svc.catalog))
    versions = svc.store.versions()
    published = versions[-1].published_at if versions else None
    modified = modified_times(svc.store.current().meta, access.role(role).tiers)
    return hsds.build(view, svc.catalog, published, modified)


def _check(known: tuple[str, ...]) -> dict[str, list[str]]:
    args = request.args.to_dict(flat=False)
    name = query.unknown(args, known)
    if name:
        raise ParamError(name, f"onbekende parameter '{name[:40]}' (bekend: {', '.join(known) or 'geen'})")
    if query.one(args, "format") not in (None, "json"):
        raise ParamError("format", "alleen format=json wordt ondersteund")
    for name in ("organization_id", "taxonomy_term_id", "taxonomy_id"):
        if len(query.one(args, name) or "") > ID_MAX:
            raise ParamError(name, f"{name} heeft hoogstens {ID_MAX} tekens")
    return args


def _flag(args: dict[str, list[str]], name: str) -> bool:
    """HSDS's boolean parameters: true or false."""
    value = query.one(args, name)
    if value not in (None, "true", "false"):
        raise ParamError(name, f"{name} moet true of false zijn")
    return value == "true"


def _modified_after(args: dict[str, list[str]]):
    """HSDS's `modified_after`: an RFC 3339 date or date-time; results modified on or after it."""
    raw = query.one(args, "modified_after")
    if raw is None:
        return None
    moment = query.instant(raw)
    if moment is None:
        raise ParamError("modified_after", "modified_after moet een datum of tijdstip volgens RFC 3339 zijn "
                                           "(2026-12-03 of 2026-12-03T10:00:00Z)")
    return moment


def _since(service: dict, moment) -> bool:
    stamp = service.get("last_modified")
    return moment is None or (stamp is not None and dt.datetime.fromisoformat(stamp) >= moment)


def _page(items: list[dict], known: tuple[str, ...]) -> dict:
    args = _check(known)
    per_page = query.integer(args, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE)
    page = query.integer(args, "page", 1, 10_000_000, 1)
    total_pages = max(1, math.ceil(len(items) / per_page))
    contents = items[(page - 1) * per_page: page * per_page]
    return {"total_items": len(items), "total_pages": total_pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= total_pages, "empty": not contents, "contents": contents}


def _found(table: dict, key: str, what: str) -> dict:
    if key not in table:
        raise ApiError(404, "id", f"{what} '{key[:40]}' bestaat niet")
    return table[key]


def _linked(items, graph: hsds.Graph, args: dict[str, list[str]]):
    """Keep services (or services at locations) of an organization or with a taxonomy term."""
    org, term, taxonomy = (query.one(args, n) for n in ("organization_id", "taxonomy_term_id", "taxonomy_id"))
    for service_id, item in items:
        service = graph.services[service_id]
        terms = [a["taxonomy_term"] for a in service.get("attributes", [])]
        if org and service["organization_id"] != org:
            continue
        if term and not any(t["id"] == term for t in terms):
            continue
        if taxonomy and not any(t["taxonomy_id"] == taxonomy for t in terms):
            continue
        yield item


@bp.get("/")
def root():
    _check(())
    api_user()
    return json_response({"version": "3.1", "profile": "https://docs.openreferral.org/en/latest/",
                          "openapi_url": (public_base() or "") + "/hsds/openapi.json"})


@bp.get("/openapi.json")
def openapi():
    from .hsds_openapi import document

    _check(())
    return json_response(document((public_base() or "") + "/hsds", services().catalog))


@bp.get("/services")
def service_list():
    args = _check(SERVICE_PARAMETERS)
    since, minimal, full = _modified_after(args), _flag(args, "minimal"), _flag(args, "full")
    graph = _graph()

    def shape(sid: str) -> dict:
        service = graph.services[sid]
        if minimal:
            return _clean_minimal(service)
        return service if full else graph.service_list_item(sid)
    chosen = ((sid, shape(sid)) for sid, service in graph.services.items() if _since(service, since))
    return json_response(_page(list(_linked(chosen, graph, args)), SERVICE_PARAMETERS))


def _clean_minimal(service: dict) -> dict:
    """`minimal=true`: only the id and the modification time, for a harvester that compares."""
    return {k: service[k] for k in ("id", "last_modified") if service.get(k)}


@bp.get("/services/<sid>")
def service(sid: str):
    _check(())
    return json_response(_found(_graph().services, sid, "service"))


@bp.get("/organizations")
def organization_list():
    args = _check(ORGANIZATION_PARAMETERS)
    full = _flag(args, "full")
    graph = _graph()
    return json_response(_page([graph.organization_full(oid) if full else hsds.one_to_one(o)
                                for oid, o in graph.organizations.items()], ORGANIZATION_PARAMETERS))


@bp.get("/organizations/<oid>")
def organization(oid: str):
    _check(())
    graph = _graph()
    _found(graph.organizations, oid, "organization")
    return json_response(graph.organization_full(oid))


@bp.get("/service_at_locations")
def service_at_location_list():
    args = _check(SAL_PARAMETERS)
    since, full = _modified_after(args), _flag(args, "full")
    graph = _graph()
    items = ((sal["service_id"], graph.service_at_location_item(sal_id, full=full))
             for sal_id, sal in graph.service_at_locations.items() if _since(graph.services[sal["service_id"]], since))
    return json_response(_page(list(_linked(items, graph, args)), SAL_PARAMETERS))


@bp.get("/service_at_locations/<sal_id>")
def service_at_location(sal_id: str):
    _check(())
    graph = _graph()
    _found(graph.service_at_locations, sal_id, "service_at_location")
    return json_response(graph.service_at_location_item(sal_id, full=True))


@bp.get("/taxonomies")
def taxonomy_list():
    return json_response(_page(list(_graph().taxonomies.values()), TAXONOMY_PARAMETERS))


@bp.get("/taxonomies/<tid>")
def taxonomy(tid: str):
    _check(())
    return json_response(_found(_graph().taxonomies, tid, "taxonomy"))


@bp.get("/taxonomy_terms")
def taxonomy_term_list():
    graph = _graph()
    taxonomy_id = request.args.get("taxonomy_id")
    return json_response(_page([t for t in graph.terms.values() if not taxonomy_id or t["taxonomy_id"] == taxonomy_id],
                               TERM_PARAMETERS))


@bp.get("/taxonomy_terms/<tid>")
def taxonomy_term(tid: str):
    _check(())
    return json_response(_found(_graph().terms, tid, "taxonomy_term"))


@bp.get("/<path:rest>")
def _unknown(rest: str):
    """Unknown paths under /hsds/ answer JSON 404, not the map page."""
    raise ApiError(404, None, f"onbekend pad '/hsds/{rest[:60]}'; zie /hsds/openapi.json")
