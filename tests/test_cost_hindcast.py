"""Hindcasts: calibrated on data the model fits, honest about the NHGRI sequencing-cost break."""

from __future__ import annotations

import numpy as np

from gapmap.cost.fit import fit_walk, merge_years
from gapmap.cost.genome_costs import GENOME_COSTS, yearly
from gapmap.cost.hindcast import genome_hindcasts, hindcast, hindcast_table
from gapmap.load import load_map

from conftest import REPO


def test_bands_are_calibrated_on_random_walks_with_drift():
    rng = np.random.default_rng(0)
    scored = []
    for i in range(12):
        logs = 10 + np.cumsum(-0.2 + 0.3 * rng.normal(size=16))
        result = hindcast(f"walk-{i}", [(2000 + t, float(np.exp(v))) for t, v in enumerate(logs)], theta=0.0, seed=i)
        scored += result.scored
    inside90 = np.mean([s["log_p05"] <= s["log_actual"] <= s["log_p95"] for s in scored])
    inside50 = np.mean([s["log_p25"] <= s["log_actual"] <= s["log_p75"] for s in scored])
    assert 0.84 <= inside90 <= 0.96 and 0.40 <= inside50 <= 0.60, (inside50, inside90)


def test_the_genome_reference_is_the_nhgri_series_one_value_a_year():
    assert GENOME_COSTS[0] == (2001, 9, 95_263_072) and GENOME_COSTS[-1] == (2022, 5, 524.63)
    points = yearly()
    assert [y for y, _ in points] == sorted({y for y, _, _ in GENOME_COSTS})
    assert dict(points)[2008] == 342_502  # October, the latest release of 2008


def test_the_sanger_era_trend_misses_the_post_2008_collapse():
    sanger, _, _ = genome_hindcasts()
    assert sanger.origins == 1 and sanger.scored[0]["origin"] == 2007
    assert sanger.coverage90 < 0.2  # the later costs fall far below the 90% band
    assert sanger.median_log_error < -3  # over twenty-fold cheaper than the forecast median
    years, logs = merge_years([p for p in yearly() if p[0] <= 2007])
    assert abs(fit_walk(years, logs).mu + 0.4) < 0.05  # the methods page's "about -0.4 a year"


def test_the_piecewise_model_is_scored_only_after_its_break():
    _, whole, piecewise = genome_hindcasts()
    assert piecewise.model == "piecewise (break 2008)"
    assert min(s["origin"] for s in piecewise.scored) == 2010  # three years from 2008 on
    assert whole.forecasts > piecewise.forecasts > 0
    assert piecewise.coverage90 is not None and piecewise.coverage50 is not None


def test_the_methods_table_covers_records_with_enough_points_and_the_reference():
    rows = hindcast_table(load_map(REPO))
    ids = {r["id"] for r in rows}
    assert "nhgri-genome-cost" in ids and "nhgri-genome-cost-sanger-trend" in ids
    assert all({"coverage50", "coverage90", "median_abs_log_error", "forecasts"} <= set(r) for r in rows)
    assert all(r["forecasts"] > 0 for r in rows)


def test_a_trend_fitted_through_a_break_is_flagged_not_calibrated():
    rows = {r["id"] + r["model"]: r for r in hindcast_table(load_map(REPO))}
    whole = rows["nhgri-genome-costexponential"]
    assert whole["calibrated"] is False and whole["coverage90"] < 0.75
    assert all(r["calibrated"] is None for r in rows.values() if r["forecasts"] < 10)
    assert all("coverage90_reference" in r for r in rows.values())
