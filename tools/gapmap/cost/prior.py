"""The cross-technology prior that short series borrow strength from, estimated from pcdb-train.

Partial pooling (empirical Bayes): seven constants, each a maximum-likelihood estimate
over the training series' full histories, none tuned on the hindcast.

  autocorrelation  a series' lag-1 autocorrelation of yearly changes rho_hat has sampling variance
          v / m, v = 1 - 3 rho^2 + 4 rho^4 (Bartlett's formula for a moving average of order one, at
          rho_hat; 1 / m only for white noise), and is shrunk toward the cross-technology mean RHO0
          with weight S_RHO^2 / (S_RHO^2 + v / m), (RHO0, S_RHO) by maximum likelihood of
          rho_hat ~ N(RHO0, S_RHO^2 + v / m); theta is the moving-average coefficient with that
          lag-1 autocorrelation, rho = theta / (1 + theta^2).
  noise   K^2 ~ scaled inverse chi-square(NU0, S^2) across technologies, with the scale growing
          with the drift as Farmer & Lafond found (K ~ 0.02 - 0.76 mu): S = K0 + K1 |mu_hat|. A
          series' K_hat^2 with m - 1 degrees of freedom then has K_hat^2 / S^2 ~ F(m - 1, NU0), so
          (K0, K1, NU0) are the maximum-likelihood fit of that F. Given a series, K^2 | K_hat ~
          scaled inverse chi-square(NU0 + m - 1, K_post^2), K_post^2 = (NU0 S^2 + (m - 1) K_hat^2) /
          (NU0 + m - 1): forecast errors are Student-t with NU0 + m - 1 degrees of freedom, never one.
  drift   faster-falling costs are noisier (Farmer & Lafond's K = 0.02 - 0.76 mu), so the drift is
          pooled as a multiple of the noise: mu / K ~ N(R0, S_R^2) across technologies, while a
          series' mu_hat ~ N(mu, K^2 c / T) (c: eq. 13's theta factor of the drift term). Then
          mu_hat / K_hat ~ N(R0, S_R^2 + c / T) gives (R0, S_R) by maximum likelihood, and a series'
          drift is shrunk toward R0 K_post with data weight w = S_R^2 T / (S_R^2 T + c), its error
          variance w K^2 c / T — in proportion to K, as the kernel draws it.

`python -m gapmap.cost.prior [DIR]` re-estimates the constants from the training CSVs and prints
them; PRIOR below holds what it printed (tests/test_cost_prior.py re-estimates and compares).
"""

from __future__ import annotations

import csv
import math
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from gapmap.cost.fit import fit_walk, merge_years
from gapmap.cost.settings import THETA_FL

REPO = Path(__file__).resolve().parents[3]
DATA_ENV = "GAPMAP_PCDB_TRAIN"


@dataclass(frozen=True)
class Prior:
    rho0: float  # mean lag-1 autocorrelation of yearly log-cost changes across technologies
    s_rho: float  # its spread across technologies (beyond sampling noise)
    k0: float  # noise scale K0 = k0 + k1 |mu_hat| (inverse chi-square scale), log per year
    k1: float  # faster-falling costs are noisier (Farmer & Lafond's K ~ 0.02 - 0.76 mu)
    nu0: float  # its degrees of freedom: how many intervals of evidence the prior is worth
    r0: float  # mean drift-to-noise ratio mu / K across technologies
    s_r: float  # its spread across technologies
    series: int = 0  # how many training series it was estimated from


# Printed by `python -m gapmap.cost.prior` on ../shared/pcdb-train (41 series), committed as is.
PRIOR = Prior(rho0=0.0754, s_rho=0.2918, k0=0.0212, k1=0.6505, nu0=3.3521, r0=-0.8558, s_r=0.4675, series=41)


