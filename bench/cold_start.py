"""First run on a fresh install against the warm run, in the same bench run (#19: first
`gapmap cost` <= 2 s, first `gapmap build` <= 8 s on this machine).

"Fresh install" is the wheel, built as .ci/run builds it (without build isolation, so it ships
the compiled kernels: cost/jit.py), installed in a new virtual environment that takes its
dependencies from this Python (--system-site-packages: no download), run with an empty user
cache folder and a copy of the repository's map without its result cache (.gapmap-cache/), so
every model is computed. "Source tree" is the same from a checkout on PYTHONPATH with a fresh
NUMBA_CACHE_DIR: numba compiles every kernel, as on a machine whose Python, numba or CPU
architecture differs from the wheel's. "Warm" is the same command run again right after.
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
import venv
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


def fresh_install(tmp: Path) -> Path:
    """The wheel in a new venv; returns its python."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "PYTHONPATH"))}
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                           "-w", str(tmp / "dist"), str(REPO)], env=env, cwd=tmp, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: building the wheel failed:\n{done.stderr[-2000:]}")
    venv.create(tmp / "venv", system_site_packages=True, with_pip=True)
    python = tmp / "venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(next((tmp / "dist").glob("*.whl")))],
                   env=env, check=True, capture_output=True)
    return python


def copy_map(kb: Path) -> None:
    kb.mkdir()
    for part in MAP_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, kb / part)
        elif src.is_file():
            shutil.copy2(src, kb / part)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--id", default="capillary-sanger-sequencing", help="capability for `gapmap cost`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gapmap-cold-") as tmp:
        tmp = Path(tmp)
        kb = tmp / "map"
        copy_map(kb)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "PYTHONPATH"))}
        base.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed package runs: byte code cached
        setups = {"wheel, fresh venv": ([str(fresh_install(tmp)), "-m", "gapmap"],
                                        base | {"XDG_CACHE_HOME": str(tmp / "user-cache")}),
                  "source tree": ([sys.executable, "-m", "gapmap"],
                                  base | {"PYTHONPATH": str(REPO / "tools"), "NUMBA_CACHE_DIR": str(tmp / "numba")})}
        print(f"map: the repository's ({REPO}), copied without its result cache; caches fresh in {tmp}")
        rows = []
        for setup, (gapmap, env) in setups.items():
            run(gapmap + ["validate", "--kb", str(kb)], env, kb)  # byte code, as after an install
            for name, cmd, budget in ((f"gapmap cost {args.id}", ["cost", args.id], 2.0),
                                      ("gapmap build", ["build", "--out", str(tmp / "site")], 8.0)):
                for cache in (tmp / "user-cache", tmp / "numba", kb / ".gapmap-cache"):
                    shutil.rmtree(cache, ignore_errors=True)
                full = gapmap + cmd + ["--kb", str(kb)]
                rows.append((setup, name, run(full, env, kb), run(full, env, kb), budget))
    print(f"{'install':18} {'command':40} {'first s':>8} {'warm s':>8} {'first/warm':>11} {'budget (first)':>15}")
    for setup, name, first, warm, budget in rows:
        print(f"{setup:18} {name:40} {first:8.2f} {warm:8.2f} {first / warm:10.1f}x {budget:14.1f}s")


if __name__ == "__main__":
    main()
