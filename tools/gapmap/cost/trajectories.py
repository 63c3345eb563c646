"""Cost trajectories of one capability: its cost block → a fan of log-cost paths → a `Forecast`.

Three ways to get the yearly drift mu (log change) and noise K, in this order:
  experience   Wright's law: cost x (1 - learning_rate) per doubling of cumulative production,
               which grows by production_growth a year, so mu = log(1 - lr) * log2(1 + g);
  stated       annual_decline r given: mu = log(1 - r);
  fitted       otherwise, from the observations: Farmer & Lafond's random walk with drift and
               moving-average noise, its autocorrelation, noise and drift partially pooled toward
               the cross-technology prior (pooling.py, prior.py; Settings.theta None, the default),
               or their reference method unpooled with a given theta (Settings.theta a number).
Stated and experience models use `volatility` as K, or the cross-technology relation
K = K_PRIOR_A + K_PRIOR_B |mu| (kernels.py; Farmer & Lafond's, refitted on pcdb-train) when it
is absent; their noise is a plain random walk, so with fixed r and s log cost after t years is
normal(log c0 + t log(1 - r), s sqrt(t)).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from gapmap.cost import spec_codes
from gapmap.cost.fit import Fit, fit_series, fit_walk, merge_years
from gapmap.cost.sampling import check_seed, quantiles, spec, spec_arrays, stream
from gapmap.cost.pooling import pool
from gapmap.cost.prior import PRIOR
from gapmap.cost.wright import as_walk, fit_observations
from gapmap.cost.settings import HORIZON, THETA_FL, Settings  # noqa: F401
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
    kernel_fit: tuple = (0.0, 0.0, 1.0, 0.0, 1.0)  # (mu_c, K_c, T, dof, w) for a fitted drift
    pooled: dict | None = None
    wright: dict | None = None  # a fitted experience curve: its learning rate, exponent and errors


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


def build_model(cost, theta: float | None = None) -> Model:
    """Choose drift and noise for a cost block (validation guarantees one way works)."""
    m = cost.model
    if cost.observations:
        years, logs = merge_years((o.year, o.value) for o in cost.observations)
        origin = (int(years[-1]), math.exp(logs[-1]), "latest observation")
    else:
        origin = (m.start.year, m.start.value, "model.start")
    vol = -1.0 if m.volatility is None else float(m.volatility)
    vol_source = "prior" if m.volatility is None else "stated"
    if m.kind == "experience" and m.learning_rate is None:
        return wright_model(cost, origin)
    if m.kind == "experience":
        return Model(spec_codes.DRIFT_EXPERIENCE, (spec(m.learning_rate), spec(m.production_growth)), None,
                     vol, 0.0, *origin, "experience curve", vol_source)
    if m.annual_decline is not None:
        return Model(spec_codes.DRIFT_STATED, (spec(m.annual_decline), spec(Fixed(value=0.0))), None,
                     vol, 0.0, *origin, "stated", vol_source)
    years, logs = fit_series(cost)
    return fitted_model(years, logs, theta, None if m.volatility is None else float(m.volatility), origin)


def wright_model(cost, origin: tuple) -> Model:
    """Wright's law fitted from the observations' cumulative production (wright.py), run by the
    fitted-drift kernel with the walk that has the same forecast distribution (wright.as_walk)."""
    f = fit_observations(cost)
    if f is None:
        raise ValueError("too few observations with cumulative production to fit; run `gapmap validate`")
    mu, k, span, dof, w = as_walk(f)
    fit = Fit(mu=mu, K=k, span=span, intervals=int(round(dof - PRIOR.nu0)) + 1,
              first_year=int(origin[0] - span), last_year=int(origin[0]))
    info = {"learning_rate": round6(f.learning_rate), "b": round6(f.b), "b_se": round6(f.b_se),
            "cumulative_growth": round6(math.expm1(f.g)), "K_u": round6(f.k_u), "s_x": round6(f.s_x),
            "dof": round6(dof)}
    return Model(spec_codes.DRIFT_FITTED, (spec(Fixed(value=0.0)),) * 2, fit, -1.0, 0.0, *origin,
                 "experience curve, fitted", "fitted", kernel_fit=(mu, k, span, dof, w), pooled=None, wright=info)


def fitted_model(years, logs, theta: float | None, volatility: float | None, origin: tuple) -> Model:
    """A fitted-trend model: pooled (theta None) or Farmer & Lafond's reference (theta given).

    A stated volatility is taken as known: it replaces K and there is no Student-t widening."""
    if theta is None:
        p = pool(years, logs)
        if p is None:
            raise ValueError("too few observations to fit and no annual_decline; run `gapmap validate`")
        fit, th, dof, w = p.fit, p.theta, p.dof, p.w
        k, mu = p.K, p.mu
        if volatility is not None:
            k, dof = volatility, 0.0
            mu = w * fit.mu + (1.0 - w) * PRIOR.r0 * volatility
        info = p.to_dict()
    else:
        fit = fit_walk(years, logs, theta)
        if fit is None:
            raise ValueError("too few observations to fit and no annual_decline; run `gapmap validate`")
        th, w, mu = theta, 1.0, fit.mu
        k, dof = (fit.K, float(fit.dof)) if volatility is None else (volatility, 0.0)
        info = None
    if volatility is not None:
        fit = replace(fit, K=volatility)
    return Model(spec_codes.DRIFT_FITTED, (spec(Fixed(value=0.0)),) * 2, fit,
                 -1.0 if volatility is None else volatility, th, *origin,
                 "fitted" if theta is not None else "fitted, pooled", "stated" if volatility is not None else "fitted",
                 kernel_fit=(mu, k, fit.span, dof, w), pooled=info)


def simulate(model: Model, horizon: int, samples: int, seed: int, key: int, log_target: float = math.nan):
    """(log-cost paths, first steps at or below the target) for a model."""
    from gapmap.cost import kernels  # numba starts only when a kernel runs

    kinds, params = spec_arrays(model.specs)
    fit_arr = np.array(model.kernel_fit, dtype=np.float64)  # unused by stated and experience drifts
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
           "theta": round6(model.theta)}
    if model.fit is not None:
        out["fitted"] = model.fit.to_dict()
    if model.pooled is not None:
        out["pooled"] = model.pooled
    if model.wright is not None:
        out["experience_fit"] = model.wright
    if model.volatility >= 0:
        out["K"] = model.volatility
    return out


def round6(x: float) -> float | None:
    """Six significant digits for JSON; None for a value beyond floating point (JSON has no inf)."""
    x = float(x)
    return float(f"{x:.6g}") if math.isfinite(x) else None
