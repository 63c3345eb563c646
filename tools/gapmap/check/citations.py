"""Figures cite their sources: a sentence of a description that states a figure must cite a
resource inline, in that sentence or the one before.

A *figure* is an amount of money, a percentage, a multiple ("10-fold", "100×"), a number with a
magnitude word ("54 million"), or a number written with a thousands separator or decimals;
bare years and small counts are not figures. A *citation* is `[resource-id]` or a backticked
resource id, the two forms the site turns into links.
"""

from __future__ import annotations

import re

from gapmap.core.findings import Finding, finding

FIGURE = re.compile(
    r"[$£€]\s?\d"
    r"|\d\s?(?:%|percent\b|per\s?cent\b|×|-fold\b|\s?fold\b)"
    r"|\b\d+(?:[.,]\d+)?\s?(?:thousand|million|billion|trillion)\b"
    r"|\b\d{1,3}(?:,\d{3})+\b"
    r"|\b\d+\.\d+\b",
    re.IGNORECASE,
)
CITED = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\](?![(\[:])|`([a-z0-9]+(?:-[a-z0-9]+)*)`")
# the whole figure around a match, for the message: "$1.2 billion", "11,500", "98.4%"
_WHOLE = re.compile(r"[$£€]?\s?\d[\d,.]*(?:\s?(?:thousand|million|billion|trillion|%|×|-fold))?", re.IGNORECASE)
# a sentence ends at . ! or ? followed by space and a capital/opening mark, or at a blank line;
# "e.g. x", "$1.5 billion" and "Fig. 2" do not end one
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'“\[])|\n\s*\n")


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pieces of `text`, in order."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, text[start:m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return out


def _cites_a_resource(sentence: str, resources) -> bool:
    return any((m.group(1) or m.group(2)) in resources for m in CITED.finditer(sentence))


def uncited_figures(text: str, resources) -> list[tuple[int, str]]:
    """(offset, figure) for the first uncited figure of each sentence that has one."""
    out = []
    previous_cites = False
    for offset, sentence in sentences(text):
        cites = _cites_a_resource(sentence, resources)
        m = FIGURE.search(sentence)
        if m and not cites and not previous_cites:
            whole = _WHOLE.match(sentence, m.start())
            out.append((offset + m.start(), (whole.group(0) if whole else m.group(0)).strip()))
        previous_cites = cites
    return out


def check_citations(kb) -> list[Finding]:
    out = []
    for kind, rec in kb.records():
        if kind == "resource" or not rec.description:
            continue
        doc = kb.documents[kb.path_of[rec.id]]
        for offset, figure in uncited_figures(rec.description, kb.resources):
            out.append(finding(doc.path, doc.where_in(("description",), rec.description, offset), "uncited-figure",
                               f"the figure '{figure}' has no source: cite a resource inline as [resource-id] "
                               "in this sentence or the one before"))
    return out
