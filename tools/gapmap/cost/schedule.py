"""When could each gap close? Monte Carlo PERT over the prerequisite DAG, gated by cost targets.

A capability is ready when its prerequisites are all ready plus its own `build.years`. One that
exists already (maturity `deployed` or `scaling`, no build block) is ready now, whatever it
requires. Without a build block a capability that does not exist gets an *assumed*
triangular(2, 5, 15) years — a wide default for "unknown", flagged in the output so nobody
mistakes it for an estimate.

A gap closes in the first year in which every capability it needs (role necessary or unknown)
is ready *and*, where that capability has a cost target, its unit cost in the same Monte Carlo
sample is at or below the target (the cost path of sample i is the very path i of the
capability's fan chart: same seed, stream and samples). A sample in which some target is not
reached within the forecast horizon never closes; the share of such samples is reported, and a
quantile that falls among them is None ("beyond the horizon"), never a made-up year.

Criticality of a capability for a gap: the share of samples in which it lies on the chain of
latest prerequisites that sets the gap's closing time (ties share the sample equally; a
capability waiting for its cost is on the chain, its prerequisites are not).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from gapmap.cost.dag import Dag, build_dag, closure, csr, needed
from gapmap.cost.sampling import check_seed, quantiles, spec, spec_arrays, stream
from gapmap.cost.settings import START_YEAR, Settings
from gapmap.cost.trajectories import QUANTILES, cost_paths, round6
from gapmap.model.distributions import Fixed, Triangular
from gapmap.model.records import EXISTING

__all__ = ["START_YEAR", "EXISTING", "GapSchedule", "schedule_gaps", "simulate_gaps"]

ASSUMED_YEARS = Triangular(dist="triangular", low=2, mode=5, high=15)


@dataclass
class GapSchedule:
    id: str
    start_year: int
    closing_year: dict[str, float | None] | None  # quantiles (None: beyond the horizon); None: no capability
    mean_year: float | None  # None when some samples never close
    p_never: float  # share of samples in which some cost target is not reached within the horizon
    capabilities: list[dict]  # id, criticality, duration ('build' | 'exists' | 'assumed'), needed, target
    assumed: bool  # some duration on the way is the assumed default
    note: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class GapDraws:
    """The joint draws behind schedules and the portfolio: one row per sample."""

    dag: Dag
    gap_ids: list[str]
    rows: list[list[int]]  # each gap's needed capabilities (dag indices)
    close: np.ndarray  # (n, g) closing time in years from start_year, inf: not within the horizon
    counts: np.ndarray  # (g, k) criticality weights
    targets: dict[int, dict]  # dag index -> target summary of the gated capabilities


def exists(cap) -> bool:
    return cap.build is None and cap.maturity in EXISTING


def duration_source(cap) -> str:
    if cap.build is not None:
        return "build"
    return "exists" if cap.maturity in EXISTING else "assumed"


def duration_spec(cap):
    source = duration_source(cap)
    if source == "build":
        return spec(cap.build.years)
    return spec(Fixed(value=0.0) if source == "exists" else ASSUMED_YEARS)


BLOCK_BYTES = 16 * 2**20  # one block of samples x capabilities float64 arrays (bounded peak memory)


def blocks(samples: int, k: int) -> list[tuple[int, int]]:
    """Sample ranges [lo, hi) whose (samples x k) arrays stay near BLOCK_BYTES: a map with
    thousands of capabilities is simulated block by block with the same numbers (sample i
    draws from its own counter-based state whatever block it is in), in bounded memory."""
    size = max(256, BLOCK_BYTES // (8 * max(k, 1)))
    return [(lo, min(samples, lo + size)) for lo in range(0, samples, size)]


def ready_sampler(kb, dag: Dag, seed: int):
    """(n, offset) -> ready years (n, k) of every capability of the DAG for samples offset.. ."""
    from gapmap.cost import kernels  # numba starts only when a kernel runs

    caps = [kb.capabilities[c] for c in dag.ids]
    kinds, params = spec_arrays(duration_spec(c) for c in caps)
    keys = np.array([stream(c, "years") for c in dag.ids], dtype=np.uint64)
    flags = np.array([exists(c) for c in caps], dtype=np.bool_)
    seed = check_seed(seed)
    return lambda n, offset: kernels.schedule_samples(kinds, params, keys, flags, dag.parent_ptr,
                                                      dag.parent_idx, int(n), seed, int(offset))


def affordable_from(below: np.ndarray, origin_year: int, start_year: int, ready: np.ndarray) -> np.ndarray:
    """First time (years from start_year) at or after `ready` at which the cost is at or below the
    target, per sample; inf when not within the path. below (n, H + 1): path step t is the year
    origin_year + t, and a year's cost holds from its start to the next year's."""
    n, width = below.shape
    nxt = np.full((n, width + 1), width, dtype=np.int64)  # first step >= t that is below
    for t in range(width - 1, -1, -1):
        nxt[:, t] = np.where(below[:, t], t, nxt[:, t + 1])
    step = np.floor(start_year + ready).astype(np.int64) - origin_year
    clipped = np.clip(step, 0, width - 1)
    first = nxt[np.arange(n), clipped]
    out = np.where(first == clipped, ready, origin_year + first.astype(np.float64) - start_year)
    out = np.where(first >= width, np.inf, out)
    beyond = step > width - 1  # ready after the last forecast year: the cost is known only up to it
    return np.where(beyond, np.where(below[:, -1], ready, np.inf), out)


def simulate_gaps(kb, gap_ids=None, settings: Settings = Settings(), dag: Dag | None = None) -> GapDraws:
    """Ready times, cost gates, closing times and criticality counts, all from the same draws.

    Two passes over blocks of samples: the first keeps the ready times of the capabilities a
    cost target gates (their gate needs the cost path of every sample), the second redraws the
    same ready times block by block and finds each gap's closing time and critical path."""
    from gapmap.cost import kernels  # numba starts only when a kernel runs

    dag = dag or build_dag(kb)
    gap_ids = sorted(kb.gaps) if gap_ids is None else list(gap_ids)
    n, k = settings.samples, len(dag.ids)
    rows = [needed(kb.gaps[g], dag) for g in gap_ids]
    gates = [c for c in sorted({c for row in rows for c in row})
             if (cost := kb.capabilities[dag.ids[c]].cost) is not None and cost.target is not None]
    ready_of, spans = ready_sampler(kb, dag, settings.seed), blocks(n, k)
    whole = ready_of(n, 0) if len(spans) <= 1 else None  # one block: drawn once, used twice
    ready_gated = whole[:, gates] if whole is not None else np.concatenate(
        [ready_of(hi - lo, lo)[:, gates] for lo, hi in spans]) if spans else np.empty((0, len(gates)))
    gated_cols, targets = np.empty_like(ready_gated), {}
    for t, c in enumerate(gates):
        cap_id = dag.ids[c]
        cost = kb.capabilities[cap_id].cost
        model, paths, _ = cost_paths(cap_id, cost, settings)
        log_target = math.log(cost.target.value)
        gated_cols[:, t] = affordable_from(paths <= log_target, model.origin_year, settings.start_year,
                                           ready_gated[:, t])
        waits = ~np.isclose(gated_cols[:, t], ready_gated[:, t]) if n else np.zeros(0, bool)
        targets[c] = {"value": cost.target.value, "unit": cost.unit,
                      "p_never": round6(np.isinf(gated_cols[:, t]).mean()),
                      "p_cost_binds": round6(waits.mean()), "horizon_year": model.origin_year + settings.horizon}
    ptr, idx = csr(rows)
    close, counts = np.zeros((n, len(gap_ids))), np.zeros((len(gap_ids), k))
    for lo, hi in spans:
        ready = whole if whole is not None else ready_of(hi - lo, lo)
        gated = ready
        if gates:
            gated = ready.copy()
            gated[:, gates] = gated_cols[lo:hi]
        block_close, block_counts = kernels.gap_closing(ready, gated, dag.parent_ptr, dag.parent_idx, ptr, idx)
        close[lo:hi] = block_close
        counts += block_counts
    return GapDraws(dag, gap_ids, rows, close, counts, targets)


