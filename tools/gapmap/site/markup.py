"""Safe HTML from record text: escaped plain fields, and record Markdown rendered with raw HTML
off, links restricted to http(s) and relative targets, and `[record-id]` citations (or a
backticked known id) turned into links to that record's page.

Vocabulary: a *url* here is a site-root-relative directory URL such as `gaps/x/` (`""` is the
home page); `rel(page_url, url)` makes it relative to the page that links to it, so the site
works from any base path and offline.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from gapmap.check.text import CITATION

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


def esc(text) -> str:
    """Plain text for HTML text or a quoted attribute; control characters dropped."""
    return html.escape(_CONTROL.sub("", str(text)), quote=True)


def safe_href(url: str) -> str | None:
    """The URL if it is http(s) or relative, else None (javascript:, data:, file:, ...)."""
    m = _SCHEME.match(url)
    if m and m.group(1).lower() not in ("http", "https"):
        return None
    return url


def rel(page_url: str, url: str) -> str:
    """`url` (site-root-relative) as seen from the page at `page_url`."""
    return "../" * page_url.count("/") + url


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.disable("image")  # no remote images: the site is offline-capable and light
    base_valid = md.validateLink
    md.validateLink = lambda url: base_valid(url) and safe_href(url) is not None
    return md


class Renderer:
    """Renders record Markdown for one site: knows every record's title and page URL."""

    def __init__(self, titles: dict[str, str], urls: dict[str, str]):
        self.titles, self.urls = titles, urls

    def markdown(self, text: str | None, page_url: str) -> str:
        if not text:
            return ""
        md = _md()
        tokens = md.parse(_CONTROL.sub("", text))
        for tok in tokens:
            if tok.type in ("heading_open", "heading_close"):
                # record headings sit under the page's own h1/h2 sections
                tok.tag = f"h{min(6, int(tok.tag[1]) + 2)}"
            if tok.children:
                tok.children = self._link_citations(tok.children, page_url)
        return md.renderer.render(tokens, md.options, {})

    def _link_citations(self, children, page_url: str) -> list:
        from markdown_it.token import Token

        out, depth = [], 0
        for tok in children:
            depth += tok.type == "link_open"
            if depth == 0 and tok.type == "text" and "[" in tok.content:
                out.extend(self._split_text(tok.content, page_url, Token))
            elif depth == 0 and tok.type == "code_inline" and tok.content in self.urls:
                out.extend(self._link(tok.content, page_url, Token, [tok]))
            else:
                out.append(tok)
            depth -= tok.type == "link_close"
        return out

    def _split_text(self, content: str, page_url: str, Token) -> list:
        out, last = [], 0
        for m in CITATION.finditer(content):
            rid = m.group(1)
            if rid not in self.urls:
                continue
            if m.start() > last:
                out.append(_text(Token, content[last:m.start()]))
            out.extend(self._link(rid, page_url, Token, [_text(Token, self.titles[rid])]))
            last = m.end()
        if last < len(content):
            out.append(_text(Token, content[last:]))
        return out

    def _link(self, rid: str, page_url: str, Token, inner: list) -> list:
        open_ = Token("link_open", "a", 1)
        open_.attrs = {"href": rel(page_url, self.urls[rid]), "class": "gm-cite"}
        return [open_, *inner, Token("link_close", "a", -1)]


def _text(Token, content: str):
    tok = Token("text", "", 0)
    tok.content = content
    return tok
