"""The cross-technology prior, partial pooling and Wright's law: estimated, simulated as stated."""

from __future__ import annotations

import math
import os
from dataclasses import asdict

import numpy as np
import pytest

from gapmap.cost import kernels as K
from gapmap.cost.fit import fit_walk
from gapmap.cost.pooling import pool, predictive
from gapmap.cost.prior import (DATA_ENV, PRIOR, REPO, Prior, data_dir, estimate, lag1, lag1_variance, load_all, rounded,
                               theta_of)
from gapmap.cost.trajectories import fitted_model, simulate
from gapmap.cost.wright import fit_wright, wright_predictive


def _data():
    try:
        return data_dir()
    except FileNotFoundError:
        pytest.skip(f"pcdb-train not found next to the repository ({REPO.parent / 'shared'}) nor in ${DATA_ENV}")


def test_the_committed_prior_is_what_the_estimation_prints():
    pytest.importorskip("scipy")
    series = load_all(_data())
    assert len(series) == 41
    assert asdict(rounded(estimate(series))) == asdict(PRIOR)


def test_the_stated_drift_noise_prior_is_the_refitted_relation():
    from gapmap.cost.prior import k_relation

    a, b, r2 = k_relation(load_all(_data()))
    assert (round(a, 3), round(-b, 3)) == (K.K_PRIOR_A, K.K_PRIOR_B) and 0 < r2 < 1


def test_a_missing_training_folder_is_a_loud_error(tmp_path, monkeypatch):
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.setattr("gapmap.cost.prior.REPO", tmp_path / "repo")
    with pytest.raises(FileNotFoundError, match="pcdb-train"):
        data_dir(tmp_path / "nowhere")


def test_theta_has_the_autocorrelation_it_is_asked_for():
    for rho in (-0.4, -0.1, 0.0, 0.2, 0.45):
        th = theta_of(rho)
        assert th / (1 + th * th) == pytest.approx(rho, abs=1e-12)


@pytest.mark.parametrize("rho", [-0.45, 0.0, 0.3])
def test_the_autocorrelation_is_shrunk_by_its_real_sampling_variance(rho):
    """Bartlett's (1 - 3 rho^2 + 4 rho^4) / m, not white noise's 1 / m: simulated moving averages
    of order one (rho -0.45 is US wheat's) spread their lag-1 autocorrelation by that much."""
    rng = np.random.default_rng(7)
    th, m, reps = theta_of(rho), 200, 3000
    v = rng.normal(size=(reps, m + 1))
    logs = np.cumsum(-0.02 + v[:, 1:] + th * v[:, :-1], axis=1)
    years = np.arange(m)
    est = np.array([lag1(years, row)[0] for row in logs])
    assert lag1(years, logs[0])[1] == m - 1
    assert est.var() == pytest.approx(lag1_variance(rho, m - 1), rel=0.1)
    assert lag1_variance(0.0, m) == 1 / m and lag1_variance(-0.45, m) < 0.6 / m


def test_the_methods_pages_figures_for_theta_and_three_points():
    """Farmer & Lafond's theta 0.63 implies a lag-1 autocorrelation of 0.45 (far above rho0), and
    a three-point series gets a Student-t with nu0 + 1 = 4.4 degrees of freedom, not one."""
    assert 0.63 / (1 + 0.63**2) == pytest.approx(0.45, abs=0.005) and PRIOR.rho0 < 0.1
    years, logs = np.array([2019, 2020, 2021]), np.log([100.0, 50.0, 40.0])
    assert round(pool(years, logs).dof, 1) == 4.4 and fit_walk(years, logs, 0.63).dof == 1


def test_a_long_series_keeps_its_own_drift_and_a_short_one_leans_on_the_prior():
    rng = np.random.default_rng(3)
    years = np.arange(1900, 2000)
    logs = 5 - 0.3 * (years - 1900) + 0.2 * np.cumsum(rng.normal(size=100))
    long = pool(years, logs)
    short = pool(years[:3], logs[:3])
    assert long.w > 0.95 and long.mu == pytest.approx(long.fit.mu, abs=0.02) and long.dof > 90
    assert short.w < 0.9 and short.dof == pytest.approx(PRIOR.nu0 + 1)
    assert short.mu == pytest.approx(short.w * short.fit.mu + (1 - short.w) * PRIOR.r0 * short.K)


