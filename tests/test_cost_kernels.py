"""The numba kernels against their plain-Python twins, closed forms and themselves."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from gapmap.cost import kernels as K
from gapmap.cost import twins as T

SPECS = (np.array([0, 1, 2, 3]), np.array([[5.0, 0, 0], [1, 3, 0], [2, 5, 15], [0, 0.5, 0]]),
         np.array([11, 22, 33, 2**63 + 5], dtype=np.uint64))
MODELS = [  # (mode, kinds, params, fit, volatility, theta)
    (K.DRIFT_STATED, np.array([2, 0]), np.array([[0.1, 0.3, 0.5], [0, 0, 0]]), np.zeros(5), -1.0, 0.0),
    (K.DRIFT_EXPERIENCE, np.array([1, 3]), np.array([[0.1, 0.3, 0], [np.log(0.2), 0.3, 0]]), np.zeros(5), 0.1, 0.0),
    (K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), np.array([-0.3, 0.2, 9.0, 3.0, 4.0]), -1.0, 0.63),
]


def test_sampling_draws_exactly_what_the_python_twin_draws():
    assert np.array_equal(K.sample_specs(*SPECS, 64, 3), T.py_sample_specs(*SPECS, 64, 3))


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


@pytest.mark.parametrize("model", MODELS, ids=["stated", "experience", "fitted"])
def test_paths_match_the_python_twin(model):
    got = K.simulate_paths(*model, np.log(100.0), 12, np.log(20.0), 40, 7, 99)
    want = T.py_simulate_paths(*model, np.log(100.0), 12, np.log(20.0), 40, 7, 99)
    np.testing.assert_allclose(got[0], want[0], rtol=0, atol=1e-12)
    assert np.array_equal(got[1], want[1])


@pytest.mark.parametrize("model", MODELS, ids=["stated", "experience", "fitted"])
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
    params[rng.random(k) < 0.2] = 0.0  # some capabilities exist already: ready at once
    ptr = lambda rows: np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)  # noqa: E731
    flat = lambda rows: np.array([i for r in rows for i in r], dtype=np.int64)  # noqa: E731
    streams = rng.integers(0, 2**62, size=k).astype(np.uint64)
    return kinds, params, streams, ptr(parents), flat(parents), ptr(gaps), flat(gaps)


@pytest.mark.parametrize("seed", range(5))
def test_schedule_kernels_match_a_plain_python_walk_on_random_dags(seed):
    kinds, params, streams, pp, pi, gp, gi = _random_dag(np.random.default_rng(seed), 25, 6)
    ready, pred = K.schedule_samples(kinds, params, streams, pp, pi, 200, seed)
    close, counts = K.gap_closing(ready, pred, gp, gi)
    want_close, want_counts = T.py_schedule(kinds, params, streams, pp, pi, gp, gi, 200, seed)
    np.testing.assert_allclose(close, want_close, rtol=1e-12)
    assert np.array_equal(counts, want_counts)
    np_close, np_counts = T.np_schedule(kinds, params, streams, pp, pi, gp, gi, 200, seed)
    np.testing.assert_allclose(np_close, want_close, rtol=1e-12)
    assert np.array_equal(np_counts, want_counts)


def test_set_totals_add_each_member_once():
    costs = np.random.default_rng(1).lognormal(size=(50, 6))
    ptr, idx = np.array([0, 2, 2, 6]), np.array([0, 3, 1, 2, 4, 5])
    np.testing.assert_allclose(K.set_totals(costs, ptr, idx), T.py_set_totals(costs, ptr, idx))


def test_budget_counts_steps_paid_in_order():
    costs = np.array([[1.0, 2.0, 4.0], [3.0, 1.0, 1.0]])
    ptr, idx = np.array([0, 1, 2, 3]), np.array([0, 1, 2])
    # sample 0 pays 1, 3, 7 cumulatively; sample 1 pays 3, 4, 5
    assert K.closed_within(costs, ptr, idx, np.array([0.5, 3.0, 5.0, 100.0])).tolist() == [0.0, 1.5, 2.5, 3.0]
