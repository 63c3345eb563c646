"""Leverage: how much of the map a capability unblocks, directly and through every capability
that (transitively) requires it.

Weights: a gap counts with the role of its link — necessary or unknown 1.0 (an unknown role is
read as necessary, as the cost models do), partial 0.5, enabling 0.25 — times its importance/5
when it has an assessment (1.0 when not). A gap counts once per capability, with its strongest
link among the capability and its dependents; requires links do not discount, because a
prerequisite is needed in full by whatever builds on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from gapmap.graph.build import NEEDS, REQUIRES, nodes_of, sources

ROLE_WEIGHT = {"necessary": 1.0, None: 1.0, "partial": 0.5, "enabling": 0.25}


@dataclass(frozen=True)
class Contribution:
    """One gap a capability helps to close, and through which linked capability."""

    gap: str
    weight: float
    role: str | None
    via: str  # the capability the gap links to: the capability itself when direct


@dataclass(frozen=True)
class LeverageRow:
    capability: str
    title: str
    leverage: float  # sum of the contributing gaps' weights
    direct: int  # gaps linking to the capability itself
    total: int  # gaps unblocked directly or through dependents
    gaps: list[Contribution]


def gap_weight(g: nx.MultiDiGraph, gap: str) -> float:
    importance = g.nodes[gap].get("importance")
    return importance / 5 if importance else 1.0


def dependents(g: nx.MultiDiGraph, capability: str) -> set[str]:
    """Capabilities that require `capability`, directly or through others (not itself)."""
    seen: set[str] = set()
    stack = [capability]
    while stack:
        for parent in sources(g, stack.pop(), REQUIRES):
            if parent not in seen and parent != capability:
                seen.add(parent)
                stack.append(parent)
    return seen


def unblocked(g: nx.MultiDiGraph, capability: str) -> dict[str, Contribution]:
    """gap id -> its strongest contribution, over the capability and all its dependents."""
    best: dict[str, Contribution] = {}
    for via in [capability, *sorted(dependents(g, capability))]:
        for gap in sources(g, via, NEEDS):
            role = g.edges[gap, via, NEEDS].get("role")
            weight = ROLE_WEIGHT[role] * gap_weight(g, gap)
            if gap not in best or weight > best[gap].weight:
                best[gap] = Contribution(gap, weight, role, via)
    return best


def leverage(g: nx.MultiDiGraph, top: int | None = None) -> list[LeverageRow]:
    """Capabilities ranked by leverage (highest first; ties by gaps reached, then id)."""
    rows = []
    for cid in nodes_of(g, "capability"):
        reached = unblocked(g, cid)
        contributions = sorted(reached.values(), key=lambda c: (-c.weight, c.gap))
        rows.append(LeverageRow(
            capability=cid, title=g.nodes[cid]["title"],
            leverage=round(sum(c.weight for c in contributions), 6),
            direct=len(sources(g, cid, NEEDS)), total=len(contributions),
            gaps=contributions,
        ))
    rows.sort(key=lambda r: (-r.leverage, -r.total, r.capability))
    return rows[:top] if top is not None else rows
