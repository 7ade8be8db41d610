"""The open dataset described for harvesters and search portals: DCAT-AP-NL (DCAT-AP 2 with the Dutch
profile's terms) as JSON-LD, with its own context so that it expands offline. One function of plain
values; the web adapter serves it at /data.json and as an HTML page at /data.

What is described is the public view only: the fields without login, with the distributions where
anyone downloads it (the current version and each kept version, at stable addresses) and the
services that serve it (the JSON API, OGC API – Features, HSDS).
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": "http://www.w3.org/ns/locn#", "adms": "http://www.w3.org/ns/adms#", "owl": "http://www.w3.org/2002/07/owl#",
    "title": {"@id": "dct:title", "@container": "@language"},
    "description": {"@id": "dct:description", "@container": "@language"},
    "keyword": {"@id": "dcat:keyword", "@container": "@language"},
    "publisher": {"@id": "dct:publisher"}, "name": {"@id": "foaf:name"},
    "contactPoint": {"@id": "dcat:contactPoint"}, "fn": {"@id": "vcard:fn"}, "hasEmail": {"@id": "vcard:hasEmail", "@type": "@id"},
    "license": {"@id": "dct:license", "@type": "@id"}, "accessRights": {"@id": "dct:accessRights", "@type": "@id"},
    "language": {"@id": "dct:language", "@type": "@id"}, "theme": {"@id": "dcat:theme", "@type": "@id"},
    "accrualPeriodicity": {"@id": "dct:accrualPeriodicity", "@type": "@id"},
    "identifier": {"@id": "dct:identifier"}, "landingPage": {"@id": "dcat:landingPage", "@type": "@id"},
    "issued": {"@id": "dct:issued", "@type": "xsd:dateTime"}, "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
    "temporal": {"@id": "dct:temporal"}, "startDate": {"@id": "dcat:startDate", "@type": "xsd:dateTime"},
    "endDate": {"@id": "dcat:endDate", "@type": "xsd:dateTime"},
    "spatial": {"@id": "dct:spatial"}, "bbox": {"@id": "dcat:bbox", "@type": "http://www.opengis.net/ont/geosparql#wktLiteral"},
    "dataset": {"@id": "dcat:dataset"}, "distribution": {"@id": "dcat:distribution"}, "service": {"@id": "dcat:service"},
    "accessURL": {"@id": "dcat:accessURL", "@type": "@id"}, "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "mediaType": {"@id": "dcat:mediaType", "@type": "@id"}, "format": {"@id": "dct:format", "@type": "@id"},
    "conformsTo": {"@id": "dct:conformsTo", "@type": "@id"},
    "endpointURL": {"@id": "dcat:endpointURL", "@type": "@id"}, "endpointDescription": {"@id": "dcat:endpointDescription", "@type": "@id"},
    "servesDataset": {"@id": "dcat:servesDataset", "@type": "@id"}, "accessService": {"@id": "dcat:accessService"},
    "versionInfo": {"@id": "owl:versionInfo"}, "hasVersion": {"@id": "dct:hasVersion"},
    "isVersionOf": {"@id": "dct:isVersionOf", "@type": "@id"}, "status": {"@id": "adms:status", "@type": "@id"},
}
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
# (file name suffix, our export slug, label, media type, EU file type)
FILES = (("geojson", "geojson", "GeoJSON", "application/geo+json", "GEOJSON"),
         ("csv", "csv", "CSV", "text/csv", "CSV"),
         ("xlsx", "xlsx", "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
         ("hsds.json", "hsds", "Open Referral HSDS 3.1 (JSON)", "application/json", "JSON"))
HSDS = "https://docs.openreferral.org/en/latest/hsds/schema_reference.html"
OGC_FEATURES = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"


@dataclass(frozen=True)
class Release:
    """A kept version of the data: its number and when it was published (RFC 3339)."""

    number: int
    published_at: str


def file_name(suffix: str) -> str:
    """The file name of a download: the same for every version (its folder says which)."""
    return f"wmo-kaart-locaties.{suffix}"


def describe(base: str, *, publisher: str, contact_email: str, licence: str, releases: list[Release],
             bbox: tuple[float, float, float, float], municipalities: list[tuple[str, str]], demo: bool,
             locations: int) -> dict:
    """Return the DCAT-AP-NL catalogue (JSON-LD) of the public dataset at `base` (the site's address)."""
    dataset_id = f"{base}/data#dataset"
    west, south, east, north = bbox
    wkt = f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
    demo_nl = " Let op: dit zijn fictieve demogegevens." if demo else ""
    demo_en = " Note: this is fictional demo data." if demo else ""
    current = releases[-1] if releases else None

    def distributions(folder: str, label_nl: str, label_en: str) -> list[dict]:
        return [{"@id": f"{base}{folder}/{file_name(suffix)}#distributie", "@type": "dcat:Distribution",
                 "title": {"nl": f"{label_nl}: {label}", "en": f"{label_en}: {label}"},
                 "accessURL": f"{base}/data", "downloadURL": f"{base}{folder}/{file_name(suffix)}",
                 "mediaType": IANA + media, "format": f"{EU}file-type/{eu}", "license": licence,
                 **({"conformsTo": HSDS} if slug == "hsds" else {})}
                for suffix, slug, label, media, eu in FILES]

    services = [
        {"@id": f"{base}/api/v1/", "@type": "dcat:DataService", "title": {"nl": "JSON-API van de Wmo-kaart", "en": "Wmo-kaart JSON API"},
         "endpointURL": f"{base}/api/v1/", "endpointDescription": f"{base}/api/v1/openapi.json", "servesDataset": dataset_id,
         "license": licence},
        {"@id": f"{base}/ogc/", "@type": "dcat:DataService", "title": {"nl": "OGC API – Features", "en": "OGC API – Features"},
         "endpointURL": f"{base}/ogc/", "endpointDescription": f"{base}/ogc/api", "conformsTo": OGC_FEATURES,
         "servesDataset": dataset_id, "license": licence},
        {"@id": f"{base}/hsds/", "@type": "dcat:DataService", "title": {"nl": "Open Referral HSDS 3.1-API", "en": "Open Referral HSDS 3.1 API"},
         "endpointURL": f"{base}/hsds/", "endpointDescription": f"{base}/hsds/openapi.json", "conformsTo": HSDS,
         "servesDataset": dataset_id, "license": licence},
    ]
    dataset = {
        "@id": dataset_id, "@type": "dcat:Dataset",
        "identifier": dataset_id,
        "title": {"nl": "Locaties van gecontracteerde Wmo-aanbieders", "en": "Locations of contracted Wmo care providers"},
        "description": {
            "nl": f"Alle locaties waar aanbieders die de gemeenten voor Wmo-ondersteuning (dagbesteding, begeleiding, "
                  f"kortdurend verblijf, beschermd wonen) hebben gecontracteerd hun ondersteuning bieden: aanbieder, adres, "
                  f"positie, zorgvormen, doelgroepen en contactgegevens van de locatie. Alleen openbare velden; "
                  f"{locations} locaties.{demo_nl}",
            "en": f"Every location where providers contracted by the municipalities for social support under the Wmo "
                  f"offer it: provider, address, position, care types, target groups and the location's public contact "
                  f"details. Public fields only; {locations} locations.{demo_en}"},
        "keyword": {"nl": ["Wmo", "zorgaanbieders", "dagbesteding", "begeleiding", "beschermd wonen", "sociaal domein"],
                    "en": ["social support", "care providers", "day care"]},
        "theme": ["http://standaarden.overheid.nl/owms/terms/Zorg_en_gezondheid", f"{EU}data-theme/HEAL"],
        "publisher": {"@type": "foaf:Agent", "name": publisher},
        "contactPoint": {"@type": "vcard:Organization", "fn": publisher,
                         **({"hasEmail": f"mailto:{contact_email}"} if contact_email else {})},
        "license": licence, "accessRights": f"{EU}access-right/PUBLIC",
        "language": [f"{EU}language/NLD"], "landingPage": f"{base}/data",
        "accrualPeriodicity": f"{EU}frequency/IRREG",
        "spatial": {"@type": "dct:Location", "bbox": wkt,
                    "dct:hasPart": [{"@id": f"https://www.cbs.nl/gemeente/{code}", "dct:identifier": code, "name": name}
                                    for code, name in municipalities]},
        "distribution": distributions("/data/actueel", "Actuele versie", "Current version"),
        "accessService": [{"@id": s["@id"]} for s in services],
        "hasVersion": [{"@id": f"{base}/data/versies/{r.number}#dataset", "@type": "dcat:Dataset",
                        "isVersionOf": dataset_id, "versionInfo": str(r.number), "issued": r.published_at,
                        "title": {"nl": f"Versie {r.number}", "en": f"Version {r.number}"},
                        "distribution": distributions(f"/data/versies/{r.number}", f"Versie {r.number}", f"Version {r.number}")}
                       for r in releases],
    }
    if current:
        dataset.update(versionInfo=str(current.number), issued=releases[0].published_at, modified=current.published_at,
                       temporal={"@type": "dct:PeriodOfTime", "startDate": releases[0].published_at,
                                 "endDate": current.published_at})
    return {"@context": CONTEXT, "@id": f"{base}/data.json", "@type": "dcat:Catalog",
            "title": {"nl": "Open data van de Wmo-kaart", "en": "Open data of the Wmo map"},
            "description": {"nl": f"De open gegevens die {publisher} met de Wmo-kaart publiceert.",
                            "en": f"The open data {publisher} publishes with the Wmo map."},
            "publisher": {"@type": "foaf:Agent", "name": publisher}, "license": licence, "language": [f"{EU}language/NLD"],
            "dataset": [dataset], "service": services}
