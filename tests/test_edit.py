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


import pytest


@pytest.mark.parametrize("bad", ["true", "no", "null", "off", "0x1f", "1e3", "2024-01-01", "12345", "index",
                                 "gap\n", "-gap", "a" * 81, "gap--two"])
def test_new_refuses_ids_yaml_reads_as_another_type_or_the_site_keeps(tiny_map, bad):
    before = sorted(p.name for p in (tiny_map / "gaps").iterdir())
    result = run("new", "gap", bad, "--kb", str(tiny_map))
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in (tiny_map / "gaps").iterdir()) == before


def test_new_refuses_an_id_another_kind_has(tiny_map):
    result = run("new", "gap", "cap-a", "--kb", str(tiny_map))
    assert result.exit_code == 1 and "capabilities/cap-a.yaml" in result.output
    assert not (tiny_map / "gaps" / "cap-a.yaml").exists()


def test_new_keeps_any_unicode_title_exactly(tiny_map):
    title = "Rocket 🚀 \"launch\": costs # and \\ more, ünïcödé 𝔘 ok"
    assert run("new", "field", "rockets", "--title", title, "--kb", str(tiny_map)).exit_code == 0
    loaded = load_map(tiny_map)
    assert loaded.fields["rockets"].title == title
    assert "🚀" in (tiny_map / "fields" / "rockets.yaml").read_text()


def test_new_refuses_a_title_on_several_lines_and_an_unknown_field(tiny_map):
    assert run("new", "field", "x-field", "--title", "two\nlines", "--kb", str(tiny_map)).exit_code == 2
    result = run("new", "gap", "x-gap", "--field", "chemistry", "--kb", str(tiny_map))
    assert result.exit_code == 2 and "physics" in result.output


def test_new_outside_a_map_is_a_usage_error(tmp_path):
    result = run("new", "field", "physics", "--kb", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and not (tmp_path / "nowhere").exists()


def test_fmt_keeps_each_comment_with_its_key(tiny_map):
    path = tiny_map / "capabilities" / "cap-a.yaml"
    path.write_text("# about the file\n\n# about the title\ntitle: T\n# about the id\nid: cap-a\n"
                    "summary: S.  # why so short\n# about the description\ndescription: |\n  D.\n  # a Markdown heading\n"
                    "resources:\n  - paper-a  # the main source\n# about requires\nrequires: []\n# closing remark\n")
    assert run("fmt", str(tiny_map)).exit_code == 0
    lines = path.read_text().splitlines()

    def above(key):
        i = next(n for n, line in enumerate(lines) if line.startswith(key + ":"))
        return lines[i - 1]

    assert above("id") == "# about the id" and above("title") == "# about the title"
    assert above("description") == "# about the description" and above("requires") == "# about requires"
    assert "summary: S.  # why so short" in lines and "  # a Markdown heading" in lines
    assert lines[-1] == "# closing remark" and "# about the file" in lines[:3]
    assert run("fmt", "--check", str(tiny_map)).exit_code == 0
    assert load_map(tiny_map).capabilities["cap-a"].description.strip().endswith("# a Markdown heading")


def test_fmt_never_grows_a_file_past_the_size_limit(tiny_map):
    from gapmap.load.yaml_source import MAX_BYTES

    path = tiny_map / "capabilities" / "cap-a.yaml"
    head = "title: T\nid: cap-a\nsummary: S.\nresources: [paper-a]\ndescription: |\n"
    body = "  " + "x" * 99 + "\n"
    text = head + body * ((MAX_BYTES - len(head) - 40) // len(body))
    path.write_text(text)
    assert len(text.encode()) <= MAX_BYTES
    result = run("fmt", str(tiny_map))
    assert result.exit_code == 1 and "past the" in result.output
    assert path.read_text() == text


def test_fmt_does_not_format_again_what_it_knows_is_canonical(tiny_map, monkeypatch):
    import gapmap.edit.fmt as fmt

    assert run("fmt", str(tiny_map)).exit_code == 0
    path = tiny_map / "capabilities" / "cap-b.yaml"
    path.write_text("title: T\nid: cap-b\nsummary: S.\ndescription: D.\nrequires: [cap-a]\n")
    seen = []
    real = fmt.format_text
    monkeypatch.setattr(fmt, "format_text", lambda text, kind: seen.append(text) or real(text, kind))
    result = run("fmt", "--check", str(tiny_map))
    assert result.exit_code == 1 and "capabilities/cap-b.yaml" in result.output
    assert len(seen) == 1  # only the edited file was formatted again


def test_schema_never_writes_into_a_record_folder(tiny_map):
    result = run("schema", "--out", str(tiny_map / "gaps"))
    assert result.exit_code == 1 and "refusing to write" in result.output
    assert not list((tiny_map / "gaps").glob("*.json"))
