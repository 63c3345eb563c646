"""The gap-map.org export format: reading it (a folder of JSON files or one gapmap-data.json)
and the vocabulary shared by import and export (resource types, tag labels, our key for its UUIDs).

An *export* is a dict with the lists `fields`, `gaps`, `capabilities`, `resources` (each item a
gap-map.org record, keyed by UUID `id`) and a `metadata` dict.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

LISTS = ("fields", "gaps", "capabilities", "resources")
REQUIRED = ("gaps", "capabilities", "resources")
# Our records keep the export's UUID under this external_ids key (ids are slugs, so no underscore).
EXTERNAL_KEY = "gapmap_org"

TYPE_BY_KIND = {
    "research-and-reviews": "Research and Reviews",
    "initiative": "Initiative",
    "whitepapers-and-essays": "Whitepapers and Essays",
    "company": "Company",
    "technology-seed": "Technology Seed",
    "funding-program": "Funding Program",
    "research-org": "Research Org",
    "roadmap": "Roadmap",
    "individual": "Individual",
    "fro": "FRO",
    "fro-concept": "FRO Concept",
}
KIND_BY_TYPE = {label.lower(): kind for kind, label in TYPE_BY_KIND.items()}

# tags.yaml meaning line written by the import; the export reads the label back from it so
# that a round trip keeps gap-map.org's exact tag names ("Governance/Ethics Risk").
TAG_MEANING = "Tagged “{label}” on gap-map.org."
_TAG_MEANING = re.compile(r"^Tagged “(.+)” on gap-map\.org\.$")


class ExportError(Exception):
    """The source is not a gap-map.org export (missing file, bad JSON, wrong shape)."""


# The shape of each list's records: key -> what its value may be. "text" is a string, "texts" a
# list of strings, "link" a UUID string or {"id": UUID or null, "name": ...}; every key but `id`
# may also be null or absent, and keys not named here are ignored.
_TEXT, _TEXTS, _LINK = "text", "texts", "link"
SHAPE = {
    "fields": {"name": _TEXT, "slug": _TEXT, "description": _TEXT},
    "gaps": {"name": _TEXT, "slug": _TEXT, "description": _TEXT, "field": _LINK,
             "foundationalCapabilities": _TEXTS, "tags": _TEXTS},
    "capabilities": {"name": _TEXT, "slug": _TEXT, "description": _TEXT, "gaps": _TEXTS, "resources": _TEXTS,
                     "tags": _TEXTS},
    "resources": {"title": _TEXT, "url": _TEXT, "summary": _TEXT, "types": _TEXTS},
}
_JSON_TYPE = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
              float: "a number", type(None): "null"}


def _json_type(value) -> str:
    return _JSON_TYPE.get(type(value), type(value).__name__)


def shape_problem(data: dict) -> str | None:
    """The first place where `data` departs from the export's shape ("gaps[3].tags: expected a
    list of text, got a number"), or None. Checked before anything is converted."""
    for name in LISTS:
        items = data.get(name)
        if not isinstance(items, list):
            return f"{name}: expected a list of records, got {_json_type(items)}"
        for i, item in enumerate(items):
            where = f"{name}[{i}]"
            if not isinstance(item, dict):
                return f"{where}: expected a record (an object), got {_json_type(item)}"
            if not isinstance(item.get("id"), str) or not item["id"].strip():
                return f"{where}.id: expected the record's UUID as text, got {_json_type(item.get('id'))}"
            for key, form in SHAPE[name].items():
                value = item.get(key)
                if value is None:
                    continue
                if form == _TEXT and not isinstance(value, str):
                    return f"{where}.{key}: expected text, got {_json_type(value)}"
                if form == _TEXTS:
                    if not isinstance(value, list):
                        return f"{where}.{key}: expected a list of text, got {_json_type(value)}"
                    bad = next((v for v in value if not isinstance(v, str)), _OK)
                    if bad is not _OK:
                        return f"{where}.{key}: expected a list of text, but it holds {_json_type(bad)}"
                if form == _LINK and not isinstance(value, str):
                    if not isinstance(value, dict):
                        return f"{where}.{key}: expected a UUID or an object with an id, got {_json_type(value)}"
                    if not isinstance(value.get("id"), (str, type(None))):
                        return f"{where}.{key}.id: expected a UUID as text, got {_json_type(value.get('id'))}"
    if not isinstance(data.get("metadata"), dict):
        return f"metadata: expected an object, got {_json_type(data.get('metadata'))}"
    return None


_OK = object()


def tag_label(tag: str, meaning: object) -> str:
    """gap-map.org's name for one of our tags: the imported label, else the id in title case."""
    m = _TAG_MEANING.match(meaning) if isinstance(meaning, str) else None
    return m.group(1) if m else tag.replace("-", " ").title()


def read_export(src: Path) -> dict:
    """The export at `src`: a folder of <list>.json files (+ metadata.json) or one JSON file."""
    src = Path(src)
    if src.is_dir():
        data = {}
        for name in LISTS + ("metadata",):
            path = src / f"{name}.json"
            if path.is_file():
                data[name] = _read_json(path)
            elif name in REQUIRED:
                raise ExportError(f"{path} is missing; a gap-map.org export folder holds {', '.join(REQUIRED)}.json")
    elif src.is_file():
        data = _read_json(src)
        if not isinstance(data, dict):
            raise ExportError(f"not a gap-map.org export: {src} holds {_json_type(data)}, "
                              f"not one JSON object holding {', '.join(LISTS)}")
    else:
        raise ExportError(f"{src} does not exist")
    for name in LISTS:
        data.setdefault(name, [])
    data.setdefault("metadata", {})
    problem = shape_problem(data)
    if problem:
        raise ExportError(f"not a gap-map.org export: {problem}")
    if not any(data[n] for n in REQUIRED):
        raise ExportError(f"not a gap-map.org export: {src} has no gaps, capabilities or resources")
    return data


MAX_JSON_BYTES = 256 * 1024 * 1024  # the real export is a few MB; this keeps memory bounded


def _read_json(path: Path):
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_JSON_BYTES + 1)
        if len(raw) > MAX_JSON_BYTES:
            raise ExportError(f"not a gap-map.org export: {path} is over {MAX_JSON_BYTES // 2**20} MiB")
        return json.loads(raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"{path}: not readable JSON ({exc})") from None
    except RecursionError:
        raise ExportError(f"not a gap-map.org export: {path} nests its JSON too deeply") from None
