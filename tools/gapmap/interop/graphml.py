"""GraphML output of the map graph, for Gephi, Cytoscape and yEd."""

from __future__ import annotations

import networkx as nx


def _plain(attrs: dict) -> dict:
    """GraphML holds strings and numbers only. None is left out — GraphML's "no value" — rather
    than written as "", which would give a numeric key (importance, build_years) a second,
    string-typed declaration; lists become comma-joined text."""
    out = {}
    for key, value in attrs.items():
        if value is not None:
            out[key] = ",".join(map(str, value)) if isinstance(value, (list, tuple, set)) else value
    return out


def graphml_text(graph: nx.MultiDiGraph) -> str:
    """`graph` as GraphML text."""
    plain = nx.MultiDiGraph()
    plain.graph.update(requires_cycles=len(graph.graph.get("requires_cycles", [])))
    plain.add_nodes_from((n, _plain(d)) for n, d in graph.nodes(data=True))
    plain.add_edges_from((u, v, k, _plain(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return "\n".join(nx.generate_graphml(plain)) + "\n"
