"""Dutch column headers and cell values, with the variants offices use, mapped to the contract."""

from __future__ import annotations

import re
from functools import lru_cache

from ..catalog import Catalog
from ..schema import BY_NAME, FIELDS
from ..text import fold

# field -> accepted headers. Compared after folding (lower case, no accents or punctuation, usual
# abbreviations written out) in any word order, and glued together ("Tel. nr." = "telefoonnummer").
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("locatiecode", "locatie code", "locatie id", "locatienummer", "vestigingscode", "vestigingsnummer", "location id", "id"),
    "agb": ("agb code vestiging", "agb vestiging", "vestigingsnummer agb", "agb code locatie"),
    "provider_id": ("aanbiedercode", "zorgaanbiedercode", "providercode", "provider id", "agb code", "agb",
                    "agb code aanbieder"),
    "kvk": ("kvk", "kvk nummer", "kamer van koophandel", "kvknummer", "kvk nummer aanbieder"),
    "provider_name": ("aanbieder", "zorgaanbieder", "naam aanbieder", "naam zorgaanbieder", "organisatie", "provider",
                      "organisatienaam", "naam organisatie"),
    "name": ("locatie", "locatienaam", "naam locatie", "vestiging", "vestigingsnaam", "naam vestiging", "location"),
    "street": ("straat", "straatnaam", "adres", "street", "openbare ruimte"),
    "house_number": ("huisnummer", "nummer", "house number"),
    "house_letter": ("huisletter", "letter"),
    "house_addition": ("toevoeging", "huisnummertoevoeging", "huisnummer toevoeging"),
    "postcode": ("postcode", "postal code", "post code"),
    "city": ("plaats", "woonplaats", "plaatsnaam", "stad", "city", "vestigingsplaats"),
    "municipality_code": ("gemeentecode", "gemeente", "cbs code", "municipality", "cbs gemeentecode"),
    "care_types": ("zorgvorm", "zorgvormen", "product", "producten", "productcategorie", "diensten", "care types",
                   "productcode", "iwmo productcategorie", "ondersteuningsvorm", "iwmo productcode", "code product",
                   "productcode iwmo"),
    "target_groups": ("doelgroep", "doelgroepen", "target groups"),
    "specialisms": ("specialisme", "specialismen", "specialisatie", "specialisaties"),
    "contract_regions": ("gecontracteerd door", "gecontracteerd door regio", "inkoopregio", "inkoopregios", "regio",
                         "contracted by", "contracted by region"),
    "website": ("website", "internet", "url", "webadres", "internetadres", "site"),
    "phone": ("telefoon", "telefoonnummer", "phone", "algemeen telefoonnummer"),
    "email": ("email", "emailadres", "mail", "algemeen emailadres", "mailadres"),
    "wheelchair_accessible": ("rolstoeltoegankelijk", "rolstoel", "toegankelijk voor rolstoel", "rolstoelvriendelijk"),
    "contact_name": ("contactpersoon", "naam contactpersoon", "contact"),
    "contact_email": ("email contactpersoon", "mail contactpersoon", "emailadres contactpersoon"),
    "contact_phone": ("telefoon contactpersoon", "telefoonnummer contactpersoon"),
    "contract_id": ("contractnummer", "contract", "contract id", "deelovereenkomst", "overeenkomstnummer",
                    "nummer deelovereenkomst"),
    "contract_end": ("einddatum", "einddatum contract", "looptijd tot", "einde contract", "contract tot",
                     "einddatum deelovereenkomst", "einddatum product", "datum einde"),
    # read to be combined: the lot of a sub-agreement goes with its number
    "lot": ("perceel", "percelen", "lot", "kavel", "perceelnummer"),
    "bw_capacity": ("bw capaciteit plaatsen", "capaciteit", "bw capaciteit", "aantal plaatsen", "max plaatsen",
                    "maximaal aantal plaatsen", "plaatsen", "bw plaatsen", "capaciteit plaatsen"),
    "bw_occupancy": ("bw bezetting clienten", "bezetting", "bw bezetting", "aantal clienten", "bw clienten",
                     "aantal bw clienten", "bezette plaatsen"),
    "bw_updated": ("bw cijfers per", "peildatum", "datum bezetting", "bw peildatum", "datum", "peildatum bezetting"),
    "position_precision": ("nauwkeurigheid positie", "positie nauwkeurigheid", "precisie"),
    "opening_hours": ("openingstijden", "openingstijd", "open", "geopend", "opening hours"),
    "free_places": ("vrije plaatsen dagbesteding", "vrije plaatsen", "plaats vrij", "beschikbare plaatsen", "free places"),
    "last_checked": ("gegevens laatst gecontroleerd", "laatst gecontroleerd", "gecontroleerd op", "controledatum",
                     "laatst bijgewerkt", "last checked"),
    "lat": ("breedtegraad", "lat", "latitude", "noorderbreedte", "breedte"),
    "lon": ("lengtegraad", "lon", "lng", "longitude", "oosterlengte", "lengte"),
    "x": ("x", "rd x", "x coordinaat", "xcoord", "x rd"),
    "y": ("y", "rd y", "y coordinaat", "ycoord", "y rd"),
}
# Abbreviations offices use in headers, written out word by word.
ABBREVIATIONS = {"nr": "nummer", "no": "nummer", "tel": "telefoon", "telnr": "telefoonnummer", "toev": "toevoeging",
                 "pc": "postcode", "huisnr": "huisnummer", "hnr": "huisnummer", "adr": "adres",
                 "coord": "coordinaat", "cap": "capaciteit", "bez": "bezetting", "gem": "gemeente",
                 "aant": "aantal", "max": "max", "contactpers": "contactpersoon", "ctp": "contactpersoon"}
