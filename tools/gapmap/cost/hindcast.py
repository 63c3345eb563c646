"""Hindcast: fit on what was known at each past year, forecast the later observations, and count
how often they fell inside the forecast's 50% and 90% bands.

Rolling origins: every observed year with at least MIN_FIT_POINTS years to fit on (piecewise:
from the break year on) is an origin; every later observation is scored, at its own horizon.
The bands are the quantiles of the very model the site shows (by default the pooled fit,
pooling.py), in closed form (Student-t; the kernel simulates the same distribution);
`coverage90_reference` scores Farmer & Lafond's reference method (theta 0.63, unpooled) and
`coverage90_theta0` their plain random walk on the same points. Coverage near 50% and 90% means
calibrated bands; far below means the bands are too narrow for this history. The
cross-technology calibration on the Performance Curve Database is bench/calibration.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from gapmap.check.quantities import MIN_FIT_POINTS
from gapmap.cost import genome_costs
from gapmap.cost.fit import THETA_FL, error_variance, merge_years
from gapmap.cost.sampling import stream
from gapmap.cost.tdist import t_ppf
from gapmap.cost.trajectories import fitted_model, round6

BANDS = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
# With at least CALIBRATION_MIN forecasts, a 90% band that caught fewer than CALIBRATION_FLOOR of
# the real values is flagged as not calibrated on this record's history (the site says so by the
# fan chart: DNA sequencing is the classic case).
CALIBRATION_MIN, CALIBRATION_FLOOR = 10, 0.75


@dataclass
class Hindcast:
    id: str
    model: str
    origins: int
    forecasts: int
    coverage50: float | None
    coverage90: float | None
    coverage90_theta0: float | None  # the same with Farmer & Lafond's plain random walk
    coverage90_reference: float | None  # ... and with their reference method (theta 0.63, unpooled)
    median_abs_log_error: float | None
    median_log_error: float | None  # actual minus forecast median: < 0 means it fell faster
    scored: list[dict]  # origin, year, actual, p05 .. p95
    note: str = ""

    @property
    def calibrated(self) -> bool | None:
        """False when enough forecasts show the 90% band far too narrow; None with too few."""
        if self.coverage90 is None or self.forecasts < CALIBRATION_MIN:
            return None
        return self.coverage90 >= CALIBRATION_FLOOR

    def row(self) -> dict:
        # the scalar fields only: asdict would deep-copy every scored point just to drop them
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "scored"}
        out["calibrated"] = self.calibrated
        return out


def bands(model, tau: int) -> list[float]:
    """The BANDS quantiles of log cost tau years after a fitted model's origin, in closed form:
    log c0 + mu tau + K sqrt(error_variance) t_dof — the distribution the kernel simulates
    (tests/test_cost_prior.py checks the two agree), without the Monte Carlo noise or cost."""
    mu, k, span, dof, w = model.kernel_fit
    center = math.log(model.origin_value) + mu * tau
    scale = k * math.sqrt(error_variance(tau, span, model.theta, w))
    return [center + scale * t_ppf(float(b), float(dof)) for b in BANDS]


def score_points(years, logs, break_year=None, theta=None, origins=None, seed=0, key=0):
    """One entry per (origin, later point): the actual value and the forecast bands."""
    scored = []
    for k, origin in enumerate(years):
        if origins is not None and origin not in origins:
            continue
        train = [(y, v) for y, v in zip(years[: k + 1], logs[: k + 1]) if break_year is None or y >= break_year]
        later = [(int(y), float(v)) for y, v in zip(years[k + 1:], logs[k + 1:])]
        if len(train) < MIN_FIT_POINTS or not later:
            continue
        model = fitted_model(np.array([y for y, _ in train]), np.array([v for _, v in train]), theta, None,
                             (int(origin), math.exp(logs[k]), "hindcast"))
        for year, actual in later:
            q = bands(model, year - int(origin))
            scored.append({"origin": int(origin), "year": year, "log_actual": actual,
                           **{f"log_p{int(b * 100):02d}": float(v) for b, v in zip(BANDS, q)}})
    return scored


def hindcast(hid, points, break_year=None, theta=None, origins=None, seed=0, note="") -> Hindcast:
    """Score a (year, value) series; `origins` limits the forecast origins (default: all)."""
    years, logs = merge_years(points)
    key = stream(hid, "hindcast")
    scored = score_points(years, logs, break_year, theta, origins, seed, key)
    plain = score_points(years, logs, break_year, 0.0, origins, seed, key)
    reference = scored if theta == THETA_FL else score_points(years, logs, break_year, THETA_FL, origins, seed, key)
    model = "exponential" if break_year is None else f"piecewise (break {break_year})"
    if not scored:
        return Hindcast(hid, model, 0, 0, None, None, None, None, None, None, [], note or "too few observations")
    err = np.array([s["log_actual"] - s["log_p50"] for s in scored])
    return Hindcast(
        id=hid, model=model, origins=len({s["origin"] for s in scored}), forecasts=len(scored),
        coverage50=round6(_share(scored, "log_p25", "log_p75")), coverage90=round6(_share(scored, "log_p05", "log_p95")),
        coverage90_theta0=round6(_share(plain, "log_p05", "log_p95")),
        coverage90_reference=round6(_share(reference, "log_p05", "log_p95")),
        median_abs_log_error=round6(np.median(np.abs(err))), median_log_error=round6(np.median(err)),
        scored=scored, note=note,
    )


def _share(scored, lo, hi) -> float:
    return sum(s[lo] <= s["log_actual"] <= s[hi] for s in scored) / len(scored)


def record_hindcast(cap_id: str, cost, theta=None, seed=0) -> Hindcast | None:
    """The hindcast of one capability's fitted model, or None with too few observations."""
    m = cost.model
    break_year = m.break_year if m.kind == "piecewise" else None
    points = [(o.year, o.value) for o in cost.observations]
    years, _ = merge_years(points)
    if len([y for y in years if break_year is None or y >= break_year]) <= MIN_FIT_POINTS:
        return None
    if m.kind == "experience" and m.learning_rate is None:
        note = ("the record fits Wright's law to its cumulative production; this scores the time trend "
                "(bench/calibration.py scores Wright's law across technologies)")
    elif m.annual_decline is None and m.kind != "experience":
        note = ""
    else:
        note = "the record states its drift; this scores the fitted alternative"
    return hindcast(cap_id, points, break_year, theta, seed=seed, note=note)


