"""Every command on a 10,000-record map, against issue 15's bound: under 20 s and 1 GiB each.

The map is bench/synth.py's synthetic map (seed 0, the gap-map.org export's proportions), named
in the output. Each command runs once, as a user runs it (`python -m gapmap ...`, start-up
included), in a fresh process: wall time, and the peak resident memory of the largest process
it ran (fmt's parallel workers are separate processes; each is counted on its own). `fmt` runs on
a copy with no cache, so it is the cold case (the synthetic resources are not in canonical key
order, so it rewrites most of them); `import` reads the map's own gap-map.org-shaped export.

Run: python bench/commands.py [--records 10000] [--skip build,pages] [--timeout 300]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _maps import REPO, synthetic_map

SECONDS, MIB = 20.0, 1024.0  # the bound of issue 15, per command

RUNNER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak, "exit": done.returncode, "stderr": done.stderr[-300:]}))
"""


def commands(kb: Path, copy: Path, work: Path) -> list[tuple[str, list[str]]]:
    """(label, arguments) in the order they run; later ones read what earlier ones wrote."""
    cap = next(p.stem for p in sorted((kb / "capabilities").glob("*.yaml")) if "\ncost:" in p.read_text())
    gap = sorted(p.stem for p in (kb / "gaps").glob("*.yaml"))[0]
    k = ["--kb", str(kb)]
    return [
        ("validate", ["validate", *k]),
        ("validate --strict", ["validate", "--strict", *k]),
        ("fmt --check (cold)", ["fmt", "--check", "--kb", str(copy)]),
        ("fmt (cold, rewrites)", ["fmt", "--kb", str(copy)]),
        ("fmt --check (again)", ["fmt", "--check", "--kb", str(copy)]),
        (f"cost {cap}", ["cost", cap, *k]),
        (f"schedule {gap}", ["schedule", gap, *k]),
        ("portfolio", ["portfolio", *k]),
        ("graph stats", ["graph", "stats", *k]),
        ("graph leverage", ["graph", "leverage", *k]),
        (f"graph path {gap}", ["graph", "path", gap, *k]),
        ("export json", ["export", "--format", "json", "--out", str(work / "map.json"), *k]),
        ("export csv", ["export", "--format", "csv", "--out", str(work / "csv"), *k]),
        ("export graphml", ["export", "--format", "graphml", "--out", str(work / "map.graphml"), *k]),
        ("export gapmap-org", ["export", "--format", "gapmap-org", "--out", str(work / "gmo"), *k]),
        ("import gapmap-org", ["import", "gapmap-org", str(work / "gmo"), "--out", str(work / "imported")]),
        ("new gap", ["new", "gap", "a-new-gap-for-the-bench", "--kb", str(copy)]),
        ("pages", ["pages", *k, "--out", str(work / "pages")]),
        ("build", ["build", *k, "--out", str(work / "site")]),
    ]


def measure(args: list[str], timeout: float) -> dict:
    cmd = [sys.executable, "-c", RUNNER, sys.executable, "-m", "gapmap", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"error": f"over the {timeout:.0f} s timeout"}
    if proc.returncode != 0 or not proc.stdout.strip():
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:100]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--skip", default="", help="comma-separated labels' first words to skip (e.g. build,pages)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a command is stopped")
    args = parser.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    work = Path(tempfile.mkdtemp(prefix="gapmap-bench-commands-"))
    try:
        kb = synthetic_map(args.records, work)
        copy = work / "copy"
        shutil.copytree(kb, copy)
        n = sum(1 for _ in kb.glob("*/*.yaml"))
        print(f"bench: MAP = synthetic map of {n:,} records (bench/synth.py, seed 0) at {kb}", flush=True)
        print(f"bench: bound per command: {SECONDS:.0f} s and {MIB:.0f} MiB; one run each, timings on this machine as loaded now\n")
        over = []
        for label, cmd in commands(kb, copy, work):
            if label.split()[0] in skip:
                print(f"{label:<26} skipped")
                continue
            r = measure(cmd, args.timeout)
            if "error" in r:
                print(f"{label:<26} FAILED: {r['error']}", flush=True)
                over.append(label)
                continue
            ok = r["seconds"] < SECONDS and r["peak_mb"] < MIB
            over += [] if ok else [label]
            note = "" if r["exit"] in (0, 1) else f"  (exit {r['exit']}: {r['stderr'].strip()[-80:]})"
            print(f"{label:<26} {r['seconds']:7.2f} s ({r['seconds'] / SECONDS:4.0%} of bound) "
                  f"{r['peak_mb']:7.0f} MB ({r['peak_mb'] / MIB:4.0%})  exit {r['exit']}  "
                  f"{'ok' if ok else 'OVER THE BOUND'}{note}", flush=True)
        print(f"\n{len(over)} command(s) over the bound or failing" + (f": {', '.join(over)}" if over else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
