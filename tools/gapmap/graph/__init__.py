"""Graph stage: the loaded map as a networkx multigraph, and the analytics that read it
(leverage, bridges, prerequisite closure and chains, components, orphans)."""

from gapmap.graph.build import build_graph
from gapmap.graph.leverage import ROLE_WEIGHT, leverage, unblocked
from gapmap.graph.paths import chains, longest_chain, prerequisite_closure, prerequisites
from gapmap.graph.structure import bridges, components, field_betweenness, orphans
from gapmap.graph.summary import run_all, stats

__all__ = [
    "ROLE_WEIGHT", "bridges", "build_graph", "chains", "components", "field_betweenness", "leverage",
    "longest_chain", "orphans", "prerequisite_closure", "prerequisites", "run_all", "stats", "unblocked",
]
