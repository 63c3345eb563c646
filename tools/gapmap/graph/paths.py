"""Prerequisites of a gap: everything it needs transitively, and its longest chain of builds.

A *chain* runs from a foundation (a capability that requires nothing) up through `requires`
links to a capability the gap links to; its length counts capabilities, and its years add up
each member's median `build.years` (members without a build block count 0 and are reported).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import networkx as nx

from gapmap.graph.build import NEEDS, REQUIRES, nodes_of, targets
from gapmap.graph.leverage import ROLE_WEIGHT
from gapmap.model.records import NEEDED_ROLES



@dataclass(frozen=True)
class Prerequisite:
    capability: str
    title: str
    role: str | None  # role of the strongest gap link through which it is needed
    depth: int  # 0: the gap links it; 1: a linked capability requires it; ...
    maturity: str | None
    build_years: float | None


@dataclass(frozen=True)
class Chain:
    capabilities: list[str]  # foundation first, the capability the gap links last
    years: float  # sum of median build years along the chain
    unknown_years: int  # members without build.years (counted as 0 years)


def linked(g: nx.MultiDiGraph, gap: str, roles=None) -> list[tuple[str, str | None]]:
    """(capability, role) of the gap's own links, optionally only those with a role in `roles`."""
    if g.nodes.get(gap, {}).get("kind") != "gap":
        raise KeyError(f"no gap '{gap}' in the map")
    out = [(c, g.edges[gap, c, NEEDS].get("role")) for c in targets(g, gap, NEEDS)]
    return [(c, r) for c, r in out if roles is None or r in roles]


def prerequisite_closure(g: nx.MultiDiGraph, gap: str, roles=None) -> list[Prerequisite]:
    """Every capability the gap needs through its links (all roles unless `roles` is given) and,
    transitively, their `requires`; nearest first."""
    best: dict[str, tuple[float, str | None, int]] = {}  # capability -> (role weight, role, depth)
    for start, role in linked(g, gap, roles):
        depth = {start: 0}
        frontier = deque([start])
        while frontier:
            node = frontier.popleft()
            for prereq in targets(g, node, REQUIRES):
                if prereq not in depth:
                    depth[prereq] = depth[node] + 1
                    frontier.append(prereq)
        for cap, d in depth.items():
            w, r, old = best.get(cap, (-1.0, None, d))
            if ROLE_WEIGHT[role] > w:
                w, r = ROLE_WEIGHT[role], role
            best[cap] = (w, r, min(d, old))
    rows = [Prerequisite(cap, g.nodes[cap]["title"], role, depth, g.nodes[cap].get("maturity"),
                         g.nodes[cap].get("build_years")) for cap, (_, role, depth) in best.items()]
    return sorted(rows, key=lambda p: (p.depth, p.capability))


def prerequisite_order(g: nx.MultiDiGraph) -> list[str]:
    """Capabilities with every prerequisite before what requires it; ValueError on a cycle."""
    cycles = g.graph.get("requires_cycles")
    if cycles:
        raise ValueError(f"capabilities require each other in a cycle ({' → '.join(cycles[0])}); "
                         "run `gapmap validate` and break it")
    r = nx.DiGraph()
    r.add_nodes_from(nodes_of(g, "capability"))
    r.add_edges_from((u, v) for u, v, rel in g.edges(keys=True) if rel == REQUIRES and u != v)
    try:
        return list(reversed(list(nx.topological_sort(r))))
    except nx.NetworkXUnfeasible:
        raise ValueError("capabilities require each other in a cycle; run `gapmap validate` and break it") from None


def chains(g: nx.MultiDiGraph) -> dict[str, tuple[Chain, Chain]]:
    """capability -> (longest chain ending at it by count, longest by build years)."""
    out: dict[str, tuple[Chain, Chain]] = {}
    for cap in prerequisite_order(g):
        years = g.nodes[cap].get("build_years")
        own = Chain([cap], years or 0.0, int(years is None))
        by_count, by_years = own, own
        for prereq in sorted(targets(g, cap, REQUIRES)):
            pc, py = out[prereq]
            by_count = max(by_count, _extend(pc, own), key=_count_key)
            by_years = max(by_years, _extend(py, own), key=_years_key)
        out[cap] = (by_count, by_years)
    return out


def longest_chain(g: nx.MultiDiGraph, gap: str, roles=NEEDED_ROLES,
                  table: dict[str, tuple[Chain, Chain]] | None = None) -> tuple[Chain | None, Chain | None]:
    """The gap's longest prerequisite chain by count and by build years, over its links with a
    role in `roles` (default: necessary or unknown, what it cannot close without); None, None
    when it has no such link. Pass `table` (from `chains`) to reuse it across gaps."""
    table = chains(g) if table is None else table
    ends = [table[c] for c, _ in sorted(linked(g, gap, roles), key=lambda link: link[0])]
    if not ends:
        return None, None
    return max((c for c, _ in ends), key=_count_key), max((y for _, y in ends), key=_years_key)


@dataclass(frozen=True)
class GapPrerequisites:
    """What `gapmap graph path GAP` shows: the closure and the two longest chains."""

    gap: str
    title: str
    closure: list[Prerequisite]
    chain: Chain | None  # longest by number of capabilities, over necessary or unknown links
    chain_years: Chain | None  # longest by median build years, same links


def prerequisites(g: nx.MultiDiGraph, gap: str, table: dict[str, tuple[Chain, Chain]] | None = None) -> GapPrerequisites:
    by_count, by_years = longest_chain(g, gap, table=table)
    return GapPrerequisites(gap, g.nodes[gap]["title"], prerequisite_closure(g, gap), by_count, by_years)


def _extend(chain: Chain, own: Chain) -> Chain:
    return Chain(chain.capabilities + own.capabilities, chain.years + own.years,
                 chain.unknown_years + own.unknown_years)


# Ties break towards the better-known chain, then towards the first id (candidates come in id
# order and max() keeps the first of equals), so results do not depend on file order.
def _count_key(c: Chain):
    return len(c.capabilities), c.years, -c.unknown_years


def _years_key(c: Chain):
    return c.years, len(c.capabilities), -c.unknown_years
