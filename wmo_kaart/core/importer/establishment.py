"""A location's identity without a location code: the establishment.

A contract administration's export has no code of ours. A location is then the establishment:
the provider (its KvK number, else its name folded) at a BAG address (postcode, house number,
house letter, addition). Its id is derived from that key, the same on every import, and it is
matched to stored locations (those with codes of their own too) by provider and address, so
positions, BW figures, contacts and history stay attached across refreshes.

Rows that are probably the same establishment but not certainly (same address and another name;
same provider and name at another address) are a question for the data manager, never a guess.
The answers are remembered with the column mappings, under keys no header can fold to.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..text import fold

SAME = "§zelfde:"    # remembered answer: this derived id is that stored location
APART = "§apart:"    # remembered answer: this derived id is a location of its own


class Key(NamedTuple):
    """Who and where: the provider and the BAG address of an establishment (a tuple: a national export
    makes tens of thousands)."""

    provider: str
    address: str

    @property
    def id(self) -> str:
        digest = hashlib.sha256(f"{self.provider}|{self.address}".encode()).hexdigest()[:10].upper()
        return f"V-{digest}"


def provider_keys(props: dict) -> list[str]:
    """Return the provider's identities: 'kvk:09876543' when it has a KvK number, and its name folded
    without legal forms and '(fictief)' ('naam:linde'); the first is the one ids derive from."""
    return list(_provider_keys(str(props.get("provider_id") or ""), str(props.get("provider_name") or "")))


@lru_cache(maxsize=8192)
def _provider_keys(provider_id: str, provider_name: str) -> tuple[str, ...]:
    """Once per provider (a contract export repeats one on every row of its establishments)."""
    keys = []
    if provider_id.upper().startswith("KVK-"):
        keys.append("kvk:" + re.sub(r"\D", "", provider_id).zfill(8))
    name = re.sub(r"\b(stichting|bv|b v|vof|demo|fictief|zorggroep|de|het)\b", " ", fold(provider_name))
    if name.strip():
        keys.append("naam:" + " ".join(name.split()))
    return tuple(keys)


def provider_key(props: dict) -> str:
    keys = provider_keys(props)
    return keys[0] if keys else ""


def address_key(props: dict) -> str:
    """Return '5341AB|12|A|BIS': postcode, house number, letter and addition, compared without case."""
    return _address(str(props.get("postcode") or ""), str(props.get("house_number") or ""),
                    str(props.get("house_letter") or ""), str(props.get("house_addition") or ""))


def _address(postcode: str, number: str, letter: str, addition: str) -> str:
    postcode, number = postcode.replace(" ", "").upper(), number.strip()
    if not postcode or not number:
        return ""
    return "|".join((postcode, number, letter.upper(), addition.upper()))


def key_of(props: dict) -> Key | None:
    provider, address = provider_key(props), address_key(props)
    return Key(provider, address) if provider and address else None


def keys_of_columns(provider_ids: list[str], names: list[str], postcodes: list[str], numbers: list[str],
                    letters: list[str], additions: list[str]) -> list[Key | None]:
    """`key_of` for many rows given as columns of text ('' where a row has no value)."""
    providers = [keys[0] if keys else "" for keys in map(_provider_keys, provider_ids, names)]
    addresses = map(_address, postcodes, numbers, letters, additions)
    return [Key(provider, address) if provider and address else None for provider, address in zip(providers, addresses)]


def _same_name(a: dict, b: dict) -> bool:
    return bool(fold(str(a.get("name") or ""))) and fold(str(a.get("name") or "")) == fold(str(b.get("name") or ""))


@dataclass(frozen=True)
class Question:
    """A row that is probably a stored location: the data manager says 'same' or 'apart'."""

    row: int
    sheet: str
    derived_id: str
    stored_id: str
    reason: str  # 'zelfde adres, andere naam' / 'zelfde naam, ander adres'
    row_label: str
    stored_label: str

    def as_dict(self) -> dict:
        return {"row": self.row, "sheet": self.sheet, "id": self.derived_id, "stored_id": self.stored_id,
                "reason": self.reason, "row_label": self.row_label, "stored_label": self.stored_label}


def _label(props: dict) -> str:
    from ..schema import format_house_number

    house = format_house_number(props.get("house_number"), props.get("house_letter"), props.get("house_addition"))
    return f"{props.get('provider_name', '')}: {props.get('name', '')}, {props.get('street', '')} {house}, {props.get('postcode', '')}"


def match(rows, stored: list[dict], remembered: dict) -> tuple[dict[str, str], list[Question]]:
    """Return {derived id: stored id} for rows that are stored establishments, and the questions.

    Certain: the same provider (KvK or folded name) at the same address. A remembered answer decides
    a question. Otherwise a stored location at the same address (another provider name), or with the
    same provider and location name elsewhere, is asked about; until answered the row is new."""
    by_address: dict[str, list[dict]] = {}
    by_name: dict[tuple[str, str], list[dict]] = {}
    for feature in stored:
        props = feature["properties"]
        if address := address_key(props):
            by_address.setdefault(address, []).append(props)
        for provider in provider_keys(props):
            by_name.setdefault((provider, fold(str(props.get("name") or ""))), []).append(props)
    renames: dict[str, str] = {}
    questions: list[Question] = []
    stored_ids = {f["properties"]["id"] for f in stored}
    taken = set()
    for row in rows:
        key = getattr(row, "key", None)
        if key is None:
            continue
        derived = row.values["id"]
        if derived in stored_ids:  # stored earlier from a contract export: the same key, the same id
            taken.add(derived)
            continue
        mine = set(provider_keys(row.values))
        here = [p for p in by_address.get(key.address, []) if p["id"] not in taken]
        certain = next((p["id"] for p in here if mine & set(provider_keys(p))), None)
        answer = remembered.get(SAME + derived)
        chosen = certain or (answer if answer in stored_ids and answer not in taken else None)
        if chosen:
            renames[derived] = chosen
            taken.add(chosen)
            continue
        if remembered.get(APART + derived):
            continue
        candidates = [(p, "zelfde adres, andere aanbiedersnaam") for p in here]
        candidates += [(p, "zelfde aanbieder en naam, ander adres") for provider in mine
                       for p in by_name.get((provider, fold(str(row.values.get("name") or ""))), []) if _same_name(p, row.values)]
        for props, reason in candidates:
            if props["id"] not in taken and props["id"] not in renames.values():
                questions.append(Question(row.number, row.sheet, derived, props["id"], reason, _label(row.values),
                                          _label(props)))
                break
    return renames, questions


def parse_answer(spec: str) -> tuple[str, str]:
    """Parse a data manager's answer 'V-…=LOC-0109' (same) or 'V-…=apart'; return a remembered pair."""
    if "=" not in spec:
        raise ValueError(f"'{spec}': schrijf een antwoord als \"V-…=LOC-0109\" (dezelfde) of \"V-…=apart\"")
    derived, target = (part.strip() for part in spec.split("=", 1))
    if not re.fullmatch(r"V-[0-9A-F]{10}", derived, flags=re.IGNORECASE) or not target:
        raise ValueError(f"'{spec}': links staat een afgeleide code (V- en tien tekens), rechts een locatiecode of 'apart'")
    if fold(target) in ("apart", "niet dezelfde", "nieuw"):
        return APART + derived.upper(), "apart"
    return SAME + derived.upper(), target
