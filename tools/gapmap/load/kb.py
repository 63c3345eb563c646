"""Read a knowledge base folder into a `Map`: valid records by kind, plus load findings.

A record that fails its schema is left out of the record tables but its id is remembered
(`known_ids`), so that references to it do not cascade into a second wave of findings.
"""

from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from gapmap.core import progress
from gapmap.core.findings import Finding, finding
from gapmap.core.ids import id_problem
from gapmap.load.schema_errors import code_of, findings_from
from gapmap.core.walk import DEFLATORS_FILE, TAGS_FILE, walk_map
from gapmap.load.deflate import deflate_map
from gapmap.load.yaml_source import MAX_BYTES, Document, decode, parse, too_large
from gapmap.model.records import FOLDER_BY_KIND, ID_PATTERN, KIND_BY_FOLDER, MODEL_BY_KIND, Deflators, Record, Uncovered

# Keys only one kind has: used to say "this is a capability in gaps/" instead of listing
# every unknown key of a misplaced file.
_OWN_KEYS = {
    "gap": {"field", "outcome", "capabilities", "related_gaps", "assessment", "crosswalk"},
    "capability": {"maturity", "requires", "build", "cost", "unpriced"},
    "resource": {"url", "doi", "year"},
    "field": set(),
}


@dataclass
class Map:
    """The loaded knowledge base: the plain value every later stage takes."""

    root: Path
    fields: dict = field(default_factory=dict)
    gaps: dict = field(default_factory=dict)
    capabilities: dict = field(default_factory=dict)
    resources: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)  # relative path -> Document
    path_of: dict = field(default_factory=dict)  # record id -> relative path
    known_ids: dict = field(default_factory=dict)  # id -> kind, valid or not
    findings: list = field(default_factory=list)
    has_tags_file: bool = False
    deflators: Deflators | None = None  # the price index of deflators.yaml, when the map has one
    uncovered: dict = field(default_factory=dict)  # map key -> [Uncovered], from crosswalk/<map>.yaml

    def table(self, kind: str) -> dict:
        return getattr(self, FOLDER_BY_KIND[kind])

    def records(self):
        """Every valid record as (kind, record), in a stable order."""
        for folder, kind in KIND_BY_FOLDER.items():
            for rec in getattr(self, folder).values():
                yield kind, rec

    def where(self, record_id: str, path: tuple = (), key: bool = False) -> tuple[str, tuple[int, int]]:
        file = self.path_of[record_id]
        return file, self.documents[file].where(path, key=key)


def is_map(root: Path) -> bool:
    return any((root / folder).is_dir() for folder in KIND_BY_FOLDER) or (root / TAGS_FILE).is_file()


@contextmanager
def _no_collection_pauses():
    """The cyclic garbage collector off while a map is built, and what was built frozen after.
    A map is millions of small acyclic objects (values, positions, nodes freed by reference
    counting); each collection rescans all of them, which doubled the time of validating
    100,000 records. Frozen objects are still freed by reference counting; a reload (`gapmap
    serve`) first thaws what the last load froze and collects it once, so cyclic garbage left
    from earlier maps cannot pile up in a long-running process."""
    enabled = gc.isenabled()
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@progress.staged("loading the map")
def load_map(root: str | os.PathLike) -> Map:
    """Load every record under `root`."""
    with _no_collection_pauses():
        return _load_map(Path(root))


def _load_map(root: Path) -> Map:
    kb = Map(root=root)
    walk = walk_map(root)
    kb.findings.extend(walk.findings)
    _load_tags(kb, walk.tags)
    _load_deflators(kb, walk.deflators)
    for entry in progress.bar(walk.files, "reading records"):
        _load_record(kb, KIND_BY_FOLDER[entry.folder], entry.rel, entry.path)
    for entry in walk.crosswalk:
        _load_uncovered(kb, entry.rel, entry.path)
    kb.findings.extend(deflate_map(kb))
    progress.detail(f"{root.resolve()}: "
                    + ", ".join(f"{len(kb.table(kind)):,} {folder}" for folder, kind in KIND_BY_FOLDER.items()))
    return kb


