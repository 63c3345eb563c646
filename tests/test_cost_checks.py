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
