"""A shortcut past the Markdown converter for generated pages that are only HTML blocks and
`## ` headings (record pages and most map pages): their HTML is assembled directly, with the
same heading ids and permalinks the toc extension would give. Python-Markdown's raw-HTML pass
was the largest single cost of a build; pages with real Markdown (methods) still go through it.
"""

from __future__ import annotations

from markdown.extensions.toc import slugify

from gapmap.site.markup import esc


def html_only(markdown: str) -> tuple[str, list[dict]] | None:
    """(html, toc tokens) when `markdown` (front matter removed) is HTML blocks and h2
    headings separated by blank lines; None otherwise."""
    parts, toc, used = [], [], set()
    for block in markdown.strip().split("\n\n"):
        if block.startswith("## ") and "\n" not in block:
            name = block[3:].strip()
            anchor = _unique(slugify(name, "-"), used)
            toc.append({"level": 2, "id": anchor, "name": name, "children": []})
            parts.append(f'<h2 id="{anchor}">{name}<a class="headerlink" href="#{anchor}" '
                         f'title="Permanent link">&para;</a></h2>')
        elif block.startswith("<"):
            parts.append(block)
        elif block:
            return None
    return "\n".join(parts), toc


def _unique(anchor: str, used: set) -> str:
    base, n = anchor or "section", 0
    while anchor in used or not anchor:
        n += 1
        anchor = f"{base}_{n}"
    used.add(anchor)
    return esc(anchor)
