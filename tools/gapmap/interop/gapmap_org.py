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
            raise ExportError(f"{src}: expected one JSON object holding {', '.join(LISTS)}")
    else:
        raise ExportError(f"{src} does not exist")
    for name in LISTS:
        data.setdefault(name, [])
        if not isinstance(data[name], list) or not all(isinstance(r, dict) and isinstance(r.get("id"), str)
                                                       for r in data[name]):
            raise ExportError(f"{name}: expected a list of records, each with a string 'id'")
    if not any(data[n] for n in REQUIRED):
        raise ExportError(f"{src}: no gaps, capabilities or resources found")
    data.setdefault("metadata", {})
    return data


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"{path}: not readable JSON ({exc})") from None
