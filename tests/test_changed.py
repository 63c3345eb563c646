"""`gapmap validate --changed-since REV` and `--paths`: findings only for the files named or
changed, while references still resolve against the whole map (in a throwaway git repository)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import git, record, tiny_map_records, write_map
from gapmap.cli import main
from gapmap.interop.changes import changed_files




@pytest.fixture
def repo(tmp_path):
    """A committed map with one old defect (an unknown tag in cap-a) nobody is touching now."""
    records = [r for r in tiny_map_records() if r[1]["id"] != "cap-a"]
    kb = write_map(tmp_path / "repo", *records, record("capability", "cap-a", resources=["paper-a"], tags=["old-typo"]))
    git(kb, "init", "-q", "-b", "main")
    git(kb, "add", ".")
    git(kb, "commit", "-q", "-m", "start")
    return kb


def _validate(kb, *args):
    result = CliRunner().invoke(main, ["validate", "--kb", str(kb), "--format", "json", *args])
    data = json.loads(result.output)
    return result.exit_code, {(f["file"], f["code"]) for f in data["errors"] + data["warnings"]}


def test_a_change_to_one_record_reports_only_that_file(repo):
    gap = repo / "gaps" / "gap-one.yaml"
    gap.write_text(gap.read_text().replace("cap-c", "cap-x"))  # a new broken reference
    code, found = _validate(repo, "--changed-since", "HEAD")
    assert found == {("gaps/gap-one.yaml", "unknown-ref")} and code == 1
    _, everything = _validate(repo)
    assert ("capabilities/cap-a.yaml", "unknown-tag") in everything


def test_references_from_a_changed_file_resolve_against_the_whole_map(repo):
    gap = repo / "gaps" / "gap-one.yaml"
    gap.write_text(gap.read_text().replace("cap-c", "cap-b"))  # valid: cap-b is not changed
    assert _validate(repo, "--changed-since", "HEAD") == (0, set())


def test_new_untracked_and_committed_changes_both_count(repo):
    write_map(repo, record("resource", "paper-new"))  # untracked, cited by nothing
    git(repo, "checkout", "-q", "-b", "topic")
    gap = repo / "gaps" / "gap-two.yaml"
    gap.write_text(gap.read_text().replace("cap-b", "cap-q"))
    git(repo, "commit", "-q", "-am", "topic work")
    assert changed_files(repo, "main") == {"gaps/gap-two.yaml", "resources/paper-new.yaml"}
    _, found = _validate(repo, "--changed-since", "HEAD~1")
    assert found == {("gaps/gap-two.yaml", "unknown-ref"), ("resources/paper-new.yaml", "orphan-resource")}


def test_paths_limit_the_report_to_the_named_files(repo):
    code, found = _validate(repo, "--paths", str(repo / "capabilities" / "cap-a.yaml"))
    assert found == {("capabilities/cap-a.yaml", "unknown-tag")} and code == 1
    assert _validate(repo, "--paths", str(repo / "gaps" / "gap-one.yaml")) == (0, set())


def test_an_unknown_revision_is_a_usage_error(repo):
    result = CliRunner().invoke(main, ["validate", "--kb", str(repo), "--changed-since", "no-such-branch"])
    assert result.exit_code == 2 and "no-such-branch" in result.output


def test_paths_may_be_given_relative_to_the_map(repo, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from gapmap.cli import main

    monkeypatch.chdir(tmp_path)
    ok = CliRunner().invoke(main, ["validate", "--kb", str(repo), "--paths", "gaps/gap-one.yaml"])
    assert ok.exit_code in (0, 1) and "Traceback" not in ok.output
    bad = CliRunner().invoke(main, ["validate", "--kb", str(repo), "--paths", "/etc/passwd"])
    assert bad.exit_code == 2 and "is not inside the map" in bad.output


def test_deleting_a_record_reports_the_references_it_breaks_elsewhere(repo):
    (repo / "capabilities" / "cap-c.yaml").unlink()
    git(repo, "commit", "-qam", "drop cap-c")
    code, found = _validate(repo, "--changed-since", "HEAD~1")
    assert code == 1
    assert ("gaps/gap-one.yaml", "unknown-ref") in found
    assert ("capabilities/cap-a.yaml", "unknown-tag") not in found
