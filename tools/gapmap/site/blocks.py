"""Small HTML building blocks shared by every page: front matter, record links, tables,
money and distribution wording. Every argument that came from a record is escaped here or
rendered by `markup.Renderer`; callers pass trusted strings only as `html=` fragments."""

from __future__ import annotations

import json

from gapmap.model.distributions import Fixed, Lognormal, Triangular, Uniform
from gapmap.site.markup import esc, rel


def page(title: str | None, *parts: str, plain_title: bool = True, description: str | None = None) -> str:
    """A page's Markdown: front matter with the (escaped) title and meta description, then HTML
    blocks and headings (title None: the page brings its own h1 and takes the site's name).

    Material prints `page.meta.title` and `.description` unescaped, so both are escaped once
    here; each part is separated by blank lines so Markdown passes HTML blocks through untouched."""
    meta = []
    if title is not None:
        meta.append(f"title: {json.dumps(esc(title) if plain_title else title, ensure_ascii=False)}")
    if description:
        meta.append(f"description: {json.dumps(esc(' '.join(description.split())[:300]), ensure_ascii=False)}")
    head = "---\n" + "\n".join(meta) + "\n---\n\n" if meta else ""
    return head + "\n\n".join(p for p in parts if p) + "\n"


def section(heading: str, body: str) -> str:
    """A Markdown h2 (trusted heading text; the toc extension gives it an id), then an HTML
    block; nothing when the body is empty."""
    if not body:
        return ""
    return f"## {heading}\n\n<div class=\"gm-block\">\n{body}\n</div>"


def block(body: str, cls: str = "gm-block") -> str:
    return f'<div class="{cls}">\n{body}\n</div>' if body else ""


def link(ctx, rid: str, page_url: str) -> str:
    """A link to a record's page with its title; a plain id when the record is absent."""
    if rid not in ctx.urls:
        return f"<code>{esc(rid)}</code>"
    return f'<a href="{rel(page_url, ctx.urls[rid])}">{esc(ctx.titles[rid])}</a>'


def links(ctx, ids, page_url: str) -> str:
    items = "".join(f"<li>{link(ctx, i, page_url)}</li>" for i in ids)
    return f"<ul>{items}</ul>" if items else ""


def table(headers: list[str], rows: list[list[str]], cls: str = "gm-table") -> str:
    """Headers are trusted text; cells are HTML fragments already escaped by the caller."""
    if not rows:
        return ""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def money(x: float | None) -> str:
    if x is None:
        return "—"
    for size, suffix in ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")):
        if abs(x) >= size:
            return f"${x / size:.3g}{suffix}"
    return f"${x:,.0f}"


def number(x: float | None) -> str:
    return "—" if x is None else f"{x:.3g}"


def percent(p: float | None) -> str:
    return "—" if p is None else f"{100 * p:.0f}%"


def distribution(d, fmt=number) -> str:
    """A distribution in words, e.g. '3–8, most likely 5'."""
    if isinstance(d, Fixed):
        return fmt(d.value)
    if isinstance(d, Uniform):
        return f"between {fmt(d.low)} and {fmt(d.high)}"
    if isinstance(d, Triangular):
        return f"{fmt(d.low)}–{fmt(d.high)}, most likely {fmt(d.mode)}"
    if isinstance(d, Lognormal):
        return f"90% between {fmt(d.p05)} and {fmt(d.p95)} (median {fmt(d.median())})"
    return esc(d)


def quantile_range(q: dict, fmt) -> str:
    """'median X (50%: a–b; 90%: c–d)' from a p05..p95 dict."""
    return (f"median <strong>{fmt(q['p50'])}</strong> (50%: {fmt(q['p25'])}–{fmt(q['p75'])}; "
            f"90%: {fmt(q['p05'])}–{fmt(q['p95'])})")


def year(x: float | None) -> str:
    return "—" if x is None else f"{x:.0f}"


def meta_line(*items: str) -> str:
    return '<p class="gm-meta">' + " · ".join(i for i in items if i) + "</p>"
