"""No size cliff: a map with 3,000 graph nodes (past networkx's 500-node switch to scipy, which
is not a dependency) builds, and the explorer layout stays near-linear and spread out."""

from __future__ import annotations

import json
import random
import time

import numpy as np

from gapmap.site.layout import grid_layout

FIELDS, GAPS, CAPS = 20, 880, 2100  # 3,000 nodes in the explorer


def write_big_map(root, seed: int = 0):
    """Fields, gaps and capabilities written as YAML text (fast), one resource, no costs."""
    rng = random.Random(seed)
    for folder in ("fields", "gaps", "capabilities", "resources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "tags.yaml").write_text("measurement: A new way to measure.\n")
    (root / "resources" / "paper.yaml").write_text(
        "id: paper\ntitle: Paper\nurl: https://example.org/paper\nkind: research-and-reviews\n")
    text = 'summary: "Summary."\ndescription: "Description."\n'
    for i in range(FIELDS):
        (root / "fields" / f"field-{i:03d}.yaml").write_text(f"id: field-{i:03d}\ntitle: Field {i}\n{text}resources: [paper]\n")
    caps = [f"cap-{i:04d}" for i in range(CAPS)]
    for i, cid in enumerate(caps):
        req = f"requires: [{caps[rng.randrange(i)]}]\n" if i and rng.random() < 0.3 else ""
        (root / "capabilities" / f"{cid}.yaml").write_text(f"id: {cid}\ntitle: Capability {i}\n{text}kind: technology\n{req}")
    per_gap = [caps[j::GAPS] for j in range(GAPS)]  # every capability linked from exactly one gap
    for i in range(GAPS):
        linked = per_gap[i] + [rng.choice(caps)]
        links = "".join(f"  - {{capability: {c}, role: necessary}}\n" for c in dict.fromkeys(linked))
        (root / "gaps" / f"gap-{i:04d}.yaml").write_text(
            f"id: gap-{i:04d}\ntitle: Gap {i}\n{text}field: field-{i % FIELDS:03d}\noutcome: Better.\ncapabilities:\n{links}")
    return root


def test_a_map_with_3000_graph_nodes_builds_and_its_explorer_has_every_node(tmp_path):
    from gapmap.site.build import build_site

    kb = write_big_map(tmp_path / "kb")
    site = build_site(kb, tmp_path / "site", strict=False)
    graph = json.loads((site / "data" / "graph.json").read_text())
    assert len(graph["nodes"]) == FIELDS + GAPS + CAPS == 3000
    xy = np.array([[n["x"], n["y"]] for n in graph["nodes"]])
    assert np.isfinite(xy).all() and xy.min() >= -1 and xy.max() <= 1
    assert len({(n["x"], n["y"]) for n in graph["nodes"]}) > 2900  # spread out, not piled up
    assert (site / "gaps" / "gap-0879" / "index.html").is_file()


def _random_graph(n: int, seed: int = 1):
    rng = random.Random(seed)
    return [(i, rng.randrange(n)) for i in range(n) for _ in range(2)]


def test_the_layout_is_deterministic_and_near_linear():
    assert grid_layout(300, _random_graph(300), seed=3) == grid_layout(300, _random_graph(300), seed=3)
    t0 = time.perf_counter()
    grid_layout(1000, _random_graph(1000))
    small = time.perf_counter() - t0
    t0 = time.perf_counter()
    grid_layout(4000, _random_graph(4000))
    large = time.perf_counter() - t0
    assert large < 4 * 4 * small + 1.0, (small, large)  # O(n²) would be 16×; allow noise on a shared machine


def test_linked_nodes_sit_closer_than_unlinked_ones():
    n = 400
    edges = [(i, i + 1) for i in range(0, n - 1, 2)]  # 200 pairs
    xy = np.array(grid_layout(n, edges))
    linked = np.mean([np.linalg.norm(xy[a] - xy[b]) for a, b in edges])
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, n, (500, 2))
    unlinked = np.mean(np.linalg.norm(xy[pairs[:, 0]] - xy[pairs[:, 1]], axis=1))
    assert linked < unlinked / 3


def test_tiny_graphs_lay_out():
    assert grid_layout(0, []) == []
    assert grid_layout(1, []) == [[0.0, 0.0]]
    assert len(grid_layout(2, [(0, 1)])) == 2
