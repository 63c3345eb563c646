"""One page per record (field, gap, capability, resource): its text, its neighbourhood in the
graph (stored links and derived back-links), and its cost and schedule results."""

from __future__ import annotations

from gapmap.core import progress
from gapmap.graph.build import CITES, NEEDS, RELATED, REQUIRES, sources, targets
from gapmap.site import charts, svg
from gapmap.site.blocks import (distribution, link, links, meta_line, money, number, page, percent,
                                quantile_range, section, table, year)
from gapmap.site.coverage import also_on
from gapmap.site.markup import esc, rel, safe_href

TARGET_YEARS = (5, 10, 15, 20)  # years after the forecast origin shown in the target table


def record_pages(ctx) -> dict[str, str]:
    """{'gaps/<id>.md': markdown, ...} for every loaded record."""
    render = {"field": field_page, "gap": gap_page, "capability": capability_page, "resource": resource_page}
    records = progress.bar(list(ctx.kb.records()), "record pages")
    return {ctx.urls[rec.id][:-1] + ".md": render[kind](ctx, rec) for kind, rec in records}


def _head(ctx, rec, url: str, *meta: str) -> str:
    updated = ctx.updated.get(ctx.kb.path_of.get(rec.id, ""))
    items = [*meta, f"last updated {updated}" if updated else "", ", ".join(
        f'<a href="{rel(url, "catalogue/")}#tag={esc(t)}">#{esc(t)}</a>' for t in rec.tags)]
    lead = f'<p class="gm-summary">{esc(rec.summary)}</p>' if rec.summary else ""
    return f'<div class="gm-block">\n{meta_line(*items)}\n{lead}\n{ctx.md(rec.description, url)}\n</div>'


def _page(ctx, rec, *parts: str) -> str:
    """A record's page: its parts, then how to cite it; the summary is the meta description."""
    return page(rec.title, *parts, _cite(ctx, rec), description=rec.summary or rec.title)


def _cite(ctx, rec) -> str:
    updated = ctx.updated.get(ctx.kb.path_of.get(rec.id, ""))
    kind = ctx.kinds.get(rec.id, "record")
    return section("How to cite", f'<p class="gm-howcite">Open Gap Map contributors. “{esc(rec.title)}” ({kind} '
                                  f"<code>{esc(rec.id)}</code>). Open Gap Map"
                                  + (f", last updated {updated}" if updated else "")
                                  + ". The data licence is in the page footer.</p>")


def _sources(ctx, rec, url: str) -> str:
    return section("Sources", links(ctx, rec.resources, url))


def _cited_back(ctx, rid: str, rel_name: str) -> list[str]:
    return sorted(sources(ctx.graph, rid, rel_name)) if rid in ctx.graph else []


def field_page(ctx, rec) -> str:
    url = ctx.urls[rec.id]
    gaps = sorted((g for g in ctx.kb.gaps.values() if g.field == rec.id), key=_rank_key)
    rows = [[link(ctx, g.id, url), _score(g), esc(g.summary)] for g in gaps]
    caps = sorted((c for c, fs in ctx.fields_of.items() if rec.id in fs), key=lambda c: ctx.titles[c])
    return _page(ctx, rec, _head(ctx, rec, url, "Field", f"{len(gaps)} gaps"),
                section("Gaps", table(["Gap", "Score", "Summary"], rows)),
                section("Capabilities these gaps need", links(ctx, caps, url)),
                section("Cost of closing this field", _scope_cost(ctx, "fields", rec.id, url)),
                _sources(ctx, rec, url))


def _rank_key(gap):
    a = gap.assessment
    return (0, -(a.importance * a.tractability * a.neglectedness), gap.id) if a else (1, 0, gap.id)


def _score(gap) -> str:
    a = gap.assessment
    if a is None:
        return "unassessed"
    return (f"{a.importance * a.tractability * a.neglectedness} "
            f'<span class="gm-muted">({a.importance}×{a.tractability}×{a.neglectedness}, {esc(a.confidence)})</span>')


