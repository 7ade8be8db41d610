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


def address_line(row) -> str:
    """Return 'Street 12a, 1234 AB Town' for a row with street, house_number, postcode and city."""
    return f"{row.street} {row.house_number}, {row.postcode} {row.city}"


def normalise_postcode(value: str) -> str:
    """Return a valid postcode in the form `1234 AB`."""
    compact = value.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}"
