"""The numba kernels against their plain-Python twins, closed forms and themselves."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from gapmap.cost import kernels as K
import twins as T

SPECS = (np.array([0, 1, 2, 3]), np.array([[5.0, 0, 0], [1, 3, 0], [2, 5, 15], [0, 0.5, 0]]),
         np.array([11, 22, 33, 2**63 + 5], dtype=np.uint64))
MODELS = [  # (mode, kinds, params, fit, volatility, theta)
    (K.DRIFT_STATED, np.array([2, 0]), np.array([[0.1, 0.3, 0.5], [0, 0, 0]]), np.zeros(5), -1.0, 0.0),
    (K.DRIFT_EXPERIENCE, np.array([1, 3]), np.array([[0.1, 0.3, 0], [np.log(0.2), 0.3, 0]]), np.zeros(5), 0.1, 0.0),
    (K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), np.array([-0.3, 0.2, 9.0, 3.0, 1.0]), -1.0, 0.63),
    (K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), np.array([-0.3, 0.2, 5.0, 0.0, 0.4]), -1.0, 0.63),
    (K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), np.array([-0.3, 0.2, 5.0, 1.7, 0.6]), -1.0, 0.2),
]
MODEL_IDS = ["stated", "experience", "fitted", "fitted-pooled", "fitted-real-dof"]


def test_sampling_draws_exactly_what_the_python_twin_draws():
    n = 2 * K.LANES + 22  # two full blocks of lanes and a partial one
    assert np.array_equal(K.sample_specs(*SPECS, n, 3), T.py_sample_specs(*SPECS, n, 3))


@numba.njit
def _kernel_exp(xs):
    return np.array([K.exp(x) for x in xs])


def test_the_kernels_exp_is_within_one_ulp_of_libm_and_flushes_only_below_the_normal_range():
    xs = np.concatenate([np.linspace(K.EXP_MIN, K.EXP_MAX, 400_001), np.linspace(-1, 1, 100_001),
                         [0.0, -0.0, 1e-300, K.EXP_MIN, K.EXP_MAX, 709.0, 709.7, -708.0]])
    got, want = _kernel_exp(xs), np.exp(xs)
    assert np.all(np.abs(got - want) <= np.spacing(want))  # one ulp
    assert np.array_equal(got[::50], [T.exp(x) for x in xs[::50]])  # the Python twin computes it the same way
    edge = _kernel_exp(np.array([710.0, np.inf, -709.0, -np.inf, np.nan]))
    assert edge[0] == edge[1] == np.inf and edge[2] == edge[3] == 0.0 and np.isnan(edge[4])


def test_same_seed_same_numbers_and_another_seed_other_numbers():
    a, b, c = (K.sample_specs(*SPECS, 1000, s) for s in (7, 7, 8))
    assert np.array_equal(a, b)
    assert not np.array_equal(a[:, 1:], c[:, 1:])


def test_results_do_not_depend_on_the_number_of_threads():
    model = MODELS[2]
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = K.simulate_paths(*model, 4.0, 20, 2.0, 3000, 5, 9)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = K.simulate_paths(*model, 4.0, 20, 2.0, 3000, 5, 9)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(one[0], many[0]) and np.array_equal(one[1], many[1])


def test_distributions_have_their_stated_shape():
    x = K.sample_specs(*SPECS, 200_000, 1)
    assert np.all(x[:, 0] == 5)
    assert x[:, 1].min() >= 1 and x[:, 1].max() <= 3 and abs(x[:, 1].mean() - 2) < 0.01
    assert x[:, 2].min() >= 2 and x[:, 2].max() <= 15 and abs(x[:, 2].mean() - 22 / 3) < 0.03
    p05, p95 = np.quantile(x[:, 3], [0.05, 0.95])
    assert abs(np.log(p05) + 0.5 * 1.6449) < 0.01 and abs(np.log(p95) - 0.5 * 1.6449) < 0.01


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_paths_match_the_python_twin(model):
    got = K.simulate_paths(*model, np.log(100.0), 12, np.log(20.0), 2 * K.LANES + 22, 7, 99)
    want = T.py_simulate_paths(*model, np.log(100.0), 12, np.log(20.0), 2 * K.LANES + 22, 7, 99)
    np.testing.assert_allclose(got[0], want[0], rtol=0, atol=1e-12)
    assert np.array_equal(got[1], want[1])


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_paths_match_the_numpy_twin(model):
    got = K.simulate_paths(*model, np.log(100.0), 12, np.log(20.0), 500, 7, 99)
    want = T.np_simulate_paths(*model, np.log(100.0), 12, np.log(20.0), 500, 7, 99)
    np.testing.assert_allclose(got[0], want[0], rtol=0, atol=1e-9)
    assert np.array_equal(got[1], want[1])


def _random_dag(rng, k: int, g: int):
    parents = [sorted(rng.choice(c, size=min(c, rng.integers(0, 4)), replace=False).tolist()) if c else [] for c in range(k)]
    gaps = [sorted(rng.choice(k, size=rng.integers(0, 4), replace=False).tolist()) for _ in range(g)]
    kinds = rng.integers(0, 4, size=k)
    params = np.column_stack([rng.uniform(0, 2, k), rng.uniform(2, 4, k), rng.uniform(4, 9, k)])
    params[kinds == K.LOGNORMAL, 1] = 0.4
    fixed = rng.random(k) < 0.3  # whole-year fixed durations: ties between paths happen
    kinds[fixed], params[fixed, 0] = K.FIXED, rng.integers(1, 3, size=fixed.sum())
    exists = rng.random(k) < 0.2  # some capabilities exist already: ready at once
    ptr = lambda rows: np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)  # noqa: E731
    flat = lambda rows: np.array([i for r in rows for i in r], dtype=np.int64)  # noqa: E731
    streams = rng.integers(0, 2**62, size=k).astype(np.uint64)
    return kinds, params, streams, exists, ptr(parents), flat(parents), ptr(gaps), flat(gaps)


@pytest.mark.parametrize("seed", range(5))
def test_schedule_kernels_match_a_plain_python_walk_on_random_dags(seed):
    kinds, params, streams, ex, pp, pi, gp, gi = _random_dag(np.random.default_rng(seed), 25, 6)
    ready = K.schedule_samples(kinds, params, streams, ex, pp, pi, 200, seed)
    close, counts = K.gap_closing(ready, ready, pp, pi, gp, gi)
    want_close, want_counts = T.py_schedule(kinds, params, streams, ex, pp, pi, gp, gi, 200, seed)
    np.testing.assert_allclose(close, want_close, rtol=1e-12)
    np.testing.assert_allclose(counts, want_counts, rtol=1e-9, atol=1e-9)
    np_close, np_counts = T.np_schedule(kinds, params, streams, ex, pp, pi, gp, gi, 200, seed)
    np.testing.assert_allclose(np_close, want_close, rtol=1e-12)
    np.testing.assert_allclose(np_counts, want_counts, rtol=1e-9, atol=1e-9)


def test_cost_gates_match_the_python_walk():
    rng = np.random.default_rng(9)
    kinds, params, streams, ex, pp, pi, gp, gi = _random_dag(rng, 25, 6)
    ready = K.schedule_samples(kinds, params, streams, ex, pp, pi, 200, 1)
    gated = ready + np.where(rng.random(ready.shape) < 0.3, rng.integers(0, 4, ready.shape), 0)
    gated[rng.random(ready.shape) < 0.05] = np.inf
    got = K.gap_closing(ready, gated, pp, pi, gp, gi)
    want = T.py_closing(ready, gated, pp, pi, gp, gi)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_allclose(got[1], want[1], rtol=1e-9, atol=1e-9)


def _one_gap(kinds, params, exists, parents, gap):
    k = len(kinds)
    pp = np.cumsum([0] + [len(p) for p in parents]).astype(np.int64)
    pi = np.array([i for p in parents for i in p], dtype=np.int64)
    ready = K.schedule_samples(np.array(kinds), np.array(params, dtype=float), np.arange(k, dtype=np.uint64),
                               np.array(exists), pp, pi, 10, 0)
    return ready, K.gap_closing(ready, ready, pp, pi, np.array([0, len(gap)]), np.array(gap, dtype=np.int64))


def test_an_existing_capability_is_ready_now_whatever_it_requires():
    # 0 takes 4 years; 1 requires 0 but exists already; the gap needs 1
    ready, (close, counts) = _one_gap([K.FIXED, K.FIXED], [[4, 0, 0], [7, 0, 0]], [False, True], [[], [0]], [1])
    assert np.all(ready[:, 1] == 0) and np.all(close == 0) and np.all(counts == 0)


def test_tied_capabilities_share_the_criticality():
    # the gap needs 0 and 1, both exactly 3 years; 2 requires both and takes 1: 0 and 1 tie as parents too
    ready, (close, counts) = _one_gap([K.FIXED] * 3, [[3, 0, 0], [3, 0, 0], [1, 0, 0]], [False] * 3,
                                      [[], [], [0, 1]], [0, 1])
    assert np.all(close == 3) and counts[0].tolist() == [5.0, 5.0, 0.0]
    ready, (close, counts) = _one_gap([K.FIXED] * 3, [[3, 0, 0], [3, 0, 0], [1, 0, 0]], [False] * 3,
                                      [[], [], [0, 1]], [2])
    assert np.all(close == 4) and counts[0].tolist() == [5.0, 5.0, 10.0]


THETA = 0.63


def _eq13(tau, m, theta):
    """Farmer & Lafond (2016) eq. 13: Var(forecast error) / K^2 = A* / (1 + theta^2)."""
    a_star = -2 * theta + (1 + 2 * (m - 1) * theta / m + theta**2) * (tau + tau**2 / m)
    return a_star / (1 + theta**2)


@pytest.mark.parametrize("theta", [0.0, THETA])
def test_fitted_variance_is_farmer_lafond_eq_13_for_yearly_data(theta):
    """Known K (dof 0): the simulated log cost at tau has variance K^2 A* / (1 + theta^2)."""
    m, k_hat, n = 6.0, 0.3, 200_000
    fit = np.array([-0.2, k_hat, m, 0.0, 1.0])
    paths, _ = K.simulate_paths(K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), fit, -1.0, theta,
                                0.0, 20, np.nan, n, 3, 7)
    for tau in (1, 2, 5, 20):
        exact = k_hat**2 * _eq13(tau, m, theta)
        assert np.var(paths[:, tau]) == pytest.approx(exact, rel=4 * np.sqrt(2 / n)), tau
        assert np.mean(paths[:, tau]) == pytest.approx(-0.2 * tau, abs=4 * np.sqrt(exact / n))


def _true_errors(years, theta, tau, reps, rng, mu=-0.1, k=0.25):
    """Forecast errors of Farmer & Lafond's drift on an MA(1) random walk observed at `years`."""
    span = years[-1] - years[0]
    sigma = k / np.sqrt(1 + theta**2)
    v = rng.normal(size=(reps, span + tau + 1))
    steps = mu + sigma * (v[:, 1:] + theta * v[:, :-1])
    y = np.concatenate([np.zeros((reps, 1)), np.cumsum(steps, axis=1)], axis=1)
    first, last = 0, span
    mu_hat = (y[:, last] - y[:, first]) / span
    return y[:, last + tau] - (y[:, last] + mu_hat * tau)


