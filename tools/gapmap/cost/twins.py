"""Plain-Python and vectorised-numpy twins of the kernels, drawing the very same random numbers.

Tests check each kernel against its plain-Python twin; bench/cost.py times all three on the
same samples. Nothing else uses this module.
"""

from __future__ import annotations

import math

import numpy as np

from gapmap.cost import kernels as K

_MASK = (1 << 64) - 1
_G, _M1, _M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


# ---- plain Python -------------------------------------------------------------------------

def _poly(coefs, x):
    """Horner's rule, in the kernels' order of operations (so results agree to the last bit)."""
    acc = coefs[0]
    for c in coefs[1:]:
        acc = acc * x + c
    return acc


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


class PyRng:
    """The kernels' generator for one sample, one number at a time."""

    def __init__(self, seed: int, stream: int, i: int):
        z = _mix((seed + _G) & _MASK)
        z = _mix(z ^ stream)
        self.state = _mix(z ^ ((i * _G) & _MASK))

    def uniform(self) -> float:
        self.state = (self.state + _G) & _MASK
        return (_mix(self.state) >> 11) * 2.0**-53

    def normal(self) -> float:
        p = self.uniform() + K.HALF_ULP
        if p < K.PPF_LOW or p > 1.0 - K.PPF_LOW:
            q = math.sqrt(-2.0 * math.log(p if p < 0.5 else 1.0 - p))
            x = _poly(K.PPF_C, q) / (_poly(K.PPF_D, q) * q + 1.0)
            return x if p < 0.5 else -x
        q = p - 0.5
        r = q * q
        return _poly(K.PPF_A, r) * q / (_poly(K.PPF_B, r) * r + 1.0)

    def draw(self, kind: int, a: float, b: float, c: float) -> float:
        if kind == K.FIXED:
            return a
        if kind == K.UNIFORM:
            return a + (b - a) * self.uniform()
        if kind == K.TRIANGULAR:
            u = self.uniform()
            if c <= a:
                return a
            if u < (b - a) / (c - a):
                return a + math.sqrt(u * (c - a) * (b - a))
            return c - math.sqrt((1.0 - u) * (c - a) * (c - b))
        return math.exp(a + b * self.normal())


def py_sample_specs(kinds, params, streams, n, seed):
    return np.array([[PyRng(seed, int(s), i).draw(int(k), *map(float, p)) for k, p, s in zip(kinds, params, streams)]
                     for i in range(n)]).reshape(n, len(kinds))


def _py_drift(rng, mode, kinds, params, fit, vol, theta):
    if mode == K.DRIFT_FITTED:
        mu_hat, k_hat, span, dof, m = fit
        k = k_hat
        if dof > 0:
            k = k_hat * math.sqrt(dof / max(sum(rng.normal() ** 2 for _ in range(int(dof))), 1e-300))
        inflate = (1 + 2 * (m - 1) * theta / m + theta * theta) / (1 + theta * theta)
        return mu_hat + k * math.sqrt(inflate / span) * rng.normal(), k
    r = min(rng.draw(int(kinds[0]), *params[0]), 0.999999)
    mu = math.log(1 - r)
    if mode == K.DRIFT_EXPERIENCE:
        mu *= math.log2(1 + max(rng.draw(int(kinds[1]), *params[1]), 0.0))
    return mu, (vol if vol >= 0 else 0.02 + 0.76 * abs(mu))


def py_simulate_paths(mode, kinds, params, fit, vol, theta, log_c0, horizon, log_target, n, seed, stream):
    paths, hits = np.empty((n, horizon + 1)), np.empty(n, dtype=np.int64)
    for i in range(n):
        rng = PyRng(seed, int(stream), i)
        mu, k = _py_drift(rng, mode, kinds, params, fit, vol, theta)
        sigma = k / math.sqrt(1 + theta * theta)
        v_prev, y = rng.normal(), log_c0
        paths[i, 0], hit = y, (0 if y <= log_target else horizon + 1)
        for t in range(1, horizon + 1):
            v = rng.normal()
            y += mu + sigma * (v + theta * v_prev)
            v_prev, paths[i, t] = v, y
            if hit > horizon and y <= log_target:
                hit = t
        hits[i] = hit
    return paths, hits


def py_schedule(kinds, params, streams, parent_ptr, parent_idx, gap_ptr, gap_idx, n, seed):
    """(closing times (n, g), critical-path counts (g, k)) by plain recursion over the DAG."""
    k, g = len(kinds), len(gap_ptr) - 1
    close, counts = np.zeros((n, g)), np.zeros((g, k), dtype=np.int64)
    for i in range(n):
        ready, pred = [0.0] * k, [-1] * k
        for c in range(k):
            parents = list(parent_idx[parent_ptr[c]:parent_ptr[c + 1]])
            late = max(parents, key=lambda p: ready[p]) if parents else -1  # first of equals wins
            years = PyRng(seed, int(streams[c]), i).draw(int(kinds[c]), *params[c])
            ready[c], pred[c] = (ready[late] if late >= 0 else 0.0) + years, late
        for j in range(g):
            caps = list(gap_idx[gap_ptr[j]:gap_ptr[j + 1]])
            if not caps:
                continue
            last = max(caps, key=lambda c: ready[c])
            close[i, j] = ready[last]
            while last >= 0 and ready[last] > 0:
                counts[j, last] += 1
                last = pred[last]
    return close, counts


def py_set_totals(costs, set_ptr, set_idx):
    return np.array([[sum(row[set_idx[e]] for e in range(set_ptr[j], set_ptr[j + 1])) for j in range(len(set_ptr) - 1)]
                     for row in costs]).reshape(len(costs), len(set_ptr) - 1)


