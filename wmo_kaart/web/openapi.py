"""The OpenAPI 3.0 document of /api/v1 (served at /api/v1/openapi.json), generated from the data contract.

Every field a role can receive comes from `core.schema.FIELDS`; every parameter's real rules
(enumerations from the catalog and the region, lengths, ranges) are declared here and enforced
by `core.query`, `core.coverage_params` and the finder, so that a request the document calls
valid is answered with 2xx (or 401/403/404), and one it calls invalid with 400.
"""

from __future__ import annotations

from ..core.catalog import Catalog
from ..core.coverage_params import MAX_ADDED, MAX_LEFT_OUT, MAX_THRESHOLDS, POINT_PATTERN, THRESHOLDS_PATTERN
from ..core.query import CODE_MAX, MAX_VALUES, TEXT_MAX, municipality_values
from ..core.reference import REGIONS
from ..core.schema import FIELDS, properties_schema
from ..export.formats import FORMATS

_JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_links = {"type": "array", "items": {"type": "object", "required": ["href", "rel"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}}}}


TEXT_PATTERN = "^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"  # no control characters (refused with 400)


def _list(name: str, values: list[str] | None, description: str, max_items: int = MAX_VALUES) -> dict:
    """A list parameter: comma-separated (style form, explode false), of known values when `values` is given."""
    item = {"type": "string", "enum": values} if values else {"type": "string", "maxLength": CODE_MAX, "pattern": TEXT_PATTERN}
    return {"name": name, "in": "query", "style": "form", "explode": False, "description": description,
            "schema": {"type": "array", "items": item, "maxItems": max_items}}


def filter_parameters(catalog: Catalog | None = None) -> list[dict]:
    """The map's filters, as /api/v1 and /ogc accept them."""
    return [
        _list("gemeente", municipality_values(), "CBS-code (GM0828) of naam van een gemeente in de regio"),
        _list("zorgvorm", list(catalog.care_codes) if catalog else None, "iWmo-code van de zorgvorm (07, 02, 04, 15)"),
        _list("doelgroep", list(catalog.target_codes) if catalog else None, "doelgroepcode (ouderen, ggz, ...)"),
        _list("aanbieder", None, "aanbiedercode"),
        {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": TEXT_MAX, "pattern": TEXT_PATTERN},
         "description": "vrije tekst over aanbieder, locatie en plaats (alle woorden moeten voorkomen)"},
    ]


