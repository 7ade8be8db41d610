"""Dutch column headers and cell values, with the variants offices use, mapped to the contract."""

from __future__ import annotations

import re
import unicodedata

from ..catalog import Catalog

# field -> accepted headers (compared after normalising: lower case, accents and punctuation dropped)
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("locatiecode", "locatie code", "locatie id", "locatienummer", "vestigingscode", "vestigingsnummer", "location id", "id"),
    "provider_id": ("aanbiedercode", "aanbieder code", "zorgaanbiedercode", "providercode", "provider id"),
    "kvk": ("kvk", "kvk nummer", "kvknummer", "kvk nr"),
    "provider_name": ("aanbieder", "zorgaanbieder", "naam aanbieder", "aanbiedernaam", "naam zorgaanbieder", "organisatie", "provider"),
    "name": ("locatie", "locatienaam", "naam locatie", "vestiging", "vestigingsnaam", "naam vestiging", "location"),
    "street": ("straat", "straatnaam", "adres", "street"),
    "house_number": ("huisnummer", "huisnr", "nr", "nummer", "house number"),
    "addition": ("toevoeging", "huisnummertoevoeging", "huisletter"),
    "postcode": ("postcode", "pc", "postal code"),
    "city": ("plaats", "woonplaats", "plaatsnaam", "stad", "city"),
    "municipality_code": ("gemeentecode", "gemeente", "cbs code", "gemeente code", "municipality"),
    "care_types": ("zorgvorm", "zorgvormen", "product", "producten", "productcategorie", "diensten", "care types"),
    "target_groups": ("doelgroep", "doelgroepen", "target groups"),
    "specialisms": ("specialisme", "specialismen", "specialisatie"),
    "website": ("website", "internet", "url", "webadres"),
    "phone": ("telefoon", "telefoonnummer", "tel", "telnr", "phone"),
    "email": ("email", "e mail", "emailadres", "e mailadres", "mail"),
    "wheelchair_accessible": ("rolstoeltoegankelijk", "rolstoel", "toegankelijk voor rolstoel"),
    "contact_name": ("contactpersoon", "naam contactpersoon", "contact"),
    "contact_email": ("email contactpersoon", "e mail contactpersoon", "mail contactpersoon", "emailadres contactpersoon"),
    "contact_phone": ("telefoon contactpersoon", "telefoonnummer contactpersoon", "tel contactpersoon"),
    "contract_id": ("contractnummer", "contract", "contract id", "deelovereenkomst", "overeenkomstnummer"),
    "contract_end": ("einddatum", "einddatum contract", "contract einddatum", "looptijd tot"),
    "bw_capacity": ("bw capaciteit plaatsen", "capaciteit", "bw capaciteit", "aantal plaatsen", "max plaatsen", "maximaal aantal plaatsen", "plaatsen"),
    "bw_occupancy": ("bw bezetting clienten", "bezetting", "bw bezetting", "aantal clienten", "bw clienten", "aantal bw clienten"),
    "bw_updated": ("bw cijfers per", "peildatum", "datum bezetting", "bw peildatum", "datum"),
    "lat": ("breedtegraad", "lat", "latitude", "noorderbreedte"),
    "lon": ("lengtegraad", "lon", "lng", "longitude", "oosterlengte"),
    "x": ("x", "rd x", "x coordinaat", "x rd", "xcoord"),
    "y": ("y", "rd y", "y coordinaat", "y rd", "ycoord"),
}


def normalise(text: str) -> str:
    """Return `text` folded for comparison: lower case, no accents, words separated by one space."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_LOOKUP = {normalise(v): field for field, variants in HEADERS.items() for v in variants}


def map_headers(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Return {field: column index} and the headers that were not recognised."""
    mapping: dict[str, int] = {}
    unknown = []
    for i, cell in enumerate(header):
        field = _LOOKUP.get(normalise(cell))
        if field and field not in mapping:
            mapping[field] = i
        elif cell.strip():
            unknown.append(cell)
    return mapping, unknown


CARE_ALIASES = {
    "07": ("7", "dagbesteding", "dagbesteding groep", "groepsdagbesteding", "dagbesteding gespecialiseerd",
           "gespecialiseerde dagbesteding", "dagactiviteiten", "groepsbegeleiding", "db"),
    "02": ("2", "begeleiding", "individuele begeleiding", "begeleiding individueel", "individuele ondersteuning",
           "begeleiding individuele ondersteuning", "ambulante begeleiding", "ib", "io"),
    "04": ("4", "kortdurend verblijf", "respijtzorg", "logeren", "logeeropvang", "kv"),
    "15": ("bw", "beschermd wonen", "beschermd wonen bw", "beschermde woonvorm"),
}
TARGET_ALIASES = {
    "ouderen": ("ouderen", "dementie", "ouderen dementie", "ouderen met dementie"),
    "ggz": ("ggz", "psychisch", "psychische problemen", "psychiatrie"),
    "lvb": ("lvb", "licht verstandelijke beperking", "verstandelijke beperking", "vg"),
    "nah": ("nah", "niet aangeboren hersenletsel", "hersenletsel"),
    "lichamelijk": ("lichamelijk", "lichamelijke beperking", "lg", "somatisch"),
    "jongvolwassenen": ("jongvolwassenen", "jongeren", "jong volwassenen", "18 27"),
}


def _aliases(catalog_terms, extra: dict) -> dict[str, str]:
    table = {normalise(code): code for code in extra}
    for code, names in extra.items():
        table.update({normalise(n): code for n in names})
    for term in catalog_terms:
        table.update({normalise(term.code): term.code, normalise(term.nl): term.code, normalise(term.en): term.code})
    return table


def care_table(catalog: Catalog) -> dict[str, str]:
    return _aliases(catalog.care_types, {k: v for k, v in CARE_ALIASES.items() if k in catalog.care_codes})


def target_table(catalog: Catalog) -> dict[str, str]:
    return _aliases(catalog.target_groups, {k: v for k, v in TARGET_ALIASES.items() if k in catalog.target_codes})


def parse_codes(cell: str, table: dict[str, str]) -> tuple[list[str], list[str]]:
    """Return the codes in a cell with one or more values, and the parts not understood."""
    whole = normalise(cell)
    if not whole:
        return [], []
    if whole in table:
        return [table[whole]], []
    codes, unknown = [], []
    for part in re.split(r"[;,|+\n]| en ", cell):
        if not normalise(part):
            continue
        pieces = [part] if normalise(part) in table else re.split(r"/", part)
        for piece in pieces:
            key = normalise(piece)
            if not key:
                continue
            if key in table:
                codes.append(table[key])
            else:
                unknown.append(piece.strip())
    return list(dict.fromkeys(codes)), unknown