def test_three_points_give_a_band_a_reader_can_use():
    """The old fit gave a Student-t with one degree of freedom: ~39 decades of 90% band at 30 years."""
    years, logs = np.array([2019, 2020, 2021]), np.log([100.0, 50.0, 40.0])

    def width(theta):
        model = fitted_model(years, logs, theta, None, (2021, 100.0, ""))
        paths, _ = simulate(model, 30, 20000, 0, 1)
        return (np.quantile(paths[:, 30], 0.95) - np.quantile(paths[:, 30], 0.05)) / math.log(10)

    assert 1 < width(None) < 10 and width(None) < width(0.63) / 3


@pytest.mark.parametrize("n", [3, 6, 30])
def test_the_kernel_simulates_the_pooled_closed_form(n):
    """bench/calibration.py scores the closed form; the site shows the simulation: they agree."""
    from scipy import stats

    rng = np.random.default_rng(n)
    years = np.arange(2000, 2000 + n)
    logs = 3 - 0.2 * np.arange(n) + 0.15 * np.cumsum(rng.normal(size=n))
    model = fitted_model(years, logs, None, None, (int(years[-1]), float(np.exp(logs[-1])), ""))
    p = pool(years, logs)
    paths, _ = simulate(model, 15, 100_000, 2, 3)
    for tau in (1, 5, 15):
        drift, scale, dof = predictive(p, tau)
        for q in (0.05, 0.25, 0.75, 0.95):
            want = logs[-1] + drift + scale * stats.t.ppf(q, dof)
            assert np.quantile(paths[:, tau], q) == pytest.approx(want, abs=0.03 * scale * 2), (tau, q)


def test_wright_recovers_the_learning_exponent():
    rng = np.random.default_rng(0)
    years = np.arange(1970, 2010)
    log_cum = np.log(10.0) + np.cumsum(0.3 + 0.05 * rng.normal(size=40))
    logs = 4 - 0.4 * (log_cum - log_cum[0]) + 0.02 * rng.normal(size=40)
    f = fit_wright(years, logs, log_cum)
    assert f.b == pytest.approx(0.4, abs=3 * f.b_se + 0.01) and f.g == pytest.approx(0.3, abs=0.03)
    center, scale, _ = wright_predictive(f, logs[-1], 10)
    assert center == pytest.approx(logs[-1] - f.b * f.g * 10) and scale > 0


def test_wright_needs_production_at_the_origin():
    years, logs = np.arange(2000, 2005), np.log([5.0, 4, 3, 2.5, 2])
    assert fit_wright(years, logs, np.array([1.0, 1.5, 2.0, 2.5, np.nan])) is None
    assert fit_wright(years, logs, np.array([np.nan, 1.5, 2.0, 2.5, 3.0])) is not None


def test_reference_fit_is_unchanged_by_pooling():
    years, logs = np.arange(2000, 2010), np.log(np.geomspace(100, 10, 10))
    model = fitted_model(years, logs, 0.63, None, (2009, 10.0, ""))
    fit = fit_walk(years, logs, 0.63)
    assert model.kernel_fit == (fit.mu, fit.K, fit.span, float(fit.dof), 1.0) and model.theta == 0.63
    assert isinstance(PRIOR, Prior) and K.DRIFT_FITTED == model.mode


@pytest.mark.parametrize("dof", [0.7, 1.0, 2.5, 7.3, 40.0, 0.0])
def test_student_t_quantiles_match_scipy(dof):
    from scipy import stats

    from gapmap.cost.tdist import t_ppf

    for q in (0.05, 0.25, 0.5, 0.75, 0.95):
        want = stats.norm.ppf(q) if dof == 0 else stats.t.ppf(q, dof)
        assert t_ppf(q, dof) == pytest.approx(want, rel=1e-8, abs=1e-10), q
