"""First run on a fresh install against the warm run, in the same bench run (#19: first
`gapmap build` <= 8 s, first `gapmap cost` <= 2 s on this machine).

"Fresh" is a new, empty NUMBA_CACHE_DIR and a copy of the repository's map without its result
cache (.gapmap-cache/), so every kernel compiles and every model is computed; "warm" is the same
command run again right after, with the compiled kernels and results the first run left.
Byte code is written for the package first, as an installed wheel has it.
Run: python bench/cold_start.py [--id CAPABILITY]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAP_PARTS = ("gaps", "capabilities", "fields", "resources", "crosswalk", "site_src", "tags.yaml",
             "deflators.yaml", "mkdocs.yml")


def run(cmd: list[str], env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd[2:])} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--id", default="capillary-sanger-sequencing", help="capability for `gapmap cost`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gapmap-cold-") as tmp:
        tmp = Path(tmp)
        kb = tmp / "map"
        kb.mkdir()
        for part in MAP_PARTS:
            src = REPO / part
            if src.is_dir():
                shutil.copytree(src, kb / part)
            elif src.is_file():
                shutil.copy2(src, kb / part)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"PYTHONPATH": str(REPO / "tools"), "NUMBA_CACHE_DIR": str(tmp / "numba")}
        gapmap = [sys.executable, "-m", "gapmap"]
        run(gapmap + ["validate", "--kb", str(kb)], env | {"NUMBA_CACHE_DIR": str(tmp / "unused")}, kb)  # byte code
        print(f"map: the repository's ({REPO}), copied without its result cache; NUMBA_CACHE_DIR fresh in {tmp}")
        rows = []
        cost = gapmap + ["cost", args.id, "--kb", str(kb)]
        rows.append((f"gapmap cost {args.id}", run(cost, env, kb), run(cost, env, kb), 2.0))
        shutil.rmtree(tmp / "numba")
        shutil.rmtree(kb / ".gapmap-cache", ignore_errors=True)
        build = gapmap + ["build", "--kb", str(kb), "--out", str(tmp / "site")]
        rows.append(("gapmap build", run(build, env, kb), run(build, env, kb), 8.0))
    print(f"{'command':40} {'first s':>8} {'warm s':>8} {'first/warm':>11} {'budget (first)':>15}")
    for name, first, warm, budget in rows:
        print(f"{name:40} {first:8.2f} {warm:8.2f} {first / warm:10.1f}x {budget:14.1f}s")


if __name__ == "__main__":
    main()
