"""The OpenAPI 3 document of /api/v1 (served at /api/v1/openapi.json)."""

from __future__ import annotations

_list = {"type": "array", "items": {"type": "string"}}
_filters = [
    {"name": "gemeente", "in": "query", "schema": {"type": "string"}, "description": "CBS-code (GM0828) of naam; komma-gescheiden of herhaald"},
    {"name": "zorgvorm", "in": "query", "schema": {"type": "string"}, "description": "iWmo-code (07, 02, 04, 15); komma-gescheiden of herhaald"},
    {"name": "doelgroep", "in": "query", "schema": {"type": "string"}, "description": "doelgroepcode (ouderen, ggz, ...)"},
    {"name": "aanbieder", "in": "query", "schema": {"type": "string"}, "description": "aanbiedercode"},
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200}, "description": "vrije tekst over aanbieder, locatie en plaats"},
    {"name": "bbox", "in": "query", "schema": {"type": "string"}, "description": "minLon,minLat,maxLon,maxLat (WGS84)"},
]
_error = {"description": "Ongeldige parameter of sleutel", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "Wmo-kaart API", "version": "1",
             "description": "Locaties van gecontracteerde Wmo-zorgaanbieders. Zonder sleutel: openbare velden. "
                            "Met een sessie of API-sleutel (Bearer) ziet u wat uw rol mag zien."},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["message"],
                "properties": {"parameter": {"type": "string", "nullable": True}, "message": {"type": "string"}}}}},
            "Location": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "geometry": {"type": "object", "required": ["type", "coordinates"], "properties": {
                    "type": {"type": "string", "enum": ["Point"]},
                    "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}}},
                "properties": {"type": "object", "required": ["id", "name", "provider_name", "care_types"], "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"}, "provider_id": {"type": "string"},
                    "provider_name": {"type": "string"}, "care_types": _list, "target_groups": _list,
                    "postcode": {"type": "string"}, "city": {"type": "string"},
                    "municipality_code": {"type": "string"}}}}},
            "Nearest": {"type": "object", "required": ["origin", "results"], "properties": {
                "origin": {"type": "object", "required": ["label", "lat", "lon", "source"], "properties": {
                    "label": {"type": "string"}, "lat": {"type": "number"}, "lon": {"type": "number"},
                    "source": {"type": "string", "enum": ["pdok", "gazetteer", "coordinates"]}}},
                "notice": {"type": "string", "nullable": True},
                "results": {"type": "array", "items": {"type": "object",
                                                       "required": ["id", "name", "provider_name", "lat", "lon", "distance_m"],
                                                       "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                                      "provider_name": {"type": "string"},
                                                                      "lat": {"type": "number"}, "lon": {"type": "number"},
                                                                      "distance_m": {"type": "integer", "minimum": 0}}}}}},
        },
    },
    "security": [{}, {"bearer": []}],
    "paths": {
        "/locations": {"get": {
            "summary": "Locaties als GeoJSON, gefilterd zoals op de kaart, per pagina (links met rel=next)",
            "parameters": [*_filters,
                           {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000},
                            "description": "aantal per pagina (standaard 1000)"},
                           {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10000000}}],
            "responses": {"200": {"description": "FeatureCollection", "content": {"application/geo+json": {"schema": {
                "type": "object", "required": ["type", "features"], "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": {"type": "array", "items": {"$ref": "#/components/schemas/Location"}}}}}}},
                "400": _error, "401": _error}}},
        "/nearest": {"get": {
            "summary": "Dichtstbijzijnde locaties vanaf een postcode, plaats of punt",
            "parameters": [
                {"name": "postcode", "in": "query", "schema": {"type": "string"}},
                {"name": "place", "in": "query", "schema": {"type": "string"}},
                {"name": "lat", "in": "query", "schema": {"type": "number"}},
                {"name": "lon", "in": "query", "schema": {"type": "number"}},
                {"name": "zorgvorm", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
            ],
            "responses": {"200": {"description": "Vertrekpunt en resultaten", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Nearest"}}}}, "400": _error, "401": _error}}},
        "/meta": {"get": {
            "summary": "Versie en datum van de gegevens",
            "responses": {"200": {"description": "Metagegevens", "content": {"application/json": {"schema": {
                "type": "object", "required": ["version", "locations"], "properties": {
                    "version": {"type": "string"}, "published_at": {"type": "string", "nullable": True},
                    "locations": {"type": "integer"}, "demo": {"type": "boolean"},
                    "care_types": {"type": "array", "items": {"type": "object"}}}}}}}}}},
        "/coverage": {"get": {
            "summary": "Dekking en spreiding per gemeente en gebied (afstanden hemelsbreed); professionele rollen",
            "parameters": [
                {"name": "zorgvorm", "in": "query", "required": True, "schema": {"type": "string"}, "description": "iWmo-code"},
                {"name": "doelgroep", "in": "query", "schema": {"type": "string"}, "description": "doelgroep; ouderen telt inwoners van 65+"},
                {"name": "drempels", "in": "query", "schema": {"type": "string"}, "description": "afstanden in km, bijvoorbeeld 5,10,15"},
                {"name": "zonder-aanbieder", "in": "query", "schema": {"type": "string"}, "description": "aanbiedercode; herhaald of komma-gescheiden"},
                {"name": "zonder-locatie", "in": "query", "schema": {"type": "string"}, "description": "locatiecode; herhaald of komma-gescheiden"},
                {"name": "nieuw", "in": "query", "schema": {"type": "string"}, "description": "denkbeeldige locatie: breedtegraad,lengtegraad; herhaald"},
                {"name": "plaatsen", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]}, "description": "1: aanbod = BW-plaatsen (alleen BW-rollen)"},
                {"name": "f", "in": "query", "schema": {"type": "string", "enum": ["json", "csv", "xlsx"]}},
            ],
            "responses": {"200": {"description": "Cijfers", "content": {
                "application/json": {"schema": {"type": "object", "required": ["region", "municipalities", "areas"]}},
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}},
                "400": _error, "401": _error, "403": _error}}},
        "/export/{fmt}": {"get": {
            "summary": "Export van de gefilterde selectie (csv, xlsx, geojson of hsds)",
            "parameters": [{"name": "fmt", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": ["csv", "xlsx", "geojson", "hsds"]}}, *_filters],
            "responses": {"200": {"description": "Bestand", "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
                "application/geo+json": {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "object"}}}},
                "400": _error, "401": _error, "404": _error}}},
    },
}