@dataclass
class Series:
    name: str
    unit: str
    years: np.ndarray  # int, one per year (merged by geometric mean)
    logs: np.ndarray  # natural log of unit cost
    log_cum: np.ndarray  # natural log of cumulative production, NaN where absent


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The pcdb-train folder: `path`, else $GAPMAP_PCDB_TRAIN, else ../shared/pcdb-train next to the
    repository. Missing: an error that says where it looked (the bench must not run without it)."""
    candidates = [Path(path)] if path else []
    if os.environ.get(DATA_ENV):
        candidates.append(Path(os.environ[DATA_ENV]))
    candidates.append(REPO.parent / "shared" / "pcdb-train")
    for c in candidates:
        if c.is_dir() and any(c.glob("*.csv")):
            return c
    raise FileNotFoundError("the Performance Curve Database training half is missing; looked in "
                            + ", ".join(str(c) for c in candidates) + f" (set {DATA_ENV} to its folder)")


def _num(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        return math.nan
    return x if math.isfinite(x) else math.nan


def read_series(path: Path) -> Series:
    """One CSV: unit cost (header holds unit and dollar year), year, yearly and cumulative production."""
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], [r for r in rows[1:] if r]
    points, cum = [], {}
    for r in body:
        cost, year = _num(r[0]), _num(r[1])
        if not (cost > 0 and math.isfinite(year)):
            continue
        points.append((int(round(year)), cost))
        if len(r) > 3 and _num(r[3]) > 0:
            cum[int(round(year))] = math.log(_num(r[3]))
    years, logs = merge_years(points)
    return Series(path.stem, header[0], years, logs, np.array([cum.get(int(y), math.nan) for y in years]))


def load_all(path=None) -> list[Series]:
    return [read_series(p) for p in sorted(data_dir(path).glob("*.csv"))]


def drift_factor(span: float, theta: float) -> float:
    """c in Var(mu_hat) = K^2 c / T: eq. 13's drift term, (1 + 2 theta (T - 1) / T / (1 + theta^2))."""
    return 1.0 + 2.0 * theta * (span - 1.0) / span / (1.0 + theta * theta)


def lag1(years, logs) -> tuple[float, int]:
    """(lag-1 autocorrelation of the per-year changes, number of changes); 0 with fewer than 3."""
    dt = np.diff(np.asarray(years, dtype=float))
    dy = np.diff(np.asarray(logs, dtype=float))
    m = len(dy)
    if m < 2:
        return 0.0, m
    d = (dy - dt * (dy.sum() / dt.sum())) / np.sqrt(dt)
    ss = float(np.sum(d * d))
    return (float(np.sum(d[1:] * d[:-1])) / ss if ss > 0 else 0.0), m


RHO_MAX = 0.49  # |lag-1 autocorrelation| of a moving average of order one is below 1/2


def lag1_variance(rho: float, m: int) -> float:
    """Sampling variance of the lag-1 autocorrelation of m changes of a moving average of order one
    with lag-1 autocorrelation rho: Bartlett's (1946) formula, sum over k >= 1 of (rho_{k+1} +
    rho_{k-1} - 2 rho_1 rho_k)^2 / m, has two terms when only rho_1 is nonzero, ((1 - 2 rho^2)^2 +
    rho^2) / m = (1 - 3 rho^2 + 4 rho^4) / m; evaluated at the estimate like any standard error. White noise
    gives 1 / m; a strongly autocorrelated series (|rho| 0.45: US wheat prices) about half that,
    so its own estimate is shrunk less toward the cross-technology mean."""
    r = max(min(rho, RHO_MAX), -RHO_MAX)
    return (1.0 - 3.0 * r * r + 4.0 * r**4) / m


def theta_of(rho: float) -> float:
    """The MA(1) coefficient in (-1, 1) with lag-1 autocorrelation rho (|rho| < 1/2, clipped)."""
    rho = max(min(rho, RHO_MAX), -RHO_MAX)
    return 0.0 if abs(rho) < 1e-12 else (1.0 - math.sqrt(1.0 - 4.0 * rho * rho)) / (2.0 * rho)


def series_theta(years, logs, prior: "Prior") -> float:
    """theta of a series: its lag-1 autocorrelation shrunk toward the prior's."""
    rho, m = lag1(years, logs)
    if m < 2:
        return theta_of(prior.rho0)
    w = prior.s_rho**2 / (prior.s_rho**2 + lag1_variance(rho, m))
    return theta_of(w * rho + (1.0 - w) * prior.rho0)


