"""When each record file last changed, from one `git log` call over the record folders.

Outside a git work tree (or without git) every date is simply absent.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from gapmap.model.records import KIND_BY_FOLDER

_MARK = "\x1e"  # starts each commit's header line; cannot occur in a path git prints


def last_updated(root: Path) -> dict[str, str]:
    """Relative record path (`gaps/x.yaml`) -> ISO date of the newest commit that touched it."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", f"--format={_MARK}%cs", "--name-only", "--relative",
             "--no-renames", "--", *KIND_BY_FOLDER],
            cwd=root, capture_output=True, text=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    return parse_log(done.stdout)


def parse_log(text: str) -> dict[str, str]:
    """Newest first, so the first date seen for a path is its last update."""
    dates: dict[str, str] = {}
    date = None
    for line in text.split("\n"):  # not splitlines(): it splits on the \x1e mark too
        if line.startswith(_MARK):
            date = line[1:].strip()
        elif line and date is not None:
            dates.setdefault(line, date)
    return dates
