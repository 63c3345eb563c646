"""Maps for benchmarks: the imported gap-map.org export (real scale) and synthetic ones, each
named in the output; a missing input stops the bench instead of being replaced."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXPORT = REPO.parent / "shared" / "gapmap-export" / "2026-07-29"


def real_scale_map(workdir: Path | None = None) -> tuple[Path, str]:
    """(map folder, description) of the imported gap-map.org export; stops the bench, loudly,
    when the export is missing or will not import (no silent fallback to another map)."""
    if not EXPORT.is_dir():
        raise SystemExit(f"bench: the gap-map.org export is not at {EXPORT}; it is the input this bench "
                         "measures (the steering repository's shared/ folder beside this one)")
    workdir = Path(workdir or tempfile.mkdtemp(prefix="gapmap-bench-"))
    out = workdir / "gapmap-org"
    if not out.exists():
        done = subprocess.run([sys.executable, "-m", "gapmap", "import", "gapmap-org", str(EXPORT), "--out", str(out)],
                              capture_output=True, text=True)
        if not (out / "gaps").is_dir():
            raise SystemExit(f"bench: importing {EXPORT} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    print(f"bench: measuring the imported gap-map.org export of 2026-07-29 ({EXPORT})", file=sys.stderr)
    return out, "imported gap-map.org export (2026-07-29)"


def synthetic_map(n: int, workdir: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from synth import make_map  # noqa: E402

    out = workdir / f"synth-{n}"
    if not out.exists():
        make_map(n, out, seed=0)
    return out
