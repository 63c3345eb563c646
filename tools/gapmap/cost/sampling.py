"""Turn record distributions into kernel specs, and draw seeded samples from them.

A *spec* is `(kind, (a, b, c))` as `kernels.draw` reads it; a *stream* is the 64-bit key that
keeps each quantity's random numbers apart (derived from a record id and a purpose).
"""

from __future__ import annotations

import zlib

import numpy as np

from gapmap.cost import spec_codes
from gapmap.model.distributions import Fixed, Lognormal, Triangular, Uniform

MAX_SEED = 2**63 - 1


def spec(dist) -> tuple[int, tuple[float, float, float]]:
    """(kind code, three parameters) of a record distribution."""
    if isinstance(dist, Fixed):
        return spec_codes.FIXED, (dist.value, 0.0, 0.0)
    if isinstance(dist, Uniform):
        return spec_codes.UNIFORM, (dist.low, dist.high, 0.0)
    if isinstance(dist, Triangular):
        return spec_codes.TRIANGULAR, (dist.low, dist.mode, dist.high)
    if isinstance(dist, Lognormal):
        return spec_codes.LOGNORMAL, (dist.mu, dist.sigma, 0.0)
    raise TypeError(f"not a distribution: {dist!r}")


def spec_arrays(specs) -> tuple[np.ndarray, np.ndarray]:
    """Kind codes (k,) and parameters (k, 3) of a list of specs."""
    specs = list(specs)
    kinds = np.array([s[0] for s in specs], dtype=np.int64)
    params = np.array([s[1] for s in specs], dtype=np.float64).reshape(len(specs), 3)
    return kinds, params


def stream(*parts: str) -> int:
    """A stable 64-bit stream key for a record id and a purpose (e.g. 'cap-a', 'years')."""
    text = "\x1f".join(parts).encode()
    return (zlib.crc32(text) << 32) | zlib.adler32(text)


def check_seed(seed: int) -> int:
    if not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"seed must be between 0 and {MAX_SEED}")
    return int(seed)


def sample(dists, streams, n: int, seed: int = 0) -> np.ndarray:
    """(n, k) draws: column j from dists[j] on streams[j]."""
    from gapmap.cost import kernels  # numba starts only when a kernel runs

    kinds, params = spec_arrays(spec(d) for d in dists)
    keys = np.array(list(streams), dtype=np.uint64)
    return kernels.sample_specs(kinds, params, keys, int(n), check_seed(seed))


COLUMNS = 64  # columns per np.quantile call: its working copy of a wide array stays small


def quantiles(x: np.ndarray, qs, fill_inf: float | None = None) -> np.ndarray:
    """Quantiles of each column of x (n, m): (len(qs), m); with `fill_inf`, infinite values
    count as that number.

    A summary, not a Monte Carlo kernel: numpy's introselect along an axis beat a numba
    partial sort per column (0.6x in bench/cost.py), so it stays plain numpy, a block of
    columns at a time (np.quantile copies what it partitions: a whole samples x gaps array
    at 10x the imported map was 165 MB more at the peak).
    """
    x, qs = np.asarray(x, dtype=np.float64), np.asarray(qs, dtype=np.float64)
    if x.ndim != 2:
        return np.quantile(x if fill_inf is None else np.where(np.isinf(x), fill_inf, x), qs, axis=0)
    out = np.empty((len(qs), x.shape[1]))
    for lo in range(0, x.shape[1], COLUMNS):
        block = x[:, lo:lo + COLUMNS]
        out[:, lo:lo + COLUMNS] = np.quantile(block if fill_inf is None else np.where(np.isinf(block), fill_inf, block),
                                              qs, axis=0)
    return out
