"""The embed's state in its URL: parse the query string and build it back, so views can be shared."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from ..core.catalog import Catalog
from ..core.reference import municipality
from ..i18n import language

THEME_RE = re.compile(r"^[a-z0-9-]{1,40}$")
ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
MAX_SHORTLIST = 20


@dataclass(frozen=True)
class EmbedState:
    """What the embed shows: filters, search text, language, theme and shortlist."""

    gemeente: tuple[str, ...] = ()
    zorgvorm: tuple[str, ...] = ()
    doelgroep: tuple[str, ...] = ()
    q: str = ""
    lang: str = "nl"
    theme: str = ""
    bewaard: tuple[str, ...] = ()


def strings(value) -> list[str]:
    """Return the strings of a list input from the browser; anything else (a forged number, a dict) gives none."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, (list, tuple)) else []


def _many(params: dict, key: str) -> list[str]:
    return [v.strip() for raw in params.get(key, []) for v in raw.split(",") if v.strip()]


def parse(search: str, catalog: Catalog) -> EmbedState:
    """Return the state in a query string; unknown values are dropped, never trusted."""
    try:
        params = parse_qs((search or "").lstrip("?")[:4000], max_num_fields=50)
    except ValueError:  # more than 50 fields: nobody's real link; start from the defaults
        params = {}
    gemeente = tuple(dict.fromkeys(m.code for v in _many(params, "gemeente") if (m := municipality(v))))
    zorgvorm = tuple(dict.fromkeys(v.zfill(2) for v in _many(params, "zorgvorm") if v.zfill(2) in catalog.care_codes))
    doelgroep = tuple(dict.fromkeys(v for v in _many(params, "doelgroep") if v in catalog.target_codes))
    q = (params.get("q") or [""])[0].strip()[:80]
    lang = language((params.get("lang") or ["nl"])[0])
    theme = (params.get("theme") or [""])[0]
    bewaard = tuple(dict.fromkeys(v for v in _many(params, "bewaard") if ID_RE.match(v)))[:MAX_SHORTLIST]
    return EmbedState(gemeente, zorgvorm, doelgroep, q, lang, theme if THEME_RE.match(theme) else "", bewaard)


def build(state: EmbedState) -> str:
    """Return the query string (with '?', or '' when empty) for `state`."""
    pairs = [("gemeente", g) for g in state.gemeente] + [("zorgvorm", z) for z in state.zorgvorm]
    pairs += [("doelgroep", d) for d in state.doelgroep]
    if state.q:
        pairs.append(("q", state.q))
    if state.lang == "en":
        pairs.append(("lang", "en"))
    if state.theme:
        pairs.append(("theme", state.theme))
    if state.bewaard:
        pairs.append(("bewaard", ",".join(state.bewaard)))
    return "?" + urlencode(pairs) if pairs else ""