def bbox_parameter() -> dict:
    return {"name": "bbox", "in": "query", "style": "form", "explode": False,
            "description": "minLon,minLat,maxLon,maxLat (WGS84). West groter dan oost: over de datumgrens; "
                           "zuid groter dan noord: een lege doos.",
            "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}}


def feature_schema(links: bool = False) -> dict:
    """The GeoJSON Feature of one location, with every field any role can receive and nothing else."""
    props = {"type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "string"},
             "geometry": {"type": "object", "additionalProperties": False, "required": ["type", "coordinates"], "properties": {
                 "type": {"type": "string", "enum": ["Point"]},
                 "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}}},
             "properties": properties_schema([f.name for f in FIELDS])}
    if links:
        props["links"] = _links
    return {"type": "object", "additionalProperties": False, "required": ["type", "id", "geometry", "properties"],
            "properties": props}


def error_schema() -> dict:
    return {"type": "object", "additionalProperties": False, "required": ["error"], "properties": {"error": {
        "type": "object", "additionalProperties": False, "required": ["parameter", "message"],
        "properties": {"parameter": {"type": "string", "nullable": True}, "message": {"type": "string"}}}}}


def _errors(*statuses: int) -> dict:
    text = {400: "Ongeldige parameter", 401: "Ongeldige of verlopen API-sleutel, of inloggen nodig",
            403: "Uw rol mag dit niet zien", 404: "Niet gevonden", 414: "Het adres is te lang (hoogstens 8190 tekens)",
            429: "Te veel verzoeken zonder sleutel; probeer het over een minuut opnieuw"}
    return {str(s): {"description": text[s], "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}
            for s in (*statuses, 414, 429)}


# An API key as a Bearer token, or as the password of HTTP Basic (any user name): what QGIS 3.22 can send
SECURITY_SCHEMES = {"bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <API-sleutel>"},
                    "basic": {"type": "http", "scheme": "basic",
                              "description": "HTTP Basic met de API-sleutel als wachtwoord (elke gebruikersnaam)"}}
SECURITY = [{}, {"bearer": []}, {"basic": []}]


def envelope(title: str, version: str, description: str, server: str, paths: dict, schemas: dict | None = None) -> dict:
    """Return an OpenAPI 3.0 document of ours: the same version and security (anonymous, a key as Bearer
    or as the password of Basic) for every API, around its own paths and schemas."""
    components = {"securitySchemes": SECURITY_SCHEMES, **({"schemas": schemas} if schemas else {})}
    return {"openapi": "3.0.3", "info": {"title": title, "version": version, "description": description},
            "servers": [{"url": server}], "components": components, "security": SECURITY, "paths": paths}


def _paging(default: int, maximum: int) -> list[dict]:
    return [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
             "description": f"aantal per pagina (standaard {default})"},
            {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10_000_000, "default": 0}}]


def provenance_schema() -> dict:
    return {"type": "object", "additionalProperties": {"type": "string"}}


# the response schema per export format (formats sharing a media type would share one entry)
EXPORT_SCHEMAS = {"csv": lambda collection: {"type": "string"}, "xlsx": lambda collection: {"type": "string", "format": "binary"},
                  "geojson": lambda collection: collection,
                  "hsds": lambda collection: {"type": "array", "items": {"type": "object"}}}


def document(catalog: Catalog, server: str) -> dict:
    """Return the OpenAPI document of /api/v1 for this catalog, served from `server`."""
    filters = filter_parameters(catalog)
    care = filters[1]
    collection = {"type": "object", "additionalProperties": False, "required": ["type", "features"], "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"$ref": "#/components/schemas/Location"}},
        "numberMatched": {"type": "integer", "minimum": 0}, "numberReturned": {"type": "integer", "minimum": 0},
        "links": _links, "provenance": provenance_schema()}}
    nearest = {"type": "object", "additionalProperties": False, "required": ["origin", "results", "notice", "region"], "properties": {
        "origin": {"type": "object", "additionalProperties": False, "required": ["label", "lat", "lon", "source"], "properties": {
            "label": {"type": "string"}, "lat": {"type": "number"}, "lon": {"type": "number"},
            "source": {"type": "string", "enum": ["pdok", "gazetteer", "coordinates", "buurt"]}}},
        "notice": {"type": "string", "nullable": True},
        "region": {"type": "string", "nullable": True, "enum": [*REGIONS, None],
                   "description": "de inkoopregio van het beginpunt: alleen door die regio gecontracteerde locaties tellen mee"},
        "results": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                               "required": ["id", "name", "provider_name", "lat", "lon", "distance_m"],
                                               "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                              "provider_name": {"type": "string"},
                                                              "lat": {"type": "number"}, "lon": {"type": "number"},
                                                              "distance_m": {"type": "integer", "minimum": 0}}}}}}
    meta = {"type": "object", "additionalProperties": False, "required": ["version", "version_sha256", "published_at", "locations", "demo", "care_types"],
            "properties": {"version": {"type": "integer", "nullable": True, "description": "Versienummer, zoals op /beheer, in exports en op /readyz"},
                           "version_sha256": {"type": "string", "nullable": True, "description": "SHA-256 van de gepubliceerde gegevens van die versie"},
                           "published_at": {"type": "string", "nullable": True},
                           "locations": {"type": "integer", "minimum": 0}, "demo": {"type": "boolean"},
                           "care_types": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                                                     "required": ["code", "nl", "en"], "properties": {
                                                                         "code": {"type": "string"}, "nl": {"type": "string"},
                                                                         "en": {"type": "string"}}}}}}
    return envelope(
        "Wmo-kaart API", "1",
        "Locaties van gecontracteerde Wmo-zorgaanbieders. Zonder sleutel: openbare velden. Met een sessie of "
        "API-sleutel (Bearer, of als wachtwoord van HTTP Basic) ziet u wat uw rol mag zien. "
        "Lijsten: komma-gescheiden. Fouten: JSON met de parameter en een Nederlandse melding.",
        server, schemas={"Error": error_schema(), "Location": feature_schema()}, paths={
            "/locations": {"get": {
                "summary": "Locaties als GeoJSON, gefilterd zoals op de kaart, per pagina (links met rel=next)",
                "operationId": "getLocations",
                "parameters": [*filters, bbox_parameter(), *_paging(1000, 10_000)],
                "responses": {"200": {"description": "FeatureCollection", "content": {"application/geo+json": {"schema": collection}}},
                              **_errors(400, 401)}}},
            "/nearest": {"get": {
                "summary": "Dichtstbijzijnde locaties vanaf een postcode, plaats of punt",
                "operationId": "getNearest",
                "parameters": [
                    {"name": "van", "in": "query", "required": True,
                     "schema": {"type": "string", "minLength": 1, "maxLength": 100,
                                "pattern": "^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*\\S[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"},
                     "description": "vertrekpunt: postcode (5341 of 5341 AB), plaatsnaam, of breedtegraad,lengtegraad (51.76,5.52)",
                     "examples": {"postcode": {"value": "5351"}, "plaats": {"value": "Oss"}, "punt": {"value": "51.76,5.52"}}},
                    care, *_paging(10, 100)[:1]],
                "responses": {"200": {"description": "Vertrekpunt en resultaten, dichtstbijzijnde eerst",
                                      "content": {_JSON: {"schema": nearest}}},
                              **_errors(400, 401, 404)}}},
            "/meta": {"get": {
                "summary": "Versie en datum van de gegevens", "operationId": "getMeta",
                "responses": {"200": {"description": "Metagegevens", "content": {_JSON: {"schema": meta}}}, **_errors(401)}}},
            "/coverage": {"get": {
                "summary": "Dekking en spreiding per gemeente en gebied (afstanden hemelsbreed); professionele rollen",
                "operationId": "getCoverage",
                "parameters": [
                    {"name": "zorgvorm", "in": "query", "required": True, "schema": {"type": "string", "enum": list(catalog.care_codes)}},
                    {"name": "doelgroep", "in": "query", "schema": {"type": "string", "enum": list(catalog.target_codes)},
                     "description": "doelgroep; ouderen telt inwoners van 65+"},
                    {"name": "drempels", "in": "query", "schema": {"type": "string", "pattern": THRESHOLDS_PATTERN},
                     "description": f"1 tot {MAX_THRESHOLDS} afstanden in km, groter dan 0 en hoogstens 100, bijvoorbeeld 5,10,15"},
                    _list("zonder-aanbieder", None, "aanbiedercodes die de berekening weglaat", MAX_LEFT_OUT),
                    _list("zonder-locatie", None, "locatiecodes die de berekening weglaat", MAX_LEFT_OUT),
                    {"name": "met-beeindigd", "in": "query", "description": "wat-als: 1 telt locaties met een beëindigd "
                     "contract mee; standaard tellen alleen lopende contracten", "schema": {"type": "string", "enum": ["0", "1"]}},
                    {"name": "nieuw", "in": "query", "style": "form", "explode": True,
                     "description": f"denkbeeldige locatie in Nederland: breedtegraad,lengtegraad; hoogstens {MAX_ADDED} keer",
                     "schema": {"type": "array", "maxItems": MAX_ADDED, "items": {
                         "type": "string", "pattern": POINT_PATTERN}}},
                    {"name": "plaatsen", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]},
                     "description": "1: aanbod = BW-plaatsen (alleen BW-rollen)"},
                    {"name": "f", "in": "query", "schema": {"type": "string", "enum": ["json", "csv", "xlsx"]}},
                ],
                "responses": {"200": {"description": "Cijfers", "content": {
                    _JSON: {"schema": {"type": "object", "required": ["region", "municipalities", "areas"]}},
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}}}},
                    **_errors(400, 401, 403)}}},
            "/export/{fmt}": {"get": {
                "summary": f"Export van de gefilterde selectie ({', '.join(FORMATS)})",
                "operationId": "getExport",
                "parameters": [{"name": "fmt", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": list(FORMATS)}}, *filters, bbox_parameter()],
                "responses": {"200": {"description": "Bestand: " + "; ".join(f"{f.slug}: {f.description}" for f in FORMATS.values()),
                                      "content": {f.media_type: {"schema": EXPORT_SCHEMAS[f.slug](collection)} for f in FORMATS.values()}},
                    **_errors(400, 401, 404)}}},
        })
