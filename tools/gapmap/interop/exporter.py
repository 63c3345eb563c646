"""Machine-readable exports of a loaded map: one JSON document, CSV tables, the gap-map.org
shape, GraphML. Links are stored once in the records; every export also carries the derived
back-links (which gaps need a capability, what requires it, what cites a resource).

Each output carries `schema_version` (gapmap.SCHEMA_VERSION); DATA_CHANGELOG.md records
every change to their shape.
"""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

from gapmap import SCHEMA_VERSION, __version__
from gapmap.core.writes import guard_target, write_atomic
from gapmap.interop.gapmap_org import EXTERNAL_KEY, TYPE_BY_KIND, tag_label
from gapmap.interop.staging import staged_folder
from gapmap.model.records import FOLDER_BY_KIND

FORMATS = ("json", "csv", "gapmap-org", "graphml")
GAPMAP_ORG_FORMAT_VERSION = "1.0.0"  # the `version` gap-map.org's metadata.json states
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "gapmap:record")


def generated_at() -> str:
    """Now in UTC (ISO 8601), or SOURCE_DATE_EPOCH when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def back_links(kb) -> dict[str, dict[str, list[str]]]:
    """record id -> {"gaps" | "required_by" | "cited_by": [ids]}, from the map's graph."""
    from gapmap.graph.build import CITES, NEEDS, REQUIRES, build_graph, sources

    graph = build_graph(kb)
    out = {}
    for cid in kb.capabilities:
        out[cid] = {"gaps": sorted(sources(graph, cid, NEEDS)), "required_by": sorted(sources(graph, cid, REQUIRES))}
    for rid in kb.resources:
        out[rid] = {"cited_by": sorted(sources(graph, rid, CITES))}
    return out


def _counts(kb) -> dict[str, int]:
    return {folder: len(kb.table(kind)) for kind, folder in FOLDER_BY_KIND.items()} | {"tags": len(kb.tags)}


def export_json(kb) -> dict:
    """The whole map as one JSON-ready document, back-links included."""
    derived = back_links(kb)
    doc = {"schema_version": SCHEMA_VERSION, "generated": generated_at(), "counts": _counts(kb)}
    for kind, folder in FOLDER_BY_KIND.items():
        doc[folder] = [rec.model_dump(mode="json") | derived.get(rid, {}) for rid, rec in kb.table(kind).items()]
    doc["tags"] = {tag: meaning for tag, meaning in kb.tags.items()}
    return doc


def export_csv(kb) -> dict[str, str]:
    """file name -> text: one CSV per kind, plus tags.csv and metadata.json. Nested keys become
    dotted columns, lists are joined by ';' (a ';' inside a list item is written '\\;')."""
    doc = export_json(kb)
    out = {f"{name}.csv": _csv([_flatten(rec) for rec in doc[name]]) for name in FOLDER_BY_KIND.values()}
    out["tags.csv"] = _csv([{"id": t, "meaning": m} for t, m in doc["tags"].items()])
    out["metadata.json"] = json.dumps({k: doc[k] for k in ("schema_version", "generated", "counts")}, indent=2) + "\n"
    return out


def _flatten(value, prefix: str = "") -> dict[str, str]:
    """{'build.years.low': '3', 'capabilities.capability': 'a;b', ...} for one record."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(value, list):
        items = [_flatten(v, prefix) if isinstance(v, (dict, list)) else {prefix: _cell(v)} for v in value]
        columns = dict.fromkeys(key for item in items for key in item) or {prefix: None}
        return {key: ";".join(item.get(key, "").replace(";", "\\;") for item in items) for key in columns}
    return {prefix: _cell(value)}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv(rows: list[dict[str, str]]) -> str:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    # a block some records lack (build, cost, assessment) gives an empty column beside its dotted ones
    columns = {c: None for c in columns
               if any(row.get(c) for row in rows) or not any(o.startswith(c + ".") for o in columns)}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def record_uuid(kind: str, rec: dict) -> str:
    """The record's gap-map.org UUID, or a stable one made from its kind and id."""
    return (rec.get("external_ids") or {}).get(EXTERNAL_KEY) or str(uuid.uuid5(_NAMESPACE, f"{kind}/{rec['id']}"))


def every_record(kb) -> dict[str, list[dict]]:
    """folder -> record dicts, including records that fail their schema (read leniently from
    their file: text and id lists only), so an exchange format loses nothing a file holds."""
    out = {folder: [] for folder in FOLDER_BY_KIND.values()}
    for rid, kind in sorted(kb.known_ids.items()):
        rec = kb.table(kind).get(rid)
        if rec is not None:
            out[FOLDER_BY_KIND[kind]].append(rec.model_dump(mode="json"))
        else:
            data = kb.documents[kb.path_of[rid]].data
            out[FOLDER_BY_KIND[kind]].append({"id": rid} | {k: v for k, v in data.items() if _plain(v)})
    return out