@pytest.mark.parametrize("years", [[0, 1, 2, 3, 4, 5, 6], [0, 3, 4, 8, 9, 14]])
def test_eq_13_with_m_the_span_in_years_holds_for_irregular_observations(years):
    """Derivation (METHODS.md): mu_hat depends only on the two end points, T years apart, so its
    error is that of yearly data with m = T; the simulated variance matches the brute-force
    variance of the true forecast errors of an MA(1) walk observed only at `years`."""
    rng = np.random.default_rng(1)
    span, tau, n = years[-1] - years[0], 7, 200_000
    errors = _true_errors(np.array(years), THETA, tau, n, rng)
    fit = np.array([0.0, 0.25, float(span), 0.0, 1.0])
    paths, _ = K.simulate_paths(K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), fit, -1.0, THETA,
                                0.0, tau, np.nan, n, 3, 7)
    exact = 0.25**2 * _eq13(tau, span, THETA)
    assert np.var(errors) == pytest.approx(exact, rel=4 * np.sqrt(2 / n))
    assert np.var(paths[:, tau]) == pytest.approx(exact, rel=4 * np.sqrt(2 / n))


def test_pooling_weight_scales_only_the_drift_error():
    m, k_hat, n, tau = 4.0, 0.3, 200_000, 10
    for w in (1.0, 0.25):
        fit = np.array([0.0, k_hat, m, 0.0, w])
        paths, _ = K.simulate_paths(K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), fit, -1.0, 0.0,
                                    0.0, tau, np.nan, n, 3, 7)
        assert np.var(paths[:, tau]) == pytest.approx(k_hat**2 * (tau + w * tau**2 / m), rel=0.02)


