"""Numba kernels of the cost stage: arrays and scalars in, arrays out, every draw seeded.

A *spec* is a distribution as a kind code and three numbers — FIXED (value), UNIFORM (low,
high), TRIANGULAR (low, mode, high), LOGNORMAL (mu, sigma of the log) — and a *stream* is a
64-bit key (one per quantity, e.g. per capability). The random numbers of sample `i` are a
splitmix64 sequence started from (seed, stream, i), so a sample draws the same numbers whatever
the number of threads, and one capability's draws never depend on which others are computed.

The kernels that dominate the cost stage (sample_specs, simulate_paths, set_totals) compute
LANES samples side by side: their inner loops run across samples, which LLVM turns into SIMD
code when the CPU target has it (jit.py picks the best x86-64 level the machine supports). The
numbers are the same as one sample at a time, in the same order of operations.
"""

from __future__ import annotations

import numpy as np

from gapmap.cost import jit
from gapmap.cost.spec_codes import (  # noqa: F401 (re-exported: kernels.FIXED reads as before)
    DRIFT_EXPERIENCE, DRIFT_FITTED, DRIFT_STATED, FIXED, LOGNORMAL, TRIANGULAR, UNIFORM)

jit.portable()  # before numba starts: code for a named CPU level, so a wheel can ship it compiled
from llvmlite import ir  # noqa: E402
from numba import njit, prange, types  # noqa: E402
from numba.extending import intrinsic  # noqa: E402

jit.install()  # before the decorators below: where their compiled code is kept

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
_MAX_DECLINE = 0.999999  # a fraction per year below 1 keeps log(1 - r) finite
# Noise when only a drift is stated: K = K_PRIOR_A + K_PRIOR_B * |mu|, Farmer & Lafond's
# cross-technology relation (theirs: K = 0.02 - 0.76 mu on 53 technologies) refitted on pcdb-train
# as `python -m gapmap.cost.prior` prints it (tests/test_cost_prior.py re-fits and compares).
K_PRIOR_A, K_PRIOR_B = 0.051, 0.487


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
def _unit(state):
    """The uniform in [0, 1) a generator state stands for."""
    return np.float64(_mix(state) >> np.uint64(11)) * _TO_UNIT


@njit(inline="always")
def next_uniform(state):
    state = state + _GOLDEN
    return state, _unit(state)


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
def _central(p):
    q = p - 0.5
    r = q * q
    num = (((((PPF_A[0] * r + PPF_A[1]) * r + PPF_A[2]) * r + PPF_A[3]) * r + PPF_A[4]) * r + PPF_A[5]) * q
    return num / (((((PPF_B[0] * r + PPF_B[1]) * r + PPF_B[2]) * r + PPF_B[3]) * r + PPF_B[4]) * r + 1.0)


@njit(inline="always")
def _in_tail(p):
    return p < PPF_LOW or p > 1.0 - PPF_LOW


@njit(inline="always")
def normal_ppf(p):
    """The standard normal quantile of p in (0, 1)."""
    if p < PPF_LOW:
        q = np.sqrt(-2.0 * np.log(p))
        return _tail(q) / ((((PPF_D[0] * q + PPF_D[1]) * q + PPF_D[2]) * q + PPF_D[3]) * q + 1.0)
    if p > 1.0 - PPF_LOW:
        q = np.sqrt(-2.0 * np.log(1.0 - p))
        return -_tail(q) / ((((PPF_D[0] * q + PPF_D[1]) * q + PPF_D[2]) * q + PPF_D[3]) * q + 1.0)
    return _central(p)


@njit(inline="always")
def next_normal(state):
    """One standard normal by inversion of one uniform."""
    state, u = next_uniform(state)
    return state, normal_ppf(u + HALF_ULP)


@intrinsic
def _as_float(typingctx, bits):
    """The float64 whose IEEE bits are the uint64 `bits` (what C does with a union)."""
    if bits != types.uint64:
        return None
    return types.float64(bits), lambda context, builder, sig, args: builder.bitcast(args[0], ir.DoubleType())


