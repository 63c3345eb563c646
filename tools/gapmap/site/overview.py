"""The map-wide pages: home, ranked gaps, catalogue, graph explorer and portfolio, plus the
JSON data files the catalogue and the explorer read."""

from __future__ import annotations

import json
from collections import Counter

from gapmap.core import progress
from gapmap.model.records import Maturity
from gapmap.site import charts, svg
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
             "graph.md": graph_page(ctx), "portfolio.md": portfolio_page(ctx), "glossary.md": glossary(),
             "contributing.md": contributing()}
    with progress.stage("graph layout"):
        explorer = explorer_data(ctx)
    data = {CATALOGUE_DATA: _json(catalogue_rows(ctx)), GRAPH_DATA: _json(explorer)}
    return pages, data


def _json(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _closed_at(curve: list[dict], budget: float) -> float | None:
    """Expected gaps closed at `budget` on the step curve (None beyond its ends)."""
    below = [p for p in curve if p["budget_usd"] <= budget]
    if not below or budget > curve[-1]["budget_usd"]:
        return None
    return below[-1]["expected_gaps_closed"]


def tie_note(scores: list[int]) -> dict[int, int]:
    """{position: size of its tie group} for positions that share a score with another gap."""
    out = {}
    for i, sc in enumerate(scores):
        n = scores.count(sc)
        if n > 1:
            out[i] = n
    return out


def home(ctx) -> str:
    kb, url = ctx.kb, ""
    assessed = sorted((g for g in kb.gaps.values() if g.assessment), key=_rank_key)
    counts = (f'<p class="gm-counts"><a href="{rel(url, "catalogue/#kind=field")}">{len(kb.fields)} fields</a> · '
              f'<a href="{rel(url, "catalogue/#kind=gap")}">{len(kb.gaps)} gaps</a> ({len(assessed)} assessed) · '
              f'<a href="{rel(url, "catalogue/#kind=capability")}">{len(kb.capabilities)} capabilities</a> '
              f'({sum(c.cost is not None for c in kb.capabilities.values())} with a cost model) · '
              f'<a href="{rel(url, "catalogue/#kind=resource")}">{len(kb.resources)} resources</a></p>')
    p = ctx.results.portfolio if ctx.results else None
    numbers = []
    if p and p["total"]["quantiles"]:
        q = p["total"]["quantiles"]
        numbers.append(("Closing every gap the map prices",
                        f"{money(q['p50'])}", f"median; 90% between {money(q['p05'])} and {money(q['p95'])}; "
                        f"{len(p['total']['unpriced'])} needed capabilities have no estimate and are not in it"))
    for budget in (1e8, 1e9):
        closed = _closed_at(p["curve"], budget) if p and p["curve"] else None
        if closed is not None:
            numbers.append((f"Gaps closed for {money(budget)}", f"{closed:.1f}",
                            "expected number (mean over the cost simulations), funding the cheapest next gap first"))
    cards = "".join(f'<div class="gm-stat"><p class="gm-stat-label">{esc(t)}</p><p class="gm-stat-value">{v}</p>'
                    f'<p class="gm-stat-note">{esc(n)}</p></div>' for t, v, n in numbers)
    headline = (f'<div class="gm-stats">{cards}</div><p><a href="{rel(url, "portfolio/")}">How these are computed: '
                f'the portfolio</a> · <a href="{rel(url, "glossary/")}#bands">what the ranges mean</a></p>') if cards else ""
    top = assessed[:5]
    scores = [_itn(g) for g in assessed]
    ties = tie_note(scores)
    rows = []
    for i, g in enumerate(top):
        why = g.assessment.rationale.split(". ")[0].rstrip(".") + "."
        tie = (f' <span class="gm-muted">(tied with {ties[i] - 1} other gap{"s" if ties[i] > 2 else ""} at {scores[i]}; '
               'ties are listed by id)</span>') if i in ties else ""
        a = g.assessment
        rows.append(f'<li><a href="{rel(url, ctx.urls[g.id])}">{esc(g.title)}</a> — '
                    f'<a href="{rel(url, "glossary/")}#itn-score">score</a> {scores[i]} '
                    f'(importance {a.importance}, tractability {a.tractability}, neglectedness {a.neglectedness}){tie}. '
                    f'{ctx.md(why, url)}</li>')
    top_html = (f'<ol class="gm-top">{"".join(rows)}</ol><p><a href="{rel(url, "ranked/")}">All ranked gaps</a></p>'
                if rows else "")
    by_field = Counter(g.field for g in kb.gaps.values())
    order = sorted(kb.fields, key=lambda f: (-by_field[f], kb.fields[f].title))
    fields = "".join(f'<a class="gm-card" href="{rel(url, ctx.urls[f])}"><span class="gm-card-title">{esc(kb.fields[f].title)}</span>'
                     f'<span class="gm-card-note">{by_field[f]} gap{"s" if by_field[f] != 1 else ""}</span>'
                     f'<span class="gm-card-text">{esc(kb.fields[f].summary or "")}</span></a>' for f in order)
    contribute = (f'<p>Every record is a small YAML file; add or correct one by pull request. '
                  f'<a href="{rel(url, "contributing/")}">How to contribute</a> · '
                  f'<a href="{rel(url, "downloads/")}">download the data</a> · '
                  f'<a href="{rel(url, "methods/")}">how the models work</a>.</p>')
    return page(None, '<div class="gm-block"><h1 id="open-gap-map">Open Gap Map</h1>'
                      '<p class="gm-lead">An open map of the capabilities science is missing — what each gap is, what '
                      'would close it, and what that would cost and when, with its uncertainty.</p>'
                      f'{counts}</div>',
                section("The map in numbers", headline),
                section("Top gaps", top_html),
                section("Fields", f'<div class="gm-cards">{fields}</div>'),
                section("Contribute", contribute),
                description="An open map of the capabilities science is missing, ranked, linked and priced with "
                            "their uncertainty.")


def _itn(g) -> int:
    a = g.assessment
    return a.importance * a.tractability * a.neglectedness


def ranked(ctx) -> str:
    url = "ranked/"
    gaps = sorted(ctx.kb.gaps.values(), key=_rank_key)
    assessed = [g for g in gaps if g.assessment]
    scores = [_itn(g) for g in assessed]
    ties = tie_note(scores)
    rows = [[str(scores.index(scores[i]) + 1) + ("=" if i in ties else ""), link(ctx, g.id, url), link(ctx, g.field, url),
             _score(g), ctx.md(g.assessment.rationale, url)] for i, g in enumerate(assessed)]
    rest = [[link(ctx, g.id, url), link(ctx, g.field, url), esc(g.summary)] for g in gaps if not g.assessment]
    how = (f'<p><a href="{rel(url, "glossary/")}#itn-score">Score</a> = importance × tractability × neglectedness, '
           "each 1–5 (at most 125). Each assessment states its confidence and its rationale; a low-confidence score "
           "is a starting point for discussion, not a verdict. Gaps with the same score share a rank (shown as "
           "“3=”) and are listed by id within it: the order inside a tie means nothing.</p>")
    return page("Ranked gaps", f'<div class="gm-block">{how}</div>',
                section("Assessed gaps", table(["#", "Gap", "Field", "Score", "Rationale"], rows)),
                section("Not assessed yet", table(["Gap", "Field", "Summary"], rest)),
                description="Gaps ranked by importance × tractability × neglectedness, with each assessment's rationale.")


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
        rows.append({k: v for k, v in row.items() if v not in (None, "", [])})  # smaller file: no empty keys
    return rows


def _first_rows(ctx, url: str, rows: list[dict], n: int = 50) -> str:
    """The catalogue's first page rendered at build time, exactly as gapmap.js renders it, so the
    table is there before its data file arrives and nothing shifts when it does."""
    out = []
    for r in rows[:n]:
        fields = ", ".join(ctx.titles.get(f, f) for f in r.get("fields", []))
        cells = [("Record", f'<a href="{rel(url, r["url"])}">{esc(r["title"])}</a>'),
                 ("Type", esc(r["kind"] + (f" ({r['category']})" if r.get("category") else ""))),
                 ("Field", esc(fields)), ("Maturity", esc(r.get("maturity", ""))), ("Cost", esc(r.get("cost", ""))),
                 ("Summary", esc(r.get("summary", "")))]
        out.append("<tr>" + "".join(f'<td data-label="{k}">{v}</td>' for k, v in cells) + "</tr>")
    return "".join(out)


def _select(name: str, label: str, options: list[tuple[str, str]], counts: dict | None = None, total: int = 0) -> str:
    """A filter; with `counts` ({value: records}), each option says how many records it leaves."""
    def text(v, t):
        return f"{t} ({counts.get(v, 0)})" if counts is not None else t
    opts = "".join(f'<option value="{esc(v)}" data-text="{esc(t)}">{esc(text(v, t))}</option>' for v, t in options)
    any_ = f"any ({total})" if counts is not None else "any"
    return f'<label>{label} <select data-filter="{name}"><option value="" data-text="any">{any_}</option>{opts}</select></label>'


def catalogue(ctx) -> str:
    url, kb = "catalogue/", ctx.kb
    cats = sorted({c.kind for c in kb.capabilities.values() if c.kind} | {r.kind for r in kb.resources.values() if r.kind})
    rows = catalogue_rows(ctx)
    counts = {name: Counter() for name in ("kind", "field", "maturity", "category", "tag", "cost")}
    for r in rows:
        for name in ("kind", "maturity", "category", "cost"):
            if name in r:
                counts[name][r[name]] += 1
        counts["field"].update(r.get("fields", []))
        counts["tag"].update(r.get("tags", []))

    def sel(name, label, options):
        return _select(name, label, options, counts[name], len(rows))
    controls = "".join([
        '<label>Search <input type="search" data-filter="text" placeholder="words in title or summary"></label>',
        sel("kind", "Record", [(k, k) for k in ("field", "gap", "capability", "resource")]),
        sel("field", "Field", sorted(((f, r.title) for f, r in kb.fields.items()), key=lambda x: x[1])),
        sel("maturity", "Maturity", [(m, m) for m in Maturity.__args__]),
        sel("category", "Kind", [(c, c) for c in cats]),
        sel("tag", "Tag", [(t, t) for t in sorted(kb.tags)]),
        sel("cost", "Cost", [(c, c) for c in ("cost model", "build estimate", "unpriced")]),
        '<label>Sort <select id="gm-sort"><option value="">map order</option>'
        + "".join(f'<option value="{k}:{d}">{t}</option>' for k, d, t in (
            ("title", "asc", "title A–Z"), ("title", "desc", "title Z–A"), ("kind", "asc", "type"),
            ("field", "asc", "field"), ("maturity", "asc", "maturity"), ("cost", "asc", "cost"))) + "</select></label>",
    ])
    cols = [("title", "Record"), ("kind", "Type"), ("field", "Field"), ("maturity", "Maturity"), ("cost", "Cost"),
            ("", "Summary")]
    head = "".join(f'<th scope="col" data-sort="{k}" aria-sort="none"><button type="button">{t}</button></th>' if k
                   else f'<th scope="col">{t}</th>' for k, t in cols)
    body = (f'<form class="gm-filters" role="search" aria-label="Filter the catalogue">{controls}</form>'
            f'<p class="gm-count" aria-live="polite">{len(ctx.urls)} of {len(ctx.urls)} records'
            f'{f" · page 1 of {-(-len(ctx.urls) // 50)}" if len(ctx.urls) > 50 else ""}</p>'
            f'<div class="gm-scroll gm-catalogue-wrap"><table class="gm-table gm-catalogue" data-root="{rel(url, "")}" '
            f'data-src="{rel(url, CATALOGUE_DATA)}"><caption class="gm-sr">Records of the map; the column buttons sort it</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{_first_rows(ctx, url, rows)}</tbody></table></div>'
            '<nav class="gm-pager" aria-label="Catalogue pages"><button type="button" class="md-button" data-page="prev" '
            'disabled>Previous page</button> <button type="button" class="md-button" data-page="next"'
            f'{"" if len(rows) > 50 else " disabled"}>Next page</button></nav>'
            f'<noscript><p>The catalogue needs JavaScript; the same records are in the '
            f'<a href="{rel(url, "downloads/")}">downloads</a>.</p></noscript>')
    return page("Catalogue", f'<div class="gm-block">{body}</div>', charts.scripts(url))


def graph_page(ctx) -> str:
    url = "graph/"
    fields = sorted(((f, r.title) for f, r in ctx.kb.fields.items()), key=lambda x: x[1])
    field_select = _select("field", "Field", fields).replace("data-filter", 'id="gm-graph-field" data-graph-filter', 1)
    controls = (f'<form class="gm-filters" role="search" aria-label="Find in the graph">'
                f'{field_select}<label>Find <input type="search" id="gm-graph-find" placeholder="a title"></label>'
                '<span class="gm-zoom"><button type="button" class="md-button" data-zoom="0.7">Zoom in</button> '
                '<button type="button" class="md-button" data-zoom="1.4">Zoom out</button> '
                '<button type="button" class="md-button" data-zoom="reset">Reset</button></span></form>')
    body = (controls + '<p id="gm-graph-status" class="gm-count" aria-live="polite">Select a node: hover, tap, '
            'or focus the graph and use the arrow keys.</p>'
            f'<div class="gm-graph" tabindex="0" role="group" aria-describedby="gm-graph-help" '
            f'aria-label="Graph of fields, gaps and capabilities" data-root="{rel(url, "")}" '
            f'data-graph="{rel(url, GRAPH_DATA)}"></div>'
            '<p id="gm-graph-help">Fields (squares), gaps (circles) and capabilities (diamonds), linked by gap → '
            'capability and requires links; resources are left out. Selecting a node highlights its neighbours; '
            'a second tap or Enter opens its page. Keys: arrows move to the nearest node that way, N steps through '
            'the selected node\'s links, + and − zoom, Escape clears.</p>'
            '<details class="gm-graph-listview"><summary>List view: every field, its gaps and what they need</summary>'
            '<div id="gm-graph-list"></div></details>'
            f'<noscript><p>The explorer needs JavaScript; the <a href="{rel(url, "catalogue/")}">catalogue</a> '
            'and the record pages list the same links.</p></noscript>')
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
        rule = total.get("rule_of_thumb") or []
        head += (f"<p>Whole map: {quantile_range(total['quantiles'], money)}; {len(rule)} of "
                 f"{len(total['priced'])} priced capabilities are priced by rule of thumb (team size × duration), "
                 "the rest from published figures.</p>"
                 + svg.box(total["quantiles"], "Cost of building every priced capability", "USD", log=True,
                           name="whole-map-cost", files=ctx.files_for(url)))
    fields = [[link(ctx, fid, url), money(s["quantiles"]["p50"]) if s["quantiles"] else "—",
               f"{money(s['quantiles']['p05'])}–{money(s['quantiles']['p95'])}" if s["quantiles"] else "—",
               str(len(s["priced"])), str(len(s.get("rule_of_thumb") or [])), str(len(s["unpriced"]))]
              for fid, s in sorted(p["fields"].items())]
    order = [[str(i), link(ctx, o["gap"], url), money(o["marginal_median_usd"]), money(o["cumulative_median_usd"])]
             for i, o in enumerate(p["order"][:ORDER_ROWS], 1)]
    curve = charts.figure_div(charts.budget_chart(p["curve"]), 340, "gaps closed against budget", svg.step_curve(
        [c["budget_usd"] for c in p["curve"]], [c["expected_gaps_closed"] for c in p["curve"]], "budget (USD)",
        "gaps closed (expected)", name="gaps-closed-against-budget", files=ctx.files_for(url)),
        ctx.files_for(url), "gaps-closed-against-budget") if p["curve"] else ""
    skipped = [[link(ctx, g, url), esc(why)] for g, why in sorted(p["not_in_curve"].items())]
    per_gap = [[link(ctx, gid, url),
                (f"{money(g['quantiles']['p50'])} ({money(g['quantiles']['p05'])}–{money(g['quantiles']['p95'])})"
                 if g["quantiles"] else "nothing priced") + (f"; {len(g['unpriced'])} unpriced" if g["unpriced"] else ""),
                "<br>".join(f"{link(ctx, w['capability'], url)}: ready before its cost in {w['p_cost_binds']:.0%}, "
                            f"never within the horizon in {w['p_never']:.0%}" for w in g.get("waits_for_cost") or [])
                or "—",
                "—" if g.get("p_closes") is None else f"{g['p_closes']:.0%}"]
               for gid, g in sorted(p["gaps"].items())]
    return page("Portfolio", f'<div class="gm-block">{head}</div>',
                section("By field", table(["Field", "Median", "90% range", "Priced", "of which by rule of thumb", "Unpriced"], fields)),
                section("Gaps closed against budget", curve + (
                    "<p>Gaps are funded greedily, cheapest next gap first, sharing capabilities already paid "
                    "for; the curve is the expected number of gaps closed at each budget.</p>" if curve else "")),
                section("By gap: what money buys, what only time buys", (
                    "<p>Money buys building the capabilities a gap still needs (median and 90% range; unpriced "
                    "ones are not in the sum). It does not buy a cost target: those wait for the cost to fall, "
                    "or for a cheaper method. For each target, the share of samples in which the capability is "
                    "ready before its cost is low enough (the gap then waits for its cost) and in which the target "
                    "is never reached within the forecast horizon; last, the share of samples in which the gap "
                    "closes within the horizon.</p>")
                        + table(["Gap", "Money buys (median, 90% range)", "Only time, or a cheaper method, buys",
                                 "Closes within horizon"], per_gap)),
                section("Funding order", table(["#", "Gap", "Extra cost (median)", "Cumulative (median)"], order)),
                section("Gaps left out of the curve", table(["Gap", "Why"], skipped)),
                section("Unpriced capabilities", links(ctx, total["unpriced"], url)),
                charts.scripts(url))


GLOSSARY = [
    ("Gap", "Something science cannot do yet that it needs to; each gap belongs to one field and lists the "
            "capabilities whose absence holds it open."),
    ("Capability", "A tool, dataset, platform, method or institution; it may require other capabilities first."),
    ("ITN score", "Importance × tractability × neglectedness, each scored 1–5 by an assessment, so 1–125. Higher "
                  "ranks first; equal scores are ties, listed by id, and the order inside a tie carries no meaning."),
    ("Leverage", "How many gaps a capability helps unblock, directly or through the capabilities that require it, "
                 "weighted by how necessary it is to each (a necessary link counts more than a partial or "
                 "enabling one). A capability with high leverage is a good place to invest."),
    ("Criticality", "The share of schedule simulations in which a capability sits on the critical path of a gap, "
                    "i.e. decides the year the gap closes. 100% means it always decides it."),
    ("Bands", "Every cost and date is a distribution from simulation. The median is the middle outcome; the 50% "
              "band (p25–p75) holds the middle half of outcomes and the 90% band (p05–p95) all but the most "
              "extreme tenth. A wide band means the model is unsure, not that it is wrong."),
    ("Closing year", "The simulated year in which every capability a gap needs exists, counted from the build "
                     "estimates and prerequisites; assumed durations are flagged on the gap's page."),
    ("Hindcast", "A test of a cost model on its own history: forecasts made from earlier years are compared with "
                 "what was later observed; a well-calibrated 90% band contains the truth about 90% of the time."),
    ("Unpriced", "A capability with no build estimate: it is left out of cost totals, which are therefore lower "
                 "bounds."),
]


def glossary() -> str:
    parts = [section(term, f"<p>{esc(text)}</p>") for term, text in GLOSSARY]
    return page("Glossary", '<div class="gm-block"><p>The terms the map\'s numbers use. Pages link here where a '
                            "term first appears.</p></div>", *parts,
                description="What the Open Gap Map's numbers mean: ITN score, leverage, criticality, bands.")


def contributing() -> str:
    """The fallback contributing page, for a map folder without its own (site_src/contributing.md wins)."""
    return page("Contributing", '<div class="gm-block"><p>Every record of the map is one YAML file; change the '
                                "map by editing a file, running <code>gapmap validate</code>, and opening a pull "
                                "request against the repository this site was built from. <code>gapmap new</code> "
                                "writes a valid starting record; the schema reference lists every key.</p></div>",
                description="How to add or correct a record of the map.")