def gap_page(ctx, rec) -> str:
    url = ctx.urls[rec.id]
    field = link(ctx, rec.field, url)
    outcome = ctx.md(rec.outcome, url)
    rows = [[link(ctx, c.capability, url), esc(c.role or "unknown (read as necessary)"),
             esc(_maturity(ctx, c.capability)), ctx.md(c.note, url)] for c in rec.capabilities]
    related = sorted(set(rec.related_gaps) | set(_cited_back(ctx, rec.id, RELATED)))
    schedule, has_chart = _schedule(ctx, rec.id, url)
    return _page(ctx, rec, _head(ctx, rec, url, f"Gap in {field}"),
                section("Outcome if closed", outcome),
                section("Assessment", _assessment(ctx, rec, url)),
                section("Capabilities", table(["Capability", "Role", "Maturity", "Note"], rows)),
                section("Prerequisites", _closure(ctx, rec.id, url)),
                section("When could it close?", schedule),
                section("Cost of closing it", _scope_cost(ctx, "gaps", rec.id, url)),
                section("Related gaps", links(ctx, related, url)),
                also_on(ctx, rec, url),
                _sources(ctx, rec, url),
                charts.scripts(url) if has_chart else "")


def _maturity(ctx, cid: str) -> str:
    cap = ctx.kb.capabilities.get(cid)
    return (cap.maturity or "") if cap else ""


def _assessment(ctx, rec, url: str) -> str:
    a = rec.assessment
    if a is None:
        return '<p class="gm-muted">Not assessed yet: the ranked list shows it after the assessed gaps.</p>'
    return (f"<p>Importance {a.importance}/5 · tractability {a.tractability}/5 · neglectedness "
            f"{a.neglectedness}/5 · score <strong>{a.importance * a.tractability * a.neglectedness}</strong>"
            f"/125 · confidence {esc(a.confidence)}</p>\n{ctx.md(a.rationale, url)}")


def _closure(ctx, gid: str, url: str) -> str:
    pre = ctx.analytics["gaps"].get(gid)
    if pre is None:
        return ""
    deeper = [p for p in pre.closure if p.depth > 0]
    rows = [[link(ctx, p.capability, url), str(p.depth), esc(p.role or "unknown"), esc(p.maturity or "")]
            for p in deeper]
    out = table(["Capability", "Depth", "Needed through a link of role", "Maturity"], rows)
    if pre.chain and len(pre.chain.capabilities) > 1:
        out += "<p>Longest prerequisite chain: " + " → ".join(link(ctx, c, url) for c in pre.chain.capabilities) + "</p>"
    return out


def _schedule(ctx, gid: str, url: str) -> tuple[str, bool]:
    s = ctx.results.schedules.get(gid) if ctx.results else None
    if not s:
        return "", False
    if s["closing_year"] is None:
        return f'<p class="gm-muted">{esc(s.get("note") or "No capability is needed to close it.")}</p>', False
    q = s["closing_year"]
    # a quantile among the samples that never close within the horizon is None: no made-up year
    chart = svg.box(q, "Closing year", "year", fmt=lambda v: f"{v:.0f}", name="closing-year",
                    files=ctx.files_for(url)) if None not in q.values() else ""
    text = (f"<p>Closing year: {quantile_range(q, lambda v: 'never' if v is None else year(v))}, "
            f"counted from {s['start_year']}.</p>")
    if s.get("p_never"):  # a cost target not reached within the horizon in that share of samples
        text += f"<p>Never within the forecast horizon in {percent(s['p_never'])} of samples (a cost target is not reached).</p>"
    if s["assumed"]:
        text += ('<p class="gm-muted">Some capabilities on the way have no build estimate; they are given the '
                 'assumed default duration (see Methods), so this date is largely assumption.</p>')
    rows = [[link(ctx, c["id"], url), percent(c["criticality"]), esc(c["duration"]), "yes" if c["needed"] else "no"]
            for c in sorted(s["capabilities"], key=lambda c: -c["criticality"])]
    crit = table(["Capability", "Criticality", "Duration from", "Needed"], rows)
    return (text + chart + f'<p><a href="{rel(url, "glossary/")}#criticality">Criticality</a>: the share of '
            "simulations in which a capability sits on the critical path, i.e. decides the closing year.</p>" + crit,
            False)