# exp as fdlibm writes it (FreeBSD msun, e_exp.c: Cody-Waite reduction by ln 2, a degree-5
# minimax rational on |r| <= ln2/2; error < 1 ulp), in plain arithmetic so that LLVM vectorises
# it: libm's exp is a function call per lane. Results below 2**-1022 are flushed to zero.
EXP_P = (1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05,
         -1.65339022054652515390e-06, 4.13813679705723846039e-08)
_LOG2E, _LN2_HI, _LN2_LO = 1.4426950408889634, 6.93147180369123816490e-01, 1.90821492927058770002e-10
EXP_MAX, EXP_MIN = 709.782712893384, -708.3964185322641  # exp(EXP_MIN) = 2**-1022


@njit(inline="always")
def _pow2(k):
    return _as_float(np.uint64(np.int64(k) + 1023) << np.uint64(52))


@njit(inline="always")
def exp(x):
    k = min(max(np.floor(x * _LOG2E + 0.5), -1022.0), 1024.0)
    hi = x - k * _LN2_HI
    lo = k * _LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (EXP_P[0] + t * (EXP_P[1] + t * (EXP_P[2] + t * (EXP_P[3] + t * EXP_P[4]))))
    y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    half = np.floor(0.5 * k)  # 2**k in two factors, each a normal float for k in [-1022, 1024]
    y = y * _pow2(half) * _pow2(k - half)
    if x > EXP_MAX:
        y = np.inf
    if x < EXP_MIN:
        y = 0.0
    return y


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
    return state, exp(a + b * z)


LANES = 64  # samples computed side by side (a multiple of every SIMD width; a block fits in L1)


@njit(inline="always")
def _blocks(n):
    return (n + LANES - 1) // LANES


@njit(inline="always")
def _block(block, n):
    """The first sample of a block and how many of its lanes are samples below n."""
    i0 = block * LANES
    return i0, min(LANES, n - i0)


@njit(inline="always")
def _store(tile, out, i0, m):
    """Row r of tile (r, LANES) becomes column r of out's rows i0 .. i0 + m - 1."""
    for lane in range(m):
        for r in range(tile.shape[0]):
            out[i0 + lane, r] = tile[r, lane]


# The lane helpers below work on all LANES lanes, past n too: a fixed trip count, so LLVM
# vectorises the loops with no remainder code.
@njit(inline="always")
def uniforms(states, out):
    """next_uniform on every lane's state at once, into out."""
    for lane in range(LANES):
        states[lane] += _GOLDEN
        out[lane] = _unit(states[lane])


@njit(inline="always")
def normals(states, out, ps):
    """next_normal on every lane's state at once, into out (ps: scratch): the central
    formula for every lane in one vectorised pass, then the tail lanes (about 5%) one by one.
    The second loop stops after the last tail, so LLVM leaves it scalar and log runs only where
    it is needed (vectorised, it would compute log for every lane: 1.5x slower here, as would
    computing the tail formula in every lane with a vectorisable log)."""
    tails = 0
    for lane in range(LANES):
        states[lane] += _GOLDEN
        p = _unit(states[lane]) + HALF_ULP
        ps[lane] = p
        out[lane] = _central(p)
        tails += _in_tail(p)
    lane = 0
    while tails > 0:
        p = ps[lane]
        if _in_tail(p):
            out[lane] = normal_ppf(p)
            tails -= 1
        lane += 1


@njit(inline="always")
def draws(kind, a, b, c, states, out, ps):
    """draw() on every lane's state at once, into out (the same numbers, lane by lane; ps: scratch)."""
    if kind == FIXED:
        for lane in range(LANES):  # a loop, not out[:] = a: numba's slice assignment is slow per call
            out[lane] = a
    elif kind == UNIFORM:
        uniforms(states, out)
        for lane in range(LANES):
            out[lane] = a + (b - a) * out[lane]
    elif kind == TRIANGULAR:
        uniforms(states, out)
        if c <= a:
            for lane in range(LANES):
                out[lane] = a
            return
        split = (b - a) / (c - a)
        for lane in range(LANES):
            u = out[lane]
            left = u < split
            root = np.sqrt(u * (c - a) * (b - a) if left else (1.0 - u) * (c - a) * (c - b))
            out[lane] = a + root if left else c - root
    else:
        normals(states, out, ps)
        for lane in range(LANES):
            out[lane] = exp(a + b * out[lane])


