"""`gapmap fmt`: canonical key order and layout for records, comments kept.

ruamel.yaml's round-trip mode is the well-kept tool that preserves comments; PyYAML drops them.
Key order follows the pydantic models' field order, so the models stay the one source of truth.

Comments stay with their key. ruamel files a comment line under the key *before* it, so moving
keys in ruamel would carry a comment to the wrong key; the top-level keys (where comments live)
are therefore reordered as text blocks first — a key's block is the column-1 comment lines just
above it, its line and its value — and ruamel only reorders nested mappings that hold no
comments. A result that would read differently, or lose a comment, is refused (FormatError).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from gapmap.core import progress
from gapmap.model.schema import HEADER
from gapmap.model.records import KIND_BY_FOLDER, MODEL_BY_KIND


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


class FormatError(ValueError):
    """Formatting this file would change what it says or lose a comment; it is left alone."""


def _has_comments(node) -> bool:
    ca = getattr(node, "ca", None)
    return bool(ca and (ca.items or ca.comment or getattr(ca, "end", None)))


def _order(node, model, top: bool = False) -> None:
    """Reorder `node` (a CommentedMap) by `model`'s fields, recursing into nested models. A
    nested mapping holding comments keeps its order (ruamel would move them to other keys)."""
    if not hasattr(node, "move_to_end") or model is None:
        return
    fields = list(model.model_fields)
    known = [k for k in fields if k in node]
    wanted = known + [k for k in list(node) if k not in fields]
    if wanted != list(node) and (top or not _has_comments(node)):
        for key in wanted:
            node.move_to_end(key)
    for key in known:
        nested = _nested_model(model.model_fields[key].annotation)
        value = node[key]
        if isinstance(value, list):
            for item in value:
                _order(item, nested)
        else:
            _order(value, nested)


def _nested_model(annotation):
    import typing

    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and hasattr(a, "model_fields"):
            if "dist" in a.model_fields:
                return None  # distributions: keep contributors' order of parameters
            return a
        stack.extend(typing.get_args(a))
    return None


_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def _top_level_blocks(text: str, kind: str) -> str:
    """`text` with its top-level keys in canonical order, each carrying the comment lines just
    above it; unchanged when the top level is not a block mapping."""
    import yaml as pyyaml

    try:
        loader = pyyaml.CSafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except pyyaml.YAMLError:
        return text
    if not isinstance(node, pyyaml.MappingNode) or node.flow_style or not node.value:
        return text
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    starts = [key.start_mark.line for key, _ in node.value]
    if any(key.start_mark.column != 0 for key, _ in node.value) or len(set(starts)) != len(starts):
        return text

    def lead(line: int, floor: int) -> int:
        """First line of the column-1 comment lines directly above `line` (not above `floor`)."""
        while line - 1 >= floor and lines[line - 1].startswith("#") and not lines[line - 1].startswith("# yaml-language-server:"):
            line -= 1
        return line

    bounds = [lead(starts[0], 0)] + [lead(s, starts[i]) for i, s in enumerate(starts[1:])]
    end = len(lines)
    while end > starts[-1] + 1 and lines[end - 1].startswith("#"):  # comments closing the file stay last
        end -= 1
    preamble, epilogue = lines[:bounds[0]], lines[end:]
    blocks = {key.value: lines[b:(bounds[i + 1] if i + 1 < len(bounds) else end)]
              for i, ((key, _), b) in enumerate(zip(node.value, bounds))}
    if len(blocks) != len(node.value):
        return text  # duplicate keys: the loader reports them, fmt leaves the file alone
    fields = list(MODEL_BY_KIND[kind].model_fields)
    order = [k for k in fields if k in blocks] + [k for k in blocks if k not in fields]
    return "".join(preamble + [line for key in order for line in blocks[key]] + epilogue)


def format_text(text: str, kind: str) -> str:
    """The canonical form of one record's YAML text; FormatError if that would change what the
    file says or drop a comment."""
    reordered = _top_level_blocks(text, kind)
    yaml = _yaml()
    data = yaml.load(reordered)
    if hasattr(data, "move_to_end"):
        _order(data, MODEL_BY_KIND[kind], top=True)
        data.fa.set_block_style()  # a record is one key per line; small nested blocks may stay inline
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    header = HEADER.format(kind=kind)
    if not result.startswith("# yaml-language-server:"):
        result = header + result
    _same_meaning(text, result, header)
    return result


def _same_meaning(before: str, after: str, header: str) -> None:
    """FormatError unless `after` reads as the same data as `before` and keeps every comment."""
    from gapmap.load.yaml_source import parse

    old, new = parse(before, "before"), parse(after, "after")
    if old.findings:
        raise FormatError("it has YAML problems: run `gapmap validate` for details")
    if new.findings or old.data != new.data:
        raise FormatError("formatting would change what the file says")
    if _comments(before) != _comments(after.replace(header, "", 1) if header not in before else after):
        raise FormatError("formatting would lose or alter a comment")


def _comments(text: str) -> list[str]:
    return sorted(m.group(1).rstrip() for line in text.splitlines() if (m := _COMMENT.search(line)))


PARALLEL_FROM = 200  # files; fewer are formatted in this process
CACHE_DIR = ".gapmap-cache"  # beside the cost results; hidden, so never read as records


def _format_file(job: tuple[str, str, bytes]) -> tuple[bytes | None, str | None]:
    """(formatted bytes, or None when unchanged or skipped; why it was skipped)."""
    from gapmap.load.yaml_source import MAX_BYTES

    folder, _, raw = job
    try:
        text = raw.decode("utf-8-sig")
        new = format_text(text, KIND_BY_FOLDER[folder])
    except FormatError as exc:
        return None, f"{exc}; left as it is"
    except Exception as exc:  # any parse problem: report it, never touch the file
        return None, f"{type(exc).__name__}: run `gapmap validate` for details"
    if new == text:
        return None, None
    data = new.encode("utf-8")
    if len(data) > MAX_BYTES:
        return None, f"formatting would grow it past the {MAX_BYTES:,}-byte limit; left as it is"
    return data, None


def format_map(root: Path, check_only: bool) -> tuple[list[str], list[str]]:
    """(changed files, files that could not be formatted) under `root`; writes unless `check_only`.

    Files are formatted in parallel processes when there are many (ruamel is pure Python), and
    files already known to be canonical (by a hash of their bytes, their kind and this code,
    kept in .gapmap-cache/) are not formatted again; all writing happens here. A file is
    written only if it still holds what was read (an edit saved meanwhile wins and the file is
    reported as skipped), and never grown past the loader's size limit. A file-system error
    while writing (a read-only folder) is raised as OSError for the command to report."""
    from gapmap.core.walk import walk_map
    from gapmap.core.writes import ConcurrentEdit, write_unchanged
    from gapmap.load.yaml_source import MAX_BYTES

    known = _read_cache(root)
    canonical: set[str] = set()
    changed, failed, jobs, paths = [], [], [], {}
    for entry in walk_map(root).files:
        try:
            with entry.path.open("rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            failed.append(f"{entry.rel}: cannot read it: {exc.strerror}")
            continue
        if len(raw) > MAX_BYTES:
            failed.append(f"{entry.rel}: over the {MAX_BYTES:,}-byte limit; run `gapmap validate` for details")
            continue
        digest = _digest(entry.folder, raw)
        if digest in known:
            canonical.add(digest)
            continue
        jobs.append((entry.folder, entry.rel, raw))
        paths[entry.rel] = entry.path
    progress.count("known canonical from the cache", len(canonical))
    for (folder, rel, raw), (data, problem) in progress.bar(zip(jobs, _results(jobs)), "formatting", len(jobs)):
        if problem:
            failed.append(f"{rel}: {problem}")
            continue
        if data is None:
            canonical.add(_digest(folder, raw))
            continue
        changed.append(rel)
        if not check_only:
            try:
                write_unchanged(paths[rel], data, raw)
            except ConcurrentEdit:
                changed.pop()
                failed.append(f"{rel}: changed while being formatted; left alone, run `gapmap fmt` again")
                continue
            canonical.add(_digest(folder, data))
    _write_cache(root, canonical)
    return changed, failed


def _digest(folder: str, raw: bytes) -> str:
    import hashlib

    return hashlib.sha256(folder.encode() + b"\0" + raw).hexdigest()[:32]


def _cache_file(root: Path) -> Path:
    import hashlib

    from ruamel.yaml import __version__ as ruamel_version

    from gapmap.model.schema import schema_files

    digest = hashlib.sha256(Path(__file__).read_bytes() + ruamel_version.encode())
    for name, text in sorted(schema_files().items()):  # key orders live in the models
        digest.update(name.encode() + text.encode())
    return Path(root) / CACHE_DIR / f"fmt-{digest.hexdigest()[:16]}.txt"


def _read_cache(root: Path) -> set[str]:
    try:
        return set(_cache_file(root).read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _write_cache(root: Path, canonical: set[str]) -> None:
    """Remember the files now known to be canonical (only the map's current ones)."""
    from gapmap.core.writes import write_atomic

    try:
        write_atomic(_cache_file(root), "\n".join(sorted(canonical)) + "\n")
    except OSError:
        pass  # a cache that cannot be written is simply skipped


def _results(jobs):
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        yield from map(_format_file, jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_format_file, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
