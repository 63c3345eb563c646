"""The theme's stylesheets cut to the rules this site can use, after the build.

mkdocs-material ships one 137 KB stylesheet (and 12 KB of palettes) for every feature it has;
both block the first paint, and on a phone they are most of the time before it. A rule is
dropped only when one of its selectors' classes appears in no built page and no script, or
when it asks for an attribute value (`[dir=rtl]`, a palette colour) no page carries. Classes
inside `:not(...)`, `:is(...)` and the like are not looked at (a rule matching the absence of
a class must stay), and a class name that scripts build from a prefix (`"md-status--"`) keeps
every class of that prefix. The stylesheet is always cut from the theme's own copy, so a
rebuild that adds a page cannot lose a rule an earlier cut dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

# attributes whose values the theme's rules ask for and the built pages say in full
CHECKED_ATTRS = ("dir", "data-md-color-scheme", "data-md-color-primary", "data-md-color-accent")
_ATTRS = re.compile(r'\s(class|' + "|".join(CHECKED_ATTRS) + r')="([^"]*)"')  # one pass over each page
_SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.S)
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_SEL_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
_SEL_ATTR = re.compile(r"\[\s*([\w-]+)\s*=\s*['\"]?([^'\"\]]*)['\"]?\s*\]")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)  # the source-map link too: the map no longer matches


class Used:
    """The classes and checked attribute values of a built site."""

    def __init__(self) -> None:
        self.classes: set[str] = set()
        self.prefixes: set[str] = set()
        self.attrs: set[tuple[str, str]] = set()
        self._scripts: set[str] = set()  # every page repeats the theme's inline scripts

    def add_html(self, html: str) -> None:
        for name, value in _ATTRS.findall(html):
            if name == "class":
                self.classes.update(value.split())
            else:
                self.attrs.add((name, value))
        for script in _SCRIPT.findall(html):
            if script not in self._scripts:
                self._scripts.add(script)
                self.add_script(script)

    def add_script(self, js: str) -> None:
        """Every word of a script counts as a class: more than it uses, never less."""
        for word in _WORD.findall(js):
            self.classes.add(word)
            if word.endswith(("-", "_")):
                self.prefixes.add(word)

    def has_class(self, name: str) -> bool:
        return name in self.classes or any(name.startswith(p) for p in self.prefixes)

    def needs(self, selector: str) -> bool:
        for name, value in _SEL_ATTR.findall(selector):
            if name in CHECKED_ATTRS and (name, value) not in self.attrs:
                return False
        bare = re.sub(r"\[[^\]]*\]", "", _strip_parens(selector))
        return all(self.has_class(c) for c in _SEL_CLASS.findall(bare))


def _strip_parens(s: str) -> str:
    out, depth = [], 0
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _unquoted(text: str, i: int = 0):
    """(index, character) of `text` from `i` on, skipping quoted strings."""
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            j = i + 1
            while j < len(text) and not (text[j] == ch and text[j - 1] != "\\"):
                j += 1
            i = j + 1
            continue
        yield i, ch
        i += 1


def _split(text: str, sep: str) -> list[str]:
    """`text` split at `sep` outside parentheses, brackets and quotes."""
    parts, depth, start = [], 0, 0
    for i, ch in _unquoted(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _close(css: str, i: int) -> int:
    """The index of the brace that closes the block opened just before css[i]."""
    depth = 1
    for j, ch in _unquoted(css, i):
        depth += (ch == "{") - (ch == "}")
        if depth == 0:
            return j
    return len(css)


def _blocks(css: str, i: int = 0) -> tuple[list, int]:
    """[(prelude, body)] from css[i:] up to the closing brace of the enclosing block; body is a
    string of declarations, or a list for a grouping at-rule. Statements without a block
    (`@charset ...;`) come as (statement, None)."""
    out, start = [], i
    for i, ch in _unquoted(css, i):
        if i < start:
            continue  # inside a block already read
        if ch == ";" and css[start:i].lstrip().startswith("@"):
            out.append((css[start:i + 1].strip(), None))
            start = i + 1
        elif ch == "{":
            prelude = css[start:i].strip()
            if prelude.startswith(("@media", "@supports", "@layer", "@container")):
                body, end = _blocks(css, i + 1)
            else:
                end = _close(css, i + 1)
                body = css[i + 1:end]
            out.append((prelude, body))
            start = end + 1
        elif ch == "}":
            return out, i
    return out, len(css)


def _emit(blocks: list, used: Used) -> str:
    out = []
    for prelude, body in blocks:
        if body is None:
            out.append(prelude)
        elif isinstance(body, list):
            inner = _emit(body, used)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")  # @keyframes, @font-face, @page: as they are
        else:
            kept = [s for s in _split(prelude, ",") if used.needs(s)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


def slim_css(css: str, used: Used) -> str:
    """`css` without the rules no page of `used` can match, and without its source-map link."""
    blocks, _ = _blocks(_COMMENT.sub("", css))
    return _emit(blocks, used)


def used_in(site: Path) -> Used:
    used = Used()
    for page in site.rglob("*.html"):
        used.add_html(page.read_text(encoding="utf-8", errors="replace"))
    for script in site.glob("assets/**/*.js"):
        if script.name != "plotly.min.js":  # plotly styles itself; its words would keep nothing more
            used.add_script(script.read_text(encoding="utf-8", errors="replace"))
    return used


def slim_theme_css(site: Path, theme_dirs: list[str]) -> dict[str, tuple[int, int]]:
    """Cut the theme's minified stylesheets in `site` (re-read from the first theme folder that
    has them); {name: (bytes before, bytes after)}."""
    used, out = None, {}
    for target in sorted((site / "assets" / "stylesheets").glob("*.min.css")):
        source = next((Path(d) / "assets" / "stylesheets" / target.name for d in theme_dirs
                       if (Path(d) / "assets" / "stylesheets" / target.name).is_file()), target)
        used = used or used_in(site)
        css = source.read_text(encoding="utf-8")
        slim = slim_css(css, used)
        target.write_text(slim, encoding="utf-8")
        target.with_name(target.name + ".map").unlink(missing_ok=True)  # it maps the uncut file
        out[target.name] = (len(css.encode()), len(slim.encode()))
    return out
