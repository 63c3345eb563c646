"""Parse one YAML file into plain values plus the line and column of every key and value.

libyaml (PyYAML's C parser) does the scanning; we walk its node tree ourselves so that
duplicate keys, aliases and excessive nesting become findings instead of silent data loss,
exponential blow-up or a crash. A clean file (most) is read by a walk that keeps no
positions; they are found by the full walk the first time a finding asks for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing: slower, same behaviour
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from gapmap.core.findings import Finding, finding

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# explicit tags a record may carry: the core schema's (`!!str 2024` to keep a year as text)
_CORE_SCALARS = {_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                 "tag:yaml.org,2002:null"}
# a merge-conflict marker line, as git writes it (only at the start of a line)
_CONFLICT = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?:[ \t].*)?$", re.MULTILINE)
Path = tuple  # of str keys and int indices


class _Loader(_Loader):  # type: ignore[no-redef,valid-type,misc]
    """libyaml's loader with PyYAML's own tag resolution, minus its per-scalar list building:
    the same implicit resolvers, looked up once per first character (no path resolvers are
    registered on the safe loader, so they never apply)."""

    _BY_FIRST = {first: tuple(resolvers + _Loader.yaml_implicit_resolvers.get(None, []))
                 for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None}
    _WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, []))

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._BY_FIRST.get(value[:1], self._WILDCARD):
                    if regexp.match(value):
                        return tag
            return _STR
        if self.yaml_path_resolvers:  # pragma: no cover - none are registered on the safe loader
            return super().resolve(kind, value, implicit)
        return _SEQ if kind is yaml.SequenceNode else _MAP


@dataclass
class Document:
    """A parsed file: its value and where each part of it stands (1-based line, column)."""

    path: str
    data: object = None
    positions: dict = field(default_factory=dict)  # Path -> (line, col) of the value
    key_positions: dict = field(default_factory=dict)  # Path -> (line, col) of the key
    findings: list = field(default_factory=list)
    literal: set = field(default_factory=set)  # paths of `|` block scalars
    # the text of a file read by the fast walk (`_plain`): positions are found when first asked
    # for, by the full walk, since most files are clean and never asked
    unlocated: str | None = field(default=None, repr=False)

    def _locate(self) -> None:
        text, self.unlocated = self.unlocated, None
        located = _parse(text, self.path, fast=False)
        self.positions, self.key_positions, self.literal = located.positions, located.key_positions, located.literal

    def where_in(self, path: Path, value: str, index: int) -> tuple[int, int]:
        """Position of character `index` of a string value; exact inside `|` blocks."""
        if self.unlocated is not None:
            self._locate()
        line, col = self.where(path)
        if path not in self.literal:
            return line, col
        before = value[:index]
        return line + 1 + before.count("\n"), index - (before.rfind("\n") + 1) + 1 + (col - 1)

    def where(self, path: Path, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of the nearest ancestor that has one."""
        if self.unlocated is not None:
            self._locate()
        table = self.key_positions if key else self.positions
        for n in range(len(path), -1, -1):
            pos = table.get(tuple(path[:n])) or self.positions.get(tuple(path[:n]))
            if pos:
                return pos
        return (1, 1)


def _too_deep(text: str) -> bool:
    """Is the nesting deeper than MAX_DEPTH? Counted over libyaml's event stream (a flat loop in
    C, before any recursive composition), so brackets inside quoted or block text never count."""
    depth = 0
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, starts):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, ends):
                depth -= 1
    except yaml.YAMLError:
        return False  # the parse below reports the syntax error at its place
    return False


def nesting_too_deep(text: str) -> bool:
    """Is the nesting deeper than MAX_DEPTH? Ask before composing a node tree with libyaml: its
    composer recurses in C and a deep enough file crashes the process (no exception)."""
    # only with that many brackets (or that deep an indentation) can nesting be too deep
    return (text.count("[") + text.count("{") > MAX_DEPTH or " " * (2 * MAX_DEPTH) in text) and _too_deep(text)


def conflict_markers(text: str, path: str) -> list[Finding]:
    """A finding for each merge-conflict marker line (`<<<<<<<`, `=======`, `>>>>>>>` at the start
    of a line). A line start is never inside a well-formed value: block text is indented, and a
    quoted string broken over lines at column 1 is where an unresolved merge leaves its markers."""
    if "<<<<<<<" not in text and "=======" not in text and ">>>>>>>" not in text and "|||||||" not in text:
        return []
    return [finding(path, (text.count("\n", 0, m.start()) + 1, 1), "conflict-marker",
                    f"merge-conflict marker {m.group(1)[:1] * 7!r}: resolve the conflict (keep one side) and delete the marker lines")
            for m in _CONFLICT.finditer(text)]