# ---- vectorised numpy: all samples at once, one pass per operation -----------------------

def _np_mix(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


class NpRng:
    """The kernels' generator for samples 0..n-1 of one stream, as uint64 arrays."""

    def __init__(self, seed: int, stream: int, n: int):
        with np.errstate(over="ignore"):
            z = _np_mix(np.uint64((seed + _G) & _MASK))
            z = _np_mix(z ^ np.uint64(stream))
            self.state = _np_mix(z ^ (np.arange(n, dtype=np.uint64) * np.uint64(_G)))

    def uniform(self):
        self.state = self.state + np.uint64(_G)
        return (_np_mix(self.state) >> np.uint64(11)).astype(np.float64) * 2.0**-53

    def normal(self):
        p = self.uniform() + K.HALF_ULP
        q = p - 0.5
        r = q * q
        x = _poly(K.PPF_A, r) * q / (_poly(K.PPF_B, r) * r + 1.0)
        tails = np.flatnonzero((p < K.PPF_LOW) | (p > 1.0 - K.PPF_LOW))
        if tails.size:
            pt = p[tails]
            lower = pt < 0.5
            qt = np.sqrt(-2.0 * np.log(np.where(lower, pt, 1.0 - pt)))
            xt = _poly(K.PPF_C, qt) / (_poly(K.PPF_D, qt) * qt + 1.0)
            x[tails] = np.where(lower, xt, -xt)
        return x

    def draw(self, kind: int, a: float, b: float, c: float):
        if kind == K.FIXED:
            return np.full(self.state.shape, a)
        if kind == K.UNIFORM:
            return a + (b - a) * self.uniform()
        if kind == K.TRIANGULAR:
            u = self.uniform()
            if c <= a:
                return np.full(u.shape, a)
            left = a + np.sqrt(u * (c - a) * (b - a))
            right = c - np.sqrt((1.0 - u) * (c - a) * (c - b))
            return np.where(u < (b - a) / (c - a), left, right)
        return np.exp(a + b * self.normal())


def np_sample_specs(kinds, params, streams, n, seed):
    with np.errstate(over="ignore"):
        return np.stack([NpRng(seed, int(s), n).draw(int(k), *p) for k, p, s in zip(kinds, params, streams)], axis=1)


def np_simulate_paths(mode, kinds, params, fit, vol, theta, log_c0, horizon, log_target, n, seed, stream):
    with np.errstate(over="ignore"):
        rng = NpRng(seed, int(stream), n)
        if mode == K.DRIFT_FITTED:
            mu_hat, k_hat, span, dof, m = fit
            k = np.full(n, k_hat)
            if dof > 0:
                chi2 = sum(rng.normal() ** 2 for _ in range(int(dof)))
                k = k_hat * np.sqrt(dof / np.maximum(chi2, 1e-300))
            inflate = (1 + 2 * (m - 1) * theta / m + theta * theta) / (1 + theta * theta)
            mu = mu_hat + k * np.sqrt(inflate / span) * rng.normal()
        else:
            mu = np.log(1 - np.minimum(rng.draw(int(kinds[0]), *params[0]), 0.999999))
            if mode == K.DRIFT_EXPERIENCE:
                mu = mu * np.log2(1 + np.maximum(rng.draw(int(kinds[1]), *params[1]), 0.0))
            k = np.full(n, vol) if vol >= 0 else 0.02 + 0.76 * np.abs(mu)
        sigma = k / np.sqrt(1 + theta * theta)
        v = np.empty((horizon + 1, n))
        for t in range(horizon + 1):
            v[t] = rng.normal()
        steps = mu + sigma * (v[1:] + theta * v[:-1])
        paths = np.empty((n, horizon + 1))
        paths[:, 0] = log_c0
        paths[:, 1:] = log_c0 + np.cumsum(steps, axis=0).T
        below = paths <= log_target
        hits = np.where(below.any(axis=1), below.argmax(axis=1), horizon + 1)
    return paths, hits


def np_schedule(kinds, params, streams, parent_ptr, parent_idx, gap_ptr, gap_idx, n, seed):
    k, g = len(kinds), len(gap_ptr) - 1
    years = np_sample_specs(kinds, params, streams, n, seed)
    ready, pred = np.zeros((n, k)), np.full((n, k), -1)
    for c in range(k):
        parents = parent_idx[parent_ptr[c]:parent_ptr[c + 1]]
        if len(parents):
            late = parents[np.argmax(ready[:, parents], axis=1)]
            ready[:, c], pred[:, c] = ready[np.arange(n), late], late
        ready[:, c] += years[:, c]
    close, counts = np.zeros((n, g)), np.zeros((g, k), dtype=np.int64)
    rows = np.arange(n)
    for j in range(g):
        caps = gap_idx[gap_ptr[j]:gap_ptr[j + 1]]
        if not len(caps):
            continue
        last = caps[np.argmax(ready[:, caps], axis=1)]
        close[:, j] = ready[rows, last]
        alive = np.ones(n, dtype=bool)
        while alive.any():  # walk every sample's critical chain back one step at a time
            alive &= (last >= 0)
            alive[alive] &= ready[rows[alive], last[alive]] > 0
            np.add.at(counts[j], last[alive], 1)
            last = np.where(alive, pred[rows, np.maximum(last, 0)], -1)
    return close, counts


def np_set_totals(costs, set_ptr, set_idx):
    return np.stack([costs[:, set_idx[set_ptr[j]:set_ptr[j + 1]]].sum(axis=1) for j in range(len(set_ptr) - 1)], axis=1)