@njit(cache=True, parallel=True)
def sample_specs(kinds, params, streams, n, seed, offset=0):
    """(n, k) draws: column j from spec j on stream j; row i is sample offset + i (so a large
    simulation can run in blocks of samples with the same numbers)."""
    k = kinds.shape[0]
    out = np.empty((n, k))
    bases = stream_bases(seed, streams)
    for block in prange(_blocks(n)):
        i0, m = _block(block, n)
        states = np.empty(LANES, dtype=np.uint64)
        scratch = np.empty(LANES)
        tile = np.empty((k, LANES))  # the block's draws spec by spec: stores run across samples
        for j in range(k):
            for lane in range(LANES):
                states[lane] = sample_state(bases[j], offset + i0 + lane)
            draws(kinds[j], params[j, 0], params[j, 1], params[j, 2], states, tile[j], scratch)
        _store(tile, out, i0, m)
    return out


@njit(cache=True)  # called once per sample: a call, not inlined code, so it compiles once
def next_gamma(a, state):
    """One Gamma(a, 1) draw (Marsaglia & Tsang 2000; a < 1 boosted by U^(1/a)): a chi-square with
    any real number of degrees of freedom nu is 2 * Gamma(nu / 2)."""
    boost = 1.0
    if a < 1.0:
        state, u = next_uniform(state)
        boost = (u + HALF_ULP) ** (1.0 / a)
        a += 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / np.sqrt(9.0 * d)
    while True:
        state, x = next_normal(state)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        state, u = next_uniform(state)
        if np.log(u + HALF_ULP) < 0.5 * x * x + d - d * v + d * np.log(v):
            return state, d * v * boost


@njit(cache=True)  # called once per sample: a call, not inlined code, so it compiles once
def _drift_and_noise(mode, kinds, params, fit, vol, theta, state):
    """Per-sample drift mu (log per year), noise sd K and the latest noise term v0.

    Stated and experience drifts: drawn from their specs, K stated or from the prior; v0 is
    independent of the drift. Fitted drift, fit = (mu_c, K_c, T, dof, w): K is K_c, or with dof > 0
    K_c * sqrt(dof / chi2_dof) (Student-t errors; dof need not be whole). Farmer & Lafond's drift estimate over T years
    has the error mu_hat - mu = (sigma / T) * (v0 + (1 + theta) * (v_-1 + ... ) + theta * v_-T),
    sigma = K / sqrt(1 + theta^2), and v0 is also the first lag of the noise to come: drawing the
    drift error with that very v0 keeps their covariance, so the forecast variance is exactly
    K^2 A* / (1 + theta^2) (eq. 13, m = T). w in (0, 1] shrinks the drift error's variance when
    mu_c is a pooled estimate (w = 1: Farmer & Lafond unchanged).
    """
    if mode == DRIFT_FITTED:
        mu_c, k_c, span, dof, w = fit[0], fit[1], fit[2], fit[3], fit[4]
        k = k_c
        if dof > 0:
            state, gam = next_gamma(0.5 * dof, state)
            k = k_c * np.sqrt(dof / max(2.0 * gam, 1e-300))
        sigma = k / np.sqrt(1.0 + theta * theta)
        state, v0 = next_normal(state)
        state, z = next_normal(state)
        rest = np.sqrt(max(span - 1.0, 0.0) * (1.0 + theta) ** 2 + theta * theta)
        mu = mu_c - np.sqrt(w) * sigma / span * (v0 + rest * z)
        return state, mu, k, v0
    state, r = draw(kinds[0], params[0, 0], params[0, 1], params[0, 2], state)
    r = min(r, _MAX_DECLINE)
    if mode == DRIFT_EXPERIENCE:
        state, g = draw(kinds[1], params[1, 0], params[1, 1], params[1, 2], state)
        mu = np.log(1.0 - r) * np.log2(1.0 + max(g, 0.0))
    else:
        mu = np.log(1.0 - r)
    k = vol if vol >= 0.0 else K_PRIOR_A + K_PRIOR_B * abs(mu)
    state, v0 = next_normal(state)
    return state, mu, k, v0


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
    for block in prange(_blocks(n)):
        i0, m = _block(block, n)
        states = np.empty(LANES, dtype=np.uint64)
        lanes = np.empty((6, LANES))
        mu, sigma, v_prev, v, y, scratch = lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5]
        hit = np.empty(LANES, dtype=np.int64)
        tile = np.empty((horizon + 1, LANES))  # the block's paths, year by year: stores run across samples
        tile[0] = log_c0
        for lane in range(LANES):  # the drift draw can reject and redraw: one sample at a time
            state, mu[lane], k, v_prev[lane] = np.uint64(0), 0.0, 0.0, 0.0  # lanes past n: a flat path
            if lane < m:
                state = sample_state(base, i0 + lane)
                state, mu[lane], k, v_prev[lane] = _drift_and_noise(mode, kinds, params, fit, vol, theta, state)
            states[lane] = state
            sigma[lane] = k / np.sqrt(1.0 + theta * theta)
            y[lane] = log_c0
            hit[lane] = 0 if log_c0 <= log_target else horizon + 1
        for t in range(1, horizon + 1):  # every loop over lanes runs all LANES: a fixed count
            normals(states, v, scratch)
            for lane in range(LANES):
                y[lane] += mu[lane] + sigma[lane] * (v[lane] + theta * v_prev[lane])
                v_prev[lane] = v[lane]
                tile[t, lane] = y[lane]
                if hit[lane] > horizon and y[lane] <= log_target:
                    hit[lane] = t
        _store(tile, paths, i0, m)
        hits[i0:i0 + m] = hit[:m]
    return paths, hits