def test_set_totals_add_each_member_once():
    costs = np.random.default_rng(1).lognormal(size=(2 * K.LANES + 22, 6))
    ptr, idx = np.array([0, 2, 2, 6, 7]), np.array([0, 3, 1, 2, 4, 5, 3])
    assert np.array_equal(K.set_totals(costs, ptr, idx), T.py_set_totals(costs, ptr, idx))  # same order of sums


def test_budget_counts_steps_paid_in_order():
    costs = np.array([[1.0, 2.0, 4.0], [3.0, 1.0, 1.0]])
    ptr, idx = np.array([0, 1, 2, 3]), np.array([0, 1, 2])
    # sample 0 pays 1, 3, 7 cumulatively; sample 1 pays 3, 4, 5
    yes = np.ones((2, 3), dtype=bool)
    assert K.closed_within(costs, ptr, idx, np.array([0.5, 3.0, 5.0, 100.0]), yes).tolist() == [0.0, 1.5, 2.5, 3.0]
    # a funded step whose cost target is not reached in that sample does not close
    some = np.array([[True, False, True], [True, True, True]])
    assert K.closed_within(costs, ptr, idx, np.array([0.5, 3.0, 5.0, 100.0]), some).tolist() == [0.0, 1.0, 2.0, 2.5]


@pytest.mark.parametrize("dof", [0.7, 3.5])
def test_student_t_with_any_real_degrees_of_freedom(dof):
    """K drawn as K_c sqrt(dof / chi2_dof) makes the error K_c sqrt(V) times a Student-t(dof)."""
    from scipy import stats

    n, tau, span = 200_000, 5, 4.0
    fit = np.array([0.0, 0.3, span, dof, 1.0])
    paths, _ = K.simulate_paths(K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), fit, -1.0, 0.0,
                                0.0, tau, np.nan, n, 3, 7)
    scale = 0.3 * np.sqrt(tau + tau**2 / span)
    for q in (0.25, 0.75, 0.9):
        assert np.quantile(paths[:, tau], q) == pytest.approx(scale * stats.t.ppf(q, dof), rel=0.03), q
