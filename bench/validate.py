"""Wall time of `gapmap validate` on a real-scale map, against check-jsonschema on the same files.

check-jsonschema only checks each file against its schema; gapmap also checks references,
tags, cycles, orphans and text safety — so the ratio understates our advantage.
Run: python bench/validate.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _maps import REPO, real_scale_map

RUNS = 5


def wall(cmd: list[str], cwd: Path) -> tuple[float, int]:
    times, rc = [], 0
    for _ in range(RUNS):
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - t0)
    return statistics.median(times), rc


def main() -> None:
    kb, what = real_scale_map()
    n = sum(1 for folder in ("fields", "gaps", "capabilities", "resources") for _ in (kb / folder).glob("*.yaml"))
    ours, rc = wall([sys.executable, "-m", "gapmap", "validate", "."], kb)
    cli = shutil.which("gapmap")
    ours_cli, _ = wall([cli, "validate", "."], kb) if cli else (ours, rc)
    baseline_total = 0.0
    cjs = shutil.which("check-jsonschema")
    for kind, folder in (("field", "fields"), ("gap", "gaps"), ("capability", "capabilities"), ("resource", "resources")):
        files = sorted(str(p) for p in (kb / folder).glob("*.yaml"))
        t, _ = wall([cjs, "--schemafile", str(REPO / "schemas" / f"{kind}.schema.json"), *files], kb)
        baseline_total += t
    print(f"map: {what}, {n} records")
    print(f"gapmap validate (console script), median of {RUNS}: {ours_cli:.3f} s (exit {rc})  budget < 0.5 s")
    print(f"python -m gapmap validate, median of {RUNS}:      {ours:.3f} s")
    print(f"check-jsonschema, 4 schemas, median of {RUNS} each: {baseline_total:.3f} s")
    print(f"ratio check-jsonschema / gapmap: {baseline_total / ours_cli:.1f}x  budget >= 3x")


if __name__ == "__main__":
    main()