def too_large(path: str, size: int) -> Finding:
    return finding(path, (1, 1), "file-too-large", f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit; split or shorten it")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    if len(raw) > MAX_BYTES:
        return None, [too_large(path, len(raw))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [finding(path, (line, col), "not-utf8",
                            f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [finding(path, (line, 1), "not-utf8", "file contains a NUL byte; it looks binary")]
    return text, []


def parse(text: str, path: str) -> Document:
    return _parse(text, path, fast=True)


def _parse(text: str, path: str, fast: bool) -> Document:
    doc = Document(path)
    doc.findings.extend(conflict_markers(text, path))
    if doc.findings:
        return doc
    if nesting_too_deep(text):
        doc.findings.append(finding(path, (1, 1), "too-deep",
                                    f"nesting deeper than {MAX_DEPTH} levels; records are shallow, flatten it"))
        return doc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        doc.findings.append(finding(path, pos, "yaml-syntax", f"{problem}; fix the YAML syntax here"))
        return doc
    except yaml.YAMLError as exc:  # reader errors (bad characters) carry no problem_mark
        doc.findings.append(finding(path, (1, 1), "yaml-syntax", f"{exc}; fix the YAML syntax"))
        return doc
    finally:
        loader.dispose()
    if node is None:
        doc.findings.append(finding(path, (1, 1), "empty-file", "the file holds no record; add its keys or delete it"))
        return doc
    if fast and "&" not in text:  # without an anchor there is no alias to detect
        try:
            doc.data, doc.unlocated = _plain(loader, node, 0), text
            return doc
        except _Unusual:  # from the start: a failed construction leaves the loader's state behind
            return _parse(text, path, fast=False)
    walker = _Walker(loader, doc)
    doc.data = walker.value(node, (), 0)
    return doc


class _Unusual(Exception):
    """Something the full walk turns into a finding: leave it to that walk."""


def _plain_tag(loader, node) -> bool:
    """Whether a scalar's tag is one records may carry: a core scalar type, or the tag it would
    get with none written (quoted text is always a string)."""
    if node.tag in _CORE_SCALARS:
        return True
    return node.tag == (_STR if node.style else loader.resolve(yaml.ScalarNode, node.value, (True, False)))


def _plain(loader, node, depth: int):
    """The value `_Walker.value` returns for a document it has nothing to report on, without the
    positions (see `Document.unlocated`); raises `_Unusual` where that walk would report."""
    if depth > MAX_DEPTH:
        raise _Unusual
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        if not _plain_tag(loader, node):
            raise _Unusual
        try:
            return loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError):
            raise _Unusual from None
    if kind is yaml.SequenceNode:
        if node.tag != _SEQ:
            raise _Unusual
        return [_plain(loader, item, depth + 1) for item in node.value]
    if node.tag != _MAP:
        raise _Unusual
    result = {}
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode:
            raise _Unusual
        key = key_node.value
        if not _plain_tag(loader, key_node):
            raise _Unusual
        if key == "<<" or key in result:
            raise _Unusual
        if type(value_node) is yaml.ScalarNode and value_node.tag == _STR and depth < MAX_DEPTH:
            result[key] = value_node.value  # most values: inline
        else:
            result[key] = _plain(loader, value_node, depth + 1)
    return result


class _Walker:
    def __init__(self, loader, doc: Document):
        self.loader, self.doc, self.seen = loader, doc, set()

    def _fail(self, node, code: str, message: str):
        self.doc.findings.append(finding(self.doc.path, _pos(node), code, message))

    def _tagged(self, node):
        kind = {yaml.ScalarNode: "value", yaml.SequenceNode: "list"}.get(type(node), "mapping")
        self._fail(node, "yaml-tag", f"the YAML tag {node.tag!r} on this {kind} is not allowed (records use plain "
                                     "YAML: text, numbers, true/false, lists and mappings); remove the tag")
        return None

    def value(self, node, path: Path, depth: int):
        self.doc.positions[path] = _pos(node)
        if id(node) in self.seen:
            pos = self.doc.key_positions.get(path) or _pos(node)
            self.doc.findings.append(finding(self.doc.path, pos, "yaml-alias",
                                           "YAML aliases (*name) are not allowed; write the value out"))
            return None
        if depth > MAX_DEPTH:
            self._fail(node, "too-deep", f"nesting deeper than {MAX_DEPTH} levels; flatten it")
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.style == "|":
                self.doc.literal.add(path)
            if node.tag == _STR:  # most values: skip the constructor's dispatch
                return node.value
            if not _plain_tag(self.loader, node):
                return self._tagged(node)
            try:
                return self.loader.construct_object(node, deep=True)
            except yaml.YAMLError as exc:
                self._fail(node, "yaml-syntax", f"{getattr(exc, 'problem', exc)}; quote the value")
                return None
            except ValueError as exc:  # e.g. out-of-range timestamps
                self._fail(node, "yaml-syntax", f"{exc}; quote the value")
                return None
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self._tagged(node)
            return [self._child(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag != _MAP:
            return self._tagged(node)
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "bad-key", "a key must be a plain word, not a list or mapping")
                continue
            if not _plain_tag(self.loader, key_node):
                self._tagged(key_node)
                continue
            key = key_node.value
            if key == "<<":
                self._fail(key_node, "yaml-alias", "merge keys (<<) are not allowed; write the keys out")
                continue
            if key in result:
                first = self.doc.key_positions[path + (key,)]
                self._fail(key_node, "duplicate-key",
                           f"key '{key}' appears twice (first at line {first[0]}); keep one")
                continue
            self.doc.key_positions[path + (key,)] = _pos(key_node)
            result[key] = self._child(value_node, path + (key,), depth + 1)
        return result

    def _child(self, node, path: Path, depth: int):
        """`value(node, path, depth)`, inline for the common case: a plain string scalar seen once."""
        if type(node) is yaml.ScalarNode and node.tag == _STR and depth <= MAX_DEPTH and id(node) not in self.seen:
            mark = node.start_mark
            self.doc.positions[path] = (mark.line + 1, mark.column + 1)
            self.seen.add(id(node))
            if node.style == "|":
                self.doc.literal.add(path)
            return node.value
        return self.value(node, path, depth)


def _pos(node) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)
