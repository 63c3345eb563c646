"""Results on disk under <KB>/.gapmap-cache/, keyed by a hash of their inputs and of this code.

A key covers the record JSON (or the slice of the map a result depends on), the settings and
CODE_VERSION — a hash of the cost package's own source — so editing a record or the models
recomputes exactly what changed. A cache that cannot be read or written is simply skipped.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from gapmap.core import progress
from gapmap.core.writes import write_atomic

CACHE_DIR = ".gapmap-cache"


@lru_cache(maxsize=8)
def source_version(folder: Path) -> str:
    """A hash of a package folder's own source: a result it computes is stale when it changes."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def code_version() -> str:
    return source_version(Path(__file__).parent)


def key(*parts) -> str:
    """A content hash of JSON-able parts (pydantic records: pass their model_dump())."""
    text = json.dumps([code_version(), *parts], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Cache:
    """get/put JSON values by (kind, key); `root` None disables it."""

    def __init__(self, root: Path | None):
        self.dir = Path(root) / CACHE_DIR if root is not None else None

    def _path(self, kind: str, k: str) -> Path:
        return self.dir / kind / f"{k}.json"

    def get(self, kind: str, k: str):
        if self.dir is None:
            return None
        try:
            value = json.loads(self._path(kind, k).read_text())
        except (OSError, ValueError):
            value = None
        progress.count("computed" if value is None else "from the result cache")
        return value

    def put(self, kind: str, k: str, value) -> None:
        if self.dir is None:
            return
        try:
            write_atomic(self._path(kind, k), json.dumps(value, separators=(",", ":")))
        except OSError:
            pass  # a read-only checkout still gets its results, just not kept

    def fetch(self, kind: str, k: str, compute):
        """The cached value, or compute() stored under the key."""
        value = self.get(kind, k)
        if value is None:
            value = compute()
            self.put(kind, k, value)
        return value


def kernels_on_disk() -> bool:
    """Whether numba has the cost kernels compiled on disk (if not, the first call compiles them:
    10-15 s). Asked without starting numba, so a run served from the result cache never does."""
    from gapmap.cost import jit

    return jit.compiled()


def cost_stage(name: str = "cost models"):
    """The progress stage of work that runs the kernels, named for the first-run compilation when
    numba will have to compile them."""
    if kernels_on_disk():
        return progress.stage(name)
    return progress.stage(f"compiling cost kernels (first run only), then {name}", announce=True)
