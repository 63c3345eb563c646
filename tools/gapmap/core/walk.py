"""The one walk of a map folder that every command uses: which files are records, and a finding
for everything else it meets (symlinks, sub-folders, unreadable entries, stray files).

A *record file* is a regular `<name>.yaml` directly inside a record folder. Symbolic links are
never followed — a link could point out of the map or loop — so each is a finding, never read.
Hidden entries (editor swap files, interrupted atomic writes) are skipped silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gapmap.core.findings import Finding, finding

RECORD_FOLDERS = ("fields", "gaps", "capabilities", "resources")
CROSSWALK_FOLDER = "crosswalk"  # crosswalk/<map>.yaml: another map's gaps we do not cover, and why
TAGS_FILE = "tags.yaml"
DEFLATORS_FILE = "deflators.yaml"


@dataclass(frozen=True)
class RecordFile:
    folder: str  # fields, gaps, capabilities or resources
    rel: str  # posix path relative to the map, e.g. gaps/x.yaml
    path: Path


@dataclass
class Walk:
    files: list[RecordFile] = field(default_factory=list)
    tags: Path | None = None  # tags.yaml, when it is a regular file of the map
    deflators: Path | None = None  # deflators.yaml, likewise
    crosswalk: list[RecordFile] = field(default_factory=list)  # crosswalk/<map>.yaml files
    findings: list[Finding] = field(default_factory=list)


def _symlink(rel: str) -> Finding:
    return finding(rel, (1, 1), "symlink", "symbolic links are not followed; commit a real file in its place")


def walk_map(root: str | os.PathLike) -> Walk:
    root = Path(root)
    out = Walk()
    for name, attr in ((TAGS_FILE, "tags"), (DEFLATORS_FILE, "deflators")):
        path = root / name
        if path.is_symlink():
            out.findings.append(_symlink(name))
        elif path.is_file():
            setattr(out, attr, path)
    for folder in RECORD_FOLDERS + (CROSSWALK_FOLDER,):
        base = root / folder
        if base.is_symlink():
            out.findings.append(_symlink(folder))
            continue
        if not base.is_dir():
            continue
        try:
            entries = sorted(os.scandir(base), key=lambda e: e.name)
        except OSError as exc:
            out.findings.append(finding(folder, (1, 1), "unreadable",
                                        f"cannot list the folder: {exc.strerror}; check its permissions"))
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}"
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                out.findings.append(_symlink(rel))
            elif entry.is_dir(follow_symlinks=False):
                out.findings.append(finding(rel, (1, 1), "stray-folder",
                                            f"sub-folders of {folder}/ are not read; move its records up into {folder}/"))
            elif not entry.name.endswith(".yaml"):
                out.findings.append(finding(rel, (1, 1), "stray-file",
                                            "only .yaml files are read in record folders; rename or move it"))
            elif entry.is_file(follow_symlinks=False):
                (out.crosswalk if folder == CROSSWALK_FOLDER else out.files).append(RecordFile(folder, rel, Path(entry.path)))
            else:
                out.findings.append(finding(rel, (1, 1), "stray-file",
                                            "not a regular file (a pipe, socket or device); remove it"))
    return out