def _scope_cost(ctx, scope: str, sid: str, url: str) -> str:
    cost = ctx.results.portfolio[scope].get(sid) if ctx.results else None
    if not cost:
        return ""
    parts = []
    if cost["quantiles"]:
        rule = cost.get("rule_of_thumb") or []
        parts.append(f"<p>Building what it still needs: {quantile_range(cost['quantiles'], money)}"
                     + (f"; {len(rule)} of {len(cost['priced'])} priced capabilities are priced by rule of thumb"
                        if rule else "") + ".</p>")
    if cost["unpriced"]:
        parts.append("<p>Not priced (no build estimate, so not in the total):</p>" + links(ctx, cost["unpriced"], url))
    if cost["existing"]:
        parts.append("<p>Already exists (costs nothing to close this):</p>" + links(ctx, cost["existing"], url))
    if cost.get("waits_for_cost"):  # what money does not buy: time, or a cheaper method
        parts.append("<p>Money does not buy these cost targets, only time (or a cheaper method):</p>"
                     + links(ctx, [w["capability"] for w in cost["waits_for_cost"]], url))
    if cost.get("note"):
        parts.append(f'<p class="gm-muted">{esc(cost["note"])}</p>')
    return "\n".join(parts)


def capability_page(ctx, rec) -> str:
    url = ctx.urls[rec.id]
    lev = ctx.leverage.get(rec.id)
    meta = [f"Capability ({esc(rec.kind)})" if rec.kind else "Capability",
            f"maturity: {esc(rec.maturity)}" if rec.maturity else "",
            f'unblocks {lev.total} gap(s), <a href="{rel(url, "glossary/")}#leverage">leverage</a> {lev.leverage:g}'
            if lev else ""]
    direct = [[link(ctx, g, url), esc(_role(ctx, g, rec.id) or "unknown")] for g in _cited_back(ctx, rec.id, NEEDS)]
    via = [[link(ctx, c.gap, url), link(ctx, c.via, url)] for c in (lev.gaps if lev else []) if c.via != rec.id]
    critical = ctx.critical.get(rec.id, [])
    cost_html, has_chart = _cost(ctx, rec, url)
    return _page(ctx, rec, _head(ctx, rec, url, *meta),
                section("Cost over time", cost_html),
                section("Build estimate", _build(ctx, rec, url)),
                section("Gaps that need it", table(["Gap", "Role"], direct)),
                section("Gaps it unblocks through other capabilities", table(["Gap", "Through"], via)),
                section("Critical path", table(["Gap", "Criticality"], [[link(ctx, g, url), percent(p)]
                                                                       for g, p in sorted(critical, key=lambda x: -x[1])])),
                section("Requires", links(ctx, sorted(targets(ctx.graph, rec.id, REQUIRES)), url)),
                section("Required by", links(ctx, _cited_back(ctx, rec.id, REQUIRES), url)),
                _sources(ctx, rec, url),
                charts.scripts(url) if has_chart else "")


def _role(ctx, gid: str, cid: str):
    return next((c.role for c in ctx.kb.gaps[gid].capabilities if c.capability == cid), None)


def _build(ctx, rec, url: str) -> str:
    b = rec.build
    if b is None:
        return ""
    rows = [["Cost (USD)", distribution(b.cost_usd, money)], ["Years", distribution(b.years)]]
    if b.basis:
        rows.append(["Basis", "from a published figure (the source below)" if b.basis == "sourced" else
                     '<strong>rule of thumb</strong>: team size × duration, not a published budget (see the note)'])
    if b.confidence:
        rows.append(["Confidence", esc(b.confidence)])
    if b.source:
        rows.append(["Source", link(ctx, b.source, url)])
    return table(["", ""], rows, "gm-table gm-kv") + ctx.md(b.note, url)


def _cost(ctx, rec, url: str) -> tuple[str, bool]:
    cost = rec.cost
    f = ctx.results.forecasts.get(rec.id) if (cost and ctx.results) else None
    if f is None:
        return "", False
    out = [f"<p>Unit: {esc(cost.unit)}. Forecast from {f['origin']['year']} "
           f"({esc(f['origin']['source'])}); model: {esc(f['model']['kind'])}, drift {esc(f['model'].get('drift', ''))}. "
           f'<a href="{rel(url, "glossary/")}#bands">What the bands mean</a>.</p>', charts.figure_div(charts.fan_chart(f, cost), 420, "cost forecast fan chart",
                                       svg.fan(f, cost.observations, cost.unit, files=ctx.files_for(url)),
                                       ctx.files_for(url), "cost-forecast")]
    e = f["model"].get("experience_fit")
    if e:  # Wright's law fitted from the observations' cumulative production
        out.append(f"<p>Wright's law fitted to the observations: the cost falls {e['learning_rate']:.1%} with each "
                   f"doubling of cumulative production (exponent {e['b']:.3g} ± {e['b_se']:.2g}), and cumulative "
                   f"production has grown {e['cumulative_growth']:.0%} a year; the bands carry the noise, the "
                   "production forecast's and the exponent's uncertainty.</p>")
    out.append(_target(f))
    out.append(_hindcast(f.get("hindcast")))
    out.append(_observations(ctx, cost, url))
    return "\n".join(out), True


