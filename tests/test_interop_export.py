"""`gapmap export` and the library functions the site calls: shapes, derived back-links,
CSV flattening, and refusing to overwrite."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from conftest import record, tiny_map_records, write_map
from gapmap import SCHEMA_VERSION
from gapmap.cli import main
from gapmap.interop import export_gapmap_org, export_json, write_export
from gapmap.load import load_map


@pytest.fixture
def tiny(tiny_map):
    return load_map(tiny_map)


def _by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def test_json_export_carries_version_counts_and_back_links(tiny):
    doc = export_json(tiny)
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["counts"] == {"fields": 1, "gaps": 2, "capabilities": 3, "resources": 1, "tags": 1}
    caps = _by_id(doc["capabilities"])
    assert caps["cap-a"]["gaps"] == ["gap-two"] and caps["cap-a"]["required_by"] == ["cap-b"]
    assert caps["cap-c"]["gaps"] == ["gap-one"] and caps["cap-c"]["required_by"] == []
    assert _by_id(doc["resources"])["paper-a"]["cited_by"] == ["cap-a"]
    assert _by_id(doc["gaps"])["gap-two"]["capabilities"][0] == {"capability": "cap-a", "role": "partial", "note": None}
    json.dumps(doc)  # plain JSON values only


def test_json_export_counts_observation_and_build_sources_as_citations(tmp_path):
    cost = {"unit": "USD", "observations": [{"year": 2020, "value": 10.0, "source": "paper-b"}],
            "model": {"kind": "exponential", "annual_decline": 0.1}}
    kb = write_map(tmp_path / "kb", *tiny_map_records(), record("resource", "paper-b"),
                   record("capability", "cap-d", cost=cost, requires=["cap-a"]))
    assert _by_id(export_json(load_map(kb))["resources"])["paper-b"]["cited_by"] == ["cap-d"]


def test_csv_export_has_one_table_per_kind_with_lists_joined(tiny, tmp_path):
    write_export(tiny, "csv", tmp_path / "csv")
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        ".gapmap-output", "capabilities.csv", "fields.csv", "gaps.csv", "metadata.json", "resources.csv", "tags.csv"]
    gaps = {row["id"]: row for row in csv.DictReader((tmp_path / "csv" / "gaps.csv").open())}
    assert gaps["gap-two"]["capabilities.capability"] == "cap-a;cap-b"
    assert gaps["gap-two"]["capabilities.role"] == "partial;necessary"
    caps = {row["id"]: row for row in csv.DictReader((tmp_path / "csv" / "capabilities.csv").open())}
    assert caps["cap-c"]["requires"] == "cap-b" and caps["cap-a"]["required_by"] == "cap-b"
    assert json.loads((tmp_path / "csv" / "metadata.json").read_text())["schema_version"] == SCHEMA_VERSION


def test_csv_escapes_the_separator_inside_list_items(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records()[:-1],
                   record("gap", "gap-two", capabilities=[{"capability": "cap-a", "note": "fast; cheap"}]))
    write_export(load_map(kb), "csv", tmp_path / "csv")
    rows = {r["id"]: r for r in csv.DictReader((tmp_path / "csv" / "gaps.csv").open())}
    assert rows["gap-two"]["capabilities.note"] == "fast\\; cheap"


def test_gapmap_org_export_fills_both_sides_of_each_link(tiny):
    out = export_gapmap_org(tiny)
    assert set(out) == {"fields", "gaps", "capabilities", "resources", "metadata"}
    assert out["metadata"]["schema_version"] == SCHEMA_VERSION
    gap_uuid = {g["slug"]: g["id"] for g in out["gaps"]}
    caps = {c["slug"]: c for c in out["capabilities"]}
    assert caps["cap-b"]["gaps"] == [gap_uuid["gap-two"]]
    for gap in out["gaps"]:
        for cap_uuid in gap["foundationalCapabilities"]:
            assert gap["id"] in next(c["gaps"] for c in out["capabilities"] if c["id"] == cap_uuid)
    assert out["resources"][0]["types"] == ["Research and Reviews"]
    assert export_gapmap_org(tiny)["gaps"][0]["id"] == out["gaps"][0]["id"]  # made-up UUIDs are stable


@pytest.mark.parametrize("fmt, name", [("json", "map.json"), ("csv", "tables"), ("gapmap-org", "org"),
                                       ("gapmap-org", "gapmap-data.json"), ("graphml", "map.graphml")])
def test_export_command_writes_and_refuses_to_overwrite(tiny_map, tmp_path, fmt, name):
    out = tmp_path / name
    args = ["export", "--format", fmt, "--out", str(out), "--kb", str(tiny_map)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert out.exists() and (out.is_dir() == (fmt == "csv" or name == "org"))
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1 and "--force" in again.output
    assert CliRunner().invoke(main, args + ["--force"]).exit_code == 0


def test_gapmap_org_single_file_holds_every_list(tiny_map, tmp_path):
    out = tmp_path / "gapmap-data.json"
    CliRunner().invoke(main, ["export", "--format", "gapmap-org", "--out", str(out), "--kb", str(tiny_map)])
    data = json.loads(out.read_text())
    assert {k: len(v) for k, v in data.items() if k != "metadata"} == {
        "fields": 1, "gaps": 2, "capabilities": 3, "resources": 1}


def test_export_of_a_folder_that_is_not_a_map_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "json", "--out", str(tmp_path / "x.json"),
                                       "--kb", str(tmp_path)])
    assert result.exit_code == 2 and "not a map folder" in result.output
