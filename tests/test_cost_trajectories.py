"""Cost forecasts of capability records: closed forms, fitting, origins, targets, seeds."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from gapmap.cost import kernels as K
from gapmap.cost.fit import fit_walk, merge_years
from gapmap.cost.trajectories import QUANTILES, Settings, fitted_model, forecast, simulate
from gapmap.model.records import Cost

Z = {name: NormalDist().inv_cdf(q) for name, q in QUANTILES.items()}


def cost_block(**model) -> Cost:
    obs = model.pop("observations", [{"year": 2020, "value": 1000.0, "source": "paper-a"}])
    target = model.pop("target", {"value": 10.0})
    return Cost.model_validate({"unit": "USD per thing", "observations": obs, "model": model, "target": target})


def _quantile_se(q: float, n: int) -> float:
    """Standard error of a Monte Carlo normal quantile, in standard deviations."""
    return math.sqrt(q * (1 - q) / n) / NormalDist().pdf(NormalDist().inv_cdf(q))


def test_fixed_rate_exponential_matches_the_lognormal_closed_form():
    n, r, s = 40000, 0.2, 0.15
    f = forecast("cap", cost_block(kind="exponential", annual_decline=r, volatility=s), Settings(samples=n, seed=1))
    for t in (1, 10, 30):
        for name, q in QUANTILES.items():
            exact = math.log(1000.0) + t * math.log(1 - r) + Z[name] * s * math.sqrt(t)
            # within 5 Monte Carlo standard errors of that quantile
            assert abs(math.log(f.quantiles[name][t]) - exact) < 5 * _quantile_se(q, n) * s * math.sqrt(t), (t, name)


def test_fitted_forecast_errors_follow_student_t_with_tau_plus_tau2_over_m():
    # evenly spaced: m = 3 intervals, so 2 degrees of freedom (Student-t quantile closed form)
    years, logs = np.array([2000, 2001, 2002, 2003]), np.log([100.0, 70.0, 60.0, 40.0])
    fit = fit_walk(years, logs)
    model = fitted_model(years, logs, 0.0, None, (2003, 40.0, ""))
    paths, _ = simulate(model, 10, 200000, 3, 5)
    for tau in (1, 5, 10):
        a = tau + tau**2 / fit.span
        for q in (0.25, 0.75, 0.9):
            t2 = (2 * q - 1) / math.sqrt(2 * q * (1 - q))
            exact = math.log(40.0) + fit.mu * tau + fit.K * math.sqrt(a) * t2
            assert abs(np.quantile(paths[:, tau], q) - exact) < 0.03 * fit.K * math.sqrt(a), (tau, q)


def test_moving_average_theta_widens_fitted_bands():
    obs = [{"year": y, "value": v, "source": "paper-a"} for y, v in ((2000, 100.0), (2002, 60.0), (2003, 50.0), (2006, 20.0))]
    block = cost_block(kind="exponential", observations=obs)
    plain = forecast("cap", block, Settings(samples=5000, theta=0.0))
    ma = forecast("cap", block, Settings(samples=5000, theta=0.63))
    width = lambda f: math.log(f.quantiles["p95"][10] / f.quantiles["p05"][10])  # noqa: E731
    assert width(ma) > 1.2 * width(plain)


def test_fit_is_farmer_lafond_on_evenly_spaced_years():
    logs = np.log([100.0, 80.0, 70.0, 50.0, 45.0])
    fit = fit_walk(np.arange(2000, 2005), logs)
    assert fit.mu == pytest.approx((logs[-1] - logs[0]) / 4)
    assert fit.K == pytest.approx(np.std(np.diff(logs), ddof=1))
    assert (fit.intervals, fit.dof) == (4, 3)


@pytest.mark.parametrize("seed", range(3))
def test_fit_recovers_drift_and_noise_of_an_unevenly_sampled_random_walk(seed):
    rng = np.random.default_rng(seed)
    mu, k = -0.3, 0.2
    years = np.cumsum(rng.integers(1, 4, size=400))
    steps = np.diff(years)
    logs = np.concatenate([[5.0], 5.0 + np.cumsum(mu * steps + k * np.sqrt(steps) * rng.normal(size=len(steps)))])
    fit = fit_walk(years, logs)
    assert abs(fit.mu - mu) < 4 * k / math.sqrt(fit.span)
    assert abs(fit.K - k) < 0.1 * k


def test_fit_needs_three_years():
    assert fit_walk(np.array([2000, 2001]), np.array([1.0, 0.5])) is None


def test_observations_in_one_year_merge_by_geometric_mean_and_start_the_trajectory():
    years, logs = merge_years([(2023, 1e9), (2021, 5e10), (2023, 1e10)])
    assert years.tolist() == [2021, 2023] and math.exp(logs[-1]) == pytest.approx(math.sqrt(1e19))
    obs = [{"year": 2021, "value": 5e10, "source": "paper-a"}, {"year": 2023, "value": 1e9, "source": "paper-a"},
           {"year": 2023, "value": 1e10, "source": "paper-a"}]
    f = forecast("cap", cost_block(kind="exponential", annual_decline=0.3, observations=obs), Settings(samples=500))
    assert f.years[0] == 2023 and f.quantiles["p50"][0] == pytest.approx(math.sqrt(1e19), rel=1e-5)


def test_model_start_begins_the_trajectory_without_observations():
    block = cost_block(kind="exponential", annual_decline=0.1, observations=[], start={"year": 2024, "value": 50.0})
    f = forecast("cap", block, Settings(samples=500, horizon=5))
    assert f.years == list(range(2024, 2030)) and f.origin["source"] == "model.start"
    assert f.model["volatility"] == "prior"


def test_experience_curve_equals_the_equivalent_exponential():
    lr, g = 0.2, 0.3  # cost x 0.8 per doubling; production x 1.3 a year
    r = 1 - (1 - lr) ** math.log2(1 + g)
    wright = forecast("cap", cost_block(kind="experience", learning_rate=lr, production_growth=g, volatility=0.1),
                      Settings(samples=2000))
    moore = forecast("cap", cost_block(kind="exponential", annual_decline=r, volatility=0.1), Settings(samples=2000))
    for name in QUANTILES:
        np.testing.assert_allclose(wright.quantiles[name], moore.quantiles[name], rtol=1e-5)


def test_the_json_has_the_documented_shape():
    out = forecast("cap", cost_block(kind="exponential", annual_decline=0.3), Settings(samples=1000)).to_json()
    assert {"id", "unit", "years", "quantiles", "target"} <= set(out)
    assert set(out["quantiles"]) == {"p05", "p25", "p50", "p75", "p95"}
    assert all(len(v) == len(out["years"]) == 31 for v in out["quantiles"].values())
    t = out["target"]
    assert {"value", "p_reached_by", "year_p05", "year_p50", "year_p95"} <= set(t)
    assert list(t["p_reached_by"]) == [str(y) for y in out["years"]]
    probs = list(t["p_reached_by"].values())
    assert probs == sorted(probs) and 0 <= probs[0] and probs[-1] <= 1
    assert t["year_p05"] <= t["year_p50"] <= t["year_p95"]


def test_a_target_out_of_reach_has_no_median_year_and_says_how_often_it_is_never_reached():
    block = cost_block(kind="exponential", annual_decline=0.01, volatility=0.01, target={"value": 1.0})
    t = forecast("cap", block, Settings(samples=2000)).target
    assert t["year_p50"] is None and t["p_never_within_horizon"] == 1.0


def test_a_target_already_met_is_reached_in_the_first_year():
    block = cost_block(kind="exponential", annual_decline=0.3, target={"value": 5000.0})
    t = forecast("cap", block, Settings(samples=500)).target
    assert t["year_p05"] == t["year_p95"] == 2020


def test_seeds_reproduce_forecasts_exactly():
    block = cost_block(kind="exponential", annual_decline={"dist": "uniform", "low": 0.1, "high": 0.4})
    a, b, c = (forecast("cap", block, Settings(samples=3000, seed=s)).to_json() for s in (4, 4, 5))
    assert a == b and a["quantiles"] != c["quantiles"]
