"""An Atom feed of record changes: the most recently changed records, dated by their file's last
commit (history.py). Links are absolute when the site has a site_url, else relative to it."""

from __future__ import annotations

from xml.sax.saxutils import escape

FEED = "feed.xml"
ENTRIES = 50


def feed_entries(ctx) -> list[dict]:
    rows = []
    for kind, rec in ctx.kb.records():
        date = ctx.updated.get(ctx.kb.path_of.get(rec.id, ""))
        if date:
            rows.append({"id": rec.id, "kind": kind, "title": rec.title, "url": ctx.urls[rec.id], "date": date,
                         "summary": rec.summary or ""})
    rows.sort(key=lambda r: (r["date"], r["id"]), reverse=True)
    return rows[:ENTRIES]


def atom(entries: list[dict], site_name: str, site_url: str | None) -> bytes:
    base = site_url or ""
    newest = entries[0]["date"] if entries else "1970-01-01"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{escape(site_name)}: record changes</title>",
           f'<link href="{escape(base + FEED)}" rel="self"/>', f'<link href="{escape(base or "./")}"/>',
           f"<id>{escape(base + FEED) if site_url else 'urn:gapmap:feed'}</id>",
           f"<updated>{newest}T00:00:00Z</updated>", "<author><name>Open Gap Map contributors</name></author>"]
    for e in entries:
        out.append(f"<entry><title>{escape(e['title'])} ({e['kind']})</title>"
                   f'<link href="{escape(base + e["url"])}"/><id>urn:gapmap:{e["kind"]}:{escape(e["id"])}</id>'
                   f"<updated>{e['date']}T00:00:00Z</updated><summary>{escape(e['summary'])}</summary></entry>")
    out.append("</feed>")
    return "\n".join(out).encode()
