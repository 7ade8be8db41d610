"""Command line: coverage and spread figures, the same core functions as /dekking and the API."""

from __future__ import annotations

import json
import sys

from ..config import from_env, open_store


def _dec(value, digits: int = 1) -> str:
    """Return a number the Dutch way: 1.234,5."""
    return "–" if value is None else f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _pct(value) -> str:
    return "–" if value is None else _dec(value * 100) + "%"


def _km(value) -> str:
    return "–" if value is None else _dec(value / 1000) + " km"


def coverage(args) -> int:
    from ..core import access
    from ..core.coverage import compute
    from ..core.coverage_params import ScenarioError, parse_scenario
    from ..core.demand import DemandError, load_demand

    settings = from_env()
    store = open_store(settings)
    try:
        scenario = parse_scenario(store.catalog, args.zorgvorm, args.doelgroep, args.drempels, args.zonder_aanbieder,
                                  args.zonder_locatie, args.nieuw, "1" if args.met_beeindigd else None)
        demand = load_demand(settings.demand_path)
    except ScenarioError as exc:
        print(f"Fout in --{exc.parameter}: {exc.message}.", file=sys.stderr)
        return 2
    except DemandError as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return 1
    result = compute(demand, access.operator_view(store.current()), scenario, places=args.bw_plaatsen).as_json()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    keys = list(result["region"]["share_within"])
    print(f"Dekking zorgvorm {scenario.care_type}{' voor ' + scenario.target_group if scenario.target_group else ''} "
          f"(afstanden hemelsbreed, bevolking {demand.source})")
    print(f"{'gemeente':22s} {'inwoners':>9s} {'locaties':>8s} {'per 10.000':>10s} {'gemiddeld':>10s} "
          + " ".join(f"{'≤ ' + k + ' km':>9s}" for k in keys))
    for m in [*result["municipalities"], {"name": "Regio", **result["region"]}]:
        print(f"{m['name'][:22]:22s} {_dec(m['population'] or 0, 0):>9s} {m['locations']:8d} {_dec(m['per_10000'], 2):>10s} "
              f"{_km(m['mean_m']):>10s} " + " ".join(f"{_pct(m['share_within'][k]):>9s}" for k in keys))
    print(f"Gebieden verder dan {keys[-1]} km: {len(result['gaps'])} "
          f"({_dec(sum(g['population'] or 0 for g in result['gaps']), 0)} inwoners)")
    if result["best_new"]:
        b = result["best_new"]
        print(f"Eén locatie erbij helpt het meest in gebied {b['id']}: {_dec(b['residents_covered'], 0)} inwoners "
              f"komen binnen {_dec(b['radius_km'], 0)} km")
    return 0

