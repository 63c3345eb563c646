"""`gapmap new`: a complete, valid record to start from, with the editor schema comment."""

from __future__ import annotations

from pathlib import Path

from gapmap.model.records import FOLDER_BY_KIND
from gapmap.model.schema import HEADER

_BODY = {
    "field": """\
summary: TODO one plain sentence on what this field studies.
description: |
  TODO two or three short paragraphs: what the field is and where its biggest gaps lie.
""",
    "gap": """\
summary: TODO one or two plain sentences on what science cannot yet do.
description: |
  TODO what is missing and why it matters, with figures (year and unit) citing the resources below.
field: {field}
outcome: TODO what becomes knowable or buildable once the gap closes.
capabilities: []   # - {{capability: <id>, role: necessary|partial|enabling, note: ...}}
related_gaps: []
tags: []
resources: []
""",
    "capability": """\
summary: TODO one or two plain sentences on what this capability would let people do.
description: |
  TODO what it is, how far along it is, and what it would take, citing the resources below.
kind: technology     # technology | dataset | platform | infrastructure | method | organization
maturity: research   # concept | research | prototype | demonstrated | scaling | deployed
requires: []
tags: []
resources: []
""",
    "resource": """\
url: https://example.org/TODO
kind: research-and-reviews
summary: TODO one sentence on what this source is and what the map uses it for.
""",
}


def scaffold(kind: str, record_id: str, title: str, field: str = "todo") -> str:
    title_line = f"title: {_quote(title)}\n"
    return HEADER.format(kind=kind) + f"id: {record_id}\n" + title_line + _BODY[kind].format(field=field)


def _quote(text: str) -> str:
    """`text` as one double-quoted YAML scalar that reads back exactly, whatever its characters
    (emoji and other non-BMP characters kept as they are, never as surrogate escapes)."""
    import unicodedata

    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn") or ch == "\ufeff":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def used_ids(kb_dir: Path) -> dict[str, str]:
    """id -> the file that holds it, for every record of the map (by file name and by the id
    written inside, so an id is found whatever kind or file holds it)."""
    from gapmap.core.walk import walk_map
    from gapmap.load import load_map

    out = {entry.path.stem: entry.rel for entry in walk_map(kb_dir).files}
    out.update(load_map(kb_dir).path_of)
    return out


def record_path(kb_dir: Path, kind: str, record_id: str) -> Path:
    return kb_dir / FOLDER_BY_KIND[kind] / f"{record_id}.yaml"
