"""The graph stage on small hand-made maps whose answers can be worked out by hand."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from gapmap.check import check_map
from gapmap.graph import (
    bridges, build_graph, components, leverage, longest_chain, orphans, prerequisite_closure, stats,
)
from gapmap.graph.build import sources
from gapmap.interop.graphml import graphml_text
from gapmap.load import load_map

from conftest import record, tiny_map_records, write_map

BUILD_10_YEARS = {"cost_usd": 1.0e7, "years": 10}


def graph_of(tmp_path, *records):
    return build_graph(load_map(write_map(tmp_path / "kb", *records)))


def by_id(rows, key="capability"):
    return {getattr(r, key): r for r in rows}


# --- building the graph ---------------------------------------------------------------------

def test_every_stored_link_becomes_an_edge_keyed_by_its_relation(tmp_path):
    g = graph_of(
        tmp_path,
        record("field", "physics"),
        record("resource", "paper"), record("resource", "estimate"), record("resource", "data"),
        record("capability", "base"),
        record("capability", "top", requires=["base"], resources=["paper"],
               build={**BUILD_10_YEARS, "source": "estimate"},
               cost={"unit": "USD", "observations": [{"year": 2020, "value": 5.0, "source": "data"},
                                                     {"year": 2021, "value": 4.0, "source": "paper"}],
                     "model": {"kind": "exponential", "annual_decline": 0.1}}),
        record("gap", "g1", capabilities=[{"capability": "top", "role": "partial"}], related_gaps=["g2"]),
        record("gap", "g2", capabilities=[{"capability": "base"}]),
    )
    assert g.nodes["g1"]["kind"] == "gap" and g.nodes["g1"]["field"] == "physics"
    assert g.nodes["top"]["build_years"] == 10
    assert g.edges["g1", "top", "needs"] == {"rel": "needs", "role": "partial"}
    assert g.edges["g2", "base", "needs"]["role"] is None
    assert g.has_edge("top", "base", "requires") and g.has_edge("g1", "physics", "in_field")
    assert g.has_edge("g1", "g2", "related")
    assert g.edges["top", "estimate", "cites"]["via"] == "build"
    assert g.edges["top", "data", "cites"]["via"] == "cost"
    assert g.edges["top", "paper", "cites"]["via"] == "resources,cost"  # one edge, both places named


def test_back_links_are_derived_from_in_edges(tiny_map):
    g = build_graph(load_map(tiny_map))
    assert sorted(sources(g, "cap-b", "needs")) == ["gap-two"]
    assert sorted(sources(g, "cap-a", "requires")) == ["cap-b"]


def test_links_to_missing_or_wrong_kind_records_are_left_out(tmp_path):
    g = graph_of(tmp_path, record("field", "physics"), record("capability", "cap"),
                 record("gap", "g", capabilities=[{"capability": "nowhere"}, {"capability": "physics"}],
                        related_gaps=["cap"]))
    assert list(g.out_edges("g", keys=True)) == [("g", "physics", "in_field")]


# --- leverage -------------------------------------------------------------------------------

def test_leverage_of_a_chain_counts_gaps_reached_through_dependents(tiny_map):
    # cap-c requires cap-b requires cap-a; gap-one needs cap-c; gap-two: cap-a partial, cap-b necessary
    rows = leverage(build_graph(load_map(tiny_map)))
    assert [r.capability for r in rows] == ["cap-a", "cap-b", "cap-c"]
    a = by_id(rows)["cap-a"]
    assert (a.leverage, a.direct, a.total) == (2.0, 1, 2)
    strongest = by_id(a.gaps, "gap")["gap-two"]
    assert (strongest.via, strongest.role, strongest.weight) == ("cap-b", "necessary", 1.0)
    assert by_id(rows)["cap-c"].leverage == 1.0


def test_leverage_weighs_role_and_importance(tmp_path):
    assessed = {"importance": 4, "tractability": 3, "neglectedness": 3, "confidence": "low", "rationale": "R."}
    g = graph_of(tmp_path, record("field", "physics"), record("capability", "cap"),
                 record("gap", "enabled", capabilities=[{"capability": "cap", "role": "enabling"}],
                        assessment=assessed),
                 record("gap", "partly", capabilities=[{"capability": "cap", "role": "partial"}]))
    row = leverage(g)[0]
    assert row.leverage == pytest.approx(0.25 * 4 / 5 + 0.5)
    assert [c.gap for c in row.gaps] == ["partly", "enabled"]  # strongest first


def test_leverage_top_limits_the_ranking(tiny_map):
    assert len(leverage(build_graph(load_map(tiny_map)), top=2)) == 2


# --- bridges --------------------------------------------------------------------------------

def two_fields(*caps_and_gaps):
    return [record("field", "bio"), record("field", "chem"), *caps_and_gaps]


def test_a_capability_serving_two_fields_is_the_only_bridge_between_them(tmp_path):
    g = graph_of(tmp_path, *two_fields(
        record("capability", "shared"), record("capability", "local"),
        record("gap", "g-bio", field="bio", capabilities=[{"capability": "shared"}, {"capability": "local"}]),
        record("gap", "g-chem", field="chem", capabilities=[{"capability": "shared"}])))
    [bridge] = bridges(g)
    assert (bridge.capability, bridge.fields, bridge.gaps, bridge.betweenness) == ("shared", ["bio", "chem"], 2, 1.0)


def test_two_parallel_bridges_share_the_betweenness(tmp_path):
    g = graph_of(tmp_path, *two_fields(
        record("capability", "one"), record("capability", "two"),
        record("gap", "g-bio", field="bio", capabilities=[{"capability": "one"}, {"capability": "two"}]),
        record("gap", "g-chem", field="chem", capabilities=[{"capability": "one"}, {"capability": "two"}])))
    assert [(b.capability, b.betweenness) for b in bridges(g)] == [("one", 0.5), ("two", 0.5)]


def test_a_prerequisite_bridges_the_fields_of_what_requires_it(tmp_path):
    g = graph_of(tmp_path, *two_fields(
        record("capability", "base"), record("capability", "bio-tool", requires=["base"]),
        record("gap", "g-bio", field="bio", capabilities=[{"capability": "bio-tool"}]),
        record("gap", "g-chem", field="chem", capabilities=[{"capability": "base"}])))
    assert [b.capability for b in bridges(g)] == ["base"]


# --- closure and chains ---------------------------------------------------------------------

def test_closure_follows_requires_to_the_foundation(tiny_map):
    closure = prerequisite_closure(build_graph(load_map(tiny_map)), "gap-one")
    assert [(p.capability, p.depth, p.role) for p in closure] == [
        ("cap-c", 0, "necessary"), ("cap-b", 1, "necessary"), ("cap-a", 2, "necessary")]


def test_closure_keeps_the_strongest_role_and_nearest_depth(tiny_map):
    closure = by_id(prerequisite_closure(build_graph(load_map(tiny_map)), "gap-two"))
    assert (closure["cap-a"].depth, closure["cap-a"].role) == (0, "necessary")  # partial link, but cap-b needs it


def test_longest_chain_by_count_and_by_build_years_can_differ(tmp_path):
    g = graph_of(
        tmp_path, record("field", "physics"),
        record("capability", "c1"), record("capability", "c2", requires=["c1"]),
        record("capability", "c3", requires=["c2"], build={"cost_usd": 1.0e6, "years": 2}),
        record("capability", "slow", build=BUILD_10_YEARS),
        record("capability", "optional", requires=["c3"]),
        record("gap", "g", capabilities=[{"capability": "c3", "role": "necessary"}, {"capability": "slow"},
                                         {"capability": "optional", "role": "enabling"}]))
    by_count, by_years = longest_chain(g, "g")
    assert (by_count.capabilities, by_count.years, by_count.unknown_years) == (["c1", "c2", "c3"], 2.0, 2)
    assert (by_years.capabilities, by_years.years) == (["slow"], 10.0)
    longer, _ = longest_chain(g, "g", roles=None)  # every role: the enabling link's chain is longer
    assert longer.capabilities == ["c1", "c2", "c3", "optional"]


def test_a_gap_without_necessary_links_has_no_chain(tmp_path):
    g = graph_of(tmp_path, record("field", "physics"), record("capability", "cap"),
                 record("gap", "g", capabilities=[{"capability": "cap", "role": "partial"}]))
    assert longest_chain(g, "g") == (None, None)


def test_a_requires_cycle_stops_chains_with_a_pointer_to_validate(tmp_path):
    g = graph_of(tmp_path, record("field", "physics"),
                 record("capability", "x", requires=["y"]), record("capability", "y", requires=["x"]),
                 record("gap", "g", capabilities=[{"capability": "x"}]))
    with pytest.raises(ValueError, match="gapmap validate"):
        longest_chain(g, "g")
    assert {p.capability for p in prerequisite_closure(g, "g")} == {"x", "y"}
    assert stats(g)["requires_cycles"] and stats(g)["deepest_chain"] is None


# --- components and orphans -----------------------------------------------------------------

def test_components_ignore_resources_shared_across_islands(tmp_path):
    g = graph_of(tmp_path, *two_fields(
        record("resource", "shared-paper"),
        record("capability", "a", resources=["shared-paper"]), record("capability", "b", resources=["shared-paper"]),
        record("gap", "g-bio", field="bio", capabilities=[{"capability": "a"}]),
        record("gap", "g-chem", field="chem", capabilities=[{"capability": "b"}])))
    parts = components(g)
    assert [(c.fields, c.gaps, c.capabilities) for c in parts] == [(["bio"], ["g-bio"], ["a"]),
                                                                   (["chem"], ["g-chem"], ["b"])]


ORPHANED = [
    *tiny_map_records(),
    record("field", "empty-field"),
    record("resource", "uncited"),
    record("resource", "cited-by-orphan"),
    record("capability", "lonely", resources=["cited-by-orphan"], requires=["needed-only-by-lonely"]),
    record("capability", "needed-only-by-lonely"),
]


def test_orphans_are_what_nothing_links(tmp_path):
    lonely = orphans(graph_of(tmp_path, *ORPHANED))
    # required only by an orphan still counts as required, as validate has it
    assert (lonely.capabilities, lonely.resources, lonely.fields) == (["lonely"], ["uncited"], ["empty-field"])


def test_orphans_agree_with_validate(tmp_path):
    kb = load_map(write_map(tmp_path / "kb", *ORPHANED))
    lonely = orphans(build_graph(kb))
    warned = {code: sorted(f.file.split("/")[1].removesuffix(".yaml") for f in check_map(kb) if f.code == code)
              for code in ("orphan-capability", "orphan-resource", "empty-field")}
    assert warned == {"orphan-capability": lonely.capabilities, "orphan-resource": lonely.resources,
                      "empty-field": lonely.fields}


# --- outputs --------------------------------------------------------------------------------

def test_stats_are_plain_json(tiny_map):
    result = json.loads(json.dumps(stats(build_graph(load_map(tiny_map)))))
    assert result["records"] == {"field": 1, "gap": 2, "capability": 3, "resource": 1}
    assert result["links"]["needs"] == 3 and result["deepest_chain"] == ["cap-a", "cap-b", "cap-c"]


def test_graphml_round_trips_leaving_out_missing_values_with_one_type_per_key(tmp_path):
    assessed = {"importance": 4, "tractability": 3, "neglectedness": 3, "confidence": "low", "rationale": "R."}
    g = graph_of(tmp_path, *tiny_map_records(), record("gap", "gap-three", assessment=assessed,
                                                       capabilities=[{"capability": "cap-a"}]))
    (tmp_path / "map.graphml").write_text(graphml_text(g))
    back = nx.read_graphml(tmp_path / "map.graphml")
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    assert back.nodes["gap-three"]["importance"] == 4 and "importance" not in back.nodes["gap-one"]
    assert "maturity" not in back.nodes["cap-a"] and back.nodes["gap-one"]["kind"] == "gap"
    keys = (tmp_path / "map.graphml").read_text().count('attr.name="importance"')
    assert keys == 1
