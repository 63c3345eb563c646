"""Whole-map figures: counts, shape and depth in one dict (`stats`), and every analytic at once
(`run_all`, what the site and the benchmarks consume)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

import networkx as nx

from gapmap.graph.build import NEEDS, nodes_of
from gapmap.graph.leverage import leverage
from gapmap.graph.paths import chains, prerequisites
from gapmap.graph.structure import bridges, components, orphans


def stats(g: nx.MultiDiGraph) -> dict:
    """Counts of records and links by kind, component sizes, orphan ids, bridges (as dicts),
    prerequisite cycles and the deepest chain: plain values, ready for JSON."""
    roles = Counter(role or "unknown" for _, _, rel, role in g.edges(keys=True, data="role") if rel == NEEDS)
    parts = components(g)
    lonely = orphans(g)
    cycles = g.graph.get("requires_cycles", [])
    deepest = None
    if not cycles:
        table = chains(g)
        if table:
            deepest = max((c for c, _ in table.values()), key=lambda c: len(c.capabilities)).capabilities
    return {
        "records": {kind: len(nodes_of(g, kind)) for kind in ("field", "gap", "capability", "resource")},
        "links": dict(Counter(rel for _, _, rel in g.edges(keys=True))),
        "roles": dict(roles),
        "components": [{"fields": len(c.fields), "gaps": len(c.gaps), "capabilities": len(c.capabilities)}
                       for c in parts],
        "orphans": asdict(lonely),
        "bridges": [asdict(b) for b in bridges(g)],
        "requires_cycles": cycles,
        "deepest_chain": deepest,
    }


def run_all(g: nx.MultiDiGraph) -> dict:
    """Every analytic over the whole map: `stats` (which holds the bridges and orphans), the
    leverage ranking, the components, and each gap's closure and longest chains."""
    table = chains(g)
    gaps = {gap: prerequisites(g, gap, table) for gap in nodes_of(g, "gap")}
    return {"stats": stats(g), "leverage": leverage(g), "components": components(g), "gaps": gaps}
