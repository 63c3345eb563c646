"""Wall and CPU time of `gapmap validate` beside check-jsonschema and the PyYAML C-loader floor,
in one run, on the imported gap-map.org export and on a synthetic map (100,000 records unless
--records says otherwise).

The floor is a fresh Python that reads every record file with PyYAML's C loader (CSafeLoader)
and does nothing else: no positions, no schema, no references. check-jsonschema only checks each
file against its schema; gapmap also checks references, tags, cycles, orphans and text safety —
so both ratios understate what validate does. Budgets (#18): <= 0.4 s on the imported map,
<= 10 s for 100,000 records. On a loaded machine wall time runs far above CPU time; both print.
Run: python bench/validate.py [--records N] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _maps import REPO, real_scale_map, synthetic_map

FOLDERS = {"field": "fields", "gap": "gaps", "capability": "capabilities", "resource": "resources"}
FLOOR = ("import sys, glob, yaml\n"
         "for path in glob.glob(sys.argv[1] + '/*/*.yaml'):\n"
         "    with open(path, 'rb') as handle: yaml.load(handle.read(), Loader=yaml.CSafeLoader)\n")
# as an installed package runs: byte code cached (this session's environment turns that off)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(REPO / "tools")}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float, int]:
    """(median wall s, median CPU s, exit code) of `cmd`."""
    walls, cpus, rc = [], [], 0
    for _ in range(runs):
        c0, t0 = _cpu(), time.perf_counter()
        rc = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        walls.append(time.perf_counter() - t0)
        cpus.append(_cpu() - c0)
    return statistics.median(walls), statistics.median(cpus), rc


def check_jsonschema(kb: Path, runs: int) -> tuple[float, float] | None:
    cjs = shutil.which("check-jsonschema")
    if cjs is None:
        return None
    wall = cpu = 0.0
    for kind, folder in FOLDERS.items():
        files = sorted(str(p) for p in (kb / folder).glob("*.yaml"))
        for start in range(0, len(files), 2000):  # argument lists stay under the OS limit
            w, c, _ = timed([cjs, "--schemafile", str(REPO / "schemas" / f"{kind}.schema.json"),
                             *files[start:start + 2000]], kb, runs)
            wall, cpu = wall + w, cpu + c
    return wall, cpu


def measure(kb: Path, what: str, runs: int, budget: float) -> None:
    n = sum(1 for folder in FOLDERS.values() for _ in (kb / folder).glob("*.yaml"))
    timed([sys.executable, "-m", "gapmap", "validate", "--kb", str(kb)], kb, 1)  # writes byte code once
    ours_w, ours_c, rc = timed([sys.executable, "-m", "gapmap", "validate", "--kb", str(kb)], kb, runs)
    floor_w, floor_c, _ = timed([sys.executable, "-c", FLOOR, str(kb)], kb, runs)
    cjs = check_jsonschema(kb, runs)
    print(f"\nmap: {what}, {n:,} records (median of {runs} runs each)")
    print(f"{'':34} {'wall s':>8} {'cpu s':>8} {'gapmap/this (wall)':>19}")
    print(f"{'gapmap validate':34} {ours_w:8.3f} {ours_c:8.3f} {'':>19}  exit {rc}; budget {budget:g} s")
    print(f"{'floor: PyYAML C loader, same files':34} {floor_w:8.3f} {floor_c:8.3f} {ours_w / floor_w:18.2f}x")
    if cjs is None:
        print("check-jsonschema: not installed, column skipped")
    else:
        print(f"{'check-jsonschema, 4 schemas':34} {cjs[0]:8.3f} {cjs[1]:8.3f} {ours_w / cjs[0]:18.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="size of the synthetic map (0: skip it)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gapmap-bench-") as tmp:
        kb, what = real_scale_map(Path(tmp))
        measure(kb, what, args.runs, 0.4)
        if args.records:
            synth = synthetic_map(args.records, Path(tmp))
            measure(synth, f"synthetic (bench/synth.py, seed 0)", max(1, args.runs // 3), 10.0 * args.records / 100_000)


if __name__ == "__main__":
    main()
