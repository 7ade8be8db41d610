"""The data contract of a provider location: its fields, their types and who may see them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tiers of confidentiality, from open to closed. Which role sees which tier is declared in
# `wmo_kaart.core.access`.
PUBLIC = "public"
PROFESSIONAL = "professional"
BW = "bw"

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}$", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """One property of a location feature."""

    name: str
    kind: str  # str, str_list, bool, int, date
    tier: str
    required: bool = False
    nl: str = ""
    en: str = ""


FIELDS: tuple[Field, ...] = (
    Field("id", "str", PUBLIC, True, "Locatiecode", "Location code"),
    Field("provider_id", "str", PUBLIC, True, "Aanbiedercode", "Provider code"),
    Field("provider_name", "str", PUBLIC, True, "Aanbieder", "Provider"),
    Field("name", "str", PUBLIC, True, "Locatie", "Location"),
    Field("street", "str", PUBLIC, True, "Straat", "Street"),
    Field("house_number", "str", PUBLIC, True, "Huisnummer", "House number"),
    Field("house_letter", "str", PUBLIC, False, "Huisletter", "House letter"),
    Field("house_addition", "str", PUBLIC, False, "Huisnummertoevoeging", "House number addition"),
    Field("postcode", "str", PUBLIC, True, "Postcode", "Postcode"),
    Field("city", "str", PUBLIC, True, "Plaats", "Town"),
    Field("municipality_code", "str", PUBLIC, True, "Gemeente", "Municipality"),
    Field("care_types", "str_list", PUBLIC, True, "Zorgvormen", "Care types"),
    Field("target_groups", "str_list", PUBLIC, False, "Doelgroepen", "Target groups"),
    Field("specialisms", "str_list", PUBLIC, False, "Specialismen", "Specialisms"),
    Field("website", "str", PUBLIC, False, "Website", "Website"),
    Field("phone", "str", PUBLIC, False, "Telefoon", "Phone"),
    Field("email", "str", PUBLIC, False, "E-mail", "E-mail"),
    Field("wheelchair_accessible", "bool", PUBLIC, False, "Rolstoeltoegankelijk", "Wheelchair accessible"),
    Field("position_precision", "str", PUBLIC, False, "Nauwkeurigheid positie", "Position precision"),
    Field("opening_hours", "str", PUBLIC, False, "Openingstijden", "Opening hours"),
    Field("free_places", "int", PUBLIC, False, "Vrije plaatsen dagbesteding", "Free day care places"),
    Field("last_checked", "date", PUBLIC, False, "Gegevens laatst gecontroleerd", "Details last checked"),
    Field("contract_regions", "str_list", PUBLIC, False, "Gecontracteerd door (regio)", "Contracted by (region)"),
    Field("contact_name", "str", PROFESSIONAL, False, "Contactpersoon", "Contact person"),
    Field("contact_email", "str", PROFESSIONAL, False, "E-mail contactpersoon", "Contact e-mail"),
    Field("contact_phone", "str", PROFESSIONAL, False, "Telefoon contactpersoon", "Contact phone"),
    Field("contract_id", "str", PROFESSIONAL, False, "Contractnummer", "Contract number"),
    Field("contract_end", "date", PROFESSIONAL, False, "Einddatum contract", "Contract end date"),
    Field("bw_capacity", "int", BW, False, "BW-capaciteit (plaatsen)", "Sheltered housing capacity"),
    Field("bw_occupancy", "int", BW, False, "BW-bezetting (cliënten)", "Sheltered housing occupancy"),
    Field("bw_updated", "date", BW, False, "BW-cijfers per", "Sheltered housing figures as of"),
)
BY_NAME = {f.name: f for f in FIELDS}
LIST_FIELDS = tuple(f.name for f in FIELDS if f.kind == "str_list")


def fields_of(*tiers: str) -> tuple[str, ...]:
    """Return the names of the fields in the given tiers, in contract order."""
    return tuple(f.name for f in FIELDS if f.tier in tiers)


# Where a position came from, from precise to coarse (the import report and the details name it).
PRECISIONS = {"given": ("opgegeven coördinaten", "coordinates given"), "address": ("adres", "address"),
              "pc6": ("postcode (PC6)", "postcode (PC6)"), "pc4": ("midden van het postcodegebied (PC4)", "postcode area centre (PC4)"),
              "town": ("midden van de plaats", "town centre")}
HOUSE_LETTER_RE = re.compile(r"^[A-Za-z]$")
HOUSE_ADDITION_RE = re.compile(r"^[A-Za-z0-9]{1,4}$")


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def format_house_number(number, letter=None, addition=None) -> str:
    """Write a BAG house number the Dutch way: 12, 12A, 12-3, 12A-3, 12 bis; digits never glued to digits."""
    number, letter, addition = _text(number), _text(letter).upper(), _text(addition)
    text = number + letter
    if addition:
        text += f" {addition}" if addition.isalpha() and len(addition) > 1 else f"-{addition}"
    return text


def address_line(row) -> str:
    """Return 'Street 12A-3, 1234 AB Town' for a row with street, house number parts, postcode and city."""
    house = format_house_number(row.house_number, getattr(row, "house_letter", None), getattr(row, "house_addition", None))
    return f"{row.street} {house}, {row.postcode} {row.city}"


def normalise_postcode(value: str) -> str:
    """Return a valid postcode in the form `1234 AB`."""
    compact = value.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}"


_JSON_TYPES = {"str": {"type": "string"}, "str_list": {"type": "array", "items": {"type": "string"}},
               "bool": {"type": "boolean"}, "int": {"type": "integer", "minimum": 0},
               "date": {"type": "string", "format": "date"}}


def json_schema(field: Field) -> dict:
    """Return the JSON Schema (OpenAPI 3.0 dialect) of one field as exports and APIs write it."""
    schema = {**_JSON_TYPES[field.kind], "title": field.nl, "description": field.en}
    if not field.required and field.kind != "str_list":
        schema["nullable"] = True
    return schema


def properties_schema(names: tuple[str, ...] | list[str]) -> dict:
    """Return the JSON Schema of a feature's `properties` holding at most the fields `names`."""
    return {"type": "object", "additionalProperties": False,
            "required": [n for n in names if BY_NAME[n].required],
            "properties": {n: json_schema(BY_NAME[n]) for n in names}}
