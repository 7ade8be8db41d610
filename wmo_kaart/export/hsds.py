"""Open Referral HSDS 3.1 from a role's view: one graph, served as the HSDS API and as an export.

Identifiers are UUIDs derived from ours (uuid5), so they are the same in every export. A service
is one care type at one location (its capacity, the BW places, belongs to that location); the
iWmo care types and our target groups are taxonomies whose terms are linked through `attribute`;
target groups are also the eligibility; wheelchair access is `accessibility`; the professional
contact person is a contact of the service at the location; BW capacity appears only for roles
whose view holds the BW columns. Contract number and end date have no place in HSDS and stay
in the other exports.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd

from ..core.catalog import Catalog
from ..core.reference import BY_CODE
from ..core.schema import format_house_number
from .tables import plain
from ..core import bw, clock

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://wmo-kaart.nl/hsds")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CARE, TARGET = "iwmo-productcategorie", "wmo-kaart-doelgroep"
SPECIALISM, FEATURE = "wmo-kaart-specialisme", "wmo-kaart-kenmerk"
LAST_CHECKED = "laatst-gecontroleerd"
WEEKDAYS_NL = {"MO": "maandag", "TU": "dinsdag", "WE": "woensdag", "TH": "donderdag", "FR": "vrijdag", "SA": "zaterdag",
               "SU": "zondag"}


def uid(kind: str, key: str) -> str:
    """Return the stable UUID of our object `key` of `kind` (organization, service, location, ...)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def _clean(obj: dict) -> dict:
    """Drop absent optional values (HSDS types do not allow null)."""
    return {k: v for k, v in obj.items() if v not in (None, "")}


def one_to_one(obj: dict) -> dict:
    """Return an object's own fields, without nested arrays and objects (the list shapes of HSDS)."""
    return {k: v for k, v in obj.items() if not isinstance(v, (list, dict))}


@dataclass
class Graph:
    """Every HSDS object of a view, by id."""

    taxonomies: dict[str, dict] = field(default_factory=dict)
    terms: dict[str, dict] = field(default_factory=dict)
    organizations: dict[str, dict] = field(default_factory=dict)
    services: dict[str, dict] = field(default_factory=dict)  # fully nested
    service_at_locations: dict[str, dict] = field(default_factory=dict)  # with location, without service
    bw: bool = False  # built from a view with BW figures (its readers are audited)

    def service_list_item(self, sid: str) -> dict:
        service = self.services[sid]
        return {**one_to_one(service), "organization": one_to_one(service["organization"])}

    def service_at_location_item(self, sal_id: str, full: bool = False) -> dict:
        sal = self.service_at_locations[sal_id]
        if full:
            return {**sal, "service": self.service_list_item(sal["service_id"])}
        return {**one_to_one(sal), "location": one_to_one(sal["location"]), "service": self.service_list_item(sal["service_id"])}

    def organization_full(self, oid: str) -> dict:
        return {**self.organizations[oid], "services": [s for s in self.services.values() if s["organization_id"] == oid]}


def _taxonomies(catalog: Catalog) -> tuple[dict, dict, dict[tuple[str, str], dict]]:
    care = {"id": uid("taxonomy", CARE), "name": "iWmo productcategorie",
            "description": "Productcategorieën van het iWmo-berichtenverkeer (Zorginstituut Nederland), zoals de regio ze contracteert.",
            "uri": "https://www.istandaarden.nl/", "version": "iWmo 3.2"}
    target = {"id": uid("taxonomy", TARGET), "name": "Doelgroepen Wmo-kaart",
              "description": "Doelgroepen zoals de regio ze in haar contracten met Wmo-aanbieders gebruikt."}
    terms = {}
    for taxonomy, terms_of, kind in ((care, catalog.care_types, CARE), (target, catalog.target_groups, TARGET)):
        for term in terms_of:
            terms[(kind, term.code)] = {"id": uid("taxonomy_term", f"{kind}:{term.code}"), "code": term.code, "name": term.nl,
                                        "description": f"{term.nl} ({term.en})", "taxonomy": taxonomy["name"],
                                        "taxonomy_id": taxonomy["id"], "language": "nl"}
    return care, target, terms


