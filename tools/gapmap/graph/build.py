"""Turn a loaded map into a networkx multigraph whose edges are the links stored in the records.

Vocabulary: a *node* is a record (attribute `kind`: field, gap, capability, resource); an
*edge* is a stored link, keyed and labelled by its relation `rel`: gap -needs-> capability
(with the link's `role`), capability -requires-> capability, record -cites-> resource,
gap -in_field-> field, gap -related-> gap. Back-links are never stored in the records; here
they are simply the graph's in-edges.
"""

from __future__ import annotations

import networkx as nx

from gapmap.check.references import requires_cycles

NEEDS, REQUIRES, CITES, IN_FIELD, RELATED = "needs", "requires", "cites", "in_field", "related"
TARGET_KIND = {NEEDS: "capability", REQUIRES: "capability", CITES: "resource", IN_FIELD: "field", RELATED: "gap"}


def build_graph(kb) -> nx.MultiDiGraph:
    """The map's records as nodes and their links as edges; links to unknown ids are left out
    (validation reports them). `graph.graph["requires_cycles"]` lists any prerequisite cycles."""
    g = nx.MultiDiGraph(requires_cycles=requires_cycles(kb.capabilities))
    for fid, f in kb.fields.items():
        g.add_node(fid, kind="field", title=f.title)
    for gid, gap in kb.gaps.items():
        g.add_node(gid, kind="gap", title=gap.title, field=gap.field, **_assessment(gap))
    for cid, cap in kb.capabilities.items():
        g.add_node(cid, kind="capability", title=cap.title, category=cap.kind, maturity=cap.maturity,
                   build_years=cap.build.years.median() if cap.build else None,
                   build_cost_usd=cap.build.cost_usd.median() if cap.build else None,
                   has_cost_model=cap.cost is not None)
    for rid, res in kb.resources.items():
        g.add_node(rid, kind="resource", title=res.title, category=res.kind, url=res.url, year=res.year)
    for gid, gap in kb.gaps.items():
        _link(g, gid, gap.field, IN_FIELD)
        for link in gap.capabilities:
            _link(g, gid, link.capability, NEEDS, role=link.role)
        for other in gap.related_gaps:
            _link(g, gid, other, RELATED)
    for cid, cap in kb.capabilities.items():
        for req in cap.requires:
            _link(g, cid, req, REQUIRES)
    for _, rec in kb.records():
        for source, via in _citations(rec):
            _cite(g, rec.id, source, via)
    return g


def _assessment(gap) -> dict:
    a = gap.assessment
    if a is None:
        return {"importance": None, "tractability": None, "neglectedness": None}
    return {"importance": a.importance, "tractability": a.tractability, "neglectedness": a.neglectedness}


def _citations(rec):
    """(resource id, where it is cited) for every source a record names."""
    for res in rec.resources:
        yield res, "resources"
    build = getattr(rec, "build", None)
    if build is not None and build.source:
        yield build.source, "build"
    cost = getattr(rec, "cost", None)
    if cost is not None:
        for obs in cost.observations:
            yield obs.source, "cost"


def _link(g: nx.MultiDiGraph, source: str, target: str, rel: str, **attrs) -> None:
    if g.nodes.get(target, {}).get("kind") == TARGET_KIND[rel]:
        g.add_edge(source, target, key=rel, rel=rel, **attrs)


def _cite(g: nx.MultiDiGraph, source: str, target: str, via: str) -> None:
    """One `cites` edge per (record, resource); `via` says where: resources, build, cost."""
    data = g.get_edge_data(source, target, key=CITES)
    if data is None:
        _link(g, source, target, CITES, via=via)
    elif via not in data["via"].split(","):
        data["via"] += "," + via


def nodes_of(g: nx.MultiDiGraph, kind: str) -> list[str]:
    return [n for n, k in g.nodes(data="kind") if k == kind]


def targets(g: nx.MultiDiGraph, node: str, rel: str) -> list[str]:
    """Nodes `node` links to by `rel` (keys are relations, so this is a direct lookup)."""
    return [t for t, keys in g.adj[node].items() if rel in keys]


def sources(g: nx.MultiDiGraph, node: str, rel: str) -> list[str]:
    """Nodes linking to `node` by `rel`: the derived back-links."""
    return [s for s, keys in g.pred[node].items() if rel in keys]
