"""Which map files changed since a git revision (for fast feedback on a pull request)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def changed_files(kb: Path, rev: str) -> set[str]:
    """Paths relative to `kb` of files added, modified or renamed since `rev` (committed or not)."""
    kb = kb.resolve()
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=kb, capture_output=True,
                             text=True, check=True).stdout.strip()
        out = subprocess.run(["git", "diff", "--name-only", "--diff-filter=ACMR", rev, "--", "."], cwd=kb,
                             capture_output=True, text=True, check=True).stdout
        untracked = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "--", "."], cwd=kb,
                                   capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise RuntimeError(f"cannot ask git what changed since {rev!r}: {detail.strip()}") from None
    result = set()
    for line in out.splitlines():
        path = (Path(top) / line).resolve()
        try:
            result.add(path.relative_to(kb).as_posix())
        except ValueError:
            continue
    for line in untracked.splitlines():
        result.add(Path(line).as_posix())
    return result
