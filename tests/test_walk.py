"""The one map walk: symlinks, sub-folders and unreadable folders are findings, never silence,
and nothing outside the map is ever read."""

from __future__ import annotations

import os

from click.testing import CliRunner

from gapmap.check import check_map
from gapmap.cli import main
from gapmap.edit.fmt import format_map
from gapmap.load import load_map

from conftest import record, tiny_map_records, write_map


def _codes(kb):
    return {(f.file, f.code, f.severity) for f in check_map(load_map(kb))}


def test_a_symlinked_record_is_an_error_and_is_not_read(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: secret\ntitle: Secret\n")
    os.symlink(outside, kb / "gaps" / "secret.yaml")
    loaded = load_map(kb)
    assert "secret" not in loaded.known_ids
    assert ("gaps/secret.yaml", "symlink", "error") in _codes(kb)


def test_dangling_and_looping_symlinks_are_findings_not_tracebacks(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    os.symlink(kb / "gaps" / "nowhere.yaml", kb / "gaps" / "dangling.yaml")
    os.symlink(kb / "gaps" / "loop-b.yaml", kb / "gaps" / "loop-a.yaml")
    os.symlink(kb / "gaps" / "loop-a.yaml", kb / "gaps" / "loop-b.yaml")
    result = CliRunner().invoke(main, ["validate", "--kb", str(kb)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    for name in ("dangling", "loop-a", "loop-b"):
        assert f"gaps/{name}.yaml:1:1: error: symlink:" in result.output


def test_tags_file_symlinked_out_of_the_map_is_not_read(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    (kb / "tags.yaml").unlink()
    outside = tmp_path / "private.yaml"
    outside.write_text("private-tag: something from outside the map\n")
    os.symlink(outside, kb / "tags.yaml")
    loaded = load_map(kb)
    assert "private-tag" not in loaded.tags
    assert ("tags.yaml", "symlink", "error") in _codes(kb)


def test_records_in_a_sub_folder_are_reported_not_silently_ignored(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    (kb / "gaps" / "drafts").mkdir()
    (kb / "gaps" / "drafts" / "x.yaml").write_text("id: x\n")
    assert ("gaps/drafts", "stray-folder", "error") in _codes(kb)


def test_an_unlistable_folder_is_one_finding_naming_it(tmp_path, monkeypatch):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    real = os.scandir

    def scandir(path):
        if str(path).endswith("resources"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    findings = [f for f in check_map(load_map(kb)) if f.code == "unreadable"]
    assert [(f.file, f.severity) for f in findings] == [("resources", "error")]
    assert "Permission denied" in findings[0].message


def test_fmt_never_writes_through_a_symlink(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    outside = tmp_path / "outside.yaml"
    body = "title: Unformatted\nid: outside\n"
    outside.write_text(body)
    os.symlink(outside, kb / "capabilities" / "outside.yaml")
    format_map(kb, check_only=False)
    assert outside.read_text() == body


def test_symlink_severity_agrees_with_explain(tmp_path):
    kb = write_map(tmp_path / "kb", record("field", "f-one"))
    os.symlink(tmp_path, kb / "fields" / "link.yaml")
    (severity,) = {f.severity for f in check_map(load_map(kb)) if f.code == "symlink"}
    explained = CliRunner().invoke(main, ["validate", "--explain", "symlink"]).output
    assert explained.startswith(f"symlink ({severity})")
