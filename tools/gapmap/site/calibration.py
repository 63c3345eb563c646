"""The methods/calibration page: how well the cost forecasts did on real history.

It shows the results JSON that bench/calibration.py writes (tools/gapmap/cost/calibration.json,
committed); the site build never runs the bench. Coverage of the 50% and 90% bands by horizon,
the mean 90% interval score against Farmer & Lafond's reference method on the same points, the
PIT histogram, the item-7 targets as pass/fail, and the map's own long series.
"""

from __future__ import annotations

import json
from pathlib import Path

from gapmap.site import charts
from gapmap.site.blocks import number, page, percent, section, table
from gapmap.site.markup import esc

RESULTS = Path(__file__).resolve().parents[1] / "cost" / "calibration.json"
URL = "methods/calibration/"
METHODS = {"reference": "Farmer & Lafond reference (θ = 0.63, Student-t)",
           "reference_theta0": "Farmer & Lafond with θ = 0 (plain random walk)", "pooled": "Ours (partial pooling)",
           "wright": "Wright's law (cumulative production)",
           "pooled_on_wright_points": "Ours, on the points Wright's law is scored on"}


def calibration_pages(ctx=None) -> tuple[dict[str, str], dict[str, bytes]]:
    """{'methods/calibration.md': page}, no data files; a short page when the JSON is absent."""
    try:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"methods/calibration.md": page("Calibration", "<p>No calibration results are committed yet "
                                               "(run <code>python bench/calibration.py</code>).</p>")}, {}
    return {"methods/calibration.md": render(results)}, {}


def _target_order(item) -> tuple:
    name = item[0]
    bucket = name.split(" ")[-1]
    return (int(bucket.split("-")[0]) if bucket[0].isdigit() else 99, name)


def _cell(r: dict, key: str, by: str) -> str:
    if not r:
        return "—"
    return f"{percent(r[key])} <span class=\"gm-muted\">[{percent(r[by])}]</span>"


def render(res: dict) -> str:
    buckets = sorted((b for b in res["buckets"] if b != "all"), key=lambda b: int(b.split("-")[0])) + ["all"]
    rows = []
    for b in buckets:
        for m, label in METHODS.items():
            r = res["buckets"][b].get(m)
            if not r:
                continue
            rows.append([esc(b), esc(label), str(r["points"]), _cell(r, "coverage50", "coverage50_by_series"),
                         _cell(r, "coverage90", "coverage90_by_series"),
                         f"{number(r['interval_score'])} <span class=\"gm-muted\">[{number(r['interval_score_by_series'])}]</span>"])
    scores = table(["Horizon (years)", "Method", "Forecasts", "In 50% band", "In 90% band",
                    "Mean 90% interval score (decades)"], rows)
    targets = table(["Target (issue 12)", "Value", "Wanted", "Result"],
                    [[esc(k), number(t["value"]), esc(t["target"]), "pass" if t["pass"] else "<strong>fail</strong>"]
                     for k, t in sorted(res["targets"].items(), key=_target_order)])
    pit = res["buckets"]["all"]
    bins = [f"{i / 10:.1f}–{(i + 1) / 10:.1f}" for i in range(len(pit["pooled"]["pit"]))]
    figure = {"data": [{"type": "bar", "x": bins, "y": pit[m]["pit"], "name": esc(METHODS[m])}
                       for m in ("reference", "pooled")],
              "layout": charts._layout(barmode="group", xaxis={"title": {"text": "PIT (where the real value fell in the forecast)"}},
                                       yaxis={"title": {"text": "forecasts"}})}
    own = table(["Series", "Years", "Forecasts", "Method", "In 50% band", "In 90% band", "Interval score"],
                [[esc(s["id"]), str(s["years"]), str(s[m].get("points", 0)), esc(METHODS[m]),
                  percent(s[m].get("coverage50")), percent(s[m].get("coverage90")), number(s[m].get("interval_score"))]
                 for s in res.get("map_series", []) for m in ("reference", "pooled") if s.get(m)])
    halves = table(["Prior fitted on", "Scored on", "Horizon (years)", "Forecasts", "In 50% band", "In 90% band",
                    "Interval score, ours / reference"],
                   [[f"{h['train']} series ({esc(h['fit_on'])})", f"the other {h['test']}", esc(b), str(r["pooled"]["points"]),
                     _cell(r["pooled"], "coverage50", "coverage50_by_series"),
                     _cell(r["pooled"], "coverage90", "coverage90_by_series"),
                     number(r["pooled"]["interval_score"] / r["reference"]["interval_score"])]
                    for h in res.get("split_half", []) for b, r in h["buckets"].items() if r.get("pooled")])
    split_note = ("<p>Does the prior generalise? We estimated it on alternate technologies (sorted by name) and "
                  "scored only the others, both ways round. The two halves differ much more than the targets' "
                  "width: with these few technologies the score of a new set depends on which long series it "
                  "holds. At 11–20 years half the training forecasts are of US wheat prices, which revert to "
                  "their mean (their 10-year changes vary a fifth as much as a random walk's); their bands are "
                  "still a little too wide, and the other technologies' too narrow: technology by technology "
                  "(in brackets) that bucket is below target, though the count over all forecasts passes.</p>")
    intro = (f"<p>On the Performance Curve Database's training half ({res['series']} technologies), we stood at "
             f"every past year with at least {res['min_points']} years of data, fitted only what was known then, "
             f"and forecast every later point within {res['max_horizon']} years. Calibrated bands catch about half "
             "and nine in ten of the real values. Percentages count every forecast alike; in brackets, each "
             "technology weighs the same (wheat and milk alone hold a third of the forecasts). The interval score "
             "(Gneiting &amp; Raftery 2007) is the width of the 90% band plus 20 times any miss, in decades of "
             "cost: lower is better. Our prior was re-estimated leaving out the technology being scored"
             + ("" if res.get("leave_one_out") else " (not in this run)") + ". These 41 series are also the ones "
             "the method was built on: an independent set of technologies, scored the same way, is the real test."
             "</p><p>Numbers from <code>python bench/calibration.py</code>, committed; the site does not recompute them.</p>")
    return page("Calibration of the cost forecasts", intro,
                section("Coverage and interval score by horizon", scores),
                section("Targets", targets),
                section("Held-out halves", split_note + halves) if halves and res.get("split_half") else "",
                section("PIT histogram", "<p>A calibrated forecast puts the real value at a uniformly random "
                        "quantile: flat bars. A hump means the bands are too wide, a U too narrow.</p>"
                        + charts.figure_div(figure, 320, "PIT histogram")),
                section("The map's own series", ("<p>The same scoring on the map's own records with at least "
                        "8 observed years (the committed prior, which never saw them). A series' forecasts overlap — "
                        "each origin forecasts every later year — so one sudden step is missed by every forecast that "
                        "spans it" + (": short-read sequencing's low 90% coverage is a single 78% fall from 2014 to 2015, "
                        "missed from the 2013 and 2014 origins only (see the methods page)" if any(
                            m["id"] == "short-read-genome-sequencing" for m in res.get("map_series", [])) else "")
                        + ".</p>" + own) if own else "<p>No record has 8 or more observed years yet.</p>"),
                charts.scripts(URL))
