"""What does closing a gap, a field or the whole map cost, and how many gaps close for $X?

Each needed capability (necessary or role-less links, prerequisites included) is paid once per
scope, its `build.cost_usd` sampled with the same draws in every scope. A capability without a
build block costs nothing more if it already exists (maturity deployed/scaling: listed as
`existing`); otherwise it is listed as `unpriced` and left out of the sums — so a scope with
unpriced capabilities shows a lower bound, and says so. Each scope also names which of its priced
capabilities are priced by rule of thumb (team size x duration) rather than from a source.

What money buys and what only time buys: per gap, `priced` lists what a budget pays to build;
`waits_for_cost` lists the needed capabilities whose cost target gates the gap (no budget here
buys that: time, or a cheaper method, does), with the share of samples in which the capability
is ready before its cost reaches the target (`p_cost_binds`: it then waits for its cost) and in
which the target is never reached within the horizon (`p_never`). Both come from the schedule's joint draws
(schedule.simulate_gaps), sample by sample.

The budget curve funds gaps in one fixed greedy order — next the fully priced gap whose
not-yet-paid capabilities have the smallest sum of median costs — then counts, in every sample,
how many gaps in that order the budget pays for *and* that close within the horizon in that same
sample (their cost targets reached); the curve is the mean count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from gapmap.cost.dag import Dag, build_dag, closure, csr, needed
from gapmap.cost.sampling import check_seed, quantiles, spec, spec_arrays, stream
from gapmap.cost.schedule import EXISTING, GapDraws, blocks, simulate_gaps
from gapmap.cost.settings import Settings
from gapmap.cost.trajectories import QUANTILES, round6
from gapmap.model.distributions import Fixed

BUDGET_POINTS = 41


@dataclass
class ScopeCost:
    id: str
    kind: str  # gap | field | map
    quantiles: dict[str, float] | None  # USD; None when nothing in the scope is priced
    mean: float | None
    priced: list[str]
    unpriced: list[str]
    existing: list[str]
    rule_of_thumb: list[str] = field(default_factory=list)  # priced by team size x duration, not a source
    waits_for_cost: list[dict] = field(default_factory=list)  # gaps only: targets money does not buy
    p_closes: float | None = None  # gaps only: share of samples closing within the horizon
    note: str | None = None


@dataclass
class Portfolio:
    field: str | None
    total: ScopeCost
    fields: dict[str, ScopeCost]
    gaps: dict[str, ScopeCost]
    order: list[dict]  # greedy funding order: gap id, marginal median cost, cumulative median
    curve: list[dict]  # budget (USD), expected gaps closed
    not_in_curve: dict[str, str] = field(default_factory=dict)  # gap id -> why

    def to_json(self) -> dict:
        return asdict(self)


def price_status(cap) -> str:
    if cap.build is not None:
        return "priced"
    return "existing" if cap.maturity in EXISTING else "unpriced"


def cost_sampler(kb, dag: Dag, seed: int):
    """(n, offset) -> (n, k) build costs of every capability (0 for existing and unpriced ones)
    for samples offset.. ."""
    from gapmap.cost import kernels  # numba starts only when a kernel runs

    caps = [kb.capabilities[c] for c in dag.ids]
    kinds, params = spec_arrays(spec(c.build.cost_usd if c.build else Fixed(value=0.0)) for c in caps)
    keys = np.array([stream(c, "cost_usd") for c in dag.ids], dtype=np.uint64)
    seed = check_seed(seed)
    return lambda n, offset: kernels.sample_specs(kinds, params, keys, int(n), seed, int(offset))


def portfolio(kb, field_id: str | None = None, settings: Settings = Settings(), dag: Dag | None = None,
              draws: GapDraws | None = None) -> Portfolio:
    """Cost distributions of every gap, field and the whole scope, and the budget curve.

    `draws` (schedule.simulate_gaps over all gaps) supplies the joint samples of closing; the
    build costs of sample i pair with the closing of sample i."""
    from gapmap.cost import kernels  # numba starts only when a kernel runs

    dag = dag or (draws.dag if draws else build_dag(kb))
    samples, seed = settings.samples, settings.seed
    draws = draws or simulate_gaps(kb, None, settings, dag)
    col = {g: j for j, g in enumerate(draws.gap_ids)}
    gap_ids = sorted(g for g, gap in kb.gaps.items() if field_id is None or gap.field == field_id)
    need = {g: closure(dag, needed(kb.gaps[g], dag)) for g in gap_ids}
    field_ids = sorted({kb.gaps[g].field for g in gap_ids})
    scopes = [(g, "gap", need[g]) for g in gap_ids]
    scopes += [(f, "field", sorted({c for g in gap_ids if kb.gaps[g].field == f for c in need[g]})) for f in field_ids]
    scopes.append((field_id or "map", "field" if field_id else "map", sorted({c for g in gap_ids for c in need[g]})))
    status = [price_status(kb.capabilities[c]) for c in dag.ids]
    order, skipped = greedy_order(kb, dag, need, status)
    closes = np.isfinite(draws.close[:, [col[row["gap"]] for row in order]]) if order else None
    plan = curve_plan(order, dag)
    sets, costs_of = csr([s[2] for s in scopes]), cost_sampler(kb, dag, seed)
    totals, expected = np.empty((samples, len(scopes))), np.zeros(BUDGET_POINTS)
    for lo, hi in blocks(samples, len(dag.ids)):  # bounded memory on maps of thousands of capabilities
        costs = costs_of(hi - lo, lo)
        totals[lo:hi] = kernels.set_totals(costs, *sets)
        if plan:
            expected += (hi - lo) * kernels.closed_within(costs, plan[1], plan[2], plan[0],
                                                          np.ascontiguousarray(closes[lo:hi]))
    qs = quantiles(totals, np.array(list(QUANTILES.values())))
    results = [_scope(sid, kind, members, dag, status, totals[:, j], qs[:, j])
               for j, (sid, kind, members) in enumerate(scopes)]
    by_rule = {c for c in dag.ids if kb.capabilities[c].build and kb.capabilities[c].build.basis == "rule-of-thumb"}
    for r in results:
        r.rule_of_thumb = [c for c in r.priced if c in by_rule]
        if r.kind == "gap":
            _time_part(r, draws, col[r.id])
    curve = [{"budget_usd": round6(b), "expected_gaps_closed": round6(e / max(samples, 1))}
             for b, e in zip(plan[0], expected)] if plan else []
    return Portfolio(
        field=field_id, total=results[-1],
        fields={r.id: r for r in results if r.kind == "field" and r is not results[-1]},
        gaps={r.id: r for r in results if r.kind == "gap"},
        order=order, curve=curve, not_in_curve=skipped,
    )


def _time_part(r: ScopeCost, draws: GapDraws, j: int) -> None:
    """What only time buys for one gap, and why a gap that costs nothing costs nothing."""
    dag = draws.dag
    r.waits_for_cost = [{"capability": dag.ids[c], **draws.targets[c]} for c in draws.rows[j] if c in draws.targets]
    r.p_closes = round6(np.isfinite(draws.close[:, j]).mean()) if draws.rows[j] else None
    if not draws.rows[j]:
        r.note = "links no necessary capability: nothing to buy, and no closing year"
    elif not r.priced and not r.unpriced:
        r.note = ("costs nothing to build: every capability it needs exists; it waits only for "
                  + ", ".join(w["capability"] + "'s cost target" for w in r.waits_for_cost)
                  if r.waits_for_cost else
                  "costs nothing to build: every capability it needs exists and no cost target is set — "
                  "say what is still missing (`gapmap validate` warns)")


def _scope(sid, kind, members, dag, status, totals, qs) -> ScopeCost:
    by = {s: sorted(dag.ids[c] for c in members if status[c] == s) for s in ("priced", "unpriced", "existing")}
    if not by["priced"]:
        return ScopeCost(sid, kind, None, None, **by)
    return ScopeCost(sid, kind, {n: round6(v) for n, v in zip(QUANTILES, qs)}, round6(totals.mean()), **by)


def greedy_order(kb, dag: Dag, need: dict, status: list[str]) -> tuple[list[dict], dict]:
    """Fully priced gaps, cheapest marginal median first; the others with the reason left out."""
    median = [kb.capabilities[c].build.cost_usd.median() if kb.capabilities[c].build else 0.0 for c in dag.ids]
    skipped = {g: "needs no capability" for g, caps in need.items() if not caps}
    skipped |= {g: "has unpriced capabilities: " + ", ".join(dag.ids[c] for c in caps if status[c] == "unpriced")
                for g, caps in need.items() if any(status[c] == "unpriced" for c in caps)}
    left = {g: set(caps) for g, caps in need.items() if g not in skipped}
    paid: set[int] = set()
    order, spent = [], 0.0
    while left:
        g = min(left, key=lambda g: (sum(median[c] for c in left[g] - paid), g))
        new = sorted(left.pop(g) - paid)
        step = sum(median[c] for c in new)
        spent += step
        paid.update(new)
        order.append({"gap": g, "new_capabilities": [dag.ids[c] for c in new],
                      "marginal_median_usd": round6(step), "cumulative_median_usd": round6(spent)})
    return order, skipped


def curve_plan(order: list[dict], dag: Dag):
    """(budgets, step_ptr, step_idx) of the budget curve: budgets from a quarter of the cheapest
    step to four times the whole order, each step the capabilities it newly pays for; None
    without an order."""
    if not order:
        return None
    steps = [[dag.index[c] for c in row["new_capabilities"]] for row in order]
    cum = [row["cumulative_median_usd"] for row in order]
    low = max(min(r["marginal_median_usd"] for r in order if r["marginal_median_usd"] > 0) / 4, 1.0) \
        if any(r["marginal_median_usd"] > 0 for r in order) else 1.0
    return (np.geomspace(low, max(cum[-1] * 4, low * 10), BUDGET_POINTS), *csr(steps))
