"""Whitespace and punctuation noise removed from imported text, each removal counted.

A *normalisation* is a named, meaning-preserving repair (a trailing newline in a title, spaces
around a URL); the `Tally` counts them per (record kind, normalisation) for the import report.
Real defects (a missing description, a URL that is not http) are never repaired here.
"""

from __future__ import annotations

import re
from collections import Counter

from gapmap.check.text import CITATION

_SPACE_RUN = re.compile(r"\s+")
_TRAILING_LINE_SPACE = re.compile(r"[ \t]+\n")
_URL_TAIL = re.compile(r"[\s,;]+$")
# A sentence ends at . ! or ? followed by a space and a capital, digit, quote or bracket —
# unless the word before is an abbreviation or an initial ("e.g.", "U.S.", "J. Smith").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(\[])")
# A summary is plain text: a Markdown link keeps only its words.
_INLINE_LINK = re.compile(r"(?<!\\)\[([^\[\]]+)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]|\be\.g|\bi\.e|\betc|\bvs|\bal|\bDr|\bMr|\bMs|\bSt|\bNo|\bFig|\bU\.S)\.$")


class Tally(Counter):
    """(kind, normalisation) -> how many records it changed."""

    def note(self, kind: str, name: str, before: str, after: str) -> str:
        if before != after:
            self[(kind, name)] += 1
        return after


def title(tally: Tally, kind: str, text: str) -> str:
    """One line, single spaces, no edge whitespace."""
    stripped = tally.note(kind, "title-edge-whitespace", text, text.strip())
    return tally.note(kind, "title-inner-whitespace", stripped, _SPACE_RUN.sub(" ", stripped))


def url(tally: Tally, kind: str, text: str) -> str:
    """Edge whitespace and trailing list separators removed ("https://x.org/a ," -> "https://x.org/a")."""
    stripped = tally.note(kind, "url-edge-whitespace", text, text.strip())
    return tally.note(kind, "url-trailing-separator", stripped, _URL_TAIL.sub("", stripped))


def markdown(tally: Tally, kind: str, text: str) -> str:
    """Unix line ends, no trailing spaces on lines, no edge blank lines, and bracketed words that
    our Markdown would read as `[record-id]` citations escaped (they render the same)."""
    text = tally.note(kind, "description-line-endings", text, text.replace("\r\n", "\n").replace("\r", "\n"))
    text = tally.note(kind, "description-trailing-spaces", text, _TRAILING_LINE_SPACE.sub("\n", text))
    text = tally.note(kind, "description-edge-whitespace", text, text.strip())
    escaped = CITATION.sub(lambda m: f"\\[{m.group(1)}\\]", text)
    return tally.note(kind, "description-bracket-escaped", text, escaped)


def first_sentence(text: str) -> str:
    """The description's first sentence on one line, as plain text: the summary an import may
    derive (its words are the description's; only Markdown link targets are dropped)."""
    paragraph = text.strip().split("\n\n", 1)[0]
    paragraph = _INLINE_LINK.sub(r"\1", _SPACE_RUN.sub(" ", paragraph)).strip()
    for m in _SENTENCE_END.finditer(paragraph):
        head = paragraph[: m.start()]
        if not _ABBREVIATION.search(head):
            return head
    return paragraph
