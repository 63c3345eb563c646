"""The graph explorer's data: a seeded spring layout of fields, gaps and capabilities (resources
are left out: a thousand citation leaves would hide the structure), computed at build time
and cached by the graph's content hash."""

from __future__ import annotations

from gapmap.cost.cache import Cache, key
from gapmap.graph.build import IN_FIELD, NEEDS, REQUIRES
from gapmap.site.markup import esc

KINDS = ("field", "gap", "capability")
RELS = (IN_FIELD, NEEDS, REQUIRES)


def explorer_data(ctx, seed: int = 0) -> dict:
    """{'nodes': [{id, kind, title, url, fields, x, y}], 'edges': [[i, j], ...]} for gapmap.js; titles are
    HTML-escaped because plotly reads tags in hover text."""
    g = ctx.graph
    ids = sorted(n for n, k in g.nodes(data="kind") if k in KINDS)
    index = {n: i for i, n in enumerate(ids)}
    edges = sorted({(index[u], index[v]) for u, v, rel in g.edges(keys=True)
                    if rel in RELS and u in index and v in index})
    pos = Cache(ctx.kb.root).fetch("layout", key("spring", ids, edges, seed), lambda: _spring(ids, edges, seed))
    nodes = []
    for n in ids:
        kind = g.nodes[n]["kind"]
        fields = [n] if kind == "field" else [g.nodes[n]["field"]] if kind == "gap" else ctx.fields_of.get(n, [])
        x, y = pos[index[n]]
        nodes.append({"id": n, "kind": kind, "title": esc(ctx.titles.get(n, n)), "url": ctx.urls.get(n, ""),
                      "fields": fields, "x": x, "y": y})
    return {"nodes": nodes, "edges": edges}


def _spring(ids: list[str], edges: list, seed: int) -> list[list[float]]:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(len(ids)))
    g.add_edges_from(edges)
    # k a little above 1/sqrt(n) spreads the many small components instead of piling them up
    pos = nx.spring_layout(g, seed=seed, iterations=50, k=1.5 / max(1, len(ids)) ** 0.5)
    return [[round(float(pos[i][0]), 4), round(float(pos[i][1]), 4)] for i in range(len(ids))]
