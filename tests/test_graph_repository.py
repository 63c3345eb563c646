"""Graph analytics on the repository's own map: properties that hold whatever the content."""

from __future__ import annotations

import pytest

from gapmap.check import check_map
from gapmap.graph import build_graph, chains, leverage, orphans, prerequisites, unblocked
from gapmap.graph.build import REQUIRES, sources
from gapmap.load import load_map

from conftest import REPO


@pytest.fixture(scope="module")
def kb():
    return load_map(REPO)


@pytest.fixture(scope="module")
def g(kb):
    return build_graph(kb)


def test_every_record_is_a_node(kb, g):
    assert g.number_of_nodes() == sum(1 for _ in kb.records())


def test_every_gaps_closure_holds_its_necessary_capabilities_and_their_prerequisites(kb, g):
    for gid, gap in kb.gaps.items():
        closure = {p.capability for p in prerequisites(g, gid).closure}
        needed = {link.capability for link in gap.capabilities if link.role in (None, "necessary")}
        assert needed <= closure, gid
        for cap in closure:
            assert set(kb.capabilities[cap].requires) <= closure, (gid, cap)


def test_a_gaps_longest_chain_ends_at_a_needed_capability_and_follows_requires(kb, g):
    table = chains(g)
    for gid, gap in kb.gaps.items():
        chain = prerequisites(g, gid, table).chain
        if chain is None:
            continue
        needed = {link.capability for link in gap.capabilities if link.role in (None, "necessary")}
        assert chain.capabilities[-1] in needed
        for prereq, cap in zip(chain.capabilities, chain.capabilities[1:]):
            assert prereq in kb.capabilities[cap].requires


def test_a_prerequisite_has_at_least_the_leverage_of_what_requires_it(g):
    rows = {r.capability: r for r in leverage(g)}
    for cap, row in rows.items():
        for dependent in sources(g, cap, REQUIRES):
            assert row.leverage >= rows[dependent].leverage - 1e-9, (cap, dependent)
            assert set(unblocked(g, dependent)) <= {c.gap for c in row.gaps}


def test_orphans_agree_with_validate_on_the_repository_map(kb, g):
    warned = {f.file.split("/")[1].removesuffix(".yaml") for f in check_map(kb)
              if f.code in ("orphan-capability", "orphan-resource", "empty-field")}
    lonely = orphans(g)
    assert warned == set(lonely.capabilities) | set(lonely.resources) | set(lonely.fields)
