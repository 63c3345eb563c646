"""Cross-record checks: every reference resolves, tags exist, the prerequisite graph is a DAG,
and nothing is left unconnected.
"""

from __future__ import annotations

from gapmap.core.findings import Finding, did_you_mean, finding
from gapmap.check.structure import shape_of_map, unconnected
from gapmap.check.text import CITATION, iter_strings


def _ref(kb, owner: str, path: tuple, target: str, kind: str | tuple, label: str) -> Finding | None:
    kinds = (kind,) if isinstance(kind, str) else kind
    actual = kb.known_ids.get(target)
    if actual in kinds:
        return None
    file, pos = kb.where(owner, path)
    if actual is not None:
        return finding(file, pos, "wrong-kind-ref",
                     f"{label} '{target}' is a {actual}, not a {' or '.join(kinds)}; link a {kinds[0]} here", target)
    pool = [i for i, k in kb.known_ids.items() if k in kinds]
    return finding(file, pos, "unknown-ref",
                 f"{label} '{target}' not found{did_you_mean(target, pool)}; fix the id or add the record", target)


def check_references(kb) -> list[Finding]:
    out: list[Finding] = []
    add = out.append
    for kind, rec in kb.records():
        rid = rec.id
        for i, res in enumerate(rec.resources):
            add(_ref(kb, rid, ("resources", i), res, "resource", "resource"))
        for i, tag in enumerate(rec.tags):
            if kb.has_tags_file and tag not in kb.tags:
                file, pos = kb.where(rid, ("tags", i))
                add(finding(file, pos, "unknown-tag",
                          f"tag '{tag}' is not in tags.yaml{did_you_mean(tag, kb.tags)}; use a listed tag or add it there"))
        if kind == "gap":
            add(_ref(kb, rid, ("field",), rec.field, "field", "field"))
            for i, link in enumerate(rec.capabilities):
                add(_ref(kb, rid, ("capabilities", i, "capability"), link.capability, "capability", "capability"))
            for i, other in enumerate(rec.related_gaps):
                if other == rid:
                    file, pos = kb.where(rid, ("related_gaps", i))
                    add(finding(file, pos, "self-reference", f"gap '{rid}' lists itself among its related gaps; remove it"))
                else:
                    add(_ref(kb, rid, ("related_gaps", i), other, "gap", "related gap"))
            _duplicates(kb, out, rid, "capabilities", [l.capability for l in rec.capabilities])
        elif kind == "capability":
            for i, req in enumerate(rec.requires):
                if req == rid:
                    file, pos = kb.where(rid, ("requires", i))
                    add(finding(file, pos, "requires-cycle", f"'{rid}' requires itself; remove it from requires"))
                else:
                    add(_ref(kb, rid, ("requires", i), req, "capability", "required capability"))
            if rec.build and rec.build.source:
                add(_ref(kb, rid, ("build", "source"), rec.build.source, "resource", "build source"))
            if rec.cost:
                for i, obs in enumerate(rec.cost.observations):
                    add(_ref(kb, rid, ("cost", "observations", i, "source"), obs.source, "resource",
                             "observation source"))
    if kb.deflators is not None and kb.known_ids.get(kb.deflators.source) != "resource":
        doc = kb.documents["deflators.yaml"]
        add(finding(doc.path, doc.where(("source",)), "unknown-ref",
                    f"source '{kb.deflators.source}' of the price index is not a resource"
                    f"{did_you_mean(kb.deflators.source, [i for i, k in kb.known_ids.items() if k == 'resource'])}; "
                    "fix the id or add the resource", kb.deflators.source))
    out.extend(_citations(kb))
    return [f for f in out if f is not None]


def _citations(kb) -> list[Finding]:
    """`[id]` citations in Markdown must name a record, like any other reference."""
    out = []
    for _, rec in kb.records():
        doc = kb.documents[kb.path_of[rec.id]]
        for path, value in iter_strings(doc.data, _has_bracket):
            for m in CITATION.finditer(value):
                cited = m.group(1)
                if cited not in kb.known_ids:
                    out.append(finding(doc.path, doc.where_in(path, value, m.start()), "unknown-ref",
                                     f"citation [{cited}] names no record{did_you_mean(cited, kb.known_ids)}; "
                                     "fix the id or add the resource", cited))
    return out


def _has_bracket(text: str) -> bool:
    return "[" in text


def _duplicates(kb, out, rid, key, values) -> None:
    seen = set()
    for i, v in enumerate(values):
        if v in seen:
            file, pos = kb.where(rid, (key, i))
            out.append(finding(file, pos, "duplicate-link", f"'{v}' is listed twice in {key}; keep one"))
        seen.add(v)


def requires_cycles(capabilities: dict) -> list[list[str]]:
    """Every cycle in `requires` found by one depth-first pass (each reported once)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles = []
    for start in capabilities:
        if state.get(start):
            continue
        stack = [(start, iter(capabilities[start].requires))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in capabilities or child == node:
                    continue
                if state.get(child) == 1:
                    cycles.append(path[path.index(child):] + [child])
                elif not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(capabilities[child].requires)))
                    break
            else:
                state[node] = 2
                path.pop()
                stack.pop()
    return cycles


def check_structure(kb) -> list[Finding]:
    out = []
    for cycle in requires_cycles(kb.capabilities):
        first = cycle[0]
        index = kb.capabilities[first].requires.index(cycle[1])
        file, pos = kb.where(first, ("requires", index))
        out.append(finding(file, pos, "requires-cycle",
                         f"prerequisites form a cycle: {' → '.join(cycle)}; remove one of these requires links"))
    loose = unconnected(shape_of_map(kb))
    for cid in loose.orphan_capabilities:
        file, pos = kb.where(cid, ("id",))
        out.append(finding(file, pos, "orphan-capability",
                           f"no gap links to capability '{cid}' and none requires it; link it from a gap"))
    for rid, first in loose.duplicate_urls:
        file, pos = kb.where(rid, ("url",))
        out.append(finding(file, pos, "duplicate-url",
                           f"resource '{first}' already has this URL; cite that one and remove this"))
    for rid in loose.orphan_resources:
        file, pos = kb.where(rid, ("id",))
        out.append(finding(file, pos, "orphan-resource",
                           f"nothing cites resource '{rid}'; cite it from a record or remove it"))
    for fid in loose.empty_fields:
        file, pos = kb.where(fid, ("id",))
        out.append(finding(file, pos, "empty-field", f"no gap belongs to field '{fid}'; add a gap or remove it"))
    for gid in loose.gaps_without_necessary:
        file, pos = kb.where(gid, ("capabilities",), key=True)
        out.append(finding(file, pos, "no-necessary-capability",
                           f"gap '{gid}' has no necessary capability; mark the one it cannot close without"))
    for gid in loose.gaps_without_capabilities:
        file, pos = kb.where(gid, ("id",))
        out.append(finding(file, pos, "no-necessary-capability", f"gap '{gid}' links no capability; add what would close it"))
    return out