def _extra_taxonomies(view: pd.DataFrame) -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """The specialisms the view holds (free text of the contracts, one term per value) and our features
    of a location (when its details were last checked)."""
    specialism = {"id": uid("taxonomy", SPECIALISM), "name": "Specialismen Wmo-kaart",
                  "description": "Specialismen van een locatie zoals de aanbieder ze opgeeft."}
    feature = {"id": uid("taxonomy", FEATURE), "name": "Kenmerken Wmo-kaart",
               "description": "Kenmerken van de gegevens van een locatie."}
    terms = {(FEATURE, LAST_CHECKED): {
        "id": uid("taxonomy_term", f"{FEATURE}:{LAST_CHECKED}"), "code": LAST_CHECKED, "name": "Gegevens laatst gecontroleerd",
        "description": "De datum waarop de gegevens van de locatie voor het laatst met de aanbieder zijn gecontroleerd (waarde: JJJJ-MM-DD).",
        "taxonomy": feature["name"], "taxonomy_id": feature["id"], "language": "nl"}}
    values = sorted({v for values in view["specialisms"] for v in (values or ())}) if "specialisms" in view.columns else []
    for value in values:
        terms[(SPECIALISM, value)] = {"id": uid("taxonomy_term", f"{SPECIALISM}:{value}"), "code": value, "name": value,
                                      "description": f"Specialisme: {value}", "taxonomy": specialism["name"], "taxonomy_id": specialism["id"], "language": "nl"}
    return [specialism, feature], terms


def _schedules(r, lid: str) -> list[dict]:
    """The location's opening hours as an HSDS schedule: a weekly rule where the text is one (days, opens,
    closes), the text itself always as the description."""
    from ..core.opening_hours import weekly

    text = plain(getattr(r, "opening_hours", None))
    if not text:
        return []
    schedule = {"id": uid("schedule", f"location:{r.id}"), "location_id": lid, "description": f"Openingstijden: {text}"}
    rule = weekly(text)
    if rule:
        schedule.update(freq="WEEKLY", wkst="MO", byday=",".join(rule.days), opens_at=rule.opens, closes_at=rule.closes,
                        notes="Open op " + ", ".join(WEEKDAYS_NL[d] for d in rule.days) + f" van {rule.opens} tot {rule.closes}.")
    return [schedule]


def _attribute(link_id: str, term: dict, value: str | None = None) -> dict:
    return {"id": uid("attribute", f"{link_id}:{term['id']}"), "link_id": link_id, "link_type": "service",
            "link_entity": "service", "taxonomy_term_id": term["id"], "value": value or term["code"], "label": term["name"],
            "taxonomy_term": term}


def _midnight(value) -> str | None:
    """Return a date as the start of that day in Amsterdam, as an RFC 3339 date-time."""
    value = plain(value)
    if not value:
        return None
    day = dt.date.fromisoformat(str(value))
    return dt.datetime.combine(day, dt.time(), AMSTERDAM).isoformat()


def _organization(r, catalog: Catalog, frame: pd.DataFrame) -> dict:
    mine = frame[frame["provider_id"] == r.provider_id]
    care = sorted({c for codes in mine["care_types"] for c in codes}, key=catalog.care_codes.index)
    towns = sorted(set(mine["city"]))
    labels = ", ".join(catalog.care_type(c).nl.lower() for c in care if c in catalog.care_codes)
    description = (f"{r.provider_name} is door de gemeente gecontracteerd voor Wmo-ondersteuning ({labels}) "
                   f"op {len(mine)} locatie{'s' if len(mine) != 1 else ''} in {', '.join(towns)}.")
    oid = uid("organization", r.provider_id)
    return _clean({"id": oid, "name": r.provider_name, "description": description, "website": plain(r.website),
                   "email": plain(r.email), "organization_identifiers": [
                       {"id": uid("organization_identifier", r.provider_id), "organization_id": oid,
                        "identifier_scheme": "wmo-kaart", "identifier_type": "Wmo-kaart aanbiedercode", "identifier": r.provider_id}]})


def _location(r, oid: str) -> dict:
    lid = uid("location", r.id)
    address = {"id": uid("address", r.id), "location_id": lid,
               "address_1": f"{r.street} {format_house_number(r.house_number, getattr(r, 'house_letter', None), getattr(r, 'house_addition', None))}",
               "city": r.city, "region": BY_CODE[r.municipality_code].name if r.municipality_code in BY_CODE else None,
               "state_province": "Noord-Brabant", "postal_code": r.postcode, "country": "NL", "address_type": "physical"}
    location = {"id": lid, "location_type": "physical", "organization_id": oid, "name": r.name,
                "latitude": round(float(r.lat), 6), "longitude": round(float(r.lon), 6),
                "external_identifier": r.id, "external_identifier_type": "Wmo-kaart locatiecode",
                "addresses": [_clean(address)]}
    schedules = _schedules(r, lid)
    if schedules:
        location["schedules"] = schedules
    if plain(r.phone):
        location["phones"] = [{"id": uid("phone", f"location:{r.id}"), "location_id": lid, "number": r.phone}]
    wheelchair = plain(getattr(r, "wheelchair_accessible", None))
    if wheelchair is not None:
        location["accessibility"] = [{"id": uid("accessibility", r.id), "location_id": lid,
                                      "description": "Rolstoeltoegankelijk" if wheelchair else "Niet rolstoeltoegankelijk"}]
    return location


