"""`gapmap fmt`: canonical key order and layout for records, comments kept.

ruamel.yaml's round-trip mode is the well-kept tool that preserves comments; PyYAML drops them.
Key order follows the pydantic models' field order, so the models stay the one source of truth.
"""

from __future__ import annotations

import io
from pathlib import Path

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


def _order(node, model) -> None:
    """Reorder `node` (a CommentedMap) by `model`'s fields, recursing into nested models."""
    if not hasattr(node, "move_to_end") or model is None:
        return
    fields = list(model.model_fields)
    known = [k for k in fields if k in node]
    for key in known + [k for k in list(node) if k not in fields]:
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


def format_text(text: str, kind: str) -> str:
    """The canonical form of one record's YAML text."""
    yaml = _yaml()
    data = yaml.load(text)
    if hasattr(data, "move_to_end"):
        _order(data, MODEL_BY_KIND[kind])
        data.fa.set_block_style()  # a record is one key per line; small nested blocks may stay inline
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    header = HEADER.format(kind=kind)
    if not result.startswith("# yaml-language-server:"):
        result = header + result
    return result


def format_map(root: Path, check_only: bool) -> tuple[list[str], list[str]]:
    """(changed files, files that could not be formatted) under `root`; writes unless `check_only`.

    A file is written only if it still holds what was read (an edit saved meanwhile wins and the
    file is reported as skipped), and never grown past the loader's size limit. A file-system
    error while writing (a read-only folder) is raised as OSError for the command to report."""
    from gapmap.core.walk import walk_map
    from gapmap.core.writes import ConcurrentEdit, write_unchanged
    from gapmap.load.yaml_source import MAX_BYTES

    changed, failed = [], []
    for entry in walk_map(root).files:
        folder, rel, path = entry.folder, entry.rel, entry.path
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            failed.append(f"{rel}: cannot read it: {exc.strerror}")
            continue
        if len(raw) > MAX_BYTES:
            failed.append(f"{rel}: over the {MAX_BYTES:,}-byte limit; run `gapmap validate` for details")
            continue
        try:
            text = raw.decode("utf-8-sig")
            new = format_text(text, KIND_BY_FOLDER[folder])
        except Exception as exc:  # any parse problem: report it, never touch the file
            failed.append(f"{rel}: {type(exc).__name__}: run `gapmap validate` for details")
            continue
        if new == text:
            continue
        data = new.encode("utf-8")
        if len(data) > MAX_BYTES:
            failed.append(f"{rel}: formatting would grow it past the {MAX_BYTES:,}-byte limit; left as it is")
            continue
        changed.append(rel)
        if not check_only:
            try:
                write_unchanged(path, data, raw)
            except ConcurrentEdit:
                changed.pop()
                failed.append(f"{rel}: changed while being formatted; left alone, run `gapmap fmt` again")
    return changed, failed
