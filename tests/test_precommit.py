"""The pre-commit hooks in .pre-commit-hooks.yaml block a commit that adds a bad or badly
formatted record, in a throwaway git repository. Uses pre-commit when installed; otherwise a
.git/hooks/pre-commit script runs each hook's `entry` the way pre-commit would (no filenames,
only when a staged file matches the hook's `files`)."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys

import pytest
import yaml

from conftest import REPO, git, record, tiny_map_records, write_map
from gapmap.edit.fmt import format_map

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())

_RUNNER = '''#!{python}
"""Runs the hooks of .pre-commit-hooks.yaml as pre-commit would (pass_filenames: false)."""
import re, shlex, subprocess, sys, yaml
staged = subprocess.run(["git", "diff", "--cached", "--name-only", "--diff-filter=ACMR"],
                        capture_output=True, text=True, check=True).stdout.split()
failed = False
for hook in yaml.safe_load(open({hooks!r})):
    if not any(re.search(hook.get("files", ""), f) for f in staged):
        continue
    argv = shlex.split(hook["entry"])
    argv[0] = {gapmap!r}
    if subprocess.run(argv).returncode != 0:
        print("hook failed:", hook["id"])
        failed = True
sys.exit(1 if failed else 0)
'''



@pytest.fixture
def repo(tmp_path):
    kb = write_map(tmp_path / "repo", *tiny_map_records())
    format_map(kb, check_only=False)
    git(kb, "init", "-q")
    _install_hooks(kb)
    git(kb, "add", ".")
    result = git(kb, "commit", "-q", "-m", "a sound map", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return kb


def _install_hooks(kb):
    gapmap = shutil.which("gapmap") or "gapmap"
    if shutil.which("pre-commit"):
        local = [dict(hook, language="system", entry=hook["entry"].replace("gapmap", gapmap, 1)) for hook in HOOKS]
        (kb / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}))
        git(kb, "add", ".pre-commit-config.yaml")
        subprocess.run(["pre-commit", "install"], cwd=kb, check=True, capture_output=True)
        return
    hook = kb / ".git" / "hooks" / "pre-commit"
    hook.write_text(_RUNNER.format(python=sys.executable, hooks=str(REPO / ".pre-commit-hooks.yaml"), gapmap=gapmap))
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)


def test_hooks_declare_validate_and_fmt_check():
    by_id = {hook["id"]: hook for hook in HOOKS}
    assert by_id["gapmap-validate"]["entry"] == "gapmap validate"
    assert by_id["gapmap-fmt"]["entry"] == "gapmap fmt --check"
    assert all(hook["pass_filenames"] is False for hook in HOOKS)


def test_a_commit_adding_a_bad_record_is_blocked(repo):
    write_map(repo, record("capability", "cap-typo", kindd="technology"))
    format_map(repo, check_only=False)
    git(repo, "add", ".")
    result = git(repo, "commit", "-m", "add a bad record", check=False)
    assert result.returncode != 0
    assert "capabilities/cap-typo.yaml" in result.stdout + result.stderr
    assert "unknown-key" in result.stdout + result.stderr


def test_a_commit_adding_an_unformatted_record_is_blocked(repo):
    write_map(repo, record("resource", "paper-b"))
    (repo / "gaps" / "gap-one.yaml").write_text((repo / "gaps" / "gap-one.yaml").read_text()
                                               + "resources: [paper-b]\n")
    git(repo, "add", ".")
    result = git(repo, "commit", "-m", "add an unformatted record", check=False)
    assert result.returncode != 0 and "resources/paper-b.yaml" in result.stdout + result.stderr


def test_a_commit_adding_a_sound_formatted_record_passes(repo):
    write_map(repo, record("resource", "paper-b"), *[r for r in tiny_map_records() if r[1]["id"] == "cap-c"])
    (repo / "capabilities" / "cap-c.yaml").write_text(
        (repo / "capabilities" / "cap-c.yaml").read_text() + "resources: [paper-b]\n")
    format_map(repo, check_only=False)
    git(repo, "add", ".")
    result = git(repo, "commit", "-m", "add a source", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
