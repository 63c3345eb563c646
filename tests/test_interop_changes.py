"""The scope of a focused validation (gapmap.interop.changes): files changed since a revision
(from the merge base, deletions apart) and files named from the current folder or the map."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git, tiny_map_records, write_map
from gapmap.interop.changes import ScopeError, changed_files, deleted_files, named_files, scope


@pytest.fixture
def repo(tmp_path):
    kb = write_map(tmp_path / "repo", *tiny_map_records())
    git(kb, "init", "-q", "-b", "main")
    git(kb, "add", ".")
    git(kb, "commit", "-q", "-m", "start")
    return kb


def test_commits_that_reached_the_base_after_branching_are_not_this_branchs_changes(repo):
    git(repo, "checkout", "-q", "-b", "topic")
    (repo / "gaps" / "gap-two.yaml").write_text((repo / "gaps" / "gap-two.yaml").read_text() + "# edited\n")
    git(repo, "commit", "-q", "-am", "topic work")
    git(repo, "checkout", "-q", "main")
    (repo / "gaps" / "gap-one.yaml").write_text((repo / "gaps" / "gap-one.yaml").read_text() + "# later on main\n")
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "topic")
    assert changed_files(repo, "main") == {"gaps/gap-two.yaml"}


def test_named_files_may_be_given_from_the_current_folder_or_the_map(repo, monkeypatch):
    monkeypatch.chdir(repo.parent)
    assert named_files(repo, ["repo/gaps/gap-one.yaml", "gaps/gap-two.yaml"]) == {"gaps/gap-one.yaml",
                                                                                 "gaps/gap-two.yaml"}
    assert named_files(repo, [repo / "fields"]) == {"fields/physics.yaml"}


def test_a_named_file_outside_the_map_is_a_scope_error(repo, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("id: x\n")
    with pytest.raises(ScopeError, match="not inside the map"):
        named_files(repo, [outside])


def test_no_revision_and_no_paths_means_the_whole_map(repo):
    assert scope(repo, None, ()) is None
    assert scope(repo, "HEAD", ["gaps/gap-one.yaml"]) == {"gaps/gap-one.yaml"}


def test_a_folder_that_is_not_a_git_repository_is_a_scope_error(tiny_map):
    with pytest.raises(ScopeError, match="cannot ask git"):
        changed_files(tiny_map, "HEAD")


def test_a_renamed_record_counts_as_deleted_under_its_old_name(repo):
    git(repo, "mv", "capabilities/cap-c.yaml", "capabilities/cap-d.yaml")
    git(repo, "commit", "-q", "-m", "rename")
    assert deleted_files(repo, "HEAD~1") == {"capabilities/cap-c.yaml"}
    assert changed_files(repo, "HEAD~1") == {"capabilities/cap-d.yaml"}


def test_a_map_in_a_subfolder_of_the_repository_gets_map_relative_paths(tmp_path):
    kb = write_map(tmp_path / "top" / "kb", *tiny_map_records())
    git(tmp_path / "top", "init", "-q", "-b", "main")
    (tmp_path / "top" / "README").write_text("x")
    git(tmp_path / "top", "add", ".")
    git(tmp_path / "top", "commit", "-q", "-m", "start")
    (kb / "gaps" / "gap-one.yaml").write_text("id: gap-one\n")
    (tmp_path / "top" / "README").write_text("y")
    assert changed_files(kb, "HEAD") == {"gaps/gap-one.yaml"}


@pytest.mark.parametrize("rev", ["--output=/tmp/gapmap-pwned", "-p", "HEAD --", "no-such-branch", "HEAD\n--all"])
def test_a_revision_is_verified_and_never_reaches_git_as_an_option(repo, rev, tmp_path):
    with pytest.raises(ScopeError, match="not a"):
        changed_files(repo, rev)
    with pytest.raises(ScopeError, match="not a"):
        deleted_files(repo, rev)
    assert not Path("/tmp/gapmap-pwned").exists()


def test_option_values_that_look_like_options_are_usage_errors(repo):
    from click.testing import CliRunner

    from gapmap.cli import main

    for args in (["--changed-since", "--output=x"], ["--paths", "--strict"], ["--format", "-x"]):
        result = CliRunner().invoke(main, ["validate", str(repo), *args])
        assert result.exit_code == 2 and "looks like an option" in result.output, result.output
    literal = CliRunner().invoke(main, ["validate", str(repo), "--changed-since=--output=x"])
    assert literal.exit_code == 2 and "not a git revision" in literal.output


def test_paths_naming_a_missing_file_is_a_usage_error(repo):
    from click.testing import CliRunner

    from gapmap.cli import main

    result = CliRunner().invoke(main, ["validate", str(repo), "--paths", "gaps/no-such-gap.yaml"])
    assert result.exit_code == 2 and "does not exist" in result.output
