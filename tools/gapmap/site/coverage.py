"""How this map lines up with other gap maps: the coverage page (every gap of the other map,
with our counterpart or why there is none) and the "also on" line of a gap's page."""

from __future__ import annotations

from collections import Counter

from gapmap.check.crosswalk import coverage
from gapmap.core.external import external_map, known_maps
from gapmap.site.blocks import link, page, section, table
from gapmap.site.markup import esc, rel

URL = "coverage/"
PATH = "coverage.md"
STATUS = {"not-yet-written": "not yet written", "out-of-scope": "out of scope"}


def coverage_pages(ctx) -> dict[str, str]:
    parts = []
    for key in known_maps():
        theirs = external_map(key)
        c = coverage(ctx.kb, key)
        rows = []
        for gid, gap in sorted(theirs.gaps.items(), key=lambda kv: (kv[1]["field"], kv[1]["title"])):
            if gid in c.covered:
                ours = ", ".join(link(ctx, g, URL) for g in c.covered[gid])
                note = "covered" + (" (merged with others)" if _merged(c, c.covered[gid]) else "")
            elif gid in c.uncovered:
                entry = c.uncovered[gid]
                ours, note = "—", f"{STATUS[entry.status]}: {esc(entry.reason)}"
            else:
                ours, note = "—", "not covered yet, no reason recorded"
            rows.append([esc(gap["field"]), esc(gap["title"]), ours, note])
        counts = Counter(r[3].split(":")[0].split(" (")[0] for r in rows)
        intro = (f'<div class="gm-block"><p>Every gap of {esc(theirs.name)} (<a href="{esc(theirs.url)}">'
                 f"{esc(theirs.url)}</a>), from its public export of {esc(theirs.export_date)}, beside our "
                 f"counterpart. Of its {len(rows)} gaps, {counts['covered']} have a counterpart here, "
                 f"{counts['not yet written']} are not yet written and {counts['out of scope']} are out of scope. "
                 "Titles in the second column are theirs; our records are written from primary sources.</p></div>")
        parts += [intro, section(f"{theirs.name} gaps", table(["Their field", "Their gap", "Ours", "Status"], rows))]
    return {PATH: page("Coverage of other gap maps", *parts)}


def _merged(c, ours: list[str]) -> bool:
    """Several of their gaps point at one of ours."""
    return any(sum(g in gaps for gaps in c.covered.values()) > 1 for g in ours)


def also_on(ctx, gap, page_url: str) -> str:
    """'Also on gap-map.org: <their titles>' for a gap with crosswalk entries; '' otherwise."""
    items = []
    for key, ids in gap.crosswalk.items():
        theirs = external_map(key)
        if theirs is None:
            continue
        titles = [esc(theirs.gaps[i]["title"]) for i in ids if i in theirs.gaps]
        if titles:
            items.append(f"<p>Also on {esc(theirs.name)}: {'; '.join(titles)} "
                         f'(<a href="{rel(page_url, URL)}">coverage</a>).</p>')
    return section("Also on other gap maps", "".join(items)) if items else ""
