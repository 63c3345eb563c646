"""Numba kernels of the cost stage: arrays and scalars in, arrays out, every draw seeded.

A *spec* is a distribution as a kind code and three numbers — FIXED (value), UNIFORM (low,
high), TRIANGULAR (low, mode, high), LOGNORMAL (mu, sigma of the log) — and a *stream* is a
64-bit key (one per quantity, e.g. per capability). The random numbers of sample `i` are a
splitmix64 sequence started from (seed, stream, i), so a sample draws the same numbers whatever
the number of threads, and one capability's draws never depend on which others are computed.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

FIXED, UNIFORM, TRIANGULAR, LOGNORMAL = 0, 1, 2, 3
DRIFT_STATED, DRIFT_FITTED, DRIFT_EXPERIENCE = 0, 1, 2

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
_MAX_DECLINE = 0.999999  # a fraction per year below 1 keeps log(1 - r) finite


@njit(inline="always")
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(inline="always")
def stream_base(seed, stream):
    """The part of a sample's starting state shared by every sample of a stream."""
    return _mix(_mix(np.uint64(seed) + _GOLDEN) ^ np.uint64(stream))


@njit(inline="always")
def sample_state(base, i):
    """The generator state of sample `i` (splitmix64 keyed by seed, stream and i)."""
    return _mix(base ^ (np.uint64(i) * _GOLDEN))


@njit(cache=True)
def stream_bases(seed, streams):
    out = np.empty(streams.shape[0], dtype=np.uint64)
    for j in range(streams.shape[0]):
        out[j] = stream_base(seed, streams[j])
    return out


@njit(inline="always")
def next_uniform(state):
    state = state + _GOLDEN
    return state, np.float64(_mix(state) >> np.uint64(11)) * _TO_UNIT


# Acklam's rational approximation of the normal quantile function (relative error < 1.2e-9):
# one uniform per normal, and in the central 95% no logarithm or trigonometry at all — the
# transcendental calls of Box-Muller were most of the kernels' time.
PPF_A = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
         1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
PPF_B = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
         6.680131188771972e+01, -1.328068155288572e+01)
PPF_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
         -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
PPF_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)
PPF_LOW = 0.02425
HALF_ULP = 2.0**-54  # shifts u in [0, 1) to p in (0, 1)


@njit(inline="always")
def _tail(q):
    return ((((PPF_C[0] * q + PPF_C[1]) * q + PPF_C[2]) * q + PPF_C[3]) * q + PPF_C[4]) * q + PPF_C[5]


@njit(inline="always")
def normal_ppf(p):
    """The standard normal quantile of p in (0, 1)."""
    if p < PPF_LOW:
        q = np.sqrt(-2.0 * np.log(p))
        return _tail(q) / ((((PPF_D[0] * q + PPF_D[1]) * q + PPF_D[2]) * q + PPF_D[3]) * q + 1.0)
    if p > 1.0 - PPF_LOW:
        q = np.sqrt(-2.0 * np.log(1.0 - p))
        return -_tail(q) / ((((PPF_D[0] * q + PPF_D[1]) * q + PPF_D[2]) * q + PPF_D[3]) * q + 1.0)
    q = p - 0.5
    r = q * q
    num = (((((PPF_A[0] * r + PPF_A[1]) * r + PPF_A[2]) * r + PPF_A[3]) * r + PPF_A[4]) * r + PPF_A[5]) * q
    return num / (((((PPF_B[0] * r + PPF_B[1]) * r + PPF_B[2]) * r + PPF_B[3]) * r + PPF_B[4]) * r + 1.0)


@njit(inline="always")
def next_normal(state):
    """One standard normal by inversion of one uniform."""
    state, u = next_uniform(state)
    return state, normal_ppf(u + HALF_ULP)


@njit(inline="always")
def draw(kind, a, b, c, state):
    """One draw from a spec; returns (state, value)."""
    if kind == FIXED:
        return state, a
    if kind == UNIFORM:
        state, u = next_uniform(state)
        return state, a + (b - a) * u
    if kind == TRIANGULAR:
        state, u = next_uniform(state)
        if c <= a:
            return state, a
        if u < (b - a) / (c - a):
            return state, a + np.sqrt(u * (c - a) * (b - a))
        return state, c - np.sqrt((1.0 - u) * (c - a) * (c - b))
    state, z = next_normal(state)
    return state, np.exp(a + b * z)


@njit(cache=True, parallel=True)
def sample_specs(kinds, params, streams, n, seed):
    """(n, k) draws: column j from spec j on stream j."""
    k = kinds.shape[0]
    out = np.empty((n, k))
    bases = stream_bases(seed, streams)
    for i in prange(n):
        for j in range(k):
            state = sample_state(bases[j], i)
            state, out[i, j] = draw(kinds[j], params[j, 0], params[j, 1], params[j, 2], state)
    return out


