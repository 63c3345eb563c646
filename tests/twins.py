"""Plain-Python and vectorised-numpy twins of the kernels, drawing the very same random numbers.

Tests check each kernel against its plain-Python twin; bench/cost.py times all three on the
same samples (it puts tests/ on its path). Nothing else uses this module.
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


def exp(x: float) -> float:
    """kernels.exp (fdlibm's algorithm, not libm's exp), one float at a time."""
    if x != x or x > K.EXP_MAX:
        return x if x != x else math.inf
    if x < K.EXP_MIN:
        return 0.0
    k = min(max(math.floor(x * K._LOG2E + 0.5), -1022), 1024)
    hi = x - k * K._LN2_HI
    lo = k * K._LN2_LO
    r = hi - lo
    t = r * r
    p = K.EXP_P
    c = r - t * (p[0] + t * (p[1] + t * (p[2] + t * (p[3] + t * p[4]))))
    y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    half = k // 2
    return y * 2.0**half * 2.0**(k - half)


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
        return exp(a + b * self.normal())


def py_sample_specs(kinds, params, streams, n, seed):
    return np.array([[PyRng(seed, int(s), i).draw(int(k), *map(float, p)) for k, p, s in zip(kinds, params, streams)]
                     for i in range(n)]).reshape(n, len(kinds))


def py_gamma(rng, a):
    boost = 1.0
    if a < 1.0:
        boost = (rng.uniform() + K.HALF_ULP) ** (1.0 / a)
        a += 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = rng.normal()
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        if math.log(rng.uniform() + K.HALF_ULP) < 0.5 * x * x + d - d * v + d * math.log(v):
            return d * v * boost


def np_gamma(rng, a):
    """The same rejection sampler for every sample at once: a sample's generator advances only
    while it is still rejecting."""
    n = rng.state.shape[0]
    boost = np.ones(n)
    if a < 1.0:
        boost = (rng.uniform() + K.HALF_ULP) ** (1.0 / a)
        a += 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    out = np.empty(n)
    todo = np.ones(n, dtype=bool)
    while todo.any():
        before = rng.state.copy()
        x = rng.normal()
        v = 1.0 + c * x
        ok = v > 0
        after_x = rng.state.copy()
        u = rng.uniform()
        rng.state = np.where(ok, rng.state, after_x)  # v <= 0: no uniform was drawn
        with np.errstate(invalid="ignore", divide="ignore"):
            v3 = v * v * v
            accept = ok & (np.log(u + K.HALF_ULP) < 0.5 * x * x + d - d * v3 + d * np.log(np.where(ok, v3, 1.0)))
        done = todo & accept
        out[done] = (d * v3 * boost)[done]
        rng.state = np.where(todo, rng.state, before)  # finished samples do not advance
        todo &= ~accept
    return out


def _fitted_drift(normal, fit, theta, gamma=None):
    """Fitted drift: (mu, K, v0) from a normal generator (scalar or array), as the kernel draws them."""
    mu_c, k_c, span, dof, w = fit
    k = k_c
    if dof > 0:
        k = k_c * np.sqrt(dof / np.maximum(2.0 * gamma(0.5 * dof), 1e-300))
    sigma = k / math.sqrt(1 + theta * theta)
    v0 = normal()
    z = normal()
    rest = math.sqrt(max(span - 1.0, 0.0) * (1 + theta) ** 2 + theta * theta)
    return mu_c - math.sqrt(w) * sigma / span * (v0 + rest * z), k, v0


def _py_drift(rng, mode, kinds, params, fit, vol, theta):
    if mode == K.DRIFT_FITTED:
        mu, k, v0 = _fitted_drift(rng.normal, fit, theta, lambda a: py_gamma(rng, a))
        return float(mu), float(k), float(v0)
    r = min(rng.draw(int(kinds[0]), *params[0]), 0.999999)
    mu = math.log(1 - r)
    if mode == K.DRIFT_EXPERIENCE:
        mu *= math.log2(1 + max(rng.draw(int(kinds[1]), *params[1]), 0.0))
    k = vol if vol >= 0 else K.K_PRIOR_A + K.K_PRIOR_B * abs(mu)
    return mu, k, rng.normal()


def py_simulate_paths(mode, kinds, params, fit, vol, theta, log_c0, horizon, log_target, n, seed, stream):
    paths, hits = np.empty((n, horizon + 1)), np.empty(n, dtype=np.int64)
    for i in range(n):
        rng = PyRng(seed, int(stream), i)
        mu, k, v_prev = _py_drift(rng, mode, kinds, params, fit, vol, theta)
        sigma = k / math.sqrt(1 + theta * theta)
        y = log_c0
        paths[i, 0], hit = y, (0 if y <= log_target else horizon + 1)
        for t in range(1, horizon + 1):
            v = rng.normal()
            y += mu + sigma * (v + theta * v_prev)
            v_prev, paths[i, t] = v, y
            if hit > horizon and y <= log_target:
                hit = t
        hits[i] = hit
    return paths, hits


def _tied(a, b):
    return a == b or abs(a - b) <= K.TIE * max(1.0, abs(b))


def py_ready(kinds, params, streams, exists, parent_ptr, parent_idx, n, seed):
    k = len(kinds)
    ready = np.zeros((n, k))
    for i in range(n):
        for c in range(k):
            if exists[c]:
                continue
            parents = list(parent_idx[parent_ptr[c]:parent_ptr[c + 1]])
            start = max([ready[i, p] for p in parents], default=0.0)
            ready[i, c] = start + PyRng(seed, int(streams[c]), i).draw(int(kinds[c]), *params[c])
    return ready


def py_closing(ready, gated, parent_ptr, parent_idx, gap_ptr, gap_idx):
    """(closing times (n, g), criticality counts (g, k)) by plain recursion over the DAG: every
    tied latest capability (or parent) takes an equal share of its child's weight."""
    n, k = ready.shape
    g = len(gap_ptr) - 1
    close, counts = np.zeros((n, g)), np.zeros((g, k))

    def walk(i, j, c, w, direct):
        counts[j, c] += w
        if direct and not _tied(gated[i, c], ready[i, c]):
            return
        parents = list(parent_idx[parent_ptr[c]:parent_ptr[c + 1]])
        start = max([ready[i, p] for p in parents], default=0.0)
        if start > 0:
            tied = [p for p in parents if _tied(ready[i, p], start)]
            for p in tied:
                walk(i, j, p, w / len(tied), False)

    for i in range(n):
        for j in range(g):
            caps = list(gap_idx[gap_ptr[j]:gap_ptr[j + 1]])
            if not caps:
                continue
            latest = max(gated[i, c] for c in caps)
            close[i, j] = latest
            if latest > 0:
                tied = [c for c in caps if _tied(gated[i, c], latest)]
                for c in tied:
                    walk(i, j, c, 1 / len(tied), True)
    return close, counts


