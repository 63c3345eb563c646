"""Maps for benchmarks: the imported gap-map.org export (real scale) or a synthetic one."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXPORT = REPO.parent / "shared" / "gapmap-export" / "2026-07-29"


def real_scale_map(workdir: Path | None = None) -> tuple[Path, str]:
    """(map folder, description): the imported export if `gapmap import` works, else synthetic."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="gapmap-bench-"))
    out = workdir / "gapmap-org"
    if not out.exists() and EXPORT.is_dir():
        done = subprocess.run([sys.executable, "-m", "gapmap", "import", "gapmap-org", str(EXPORT), "--out", str(out)],
                              capture_output=True, text=True)
        if done.returncode == 0:
            return out, "imported gap-map.org export (2026-07-29)"
    elif out.exists():
        return out, "imported gap-map.org export (2026-07-29)"
    return synthetic_map(1572, workdir), "synthetic map of 1,572 records (import unavailable)"


def synthetic_map(n: int, workdir: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from synth import make_map  # noqa: E402

    out = workdir / f"synth-{n}"
    if not out.exists():
        make_map(n, out, seed=0)
    return out
