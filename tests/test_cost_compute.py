"""compute_all, the on-disk cache and the `gapmap cost|schedule|portfolio` commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gapmap.cli import main
from gapmap.cost import compute, compute_all, cost_forecast
from gapmap.load import load_map

from conftest import record, write_map

OBS = [{"year": y, "value": v, "source": "paper-a"} for y, v in ((2010, 100.0), (2012, 60.0), (2013, 50.0), (2016, 20.0))]


@pytest.fixture
def kb(tmp_path):
    return write_map(
        tmp_path / "kb", record("field", "physics"), record("resource", "paper-a"),
        record("capability", "cap-a", build={"cost_usd": 1e7, "years": 2},
               cost={"unit": "USD per widget", "observations": OBS, "model": {"kind": "exponential"},
                     "target": {"value": 5.0}}),
        record("capability", "cap-b", requires=["cap-a"], resources=["paper-a"]),
        record("gap", "gap-one", capabilities=[{"capability": "cap-b", "role": "necessary"}]),
    )


def test_compute_all_returns_every_forecast_schedule_and_the_portfolio(kb):
    r = compute_all(load_map(kb), samples=2000)
    assert list(r.forecasts) == ["cap-a"] and list(r.schedules) == ["gap-one"]
    assert r.portfolio["total"]["unpriced"] == ["cap-b"]
    assert r.forecasts["cap-a"]["hindcast"]["forecasts"] == 1
    assert any(row["id"] == "nhgri-genome-cost" for row in r.hindcast)
    json.dumps([r.forecasts, r.schedules, r.portfolio, r.hindcast], allow_nan=False)


def test_a_second_run_reads_the_cache_and_an_edit_recomputes(kb, monkeypatch):
    first = cost_forecast(load_map(kb), "cap-a")
    assert any((kb / ".gapmap-cache" / "forecast").iterdir())
    monkeypatch.setattr(compute, "forecast", lambda *a: pytest.fail("recomputed an unchanged record"))
    assert cost_forecast(load_map(kb), "cap-a") == first
    monkeypatch.undo()
    text = (kb / "capabilities" / "cap-a.yaml").read_text().replace("value: 5.0", "value: 4.0")
    (kb / "capabilities" / "cap-a.yaml").write_text(text)
    assert cost_forecast(load_map(kb), "cap-a")["target"]["value"] == 4.0


def test_cost_json_has_the_documented_keys(kb):
    result = CliRunner().invoke(main, ["cost", "cap-a", "--kb", str(kb), "--json", "--samples", "1000", "--seed", "2"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)  # stdout only: the first run announces the compilation on stderr
    assert {"id", "unit", "years", "quantiles", "target"} <= set(out) and out["settings"]["seed"] == 2


def test_cost_prints_a_table_with_the_target_year(kb):
    result = CliRunner().invoke(main, ["cost", "cap-a", "--kb", str(kb), "--samples", "1000"])
    assert result.exit_code == 0 and "P(<=target)" in result.output and "year reached" in result.output


def test_cost_of_an_unknown_id_or_a_capability_without_cost_says_so(kb):
    unknown = CliRunner().invoke(main, ["cost", "cap-z", "--kb", str(kb)])
    assert unknown.exit_code == 2 and "no capability 'cap-z'" in unknown.output
    bare = CliRunner().invoke(main, ["cost", "cap-b", "--kb", str(kb)])
    assert bare.exit_code == 1 and "no cost block" in bare.output
    gap = CliRunner().invoke(main, ["cost", "gap-one", "--kb", str(kb)])
    assert gap.exit_code == 2 and "is a gap" in gap.output


def test_schedule_and_portfolio_commands(kb):
    s = CliRunner().invoke(main, ["schedule", "gap-one", "--kb", str(kb), "--samples", "500", "--start-year", "2030"])
    assert s.exit_code == 0 and "assumed" in s.output and "cap-b" in s.output
    p = CliRunner().invoke(main, ["portfolio", "--kb", str(kb), "--field", "physics", "--json", "--samples", "500"])
    assert p.exit_code == 0 and json.loads(p.stdout)["total"]["unpriced"] == ["cap-b"]


def test_one_settings_object_holds_the_defaults():
    from gapmap.cost.settings import HORIZON, SAMPLES, Settings

    assert compute.Options is Settings and (SAMPLES, HORIZON) == (20000, 30)
    assert Settings().samples == SAMPLES and Settings().theta is None  # None: the pooled fit
