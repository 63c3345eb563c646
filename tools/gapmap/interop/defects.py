"""The export's defects, found on the converted records the way `gapmap validate` will find
them on the written map: schema failures, then what is left unconnected once the records
that fail their schema are set aside (validation does not follow their links either).
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import ValidationError

from gapmap.check.citations import uncited_figures
from gapmap.check.structure import Shape, unconnected
from gapmap.interop.report import Defect, ImportReport
from gapmap.load.schema_errors import code_of
from gapmap.model.records import MODEL_BY_KIND


def find_defects(records: dict[str, dict[str, dict]], report: ImportReport) -> None:
    """Append to `report` a defect per (record, finding code)."""
    invalid = _schema_defects(records, report)
    valid = {kind: {i: r for i, r in table.items() if i not in invalid} for kind, table in records.items()}
    _unconnected(records, valid, invalid, report)
    _uncited(valid, report)
    _same_title(records, report)


def _schema_defects(records, report: ImportReport) -> dict[str, str]:
    """Validate every record with its model; id -> why, for those that fail."""
    known = {(d.id, d.code) for d in report.defects}
    invalid = {}
    for kind, table in records.items():
        model = MODEL_BY_KIND[kind]
        for rid, data in table.items():
            try:
                model.model_validate({k: v for k, v in data.items() if v is not None})
            except ValidationError as exc:
                problems = defaultdict(list)
                for err in exc.errors(include_url=False):
                    code = code_of(err["type"])
                    problems[code].append(f"{'.'.join(map(str, err['loc']))}: {err['msg']}")
                for code, messages in problems.items():
                    if (rid, code) not in known:
                        detail = f" ({data['url']!r})" if code == "bad-url" else ""
                        report.defects.append(Defect(kind, rid, "error", code, "; ".join(messages) + detail))
                invalid[rid] = f"{kind} '{rid}', which fails its schema"
    return invalid


def _shape(valid: dict) -> Shape:
    """The export's valid records in the form the structural rules (check/structure.py) read;
    resources in file-name order, the order validation reads them."""
    gaps, caps = valid["gap"], valid["capability"]
    return Shape(
        fields=list(valid["field"]), capabilities=list(caps),
        resources=sorted(valid["resource"], key=lambda r: f"{r}.yaml"),
        gap_field={gid: g.get("field") for gid, g in gaps.items()},
        gap_links={gid: [(l["capability"], l.get("role")) for l in g.get("capabilities") or []] for gid, g in gaps.items()},
        requires={cid: list(c.get("requires") or []) for cid, c in caps.items()},
        cited={r for table in valid.values() for rec in table.values() for r in rec.get("resources") or []},
        urls={rid: valid["resource"][rid]["url"] for rid in sorted(valid["resource"], key=lambda r: f"{r}.yaml")},
    )


def _unconnected(records: dict, valid: dict, invalid: dict, report: ImportReport) -> None:
    loose = unconnected(_shape(valid))
    add = report.defects.append
    for cid in loose.orphan_capabilities:
        add(Defect("capability", cid, "warning", "orphan-capability", "no gap of the export links to it"))
    cited_by_invalid = {r: invalid[i] for table in records.values() for i, rec in table.items()
                        if i in invalid for r in rec.get("resources") or []}
    for rid in loose.orphan_resources:
        add(Defect("resource", rid, "warning", "orphan-resource", f"cited by {cited_by_invalid.get(rid, 'no record of the export')}"))
    for fid in loose.empty_fields:
        add(Defect("field", fid, "warning", "empty-field", "no gap of the export belongs to it"))
    for gid in loose.gaps_without_capabilities:
        add(Defect("gap", gid, "warning", "no-necessary-capability", "the export links it to no capability"))
    for rid, first in loose.duplicate_urls:
        add(Defect("resource", rid, "warning", "duplicate-url", f"same URL as resource '{first}' (a duplicate in the export)"))


def _uncited(valid: dict, report: ImportReport) -> None:
    """Descriptions that state a figure without an inline citation (the export has no inline
    citations at all), by the rule validation uses."""
    resources = set(valid["resource"])
    for kind in ("field", "gap", "capability"):
        for rid, rec in valid[kind].items():
            found = uncited_figures(rec.get("description") or "", resources)
            if found:
                report.defects.append(Defect(kind, rid, "warning", "uncited-figure",
                                             f"{len(found)} figure(s) without an inline citation, e.g. '{found[0][1]}'"))


def _same_title(records: dict, report: ImportReport) -> None:
    """Records of one kind sharing a title (numbered ids tell them apart): a note each, since
    validation sees only those that also share a URL."""
    for kind, table in records.items():
        by_title: dict[str, list[str]] = defaultdict(list)
        for rid, rec in table.items():
            by_title[rec["title"].casefold()].append(rid)
        for rids in by_title.values():
            if len(rids) > 1:
                report.notes.append(f"{kind}s {', '.join(sorted(rids))} share the title "
                                    f"{table[rids[0]]['title']!r} in the export")
