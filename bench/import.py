"""Wall time of `gapmap import gapmap-org` on the real export, and of `gapmap validate` on the
map it writes, each the median of a few runs of the command line (start-up included).

Run: python bench/import.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _maps import EXPORT

RUNS = 5


def wall(make_cmd) -> tuple[float, int]:
    """Median wall time of RUNS runs of make_cmd(run number), and the last exit status."""
    times, rc = [], 0
    for i in range(RUNS):
        cmd = make_cmd(i)
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - t0)
    return statistics.median(times), rc


def main() -> None:
    gapmap = shutil.which("gapmap") or None
    base = [gapmap] if gapmap else [sys.executable, "-m", "gapmap"]
    with tempfile.TemporaryDirectory(prefix="gapmap-bench-import-") as tmp:
        fresh = [Path(tmp) / f"kb{i}" for i in range(RUNS)]
        imported, rc_import = wall(lambda i: base + ["import", "gapmap-org", str(EXPORT), "--out", str(fresh[i])])
        replaced, _ = wall(lambda i: base + ["import", "gapmap-org", str(EXPORT), "--out", str(fresh[0]), "--force"])
        n = sum(1 for _ in fresh[0].glob("*/*.yaml"))
        validated, rc_validate = wall(lambda i: base + ["validate", str(fresh[0])])
    print(f"export: {EXPORT} -> {n} record files")
    print(f"gapmap import gapmap-org into a new folder, median of {RUNS}: {imported:.3f} s (exit {rc_import})  goal ~1-2 s")
    print(f"  ... replacing an existing map (--force), median of {RUNS}: {replaced:.3f} s")
    print(f"gapmap validate on the imported map, median of {RUNS}: {validated:.3f} s "
          f"(exit {rc_validate}: the export's own defects)  budget < 0.5 s")
    print(f"ratio import / validate: {imported / validated:.1f}x")


if __name__ == "__main__":
    main()
