"""Scale: validate, graph, models and site build on synthetic maps of 1k, 10k and 100k records.

Each (size, stage) runs in a fresh process so its peak memory is its own. Prints time, peak
RSS and the growth exponent (log-log slope between consecutive sizes; 1.0 is linear, and
n log n shows as slightly above 1). Budget: 100k-record validate under 60 s and 2 GiB.

Run: python bench/scale.py [--sizes 1000,10000,100000] [--site-max 10000]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

from _maps import synthetic_map

STAGES = {
    "validate": "from gapmap.load import load_map; from gapmap.check import check_map\n"
                "check_map(load_map(KB))",
    "graph": "from gapmap.load import load_map; from gapmap import graph as g\n"
             "m = load_map(KB); G = g.build_graph(m); g.run_all(G) if hasattr(g, 'run_all') else None",
    "models": "from gapmap.load import load_map; from gapmap.cost import compute_all\n"
              "compute_all(load_map(KB), samples=2000, seed=0)",
    "site": "import subprocess, sys, tempfile\n"
            "subprocess.run([sys.executable, '-m', 'gapmap', 'build', '--kb', KB, '--out', tempfile.mkdtemp()],"
            " check=True, capture_output=True)",
}

RUNNER = """
import json, resource, sys, time
KB = sys.argv[1]
t0 = time.perf_counter()
{body}
elapsed = time.perf_counter() - t0
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({{"seconds": elapsed, "peak_mb": peak / 1024}}))
"""


def measure(stage: str, kb: Path) -> dict | None:
    proc = subprocess.run([sys.executable, "-c", RUNNER.format(body=STAGES[stage]), str(kb)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": last[:100]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--site-max", type=int, default=10000, help="largest map to build a site for")
    parser.add_argument("--models-max", type=int, default=10000, help="largest map to run the models on")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="gapmap-scale-"))
    results: dict[str, dict[int, dict]] = {s: {} for s in STAGES}
    for n in sizes:
        kb = synthetic_map(n, work)
        for stage in STAGES:
            if (stage == "site" and n > args.site_max) or (stage == "models" and n > args.models_max):
                continue
            results[stage][n] = r = measure(stage, kb)
            shown = r.get("error") or f"{r['seconds']:8.2f} s  {r['peak_mb']:8.0f} MB"
            print(f"{n:>7} records  {stage:<9} {shown}", flush=True)
    print("\ngrowth exponents (log-log slope of time between sizes):")
    for stage, by_size in results.items():
        ok = [(n, r["seconds"]) for n, r in sorted(by_size.items()) if "seconds" in r]
        slopes = [math.log(t2 / t1) / math.log(n2 / n1) for (n1, t1), (n2, t2) in zip(ok, ok[1:]) if t1 > 0]
        if slopes:
            print(f"  {stage:<9} " + ", ".join(f"{s:.2f}" for s in slopes))
    big = results["validate"].get(100_000)
    if big and "seconds" in big:
        print(f"\n100k validate: {big['seconds']:.1f} s (budget 60 s), {big['peak_mb']:.0f} MB (budget 2048 MB)")


if __name__ == "__main__":
    main()