def _plain(value) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, str) or isinstance(v, dict) and isinstance(v.get("capability"), str) for v in value)
    return isinstance(value, (str, dict))


def export_gapmap_org(kb) -> dict:
    """The map in gap-map.org's shape ({fields, gaps, capabilities, resources: [...], metadata}),
    with both sides of every gap-capability link filled in. What the shape cannot hold (link
    roles, requires, costs, a gap's resources) is left out; the JSON export keeps those."""
    records = every_record(kb)
    ids = {rec["id"]: record_uuid(kind, rec) for kind, folder in FOLDER_BY_KIND.items() for rec in records[folder]}
    titles = {rec["id"]: rec.get("title") for folder in records.values() for rec in folder}
    labels = {tag: tag_label(tag, meaning) for tag, meaning in kb.tags.items()}
    needed_by: dict[str, list[str]] = {}
    for gap in records["gaps"]:
        for cap in _linked(gap):
            needed_by.setdefault(cap, []).append(ids[gap["id"]])

    def base(rec: dict, **extra) -> dict:
        item = {"id": ids[rec["id"]], "name": rec.get("title"), "slug": rec["id"]}
        if rec.get("description") is not None:
            item["description"] = rec["description"]
        return item | extra | {"tags": [labels.get(t) or tag_label(t, None) for t in rec.get("tags") or []]}

    def uuids(values) -> list[str]:
        return [ids[v] for v in values if v in ids]

    out = {
        "fields": [base(f) for f in records["fields"]],
        "gaps": [base(g, field={"id": ids.get(g.get("field")), "name": titles.get(g.get("field"))},
                      foundationalCapabilities=uuids(_linked(g))) for g in records["gaps"]],
        "capabilities": [base(c, gaps=sorted(needed_by.get(c["id"], [])), resources=uuids(c.get("resources") or []))
                         for c in records["capabilities"]],
        "resources": [{"id": ids[r["id"]], "title": r.get("title"), "url": r.get("url"), "summary": r.get("summary") or "",
                       "types": [TYPE_BY_KIND[r["kind"]]] if r.get("kind") in TYPE_BY_KIND else []}
                      for r in records["resources"]],
    }
    for field in out["fields"]:
        del field["tags"]  # gap-map.org fields carry no tags
    out["metadata"] = {"exportDate": generated_at(), "version": GAPMAP_ORG_FORMAT_VERSION,
                       "counts": {k: len(v) for k, v in out.items()},
                       "schema_version": SCHEMA_VERSION, "generator": f"gapmap {__version__}"}
    return out


def _linked(gap: dict) -> list[str]:
    return [link["capability"] for link in gap.get("capabilities") or []
            if isinstance(link, dict) and isinstance(link.get("capability"), str)]


def export_files(kb, fmt: str, as_folder: bool = False) -> dict[str, str]:
    """The `fmt` export of `kb` as data: file name -> text. A one-file format gives one entry
    named "" (the caller's path); csv, and gapmap-org when `as_folder`, give a folder's files."""
    if fmt == "csv":
        return export_csv(kb)
    if fmt == "gapmap-org":
        doc = export_gapmap_org(kb)
        return {f"{name}.json": _json(value) for name, value in doc.items()} if as_folder else {"": _json(doc)}
    if fmt == "json":
        return {"": _json(export_json(kb))}
    if fmt == "graphml":
        from gapmap.graph import build_graph
        from gapmap.interop.graphml import graphml_text

        return {"": graphml_text(build_graph(kb))}
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_export(kb, fmt: str, path: Path, force: bool = False) -> Path:
    """Write the `fmt` export of `kb` at `path`; a gapmap-org path without .json is a folder of
    files, like the export gap-map.org publishes. Never writes into the map; replacing anything
    needs `force`, and a folder is only replaced if gapmap wrote it (core.writes.WriteRefused)."""
    path = Path(path)
    as_folder = fmt == "csv" or (fmt == "gapmap-org" and path.suffix != ".json")
    guard_target(path, folder=as_folder, force=force, maps=[kb.root])  # refuse before the work
    files = export_files(kb, fmt, as_folder=as_folder)
    if "" in files:
        guard_target(path, folder=False, force=force, maps=[kb.root])
        write_atomic(path, files[""])
        return path
    with staged_folder(path, force, maps=[kb.root]) as staging:
        for name, text in files.items():
            write_atomic(staging / name, text)
    return path


def _json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