def estimate(series: list[Series]) -> Prior:
    """Maximum-likelihood estimates of the seven constants from each series' full history."""
    from scipy import optimize, stats

    lags = [lag1(s.years, s.logs) for s in series if len(s.years) >= 3]
    rho = np.array([r for r, _ in lags])
    v = np.array([lag1_variance(r, n) for r, n in lags])
    # rho_hat ~ N(rho0, s_rho^2 + v): maximum likelihood, as for the drift prior below (a moment
    # estimate, var(rho_hat) - mean(v), weighs a 6-interval series like a 140-interval one)
    def nll_rho(p):
        var = math.exp(2 * p[1]) + v
        return 0.5 * np.sum(np.log(var) + (rho - p[0]) ** 2 / var)

    r = optimize.minimize(nll_rho, [float(rho.mean()), math.log(0.2)], method="Nelder-Mead",
                          options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
    rho0, s_rho = float(r.x[0]), math.exp(r.x[1])
    partial = Prior(rho0, s_rho, 0.0, 0.0, 0.0, 0.0, 0.0)
    thetas = [series_theta(s.years, s.logs, partial) for s in series]
    fits = [(f, th) for f, th in ((fit_walk(s.years, s.logs, th), th) for s, th in zip(series, thetas)) if f is not None]
    k2 = np.array([f.K**2 for f, _ in fits])
    dof = np.array([f.dof for f, _ in fits], dtype=float)

    abs_mu = np.array([abs(f.mu) for f, _ in fits])

    def nll_k(p):
        scale2 = (math.exp(p[0]) + math.exp(p[1]) * abs_mu) ** 2
        return -np.sum(stats.f.logpdf(k2 / scale2, dof, math.exp(p[2])) - np.log(scale2))

    r = optimize.minimize(nll_k, [math.log(0.03), math.log(0.5), math.log(4.0)], method="Nelder-Mead",
                          options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 8000})
    k0, k1, nu0 = math.exp(r.x[0]), math.exp(r.x[1]), math.exp(r.x[2])
    ratio = np.array([f.mu / f.K for f, _ in fits])
    noise = np.array([drift_factor(f.span, th) / f.span for f, th in fits])

    def nll_r(p):
        var = math.exp(2 * p[1]) + noise
        return 0.5 * np.sum(np.log(var) + (ratio - p[0]) ** 2 / var)

    r = optimize.minimize(nll_r, [float(np.median(ratio)), math.log(0.5)], method="Nelder-Mead",
                          options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000})
    return Prior(rho0=rho0, s_rho=s_rho, k0=k0, k1=k1, nu0=nu0, r0=float(r.x[0]), s_r=math.exp(r.x[1]), series=len(fits))


def rounded(p: Prior) -> Prior:
    return Prior(**{k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(p).items()})


def k_relation(series: list[Series], theta: float = 0.0) -> tuple[float, float, float]:
    """Farmer & Lafond's K = a + b * mu across technologies, refitted by least squares: (a, b, R^2).

    With theta = 0: it gives the noise of stated and experience models, which are plain random walks
    (kernels.K_PRIOR_A, K_PRIOR_B hold the rounded result; a test compares)."""
    fits = [f for f in (fit_walk(s.years, s.logs, theta) for s in series) if f is not None]
    mu, k = np.array([f.mu for f in fits]), np.array([f.K for f in fits])
    b, a = np.polyfit(mu, k, 1)
    r2 = 1 - np.sum((k - (a + b * mu)) ** 2) / np.sum((k - k.mean()) ** 2)
    return float(a), float(b), float(r2)


def main(argv: list[str]) -> None:
    series = load_all(argv[0] if argv else None)
    p = rounded(estimate(series))
    a, b, r2 = k_relation(series)
    print(f"pcdb-train: {len(series)} series from {data_dir(argv[0] if argv else None)}")
    print("PRIOR = Prior(" + ", ".join(f"{k}={v}" for k, v in asdict(p).items()) + ")")
    print(f"K_PRIOR_A, K_PRIOR_B = {a:.3f}, {-b:.3f}  (K = a + b |mu|, R^2 {r2:.2f}; Farmer & Lafond on 53 "
          "technologies: K = 0.02 - 0.76 mu, R^2 0.87)")
    print("committed:", asdict(PRIOR))


if __name__ == "__main__":
    main(sys.argv[1:])
