"""`gapmap validate` on the command line: formats, exit codes, --explain, no tracebacks."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gapmap.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _break(kb):
    (kb / "gaps" / "gap-one.yaml").write_text(
        "id: gap-one\ntitle: T\nsummary: S.\ndescription: D.\nfield: physics\n"
        "capabilities:\n  - {capability: cap-cc, role: necessary}\n")


def test_clean_map_exits_zero_and_says_so(tiny_map):
    result = run("validate", "--kb", str(tiny_map))
    assert result.exit_code == 0
    assert "0 error(s), 0 warning(s)" in result.output


def test_error_is_printed_as_file_line_column_and_exits_one(tiny_map):
    _break(tiny_map)
    result = run("validate", "--kb", str(tiny_map))
    assert result.exit_code == 1
    assert ("gaps/gap-one.yaml:7:18: error: unknown-ref: capability 'cap-cc' not found "
            "(did you mean 'cap-c'?)") in result.output


def test_github_format_annotates_the_line(tiny_map):
    _break(tiny_map)
    result = run("validate", "--kb", str(tiny_map), "--format", "github")
    assert "::error file=gaps/gap-one.yaml,line=7,col=18,title=unknown-ref::capability 'cap-cc'" in result.output


def test_json_format_splits_errors_and_warnings(tiny_map):
    _break(tiny_map)
    (tiny_map / "fields" / "lonely.yaml").write_text("id: lonely\ntitle: L\nsummary: S.\ndescription: D.\n")
    data = json.loads(run("validate", "--kb", str(tiny_map), "--format", "json").output)
    assert [e["code"] for e in data["errors"]] == ["unknown-ref"]
    assert sorted(w["code"] for w in data["warnings"]) == ["empty-field", "orphan-capability"]
    assert data["counts"]["errors"] == 1 and data["counts"]["warnings"] == 2
    assert set(data["errors"][0]) >= {"file", "line", "column", "code", "message"}


def test_strict_fails_on_warnings_only(tiny_map):
    (tiny_map / "fields" / "lonely.yaml").write_text("id: lonely\ntitle: L\nsummary: S.\ndescription: D.\n")
    assert run("validate", "--kb", str(tiny_map)).exit_code == 0
    assert run("validate", "--kb", str(tiny_map), "--strict").exit_code == 1


def test_not_a_map_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--kb", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a map folder" in result.output


def test_explain_describes_a_code_and_its_fix():
    result = run("validate", "--explain", "duplicate-key")
    assert result.exit_code == 0 and "Fix:" in result.output
    assert CliRunner().invoke(main, ["validate", "--explain", "no-such-code"]).exit_code == 2


def test_paths_limits_the_report_but_references_resolve(tiny_map):
    _break(tiny_map)
    other = tiny_map / "gaps" / "gap-two.yaml"
    result = run("validate", "--kb", str(tiny_map), "--paths", str(other))
    assert result.exit_code == 0, result.output


def test_the_old_positional_map_argument_still_works_with_a_deprecation_note(tiny_map):
    result = CliRunner().invoke(main, ["validate", str(tiny_map)])
    assert result.exit_code == 0 and "deprecated; use --kb" in result.output
    both = CliRunner().invoke(main, ["validate", str(tiny_map), "--kb", str(tiny_map)])
    assert both.exit_code == 2


def test_two_records_with_one_gapmap_org_uuid_are_reported_at_the_second_naming_the_first(tiny_map):
    uuid = "1c1cb37e-2a00-8013-a845-c84eb5cde804"
    for name in ("gap-one", "gap-two"):
        path = tiny_map / "gaps" / f"{name}.yaml"
        path.write_text(path.read_text() + f"external_ids:\n  gapmap_org: {uuid}\n")
    result = run("validate", "--kb", str(tiny_map))
    assert result.exit_code == 1
    line = len((tiny_map / "gaps" / "gap-two.yaml").read_text().splitlines())
    assert (f"gaps/gap-two.yaml:{line}:15: error: duplicate-external-id: gapmap_org id '{uuid}' is already "
            "that of 'gap-one' (gaps/gap-one.yaml)") in result.output
    assert "gaps/gap-one.yaml" not in result.output.split("duplicate-external-id")[0]
