"""Calibration of the cost forecasts on real history: the Performance Curve Database's training half.

At every rolling origin of every series (each observed year with at least three years known),
fit only what was known then and forecast every later point within 20 years; score, by horizon
bucket (1-5, 6-10, 11-20 years): coverage of the 50% and 90% bands, the PIT histogram, and the
mean 90% interval score (Gneiting & Raftery 2007) in decades of cost. Methods, on the same points:

  reference  Farmer & Lafond (2016) eq. 13, theta = 0.63, Student-t with m - 1 degrees of freedom
             (reference_theta0: the same with theta = 0, their plain random walk, for their claim
             that it gives bands too narrow)
  pooled     ours: autocorrelation, noise and drift partially pooled toward the cross-technology
             prior (cost/prior.py, cost/pooling.py); the prior is re-estimated without the series
             being scored (leave one series out), so no series is forecast with a prior that saw
             its own future
  wright     Wright's law (Lafond et al. 2018): log cost falls with log cumulative production at a
             fitted exponent, production itself a random walk with drift; on series with production

Scores are pooled over points and, in brackets, averaged per series (each series weighs the same:
Wheat and Milk alone hold a third of the points). Targets (issue 12, item 7) on the pooled method:
90% coverage in 0.87-0.93 and 50% coverage in 0.45-0.55 in every bucket, mean interval score at
most 0.90x the reference's.

Run: python bench/calibration.py [--data DIR] [--json PATH]
Reads ../shared/pcdb-train relative to the repository (or $GAPMAP_PCDB_TRAIN, or --data) and stops
with an error if it is missing. Writes the results JSON the site's methods/calibration page shows
(default tools/gapmap/cost/calibration.json); the site never runs this. The same JSON scores the
map's own series with at least MAP_MIN_YEARS observed years (committed prior; it never saw them).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
from scipy import stats

from gapmap.cost.fit import error_variance, fit_walk
from gapmap.cost.pooling import pool, predictive
from gapmap.cost.prior import PRIOR, data_dir, estimate, load_all
from gapmap.cost.settings import THETA_FL
from gapmap.cost.wright import fit_wright, wright_predictive

REPO = Path(__file__).resolve().parents[1]
DEFAULT_JSON = REPO / "tools" / "gapmap" / "cost" / "calibration.json"
BUCKETS = (("1-5", 1, 5), ("6-10", 6, 10), ("11-20", 11, 20))
MAX_H, MIN_POINTS = 20, 3
MAP_MIN_YEARS = 8
LN10 = math.log(10.0)
PIT_BINS = 10
TARGETS = {"coverage90": (0.87, 0.93), "coverage50": (0.45, 0.55), "score_ratio": 0.90}


def _quantiles(center, scale, dof):
    z50, z90 = stats.t.ppf(0.75, dof), stats.t.ppf(0.95, dof)
    return center - z90 * scale, center - z50 * scale, center + z50 * scale, center + z90 * scale


def _shift(y0, pred):
    return y0 + pred[0], pred[1], pred[2]


def forecast_points(series, prior_for) -> list[dict]:
    """One row per (series, origin, later point within MAX_H years) with each method's forecast."""
    rows = []
    for s in series:
        prior = prior_for(s.name)
        for k in range(MIN_POINTS - 1, len(s.years) - 1):
            fit = fit_walk(s.years[: k + 1], s.logs[: k + 1], THETA_FL)
            fit0 = fit_walk(s.years[: k + 1], s.logs[: k + 1], 0.0)
            p = pool(s.years[: k + 1], s.logs[: k + 1], prior)
            if fit is None or p is None:
                continue
            wfit = fit_wright(s.years[: k + 1], s.logs[: k + 1], s.log_cum[: k + 1])
            for j in range(k + 1, len(s.years)):
                tau = int(s.years[j] - s.years[k])
                if tau > MAX_H:
                    break
                y0, y = float(s.logs[k]), float(s.logs[j])
                ref_scale = fit.K * math.sqrt(error_variance(tau, fit.span, THETA_FL))
                rw_scale = fit0.K * math.sqrt(error_variance(tau, fit0.span, 0.0))
                row = {"series": s.name, "origin": int(s.years[k]), "tau": tau, "y": y,
                       "reference": (y0 + fit.mu * tau, ref_scale, fit.dof),
                       "reference_theta0": (y0 + fit0.mu * tau, rw_scale, fit0.dof),
                       "pooled": _shift(y0, predictive(p, tau))}
                if wfit is not None:
                    row["wright"] = wright_predictive(wfit, y0, tau)
                rows.append(row)
    return rows


