"""Who may see what: roles, their field tiers and capabilities, declared as data in one place.

Every adapter (map callbacks, layers, API, exports) obtains locations only through
`view_for(dataset, role)`, which builds the frame from an allow-list of fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from . import clock, contracts
from .dataset import Dataset, derived_columns
from .schema import BW, PROFESSIONAL, PUBLIC, fields_of

ANONYMOUS = "anonymous"
OPERATOR = ("operator",)  # the cache key of the command line's view: not a role, never a slug


# What a role may do, by name. Pages, layers, API routes and exports ask for one of these, never for
# another page's name; docs/roles.md lists them (tested).
CAPABILITIES: dict[str, tuple[str, str]] = {
    "public_map": ("De openbare kaart, de zoeker en de openbare API", "The public map, the finder and the public API"),
    "pro_map": ("De kaart voor professionals: contactpersonen, contracten, hand-out", "The professional map: contacts, contracts, handout"),
    "contracts": ("Contracten bekijken en exporteren (/contracten)", "View and export contracts (/contracten)"),
    "coverage": ("Dekking en spreiding (/dekking, rapport, downloads)", "Coverage and spread (/dekking, report, downloads)"),
    "bw_figures": ("BW-cijfers: capaciteit, bezetting, trend en de BW-laag", "Sheltered housing figures, trend and layer"),
    "manage_data": ("Gegevensbeheer: importeren, publiceren, versies (/beheer)", "Data management: import, publish, versions"),
    "usage": ("Gebruikscijfers, actualiteit van de gegevens en evaluatierapport (/beheer/gebruik)",
              "Usage figures, freshness of the data and evaluation report (/beheer/gebruik)"),
    "feedback_queue": ("Meldingen van fouten afhandelen (/beheer/meldingen)", "Handle error reports (/beheer/meldingen)"),
}


@dataclass(frozen=True)
class Role:
    """A role: which field tiers it reads and which capabilities it has."""

    slug: str
    nl: str
    en: str
    tiers: tuple[str, ...]
    capabilities: tuple[str, ...]


_PRO = ("public_map", "pro_map", "contracts", "coverage")
_BW = (*_PRO, "bw_figures")
ROLES: dict[str, Role] = {r.slug: r for r in (
    Role(ANONYMOUS, "Publiek (niet ingelogd)", "Public (not logged in)", (PUBLIC,), ("public_map",)),
    Role("wmo_consulent", "Wmo-consulent", "Wmo consultant", (PUBLIC, PROFESSIONAL), _PRO),
    Role("contractmanager", "Contractmanager", "Contract manager", (PUBLIC, PROFESSIONAL), _PRO),
    Role("bestuurder", "Bestuurder", "Director / alderman", (PUBLIC, PROFESSIONAL), (*_PRO, "usage")),
    Role("bw_consulent", "BW-consulent", "Sheltered housing consultant", (PUBLIC, PROFESSIONAL, BW), _BW),
    Role("beleidsadviseur", "Beleidsadviseur", "Policy adviser", (PUBLIC, PROFESSIONAL, BW), (*_BW, "usage")),
    Role("beheerder", "Functioneel beheerder", "Data manager", (PUBLIC, PROFESSIONAL, BW),
         (*_BW, "manage_data", "feedback_queue", "usage")),
)}
assert all(c in CAPABILITIES for r in ROLES.values() for c in r.capabilities)


def role(slug: str | None) -> Role:
    """Return the role for `slug`; unknown or missing slugs get the public role."""
    return ROLES.get(slug or ANONYMOUS, ROLES[ANONYMOUS])


def visible_fields(slug: str | None) -> tuple[str, ...]:
    """Return the allow-list of fields the role may see, in contract order."""
    return fields_of(*role(slug).tiers)


def may(slug: str | None, capability: str) -> bool:
    """Tell whether the role has `capability` (one of CAPABILITIES; an unknown name is a bug)."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return capability in role(slug).capabilities


def operator_view(dataset: Dataset) -> pd.DataFrame:
    """Return every field of every location, for the command line on the server itself (its user can read
    the data files anyway); no web request ever gets this view."""
    view = dataset._views.get(OPERATOR)
    if view is None:
        view = dataset.frame.loc[:, [*fields_of(PUBLIC, PROFESSIONAL, BW), *derived_columns(dataset.frame)]].copy()
        dataset._views[OPERATOR] = view
    return view


def view_for(dataset: Dataset, slug: str | None, *, today: dt.date | None = None, hide_ended: bool = True) -> pd.DataFrame:
    """Return the locations as the role may see them: allowed fields plus derived geometry.

    Roles without the professional tier never see a location whose contract has ended (unless
    `hide_ended` is switched off by configuration); professional roles see it, flagged by its end date."""
    key = role(slug).slug
    hide = hide_ended and PROFESSIONAL not in role(key).tiers
    today = today or clock.today()
    cache_key = (key, today.isoformat()) if hide else key
    view = dataset._views.get(cache_key)
    if view is None:
        frame = dataset.frame
        if hide:
            frame = frame[~contracts.ended_mask(frame, today)]
        view = frame.loc[:, [*visible_fields(key), *derived_columns(frame)]].copy()
        dataset._views[cache_key] = view
    return view


def matrices_markdown(layers: dict[str, str]) -> str:
    """Return the capability and layer matrices of docs/roles.md (`layers`: layer id -> capability)."""
    head = " | ".join(ROLES)
    rule = "|".join("---" for _ in range(len(ROLES) + 2))

    def row(name: str, capability: str, extra: str = "") -> str:
        return f"| `{name}` | " + " | ".join("ja" if may(r, capability) else "–" for r in ROLES) + f" |{extra}"

    caps = [f"| capability | {head} | what |", f"|{rule}|"]
    caps += [row(c, c, f" {CAPABILITIES[c][1]} |") for c in CAPABILITIES]
    lays = [f"| layer | {head} |", f"|{rule[:-4]}|"]
    lays += [row(layer, capability) for layer, capability in layers.items()]
    return "### Capabilities\n\n" + "\n".join(caps) + "\n\n### Layers\n\n" + "\n".join(lays) + "\n"
