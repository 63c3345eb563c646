"""Write a folder of files all at once: everything goes into a hidden sibling folder, and one
rename puts it in place, so a killed writer never leaves a half-written folder at the target.
What may be replaced is decided by the write-safety layer (`core.writes.guard_target`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from gapmap.core.writes import guard_target, mark

_PREFIX = ".{name}.writing-"


@contextmanager
def staged_folder(out: Path, force: bool = False, maps=(), marked: bool = True):
    """Yield an empty hidden folder beside `out`; on success it replaces `out`, on failure it goes.
    Refuses (WriteRefused) what `guard_target` refuses; `marked` leaves the tool's marker in it."""
    out = guard_target(out, folder=True, force=force, maps=maps)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    staging = Path(tempfile.mkdtemp(prefix=_PREFIX.format(name=out.name) + f"{os.getpid()}-", dir=out.parent))
    try:
        yield staging
        if marked:
            mark(staging)
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the result is an ordinary folder
        _put_in_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _put_in_place(staging: Path, out: Path) -> None:
    """Rename `staging` to `out`; an existing `out` is moved aside first and removed after."""
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if not out.exists():
        os.rename(staging, out)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.replaced-", dir=out.parent))
    os.rename(out, aside / out.name)
    os.rename(staging, out)
    shutil.rmtree(aside, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_stale(out: Path) -> None:
    """Staging folders left by writers that were killed (their process is gone)."""
    prefix = _PREFIX.format(name=out.name)
    for entry in out.parent.iterdir():
        if entry.name.startswith(prefix) and entry.is_dir():
            pid = entry.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