def build(view: pd.DataFrame, catalog: Catalog, as_of: str | None = None, modified: Mapping[str, str] | None = None) -> Graph:
    """Return the HSDS graph of the locations in the role's view (`as_of`: when the data was published,
    the date of BW figures that carry none; `modified`: when each location last changed as this role
    sees it, the services' `last_modified`, with `as_of` for a location without a stamp)."""
    graph = Graph()
    care_tax, target_tax, terms = _taxonomies(catalog)
    extra_tax, extra_terms = _extra_taxonomies(view)
    terms.update(extra_terms)
    graph.taxonomies = {t["id"]: t for t in (care_tax, target_tax, *extra_tax)}
    graph.terms = {t["id"]: t for t in terms.values()}
    has_contact, has_bw = "contact_name" in view.columns, "bw_capacity" in view.columns
    graph.bw = has_bw
    for r in view.itertuples():
        if uid("organization", r.provider_id) not in graph.organizations:
            org = _organization(r, catalog, view)
            graph.organizations[org["id"]] = org
        org = graph.organizations[uid("organization", r.provider_id)]
        location = _location(r, org["id"])
        groups = [terms[(TARGET, g)] for g in r.target_groups if (TARGET, g) in terms]
        for code in r.care_types:
            if (CARE, code) not in terms:
                continue
            sid = uid("service", f"{r.id}:{code}")
            sal_id = uid("service_at_location", f"{r.id}:{code}")
            sal = {"id": sal_id, "service_id": sid, "location_id": location["id"], "location": location}
            if has_contact and plain(r.contact_name):
                contact_id = uid("contact", f"{r.id}:{code}")
                contact = _clean({"id": contact_id, "service_at_location_id": sal_id, "name": r.contact_name,
                                  "email": plain(r.contact_email)})
                if plain(r.contact_phone):
                    contact["phones"] = [{"id": uid("phone", f"contact:{r.id}:{code}"), "contact_id": contact_id,
                                          "number": r.contact_phone}]
                sal["contacts"] = [contact]
            service = _clean({
                "id": sid, "organization_id": org["id"], "name": f"{terms[(CARE, code)]['name']}: {r.name}",
                "description": f"{terms[(CARE, code)]['name']} van {r.provider_name} op {location['addresses'][0]['address_1']} in {r.city}.",
                "url": plain(r.website), "email": plain(r.email), "status": "active",
                "eligibility_description": ("Voor: " + ", ".join(g["name"].lower() for g in groups) + ". Toegang via een Wmo-beschikking van de gemeente.")
                if groups else "Toegang via een Wmo-beschikking van de gemeente.",
                "organization": one_to_one(org),
                "service_at_locations": [sal],
                "attributes": [_attribute(sid, terms[(CARE, code)]), *(_attribute(sid, g) for g in groups),
                               *(_attribute(sid, terms[(SPECIALISM, v)]) for v in (getattr(r, "specialisms", None) or ())
                                 if (SPECIALISM, v) in terms),
                               *([_attribute(sid, terms[(FEATURE, LAST_CHECKED)], str(plain(r.last_checked)))]
                                 if plain(getattr(r, "last_checked", None)) else [])],
                "last_modified": modified.get(r.id, as_of) if modified is not None else None,
            })
            if code == "15" and has_bw and plain(r.bw_capacity) is not None:
                capacity, occupied = int(r.bw_capacity), int(plain(r.bw_occupancy) or 0)
                service["capacities"] = [_clean({
                    "id": uid("service_capacity", f"{r.id}:{code}"), "service_id": sid,
                    "unit": {"id": uid("unit", "plaatsen"), "name": "plaatsen", "scheme": "Wmo-kaart"},
                    "available": bw.free_places(capacity, occupied), "maximum": capacity,
                    "description": f"Beschermd-wonenplaatsen op deze locatie; {occupied} bezet.",
                    "updated": _midnight(r.bw_updated) or as_of or clock.now().isoformat(timespec="seconds")})]
            graph.services[sid] = service
            graph.service_at_locations[sal_id] = sal
    return graph


def to_package(view: pd.DataFrame, catalog: Catalog, as_of: str | None = None) -> list[dict]:
    """Return the export: every fully nested service of the view (HSDS 3.1 `service_package`)."""
    return list(build(view, catalog, as_of).services.values())
