"""Care types and target groups: configuration with Dutch and English labels."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

PATTERNS = ("disc", "ring", "dot", "target")


@dataclass(frozen=True)
class Term:
    """One configured code with its labels (and, for care types, how it is drawn)."""

    code: str
    nl: str
    en: str
    colour: str = "#333333"
    pattern: str = "disc"
    products: tuple[str, ...] = ()  # iWmo product-code prefixes that mean this care type ('07A', '08B12')

    def label(self, lang: str = "nl") -> str:
        """Return the label in `lang` (Dutch unless English is asked for)."""
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Catalog:
    """The configured care types (iWmo codes) and target groups, in display order."""

    care_types: tuple[Term, ...]
    target_groups: tuple[Term, ...]

    def care_type(self, code: str) -> Term:
        """Return the care type with iWmo `code`."""
        return {t.code: t for t in self.care_types}[code]

    @property
    def care_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.care_types)

    @property
    def target_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.target_groups)


def _terms(items: list[dict], kind: str) -> tuple[Term, ...]:
    terms = []
    for i, item in enumerate(items):
        try:
            term = Term(**{**item, "products": tuple(item.get("products") or ())})
        except TypeError as exc:
            raise ValueError(f"catalogus: {kind}[{i}] is ongeldig: {exc}") from exc
        if term.pattern not in PATTERNS:
            raise ValueError(f"catalogus: {kind}[{i}] heeft onbekend patroon {term.pattern!r}")
        terms.append(term)
    return tuple(terms)


def parse_catalog(raw: dict, base: Catalog | None = None) -> Catalog:
    """Build a catalog from `raw`; entries extend or override those of `base` by code."""
    care = {t.code: t for t in (base.care_types if base else ())}
    groups = {t.code: t for t in (base.target_groups if base else ())}
    care.update({t.code: t for t in _terms(raw.get("care_types", []), "care_types")})
    groups.update({t.code: t for t in _terms(raw.get("target_groups", []), "target_groups")})
    return Catalog(tuple(care.values()), tuple(groups.values()))


@lru_cache(maxsize=8)
def load_catalog(extra_path: str | None = None) -> Catalog:
    """Return the bundled catalog, extended by the JSON file at `extra_path` if given."""
    bundled = json.loads(resources.files(__package__).joinpath("data/catalog.json").read_text("utf-8"))
    catalog = parse_catalog(bundled)
    if extra_path:
        catalog = parse_catalog(json.loads(Path(extra_path).read_text("utf-8")), base=catalog)
    return catalog


def default_catalog() -> Catalog:
    """Return the catalog configured by `WMO_KAART_CATALOG` (a JSON file), or the bundled one."""
    return load_catalog(os.environ.get("WMO_KAART_CATALOG") or None)