def read_document(path: Path, rel: str) -> Document:
    """Parse one file; reads at most one byte past the size limit, however large the file."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        return Document(rel, findings=[finding(rel, (1, 1), "unreadable", f"cannot read the file: {exc.strerror}")])
    if len(raw) > MAX_BYTES:
        return Document(rel, findings=[too_large(rel, max(size, len(raw)))])
    text, problems = decode(raw, rel)
    if text is None:
        return Document(rel, findings=problems)
    return parse(text, rel)


def _side_file(kb: Map, rel: str, path: Path, shape: type, code: str, message: str):
    """Read a map file that is not a record (tags.yaml, deflators.yaml, crosswalk/<map>.yaml):
    its document is kept for positions; its data is returned when it has the expected shape."""
    doc = read_document(path, rel)
    kb.documents[rel] = doc
    kb.findings.extend(doc.findings)
    if doc.data is None:
        return None, doc
    if not isinstance(doc.data, shape):
        kb.findings.append(finding(rel, (1, 1), code, message))
        return None, doc
    return doc.data, doc


def _load_uncovered(kb: Map, rel: str, path: Path) -> None:
    data, doc = _side_file(kb, rel, path, list, "bad-type",
                           "a crosswalk file is a list of {id, status, reason}: the other map's gaps not covered here")
    if data is None:
        return
    entries = []
    for i, item in enumerate(doc.data):
        try:
            entries.append(Uncovered.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                where = ".".join(map(str, err["loc"])) or "entry"
                kb.findings.append(finding(rel, doc.where((i,) + tuple(err["loc"])), code_of(err["type"]),
                                           f"entry {i + 1}, {where}: {err['msg']}"))
    kb.uncovered[path.name[: -len(".yaml")].replace("-", "_")] = entries


def _load_deflators(kb: Map, path: Path | None) -> None:
    if path is None:
        return
    data, doc = _side_file(kb, DEFLATORS_FILE, path, dict, "not-a-mapping",
                           "deflators.yaml is a mapping: source, series and index (year: value)")
    if data is None:
        return
    try:
        kb.deflators = Deflators.model_validate(doc.data)
    except ValidationError as exc:
        kb.findings.extend(findings_from(exc, doc, Deflators, "deflators file"))


def _load_tags(kb: Map, path: Path | None) -> None:
    if path is None:
        return
    kb.has_tags_file = True
    data, doc = _side_file(kb, TAGS_FILE, path, dict, "bad-type", "tags.yaml must map each tag id to its meaning")
    if data is None:
        return
    for tag, meaning in doc.data.items():
        if not re.match(ID_PATTERN, str(tag)) or id_problem(str(tag)):
            kb.findings.append(finding(TAGS_FILE, doc.where((tag,), key=True), "bad-id",
                                     f"tag {tag!r} is not a valid id: it {id_problem(str(tag))}"))
        elif not isinstance(meaning, str) or not meaning.strip():
            kb.findings.append(finding(TAGS_FILE, doc.where((tag,)), "bad-type",
                                     f"tag '{tag}' needs a one-line meaning as text"))
        kb.tags[str(tag)] = meaning


def _load_record(kb: Map, kind: str, rel: str, path: Path) -> None:
    doc = read_document(path, rel)
    kb.documents[rel] = doc
    kb.findings.extend(doc.findings)
    data = doc.data
    if data is None:
        return
    if not isinstance(data, dict):
        kb.findings.append(finding(rel, (1, 1), "not-a-mapping",
                                 f"a record is a mapping of keys (id: ..., title: ...), not a {type(data).__name__}"))
        return
    stem = path.name[: -len(".yaml")]
    record_id = data.get("id") if isinstance(data.get("id"), str) else None
    misplaced = _misplaced_kind(kind, data)
    if misplaced:
        kb.findings.append(finding(rel, (1, 1), "wrong-folder",
                                 f"this looks like a {misplaced} (it has {', '.join(sorted(set(data) & _OWN_KEYS[misplaced]))}); "
                                 f"move it to {FOLDER_BY_KIND[misplaced]}/"))
        _remember(kb, record_id, misplaced, rel)
        return
    if doc.findings:  # a structural YAML problem: schema findings would only echo it
        _remember(kb, record_id, kind, rel)
        return
    model = MODEL_BY_KIND[kind]
    try:
        record: Record = model.model_validate(data)
    except ValidationError as exc:
        kb.findings.extend(findings_from(exc, doc, model, kind))
        _remember(kb, record_id, kind, rel)
        return
    if record.id != stem:
        kb.findings.append(finding(rel, doc.where(("id",)), "id-mismatch",
                                 f"id '{record.id}' differs from the file name '{stem}'; rename the file or fix the id"))
    if not _remember(kb, record.id, kind, rel):
        return
    problem = id_problem(record.id)  # the pattern passed; the rest of the one id rule
    if problem:
        kb.findings.append(finding(rel, doc.where(("id",)), "bad-id", f"id '{record.id}' {problem}"))
        return
    kb.table(kind)[record.id] = record


def _remember(kb: Map, record_id: str | None, kind: str, rel: str) -> bool:
    if record_id is None:
        return False
    if record_id in kb.known_ids:
        other = kb.path_of[record_id]
        kb.findings.append(finding(rel, kb.documents[rel].where(("id",)), "duplicate-id",
                                 f"id '{record_id}' is already used by {other}; ids are unique across the whole map"))
        return False
    kb.known_ids[record_id] = kind
    kb.path_of[record_id] = rel
    return True


def _misplaced_kind(kind: str, data: dict) -> str | None:
    keys = set(data)
    if keys & _OWN_KEYS[kind]:
        return None
    for other, own in _OWN_KEYS.items():
        if other != kind and keys & own:
            return other
    return None
