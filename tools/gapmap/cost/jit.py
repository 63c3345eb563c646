"""Where numba keeps the compiled cost kernels, and the copy a wheel ships so that a fresh install
does not spend its first run compiling them (#19: first `gapmap cost` <= 2 s, first build <= 8 s).

numba compiles a kernel on its first call (all of them: 10-15 s here) and caches the machine
code on disk. Two choices make that cache portable enough to ship: the kernels are compiled
for a *generic* CPU of the architecture (NUMBA_CPU_NAME=generic; measured by bench/cost.py, no
slower here, as the kernels are scalar code), and the cache is keyed by a hash of kernels.py's
content, not by where the package is installed or when its files were written. At wheel build
time (`_build_kernels.py`, run by setuptools when numba is importable) `seed()` compiles every
kernel signature the package calls into `_jit/kernels-<hash>/`; on first use the cache locator
below copies those files into the user's cache folder. A machine whose Python minor version,
numba version or architecture differs from the build's simply compiles on its first run, as
before. Set NUMBA_CPU_NAME yourself (e.g. to your CPU's name) to compile for your host instead.

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


def portable() -> None:
    """Ask numba for generic-CPU code, if numba has not started yet and the user chose nothing."""
    if "numba" not in sys.modules:
        os.environ.setdefault("NUMBA_CPU_NAME", "generic")


@lru_cache(maxsize=1)
def source_hash() -> str:
    return hashlib.sha256(KERNELS.read_bytes()).hexdigest()[:16]


def cache_root() -> Path:
    """NUMBA_CACHE_DIR when set (numba's own setting), else the user's cache folder."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gapmap"


def cache_dir() -> Path:
    return cache_root() / f"kernels-{source_hash()}"


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
    NUMBA_CACHE_DIR set to the wheel's _jit folder and NUMBA_CPU_NAME=generic)."""
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