def score(rows, method: str) -> dict:
    """Coverage, PIT and mean interval score of one method on rows that have it."""
    rows = [r for r in rows if method in r]
    if not rows:
        return {}
    y = np.array([r["y"] for r in rows])
    c, s, d = (np.array([r[method][i] for r in rows]) for i in range(3))
    lo90, lo50, hi50, hi90 = _quantiles(c, s, d)
    alpha = 0.1
    interval = ((hi90 - lo90) + 2 / alpha * np.maximum(lo90 - y, 0) + 2 / alpha * np.maximum(y - hi90, 0)) / LN10
    pit = stats.t.cdf((y - c) / s, d)
    names = np.array([r["series"] for r in rows])

    def per_series(x):
        return float(np.mean([x[names == n].mean() for n in np.unique(names)]))

    in90, in50 = (lo90 <= y) & (y <= hi90), (lo50 <= y) & (y <= hi50)
    return {"points": len(rows), "series": int(len(np.unique(names))),
            "coverage90": float(in90.mean()), "coverage50": float(in50.mean()),
            "interval_score": float(interval.mean()), "median_interval_score": float(np.median(interval)),
            "coverage90_by_series": per_series(in90), "coverage50_by_series": per_series(in50),
            "interval_score_by_series": per_series(interval),
            "pit": np.histogram(pit, bins=PIT_BINS, range=(0, 1))[0].tolist()}


def run(data=None, loo: bool = True) -> dict:
    series = load_all(data)
    if loo:
        priors = {s.name: estimate([t for t in series if t.name != s.name]) for s in series}
        prior_for = priors.__getitem__
    else:
        prior_for = lambda name: PRIOR  # noqa: E731
    rows = forecast_points(series, prior_for)
    out = {"data": "pcdb-train", "series": len(series), "max_horizon": MAX_H, "min_points": MIN_POINTS,
           "theta_reference": THETA_FL, "prior": PRIOR.__dict__, "leave_one_out": loo, "buckets": {}}
    for name, lo, hi in BUCKETS + (("all", 1, MAX_H),):
        part = [r for r in rows if lo <= r["tau"] <= hi]
        out["buckets"][name] = {m: score(part, m) for m in ("reference", "pooled", "wright", "reference_theta0")}
        # the time trend on exactly the points Wright's law is scored on
        out["buckets"][name]["pooled_on_wright_points"] = score([r for r in part if "wright" in r], "pooled")
    out["targets"] = targets(out)
    out["split_half"] = split_half(series)
    out["largest_long_horizon_series"] = largest_long(series, rows)
    out["map_series"] = map_series()
    return out


def largest_long(series, rows, lag: int = 10) -> dict:
    """The series with most forecasts at 11-20 years, its share of them, its variance ratio (the
    variance of its lag-year log changes over lag times that of its yearly changes: 1 for a random
    walk, below 1 for a mean-reverting series), and the pooled coverage at 11-20 years of it and of
    the other series apart (a pooled figure can pass with one series too wide, the rest too narrow)."""
    long = [r["series"] for r in rows if 11 <= r["tau"] <= 20]
    name = max(set(long), key=long.count)
    s = next(t for t in series if t.name == name)
    full = np.interp(np.arange(s.years[0], s.years[-1] + 1), s.years, s.logs)  # a value every year
    d1, dk = np.diff(full), full[lag:] - full[:-lag]
    part = [r for r in rows if 11 <= r["tau"] <= 20]
    own, rest = score([r for r in part if r["series"] == name], "pooled"), score([r for r in part if r["series"] != name], "pooled")
    return {"series": name, "share_11_20": long.count(name) / len(long), "lag": lag,
            "variance_ratio": float(dk.var() / (lag * d1.var())),
            "pooled_11_20": {k: {c: v[c] for c in ("coverage50", "coverage90")} for k, v in (("it", own), ("the rest", rest))}}


def split_half(series) -> list[dict]:
    """Generalisation check: the prior estimated on one half of the technologies (alternate names
    in sorted order), every series of the other half scored with it; both ways round."""
    halves = (series[0::2], series[1::2])
    out = []
    for k, (train, test) in enumerate((halves, halves[::-1])):
        prior = estimate(train)
        rows = forecast_points(test, lambda _: prior)
        res = {"fit_on": "even" if k == 0 else "odd", "train": len(train), "test": len(test), "buckets": {}}
        for name, lo, hi in BUCKETS + (("all", 1, MAX_H),):
            part = [r for r in rows if lo <= r["tau"] <= hi]
            res["buckets"][name] = {m: score(part, m) for m in ("reference", "pooled")}
        out.append(res)
    return out


def map_series() -> list[dict]:
    """The repository map's own cost series with at least MAP_MIN_YEARS observed years, scored
    like the training series (a piecewise model from its break year on)."""
    from gapmap.cost.fit import fit_series
    from gapmap.cost.prior import Series
    from gapmap.load import load_map

    kb = load_map(REPO)
    out = []
    for cid in sorted(kb.capabilities):
        cost = kb.capabilities[cid].cost
        if cost is None:
            continue
        years, logs = fit_series(cost)
        if len(years) < MAP_MIN_YEARS:
            continue
        rows = forecast_points([Series(cid, cost.unit, years, logs, np.full(len(years), np.nan))], lambda _: PRIOR)
        out.append({"id": cid, "years": len(years), "first": int(years[0]), "last": int(years[-1]),
                    **{m: score(rows, m) for m in ("reference", "pooled")}})
    return out