@njit(cache=True, parallel=True)
def schedule_samples(kinds, params, streams, exists, parent_ptr, parent_idx, n, seed, offset=0):
    """Ready time of every capability (n, k); row i is sample offset + i.

    Capabilities are in topological order (parents first); parents of c are
    parent_idx[parent_ptr[c]:parent_ptr[c + 1]]. ready = max(parents' ready) + own duration,
    except that a capability that exists already (exists[c]) is ready at 0 whatever it requires.
    """
    k = kinds.shape[0]
    ready = np.empty((n, k))
    bases = stream_bases(seed, streams)
    for i in prange(n):
        for c in range(k):
            if exists[c]:
                ready[i, c] = 0.0
                continue
            start = 0.0
            for e in range(parent_ptr[c], parent_ptr[c + 1]):
                start = max(start, ready[i, parent_idx[e]])
            state = sample_state(bases[c], offset + i)
            state, years = draw(kinds[c], params[c, 0], params[c, 1], params[c, 2], state)
            ready[i, c] = start + years
    return ready


TIE = 1e-9  # ready times this close (relative) are tied


@njit(inline="always")
def _tied(a, b):
    return a == b or abs(a - b) <= TIE * max(1.0, abs(b))


@njit(cache=True, parallel=True)
def gap_closing(ready, gated, parent_ptr, parent_idx, gap_ptr, gap_idx):
    """Per gap: closing time in each sample (n, g; 0 with no capability, inf: never) and, per
    capability, its criticality count (g, k): the share of each sample's critical path it holds.

    gated (n, k) is when each capability is usable by a gap: its ready time, or later when its
    cost must first fall to a target (inf: not within the horizon). The gap closes at the latest
    gated time of its capabilities. The critical path runs back from the latest capability through
    its latest parents; capabilities tied for latest share the sample's weight equally. A
    capability that waits for its cost is critical but its prerequisites are not (they were ready
    sooner); what is ready at once (0) delays nothing.
    """
    n, k = ready.shape
    g = gap_ptr.shape[0] - 1
    close = np.zeros((n, g))
    counts = np.zeros((g, k))
    cap = parent_idx.shape[0] + k + 1
    for j in prange(g):
        stack = np.empty(cap, dtype=np.int64)
        weight = np.empty(cap)
        direct = np.empty(cap, dtype=np.bool_)
        for i in range(n):
            lo, hi = gap_ptr[j], gap_ptr[j + 1]
            if lo == hi:
                continue
            latest = gated[i, gap_idx[lo]]
            for e in range(lo + 1, hi):
                latest = max(latest, gated[i, gap_idx[e]])
            close[i, j] = latest
            if not latest > 0.0:
                continue
            ties = 0
            for e in range(lo, hi):
                if _tied(gated[i, gap_idx[e]], latest):
                    ties += 1
            top = 0
            for e in range(lo, hi):
                c = gap_idx[e]
                if _tied(gated[i, c], latest):
                    stack[top], weight[top], direct[top] = c, 1.0 / ties, True
                    top += 1
            while top > 0:
                top -= 1
                c, w = stack[top], weight[top]
                counts[j, c] += w
                if direct[top] and not _tied(gated[i, c], ready[i, c]):
                    continue  # it waits for its cost: its prerequisites were ready in time
                start = 0.0
                for e in range(parent_ptr[c], parent_ptr[c + 1]):
                    start = max(start, ready[i, parent_idx[e]])
                if not start > 0.0:
                    continue
                ties = 0
                for e in range(parent_ptr[c], parent_ptr[c + 1]):
                    if _tied(ready[i, parent_idx[e]], start):
                        ties += 1
                for e in range(parent_ptr[c], parent_ptr[c + 1]):
                    p = parent_idx[e]
                    if _tied(ready[i, p], start):
                        if top < cap:
                            stack[top], weight[top], direct[top] = p, w / ties, False
                            top += 1
                        else:  # a pathological number of tied paths: the rest goes to one parent
                            weight[top - 1] += w / ties
    return close, counts


