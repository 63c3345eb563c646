"""The map-wide pages: home, ranked gaps, catalogue, graph explorer and portfolio, plus the
JSON data files the catalogue and the explorer read."""

from __future__ import annotations

import json
from collections import Counter

from gapmap.model.records import Maturity
from gapmap.site import charts
from gapmap.site.blocks import link, links, money, page, quantile_range, section, table
from gapmap.site.layout import explorer_data
from gapmap.site.markup import esc, rel
from gapmap.site.records import _rank_key, _score

CATALOGUE_DATA = "data/catalogue.json"
GRAPH_DATA = "data/graph.json"
ORDER_ROWS = 60  # the funding-order table stops here; the chart covers the rest

INTRO = """<p>The <strong>Open Gap Map</strong> lists the fundamental capabilities science is
missing — the <em>gaps</em> — and the tools, datasets, platforms and institutions whose absence
holds them open. Every record is a YAML file in git, checked in CI and contributed by pull
request. Gaps are ranked by assessment, linked into a graph by typed links, and priced with
cost-scaling models that carry their uncertainty: medians and bands, never a single made-up
number.</p>"""


def overview_pages(ctx) -> tuple[dict[str, str], dict[str, bytes]]:
    pages = {"index.md": home(ctx), "ranked.md": ranked(ctx), "catalogue.md": catalogue(ctx),
             "graph.md": graph_page(ctx), "portfolio.md": portfolio_page(ctx)}
    data = {CATALOGUE_DATA: _json(catalogue_rows(ctx)), GRAPH_DATA: _json(explorer_data(ctx))}
    return pages, data


def _json(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def home(ctx) -> str:
    kb, url = ctx.kb, ""
    counts = [[f'<a href="{rel(url, "catalogue/")}">{n}</a>', label] for n, label in (
        (len(kb.fields), "fields"), (len(kb.gaps), "gaps"), (len(kb.capabilities), "capabilities"),
        (len(kb.resources), "resources"), (sum(g.assessment is not None for g in kb.gaps.values()), "assessed gaps"),
        (sum(c.cost is not None for c in kb.capabilities.values()), "capabilities with a cost model"))]
    by_field = Counter(g.field for g in kb.gaps.values())
    order = sorted(kb.fields, key=lambda f: (-by_field[f], f))
    bars = charts.figure_div(charts.bar_chart([kb.fields[f].title for f in order], [by_field[f] for f in order],
                                              "gaps"), 24 * len(order) + 60, "gaps by field")
    total = ctx.results.portfolio["total"] if ctx.results else None
    cost = ""
    if total and total["quantiles"]:
        cost = (f"<p>Building every priced capability the map's gaps need: {quantile_range(total['quantiles'], money)}. "
                f"{len(total['unpriced'])} needed capabilities have no build estimate and are not in this total "
                f'(<a href="{rel(url, "portfolio/")}">portfolio</a>).</p>'
                + charts.figure_div(charts.interval_chart(total["quantiles"], "whole map",
                                                          {"type": "log", "title": {"text": "USD"}}), 150,
                                    "whole-map cost distribution"))
    pages = [("ranked/", "Ranked gaps"), ("catalogue/", "Catalogue"), ("graph/", "Graph explorer"),
             ("portfolio/", "Portfolio"), ("methods/", "Methods"), ("downloads/", "Data downloads")]
    nav = "<ul>" + "".join(f'<li><a href="{rel(url, u)}">{t}</a></li>' for u, t in pages) + "</ul>"
    return page("Open Gap Map", f'<div class="gm-block">{INTRO}</div>',
                section("The map in numbers", table(["", ""], counts, "gm-table gm-kv")),
                section("Gaps by field", bars),
                section("What closing the whole map costs", cost),
                section("Explore", nav), charts.scripts(url))


def ranked(ctx) -> str:
    url = "ranked/"
    gaps = sorted(ctx.kb.gaps.values(), key=_rank_key)
    assessed = [g for g in gaps if g.assessment]
    rows = [[str(i), link(ctx, g.id, url), link(ctx, g.field, url), _score(g), ctx.md(g.assessment.rationale, url)]
            for i, g in enumerate(assessed, 1)]
    rest = [[link(ctx, g.id, url), link(ctx, g.field, url), esc(g.summary)] for g in gaps if not g.assessment]
    how = ("<p>Score = importance × tractability × neglectedness, each 1–5 (at most 125). Each assessment "
           "states its confidence and its rationale; a low-confidence score is a starting point for "
           "discussion, not a verdict.</p>")
    return page("Ranked gaps", f'<div class="gm-block">{how}</div>',
                section("Assessed gaps", table(["#", "Gap", "Field", "Score", "Rationale"], rows)),
                section("Not assessed yet", table(["Gap", "Field", "Summary"], rest)))


def catalogue_rows(ctx) -> list[dict]:
    kb, rows = ctx.kb, []
    for kind, rec in kb.records():
        row = {"id": rec.id, "kind": kind, "title": rec.title, "url": ctx.urls[rec.id], "tags": rec.tags,
               "summary": rec.summary or ""}
        if kind == "gap":
            row["fields"] = [rec.field]
        elif kind == "capability":
            row |= {"fields": ctx.fields_of.get(rec.id, []), "maturity": rec.maturity, "category": rec.kind,
                    "cost": "cost model" if rec.cost else "build estimate" if rec.build else "unpriced"}
        elif kind == "resource":
            row["category"] = rec.kind
        else:
            row["fields"] = [rec.id]
        rows.append(row)
    return rows


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in options)
    return f'<label>{label} <select data-filter="{name}"><option value="">any</option>{opts}</select></label>'


