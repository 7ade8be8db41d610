"""Who may see what: roles, their field tiers and layers, declared as data in one place.

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


@dataclass(frozen=True)
class Role:
    """A role: which field tiers, layers and pages it may see."""

    slug: str
    nl: str
    en: str
    tiers: tuple[str, ...]
    layers: tuple[str, ...]
    pages: tuple[str, ...]


_PRO_PAGES = ("public", "pro", "dekking")
ROLES: dict[str, Role] = {r.slug: r for r in (
    Role(ANONYMOUS, "Publiek (niet ingelogd)", "Public (not logged in)",
         (PUBLIC,), ("locations",), ("public",)),
    Role("wmo_consulent", "Wmo-consulent", "Wmo consultant",
         (PUBLIC, PROFESSIONAL), ("locations",), _PRO_PAGES),
    Role("contractmanager", "Contractmanager", "Contract manager",
         (PUBLIC, PROFESSIONAL), ("locations",), _PRO_PAGES),
    Role("bestuurder", "Bestuurder", "Director / alderman",
         (PUBLIC, PROFESSIONAL), ("locations",), _PRO_PAGES),
    Role("bw_consulent", "BW-consulent", "Sheltered housing consultant",
         (PUBLIC, PROFESSIONAL, BW), ("locations", "bw"), _PRO_PAGES),
    Role("beleidsadviseur", "Beleidsadviseur", "Policy adviser",
         (PUBLIC, PROFESSIONAL, BW), ("locations", "bw"), _PRO_PAGES),
    Role("beheerder", "Functioneel beheerder", "Data manager",
         (PUBLIC, PROFESSIONAL, BW), ("locations", "bw"), (*_PRO_PAGES, "beheer")),
)}


def role(slug: str | None) -> Role:
    """Return the role for `slug`; unknown or missing slugs get the public role."""
    return ROLES.get(slug or ANONYMOUS, ROLES[ANONYMOUS])


def visible_fields(slug: str | None) -> tuple[str, ...]:
    """Return the allow-list of fields the role may see, in contract order."""
    return fields_of(*role(slug).tiers)


def may_see_layer(slug: str | None, layer_id: str) -> bool:
    """Tell whether the role may see the layer `layer_id`."""
    return layer_id in role(slug).layers


def may_open_page(slug: str | None, page: str) -> bool:
    """Tell whether the role may open the page `page`."""
    return page in role(slug).pages


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
