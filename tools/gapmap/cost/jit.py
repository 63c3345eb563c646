"""Where numba keeps the compiled cost kernels, and the copy a wheel ships so that a fresh install
does not spend its first run compiling them (#19: first `gapmap cost` <= 2 s, first build <= 8 s).

numba compiles a kernel on its first call (all of them: 10-15 s here) and caches the machine
code on disk. Two choices make that cache portable enough to ship. The kernels are compiled for
a named *level* of the architecture, not for the exact host CPU: on x86-64 the best of
x86-64-v4 (AVX-512), x86-64-v3 (AVX2, FMA) and generic that the machine supports, elsewhere
generic (NUMBA_CPU_NAME and NUMBA_CPU_FEATURES, set before numba starts). The level matters:
the kernels' inner loops run across samples, and AVX-512 makes them 2-3x faster than generic
SSE2 code (`python bench/cost.py --kernels`). And the cache is keyed by a hash of kernels.py's
content and the level, not by where the package is installed or when its files were written.
At wheel build time (`_build_kernels.py`, run by setuptools when numba is importable) `seed()`
compiles every kernel signature the package calls, once per level the build machine can run,
into `_jit/kernels-<hash>-<level>/`; on first use the cache locator below copies the user's
level into their cache folder. A machine whose Python minor version, numba version or
architecture differs from the build's simply compiles on its first run, as before. Set
NUMBA_CPU_NAME yourself (e.g. to your CPU's name) to compile for your host instead.

The locator plugs into numba's cache machinery (`CacheImpl._locator_classes`, not a public
API); when numba moves it, `install()` leaves numba's own locators in place and nothing else
changes but the first run's compile.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from functools import lru_cache
from pathlib import Path

KERNELS = Path(__file__).with_name("kernels.py")
SHIPPED = Path(__file__).with_name("_jit")


_X86_V3 = {"cx16", "sahf", "popcnt", "sse3", "sse4.1", "sse4.2", "ssse3",  # v2, and v3's own:
           "avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave"}
# (level, the CPU features it needs, NUMBA_CPU_FEATURES with it), best first. LLVM's v4 prefers
# 256-bit vectors (early AVX-512 chips slowed their clock for 512-bit ones); the kernels run
# 1.5x faster here with 512-bit vectors, so v4 asks for them.
X86_LEVELS = (
    ("x86-64-v4", _X86_V3 | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}, "-prefer-256-bit"),
    ("x86-64-v3", _X86_V3, ""),
)
GENERIC = ("generic", "")


def levels(triple: str, features: set[str]) -> list[tuple[str, str]]:
    """The (NUMBA_CPU_NAME, NUMBA_CPU_FEATURES) a machine can run, best first; generic always."""
    found = [(name, extra) for name, needs, extra in X86_LEVELS
             if triple.startswith(("x86_64", "amd64")) and needs <= features]
    return [*found, GENERIC]


@lru_cache(maxsize=1)
def host_levels() -> list[tuple[str, str]]:
    import llvmlite.binding as ll  # 20 ms, without starting numba

    features = ll.get_host_cpu_features()
    return levels(ll.get_process_triple(), {k for k in features if features[k]})


def portable() -> None:
    """Ask numba for code of the best level this machine runs, if numba has not started yet and
    the user chose no CPU."""
    if "numba" in sys.modules or "NUMBA_CPU_NAME" in os.environ:
        return
    name, extra = host_levels()[0]
    os.environ["NUMBA_CPU_NAME"] = name
    os.environ.setdefault("NUMBA_CPU_FEATURES", extra)


def level() -> str:
    """The CPU numba compiles for (`host` when it was left to numba), a part of cache_dir();
    known without starting numba, so that a run served from the result cache never does."""
    if "numba" in sys.modules:
        from numba.core import config

        return config.CPU_NAME or "host"
    return os.environ.get("NUMBA_CPU_NAME") or host_levels()[0][0]


@lru_cache(maxsize=1)
def source_hash() -> str:
    return hashlib.sha256(KERNELS.read_bytes()).hexdigest()[:16]


def cache_root() -> Path:
    """NUMBA_CACHE_DIR when set (numba's own setting), else the user's cache folder."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gapmap"


def cache_dir() -> Path:
    return cache_root() / f"kernels-{source_hash()}-{level()}"


def compiled() -> bool:
    """Whether the kernels are compiled on disk (or shipped, to be copied there on first use)."""
    return any(cache_dir().glob("*.nbi")) or any((SHIPPED / cache_dir().name).glob("*.nbi"))


def _copy_shipped(target: Path) -> None:
    """Copy the wheel's compiled kernels in, data files before indexes (a process reading at the
    same time sees an index only once its data is there); never over a file already present."""
    shipped = SHIPPED / target.name
    if not shipped.is_dir():
        return
    for suffix in (".nbc", ".nbi"):
        for src in shipped.glob(f"*{suffix}"):
            dst = target / src.name
            if dst.exists():
                continue
            tmp = target / f".{src.name}.{os.getpid()}.tmp"
            shutil.copyfile(src, tmp)
            os.replace(tmp, dst)


def _locator_class():
    from numba.core import caching

    base = getattr(caching, "_CacheLocator", None) or caching.CacheLocator

    class KernelCacheLocator(base):
        """The cache of kernels.py's functions: cache_dir(), stamped with the source's hash."""

        def __init__(self, py_func, py_file):
            self._lineno = py_func.__code__.co_firstlineno
            self._path = cache_dir()

        def get_cache_path(self):
            return str(self._path)

        def get_source_stamp(self):
            return source_hash()

        def get_disambiguator(self):
            return str(self._lineno)

        @classmethod
        def from_function(cls, py_func, py_file):
            if Path(py_file).resolve() != KERNELS.resolve():
                return None
            self = cls(py_func, py_file)
            try:
                self.ensure_cache_path()
                _copy_shipped(self._path)
            except OSError:
                return None  # numba's own locators take over
            return self

    return KernelCacheLocator


def install() -> None:
    """Put the kernel locator first in numba's list (before kernels.py's decorators run)."""
    try:
        from numba.core import caching

        impl = getattr(caching, "_CacheImpl", None) or caching.CacheImpl
        if not any(c.__name__ == "KernelCacheLocator" for c in impl._locator_classes):
            impl._locator_classes = [_locator_class(), *impl._locator_classes]
    except (ImportError, AttributeError):
        pass


def seed() -> Path:
    """Compile every kernel signature the package calls into cache_dir() (run with
    NUMBA_CACHE_DIR set to the wheel's _jit folder, once per level in host_levels())."""
    import numpy as np

    from gapmap.cost import kernels as K

    ints, floats = np.zeros(1, dtype=np.int64), np.zeros((1, 3))
    keys, flags = np.zeros(1, dtype=np.uint64), np.zeros(1, dtype=np.bool_)
    ptr, idx = np.array([0, 0], dtype=np.int64), np.zeros(0, dtype=np.int64)
    K.stream_bases(0, keys)
    K.sample_specs(ints, floats, keys, 1, 0)
    K.sample_specs(ints, floats, keys, 1, 0, 0)
    K.simulate_paths(K.DRIFT_FITTED, ints, floats, np.zeros(5), -1.0, 0.0, 0.0, 1, np.nan, 1, 0, np.uint64(0))
    K.schedule_samples(ints, floats, keys, flags, ptr, idx, 1, 0, 0)
    ready = np.zeros((1, 1))
    K.gap_closing(ready, ready, ptr, idx, np.array([0, 1], dtype=np.int64), ints)
    K.set_totals(ready, ptr, idx)
    K.closed_within(ready, ptr, idx, np.zeros(1), np.ones((1, 1), dtype=np.bool_))
    return cache_dir()
