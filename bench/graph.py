"""Graph stage speed: build_graph plus every analytic, at real scale and on 10k synthetic records.

Budgets: under 1 s at real scale (the imported gap-map.org export when `gapmap import` works,
else a synthetic map of 1,572 records) and under 10 s at 10k records. Loading is timed apart
(it belongs to the load stage). Each figure is the best of --repeat runs in this process, since
the machine is shared. Betweenness is exact — paths are counted between fields only, one
breadth-first search per field — so no sampling is used at any size.

Run: python bench/graph.py [--sizes 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

from _maps import real_scale_map, synthetic_map

from gapmap import graph
from gapmap.load import load_map

ANALYTICS = {
    "leverage": graph.leverage,
    "bridges": graph.bridges,
    "components": graph.components,
    "orphans": graph.orphans,
    "chains": graph.chains,
    "run_all": graph.run_all,  # all of the above plus each gap's closure, as the site needs them
}


def best(fn, arg, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(kb: Path, repeat: int) -> dict[str, float]:
    t0 = time.perf_counter()
    loaded = load_map(kb)
    out = {"load": time.perf_counter() - t0, "build_graph": best(graph.build_graph, loaded, repeat)}
    g = graph.build_graph(loaded)
    out["records"] = g.number_of_nodes()
    out.update((name, best(fn, g, repeat)) for name, fn in ANALYTICS.items())
    out["total"] = out["build_graph"] + out["run_all"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000", help="synthetic sizes beyond the real-scale map")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gapmap-graph-bench-"))
    real, what = real_scale_map(work)
    runs = [(what, measure(real, args.repeat), 1.0)]
    for n in (int(s) for s in args.sizes.split(",")):
        runs.append((f"synthetic map of {n:,} records", measure(synthetic_map(n, work), args.repeat), 10.0))
    names = ["load", "build_graph", *ANALYTICS, "total"]
    print(f"{'records':>8}  " + "  ".join(f"{n:>11}" for n in names) + "  (seconds; total = build_graph + run_all)")
    for what, r, _ in runs:
        print(f"{r['records']:>8}  " + "  ".join(f"{r[n]:>11.3f}" for n in names) + f"  {what}")
    print()
    for what, r, budget in runs:
        verdict = "within" if r["total"] < budget else "OVER"
        print(f"{what}: graph + analytics {r['total']:.3f} s, {verdict} the {budget:g} s budget "
              f"({r['total'] / budget:.0%} of it); loading {r['load']:.2f} s apart")
    for (_, a, _), (_, b, _) in zip(runs, runs[1:]):
        slope = math.log(b["total"] / a["total"]) / math.log(b["records"] / a["records"])
        print(f"growth exponent {a['records']} -> {b['records']} records: {slope:.2f} "
              "(log-log slope of total time; 1.0 is linear)")


if __name__ == "__main__":
    main()
