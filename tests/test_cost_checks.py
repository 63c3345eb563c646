"""Cost-model parameters the models cannot run are validation findings, never exceptions."""

from __future__ import annotations

import pytest

from gapmap.check import check_map
from gapmap.cost import compute_all
from gapmap.load import load_map

from conftest import record, write_map

OBS = [{"year": 2020, "value": 100.0, "source": "paper-a"}]
BAD_MODELS = {
    "lognormal-decline": {"kind": "exponential", "annual_decline": {"dist": "lognormal", "p05": 0.1, "p95": 0.5}},
    "lognormal-learning": {"kind": "experience", "learning_rate": {"dist": "lognormal", "p05": 0.1, "p95": 0.3},
                           "production_growth": 0.2},
    "shrinking-production": {"kind": "experience", "learning_rate": 0.2, "production_growth": -0.1},
    "ignored-decline": {"kind": "experience", "learning_rate": 0.2, "production_growth": 0.2, "annual_decline": 0.1},
    "too-few-points": {"kind": "exponential"},
    "piecewise-break-too-late": {"kind": "piecewise", "break_year": 2030, "annual_decline": 0.1},
    "decline-of-one": {"kind": "exponential", "annual_decline": 1.0},
    "no-learning-rate": {"kind": "experience", "production_growth": 0.2},
    "negative-volatility": {"kind": "exponential", "annual_decline": 0.1, "volatility": -0.2},
}


@pytest.mark.parametrize("name", sorted(BAD_MODELS))
def test_a_bad_model_is_a_finding_with_its_line(name, tmp_path):
    cost = {"unit": "USD", "observations": OBS, "model": BAD_MODELS[name]}
    kb = load_map(write_map(tmp_path / "kb", record("field", "physics"), record("resource", "paper-a"),
                            record("capability", "cap-a", cost=cost),
                            record("gap", "gap-a", capabilities=[{"capability": "cap-a"}])))
    errors = [f for f in check_map(kb) if f.severity == "error"]
    assert errors and all(f.file == "capabilities/cap-a.yaml" and f.line > 1 for f in errors), errors
    assert {f.code for f in errors} <= {"bad-model", "bad-distribution", "out-of-range"}


def test_a_sound_experience_model_passes_and_runs(tmp_path):
    cost = {"unit": "USD", "observations": OBS,
            "model": {"kind": "experience", "learning_rate": {"dist": "triangular", "low": 0.1, "mode": 0.2, "high": 0.3},
                      "production_growth": {"dist": "lognormal", "p05": 0.1, "p95": 0.4}}}
    kb = load_map(write_map(tmp_path / "kb", record("field", "physics"), record("resource", "paper-a"),
                            record("capability", "cap-a", cost=cost),
                            record("gap", "gap-a", capabilities=[{"capability": "cap-a"}])))
    assert check_map(kb) == []
    p50 = compute_all(kb, samples=1000, use_cache=False).forecasts["cap-a"]["quantiles"]["p50"]
    assert p50[10] < p50[0]


def _obs(cums, values=(100.0, 80.0, 70.0, 52.0, 45.0)):
    return [{"year": 2015 + i, "value": v, "source": "paper-a", **({"cumulative": c} if c else {})}
            for i, (v, c) in enumerate(zip(values, cums))]


FITTED_EXPERIENCE = {"kind": "experience"}
BAD_FITS = {  # observations' cumulative production -> the line the finding must point at
    "two-years-with-production": ([None, None, None, 10.0, 20.0], "model:"),
    "latest-year-without-production": ([1.0, 2.0, 4.0, 8.0, None], "model:"),
    "production-that-falls": ([1.0, 2.0, 1.5, 8.0, 16.0], "cumulative: 1.5"),
}


def _map(tmp_path, cost):
    return load_map(write_map(tmp_path / "kb", record("field", "physics"), record("resource", "paper-a"),
                              record("capability", "cap-a", cost=cost),
                              record("gap", "gap-a", capabilities=[{"capability": "cap-a"}])))


@pytest.mark.parametrize("name", sorted(BAD_FITS))
def test_a_fitted_experience_curve_without_usable_production_is_a_finding_at_its_line(name, tmp_path):
    cums, where = BAD_FITS[name]
    kb = _map(tmp_path, {"unit": "USD", "observations": _obs(cums), "model": FITTED_EXPERIENCE})
    errors = [f for f in check_map(kb) if f.severity == "error"]
    assert [f.code for f in errors] == ["bad-model"], errors
    line = (tmp_path / "kb" / errors[0].file).read_text().splitlines()[errors[0].line - 1]
    assert where in line, (line, errors[0].message)


def test_an_experience_model_with_only_one_of_its_two_rates_is_a_finding(tmp_path):
    cost = {"unit": "USD", "observations": _obs([1.0, 2.0, 4.0, 8.0, 16.0]),
            "model": {"kind": "experience", "learning_rate": 0.2}}
    errors = [f for f in check_map(_map(tmp_path, cost)) if f.severity == "error"]
    assert [f.code for f in errors] == ["bad-model"] and "both, or neither" in errors[0].message


def test_a_record_with_cumulative_production_can_select_the_fitted_experience_curve(tmp_path):
    kb = _map(tmp_path, {"unit": "USD", "observations": _obs([1.0, 2.0, 4.0, 8.0, 16.0]), "model": FITTED_EXPERIENCE})
    assert check_map(kb) == []
    f = compute_all(kb, samples=1000, use_cache=False).forecasts["cap-a"]
    fit = f["model"]["experience_fit"]
    assert f["model"]["drift"] == "experience curve, fitted" and 0.0 < fit["learning_rate"] < 0.5
    assert f["quantiles"]["p50"][10] < f["quantiles"]["p50"][0]
    from gapmap.site.generate import generate_site

    html = generate_site(kb, [], samples=500).pages["capabilities/cap-a.md"]
    assert "Wright's law fitted to the observations" in html and "doubling of cumulative production" in html
