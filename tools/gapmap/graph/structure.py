"""The map's shape: capabilities that bridge fields, connected components, and orphans.

*Bridges* serve gaps in two or more fields — "serve" meaning unblock, directly or through a
capability that requires them, as in leverage. Their *betweenness* is measured on the
field–capability projection (a field linked to every capability that unblocks one of its gaps):
the share of field pairs whose shortest connections pass through the capability. Paths are
counted only between fields, so the cost is one breadth-first search per field — exact, with
no sampling, even on large maps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from math import comb

import networkx as nx

from gapmap.check.structure import Shape, unconnected
from gapmap.graph.build import CITES, NEEDS, REQUIRES, nodes_of, sources, targets
from gapmap.graph.leverage import unblocked

MAX_SOURCE_FIELDS = 64  # exact up to this many fields (the real map has 20); sampled beyond


@dataclass(frozen=True)
class Bridge:
    capability: str
    title: str
    fields: list[str]
    gaps: int  # gaps it unblocks, in all fields
    betweenness: float  # share of field pairs whose shortest connections pass through it


@dataclass(frozen=True)
class Component:
    fields: list[str]
    gaps: list[str]
    capabilities: list[str]

    @property
    def size(self) -> int:
        return len(self.fields) + len(self.gaps) + len(self.capabilities)


@dataclass(frozen=True)
class Orphans:
    """The same rules as `gapmap validate`'s orphan-capability, orphan-resource and empty-field."""

    capabilities: list[str]  # no gap links it and no capability requires it
    resources: list[str]  # no record cites it
    fields: list[str]  # no gap belongs to it


def fields_served(g: nx.MultiDiGraph) -> dict[str, tuple[set[str], int]]:
    """capability -> (fields of the gaps it unblocks, number of those gaps)."""
    out = {}
    for cid in nodes_of(g, "capability"):
        gaps = unblocked(g, cid)
        out[cid] = ({g.nodes[gap]["field"] for gap in gaps}, len(gaps))
    return out


def field_projection(g: nx.MultiDiGraph, served=None) -> nx.Graph:
    """Fields and capabilities, a field linked to each capability that unblocks one of its gaps."""
    served = fields_served(g) if served is None else served
    p = nx.Graph()
    p.add_nodes_from(nodes_of(g, "field"), kind="field")
    for cid, (fields, _) in served.items():
        p.add_node(cid, kind="capability")
        p.add_edges_from((f, cid) for f in fields if f in p)
    return p


def field_betweenness(g: nx.MultiDiGraph, served=None) -> dict[str, float]:
    """capability -> share of field pairs whose shortest connections pass through it."""
    p = field_projection(g, served)
    fields = nodes_of(g, "field")
    out = {c: 0.0 for c, k in p.nodes(data="kind") if k == "capability"}
    pairs = comb(len(fields), 2)
    # a capability serving one field is a dead end that no path between fields crosses: leaving
    # those out changes no result and shrinks the graph several times over
    p.remove_nodes_from([c for c in out if p.degree(c) < 2])
    if pairs:
        # unnormalised subset betweenness of an undirected graph counts each field pair once;
        # past MAX_SOURCE_FIELDS fields a seeded sample of sources keeps this linear in the map
        # (one search per source), and the count is scaled up by fields / sample: an estimate
        sources = sorted(fields)
        if len(sources) > MAX_SOURCE_FIELDS:
            sources = random.Random(0).sample(sources, MAX_SOURCE_FIELDS)
        scale = len(fields) / len(sources)
        raw = nx.betweenness_centrality_subset(p, sources=sources, targets=fields, normalized=False)
        out.update((c, round(scale * raw[c] / pairs, 6)) for c in out if c in raw)
    return out


def bridges(g: nx.MultiDiGraph, min_fields: int = 2) -> list[Bridge]:
    """Capabilities serving gaps in at least `min_fields` fields, most fields first."""
    served = fields_served(g)
    between = field_betweenness(g, served)
    rows = [Bridge(cid, g.nodes[cid]["title"], sorted(fields), n, between[cid])
            for cid, (fields, n) in served.items() if len(fields) >= min_fields]
    return sorted(rows, key=lambda b: (-len(b.fields), -b.betweenness, b.capability))


def components(g: nx.MultiDiGraph) -> list[Component]:
    """Weakly connected parts of the map, ignoring resources (which would join unrelated parts
    through a shared citation); largest first."""
    core = g.subgraph(n for n, k in g.nodes(data="kind") if k != "resource")
    out = []
    for members in nx.weakly_connected_components(core):
        by_kind: dict[str, list[str]] = {"field": [], "gap": [], "capability": []}
        for n in members:
            by_kind[g.nodes[n]["kind"]].append(n)
        out.append(Component(*(sorted(by_kind[k]) for k in ("field", "gap", "capability"))))
    return sorted(out, key=lambda c: (-c.size, (c.fields + c.gaps + c.capabilities)[0]))


def shape_of_graph(g: nx.MultiDiGraph) -> Shape:
    """The graph's links in the form the structural rules (check/structure.py) read."""
    gaps = nodes_of(g, "gap")
    return Shape(
        fields=nodes_of(g, "field"), capabilities=nodes_of(g, "capability"), resources=nodes_of(g, "resource"),
        gap_field={gid: g.nodes[gid].get("field") for gid in gaps},
        gap_links={gid: [(c, g.edges[gid, c, NEEDS].get("role")) for c in targets(g, gid, NEEDS)] for gid in gaps},
        requires={cid: targets(g, cid, REQUIRES) for cid in nodes_of(g, "capability")},
        cited={r for r in nodes_of(g, "resource") if sources(g, r, CITES)},
    )


def orphans(g: nx.MultiDiGraph) -> Orphans:
    loose = unconnected(shape_of_graph(g))
    return Orphans(sorted(loose.orphan_capabilities), sorted(loose.orphan_resources), sorted(loose.empty_fields))
