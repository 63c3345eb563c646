"""Whole-map figures: counts, shape and depth in one dict (`stats`), and every analytic at once
(`run_all`, what the site and the benchmarks consume)."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from gapmap.graph.build import NEEDS, nodes_of
from gapmap.graph.leverage import leverage
from gapmap.graph.paths import chains, longest_chain, prerequisite_closure
from gapmap.graph.structure import bridges, components, orphans


def stats(g: nx.MultiDiGraph) -> dict:
    """Counts of records and links, components, orphans, bridges and the deepest chain."""
    roles = Counter(str(role) if role else "unknown" for _, _, rel, role in g.edges(keys=True, data="role")
                    if rel == NEEDS)
    parts = components(g)
    lonely = orphans(g)
    cycles = g.graph.get("requires_cycles", [])
    deepest = None
    if not cycles:
        table = chains(g)
        if table:
            deepest = max((c for c, _ in table.values()), key=lambda c: len(c.capabilities)).capabilities
    return {
        "records": dict(Counter(k for _, k in g.nodes(data="kind"))),
        "links": dict(Counter(rel for _, _, rel in g.edges(keys=True))),
        "roles": dict(roles),
        "components": len(parts),
        "largest_component": parts[0].size if parts else 0,
        "orphans": {"capabilities": len(lonely.capabilities), "resources": len(lonely.resources),
                    "fields": len(lonely.fields)},
        "bridges": len(bridges(g)),
        "requires_cycles": len(cycles),
        "deepest_chain": deepest,
    }


def run_all(g: nx.MultiDiGraph) -> dict:
    """Every analytic over the whole map: leverage, bridges, components, orphans, and each gap's
    closure and longest chains."""
    table = chains(g)
    gaps = {}
    for gap in nodes_of(g, "gap"):
        by_count, by_years = longest_chain(g, gap, table=table)
        gaps[gap] = {"closure": prerequisite_closure(g, gap), "chain": by_count, "chain_years": by_years}
    return {"stats": stats(g), "leverage": leverage(g), "bridges": bridges(g), "components": components(g),
            "orphans": orphans(g), "gaps": gaps}