def targets(out) -> dict:
    res = {}
    for name, _, _ in BUCKETS:
        b = out["buckets"][name]
        c90, c50 = b["pooled"]["coverage90"], b["pooled"]["coverage50"]
        res[f"coverage90 {name}"] = {"value": c90, "target": "0.87-0.93", "pass": 0.87 <= c90 <= 0.93}
        res[f"coverage50 {name}"] = {"value": c50, "target": "0.45-0.55", "pass": 0.45 <= c50 <= 0.55}
    a = out["buckets"]["all"]
    ratio = a["pooled"]["interval_score"] / a["reference"]["interval_score"]
    res["interval score ratio"] = {"value": ratio, "target": "<= 0.90", "pass": ratio <= 0.90}
    return res


def report(out) -> str:
    lines = [f"pcdb-train: {out['series']} series, rolling origins (>= {out['min_points']} years known), "
             f"every later point within {out['max_horizon']} years; reference theta {out['theta_reference']}; pooled prior "
             + ("re-estimated leaving the scored series out" if out["leave_one_out"] else "from all series"),
             "coverage pooled over points [mean over series]; IS = mean 90% interval score in decades",
             f"{'bucket':6} {'method':10} {'points':>6} {'cov50':>13} {'cov90':>13} {'IS':>14}"]
    for name in [b[0] for b in BUCKETS] + ["all"]:
        for m in ("reference", "reference_theta0", "pooled", "wright", "pooled_on_wright_points"):
            r = out["buckets"][name][m]
            if not r:
                continue
            lines.append(f"{name:6} {m.replace('reference_theta0', 'ref th=0')[:10]:10} {r['points']:6d} {r['coverage50']:6.3f} [{r['coverage50_by_series']:.2f}]"
                         f" {r['coverage90']:6.3f} [{r['coverage90_by_series']:.2f}] {r['interval_score']:6.3f} "
                         f"[{r['interval_score_by_series']:.2f}]")
    lines.append("PIT histogram (10 bins, all horizons): reference " + " ".join(map(str, out["buckets"]["all"]["reference"]["pit"])))
    lines.append("                                        pooled    " + " ".join(map(str, out["buckets"]["all"]["pooled"]["pit"])))
    for m in out.get("map_series", []):
        lines.append(f"map series {m['id']} ({m['years']} years, {m['pooled'].get('points', 0)} forecasts): "
                     + "; ".join(f"{k} cov50 {m[k]['coverage50']:.2f} cov90 {m[k]['coverage90']:.2f} IS {m[k]['interval_score']:.2f}"
                                 for k in ("reference", "pooled") if m[k]))
    for h in out.get("split_half", []):
        lines.append(f"split half: prior fitted on the {h['fit_on']}-numbered {h['train']} series, scored on the other {h['test']}:")
        for name, b in h["buckets"].items():
            p, r = b["pooled"], b["reference"]
            lines.append(f"  {name:6} pooled {p['points']:5d} pts cov50 {p['coverage50']:.3f} [{p['coverage50_by_series']:.2f}]"
                         f" cov90 {p['coverage90']:.3f} [{p['coverage90_by_series']:.2f}] IS {p['interval_score']:.3f}"
                         f"  (reference IS {r['interval_score']:.3f}, ratio {p['interval_score'] / r['interval_score']:.2f})")
    big = out.get("largest_long_horizon_series")
    if big:
        lines.append(f"{big['series']} holds {big['share_11_20']:.0%} of the 11-20-year forecasts; variance of its "
                     f"{big['lag']}-year changes / ({big['lag']} x that of its yearly changes) = {big['variance_ratio']:.2f}"
                     " (1 for a random walk)")
        lines.append("  pooled at 11-20 years: " + "; ".join(f"{k} cov50 {v['coverage50']:.3f} cov90 {v['coverage90']:.3f}"
                                                          for k, v in big["pooled_11_20"].items()))
    lines.append("targets (issue 12 item 7, pooled method):")
    for k, t in out["targets"].items():
        lines.append(f"  {'PASS' if t['pass'] else 'FAIL'}  {k:24} {t['value']:.3f}  (target {t['target']})")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="pcdb-train folder (default ../shared/pcdb-train)")
    ap.add_argument("--json", default=str(DEFAULT_JSON), help="where to write the results JSON ('' : nowhere)")
    ap.add_argument("--no-loo", action="store_true", help="use the committed prior (estimated on all series)")
    args = ap.parse_args(argv)
    try:
        data_dir(args.data)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = run(args.data, loo=not args.no_loo)
    print(report(out))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
        print(f"wrote {os.path.relpath(args.json)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
