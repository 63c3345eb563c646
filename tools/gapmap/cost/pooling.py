"""Partial pooling: a series' autocorrelation, noise and drift shrunk toward the cross-technology
prior (prior.py), and the closed form of the forecast the kernel then simulates.

`pool(years, logs)` gives what the kernel runs for a fitted trend — theta, the center drift, K,
Student-t degrees of freedom and the drift-data weight w — and `predictive` its closed form at a
horizon: log cost = log c0 + mu tau + scale * t_dof. A long series keeps its own numbers (w -> 1,
dof large, theta its own); a three-point series leans on the prior and still gets usable bands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gapmap.cost.fit import Fit, error_variance, fit_walk
from gapmap.cost.prior import PRIOR, Prior, drift_factor, series_theta


@dataclass(frozen=True)
class Pooled:
    fit: Fit  # the series' own estimates (under the pooled theta)
    theta: float
    mu: float  # shrunk drift (center of the forecast)
    K: float  # posterior noise scale
    dof: float  # Student-t degrees of freedom: prior nu0 + the series' m - 1
    w: float  # weight of the series' own drift (1: no shrinkage)

    @property
    def span(self) -> float:
        return self.fit.span

    def to_dict(self) -> dict:
        r = lambda x: float(f"{x:.6g}")  # noqa: E731
        return {"theta": r(self.theta), "mu": r(self.mu), "K": r(self.K), "dof": r(self.dof),
                "drift_weight": r(self.w), "mu_hat": r(self.fit.mu), "K_hat": r(self.fit.K)}


def pool(years, logs, prior: Prior = PRIOR) -> Pooled | None:
    """The pooled fit of a series, or None with too few points (fit_walk's minimum)."""
    theta = series_theta(years, logs, prior)
    fit = fit_walk(years, logs, theta)
    if fit is None:
        return None
    m1 = fit.intervals - 1
    k_prior = prior.k0 + prior.k1 * abs(fit.mu)
    k2 = (prior.nu0 * k_prior**2 + m1 * fit.K**2) / (prior.nu0 + m1)
    c = drift_factor(fit.span, theta)
    w = prior.s_r**2 * fit.span / (prior.s_r**2 * fit.span + c)
    mu = w * fit.mu + (1.0 - w) * prior.r0 * math.sqrt(k2)
    return Pooled(fit=fit, theta=theta, mu=mu, K=math.sqrt(k2), dof=prior.nu0 + m1, w=w)


def predictive(p: Pooled, tau: float) -> tuple[float, float, float]:
    """(mu tau, scale, dof): log cost tau years on = log c0 + mu tau + scale * t_dof."""
    return p.mu * tau, p.K * math.sqrt(error_variance(tau, p.span, p.theta, p.w)), p.dof
