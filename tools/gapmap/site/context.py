"""Everything the pages are made from, computed once per build: the loaded map, its findings,
the graph and its analytics, the cost results, per-file dates, and each record's URL and title.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from gapmap.core import progress, settings
from gapmap.cost.cache import cost_stage
from gapmap.site.history import last_updated
from gapmap.site.markup import Renderer

log = logging.getLogger("gapmap.site")

URL_PREFIX = {"field": "fields", "gap": "gaps", "capability": "capabilities", "resource": "resources"}


@dataclass
class Context:
    kb: object  # gapmap.load.Map
    findings: list
    graph: object  # networkx.MultiDiGraph
    analytics: dict  # gapmap.graph.run_all
    results: object | None  # gapmap.cost.Results, None when the models could not run
    updated: dict[str, str]  # map-relative file -> ISO date of its last commit
    urls: dict[str, str] = field(default_factory=dict)  # record id -> page URL (gaps/x/)
    titles: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    fields_of: dict[str, list[str]] = field(default_factory=dict)  # capability -> fields it serves
    leverage: dict = field(default_factory=dict)  # capability -> LeverageRow
    critical: dict = field(default_factory=dict)  # capability -> [(gap, criticality > 0)], one pass over the schedules
    renderer: Renderer | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # data files pages link to (chart CSV, figures)

    def files_for(self, page_url: str):
        from gapmap.site.svg import Files

        return Files(self.files, page_url)

    def md(self, text, page_url: str) -> str:
        return self.renderer.markdown(text, page_url)


def record_url(kind: str, rid: str) -> str:
    return f"{URL_PREFIX[kind]}/{rid}/"


def gather(kb, findings: list, samples: int = settings.SAMPLES, seed: int = settings.SEED) -> Context:
    """Run the graph and cost stages once over a loaded map (cost results come from their
    content-hash cache when nothing changed)."""
    from gapmap.graph import build_graph, run_all

    with progress.stage("graph analytics"):
        graph = build_graph(kb)
        analytics = run_all(graph)
    with cost_stage():
        results = _cost(kb, graph, samples, seed)
    ctx = Context(kb, findings, graph, analytics, results, last_updated(Path(kb.root)))
    for kind, rec in kb.records():
        ctx.urls[rec.id] = record_url(kind, rec.id)
        ctx.titles[rec.id] = rec.title
        ctx.kinds[rec.id] = kind
    for row in analytics["leverage"]:
        ctx.leverage[row.capability] = row
        ctx.fields_of[row.capability] = sorted({kb.gaps[c.gap].field for c in row.gaps})
    for gid, sched in (ctx.results.schedules.items() if ctx.results else []):
        for c in sched["capabilities"]:
            if c["criticality"] > 0:
                ctx.critical.setdefault(c["id"], []).append((gid, c["criticality"]))
    ctx.renderer = Renderer(ctx.titles, ctx.urls)
    return ctx


def _cost(kb, graph, samples: int, seed: int):
    """The cost models, or None (logged) when the map is too broken for them to run."""
    if graph.graph.get("requires_cycles"):
        log.warning("cost models skipped: the prerequisite graph has a cycle (see requires-cycle findings)")
        return None
    from gapmap.cost import compute_all

    try:
        return compute_all(kb, samples=samples, seed=seed)
    except Exception as exc:  # a map with dangling links still gets its pages, without costs
        log.warning("cost models skipped: %s: %s", type(exc).__name__, exc)
        return None