NEVER = 1e12  # stands in for "not within the horizon" when taking quantiles


def closing_quantiles(close: np.ndarray) -> np.ndarray:
    """Quantiles (len(QUANTILES), g) of closing times; NEVER-sized where among never-closing samples."""
    return quantiles(close, np.array(list(QUANTILES.values())), fill_inf=NEVER)


def schedule_gaps(kb, gap_ids=None, settings: Settings = Settings(), dag: Dag | None = None,
                  draws: GapDraws | None = None) -> dict[str, GapSchedule]:
    """Closing-year distribution and criticalities for the given gaps (default: all)."""
    draws = draws or simulate_gaps(kb, gap_ids, settings, dag)
    qs = closing_quantiles(draws.close)
    return {g: _gap_result(kb, draws, j, settings, qs[:, j]) for j, g in enumerate(draws.gap_ids)}


def _gap_result(kb, draws: GapDraws, j: int, settings: Settings, qs: np.ndarray) -> GapSchedule:
    gap_id, direct, dag = draws.gap_ids[j], draws.rows[j], draws.dag
    if not direct:
        return GapSchedule(gap_id, settings.start_year, None, None, 0.0, [], False,
                           "no necessary (or role-less) capability is linked, so no closing year")
    close = draws.close[:, j]
    n = max(len(close), 1)
    caps = []
    for c in closure(dag, direct):
        cap = kb.capabilities[dag.ids[c]]
        row = {"id": dag.ids[c], "criticality": round6(draws.counts[j, c] / n),
               "duration": duration_source(cap), "needed": c in direct}
        if c in direct and c in draws.targets:
            row["target"] = draws.targets[c]
        caps.append(row)
    caps.sort(key=lambda row: (-row["criticality"], row["id"]))
    never = float(np.isinf(close).mean()) if len(close) else 0.0
    note = None
    if never > 0:
        note = (f"in {never:.0%} of samples a cost target is not reached within the forecast horizon, "
                "so the gap does not close there")
    return GapSchedule(
        id=gap_id, start_year=settings.start_year,
        closing_year={name: (round(settings.start_year + float(v), 2) if v < NEVER / 10 else None)
                      for name, v in zip(QUANTILES, qs)},
        mean_year=round(settings.start_year + float(close.mean()), 2) if never == 0 else None,
        p_never=round6(never), capabilities=caps,
        assumed=any(row["duration"] == "assumed" for row in caps), note=note,
    )