@njit(inline="always")
def _drift_and_noise(mode, kinds, params, fit, vol, theta, state):
    """Per-sample drift mu (log per year) and noise sd K; see trajectories.py for the models.

    fit = (mu_hat, K_hat, span in years, Student-t degrees of freedom (0: K known), intervals m).
    """
    if mode == DRIFT_FITTED:
        mu_hat, k_hat, span, dof, m = fit[0], fit[1], fit[2], fit[3], fit[4]
        k = k_hat
        if dof > 0:  # K_hat * sqrt(dof / chi2_dof): with the drift error below, errors are Student-t
            chi2 = 0.0
            for _ in range(int(dof)):
                state, z = next_normal(state)
                chi2 += z * z
            k = k_hat * np.sqrt(dof / max(chi2, 1e-300))
        inflate = (1.0 + 2.0 * (m - 1.0) * theta / m + theta * theta) / (1.0 + theta * theta)
        state, z = next_normal(state)
        return state, mu_hat + k * np.sqrt(inflate / span) * z, k
    state, r = draw(kinds[0], params[0, 0], params[0, 1], params[0, 2], state)
    r = min(r, _MAX_DECLINE)
    if mode == DRIFT_EXPERIENCE:
        state, g = draw(kinds[1], params[1, 0], params[1, 1], params[1, 2], state)
        mu = np.log(1.0 - r) * np.log2(1.0 + max(g, 0.0))
    else:
        mu = np.log(1.0 - r)
    k = vol if vol >= 0.0 else 0.02 + 0.76 * abs(mu)  # Farmer & Lafond's prior K = 0.02 - 0.76 mu
    return state, mu, k


@njit(cache=True, parallel=True)
def simulate_paths(mode, kinds, params, fit, vol, theta, log_c0, horizon, log_target, n, seed, stream):
    """Log-cost paths (n, horizon + 1) from log_c0, and each sample's first step at or below
    log_target (horizon + 1 when it never gets there; NaN target: never).

    Yearly change = mu + sigma * (v_t + theta * v_{t-1}), sigma = K / sqrt(1 + theta^2): a random
    walk with drift (theta = 0) or Farmer & Lafond's moving-average noise.
    """
    paths = np.empty((n, horizon + 1))
    hits = np.empty(n, dtype=np.int64)
    base = stream_base(seed, stream)
    for i in prange(n):
        state = sample_state(base, i)
        state, mu, k = _drift_and_noise(mode, kinds, params, fit, vol, theta, state)
        sigma = k / np.sqrt(1.0 + theta * theta)
        state, v_prev = next_normal(state)
        y = log_c0
        paths[i, 0] = y
        hit = 0 if y <= log_target else horizon + 1
        for t in range(1, horizon + 1):
            state, v = next_normal(state)
            y += mu + sigma * (v + theta * v_prev)
            v_prev = v
            paths[i, t] = y
            if hit > horizon and y <= log_target:
                hit = t
        hits[i] = hit
    return paths, hits


@njit(cache=True, parallel=True)
def schedule_samples(kinds, params, streams, parent_ptr, parent_idx, n, seed):
    """Ready time of every capability (n, k) and the parent that made it late (-1: none).

    Capabilities are in topological order (parents first); parents of c are
    parent_idx[parent_ptr[c]:parent_ptr[c + 1]]. ready = max(parents' ready) + own duration.
    """
    k = kinds.shape[0]
    ready = np.empty((n, k))
    pred = np.empty((n, k), dtype=np.int64)
    bases = stream_bases(seed, streams)
    for i in prange(n):
        for c in range(k):
            start, late = 0.0, -1
            for e in range(parent_ptr[c], parent_ptr[c + 1]):
                p = parent_idx[e]
                if late < 0 or ready[i, p] > start:
                    start, late = ready[i, p], p
            state = sample_state(bases[c], i)
            state, years = draw(kinds[c], params[c, 0], params[c, 1], params[c, 2], state)
            ready[i, c] = start + years
            pred[i, c] = late
    return ready, pred


@njit(cache=True, parallel=True)
def gap_closing(ready, pred, gap_ptr, gap_idx):
    """Per gap: closing time in each sample (n, g; 0 with no capability) and, per capability,
    the number of samples in which it lies on the gap's critical path (g, k)."""
    n, k = ready.shape
    g = gap_ptr.shape[0] - 1
    close = np.zeros((n, g))
    counts = np.zeros((g, k), dtype=np.int64)
    for j in prange(g):
        for i in range(n):
            last = -1
            for e in range(gap_ptr[j], gap_ptr[j + 1]):
                c = gap_idx[e]
                if last < 0 or ready[i, c] > ready[i, last]:
                    last = c
            if last < 0:
                continue
            close[i, j] = ready[i, last]
            while last >= 0 and ready[i, last] > 0.0:  # what is ready at once delays nothing
                counts[j, last] += 1
                last = pred[i, last]
    return close, counts


@njit(cache=True, parallel=True)
def set_totals(costs, set_ptr, set_idx):
    """Per sample, the sum of costs (n, k) over each index set (CSR): (n, number of sets)."""
    n = costs.shape[0]
    s = set_ptr.shape[0] - 1
    out = np.zeros((n, s))
    for i in prange(n):
        for j in range(s):
            total = 0.0
            for e in range(set_ptr[j], set_ptr[j + 1]):
                total += costs[i, set_idx[e]]
            out[i, j] = total
    return out


@njit(cache=True, parallel=True)
def closed_within(costs, step_ptr, step_idx, budgets):
    """Mean number of steps completed within each budget when steps (CSR sets of columns of
    costs, paid in order) are funded one after another in every sample."""
    n = costs.shape[0]
    s = step_ptr.shape[0] - 1
    counts = np.zeros((n, budgets.shape[0]))
    for i in prange(n):
        spent, done = 0.0, 0
        for b in range(budgets.shape[0]):  # budgets ascend, so each sample walks the steps once
            while done < s:
                step = 0.0
                for e in range(step_ptr[done], step_ptr[done + 1]):
                    step += costs[i, step_idx[e]]
                if spent + step > budgets[b]:
                    break
                spent += step
                done += 1
            counts[i, b] = done
    out = np.zeros(budgets.shape[0])
    for b in range(budgets.shape[0]):
        out[b] = counts[:, b].mean()
    return out
