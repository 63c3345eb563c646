"""When could each gap close? Monte Carlo PERT over the prerequisite DAG.

A capability is ready when its prerequisites are all ready plus its own `build.years`. Without
a build block it takes 0 years if its maturity is `deployed` or `scaling` (it exists), and
otherwise an *assumed* triangular(2, 5, 15) years — a wide default for "unknown", flagged in the
output so nobody mistakes it for an estimate. A gap closes when every capability it needs (role
necessary or unknown) is ready. Criticality of a capability for a gap is the share of samples in
which it lies on the chain of latest prerequisites that sets the gap's closing time.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

import numpy as np

from gapmap.cost import kernels
from gapmap.cost.dag import Dag, build_dag, closure, csr, needed
from gapmap.cost.sampling import check_seed, quantiles, spec, spec_arrays, stream
from gapmap.cost.trajectories import QUANTILES, round6
from gapmap.model.distributions import Fixed, Triangular

START_YEAR = datetime.date.today().year
EXISTING = ("deployed", "scaling")
ASSUMED_YEARS = Triangular(dist="triangular", low=2, mode=5, high=15)


@dataclass
class GapSchedule:
    id: str
    start_year: int
    closing_year: dict[str, float] | None  # quantiles; None when the gap needs no capability
    mean_year: float | None
    capabilities: list[dict]  # id, criticality, duration ('build' | 'exists' | 'assumed'), needed
    assumed: bool  # some duration on the way is the assumed default
    note: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


def duration_source(cap) -> str:
    if cap.build is not None:
        return "build"
    return "exists" if cap.maturity in EXISTING else "assumed"


def duration_spec(cap):
    source = duration_source(cap)
    if source == "build":
        return spec(cap.build.years)
    return spec(Fixed(value=0.0) if source == "exists" else ASSUMED_YEARS)


def simulate_ready(kb, dag: Dag, samples: int, seed: int):
    """(ready years (n, k), latest-parent indices (n, k)) for every capability of the DAG."""
    kinds, params = spec_arrays(duration_spec(kb.capabilities[c]) for c in dag.ids)
    keys = np.array([stream(c, "years") for c in dag.ids], dtype=np.uint64)
    return kernels.schedule_samples(kinds, params, keys, dag.parent_ptr, dag.parent_idx,
                                    int(samples), check_seed(seed))


def schedule_gaps(kb, gap_ids=None, samples: int = 20000, seed: int = 0,
                  start_year: int = START_YEAR, dag: Dag | None = None) -> dict[str, GapSchedule]:
    """Closing-year distribution and criticalities for the given gaps (default: all)."""
    dag = dag or build_dag(kb)
    gap_ids = sorted(kb.gaps) if gap_ids is None else list(gap_ids)
    ready, pred = simulate_ready(kb, dag, samples, seed)
    rows = [needed(kb.gaps[g], dag) for g in gap_ids]
    ptr, idx = csr(rows)
    close, counts = kernels.gap_closing(ready, pred, ptr, idx)
    qs = quantiles(close, np.array(list(QUANTILES.values())))
    return {g: _gap_result(kb, dag, g, rows[j], close[:, j], qs[:, j], counts[j], start_year, samples)
            for j, g in enumerate(gap_ids)}


def _gap_result(kb, dag, gap_id, direct, close, qs, counts, start_year, samples) -> GapSchedule:
    if not direct:
        return GapSchedule(gap_id, start_year, None, None, [], False,
                           "no necessary (or role-less) capability is linked, so no closing year")
    caps = []
    for c in closure(dag, direct):
        cap = kb.capabilities[dag.ids[c]]
        caps.append({"id": dag.ids[c], "criticality": round6(counts[c] / samples),
                     "duration": duration_source(cap), "needed": c in direct})
    caps.sort(key=lambda row: (-row["criticality"], row["id"]))
    return GapSchedule(
        id=gap_id, start_year=start_year,
        closing_year={name: round(start_year + float(v), 2) for name, v in zip(QUANTILES, qs)},
        mean_year=round(start_year + float(close.mean()), 2),
        capabilities=caps, assumed=any(row["duration"] == "assumed" for row in caps),
    )
