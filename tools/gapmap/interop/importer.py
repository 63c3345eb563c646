"""The gap-map.org export turned into our records (plain dicts in the models' key order), with
every link kept, every normalisation counted and every defect of the export named.

Links: a gap's `foundationalCapabilities` become typed links with no role (the export does not
say how much a capability closes the gap, so we do not guess); a capability's `gaps` list, when
populated, adds the links it names that the gap side lacks. A capability's `resources` stay on
the capability. Tags become slugs with a meaning line naming the original label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gapmap.core import progress
from gapmap.core.ids import ID_RE
from gapmap.interop import normalise
from gapmap.interop.gapmap_org import EXTERNAL_KEY, KIND_BY_TYPE, TAG_MEANING
from gapmap.interop.ids import MAX_ID, assign_ids, slugify, truncate, valid_base
from gapmap.interop.defects import find_defects
from gapmap.interop.report import Defect, ImportReport

KINDS = (("fields", "field"), ("gaps", "gap"), ("capabilities", "capability"), ("resources", "resource"))


@dataclass
class Conversion:
    """What the import will write: records by kind (id -> dict), tags, and the report."""

    records: dict[str, dict[str, dict]] = field(default_factory=lambda: {k: {} for _, k in KINDS})
    tags: dict[str, str] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)


def convert(export: dict) -> Conversion:
    out = Conversion()
    tally = out.report.normalisations
    claims = _claims(export, tally)
    ids = assign_ids(claims)
    for rank, _, index, base in claims:
        tally.note(KINDS[rank][1], "id-suffixed-to-be-unique", base, ids[(rank, index)])
    # a UUID names the first record that has it; later holders are kept under their own ids
    first: dict[str, tuple[int, int]] = {}
    for rank, uuid, index, _ in sorted(claims):
        if uuid in first:
            kept = ids[first[uuid]]
            out.report.notes.append(f"{KINDS[rank][1]} {ids[(rank, index)]!r} has the UUID {uuid!r} that "
                                    f"{KINDS[first[uuid][0]][1]} {kept!r} has too; both are kept, links "
                                    f"to that UUID go to {kept!r}")
        else:
            first[uuid] = (rank, index)
    by_uuid = {uuid: ids[key] for uuid, key in first.items()}
    kind_of = {uuid: KINDS[rank][1] for uuid, (rank, _) in first.items()}
    refs = _Refs(by_uuid, kind_of, out.report)
    extra_links = _capability_side_links(export)
    for rank, (folder, kind) in enumerate(KINDS):
        for index, item in enumerate(export[folder]):
            rid = ids[(rank, index)]
            try:
                rec = _common(kind, item, rid, tally, out)
                if kind == "gap":
                    _gap(rec, item, refs, extra_links.get(item["id"], []) if first[item["id"]] == (rank, index) else [])
                elif kind == "capability":
                    rec["resources"] = refs.list(rec["id"], item.get("resources"), "resource")
                elif kind == "resource":
                    _resource(rec, item, tally, out.report)
            except Exception as exc:  # a record the converter cannot handle: say so, keep the rest
                out.report.not_converted.append(f"{folder}[{index}] (UUID {item['id']!r}): {type(exc).__name__}: {exc}")
                continue
            rec["external_ids"] = {EXTERNAL_KEY: item["id"]}
            out.records[kind][rec["id"]] = rec
    for gap_uuid in set(extra_links) - {g["id"] for g in export["gaps"]}:
        out.report.notes.append(f"capability-side link to gap {gap_uuid!r}: no such gap in the export")
    out.report.counts = {kind: len(out.records[kind]) for _, kind in KINDS}
    find_defects(out.records, out.report)
    return out


def _claims(export: dict, tally) -> list[tuple[int, str, int, str]]:
    claims = []
    for rank, (folder, kind) in enumerate(KINDS):
        for index, item in enumerate(export[folder]):
            if kind == "resource":
                base = truncate(slugify(normalise.title(normalise.Tally(), kind, _text(item, "title"))))
            else:
                given = _text(item, "slug")
                base = tally.note(kind, "slug-remade-from-invalid", given,
                                  given if ID_RE.match(given) else slugify(given or _text(item, "name")))
                base = tally.note(kind, "slug-truncated-to-80", base, truncate(base, MAX_ID))
            base = base or f"{kind}-{slugify(item['id'])[:8]}".strip("-")
            base = tally.note(kind, "id-made-valid", base, valid_base(base, kind))
            claims.append((rank, item["id"], index, base))
    return claims


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _common(kind: str, item: dict, rid: str, tally, out: Conversion) -> dict:
    """id, title, summary, description, tags: the keys every kind shares."""
    rec = {"id": rid, "title": normalise.title(tally, kind, _text(item, "name" if kind != "resource" else "title"))}
    if kind != "resource":
        description = normalise.markdown(tally, kind, _text(item, "description"))
        rec["summary"] = normalise.first_sentence(description) if description else None
        rec["description"] = description or None
        if not description:
            why = "has no description" if "description" not in item else "has an empty description"
            out.report.defects.append(Defect(kind, rid, "error", "missing-key",
                                             f"{why} in the export, so it has neither description nor summary"))
    tags = []
    for label in item.get("tags") or []:
        tag = slugify(label) if isinstance(label, str) and label.strip() else ""  # a blank label is no tag
        tag = valid_base(tag, "tag") if tag else ""  # "0" would read back as a number
        if tag and tag not in tags:
            tags.append(tag)
            out.tags.setdefault(tag, TAG_MEANING.format(label=normalise.title(normalise.Tally(), kind, label)))
    rec["tags"] = tags
    return rec


class _Refs:
    """Resolves export UUIDs to our ids; a dangling or wrong-kind UUID is a reported defect."""

    def __init__(self, ids: dict, kind_of: dict, report: ImportReport):
        self.ids, self.kind_of, self.report = ids, kind_of, report

    def one(self, owner: str, uuid, kind: str) -> str | None:
        if isinstance(uuid, str) and self.kind_of.get(uuid) == kind:
            return self.ids[uuid]
        self.report.notes.append(f"{owner}: link to {kind} {uuid!r} names no {kind} in the export")
        return None

    def list(self, owner: str, uuids, kind: str) -> list[str]:
        out = []
        for uuid in uuids or []:
            rid = self.one(owner, uuid, kind)
            if rid is not None and rid not in out:
                out.append(rid)
        return out


def _capability_side_links(export: dict) -> dict[str, list[str]]:
    """gap UUID -> capability UUIDs named only on the capability side (`capability.gaps`)."""
    extra: dict[str, list[str]] = {}
    for cap in export["capabilities"]:
        for gap_uuid in cap.get("gaps") or []:
            extra.setdefault(gap_uuid, []).append(cap["id"])
    return extra


def _gap(rec: dict, item: dict, refs: _Refs, extra: list[str]) -> None:
    owner = item.get("field")
    rec["field"] = refs.one(rec["id"], owner.get("id") if isinstance(owner, dict) else owner, "field")
    if rec["field"] is None:
        refs.report.defects.append(Defect("gap", rec["id"], "error", "missing-key",
                                          "names no field of the export, so it has no field"))
    caps = refs.list(rec["id"], list(item.get("foundationalCapabilities") or []) + extra, "capability")
    rec["capabilities"] = [{"capability": c} for c in caps]


def _resource(rec: dict, item: dict, tally, report: ImportReport) -> None:
    summary = _text(item, "summary").strip()
    if not summary:
        tally[("resource", "summary-empty-left-out")] += 1
    rec["summary"] = normalise.title(tally, "resource", summary) if summary else None
    rec["url"] = normalise.url(tally, "resource", _text(item, "url"))
    types = [t.strip() for t in item.get("types") or [] if isinstance(t, str)]
    rec["kind"] = KIND_BY_TYPE.get(types[0].lower()) if types else None
    if types and rec["kind"] is None:
        report.notes.append(f"{rec['id']}: resource type {types[0]!r} is not in our vocabulary; kind left out")


def import_gapmap_org(src, out, force: bool = False) -> ImportReport:
    """Read the export at `src`, write it as a map at `out`, and return what was done."""
    from gapmap.interop.gapmap_org import read_export
    from gapmap.interop.kb_writer import write_map

    with progress.stage("reading the export"):
        export = read_export(src)
    with progress.stage("converting records"):
        conversion = convert(export)
    with progress.stage("writing the map"):
        write_map(conversion.records, conversion.tags, out, force)
    return conversion.report
