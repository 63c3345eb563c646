"""Wright's law from cumulative production, the way Lafond et al. (2018) forecast with it.

Log cost y and log cumulative production x, observed in the same years:
  dy = -b dx + u,  u ~ N(0, K_u^2 dt)          (the experience curve, noise per year)
  dx = g dt + e,   e ~ N(0, s_x^2 dt)           (production: its own random walk with drift)
b is fitted by weighted least squares through the origin on the changes (its standard error
K_u / sqrt(sum dx^2 / dt)), g and s_x like the time trend's drift and noise. A forecast tau years
ahead: y_t - b_hat * g_hat * tau, with the variance of all three uncertainties,
  K_u^2 tau + b^2 s_x^2 (tau + tau^2 / T) + Var(b_hat) ((g tau)^2 + s_x^2 (tau + tau^2 / T)),
and Student-t errors; K_u is pooled toward the same cross-technology noise prior as the time
trend (prior.py), so three points do not give one degree of freedom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gapmap.cost.prior import PRIOR, Prior


@dataclass(frozen=True)
class WrightFit:
    b: float  # experience exponent: cost x 2^-b per doubling (learning rate 1 - 2^-b)
    b_se: float
    k_u: float  # pooled noise of the experience curve (per year)
    g: float  # growth of log cumulative production per year
    s_x: float  # its noise per year
    span: float
    dof: float

    @property
    def learning_rate(self) -> float:
        return 1.0 - 2.0 ** (-self.b)


def fit_wright(years, logs, log_cum, prior: Prior = PRIOR, min_points: int = 3) -> WrightFit | None:
    """The experience curve of the points that have cumulative production, or None: fewer than
    `min_points` of them, the latest point lacking production, or production that does not grow."""
    ok = np.isfinite(log_cum)
    if ok.sum() < min_points or not ok[-1]:
        return None
    yrs, y, x = np.asarray(years)[ok].astype(float), np.asarray(logs)[ok], np.asarray(log_cum)[ok]
    dt, dy, dx = np.diff(yrs), np.diff(y), np.diff(x)
    sxx = float(np.sum(dx**2 / dt))
    span = float(yrs[-1] - yrs[0])
    if sxx <= 0 or x[-1] <= x[0]:
        return None
    b = -float(np.sum(dy * dx / dt)) / sxx
    m1 = len(dt) - 1
    resid = (dy + b * dx) / np.sqrt(dt)
    ku2_hat = float(np.sum(resid**2)) / max(m1, 1)
    g = float((x[-1] - x[0]) / span)
    k_prior = prior.k0 + prior.k1 * abs(b * g)  # the time trend's noise prior at the implied drift
    ku2 = (prior.nu0 * k_prior**2 + m1 * ku2_hat) / (prior.nu0 + m1)
    sx2 = float(np.sum(((dx - g * dt) / np.sqrt(dt)) ** 2)) / max(m1, 1)
    return WrightFit(b=b, b_se=math.sqrt(ku2 / sxx), k_u=math.sqrt(ku2), g=g, s_x=math.sqrt(sx2),
                     span=span, dof=prior.nu0 + m1)


def wright_predictive(f: WrightFit, y0: float, tau: float) -> tuple[float, float, float]:
    """(center, scale, dof) of log cost tau years after the latest point."""
    x_var = f.s_x**2 * (tau + tau**2 / f.span)
    var = f.k_u**2 * tau + f.b**2 * x_var + f.b_se**2 * ((f.g * tau) ** 2 + x_var)
    return y0 - f.b * f.g * tau, math.sqrt(var), f.dof


def as_walk(f: WrightFit) -> tuple[float, float, float, float, float]:
    """The same forecast as the fitted-drift kernel's (mu_c, K, T, dof, w) with theta = 0.

    The kernel's error variance at tau is K^2 (tau + w tau^2 / T) (fit.error_variance, theta 0);
    wright_predictive's is a tau term K_u^2 + (b^2 + Var b) s_x^2 plus a tau^2 term
    ((b^2 + Var b) s_x^2 + Var b g^2 T) / T, so K^2 is the first and w the second over K^2:
    the simulation is Wright's law's forecast exactly, Student-t with the same dof."""
    bb = f.b**2 + f.b_se**2
    k2 = f.k_u**2 + bb * f.s_x**2
    w = (bb * f.s_x**2 + f.b_se**2 * f.g**2 * f.span) / k2
    return -f.b * f.g, math.sqrt(k2), f.span, f.dof, w


def fit_observations(cost, prior: Prior = PRIOR) -> WrightFit | None:
    """Wright's law from a cost block's observations (merged per year as the time trend's are;
    cumulative production: the year's largest), or None where validation would refuse it."""
    from gapmap.check.quantities import production_points
    from gapmap.cost.fit import series

    years, logs = series(cost)
    cum = dict(production_points(cost)[1])
    log_cum = np.array([math.log(cum[int(y)]) if int(y) in cum else math.nan for y in years])
    return fit_wright(years, logs, log_cum, prior)