# Header words that say nothing about the field ("Naam van de locatie" = "Naam locatie").
FILLER = {"van", "de", "het", "der", "een", "the", "of", "nl", "bij"}
IGNORE = "negeer"  # a hand mapping to this value ignores a column on purpose


@lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """Return `text` folded for comparison: lower case, no accents, words separated by one space (cached:
    a file repeats its care types, towns and municipalities on every row)."""
    return fold(text)


def _words(text: str) -> list[str]:
    folded = re.sub(r"\be mail", "email", normalise(text))
    words = [ABBREVIATIONS.get(w, w) for w in folded.split()]
    return [w for w in words if w not in FILLER] or words


def header_keys(text: str) -> tuple[str, str]:
    """Return the two comparison keys of a header: its words sorted, and its words glued in order."""
    words = _words(text)
    return " ".join(sorted(words)), "".join(words)


_LOOKUP: dict[str, str] = {}
for _field, _variants in HEADERS.items():
    for _variant in _variants:
        for _key in header_keys(_variant):
            _LOOKUP.setdefault(_key, _field)
_LOOKUP.update({f.name: f.name for f in FIELDS})


def field_for(header: str, remembered: dict[str, str] | None = None) -> str | None:
    """Return the field a header feeds, `IGNORE`, or None when it is not recognised."""
    remembered = remembered or {}
    for key in (normalise(header), *header_keys(header)):
        if key in remembered:
            return remembered[key]
    sorted_key, glued = header_keys(header)
    return _LOOKUP.get(sorted_key) or _LOOKUP.get(glued)


def parse_mapping(spec: str) -> tuple[str, str]:
    """Parse a hand mapping 'Kolom=veld' (veld: field name, its Dutch label or 'negeer'); raise ValueError."""
    if "=" not in spec:
        raise ValueError(f"'{spec}': schrijf een koppeling als \"Kolom=veld\"")
    column, target = (part.strip() for part in spec.rsplit("=", 1))
    labels = {normalise(f.nl): f.name for f in FIELDS} | {f.name: f.name for f in FIELDS} | {"kvk": "kvk"}
    key = normalise(target).replace(" ", "_") if target in BY_NAME else normalise(target)
    found = IGNORE if key in (IGNORE, "negeren", "ignore") else labels.get(target) or labels.get(key)
    if not column or not found:
        raise ValueError(f"'{target}' is geen bekend veld (bijvoorbeeld: {', '.join(f.nl for f in FIELDS[:4])}, negeer)")
    return normalise(column), found


def map_headers(header: list[str], remembered: dict[str, str] | None = None) -> tuple[dict[str, int], list[int]]:
    """Return {field: column index} and the indexes of the columns that feed no field."""
    mapping: dict[str, int] = {}
    unused = []
    for i, cell in enumerate(header):
        found = field_for(cell, remembered) if cell.strip() else None
        if found and found != IGNORE and found not in mapping:
            mapping[found] = i
        else:
            unused.append(i)
    return mapping, unused


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
        table.update({"product:" + p.upper().replace(" ", ""): term.code for p in getattr(term, "products", ())})
    return table


@lru_cache(maxsize=16)
def care_table(catalog: Catalog) -> dict[str, str]:
    return _aliases(catalog.care_types, {k: v for k, v in CARE_ALIASES.items() if k in catalog.care_codes})


@lru_cache(maxsize=16)
def target_table(catalog: Catalog) -> dict[str, str]:
    return _aliases(catalog.target_groups, {k: v for k, v in TARGET_ALIASES.items() if k in catalog.target_codes})


PRODUCT_RE = re.compile(r"^\s*(\d{2})([A-Za-z]\d{0,3})?\b")  # iWmo product codes: 07A01, 02A08, 15


def product_code(text: str, table: dict[str, str]) -> str | None:
    """Return the care type of an iWmo product ('07A01 Dagbesteding groep' is 07): a configured product
    prefix ('07A', '08B12') first, else the code's category (its first two digits) when it is a care type."""
    m = PRODUCT_RE.match(text)
    if not m:
        return None
    compact = re.sub(r"\s+", "", text).upper()
    prefixes = sorted((k for k in table if k.startswith("product:")), key=len, reverse=True)
    for key in prefixes:
        if compact.startswith(key[len("product:"):]):
            return table[key]
    return table.get(m.group(1)) if table.get(m.group(1)) == m.group(1) else None


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
            elif (code := product_code(piece, table)) is not None:
                codes.append(code)
            else:
                unknown.append(piece.strip())
    return list(dict.fromkeys(codes)), unknown


@lru_cache(maxsize=16)
def region_table() -> dict[str, str]:
    """Return the purchasing regions by folded name and alias."""
    from ..reference import REGION_ALIASES, REGIONS

    return {**{normalise(r): r for r in REGIONS}, **{normalise(k): v for k, v in REGION_ALIASES.items()}}
