"""`gapmap fmt`: canonical key order and layout for records, comments kept.

ruamel.yaml's round-trip mode is the well-kept tool that preserves comments; PyYAML drops them.
Key order follows the pydantic models' field order, so the models stay the one source of truth.

Comments stay with their key. ruamel files a comment line under the key *before* it, so moving
keys in ruamel would carry a comment to the wrong key; the top-level keys (where comments live)
are therefore reordered as text blocks first — a key's block is the column-1 comment lines just
above it, its line and its value — and ruamel only reorders nested mappings that hold no
comments. A result that would read differently, or lose a comment, is refused (FormatError).

ruamel is pure Python (~5 ms a record), so `is_canonical` first asks libyaml whether the record,
after the top-level reorder, is already exactly what ruamel would write; most records are, and
only the others go through ruamel. The quick check is conservative: it says yes only for forms
whose ruamel output it knows (tests/test_properties.py holds it to ruamel's answer).
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


def _block_mapping(text: str):
    """libyaml's node tree of `text` when its top level is a non-empty block mapping, else None
    (nesting too deep for libyaml's C composer, which would crash, counts as None)."""
    import yaml as pyyaml

    from gapmap.load.yaml_source import nesting_too_deep

    if nesting_too_deep(text):
        return None
    try:
        loader = pyyaml.CSafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except pyyaml.YAMLError:
        return None
    if not isinstance(node, pyyaml.MappingNode) or node.flow_style or not node.value:
        return None
    return node


def _top_level_blocks(text: str, kind: str) -> str:
    """`text` with its top-level keys in canonical order, each carrying the comment lines just
    above it; unchanged when the top level is not a block mapping."""
    node = _block_mapping(text)
    if node is None:
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


class _Unsure(Exception):
    """The quick check cannot say what ruamel would write here; ruamel decides."""


_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_PLAIN_NUMBER = {"tag:yaml.org,2002:int": re.compile(r"-?(?:0|[1-9][0-9]*)\Z"),
                 "tag:yaml.org,2002:float": re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[-+][0-9]+)?\Z"),
                 "tag:yaml.org,2002:bool": re.compile(r"(?:true|false)\Z")}  # not null: ruamel writes `key: null` back as `key:`
_WIDE = 4000  # ruamel folds lines past its width (4096); any such line goes to ruamel


def is_canonical(text: str, kind: str) -> bool:
    """Is `text` already what `format_text` would return? A quick, conservative answer from
    libyaml's node tree (no ruamel): the record is written out again under fmt's layout rules
    and compared with the text. Anything those rules do not cover for certain (comments, blank
    lines between keys, escapes, folded or indented blocks, long lines, tags, anchors, dates,
    deeper forms) makes the answer False and ruamel formats the file as before; so True is only
    ever said of a file fmt would leave byte for byte as it is (tests/test_properties.py checks
    this against ruamel)."""
    header = HEADER.format(kind=kind)
    if not text.startswith(header) or "\t" in text or "\r" in text or "#" in text[len(header):]:
        return False
    node = _block_mapping(text)
    if node is None:
        return False
    out = [header]
    try:
        _emit_block_mapping(node, MODEL_BY_KIND[kind], 0, out)
    except _Unsure:
        return False
    return "".join(out) == text and max(map(len, text.splitlines())) < _WIDE


def _scalar(node, flow: bool) -> str:
    """A one-line scalar as ruamel writes it back (plain, or in the quotes it had)."""
    import yaml as pyyaml

    if not isinstance(node, pyyaml.ScalarNode):
        raise _Unsure
    value, style = node.value, node.style
    if not value.isprintable():
        raise _Unsure
    if style == '"' and '"' not in value and "\\" not in value:
        return f'"{value}"'
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if not style and value:
        pattern = _PLAIN_NUMBER.get(node.tag)
        if pattern is not None and pattern.match(value):
            return value
        if node.tag == "tag:yaml.org,2002:str" and _EXPONENT.match(value):
            return value
        if node.tag == "tag:yaml.org,2002:str" and _plain_stays_text(value) and not (flow and any(c in value for c in ",[]{}")):
            return value
    raise _Unsure


def _plain_stays_text(value: str) -> bool:
    """Does ruamel (YAML 1.2) read this plain scalar, which libyaml (1.1) read as text, as text
    too? Kept to forms that cannot be a 1.2 number, boolean or null."""
    if value[0] not in "0123456789+-.~":
        return value.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n")
    return value[0].isdigit() and bool(set(value) - set("0123456789.+-_eExXoObB:"))


# YAML 1.1 (libyaml) reads `2.0e7` as text, 1.2 (ruamel) as a number it writes back unchanged
_EXPONENT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?e[-+]?[0-9]+\Z")


def _flow(node) -> str:
    import yaml as pyyaml

    if isinstance(node, pyyaml.SequenceNode):
        return "[" + ", ".join(_scalar(item, True) for item in node.value) + "]"
    if isinstance(node, pyyaml.MappingNode):
        return "{" + ", ".join(f"{_key(k)}: {_scalar(v, True)}" for k, v in node.value) + "}"
    raise _Unsure


def _key(node) -> str:
    import yaml as pyyaml

    if not isinstance(node, pyyaml.ScalarNode) or node.style or not _KEY.match(node.value):
        raise _Unsure
    return node.value


