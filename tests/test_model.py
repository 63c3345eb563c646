"""Record models and the committed JSON Schemas generated from them."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from pydantic import ValidationError

from gapmap.model import Capability, Lognormal, Triangular
from gapmap.model.schema import schema_files, site_address

from conftest import REPO, record


def _cap(**keys):
    return Capability.model_validate(record("capability", "c", **keys)[1])


def test_bare_number_is_a_fixed_distribution():
    cap = _cap(build={"cost_usd": 5e7, "years": 4})
    assert cap.build.cost_usd.dist == "fixed" and cap.build.cost_usd.value == 5e7


def test_lognormal_percentiles_give_matching_mu_and_sigma():
    d = Lognormal(dist="lognormal", p05=3e7, p95=2e8)
    assert math.exp(d.mu - 1.6448536 * d.sigma) == pytest.approx(3e7, rel=1e-6)
    assert math.exp(d.mu + 1.6448536 * d.sigma) == pytest.approx(2e8, rel=1e-6)


def test_triangular_median_is_correct():
    assert Triangular(dist="triangular", low=0, mode=0, high=2).median() == pytest.approx(2 - math.sqrt(2))


@pytest.mark.parametrize("bad", [
    {"cost_usd": {"dist": "lognormal", "p05": 5, "p95": 1}, "years": 3},
    {"cost_usd": -5, "years": 3},
    {"cost_usd": float("inf"), "years": 3},
    {"cost_usd": 1e6, "years": {"dist": "triangular", "low": 5, "mode": 1, "high": 9}},
    {"cost_usd": {"p05": 1, "p95": 2}, "years": 3},
    {"cost_usd": True, "years": 3},
])
def test_bad_build_blocks_are_refused(bad):
    with pytest.raises(ValidationError):
        _cap(build=bad)


def test_unknown_keys_are_refused_in_nested_blocks():
    with pytest.raises(ValidationError):
        _cap(build={"cost_usd": 1e6, "years": 2, "costs": 3})


def test_committed_schemas_match_the_models():
    committed = {p.name: p.read_text() for p in (REPO / "schemas").glob("*.schema.json")}
    assert committed == schema_files(site_address(REPO)), "schemas/ is stale: run `gapmap schema --out schemas`"


def test_schema_accepts_a_bare_number_for_a_distribution():
    text = schema_files()["capability.schema.json"]
    assert '"type": "number"' in text and json.loads(text)["$comment"].startswith("Open Gap Map schema_version")
