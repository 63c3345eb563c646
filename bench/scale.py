"""Scale, as a user growing the map would: the imported gap-map.org export grown 1x, 4x and 10x
(copies under renamed ids, every reference rewritten; bench/_maps.grown_map), each built beside
the floor measured in the same run: a bare mkdocs-material site with as many trivial pages, kept
out of the nav (bench/_maps.floor_site). Targets (issue 18): warm build within 1.5x and first
build within 2x of the floor, peak memory under 1 GB at 10x, growth exponent at most 1.05.

"First build" is a build with the map's result caches (.gapmap-cache) removed and numba's
kernels already compiled (compilation is bench/cold_start.py's subject); "warm" is the next one.
Every run is a fresh process, timed from outside; the child reports its own peak memory.

`--synthetic` instead runs validate, graph, models and site per stage on synthetic maps of 1k,
10k and 100k records (100k validate budget: 60 s and 2 GiB).

Run: python bench/scale.py [--copies 1,4,10]    or    python bench/scale.py --synthetic
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _maps import floor_site, grown_map, real_scale_map, synthetic_map

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


CHILD = """
import json, logging, resource, sys, time
logging.getLogger("mkdocs").setLevel(logging.ERROR)
what, src, out = sys.argv[1:4]
t0 = time.perf_counter()
if what == "floor":
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    build(load_config(config_file=src + "/mkdocs.yml", site_dir=out))
elif what == "build":
    from gapmap.site.build import build_site
    build_site(__import__("pathlib").Path(src), __import__("pathlib").Path(out))
else:
    from gapmap.load import load_map
    from gapmap.check import check_map
    check_map(load_map(src))
print(json.dumps({"inner": time.perf_counter() - t0, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(what: str, src: Path, out: Path) -> dict:
    """One fresh process: wall seconds (start-up included) and its peak memory."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, what, str(src), str(out)], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"bench: {what} of {src} failed:\n{done.stderr[-3000:]}")
    return {"s": seconds, "mb": json.loads(done.stdout.strip().splitlines()[-1])["mb"]}


def grown(copies: list[int]) -> None:
    work = Path(tempfile.mkdtemp(prefix="gapmap-scale-"))
    try:
        base, what = real_scale_map(work)
        print(f"map: {what}, grown by copying under renamed ids; machine: {platform.machine()}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}", flush=True)
        rows = []
        for k in copies:
            kb = grown_map(base, k, work)
            n = sum(1 for d in ("fields", "gaps", "capabilities", "resources") for _ in (kb / d).glob("*.yaml"))
            floor = floor_site(n, work)
            run("floor", floor, work / "floor-site")  # the floor's own warm-up (theme files in the page cache)
            f = run("floor", floor, work / "floor-site")
            shutil.rmtree(kb / ".gapmap-cache", ignore_errors=True)
            first = run("build", kb, work / f"site-{k}")
            warm = run("build", kb, work / f"site-{k}")
            val = run("validate", kb, work)
            rows.append((k, n, warm, f, first, val))
            print(f"{k:>3}x ({n:,} records): warm {warm['s']:.1f} s, floor {f['s']:.1f} s "
                  f"({warm['s'] / f['s']:.2f}x), first {first['s']:.1f} s ({first['s'] / f['s']:.2f}x), "
                  f"{max(first['mb'], warm['mb']):.0f} MB peak, validate {val['s']:.2f} s", flush=True)
        print("\n| size | warm build | floor | ratio | first build | ratio | peak memory | validate |")
        print("|---|---|---|---|---|---|---|---|")
        for k, n, warm, f, first, val in rows:
            print(f"| {k}x ({n:,}) | {warm['s']:.1f} s | {f['s']:.1f} s | {warm['s'] / f['s']:.2f}x | {first['s']:.1f} s "
                  f"| {first['s'] / f['s']:.2f}x | {max(first['mb'], warm['mb']):.0f} MB | {val['s']:.2f} s |")
        print("\ntargets: warm <= 1.5x floor, first <= 2x floor, peak < 1024 MB at 10x, growth exponent <= 1.05")
        for (k1, n1, w1, _, c1, _), (k2, n2, w2, _, c2, _) in zip(rows, rows[1:]):
            print(f"growth exponent {k1}x -> {k2}x: warm {math.log(w2['s'] / w1['s']) / math.log(n2 / n1):.2f}, "
                  f"first {math.log(c2['s'] / c1['s']) / math.log(n2 / n1):.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", default="1,4,10", help="how many times to grow the imported export")
    parser.add_argument("--synthetic", action="store_true", help="per-stage run on synthetic maps instead")
    parser.add_argument("--sizes", default="1000,10000,100000", help="with --synthetic: map sizes")
    parser.add_argument("--site-max", type=int, default=10000, help="with --synthetic: largest map to build a site for")
    parser.add_argument("--models-max", type=int, default=10000, help="with --synthetic: largest map to run the models on")
    args = parser.parse_args()
    if not args.synthetic:
        return grown([int(c) for c in args.copies.split(",")])
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
