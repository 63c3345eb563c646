"""Site build speed and weight: the real-scale map warm (budget < 10 s), synthetic maps of 1k and
10k records (10k < 60 s) with the growth exponent, the largest record page (budget < 40 KB),
and a baseline measured in the same run — the real-scale map with every record in the nav —
showing why records stay out of it.

Each build runs `gapmap build` in a fresh process (start-up included), timed from outside; the
child reports its peak memory. "Warm" means the second build of the same map: numba's compiled
kernels, the cost results and the graph layout come from their caches.

Run: python bench/site.py [--sizes 1000,10000] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _maps import real_scale_map, synthetic_map

RECORD_DIRS = ("fields", "gaps", "capabilities", "resources")


def build_once(kb: Path, out: Path, nav: bool = False) -> dict:
    """Time one build in a child process; returns seconds, peak memory (MB) and output size."""
    cmd = [sys.executable, __file__, "--one", str(kb), str(out)] + (["--nav"] if nav else [])
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"build of {kb} failed:\n{done.stderr[-3000:]}")
    child = json.loads(done.stdout.strip().splitlines()[-1])
    pages = [p for d in RECORD_DIRS for p in (out / d).glob("*/index.html")]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {"seconds": seconds, "rss_mb": child["rss_mb"], "pages": len(pages),
            "site_mb": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20,
            "largest_kb": largest.stat().st_size / 1024, "largest": str(largest.relative_to(out).parent)}


def one(kb: str, out: str, nav: bool) -> None:
    """The child: build the site (with every record page in the nav when `nav`)."""
    import logging

    from gapmap.site.build import build_site, mkdocs_options

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    if nav:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        from gapmap.site.generate import NAV

        records = [{d: sorted(f"{d}/{p.stem}.md" for p in (Path(kb) / d).glob("*.yaml"))} for d in RECORD_DIRS]
        config = load_config(**mkdocs_options(Path(kb), Path(out)), nav=[{t: p} for t, p in NAV if isinstance(p, str)] + records)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    else:
        build_site(Path(kb), Path(out))
    print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def report(what: str, r: dict, budget: float | None = None) -> None:
    verdict = "" if budget is None else f"  {'within' if r['seconds'] < budget else 'OVER'} the {budget:g} s budget"
    print(f"{what}: {r['seconds']:.1f} s, {r['rss_mb']:.0f} MB peak, {r['pages']} record pages, "
          f"site {r['site_mb']:.0f} MB, largest record page {r['largest_kb']:.1f} KB ({r['largest']}){verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--nav", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return one(*args.one, args.nav)
    work = Path(tempfile.mkdtemp(prefix="gapmap-site-bench-"))
    real, what = real_scale_map(work)
    cold = build_once(real, work / "real-cold")
    warm = build_once(real, work / "real-warm")
    report(f"{what}, first build", cold)
    report(f"{what}, warm", warm, 10.0)
    print(f"largest record page: {warm['largest_kb']:.1f} KB, "
          f"{'within' if warm['largest_kb'] < 40 else 'OVER'} the 40 KB budget")
    if not args.no_baseline:
        nav = build_once(real, work / "real-nav", nav=True)
        report(f"baseline: {what} with every record in the nav, warm", nav)
        print(f"records in the nav: {nav['seconds'] / warm['seconds']:.1f}x the time, "
              f"{nav['rss_mb'] / warm['rss_mb']:.1f}x the memory, {nav['site_mb'] / warm['site_mb']:.1f}x the output, "
              f"largest record page {nav['largest_kb'] / warm['largest_kb']:.1f}x")
    runs = []
    for n in (int(s) for s in args.sizes.split(",")):
        kb = synthetic_map(n, work)
        r = build_once(kb, work / f"synth-{n}-site")
        runs.append((n, r))
        report(f"synthetic map of {n:,} records (first build: cost results computed)", r, 60.0 if n >= 10000 else None)
    for (n1, a), (n2, b) in zip(runs, runs[1:]):
        slope = math.log(b["seconds"] / a["seconds"]) / math.log(n2 / n1)
        print(f"growth exponent {n1:,} -> {n2:,} records: {slope:.2f} (log-log slope of build time; 1.0 is linear)")


if __name__ == "__main__":
    main()
