"""Generate the fictional demo dataset (seeded, so the same seed gives the same file).

Provider names, people, streets, phone numbers and contracts are invented; e-mail and web
addresses use the reserved `.example` domain. Towns, their coordinates, postcode areas and
municipality codes are real reference data.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
from pathlib import Path

from .core import clock
from .core.geo import to_rd, to_wgs84
from .core.reference import BNOO, BY_CODE, towns

PREFIXES = ["Zorggroep", "Stichting", "Dagcentrum", "Woongroep", "Thuiszorg", "Begeleiding",
            "Zorgboerderij", "Huize", "Coöperatie", "Atelier", "Buurtzorg", "Wooncentrum"]
NAMES = ["De Linde", "Het Anker", "De Eik", "Maasoever", "De Meander", "Heidezicht", "Het Baken",
         "De Kempen", "Peelrand", "Het Palet", "De Horizon", "Vlasakker", "Zonnehoeve",
         "De Wilgen", "Het Veld", "Brabantse Kracht", "De Vlinder", "Klavertje Vier",
         "Noorderlicht", "De Boomgaard", "Het Kompas", "De Brug", "Samen Verder", "De Vaart",
         "Lindehof", "De Oase", "De Molen", "Weidezicht", "Het Kwartier", "Akkerwinde",
         "De Lantaarn", "Het Trefpunt", "Ruimzicht", "De Sprong", "Hoeve Aarde", "De Beuk"]
STREETS = ["Kerkstraat", "Molenstraat", "Dorpsstraat", "Schoolstraat", "Hoofdstraat",
           "Stationsstraat", "Julianastraat", "Beatrixlaan", "Lindelaan", "Eikenlaan",
           "Kloosterstraat", "Nieuwstraat", "Markt", "Torenstraat", "Parklaan", "Wilhelminastraat",
           "Heuvel", "Raadhuisstraat", "Burgemeester van den Elzenlaan", "Heistraat",
           "Industrieweg", "Spoorlaan", "Vlasweg", "Akkerstraat", "Zandstraat"]
FIRST = ["Anne", "Bram", "Carla", "Daan", "Els", "Fleur", "Gert", "Hanneke", "Ilse", "Joost",
         "Karin", "Luuk", "Marieke", "Noor", "Pieter", "Rian", "Sanne", "Tom", "Ursula", "Wim"]
LAST = ["van den Berg", "Bakker", "de Vries", "Verhoeven", "van Dijk", "Janssen", "Smits",
        "van der Heijden", "Peters", "Willems", "Hendriks", "van Vugt", "Aarts", "Bosch"]
SPECIALISMS = ["dementie", "autisme", "verslaving", "arbeidsmatig", "creatief", "zorgboerderij",
               "zintuiglijke beperking", "ouderen met psychische problemen", "dubbele diagnose"]
AREA = {"GM0828": "0412", "GM1721": "0412", "GM0755": "0492", "GM1982": "0485", "GM1991": "0413",
        "GM0855": "013", "GM0766": "0162", "GM0784": "0161", "GM0785": "013", "GM0797": "0416",
        "GM0798": "013", "GM0809": "0416", "GM0824": "013", "GM0867": "0416"}
CARE_WEIGHTS = {"07": 0.45, "02": 0.35, "04": 0.08, "15": 0.12}
TARGETS = ["ouderen", "ggz", "lvb", "nah", "lichamelijk", "jongvolwassenen"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("ö", "o")).strip("-")


def _postcode(rng: random.Random, pc4: str) -> str:
    while True:
        letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
        if letters not in ("SA", "SD", "SS"):
            return f"{pc4} {letters}"


def _point_near(rng: random.Random, town, radius_m: float) -> tuple[float, float]:
    x, y = to_rd(town.lon, town.lat)
    r, a = radius_m * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    lon, lat = to_wgs84(float(x) + r * math.cos(a), float(y) + r * math.sin(a))
    return round(float(lon), 6), round(float(lat), 6)


def _care_types(rng: random.Random) -> list[str]:
    codes, weights = zip(*CARE_WEIGHTS.items())
    first = rng.choices(codes, weights)[0]
    chosen = {first}
    if rng.random() < 0.35:
        chosen.add(rng.choices(codes, weights)[0])
    return sorted(chosen, key=list(CARE_WEIGHTS).index)


def _providers(rng: random.Random, count: int) -> list[dict]:
    names = rng.sample([f"{p} {n}" for p in PREFIXES for n in NAMES], count)
    providers = []
    for i, name in enumerate(names, start=1):
        region = BNOO if i % 2 else "Hart van Brabant"
        slug = _slug(name)
        providers.append({"provider_id": f"AANB-{i:03d}", "provider_name": f"{name} (demo)",
                          "region": region, "both": rng.random() < 0.15, "slug": slug})
    return providers


def _bw_fields(rng: random.Random, as_of: dt.date) -> dict:
    capacity = rng.choice([4, 6, 8, 8, 10, 12, 12, 16, 20, 24])
    occupancy = capacity if rng.random() < 0.25 else rng.randint(max(0, capacity - 6), capacity)
    stale = rng.random() < 0.2
    updated = as_of - dt.timedelta(days=rng.randint(100, 300) if stale else rng.randint(0, 45))
    return {"bw_capacity": capacity, "bw_occupancy": occupancy, "bw_updated": updated.isoformat()}


def _contract_end(rng: random.Random, as_of: dt.date) -> str:
    """Return a contract end date relative to `as_of`: about one in six has ended five months before,
    the rest end from next month up to two years on, on the 1st or the 30th (a month's last day)."""
    months = rng.choice([0, 12, 24]) + rng.choice([6, 12]) - 11
    first = clock.add_months(as_of.replace(day=1), months)
    last = clock.add_months(first, 1) - dt.timedelta(days=1)
    return (last.replace(day=min(30, last.day)) if rng.random() < 0.5 else first).isoformat()


def _location(rng: random.Random, n: int, provider: dict, town, as_of: dt.date) -> dict:
    care = _care_types(rng)
    radius = min(1800.0, 250.0 + 150.0 * len(town.pc4))
    lon, lat = _point_near(rng, town, radius)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    slug = provider["slug"]
    props = {
        "id": f"LOC-{n:04d}", "provider_id": provider["provider_id"],
        "provider_name": provider["provider_name"],
        "name": f"{provider['provider_name'].removesuffix(' (demo)')} {town.name}",
        "street": rng.choice(STREETS), "house_number": str(rng.randint(1, 180)),
        **{"": {}, "a": {"house_letter": "A"}, "-2": {"house_addition": "2"}}[rng.choice(["", "", "", "a", "-2"])],
        "postcode": _postcode(rng, rng.choice(town.pc4)), "city": town.name,
        "municipality_code": town.municipality_code, "care_types": care,
        "target_groups": sorted(rng.sample(TARGETS, rng.randint(1, 3)), key=TARGETS.index),
        "specialisms": sorted(rng.sample(SPECIALISMS, rng.randint(0, 2))),
        "website": f"https://www.{slug}.example/",
        "phone": f"{AREA[town.municipality_code]}-{rng.randint(100000, 999999)}"[:11],
        "email": f"info@{slug}.example", "wheelchair_accessible": rng.random() < 0.7,
        "contact_name": f"{first} {last}",
        "contact_email": f"{_slug(first)}.{_slug(last)}@{slug}.example",
        "contact_phone": f"06-{rng.randint(10000000, 99999999)}",
        "contract_id": f"{'BNOO' if BY_CODE[town.municipality_code].region == BNOO else 'HVB'}-{rng.choice([2023, 2024, 2025])}-{rng.randint(1, 999):03d}",
        "contract_end": _contract_end(rng, as_of),
    }
    if "15" in care:
        props.update(_bw_fields(rng, as_of))
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


HOURS = ("ma-vr 9:00-16:00", "ma-do 8:30-15:30", "di, do en vr 10:00-16:00", "ma-vr 9:30-15:00, wo tot 12:00")


def add_optional_fields(features: list[dict], as_of: dt.date) -> None:
    """Fill the optional fields for some locations, deterministically from the location number: opening
    hours for day care and short stay, a free-places indication for part of the day care, and the date
    the details were last checked for most locations (empty is fine: the rest stays empty)."""
    for feature in features:
        props = feature["properties"]
        n = int(props["id"].rsplit("-", 1)[-1])
        if {"07", "04"} & set(props["care_types"]) and n % 3:
            props["opening_hours"] = HOURS[n % len(HOURS)]
        if "07" in props["care_types"] and n % 4 == 1:
            props["free_places"] = n % 6
        if n % 5:
            props["last_checked"] = (as_of - dt.timedelta(days=(n * 37) % 400)).isoformat()


def generate(seed: int = 2026, providers: int = 64, locations: int = 280, as_of: dt.date | None = None) -> dict:
    """Return a fictional demo FeatureCollection covering all 14 municipalities, its dates relative to
    `as_of` (default: today), which it records as `metadata.as_of` (see `core.demo_dates`)."""
    as_of = as_of or clock.today()
    rng = random.Random(seed)
    provs = _providers(rng, providers)
    all_towns = towns()
    weight = {t.name: len(t.pc4) ** 0.8 for t in all_towns}
    # Every municipality first gets three locations, then the rest follow town size.
    picks = [t for code in BY_CODE for t in rng.sample([t for t in all_towns if t.municipality_code == code], 1) * 3]
    picks += rng.choices(all_towns, [weight[t.name] for t in all_towns], k=locations - len(picks))
    features = []
    for n, town in enumerate(picks, start=1):
        region = BY_CODE[town.municipality_code].region
        candidates = [p for p in provs if p["region"] == region or p["both"]]
        provider = provs[(n - 1) % len(provs)] if n <= len(provs) and provs[(n - 1) % len(provs)] in candidates else rng.choice(candidates)
        features.append(_location(rng, n, provider, town, as_of))
    add_optional_fields(features, as_of)
    return {"type": "FeatureCollection",
            "metadata": {"demo": True, "title": "DEMO: fictieve aanbieders en locaties",
                         "note": "Fictieve demogegevens (gegenereerd met wmo-kaart demo-data); "
                                 "gemeenten, plaatsen en postcodegebieden zijn echt.",
                         "seed": seed, "as_of": as_of.isoformat()},
            "features": features}


def write(path: Path, **kwargs) -> int:
    """Write the demo dataset to `path`; return the number of locations."""
    data = generate(**kwargs)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(data["features"])
