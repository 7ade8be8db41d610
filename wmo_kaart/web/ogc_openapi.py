"""The OpenAPI 3.0 document of /ogc/ (OGC API – Features conformance class oas30), built from the data contract."""

from __future__ import annotations

from ..core.catalog import Catalog
from ..core.query import CODE_MAX, DATETIME_PATTERN, TEXT_MAX, municipality_values
from .openapi import envelope, feature_schema, filter_parameters

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]
SCHEMA_JSON = "application/schema+json"
_html = "text/html"
ITEM_PARAMETERS = ("limit", "offset", "bbox", "bbox-crs", "datetime", "gemeente", "zorgvorm", "doelgroep", "aanbieder", "q")

_link = {"type": "object", "required": ["href", "rel"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}}}
_links = {"type": "array", "items": _link}
_json = "application/json"
_geojson = "application/geo+json"


def _ok(description: str, schema: dict, media: str = _json) -> dict:
    """A 200 answer: JSON (or GeoJSON), and the same resource as an HTML page (f=html or a browser)."""
    return {"description": description, "content": {media: {"schema": schema}, _html: {"schema": {"type": "string"}}}}


def _errors(*statuses: int) -> dict:
    exception = {"type": "object", "required": ["code"], "properties": {
        "code": {"type": "string"}, "description": {"type": "string"}}}
    text = {400: "Ongeldige parameter", 401: "Ongeldige of verlopen API-sleutel", 404: "Niet gevonden",
            414: "Adres te lang", 429: "Te veel verzoeken zonder sleutel"}
    return {str(s): {"description": text[s], "content": {_json: {"schema": exception}}} for s in (*statuses, 414, 429)}


def queryable_properties(collection_id: str, catalog: Catalog) -> dict:
    """The filterable properties of a collection as JSON Schema (the queryables), from the same rules
    `core.query` enforces. The outlines have none."""
    if collection_id == "gemeenten":
        return {}
    return {
        "gemeente": {"title": "Gemeente", "description": "CBS-code of naam van een gemeente in de regio",
                     "type": "string", "enum": municipality_values()},
        "zorgvorm": {"title": "Zorgvorm", "description": "iWmo-code van de zorgvorm",
                     "type": "string", "enum": list(catalog.care_codes)},
        "doelgroep": {"title": "Doelgroep", "type": "string", "enum": list(catalog.target_codes)},
        "aanbieder": {"title": "Aanbiedercode", "type": "string", "maxLength": CODE_MAX},
        "q": {"title": "Vrije tekst", "description": "over aanbieder, locatie en plaats", "type": "string",
              "maxLength": TEXT_MAX},
    }


def document(base: str, collection_ids: list[str], catalog: Catalog) -> dict:
    """Return the OpenAPI document of the OGC API at `base` with these collections."""
    collection = {"type": "object", "required": ["id", "links"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "itemType": {"type": "string"},
        "crs": {"type": "array", "items": {"type": "string"}}, "extent": {"type": "object"}, "links": _links}}
    outline = {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "string"},
        "geometry": {"type": "object"}, "links": _links,
        "properties": {"type": "object", "additionalProperties": False, "properties": {
            "code": {"type": "string"}, "naam": {"type": "string"}, "regio": {"type": "string"}}}}}
    feature = {"oneOf": [feature_schema(links=True), outline]}
    cid = {"name": "collectionId", "in": "path", "required": True, "schema": {"type": "string", "enum": collection_ids}}
    items = {"type": "object", "required": ["type", "features"], "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]}, "features": {"type": "array", "items": feature},
        "links": _links, "timeStamp": {"type": "string", "format": "date-time"},
        "numberMatched": {"type": "integer", "minimum": 0}, "numberReturned": {"type": "integer", "minimum": 0}}}
    fmt = {"name": "f", "in": "query", "schema": {"type": "string", "enum": ["json", "html"]},
           "description": "uitvoerformaat: json (standaard) of html (zonder f kiest de Accept-kop)"}
    bbox = {"name": "bbox", "in": "query", "style": "form", "explode": False,
            "description": "minLon,minLat,maxLon,maxLat, of met hoogten minLon,minLat,minHoogte,maxLon,maxLat,maxHoogte "
                           "(WGS84). West groter dan oost: over de datumgrens; zuid groter dan noord: een lege doos.",
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "not": {"minItems": 5, "maxItems": 5},
                       "items": {"type": "number"}}}
    datetime = {"name": "datetime", "in": "query", "schema": {"type": "string", "maxLength": 100, "pattern": DATETIME_PATTERN},
                "description": "een datum of tijdstip (RFC 3339) of een periode begin/eind ('..' voor open); "
                               "de objecten hebben geen tijd, dus een geldige waarde kiest ze allemaal"}
    return envelope(
        "Wmo-kaart: OGC API – Features", "1.0",
        "Locaties van gecontracteerde Wmo-aanbieders (openbare velden; met een API-sleutel de velden van uw rol) "
        "en de gemeentegrenzen van de regio.",
        base, paths={
            "/": {"get": {"summary": "Startpagina", "operationId": "getLandingPage", "parameters": [fmt],
                          "responses": {"200": _ok("Startpagina met links", {"type": "object", "required": ["links"], "properties": {
                              "title": {"type": "string"}, "description": {"type": "string"}, "links": _links}}),
                              **_errors(400, 401)}}},
            "/conformance": {"get": {"summary": "Conformiteitsklassen", "operationId": "getConformance", "parameters": [fmt],
                                     "responses": {"200": _ok("Klassen", {"type": "object", "required": ["conformsTo"], "properties": {
                                         "conformsTo": {"type": "array", "items": {"type": "string"}}}}), **_errors(400, 401)}}},
            "/collections": {"get": {"summary": "Collecties", "operationId": "getCollections", "parameters": [fmt],
                                     "responses": {"200": _ok("Collecties", {"type": "object", "required": ["links", "collections"], "properties": {
                                         "links": _links, "collections": {"type": "array", "items": collection}}}), **_errors(400, 401)}}},
            "/collections/{collectionId}": {"get": {
                "summary": "Een collectie", "operationId": "describeCollection", "parameters": [cid, fmt],
                "responses": {"200": _ok("Collectie", collection), **_errors(400, 401, 404)}}},
            "/collections/{collectionId}/items": {"get": {
                "summary": "Objecten van een collectie, per pagina", "operationId": "getFeatures",
                "parameters": [cid, fmt,
                               {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1000},
                                "description": "hoogstens 10000 per pagina; een grotere waarde geeft er 10000"},
                               {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10000000, "default": 0}},
                               bbox,
                               {"name": "bbox-crs", "in": "query", "schema": {"type": "string", "enum": [
                                   "http://www.opengis.net/def/crs/OGC/1.3/CRS84"]}},
                               datetime,
                               *filter_parameters(catalog)],
                "responses": {"200": _ok("Objecten", items, _geojson), **_errors(400, 401, 404)}}},
            "/collections/{collectionId}/queryables": {"get": {
                "summary": "Filterbare eigenschappen van een collectie", "operationId": "getQueryables", "parameters": [cid, fmt],
                "responses": {"200": _ok("JSON Schema van de filterbare eigenschappen", {"type": "object", "required": ["type", "properties"]},
                                         SCHEMA_JSON), **_errors(400, 401, 404)}}},
            "/collections/{collectionId}/items/{featureId}": {"get": {
                "summary": "Eén object", "operationId": "getFeature",
                "parameters": [cid, {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 200}}, fmt],
                "responses": {"200": _ok("Object", feature, _geojson), **_errors(400, 401, 404)}}},
        })
