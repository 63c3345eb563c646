"""`gapmap graph stats|leverage|path` on the command line: tables, JSON, usage errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gapmap.cli import main
from gapmap.cli.graph import table


def run(*args):
    return CliRunner().invoke(main, ["graph", *args], catch_exceptions=False)


def test_stats_prints_counts_and_the_deepest_chain(tiny_map):
    result = run("stats", "--kb", str(tiny_map))
    assert result.exit_code == 0
    assert "1 fields, 2 gaps, 3 capabilities, 1 resources" in result.output
    assert "cap-a → cap-b → cap-c" in result.output


def test_stats_json_is_machine_readable(tiny_map):
    data = json.loads(run("stats", "--kb", str(tiny_map), "--json").output)
    assert data["orphans"] == {"capabilities": [], "resources": [], "fields": []}


def test_leverage_lists_the_top_rows_in_aligned_columns(tiny_map):
    lines = run("leverage", "--kb", str(tiny_map), "--top", "2").output.splitlines()
    assert len(lines) == 3 and lines[0].split()[:3] == ["#", "leverage", "gaps"]
    assert lines[1].index("cap-a") == lines[2].index("cap-b") == lines[0].index("capability")


def test_leverage_json_names_the_contributing_gaps(tiny_map):
    rows = json.loads(run("leverage", "--kb", str(tiny_map), "--json").output)
    assert {c["gap"] for c in rows[0]["gaps"]} == {"gap-one", "gap-two"}


def test_path_shows_closure_and_longest_chain(tiny_map):
    out = run("path", "gap-one", "--kb", str(tiny_map)).output
    assert "needs 3 capabilities" in out
    assert "longest chain: 3 capabilities" in out and "cap-a → cap-b → cap-c" in out


def test_path_json_holds_closure_and_chains(tiny_map):
    data = json.loads(run("path", "gap-one", "--kb", str(tiny_map), "--json").output)
    assert [p["capability"] for p in data["closure"]] == ["cap-c", "cap-b", "cap-a"]
    assert data["chain"]["capabilities"] == ["cap-a", "cap-b", "cap-c"]


def test_unknown_gap_is_a_usage_error_with_a_suggestion(tiny_map):
    result = run("path", "gap-onee", "--kb", str(tiny_map))
    assert result.exit_code == 2 and "did you mean 'gap-one'" in result.output


def test_a_map_with_errors_is_refused_with_exit_one(tiny_map):
    (tiny_map / "capabilities" / "cap-a.yaml").write_text("id: cap-a\ntitle: A\nsummary: S.\ndescription: D.\n"
                                                           "requires: [cap-c]\n")
    result = CliRunner().invoke(main, ["graph", "stats", "--kb", str(tiny_map)])
    assert result.exit_code == 1 and "gapmap validate" in result.output


def test_table_right_aligns_numbers_and_leaves_the_last_column_ragged():
    assert table(["n", "name", "note"], [[5, "a", "x"], [12, "bb", "long note"]]).splitlines() == [
        " n  name  note", " 5  a     x", "12  bb    long note"]
