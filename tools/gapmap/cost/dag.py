"""The map's prerequisite graph as arrays: capabilities in topological order, CSR parent lists,
and for each gap the capabilities it needs (necessary or role-less links) with their prerequisites.

CSR (compressed sparse rows): the members of row r are idx[ptr[r]:ptr[r + 1]].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gapmap.graph.build import build_graph
from gapmap.graph.paths import prerequisite_order

from gapmap.model.records import NEEDED_ROLES  # an unknown role reads as necessary, the cautious reading


@dataclass(frozen=True)
class Dag:
    ids: list[str]  # capability ids, parents before children
    index: dict[str, int]
    parent_ptr: np.ndarray
    parent_idx: np.ndarray


def csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    idx = np.array([i for r in rows for i in r], dtype=np.int64)
    return ptr, idx


def build_dag(kb, graph=None) -> Dag:
    """The capabilities of a map in the graph stage's prerequisite order (references to unknown
    ids are ignored: validation reports them); a cycle raises ValueError — `gapmap validate`
    reports it first. `graph`: the map's graph when the caller has built it already."""
    caps = kb.capabilities
    graph_order = prerequisite_order(graph if graph is not None else build_graph(kb))
    ids = [cid for cid in graph_order if cid in caps]
    ids += sorted(set(caps) - set(ids))  # (none in a loaded map; kept so no capability is lost)
    graph = {cid: [p for p in caps[cid].requires if p in caps] for cid in ids}
    index = {cid: i for i, cid in enumerate(ids)}
    ptr, idx = csr([sorted(index[p] for p in graph[cid]) for cid in ids])
    return Dag(ids, index, ptr, idx)


def needed(gap, dag: Dag) -> list[int]:
    """Indices of the capabilities a gap cannot close without (its own links only)."""
    return sorted({dag.index[link.capability] for link in gap.capabilities
                   if link.role in NEEDED_ROLES and link.capability in dag.index})


def closure(dag: Dag, start: list[int]) -> list[int]:
    """`start` and every prerequisite of it, each once, in topological order."""
    seen, stack = set(start), list(start)
    while stack:
        c = stack.pop()
        for p in dag.parent_idx[dag.parent_ptr[c]:dag.parent_ptr[c + 1]]:
            if int(p) not in seen:
                seen.add(int(p))
                stack.append(int(p))
    return sorted(seen)