def genome_hindcasts(theta=None, seed=0) -> list[Hindcast]:
    """NHGRI cost per genome: the Sanger-era trend from 2007, the unbroken trend, and the break."""
    points = genome_costs.yearly()
    return [
        hindcast("nhgri-genome-cost-sanger-trend", points, theta=theta, origins={2007}, seed=seed,
                 note="fitted on 2001-2007 only; the 2008 switch to massively parallel sequencing was not in the data"),
        hindcast("nhgri-genome-cost", points, theta=theta, seed=seed,
                 note="one trend through the break, rolling origins"),
        hindcast("nhgri-genome-cost", points, genome_costs.BREAK_YEAR, theta, seed=seed,
                 note="break placed at 2008 with hindsight; scores only forecasts made after it"),
    ]


def hindcast_table(kb, theta=None, seed=0) -> list[dict]:
    """Rows for the methods page: every record with enough observations, then the NHGRI reference."""
    rows = []
    for cid in sorted(kb.capabilities):
        cost = kb.capabilities[cid].cost
        result = record_hindcast(cid, cost, theta, seed) if cost else None
        if result is not None:
            rows.append(result.row() | {"source": "record"})
    rows += [h.row() | {"source": genome_costs.SOURCE} for h in genome_hindcasts(theta, seed)]
    return rows
