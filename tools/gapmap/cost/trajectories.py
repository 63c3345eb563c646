"""Cost trajectories of one capability: its cost block → a fan of log-cost paths → a `Forecast`.

Three ways to get the yearly drift mu (log change) and noise K, in this order:
  experience   Wright's law: cost x (1 - learning_rate) per doubling of cumulative production,
               which grows by production_growth a year, so mu = log(1 - lr) * log2(1 + g);
  stated       annual_decline r given: mu = log(1 - r);
  fitted       otherwise, from the observations (fit.py), with Student-t parameter uncertainty
               and Farmer & Lafond's moving-average noise theta.
Stated and experience models use `volatility` as K, or Farmer & Lafond's prior K = 0.02 + 0.76|mu|
when it is absent; their noise is a plain random walk, so with fixed r and s log cost after t
years is normal(log c0 + t log(1 - r), s sqrt(t)).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from gapmap.cost import kernels
from gapmap.cost.fit import Fit, fit_series, fit_walk, merge_years
from gapmap.cost.sampling import check_seed, quantiles, spec, spec_arrays, stream
from gapmap.cost.settings import HORIZON, THETA_FL, Settings
from gapmap.model.distributions import Fixed

QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}


@dataclass(frozen=True)
class Model:
    """What the kernel runs: drift mode, parameter specs, fit, noise, and where it starts."""

    mode: int
    specs: tuple
    fit: Fit | None
    volatility: float  # < 0: use the prior from the drift
    theta: float
    origin_year: int
    origin_value: float
    origin_source: str
    drift_source: str
    volatility_source: str


@dataclass
class Forecast:
    id: str
    unit: str
    years: list[int]
    quantiles: dict[str, list[float]]
    target: dict | None
    model: dict
    origin: dict
    settings: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def build_model(cost, theta: float = THETA_FL) -> Model:
    """Choose drift and noise for a cost block (validation guarantees one way works)."""
    m = cost.model
    if cost.observations:
        years, logs = merge_years((o.year, o.value) for o in cost.observations)
        origin = (int(years[-1]), math.exp(logs[-1]), "latest observation")
    else:
        origin = (m.start.year, m.start.value, "model.start")
    vol = -1.0 if m.volatility is None else float(m.volatility)
    vol_source = "prior" if m.volatility is None else "stated"
    if m.kind == "experience":
        return Model(kernels.DRIFT_EXPERIENCE, (spec(m.learning_rate), spec(m.production_growth)), None,
                     vol, 0.0, *origin, "experience curve", vol_source)
    if m.annual_decline is not None:
        return Model(kernels.DRIFT_STATED, (spec(m.annual_decline), spec(Fixed(value=0.0))), None,
                     vol, 0.0, *origin, "stated", vol_source)
    fit = fit_walk(*fit_series(cost), theta)
    if fit is None:
        raise ValueError("too few observations to fit and no annual_decline; run `gapmap validate`")
    if m.volatility is not None:
        fit = replace(fit, K=float(m.volatility))
    return Model(kernels.DRIFT_FITTED, (spec(Fixed(value=0.0)),) * 2, fit, vol, theta, *origin,
                 "fitted", vol_source if m.volatility is not None else "fitted")


def simulate(model: Model, horizon: int, samples: int, seed: int, key: int, log_target: float = math.nan):
    """(log-cost paths, first steps at or below the target) for a model."""
    kinds, params = spec_arrays(model.specs)
    fit = model.fit
    if fit is None:
        fit_arr = np.array([0.0, 0.0, 1.0, 0.0, 1.0])  # unused by stated and experience drifts
    else:  # a stated K is taken as known: no Student-t widening
        dof = 0 if model.volatility_source == "stated" else fit.dof
        fit_arr = np.array([fit.mu, fit.K, fit.span, dof, 1.0], dtype=np.float64)
    return kernels.simulate_paths(model.mode, kinds, params, fit_arr, model.volatility, model.theta,
                                  math.log(model.origin_value), int(horizon), float(log_target),
                                  int(samples), check_seed(seed), np.uint64(key))


_PATHS: dict = {}  # the latest few capabilities' paths, shared by forecast() and the schedule's gates
_PATHS_KEPT = 16


def cost_paths(cap_id: str, cost, settings: Settings = Settings()):
    """(model, log-cost paths, first steps at or below the target) of one capability: the very
    draws of its fan chart, which the schedule's cost gates reuse sample by sample."""
    k = (cap_id, cost.model_dump_json(), settings.samples, settings.seed, settings.horizon, settings.theta)
    if k not in _PATHS:
        model = build_model(cost, settings.theta)
        log_target = math.log(cost.target.value) if cost.target else math.nan
        paths, hits = simulate(model, settings.horizon, settings.samples, settings.seed,
                               stream(cap_id, "cost"), log_target)
        while len(_PATHS) >= _PATHS_KEPT:
            _PATHS.pop(next(iter(_PATHS)))
        _PATHS[k] = (model, paths, hits)
    return _PATHS[k]


def forecast(cap_id: str, cost, settings: Settings = Settings()) -> Forecast:
    """The fan chart and the year-to-target distribution of one capability's cost."""
    model, paths, hits = cost_paths(cap_id, cost, settings)
    target = cost.target.value if cost.target else None
    years = [model.origin_year + t for t in range(settings.horizon + 1)]
    qs = np.exp(quantiles(paths, np.array(list(QUANTILES.values()))))
    return Forecast(
        id=cap_id, unit=cost.unit, years=years,
        quantiles={name: [round6(v) for v in row] for name, row in zip(QUANTILES, qs)},
        target=_target_block(cost.target, hits, years) if target else None,
        model=_model_block(cost.model.kind, model),
        origin={"year": model.origin_year, "value": model.origin_value, "source": model.origin_source},
        settings=asdict(settings),
    )


def _target_block(target, hits: np.ndarray, years: list[int]) -> dict:
    horizon = len(years) - 1
    reached = np.cumsum(np.bincount(hits, minlength=horizon + 2)[: horizon + 1]) / len(hits)

    def year_at(q: float):
        idx = np.flatnonzero(reached >= q)
        return years[int(idx[0])] if idx.size else None

    block = {
        "value": target.value, "label": target.label,
        "p_reached_by": {str(y): round6(p) for y, p in zip(years, reached)},
        "year_p05": year_at(0.05), "year_p50": year_at(0.5), "year_p95": year_at(0.95),
        "p_never_within_horizon": round6(1.0 - reached[-1]),
    }
    if target.year is not None:
        block["year"] = target.year
        block["p_by_year"] = round6(reached[target.year - years[0]]) if years[0] <= target.year <= years[-1] else None
    return block


def _model_block(kind: str, model: Model) -> dict:
    out = {"kind": kind, "drift": model.drift_source, "volatility": model.volatility_source,
           "theta": model.theta}
    if model.fit is not None:
        out["fitted"] = model.fit.to_dict()
    if model.volatility >= 0:
        out["K"] = model.volatility
    return out


def round6(x: float) -> float | None:
    """Six significant digits for JSON; None for a value beyond floating point (JSON has no inf)."""
    x = float(x)
    return float(f"{x:.6g}") if math.isfinite(x) else None
