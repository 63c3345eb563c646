"""Fit a random walk with drift to log cost the way Farmer & Lafond (2016) do, over uneven years.

Vocabulary: a *series* is (years, log costs) with one value per year (several observations in
one year are merged by their geometric mean); a *fit* is the drift `mu` (log change per year),
the noise `K` (sd of the yearly log change) and what the forecast needs to widen its bands.

The estimator. Log cost y follows y(t2) - y(t1) = mu*(t2 - t1) + K*sqrt(t2 - t1)*e with e
standard normal, for observations at any years. With m intervals spanning T years:
  mu_hat = (y_last - y_first) / T          (least squares with weights 1/dt; T = m for yearly data)
  K_hat^2 = sum(((dy - mu_hat*dt) / sqrt(dt))^2) / (m - 1)   (unbiased)
The forecast error at horizon tau is K*sqrt(tau + tau^2/T) times a Student-t with m - 1 degrees
of freedom — Farmer & Lafond's tau + tau^2/m, the second term being the drift's own error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gapmap.check.quantities import MIN_FIT_POINTS, fit_points

THETA_FL = 0.63  # Farmer & Lafond's global moving-average coefficient, from their 53 technologies


@dataclass(frozen=True)
class Fit:
    mu: float  # log change per year (negative: falling cost)
    K: float  # sd of the yearly log change
    span: float  # years between first and last point (T)
    intervals: int  # m; the Student-t has m - 1 degrees of freedom
    first_year: int
    last_year: int

    @property
    def dof(self) -> int:
        return self.intervals - 1

    def to_dict(self) -> dict:
        return {"mu": self.mu, "K": self.K, "span_years": self.span, "intervals": self.intervals,
                "first_year": self.first_year, "last_year": self.last_year,
                "annual_decline_median": 1 - math.exp(self.mu)}


def merge_years(points) -> tuple[np.ndarray, np.ndarray]:
    """(years, log values) sorted, one entry per year: the mean log of that year's values."""
    by_year: dict[int, list[float]] = {}
    for year, value in points:
        by_year.setdefault(int(year), []).append(math.log(value))
    years = sorted(by_year)
    return np.array(years, dtype=np.int64), np.array([sum(by_year[y]) / len(by_year[y]) for y in years])


def series(cost) -> tuple[np.ndarray, np.ndarray]:
    """All observations of a cost block as a series."""
    return merge_years((o.year, o.value) for o in cost.observations)


def fit_series(cost) -> tuple[np.ndarray, np.ndarray]:
    """The points the model is fitted on (piecewise: from break_year on) as a series."""
    return merge_years((o.year, o.value) for o in fit_points(cost))


def fit_walk(years: np.ndarray, logs: np.ndarray) -> Fit | None:
    """The drift and noise of a series, or None with fewer than MIN_FIT_POINTS years."""
    if len(years) < MIN_FIT_POINTS:
        return None
    dt = np.diff(years).astype(np.float64)
    dy = np.diff(logs)
    span = float(years[-1] - years[0])
    mu = float((logs[-1] - logs[0]) / span)
    resid = (dy - mu * dt) / np.sqrt(dt)
    m = len(dt)
    k = math.sqrt(float(np.sum(resid**2)) / (m - 1))
    return Fit(mu=mu, K=k, span=span, intervals=m, first_year=int(years[0]), last_year=int(years[-1]))