def _in_order(node, model) -> None:
    """Raise unless `node`'s keys already stand in the order `_order` would give them."""
    if model is None:
        return
    keys = [k.value for k, _ in node.value]
    fields = list(model.model_fields)
    if keys != [k for k in fields if k in keys] + [k for k in keys if k not in fields]:
        raise _Unsure


def _child_model(model, key: str):
    if model is None or key not in model.model_fields:
        return None
    return _nested_model(model.model_fields[key].annotation)


def _emit_block_mapping(node, model, indent: int, out: list[str], first_prefix: str | None = None) -> None:
    import yaml as pyyaml

    _in_order(node, model)
    pad = " " * indent
    for i, (k, v) in enumerate(node.value):
        key = _key(k)
        sub = _child_model(model, key)
        start = first_prefix if (i == 0 and first_prefix is not None) else pad
        if isinstance(v, pyyaml.ScalarNode) and v.style == "|":
            out.append(f"{start}{key}: " + _literal(v.value, indent + 2))
        elif isinstance(v, pyyaml.ScalarNode):
            out.append(f"{start}{key}: {_scalar(v, False)}\n")
        elif v.flow_style:
            if isinstance(v, pyyaml.MappingNode):
                _in_order(v, sub)
            out.append(f"{start}{key}: {_flow(v)}\n")
        elif isinstance(v, pyyaml.MappingNode):
            out.append(f"{start}{key}:\n")
            _emit_block_mapping(v, sub, indent + 2, out)
        else:
            out.append(f"{start}{key}:\n")
            for item in v.value:
                dash = " " * (indent + 2) + "- "
                if isinstance(item, pyyaml.ScalarNode):
                    out.append(dash + _scalar(item, False) + "\n")
                elif item.flow_style:
                    if isinstance(item, pyyaml.MappingNode):
                        _in_order(item, sub)
                    out.append(dash + _flow(item) + "\n")
                elif isinstance(item, pyyaml.MappingNode) and item.value:
                    _emit_block_mapping(item, sub, indent + 4, out, first_prefix=dash)
                else:
                    raise _Unsure


def _literal(value: str, indent: int) -> str:
    """A `|` block as ruamel writes it: clipped (`|`) or stripped (`|-`), every line indented."""
    if value.endswith("\n\n") or not value.strip("\n") or value[0] == " " or not value.replace("\n", "").isprintable():
        raise _Unsure
    lines = value[:-1].split("\n") if value.endswith("\n") else value.split("\n")
    if any(line != line.rstrip(" ") or line.startswith(" ") for line in lines):
        raise _Unsure
    head = "|" if value.endswith("\n") else "|-"
    if value[0] == "\n":  # a leading blank line needs the indentation stated: `|2`, at the top level only
        if indent != 2 or head != "|":
            raise _Unsure
        head = "|2"
    pad = " " * indent
    return head + "\n" + "".join(f"{pad}{line}\n" if line else "\n" for line in lines)


def format_text(text: str, kind: str) -> str:
    """The canonical form of one record's YAML text; FormatError if that would change what the
    file says or drop a comment."""
    from gapmap.load.yaml_source import nesting_too_deep

    if nesting_too_deep(text):  # ruamel would recurse as deep; the loader reports it
        raise FormatError("it has YAML problems: run `gapmap validate` for details")
    reordered = _top_level_blocks(text, kind)
    if is_canonical(reordered, kind):  # ruamel would write it back as it is (most records)
        if reordered == text:
            return text
        result = reordered
    else:
        result = _round_trip(reordered, kind)
    _same_meaning(text, result, HEADER.format(kind=kind))
    return result


def _round_trip(text: str, kind: str) -> str:
    """`text` loaded and written back by ruamel, nested keys in the models' order."""
    yaml = _yaml()
    data = yaml.load(text)
    if hasattr(data, "move_to_end"):
        _order(data, MODEL_BY_KIND[kind], top=True)
        data.fa.set_block_style()  # a record is one key per line; small nested blocks may stay inline
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    if not result.startswith("# yaml-language-server:"):
        result = HEADER.format(kind=kind) + result
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
        if is_canonical(text, KIND_BY_FOLDER[folder]):
            return None, None
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
    from gapmap.load.yaml_source import MAX_BYTES

    known = _read_cache(root)
    canonical: set[str] = set()
    changed, failed, jobs, paths, writes = [], [], [], {}, []
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
            writes.append((folder, rel, raw, data))
    for (folder, rel, raw, data), written in zip(writes, _write_all(writes, paths)):
        if written:
            canonical.add(_digest(folder, data))
        else:
            changed.remove(rel)
            failed.append(f"{rel}: changed while being formatted; left alone, run `gapmap fmt` again")
    _write_cache(root, canonical)
    return changed, failed


def _write_all(writes, paths):
    """Whether each file was written (False: edited meanwhile, left alone). Threads overlap the
    waits for the disk (every write is synced before its rename); an OSError is raised."""
    from concurrent.futures import ThreadPoolExecutor

    from gapmap.core.writes import ConcurrentEdit, write_unchanged

    def write(job) -> bool:
        _, rel, raw, data = job
        try:
            write_unchanged(paths[rel], data, raw)
        except ConcurrentEdit:
            return False
        return True

    if len(writes) < 2:
        return list(map(write, writes))
    with ThreadPoolExecutor(min(16, len(writes))) as pool:
        return list(pool.map(write, writes))


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