def catalogue(ctx) -> str:
    url, kb = "catalogue/", ctx.kb
    cats = sorted({c.kind for c in kb.capabilities.values() if c.kind} | {r.kind for r in kb.resources.values() if r.kind})
    controls = "".join([
        '<label>Search <input type="search" data-filter="text" placeholder="words in title or summary"></label>',
        _select("kind", "Record", [(k, k) for k in ("field", "gap", "capability", "resource")]),
        _select("field", "Field", sorted(((f, r.title) for f, r in kb.fields.items()), key=lambda x: x[1])),
        _select("maturity", "Maturity", [(m, m) for m in Maturity.__args__]),
        _select("category", "Kind", [(c, c) for c in cats]),
        _select("tag", "Tag", [(t, t) for t in sorted(kb.tags)]),
        _select("cost", "Cost", [(c, c) for c in ("cost model", "build estimate", "unpriced")]),
    ])
    body = (f'<div class="gm-filters" role="search">{controls}</div>'
            f'<p class="gm-count" aria-live="polite"></p>'
            f'<table class="gm-table gm-catalogue" data-root="{rel(url, "")}" data-src="{rel(url, CATALOGUE_DATA)}"><thead><tr><th>Record</th>'
            "<th>Type</th><th>Field</th><th>Maturity</th><th>Cost</th><th>Summary</th></tr></thead><tbody></tbody></table>"
            "<noscript><p>The catalogue needs JavaScript; the data is in the downloads.</p></noscript>")
    return page("Catalogue", f'<div class="gm-block">{body}</div>', charts.scripts(url))


def graph_page(ctx) -> str:
    url = "graph/"
    fields = sorted(((f, r.title) for f, r in ctx.kb.fields.items()), key=lambda x: x[1])
    body = (_select("field", "Field", fields).replace("data-filter", 'id="gm-graph-field" data-filter', 1)
            + f'<div class="gm-chart gm-graph" style="height:640px" data-root="{rel(url, "")}" data-graph="{rel(url, GRAPH_DATA)}" '
              'role="img" aria-label="graph of fields, gaps and capabilities"></div>'
            "<p>Fields (squares), gaps (circles) and capabilities (diamonds), linked by gap → capability "
            "and requires links; resources are left out. Click a node to open its page.</p>")
    return page("Graph explorer", f'<div class="gm-block">{body}</div>', charts.scripts(url))


def portfolio_page(ctx) -> str:
    url, p = "portfolio/", ctx.results.portfolio if ctx.results else None
    if p is None:
        return page("Portfolio", '<div class="gm-block"><p>The cost models could not run on this map '
                                 '(see the build log).</p></div>')
    total = p["total"]
    head = ("<p>What it would cost to build every capability a scope needs and does not have yet, each "
            "counted once with its prerequisites, from the <code>build</code> estimates. Capabilities without "
            "an estimate are listed as unpriced and left out of the totals — the totals are lower bounds.</p>")
    if total["quantiles"]:
        head += (f"<p>Whole map: {quantile_range(total['quantiles'], money)}.</p>" + charts.figure_div(
            charts.interval_chart(total["quantiles"], "whole map", {"type": "log", "title": {"text": "USD"}}), 150,
            "whole-map cost distribution"))
    fields = [[link(ctx, fid, url), money(s["quantiles"]["p50"]) if s["quantiles"] else "—",
               f"{money(s['quantiles']['p05'])}–{money(s['quantiles']['p95'])}" if s["quantiles"] else "—",
               str(len(s["priced"])), str(len(s["unpriced"]))] for fid, s in sorted(p["fields"].items())]
    order = [[str(i), link(ctx, o["gap"], url), money(o["marginal_median_usd"]), money(o["cumulative_median_usd"])]
             for i, o in enumerate(p["order"][:ORDER_ROWS], 1)]
    curve = charts.figure_div(charts.budget_chart(p["curve"]), 320, "gaps closed against budget") if p["curve"] else ""
    skipped = [[link(ctx, g, url), esc(why)] for g, why in sorted(p["not_in_curve"].items())]
    return page("Portfolio", f'<div class="gm-block">{head}</div>',
                section("By field", table(["Field", "Median", "90% range", "Priced", "Unpriced"], fields)),
                section("Gaps closed against budget", curve + (
                    "<p>Gaps are funded greedily, cheapest next gap first, sharing capabilities already paid "
                    "for; the curve is the expected number of gaps closed at each budget.</p>" if curve else "")),
                section("Funding order", table(["#", "Gap", "Extra cost (median)", "Cumulative (median)"], order)),
                section("Gaps left out of the curve", table(["Gap", "Why"], skipped)),
                section("Unpriced capabilities", links(ctx, total["unpriced"], url)),
                charts.scripts(url))
