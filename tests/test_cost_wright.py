"""Wright's law fitted from cumulative production runs in the kernel as a walk with its forecast."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from gapmap.cost.fit import error_variance
from gapmap.cost.trajectories import build_model, simulate
from gapmap.cost.wright import as_walk, fit_observations, wright_predictive
from gapmap.model.records import Cost

VALUES = (100.0, 80.0, 70.0, 52.0, 45.0, 40.0, 31.0)
CUMS = (1.0, 2.1, 3.9, 8.5, 15.0, 33.0, 60.0)


def cost_block() -> Cost:
    obs = [{"year": 2010 + i, "value": v, "source": "paper-a", "cumulative": c} for i, (v, c) in enumerate(zip(VALUES, CUMS))]
    return Cost.model_validate({"unit": "USD", "observations": obs, "model": {"kind": "experience"}})


def test_the_walk_has_wrights_forecast_variance_at_every_horizon():
    f = fit_observations(cost_block())
    mu, k, span, dof, w = as_walk(f)
    for tau in (1, 3, 10, 30):
        center, scale, d = wright_predictive(f, 0.0, tau)
        assert mu * tau == pytest.approx(center, rel=1e-12) and d == dof
        assert k * math.sqrt(error_variance(tau, span, 0.0, w)) == pytest.approx(scale, rel=1e-12)


def test_the_simulated_fan_is_wrights_student_t_forecast():
    cost = cost_block()
    f = fit_observations(cost)
    model = build_model(cost)
    paths, _ = simulate(model, 10, 200000, 1, 7)
    for tau in (1, 5, 10):
        center, scale, dof = wright_predictive(f, math.log(VALUES[-1]), tau)
        for q in (0.1, 0.5, 0.9):
            exact = center + scale * stats.t.ppf(q, dof)
            assert np.quantile(paths[:, tau], q) == pytest.approx(exact, abs=0.02 * scale), (tau, q)
