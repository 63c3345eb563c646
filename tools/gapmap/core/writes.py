"""Write files so that a crash or kill leaves either the old file or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _read_umask() -> int:
    umask = os.umask(0)  # the only way to read it; done once, before any writer threads exist
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets 0666 less the umask, like open()."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def _write_temp(path: Path, data: str | bytes) -> str:
    """Write `data` to a synced temporary file beside `path` and return its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace (or create) `path` in one step."""
    path = Path(path)
    tmp = _write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_new(path: Path, data: str | bytes) -> None:
    """Create `path` in one step; FileExistsError if it exists (link() never overwrites)."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)
    finally:
        os.unlink(tmp)