@njit(cache=True, parallel=True)
def set_totals(costs, set_ptr, set_idx):
    """Per sample, the sum of costs (n, k) over each index set (CSR): (n, number of sets)."""
    n, k = costs.shape
    s = set_ptr.shape[0] - 1
    out = np.zeros((n, s))
    for block in prange(_blocks(n)):
        i0, m = _block(block, n)
        # the block's costs column by column, so that sums run across samples; lanes past n stay
        # 0, and every loop over lanes runs all LANES of them (a fixed count: no remainder code)
        columns = np.zeros((k, LANES))
        for c in range(k):
            for lane in range(m):
                columns[c, lane] = costs[i0 + lane, c]
        total = np.empty(LANES)
        for j in range(s):
            for lane in range(LANES):
                total[lane] = 0.0
            for e in range(set_ptr[j], set_ptr[j + 1]):
                c = set_idx[e]
                for lane in range(LANES):
                    total[lane] += columns[c, lane]
            for lane in range(m):
                out[i0 + lane, j] = total[lane]
    return out


@njit(cache=True, parallel=True)
def closed_within(costs, step_ptr, step_idx, budgets, closes):
    """Mean number of steps that close within each budget when steps (CSR sets of columns of
    costs, paid in order) are funded one after another in every sample; a funded step counts
    only where closes[i, step] (in that sample it also reaches its cost targets in time)."""
    n = costs.shape[0]
    s = step_ptr.shape[0] - 1
    counts = np.zeros((n, budgets.shape[0]))
    for i in prange(n):
        spent, done, closed = 0.0, 0, 0
        for b in range(budgets.shape[0]):  # budgets ascend, so each sample walks the steps once
            while done < s:
                step = 0.0
                for e in range(step_ptr[done], step_ptr[done + 1]):
                    step += costs[i, step_idx[e]]
                if spent + step > budgets[b]:
                    break
                spent += step
                if closes[i, done]:
                    closed += 1
                done += 1
            counts[i, b] = closed
    out = np.zeros(budgets.shape[0])
    for b in range(budgets.shape[0]):
        out[b] = counts[:, b].mean()
    return out
