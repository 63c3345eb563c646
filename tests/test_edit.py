"""Commands that write records: new, fmt, schema."""

from __future__ import annotations

from click.testing import CliRunner

from gapmap.check import check_map
from gapmap.cli import main
from gapmap.load import load_map


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_new_writes_a_valid_record_with_the_schema_comment(tiny_map):
    result = run("new", "capability", "brand-new", "--title", "Brand new", "--kb", str(tiny_map))
    assert result.exit_code == 0, result.output
    text = (tiny_map / "capabilities" / "brand-new.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/capability.schema.json")
    findings = check_map(load_map(tiny_map))
    assert not [f for f in findings if f.severity == "error"]
    assert {f.code for f in findings if f.file.endswith("brand-new.yaml")} == {"placeholder-text", "orphan-capability"}


def test_new_gap_takes_the_first_field_and_is_valid(tiny_map):
    assert run("new", "gap", "a-new-gap", "--kb", str(tiny_map)).exit_code == 0
    assert "a-new-gap" in load_map(tiny_map).gaps


def test_new_never_overwrites(tiny_map):
    before = (tiny_map / "gaps" / "gap-one.yaml").read_text()
    result = run("new", "gap", "gap-one", "--kb", str(tiny_map))
    assert result.exit_code == 1 and "already exists" in result.output
    assert (tiny_map / "gaps" / "gap-one.yaml").read_text() == before


def test_new_refuses_a_bad_id(tiny_map):
    assert run("new", "gap", "Bad Id", "--kb", str(tiny_map)).exit_code == 2


def test_fmt_orders_keys_and_keeps_comments(tiny_map):
    path = tiny_map / "capabilities" / "cap-a.yaml"
    path.write_text("# keep me\nrequires: []  # why none\nsummary: S.\nid: cap-a\ntitle: T\ndescription: D.\n"
                    "resources: [paper-a]\n")
    assert run("fmt", "--check", str(tiny_map)).exit_code == 1
    assert run("fmt", "--kb", str(tiny_map)).exit_code == 0
    text = path.read_text()
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith("#")]
    assert keys == ["id", "title", "summary", "description", "resources", "requires"]
    assert "# keep me" in text and "# why none" in text
    assert run("fmt", "--check", str(tiny_map)).exit_code == 0
    assert "cap-a" in load_map(tiny_map).capabilities


def test_fmt_skips_broken_files_without_touching_them(tiny_map):
    path = tiny_map / "gaps" / "broken.yaml"
    path.write_text("id: [broken\n")
    result = run("fmt", "--kb", str(tiny_map))
    assert result.exit_code == 1 and "skipped gaps/broken.yaml" in result.output
    assert path.read_text() == "id: [broken\n"


def test_schema_writes_one_file_per_kind_and_per_other_map_file(tmp_path):
    assert run("schema", "--out", str(tmp_path)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "capability.schema.json", "crosswalk.schema.json", "deflators.schema.json", "field.schema.json",
        "gap.schema.json", "resource.schema.json", "tags.schema.json"]
