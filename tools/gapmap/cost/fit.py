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

from gapmap.cost.settings import THETA_FL  # noqa: F401  (re-exported)


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


def change_variance(dt, theta: float = 0.0):
    """Variance of a log change over dt whole years, in units of K^2 (the yearly change's variance).

    Yearly changes are mu + sigma * (v_t + theta * v_{t-1}) with K^2 = (1 + theta^2) sigma^2, so the
    sum of dt of them has variance sigma^2 * (dt (1 + theta^2) + 2 theta (dt - 1)) — the inner lags
    add up, the outer two do not: K^2 * (dt + 2 theta (dt - 1) / (1 + theta^2)). For dt = 1, K^2.
    """
    return dt + 2.0 * theta * (dt - 1.0) / (1.0 + theta * theta)


def fit_walk(years: np.ndarray, logs: np.ndarray, theta: float = 0.0) -> Fit | None:
    """The drift and noise of a series, or None with fewer than MIN_FIT_POINTS years.

    K is estimated per year under the moving-average noise theta (change_variance): with yearly
    data it is Farmer & Lafond's sample sd of the differences whatever theta; with gaps of several
    years a gap's change is divided by its own standard deviation, not by sqrt(gap) alone.
    """
    if len(years) < MIN_FIT_POINTS:
        return None
    dt = np.diff(years).astype(np.float64)
    dy = np.diff(logs)
    span = float(years[-1] - years[0])
    mu = float((logs[-1] - logs[0]) / span)
    resid = (dy - mu * dt) / np.sqrt(change_variance(dt, theta))
    m = len(dt)
    k = math.sqrt(float(np.sum(resid**2)) / (m - 1))
    return Fit(mu=mu, K=k, span=span, intervals=m, first_year=int(years[0]), last_year=int(years[-1]))


def error_variance(tau, span, theta: float = 0.0, w: float = 1.0):
    """Var(forecast error at horizon tau) / K^2 for a drift estimated over `span` years.

    With w = 1 this is Farmer & Lafond's eq. 13, A* / (1 + theta^2) with m = span: the future
    noise tau (1 + theta^2) + 2 theta (tau - 1), plus the drift error (tau / T)^2 (T (1 + theta^2)
    + 2 theta (T - 1)), minus twice their covariance theta tau / T (both hold the latest noise
    term). A pooled drift scales the drift error's variance by w and the covariance by sqrt(w).
    Everything is in units of sigma^2 = K^2 / (1 + theta^2), hence the final division.
    """
    t2 = 1.0 + theta * theta
    drift = (tau / span) ** 2 * (span * t2 + 2.0 * theta * (span - 1.0))
    return (tau * t2 + 2.0 * theta * (tau - 1.0) + w * drift - 2.0 * math.sqrt(w) * theta * tau / span) / t2
