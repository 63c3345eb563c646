"""Speed of the cost kernels against the same models in vectorised numpy and plain Python.

Each kernel and its twins (tests/twins.py) draw the very same random numbers, so the ratios
compare the same work. Plain Python runs a slice of the samples (it is slow); rates are per
step, so they compare. Also: cold (compile) vs cached start of a fresh process, and the time
to recompute every model of the repository map at 20,000 samples with compiled kernels.
Run: python bench/cost.py [--kernels: the kernel table only]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

from gapmap.cost import kernels as K  # noqa: E402
import twins as T  # noqa: E402
from gapmap.load import load_map

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N, H, PY_N = 20000, 30, 300


def best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def random_dag(k: int, g: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    parents = [sorted(rng.choice(c, size=min(c, int(rng.integers(0, 4))), replace=False).tolist()) if c else [] for c in range(k)]
    gaps = [sorted(rng.choice(k, size=int(rng.integers(1, 5)), replace=False).tolist()) for _ in range(g)]
    ptr = lambda rows: np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)  # noqa: E731
    flat = lambda rows: np.array([i for r in rows for i in r], dtype=np.int64)  # noqa: E731
    kinds = np.full(k, K.TRIANGULAR)
    params = np.tile([2.0, 5.0, 15.0], (k, 1))
    exists = rng.random(k) < 0.1
    return kinds, params, np.arange(k, dtype=np.uint64), exists, ptr(parents), flat(parents), ptr(gaps), flat(gaps)


def cases():
    specs = (np.tile([2, 3], 32), np.tile([[0.1, 0.3, 0.5], [0.0, 0.5, 0.0]], (32, 1)), np.arange(64, dtype=np.uint64))
    stated = (K.DRIFT_STATED, np.array([2, 0]), np.array([[0.1, 0.3, 0.5], [0, 0, 0]]), np.zeros(5), -1.0, 0.0)
    fitted = (K.DRIFT_FITTED, np.array([0, 0]), np.zeros((2, 3)), np.array([-0.3, 0.2, 9.0, 3.0, 4.0]), -1.0, 0.63)
    dag = random_dag(369, 103)
    costs = np.random.default_rng(0).lognormal(17, 1, size=(N, 369))
    sets = [sorted(np.random.default_rng(j).choice(369, size=12, replace=False).tolist()) for j in range(120)]
    set_ptr = np.cumsum([0] + [len(s) for s in sets]).astype(np.int64)
    set_idx = np.array([i for s in sets for i in s], dtype=np.int64)

    def sched(impl_ready, n):
        if impl_ready == "numba":
            ready = K.schedule_samples(*dag[:6], n, 0)
            return K.gap_closing(ready, ready, dag[4], dag[5], *dag[6:])
        return (T.np_schedule if impl_ready == "numpy" else T.py_schedule)(*dag, n, 0)

    path_args = (np.log(100.0), H, np.log(5.0))
    return [  # name, steps per sample, {impl: fn(n)}
        ("sample (64 specs)", 64, {"numba": lambda n: K.sample_specs(*specs, n, 0),
                                   "numpy": lambda n: T.np_sample_specs(*specs, n, 0),
                                   "python": lambda n: T.py_sample_specs(*specs, n, 0)}),
        ("paths, stated drift (30 y)", H, {impl: (lambda f: lambda n: f(*stated, *path_args, n, 0, 1))(f)
                                            for impl, f in (("numba", K.simulate_paths), ("numpy", T.np_simulate_paths),
                                                            ("python", T.py_simulate_paths))}),
        ("paths, fitted + theta (30 y)", H, {impl: (lambda f: lambda n: f(*fitted, *path_args, n, 0, 1))(f)
                                              for impl, f in (("numba", K.simulate_paths), ("numpy", T.np_simulate_paths),
                                                              ("python", T.py_simulate_paths))}),
        ("schedule (369 caps, 103 gaps)", 369, {impl: (lambda i: lambda n: sched(i, n))(impl)
                                                for impl in ("numba", "numpy", "python")}),
        ("portfolio sums (120 sets)", len(set_idx), {"numba": lambda n: K.set_totals(costs[:n], set_ptr, set_idx),
                                                    "numpy": lambda n: T.np_set_totals(costs[:n], set_ptr, set_idx),
                                                    "python": lambda n: T.py_set_totals(costs[:n], set_ptr, set_idx)}),
    ]


def kernel_table() -> None:
    import numba

    threads = numba.get_num_threads()
    print(f"numba target: {numba.config.CPU_NAME or 'host'} {numba.config.CPU_FEATURES or ''} (gapmap.cost.jit picks it)")
    print(f"kernels at {N} samples (plain Python on {PY_N}); Msteps/s; numba on 1 thread and on all {threads}, "
          "then its speed-up over numpy on each (budget >= 5x on both)")
    print(f"{'kernel':32} {'numba 1':>9} {f'numba {threads}':>9} {'numpy':>9} {'python':>9} "
          f"{'1t/numpy':>9} {f'{threads}t/numpy':>9} {'x python':>9}")
    for name, steps, impls in cases():
        for fn in impls.values():
            fn(50)  # compile / warm
        rate = {}
        for impl, fn in impls.items():
            n = PY_N if impl == "python" else N
            rate[impl] = n * steps / best(lambda: fn(n), 1 if impl == "python" else 3) / 1e6
        numba.set_num_threads(1)
        try:
            one = N * steps / best(lambda: impls["numba"](N)) / 1e6
        finally:
            numba.set_num_threads(threads)
        py = rate.get("python")
        print(f"{name:32} {one:9.1f} {rate['numba']:9.1f} {rate['numpy']:9.1f} {py if py else float('nan'):9.2f} "
              f"{one / rate['numpy']:9.1f} {rate['numba'] / rate['numpy']:9.1f} "
              f"{rate['numba'] / py if py else float('nan'):9.0f}")
    rng = np.random.default_rng(0)
    own = best(lambda: np.cumsum(-0.2 + 0.15 * rng.standard_normal((H, N)), axis=0))
    print(f"(for scale: numpy's own generator, paths as one cumsum of standard normals: {N * H / own / 1e6:.1f} Msteps/s)")


def start_times() -> None:
    code = ("import numpy as np; from gapmap.cost import kernels as K; from gapmap.load import load_map; "
            "from gapmap.cost import compute_all; compute_all(load_map(%r), samples=200, use_cache=False)" % REPO)
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            walls.append(time.perf_counter() - t0)
    print(f"fresh process, import + load map + compute_all(200 samples): cold (compiling) {walls[0]:.1f} s, "
          f"cached kernels {statistics.median(walls[1:]):.2f} s  ({walls[0] / statistics.median(walls[1:]):.0f}x)")


def map_time() -> None:
    from gapmap.cost import compute_all

    kb = load_map(REPO)
    compute_all(kb, samples=200, use_cache=False)
    t = statistics.median(best(lambda: compute_all(kb, samples=N, use_cache=False), 1) for _ in range(3))
    with tempfile.TemporaryDirectory() as tmp:
        kb.root = __import__("pathlib").Path(tmp)  # a scratch result cache
        compute_all(kb, samples=N)
        cached = best(lambda: compute_all(kb, samples=N))
    n_cost = sum(1 for c in kb.capabilities.values() if c.cost)
    print(f"repository map ({n_cost} cost models, {len(kb.gaps)} gaps, {len(kb.capabilities)} capabilities, hindcasts): "
          f"compute_all at {N} samples, compiled kernels, no result cache: {t:.2f} s (budget 3 s); "
          f"with the result cache: {cached * 1000:.0f} ms")


if __name__ == "__main__":
    print(f"numba threads: {__import__('numba').get_num_threads()}, cores: {os.cpu_count()}")
    kernel_table()
    if "--kernels" in sys.argv:
        sys.exit(0)
    map_time()
    start_times()
