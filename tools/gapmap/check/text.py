"""Text safety: control characters, raw HTML and script-bearing links in any string of a record.

Record text ends up on web pages. The site renders Markdown with HTML disabled anyway; these
checks tell the contributor at the exact line instead of silently dropping their markup.
A cheap regular expression picks candidates; only those are parsed as Markdown, so that
`a < b` or HTML inside a code span is not flagged.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from gapmap.core.findings import Finding, finding

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_HTML_CANDIDATE = re.compile(r"<[A-Za-z!/?]")
# what any finding of _check_one needs in the raw string: a control character, a "TODO", a "<"
# (markup), or a ":" (a scheme), "&" or "%" (an encoded one); a string without them is clean
_MAYBE_UNSAFE = re.compile(_CONTROL.pattern[:-1] + r"<:&%]|TODO")
_SCHEME_CANDIDATE = re.compile(r"(?i)(javascript|vbscript|data|file)\s*:")
_UNSAFE_SCHEME = re.compile(r"(?i)^(javascript|vbscript|data|file):")
# what a browser ignores inside a URL's scheme: ASCII whitespace and control characters
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def _link_target(url: str) -> str:
    """`url` as a browser would read its scheme: HTML entities decoded (`&#106;avascript:`),
    percent-escapes undone, and whitespace or control characters (`java\tscript:`) dropped."""
    from urllib.parse import unquote

    if "&" in url:
        url = html.unescape(url)
    if "%" in url:
        url = unquote(url)
    return _URL_IGNORED.sub("", url)


def unsafe_url(url: str) -> bool:
    """Is `url` a javascript:, vbscript:, data: or file: link, however it is encoded or split?"""
    return bool(_UNSAFE_SCHEME.match(_link_target(url)))


def _scheme_candidate(text: str) -> bool:
    if _SCHEME_CANDIDATE.search(text):
        return True
    return ("&" in text or "%" in text or "\t" in text or "\n" in text) and bool(
        _SCHEME_CANDIDATE.search(_link_target(text)))
_TAG_LIKE = re.compile(r"<[A-Za-z!/?][^<>]*>")
_PLAIN_KEYS = {"id", "title", "summary", "label", "unit", "url", "doi"}


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # we want to see every link, the safe and the unsafe
    return md


def unsafe_parts(text: str) -> list[tuple[str, str, int]]:
    """[(code, detail, line offset)] for raw HTML and unsafe link targets in a Markdown string."""
    markup = _HTML_CANDIDATE.search(text)
    scheme = _scheme_candidate(text)
    if not markup and not scheme:
        return []
    found = []
    for token, line in _walk(_markdown().parse(text), 0):
        if token.type in ("html_inline", "html_block") and not token.content.startswith("</"):
            found.append(("raw-html", token.content.strip()[:60], line))
        elif token.type == "text" and _TAG_LIKE.search(token.content):
            # not HTML to CommonMark (e.g. `<svg/onload=...>`), but a browser would take it as a tag
            found.append(("raw-html", _TAG_LIKE.search(token.content).group()[:60], line))
        elif token.type in ("link_open", "image"):
            target = token.attrGet("href") or token.attrGet("src") or ""
            if unsafe_url(target):
                found.append(("unsafe-link", target[:60], line))
    return found


def _walk(tokens, line):
    for tok in tokens:
        here = tok.map[0] if tok.map else line
        yield tok, here
        if tok.children:
            yield from _walk(tok.children, here)


# `[some-record-id]` in Markdown cites a record (not followed by `(`, `[` or `:`, which
# would make it an ordinary Markdown link or a link reference definition).
CITATION = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\](?![(\[:])")


def iter_strings(data, wanted, keys_wanted=None, path=()):
    """(path, string) for every string value in a parsed document for which `wanted(string)` is
    true, and every key for which `keys_wanted(key)` is (as ('key', ...path)). A path is built
    only for what is yielded: most strings are clean, and building every path was most of the
    checks' time at 100,000 records."""
    if isinstance(data, dict):
        for k, v in data.items():
            if keys_wanted is not None and isinstance(k, str) and keys_wanted(k):
                yield ("key",) + path + (k,), k
            if isinstance(v, str):
                if wanted(v):
                    yield path + (k,), v
            elif isinstance(v, (dict, list)):
                yield from iter_strings(v, wanted, keys_wanted, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            if isinstance(v, str):
                if wanted(v):
                    yield path + (i,), v
            elif isinstance(v, (dict, list)):
                yield from iter_strings(v, wanted, keys_wanted, path + (i,))
    elif isinstance(data, str) and wanted(data):
        yield path, data


def check_strings(doc) -> list[Finding]:
    """Findings for every string value (and key) of one parsed document."""
    out: list[Finding] = []
    for path, value in iter_strings(doc.data, _MAYBE_UNSAFE.search, _CONTROL.search):
        if path and path[0] == "key":  # iter_strings yields only keys with a control character
            out.append(finding(doc.path, doc.where(path[1:], key=True), "control-char",
                               f"key {value!r} contains an invisible control character; delete it"))
        else:
            out.extend(_check_one(doc, path, value))
    return out


def _dotted(path) -> str:
    return ".".join(map(str, path))


def _check_one(doc, path, value: str) -> list[Finding]:
    out = []
    bad = _CONTROL.search(value)
    if bad:
        out.append(finding(doc.path, doc.where_in(path, value, bad.start()), "control-char",
                         f"{_dotted(path)} contains the invisible character U+{ord(bad.group()):04X}; delete it"))
    if value.lstrip().startswith("TODO") or value.endswith("/TODO"):
        out.append(finding(doc.path, doc.where(path), "placeholder-text",
                           f"{_dotted(path)} is still a scaffold placeholder; replace the TODO text"))
    key = path[-1] if path and isinstance(path[-1], str) else None
    if key in _PLAIN_KEYS:
        if _HTML_CANDIDATE.search(value):
            out.append(finding(doc.path, doc.where(path), "raw-html",
                             f"{_dotted(path)} contains markup ({value[_HTML_CANDIDATE.search(value).start():][:40]!r}); "
                             "plain text only here"))
        if key != "url" and unsafe_url(value):
            out.append(finding(doc.path, doc.where(path), "unsafe-link",
                             f"{_dotted(path)} starts with a script or data URL; only http(s) links are allowed"))
        return out
    for code, detail, line in unsafe_parts(value):
        if code == "raw-html":
            msg = f"{_dotted(path)} contains raw HTML {detail!r}; use Markdown instead (HTML never reaches the site)"
        else:
            msg = f"{_dotted(path)} links to {detail!r}; only http, https and relative links are allowed"
        index = max(0, value.find(detail[:20], _line_start(value, line)))
        out.append(finding(doc.path, doc.where_in(path, value, index), code, msg))
    return out


def _line_start(text: str, line: int) -> int:
    index = 0
    for _ in range(line):
        index = text.index("\n", index) + 1
    return index
