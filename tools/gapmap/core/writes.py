"""The write-safety layer every command that writes goes through (build, export, fmt, new, import).

- Writes are atomic: a crash or kill leaves either the old file or the new one, never half.
- `guard_target` refuses, before anything is written, a target that is the map itself, a folder
  above it, a record folder or anything inside one, or a folder that holds records.
- A non-empty folder is only ever replaced when it carries the tool's own marker file
  (`MARKER`, written into every folder of output the tool creates), and then only with --force
  (or, for `gapmap build`, when rebuilding its own site).
- `write_unchanged` replaces a file only if it still holds what was read (fmt, concurrent edits).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MARKER = ".gapmap-output"
MARKER_TEXT = "This folder was written by gapmap; gapmap may replace it. Delete this file to protect it.\n"
RECORD_FOLDERS = ("fields", "gaps", "capabilities", "resources")
_MAP_FILES = ("tags.yaml", "deflators.yaml", "mkdocs.yml")


class WriteRefused(Exception):
    """The target must not be written, cleaned or replaced (the message says why and what to do)."""


class MapTarget(WriteRefused):
    """The target is the map, above it, a record folder or inside one: never written, even with --force."""


class ConcurrentEdit(WriteRefused):
    """The file changed between being read and being written; it was left alone."""


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
    if path.exists() or path.is_symlink():
        raise FileExistsError(path)
    tmp = _write_temp(path, data)
    try:
        os.link(tmp, path)
    finally:
        os.unlink(tmp)


def write_unchanged(path: Path, data: str | bytes, original: bytes) -> None:
    """Replace `path` by `data` only if it still holds `original` (the bytes it was read as);
    ConcurrentEdit otherwise. The check runs after the new text is on disk, just before the
    rename, so the window for a lost edit is the rename itself."""
    path = Path(path)
    tmp = _write_temp(path, data)
    try:
        if path.is_symlink() or _read(path) != original:
            raise ConcurrentEdit(f"{path} changed while gapmap was working on it; it was left alone, run the command again")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _holds_records(folder: Path) -> bool:
    """A map folder (a tags.yaml, or .yaml records in a record folder), or a record folder
    holding .yaml records. A built site has gaps/ too, but no .yaml in it."""
    try:
        if (folder / "tags.yaml").is_file():
            return True
        folders = [folder / name for name in RECORD_FOLDERS] + ([folder] if folder.name in RECORD_FOLDERS else [])
        return any(sub.is_dir() and any(p.suffix == ".yaml" for p in sub.iterdir()) for sub in folders)
    except OSError:
        return True  # cannot tell: treat it as precious


def _protected_reason(target: Path, maps: list[Path]) -> str | None:
    """Why writing at `target` (absolute, resolved) could destroy records, or None."""
    for kb in maps:
        if target == kb:
            return "is the map itself"
        if kb.is_relative_to(target):
            return f"holds the map at {kb}"
        rel = target.relative_to(kb).parts if target.is_relative_to(kb) else None
        if rel and (rel[0] in RECORD_FOLDERS or (len(rel) == 1 and rel[0] in _MAP_FILES)):
            return f"is part of the map at {kb}"
    for folder in [target, *target.parents]:
        if folder.name in RECORD_FOLDERS and _holds_records(folder.parent):
            return f"is inside the record folder {folder}"
    if target.is_dir() and _holds_records(target):
        return "holds records (it is a map folder)"
    return None


def guard_target(target: Path, *, folder: bool, force: bool, maps=(), rebuild: bool = False) -> Path:
    """Check that `target` may be written (a file, or a folder replaced as a whole) and return
    it resolved; WriteRefused says why not. `maps` are map folders in play (the command's --kb).

    A folder target: absent or empty is fine; a non-empty one is replaced only if it carries the
    MARKER and `force` (or `rebuild`) is set. A file target: absent is fine; an existing file
    needs `force`; an existing folder is refused."""
    target = Path(target).expanduser().absolute()
    resolved = target.resolve()
    reason = _protected_reason(resolved, [Path(m).resolve() for m in maps])
    if reason:
        raise MapTarget(f"refusing to write to {target}: it {reason}; choose a folder outside the map")
    if not target.exists() and not target.is_symlink():
        return resolved
    if target.is_symlink():
        raise WriteRefused(f"{target} is a symbolic link; gapmap does not write through links, choose another path")
    if not folder:
        if target.is_dir():
            raise WriteRefused(f"{target} is a folder; give a file name")
        if not force:
            raise WriteRefused(f"{target} already exists; pass --force to replace it")
        return resolved
    if not target.is_dir():
        raise WriteRefused(f"{target} exists and is a file, not a folder; choose another path")
    try:
        entries = [p.name for p in target.iterdir()]
    except OSError as exc:
        raise WriteRefused(f"cannot list {target}: {exc.strerror}") from None
    if not entries:
        return resolved
    if MARKER not in entries:
        raise WriteRefused(f"{target} is not empty and was not written by gapmap (it has no {MARKER} file); "
                           "gapmap never replaces such a folder, even with --force: empty it or choose another folder")
    if not (force or rebuild):
        raise WriteRefused(f"{target} already exists and is not empty; pass --force to replace it")
    return resolved


def mark(folder: Path) -> None:
    """Mark `folder` as the tool's own output, which a later run may replace."""
    write_atomic(Path(folder) / MARKER, MARKER_TEXT)


def permission_message(exc: OSError) -> str:
    """One line naming the path for a file-system error ("cannot use X: Permission denied; ...")."""
    where = exc.filename or "a file"
    if exc.filename2:
        where = f"{exc.filename} -> {exc.filename2}"
    return f"cannot use {where}: {exc.strerror or exc}; check its permissions (and the free space)"
