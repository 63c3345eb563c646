"""The calibration results the bench commits, and the site page that shows them."""

from __future__ import annotations

import json

from gapmap.site.calibration import RESULTS, calibration_pages

BUCKETS = ("1-5", "6-10", "11-20")


def test_the_committed_results_cover_every_bucket_for_both_methods_on_the_same_points():
    res = json.loads(RESULTS.read_text())
    assert res["series"] == 41 and res["max_horizon"] == 20 and res["leave_one_out"]
    for b in BUCKETS + ("all",):
        ref, ours = res["buckets"][b]["reference"], res["buckets"][b]["pooled"]
        assert ref["points"] == ours["points"] > 0
        assert sum(ours["pit"]) == ours["points"]
    assert {f"coverage90 {b}" for b in BUCKETS} <= set(res["targets"])


def test_the_page_shows_the_table_the_targets_and_the_pit_without_running_the_bench():
    pages, data = calibration_pages()
    html = pages["methods/calibration.md"]
    assert "Farmer &amp; Lafond reference" in html or "Farmer & Lafond reference" in html
    assert "interval score" in html and "PIT" in html and "gm-chart" in html
    assert html.count("pass") + html.count("fail") >= 7 and data == {}


def test_the_split_half_check_scores_each_half_with_a_prior_fitted_only_on_the_other():
    res = json.loads(RESULTS.read_text())
    halves = res["split_half"]
    assert [h["fit_on"] for h in halves] == ["even", "odd"]
    assert sum(h["test"] for h in halves) == res["series"] and all(h["train"] + h["test"] == res["series"] for h in halves)
    for h in halves:
        assert h["buckets"]["all"]["pooled"]["points"] == h["buckets"]["all"]["reference"]["points"] > 0
    html = calibration_pages()[0]["methods/calibration.md"]
    assert "Held-out halves" in html and "the other 20" in html and "the other 21" in html
