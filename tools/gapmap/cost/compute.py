"""The cost stage's entry points: one forecast, one gap's schedule, and everything at once.

Each takes the loaded map and returns plain JSON-able dicts (the shapes of `gapmap cost`,
`gapmap schedule`, `gapmap portfolio --json`), cached on disk by content hash. Schedules and the
portfolio come from one set of joint draws (schedule.simulate_gaps): build years, build costs and
each gated capability's cost path, sample by sample.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from gapmap.core import progress
from gapmap.cost import genome_costs
from gapmap.cost.cache import Cache, key
from gapmap.cost.hindcast import genome_hindcasts, record_hindcast
from gapmap.cost.portfolio import portfolio
from gapmap.cost.schedule import schedule_gaps, simulate_gaps
from gapmap.cost.settings import Settings
from gapmap.cost.trajectories import forecast

Options = Settings  # the old name of the one settings object


@dataclass
class Results:
    """Everything the site draws: forecasts by capability id, schedules by gap id, the
    portfolio, and the hindcast table of the methods page."""

    forecasts: dict[str, dict]
    schedules: dict[str, dict]
    portfolio: dict
    hindcast: list[dict]
    options: dict


def _cache(kb, use_cache: bool) -> Cache:
    return Cache(kb.root if use_cache else None)


def cost_forecast(kb, cap_id: str, options: Settings = Settings(), use_cache: bool = True) -> dict:
    """`gapmap cost` JSON for one capability (it must have a cost block), with its hindcast."""
    cost = kb.capabilities[cap_id].cost
    if cost is None:
        raise KeyError(f"capability '{cap_id}' has no cost block")
    settings = replace(options, start_year=0)  # a forecast does not depend on the schedule's start

    def compute() -> dict:
        out = forecast(cap_id, cost, settings).to_json()
        hind = record_hindcast(cap_id, cost, options.theta, options.seed)
        out["hindcast"] = hind.row() if hind else None
        return out

    return _cache(kb, use_cache).fetch("forecast", key(cap_id, cost.model_dump(), asdict(settings)), compute)


def _graph_slice(kb) -> dict:
    """What schedules and the portfolio depend on: links, prerequisites, builds, maturities, and
    the cost blocks whose targets gate gaps."""
    caps = {c: {"requires": r.requires, "build": r.build and r.build.model_dump(), "maturity": r.maturity,
                "cost": r.cost and r.cost.model_dump()}
            for c, r in kb.capabilities.items()}
    gaps = {g: {"field": r.field, "links": [link.model_dump() for link in r.capabilities]} for g, r in kb.gaps.items()}
    return {"capabilities": caps, "gaps": gaps}


def gap_schedules(kb, options: Settings = Settings(), use_cache: bool = True) -> dict[str, dict]:
    """Closing-year distribution and criticalities of every gap (one simulation for all)."""
    k = key("schedule", _graph_slice(kb), asdict(options))
    return _cache(kb, use_cache).fetch("schedule", k, lambda: {
        g: s.to_json() for g, s in schedule_gaps(kb, settings=options).items()})


def map_portfolio(kb, field_id: str | None = None, options: Settings = Settings(), use_cache: bool = True,
                  draws=None) -> dict:
    """Cost of every gap, field and the whole map (or one field), and the budget curve."""
    k = key("portfolio", field_id, _graph_slice(kb), asdict(options))
    return _cache(kb, use_cache).fetch("portfolio", k, lambda: portfolio(
        kb, field_id, options, draws=draws).to_json())


def compute_all(kb, samples: int | None = None, seed: int = 0, use_cache: bool = True, **more) -> Results:
    """Every capability's cost forecast, every gap's schedule, the map portfolio and the hindcast
    table, for the site build.

    `kb` is a loaded, validated `Map`; `more` sets other `Settings` (horizon, theta, start_year).
    Results are cached under <kb>/.gapmap-cache/ by a hash of the inputs each depends on and of
    the cost code, so a rebuild recomputes only what changed; a second run in a fresh process
    loads compiled kernels from numba's cache. Same map, samples and seed: same numbers.
    bench/cost.py measures the whole-map time (budget 3 s with compiled kernels, no result cache).
    """
    options = Settings(seed=seed, **({"samples": samples} if samples else {}), **more)
    priced = [c for c in sorted(kb.capabilities) if kb.capabilities[c].cost is not None]
    forecasts = {c: cost_forecast(kb, c, options, use_cache) for c in progress.bar(priced, "cost forecasts")}
    hindcast_rows = [f["hindcast"] | {"source": "record"} for f in forecasts.values() if f["hindcast"]]
    genome = _cache(kb, use_cache).fetch("hindcast", key("nhgri", options.theta, options.seed), lambda: [
        h.row() for h in genome_hindcasts(options.theta, options.seed)])
    cache = _cache(kb, use_cache)
    k_sched = key("schedule", _graph_slice(kb), asdict(options))
    k_port = key("portfolio", None, _graph_slice(kb), asdict(options))
    schedules, port = cache.get("schedule", k_sched), cache.get("portfolio", k_port)
    if schedules is None or port is None:
        draws = simulate_gaps(kb, None, options)  # one set of joint draws for both
        schedules = {g: s.to_json() for g, s in schedule_gaps(kb, settings=options, draws=draws).items()}
        port = portfolio(kb, None, options, draws=draws).to_json()
        cache.put("schedule", k_sched, schedules)
        cache.put("portfolio", k_port, port)
    return Results(forecasts=forecasts, schedules=schedules, portfolio=port,
                   hindcast=hindcast_rows + [row | {"source": genome_costs.SOURCE} for row in genome],
                   options=asdict(options))
