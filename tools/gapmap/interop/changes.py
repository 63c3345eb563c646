"""Which map files a validation should report on: those changed since a git revision, or those
named on the command line (for fast, focused feedback on a pull request or in a commit hook).

A *scope* is a set of paths relative to the map folder, in the form findings use
(`gaps/x.yaml`); checks still run on the whole map, so references resolve against every record.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path


class ScopeError(RuntimeError):
    """The scope cannot be worked out (no git, unknown revision, a path outside the map)."""


def changed_files(kb_dir: Path, rev: str) -> set[str]:
    """Paths relative to `kb_dir` of files added, modified or renamed since `rev` (committed or not).

    The comparison starts where the current branch left `rev` (their merge base), so commits
    that reached `rev` after the branch was made are not counted as this branch's changes."""
    commit = verify_revision(kb_dir, rev)
    untracked = _git(kb_dir, rev, "ls-files", "--others", "--exclude-standard", "--", ".")
    return _diff(kb_dir, commit, "ACMR", rev) | {Path(line).as_posix() for line in untracked.splitlines()}


def deleted_files(kb_dir: Path, rev: str) -> set[str]:
    """Paths relative to `kb_dir` of files deleted since `rev` (a renamed file counts as deleted
    under its old name: records that cited the old id now hold broken references)."""
    return _diff(kb_dir, verify_revision(kb_dir, rev), "D", rev, "--no-renames")


def verify_revision(kb_dir: Path, rev: str) -> str:
    """The commit `rev` names (its full hash); ScopeError if it is not a revision. Only the hash
    is ever passed on to git, so a value like `--output=x` can never act as one of git's options."""
    if not isinstance(rev, str) or not rev or rev.startswith("-") or any(c in rev for c in "\0\n\r"):
        raise ScopeError(f"{rev!r} is not a git revision; give a branch, tag or commit, e.g. origin/main")
    _git(kb_dir, rev, "rev-parse", "--show-toplevel")  # not a repository: "cannot ask git ..."
    out = _git(kb_dir, rev, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False).strip()
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", out):
        raise ScopeError(f"{rev!r} is not a commit of the git repository holding {kb_dir}; "
                         "give a branch, tag or commit, e.g. origin/main")
    return out


def _diff(kb_dir: Path, commit: str, kinds: str, rev: str, *options: str) -> set[str]:
    """Map-relative paths that `git diff` lists with a status in `kinds`, since the merge base
    of `commit` (a verified hash; `rev` is what the user wrote, for messages) and HEAD."""
    kb = Path(kb_dir).resolve()
    top = Path(_git(kb_dir, rev, "rev-parse", "--show-toplevel").strip())
    base = _git(kb_dir, rev, "merge-base", commit, "HEAD", check=False).strip() or commit
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", base):
        raise ScopeError(f"cannot ask git what changed since {rev!r}: no common history with HEAD")
    out = _git(kb_dir, rev, "diff", "--name-only", f"--diff-filter={kinds}", *options, base, "--", ".")
    paths = ((top / line).resolve() for line in out.splitlines())
    return {path.relative_to(kb).as_posix() for path in paths if path.is_relative_to(kb)}


def _git(kb_dir: Path, rev: str, *args: str, check: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=kb_dir, capture_output=True, text=True, check=check)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise ScopeError(f"cannot ask git what changed since {rev!r}: {detail.strip()}") from None
    return done.stdout if done.returncode == 0 else ""


def named_files(kb_dir: Path, paths) -> set[str]:
    """Paths relative to `kb_dir` for `paths` given relative to the current folder (as a commit hook
    passes them) or to the map; a folder stands for the files under it."""
    kb = Path(kb_dir).resolve()
    result = set()
    for given in paths:
        path = Path(given)
        if not path.is_absolute() and not path.exists() and (kb_dir / path).exists():
            path = kb_dir / path
        if not path.exists():
            raise ScopeError(f"{given} does not exist; name files of the map (a deleted record needs no check)")
        path = path.resolve()
        if not path.is_relative_to(kb):
            raise ScopeError(f"{given} is not inside the map at {kb_dir}; name files of the map")
        if path.is_dir():
            result.update(_files_under(path, kb))
        else:
            result.add(path.relative_to(kb).as_posix())
    return result


def _files_under(folder: Path, kb_dir: Path) -> set[str]:
    out = set()
    for parent, _, names in os.walk(folder):
        out.update((Path(parent) / name).relative_to(kb_dir).as_posix() for name in names)
    return out


def scope(kb_dir: Path, rev: str | None, paths) -> set[str] | None:
    """The files to report on: changed since `rev` and/or named in `paths`; None means all."""
    if rev is None and not paths:
        return None
    return named_files(kb_dir, paths) | (changed_files(kb_dir, rev) if rev is not None else set())
