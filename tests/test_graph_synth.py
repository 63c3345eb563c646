"""bench/synth.py: the synthetic maps other benchmarks rely on are clean and shaped like the export."""

from __future__ import annotations

import statistics
import sys

from gapmap.check import check_map
from gapmap.load import load_map

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from synth import SHARES, make_map  # noqa: E402


def test_synthetic_map_is_strict_clean_with_the_exports_proportions(tmp_path):
    kb = load_map(make_map(1572, tmp_path / "synth", seed=1))
    assert not kb.findings and not check_map(kb)
    assert [len(kb.fields), len(kb.gaps), len(kb.capabilities), len(kb.resources)] == list(SHARES.values())
    links = statistics.mean(len(g.capabilities) for g in kb.gaps.values())
    requires = sum(len(c.requires) for c in kb.capabilities.values()) / len(kb.capabilities)
    assert 3.5 < links < 4.1 and 0.2 < requires < 0.4
    assert any(c.build for c in kb.capabilities.values()) and any(c.cost for c in kb.capabilities.values())


def test_same_seed_same_map(tmp_path):
    a, b = make_map(150, tmp_path / "a", seed=3), make_map(150, tmp_path / "b", seed=3)
    files = sorted(p.relative_to(a) for p in a.rglob("*.yaml"))
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.yaml"))
    assert all((a / f).read_text() == (b / f).read_text() for f in files)
