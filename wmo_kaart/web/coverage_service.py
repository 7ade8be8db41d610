"""Coverage for the web adapters: the role's view, the configured demand, the same core function."""

from __future__ import annotations

from ..core import access
from ..core.coverage import Coverage, Scenario, compute
from ..core.demand import Demand, load_demand
from . import role_view, services


def demand() -> Demand:
    """Return the configured demand areas (cached per file)."""
    return load_demand(services().settings.demand_path)


def figures(role: str, scenario: Scenario, places: bool = False) -> Coverage:
    """Return the figures of `scenario` on the role's view; BW places only for the BW roles (else PermissionError)."""
    if places and not access.may(role, "bw_figures"):
        raise PermissionError("BW-plaatsen zijn alleen zichtbaar voor BW-rollen")
    return compute(demand(), role_view(role), scenario, places=places)