def _observations(ctx, cost, url: str) -> str:
    """The observed series; one source is named once (not on every row, which would make a long
    series' page heavy), and a value converted to the series' dollar year shows what was written."""
    obs = cost.observations
    sources = {o.source for o in obs}
    converted = any(o._nominal is not None for o in obs)
    base = f" ({cost.dollar_year} dollars)" if cost.dollar_year else ""
    headers = ["Year", f"Observed{base}"] + (["As written"] if converted else []) + \
              (["Source"] if len(sources) > 1 else []) + ["Note"]
    rows = []
    for o in obs:
        row = [str(o.year), number(o.value)]
        if converted:
            row.append(f"{number(o._nominal)} ({o.dollar_year} $)" if o._nominal is not None else "")
        if len(sources) > 1:
            row.append(link(ctx, o.source, url))
        rows.append(row + [esc(o.note or "")])
    bases = sorted({o.basis for o in obs if o.basis})
    head = "<p>" + (f"Every observation is from {link(ctx, next(iter(sources)), url)}. " if len(sources) == 1 else "")
    head += (f"Basis: {esc(bases[0])}. " if len(bases) == 1 else "")
    head += ("Values in other years' dollars are converted with the map's price index (US CPI-U)." if converted else "")
    return (head + "</p>" if head != "<p>" else "") + table(headers, rows)


def _target(f: dict) -> str:
    t = f.get("target")
    if not t:
        return ""
    origin = f["origin"]["year"]
    label = esc(t.get("label") or number(t["value"]))
    cells = [[str(origin + k), percent(t["p_reached_by"].get(str(origin + k)))] for k in TARGET_YEARS
             if str(origin + k) in t["p_reached_by"]]
    median = year(t["year_p50"]) if t["year_p50"] is not None else "beyond the horizon"
    return (f"<p>Target: {label} ({number(t['value'])} {esc(f.get('unit') or '')}). Year reached: median {median}, 90% from "
            f"{year(t['year_p05'])} to {year(t['year_p95']) if t['year_p95'] is not None else 'beyond the horizon'}; "
            f"never within {len(f['years']) - 1} years in {percent(t.get('p_never_within_horizon'))} of samples.</p>"
            + table(["By year", "Probability the target is reached"], cells))


def _hindcast(h: dict | None) -> str:
    if not h:
        return '<p class="gm-muted">Too few observations to test this model on its own history (hindcast).</p>'
    return (f"<p>Hindcast on this record's history: {h['forecasts']} forecasts from {h['origins']} origins; "
            f"the real value fell inside the 50% band {percent(h['coverage50'])} of the time (ideal 50%) and inside "
            f"the 90% band {percent(h['coverage90'])} (ideal 90%).</p>"
            + ('<p><strong>These bands are not calibrated on this record\'s own history:</strong> far fewer real '
               'values fell inside them than they claim, so read them as too narrow.</p>'
               if h.get("calibrated") is False else ""))


def resource_page(ctx, rec) -> str:
    url = ctx.urls[rec.id]
    href = safe_href(rec.url)
    target = f'<a href="{esc(href)}" rel="nofollow noopener">{esc(rec.url)}</a>' if href else esc(rec.url)
    doi = f'DOI <a href="https://doi.org/{esc(rec.doi)}" rel="nofollow noopener">{esc(rec.doi)}</a>' if rec.doi else ""
    citers = _cited_back(ctx, rec.id, CITES)
    by_kind = {k: [c for c in citers if ctx.kinds.get(c) == k] for k in ("gap", "capability", "field", "resource")}
    plural = {"gap": "Gaps", "capability": "Capabilities", "field": "Fields", "resource": "Resources"}
    cited = "".join(f"<p>{plural[k]}:</p>{links(ctx, ids, url)}" for k, ids in by_kind.items() if ids)
    return _page(ctx, rec, _head(ctx, rec, url, "Resource", esc(rec.kind or ""), str(rec.year or "")),
                f'<div class="gm-block"><p>{target}</p><p>{doi}</p></div>' if href or doi else "",
                section("Cited by", cited or '<p class="gm-muted">Nothing cites it yet.</p>'),
                _sources(ctx, rec, url))
