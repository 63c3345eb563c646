"""One dollar base per series: the loader converts observations with deflators.yaml."""

from __future__ import annotations

import pytest

from gapmap.check import check_map
from gapmap.load import load_map

from conftest import record, tiny_map_records, write_map

INDEX = "source: paper-a\nseries: CPI-U annual average, 1982-84=100\nindex:\n  2010: 200.0\n  2020: 250.0\n"


def _cost(dollar_year=None, years=(2010, 2020)):
    obs = [{"year": y, "value": 100.0, "source": "paper-a", "basis": "realised", "dollar_year": y} for y in years]
    block = {"unit": "USD per thing", "observations": obs, "model": {"kind": "exponential"}}
    return block | ({"dollar_year": dollar_year} if dollar_year else {})


def _map(tmp_path, cost, deflators=INDEX):
    kb = write_map(tmp_path / "kb", *tiny_map_records()[:-1], record("capability", "cap-c", cost=cost, requires=["cap-b"]))
    if deflators is not None:
        (kb / "deflators.yaml").write_text(deflators)
    return load_map(kb)


def test_observations_are_converted_to_the_series_dollar_year(tmp_path):
    kb = _map(tmp_path, _cost(dollar_year=2020))
    old, new = kb.capabilities["cap-c"].cost.observations
    assert old.value == pytest.approx(125.0) and old._nominal == 100.0
    assert new.value == 100.0 and new._nominal is None
    assert not [f for f in check_map(kb) if f.code.startswith("mixed")]


def test_a_year_missing_from_the_index_is_an_error_at_the_observation(tmp_path):
    kb = _map(tmp_path, _cost(dollar_year=2020, years=(2005, 2020)))
    (f,) = [f for f in check_map(kb) if f.code == "mixed-dollars"]
    assert "no index for 2005" in f.message and f.line > 1
    assert kb.capabilities["cap-c"].cost.observations[0].value == 100.0  # left as written


def test_conversion_without_deflators_says_so(tmp_path):
    kb = _map(tmp_path, _cost(dollar_year=2020), deflators=None)
    assert any("no deflators.yaml" in f.message for f in check_map(kb) if f.code == "mixed-dollars")


def test_the_index_source_must_be_a_resource(tmp_path):
    kb = _map(tmp_path, _cost(dollar_year=2020), deflators=INDEX.replace("paper-a", "paper-x"))
    assert [(f.file, f.code) for f in check_map(kb) if f.code == "unknown-ref"] == [("deflators.yaml", "unknown-ref")]


def test_a_bad_index_file_is_a_finding_with_its_line(tmp_path):
    kb = _map(tmp_path, _cost(dollar_year=2010, years=(2010,)), deflators="source: paper-a\nseries: X\nindex:\n  2010: -3\n")
    (f,) = [f for f in check_map(kb) if f.file == "deflators.yaml"]
    assert f.code == "out-of-range" and f.line == 4
