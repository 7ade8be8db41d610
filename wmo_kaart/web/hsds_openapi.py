"""The OpenAPI 3.0 document of /hsds (served at /hsds/openapi.json): the paths and parameters of the
HSDS 3.1 API specification (openreferral/specification, schema/openapi.json), with the rules this
server enforces declared exactly (ranges, enumerations, lengths), so that what it calls valid is
answered with 2xx (or 401/404) and what it calls invalid with 400."""

from __future__ import annotations

from ..core.catalog import Catalog
from ..core.query import INSTANT_PATTERN, TEXT_MAX
from .hsds_api import ID_MAX
from .openapi import TEXT_PATTERN, _errors, envelope, error_schema

_JSON = "application/json"
_ID = {"type": "string", "maxLength": ID_MAX, "pattern": TEXT_PATTERN}


def _param(name: str, schema: dict, description: str, where: str = "query", required: bool = False) -> dict:
    found = {"name": name, "in": where, "schema": schema, "description": description}
    if required:
        found["required"] = True
    return found


PAGE = _param("page", {"type": "integer", "minimum": 1, "maximum": 10_000_000, "default": 1}, "paginanummer")
PER_PAGE = _param("per_page", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}, "aantal per pagina")
FORMAT = _param("format", {"type": "string", "enum": ["json"]}, "alleen json")
SEARCH = _param("search", {"type": "string", "maxLength": TEXT_MAX, "pattern": TEXT_PATTERN},
                "vrije tekst over aanbieder, locatie en plaats (alle woorden moeten voorkomen)")
ORGANIZATION = _param("organization_id", _ID, "alleen diensten van deze organisatie")
TERM = _param("taxonomy_term_id", _ID, "alleen diensten met deze term")
TAXONOMY = _param("taxonomy_id", _ID, "alleen diensten met een term uit deze taxonomie")
MODIFIED = _param("modified_after", {"type": "string", "pattern": INSTANT_PATTERN},
                  "alleen wat op of na dit moment (RFC 3339) is gewijzigd, zoals uw rol het ziet")
MINIMAL = _param("minimal", {"type": "string", "enum": ["true", "false"]}, "true: alleen id en last_modified per dienst")
FULL = _param("full", {"type": "string", "enum": ["true", "false"]}, "true: volledig genest")


def _ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": {_JSON: {"schema": schema}}}


def _page_schema() -> dict:
    return {"type": "object", "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page",
                                           "empty", "contents"],
            "properties": {"total_items": {"type": "integer", "minimum": 0}, "total_pages": {"type": "integer", "minimum": 1},
                           "page_number": {"type": "integer", "minimum": 1}, "size": {"type": "integer", "minimum": 0},
                           "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"}, "empty": {"type": "boolean"},
                           "contents": {"type": "array", "items": {"type": "object", "required": ["id"]}}}}


def _list(summary: str, operation: str, parameters: list[dict]) -> dict:
    return {"get": {"summary": summary, "operationId": operation, "parameters": parameters,
                    "responses": {"200": _ok("Een pagina", {"$ref": "#/components/schemas/Page"}), **_errors(400, 401)}}}


def _one(summary: str, operation: str) -> dict:
    return {"get": {"summary": summary, "operationId": operation,
                    "parameters": [_param("id", _ID, "id (UUID)", "path", True)],
                    "responses": {"200": _ok("Het object", {"type": "object", "required": ["id"]}), **_errors(400, 401, 404)}}}


def document(server: str, catalog: Catalog) -> dict:  # noqa: ARG001 - the same signature as the other documents
    """Return the OpenAPI document of the HSDS API at `server`."""
    paging = [PAGE, PER_PAGE, FORMAT]
    return envelope(
        "Wmo-kaart: Open Referral HSDS 3.1", "3.1",
        "Gecontracteerde Wmo-diensten, organisaties en locaties volgens Open Referral HSDS 3.1. Zonder sleutel de "
        "openbare velden; met een API-sleutel (Bearer, of als wachtwoord van HTTP Basic) wat uw rol mag zien. "
        "`modified_after` haalt alleen wat gewijzigd is.",
        server, schemas={"Error": error_schema(), "Page": _page_schema()}, paths={
            "/": {"get": {"summary": "Versie en de plaats van dit document", "operationId": "getRoot",
                          "responses": {"200": _ok("Over de API", {"type": "object", "required": ["version", "openapi_url"]}),
                                        **_errors(400, 401)}}},
            "/services": _list("Diensten", "getServices",
                               [*paging, SEARCH, ORGANIZATION, TERM, TAXONOMY, MODIFIED, MINIMAL, FULL]),
            "/services/{id}": _one("Eén dienst, volledig genest", "getService"),
            "/organizations": _list("Organisaties", "getOrganizations", [*paging, SEARCH, FULL]),
            "/organizations/{id}": _one("Eén organisatie met haar diensten", "getOrganization"),
            "/service_at_locations": _list("Diensten op locaties", "getServiceAtLocations",
                                           [*paging, SEARCH, ORGANIZATION, TERM, TAXONOMY, MODIFIED, FULL]),
            "/service_at_locations/{id}": _one("Eén dienst op een locatie", "getServiceAtLocation"),
            "/taxonomies": _list("Taxonomieën", "getTaxonomies", [*paging, SEARCH]),
            "/taxonomies/{id}": _one("Eén taxonomie", "getTaxonomy"),
            "/taxonomy_terms": _list("Termen", "getTaxonomyTerms", [*paging, SEARCH, TAXONOMY]),
            "/taxonomy_terms/{id}": _one("Eén term", "getTaxonomyTerm"),
        })
