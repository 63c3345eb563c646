"""Gap schedules and portfolio costs on small maps with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from gapmap.cost.portfolio import portfolio
from gapmap.cost.schedule import schedule_gaps, simulate_gaps
from gapmap.cost.settings import Settings
from gapmap.load import load_map

from conftest import record, write_map


def build(cost, years):
    return {"cost_usd": cost, "years": years}


@pytest.fixture
def chain_map(tmp_path):
    """a (2 y, $10M) <- b (3 y, $20M) <- c (deployed, no build); e is scaling with nothing
    before it; d has no build and is research."""
    return load_map(write_map(
        tmp_path / "kb",
        record("field", "physics"), record("field", "biology"),
        record("capability", "cap-a", build=build(1e7, 2)),
        record("capability", "cap-b", requires=["cap-a"], build=build(2e7, 3)),
        record("capability", "cap-c", requires=["cap-b"], maturity="deployed"),
        record("capability", "cap-d", maturity="research"),
        record("capability", "cap-e", maturity="scaling"),
        record("gap", "gap-chain", capabilities=[{"capability": "cap-c", "role": "necessary"},
                                                 {"capability": "cap-e", "role": "necessary"}]),
        record("gap", "gap-shared", field="biology", capabilities=[{"capability": "cap-b"}, {"capability": "cap-a"}]),
        record("gap", "gap-unknown", capabilities=[{"capability": "cap-d", "role": "necessary"},
                                                   {"capability": "cap-a", "role": "partial"}]),
        record("gap", "gap-partial-only", capabilities=[{"capability": "cap-a", "role": "enabling"}]),
    ))


def test_a_gap_closes_when_its_chain_of_prerequisites_is_built(chain_map):
    s = schedule_gaps(chain_map, settings=Settings(samples=500, start_year=2026))["gap-shared"]
    assert s.closing_year == {q: 2031.0 for q in ("p05", "p25", "p50", "p75", "p95")}
    crit = {c["id"]: c["criticality"] for c in s.capabilities}
    assert crit == {"cap-a": 1.0, "cap-b": 1.0}
    assert not s.assumed and s.p_never == 0


def test_an_existing_capability_is_not_delayed_by_its_prerequisites(chain_map):
    s = schedule_gaps(chain_map, settings=Settings(samples=500, start_year=2026))["gap-chain"]
    assert s.closing_year == {q: 2026.0 for q in ("p05", "p25", "p50", "p75", "p95")}  # c and e exist
    assert {c["id"]: c["criticality"] for c in s.capabilities} == {"cap-a": 0.0, "cap-b": 0.0, "cap-c": 0.0, "cap-e": 0.0}


def test_role_less_links_count_as_necessary(chain_map):
    assert schedule_gaps(chain_map, settings=Settings(samples=200, start_year=2026))["gap-shared"].closing_year["p50"] == 2031.0


def test_a_capability_without_build_or_maturity_gets_the_wide_assumed_duration(chain_map):
    s = schedule_gaps(chain_map, settings=Settings(samples=20000, start_year=2026))["gap-unknown"]
    assert s.assumed
    assert [c["id"] for c in s.capabilities] == ["cap-d"]  # the partial link does not hold the gap open
    assert 2028 <= s.closing_year["p05"] < s.closing_year["p50"] < s.closing_year["p95"] <= 2041
    assert s.closing_year["p50"] == pytest.approx(2026 + 15 - (15 - 2) / 2**0.5 * (10 / 13) ** 0.5, abs=0.1)


def test_a_gap_with_only_partial_links_gets_no_closing_year(chain_map):
    s = schedule_gaps(chain_map, settings=Settings(samples=100))["gap-partial-only"]
    assert s.closing_year is None and "necessary" in s.note


def test_schedules_reproduce_with_the_seed(chain_map):
    a, b = (schedule_gaps(chain_map, settings=Settings(samples=1000, seed=3))["gap-unknown"].to_json() for _ in range(2))
    assert a == b


def test_a_shared_prerequisite_is_paid_once(chain_map):
    p = portfolio(chain_map, settings=Settings(samples=300))
    assert p.gaps["gap-chain"].quantiles["p50"] == 3e7  # a and b; c exists
    assert p.gaps["gap-chain"].existing == ["cap-c", "cap-e"]
    assert p.total.quantiles["p50"] == 3e7  # chain, shared and unknown share a and b
    assert p.total.unpriced == ["cap-d"]


def test_each_sum_says_which_of_its_capabilities_are_priced_by_rule_of_thumb(tmp_path):
    rule = build(1e7, 2) | {"basis": "rule-of-thumb"}
    kb = load_map(write_map(tmp_path / "kb", record("field", "physics"),
                            record("capability", "cap-r", build=rule),
                            record("capability", "cap-s", build=build(2e7, 3) | {"basis": "sourced"}),
                            record("gap", "gap-x", capabilities=[{"capability": "cap-r"}, {"capability": "cap-s"}])))
    p = portfolio(kb, settings=Settings(samples=100))
    assert p.total.priced == ["cap-r", "cap-s"] and p.total.rule_of_thumb == ["cap-r"]
    assert p.gaps["gap-x"].rule_of_thumb == ["cap-r"]


def test_a_field_portfolio_counts_only_its_gaps(chain_map):
    p = portfolio(chain_map, "biology", Settings(samples=300))
    assert list(p.gaps) == ["gap-shared"] and p.total.id == "biology" and p.total.unpriced == []


def test_the_budget_curve_funds_fully_priced_gaps_cheapest_first(chain_map):
    p = portfolio(chain_map, settings=Settings(samples=300))
    assert [row["gap"] for row in p.order] == ["gap-chain", "gap-shared"]
    assert p.order[1]["marginal_median_usd"] == 0.0  # its capabilities are already paid
    assert "cap-d" in p.not_in_curve["gap-unknown"] and "gap-partial-only" in p.not_in_curve
    closed = [row["expected_gaps_closed"] for row in p.curve]
    assert closed == sorted(closed) and closed[0] == 0 and closed[-1] == 2


def test_a_scope_with_nothing_priced_has_no_cost(tmp_path):
    kb = load_map(write_map(tmp_path / "kb", record("field", "physics"), record("capability", "cap-x"),
                            record("gap", "gap-x", capabilities=[{"capability": "cap-x"}])))
    p = portfolio(kb, settings=Settings(samples=100))
    assert p.total.quantiles is None and p.total.unpriced == ["cap-x"] and p.curve == []


def _target_map(tmp_path, decline, target, build_years=2):
    """cap-t exists (deployed) and its cost, 100 in 2026, falls by `decline` a year (no noise)."""
    cost = {"unit": "USD per kWh", "observations": [{"year": 2026, "value": 100.0, "source": "paper-a"}],
            "model": {"kind": "exponential", "annual_decline": decline, "volatility": 0.0}, "target": {"value": target}}
    return load_map(write_map(
        tmp_path / "kb", record("field", "physics"), record("resource", "paper-a"),
        record("capability", "cap-t", maturity="deployed", cost=cost),
        record("capability", "cap-b", build=build(1e7, build_years)),
        record("gap", "gap-t", capabilities=[{"capability": "cap-t", "role": "necessary"},
                                             {"capability": "cap-b", "role": "necessary"}]),
    ))


def test_a_cost_target_holds_the_gap_open_until_it_is_reached(tmp_path):
    # 100 * 0.8^t <= 30 first at t = 6 (2032); cap-b is ready in 2028
    kb = _target_map(tmp_path, 0.2, 30.0)
    s = schedule_gaps(kb, settings=Settings(samples=300, start_year=2026))["gap-t"]
    assert s.closing_year["p50"] == 2032.0 and s.p_never == 0
    crit = {c["id"]: c["criticality"] for c in s.capabilities}
    assert crit == {"cap-t": 1.0, "cap-b": 0.0}
    p = portfolio(kb, settings=Settings(samples=300, start_year=2026))
    gap = p.gaps["gap-t"]
    assert gap.priced == ["cap-b"] and [w["capability"] for w in gap.waits_for_cost] == ["cap-t"]
    assert gap.waits_for_cost[0]["p_cost_binds"] == 1.0 and gap.p_closes == 1.0


def test_a_cost_target_reached_before_the_build_ends_does_not_delay(tmp_path):
    kb = _target_map(tmp_path, 0.5, 30.0, build_years=4)  # 100 * 0.5^2 = 25 <= 30 by 2028; b ready 2030
    s = schedule_gaps(kb, settings=Settings(samples=300, start_year=2026))["gap-t"]
    assert s.closing_year["p50"] == 2030.0
    assert {c["id"]: c["criticality"] for c in s.capabilities}["cap-b"] == 1.0


def test_a_target_never_reached_is_a_share_of_samples_not_a_year(tmp_path):
    kb = _target_map(tmp_path, 0.01, 1.0)  # 100 * 0.99^30 = 74 > 1
    s = schedule_gaps(kb, settings=Settings(samples=300, start_year=2026))["gap-t"]
    assert s.p_never == 1.0 and s.closing_year["p50"] is None and s.mean_year is None
    p = portfolio(kb, settings=Settings(samples=300, start_year=2026))
    assert p.gaps["gap-t"].p_closes == 0.0
    assert max(row["expected_gaps_closed"] for row in p.curve) == 0  # money alone closes nothing


def test_the_schedule_uses_the_fan_charts_own_cost_paths(tmp_path):
    """Sample i of the gate is path i of the forecast: same seed, stream and sample count."""
    from gapmap.cost.trajectories import forecast

    cost = {"unit": "USD", "observations": [{"year": 2026, "value": 100.0, "source": "paper-a"}],
            "model": {"kind": "exponential", "annual_decline": {"dist": "uniform", "low": 0.0, "high": 0.3}},
            "target": {"value": 40.0}}
    kb = load_map(write_map(tmp_path / "kb", record("field", "physics"), record("resource", "paper-a"),
                            record("capability", "cap-t", maturity="deployed", cost=cost),
                            record("gap", "gap-t", capabilities=[{"capability": "cap-t", "role": "necessary"}])))
    settings = Settings(samples=4000, start_year=2026)
    close = simulate_gaps(kb, None, settings).close[:, 0]
    f = forecast("cap-t", kb.capabilities["cap-t"].cost, settings)
    assert 0 < f.target["p_never_within_horizon"] < 1
    for year, p in f.target["p_reached_by"].items():
        assert np.mean(close <= int(year) - 2026) == pytest.approx(p, abs=1e-6), year


def test_blocks_of_samples_give_the_same_schedules_and_portfolio_as_one_block(monkeypatch):
    """Large maps are simulated a block of samples at a time to bound memory; sample i draws
    from its own state whatever block it falls in, so the numbers must not change."""
    from conftest import REPO
    from gapmap.cost import schedule

    kb, settings = load_map(REPO), Settings(samples=3000, seed=7)

    def run():
        draws = simulate_gaps(kb, None, settings)
        return ({g: s.to_json() for g, s in schedule_gaps(kb, settings=settings, draws=draws).items()},
                portfolio(kb, None, settings, draws=draws).to_json())

    whole = run()
    monkeypatch.setattr(schedule, "BLOCK_BYTES", 1)  # blocks of the 256-sample minimum
    assert len(schedule.blocks(settings.samples, 300)) == 12
    blocked = run()
    assert any(c.get("target") for s in whole[0].values() for c in s["capabilities"])  # cost gates were exercised
    assert blocked == whole


def test_the_portfolio_says_per_gap_what_money_buys_and_what_only_time_buys(tmp_path):
    from gapmap.cli.cost import render_portfolio

    kb = _target_map(tmp_path, 0.2, 30.0)
    text = render_portfolio(portfolio(kb, settings=Settings(samples=300, start_year=2026)).to_json())
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("gap-t "))
    assert "median $" in lines[row]  # money: building cap-b
    assert lines[row + 1].strip().startswith("only time buys: cap-t reaching 30")
    assert "ready before its cost in 100% of samples, never within the horizon in 0%" in lines[row + 1]
