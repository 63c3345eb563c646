"""Write a folder of files all at once: everything goes into a hidden sibling folder, and one
rename puts it in place, so a killed writer never leaves a half-written folder at the target.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

_PREFIX = ".{name}.writing-"


class TargetExists(Exception):
    """The target already holds something and replacing it was not asked for."""


def refuse_existing(out: Path, force: bool, folder: bool) -> None:
    """Raise TargetExists unless `out` is absent, an empty folder (for folders), or `force`."""
    if not out.exists() or force:
        if out.exists() and out.is_dir() != folder:
            raise TargetExists(f"{out} exists and is a {'file' if folder else 'folder'}")
        return
    if folder and out.is_dir() and not any(out.iterdir()):
        return
    raise TargetExists(f"{out} already exists{' and is not empty' if out.is_dir() else ''}; pass --force to replace it")


@contextmanager
def staged_folder(out: Path, force: bool = False):
    """Yield an empty hidden folder beside `out`; on success it replaces `out`, on failure it goes."""
    out = Path(out).absolute()
    refuse_existing(out, force, folder=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    staging = Path(tempfile.mkdtemp(prefix=_PREFIX.format(name=out.name) + f"{os.getpid()}-", dir=out.parent))
    try:
        yield staging
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