def py_schedule(kinds, params, streams, exists, parent_ptr, parent_idx, gap_ptr, gap_idx, n, seed):
    ready = py_ready(kinds, params, streams, exists, parent_ptr, parent_idx, n, seed)
    return py_closing(ready, ready, parent_ptr, parent_idx, gap_ptr, gap_idx)


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
        return np.exp(a + b * self.normal())  # libm's, which differs from kernels.exp by at most an ulp


def np_sample_specs(kinds, params, streams, n, seed):
    with np.errstate(over="ignore"):
        return np.stack([NpRng(seed, int(s), n).draw(int(k), *p) for k, p, s in zip(kinds, params, streams)], axis=1)


def np_simulate_paths(mode, kinds, params, fit, vol, theta, log_c0, horizon, log_target, n, seed, stream):
    with np.errstate(over="ignore"):
        rng = NpRng(seed, int(stream), n)
        if mode == K.DRIFT_FITTED:
            mu, k, v0 = _fitted_drift(rng.normal, fit, theta, lambda a: np_gamma(rng, a))
            k = np.broadcast_to(k, (n,))
        else:
            mu = np.log(1 - np.minimum(rng.draw(int(kinds[0]), *params[0]), 0.999999))
            if mode == K.DRIFT_EXPERIENCE:
                mu = mu * np.log2(1 + np.maximum(rng.draw(int(kinds[1]), *params[1]), 0.0))
            k = np.full(n, vol) if vol >= 0 else K.K_PRIOR_A + K.K_PRIOR_B * np.abs(mu)
            v0 = rng.normal()
        sigma = k / np.sqrt(1 + theta * theta)
        v = np.empty((horizon + 1, n))
        v[0] = v0
        for t in range(1, horizon + 1):
            v[t] = rng.normal()
        steps = mu + sigma * (v[1:] + theta * v[:-1])
        paths = np.empty((n, horizon + 1))
        paths[:, 0] = log_c0
        paths[:, 1:] = log_c0 + np.cumsum(steps, axis=0).T
        below = paths <= log_target
        hits = np.where(below.any(axis=1), below.argmax(axis=1), horizon + 1)
    return paths, hits


def np_schedule(kinds, params, streams, exists, parent_ptr, parent_idx, gap_ptr, gap_idx, n, seed):
    k, g = len(kinds), len(gap_ptr) - 1
    years = np_sample_specs(kinds, params, streams, n, seed)
    ready = np.zeros((n, k))
    for c in range(k):
        if exists[c]:
            continue
        parents = parent_idx[parent_ptr[c]:parent_ptr[c + 1]]
        if len(parents):
            ready[:, c] = ready[:, parents].max(axis=1)
        ready[:, c] += years[:, c]
    close, counts = np.zeros((n, g)), np.zeros((g, k))
    tol = lambda x: K.TIE * np.maximum(1.0, np.abs(x))  # noqa: E731
    for j in range(g):
        caps = gap_idx[gap_ptr[j]:gap_ptr[j + 1]]
        if not len(caps):
            continue
        latest = ready[:, caps].max(axis=1)
        close[:, j] = latest
        weight = np.zeros((n, k))  # weight flows from children to parents, children first
        tied = np.abs(ready[:, caps] - latest[:, None]) <= tol(latest)[:, None]
        tied &= (latest > 0)[:, None]
        weight[:, caps] = tied / np.maximum(tied.sum(axis=1, keepdims=True), 1)
        for c in range(k - 1, -1, -1):
            w = weight[:, c]
            if not w.any():
                continue
            counts[j, c] += w.sum()
            parents = parent_idx[parent_ptr[c]:parent_ptr[c + 1]]
            if not len(parents):
                continue
            start = ready[:, parents].max(axis=1)
            tied = (np.abs(ready[:, parents] - start[:, None]) <= tol(start)[:, None]) & (start > 0)[:, None]
            weight[:, parents] += w[:, None] * tied / np.maximum(tied.sum(axis=1, keepdims=True), 1)
    return close, counts


def np_set_totals(costs, set_ptr, set_idx):
    return np.stack([costs[:, set_idx[set_ptr[j]:set_ptr[j + 1]]].sum(axis=1) for j in range(len(set_ptr) - 1)], axis=1)
