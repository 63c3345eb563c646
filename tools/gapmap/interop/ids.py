"""Record ids for imported records: slugs made valid, short and unique across the whole map.

A *base* is the slug a record would like (the export's slug, or one made from a resource's
title); a *claim* is (kind order, UUID, position in its list, base). Claims are granted in that
order, so the same export always yields the same ids: the first claimant keeps the bare base,
later ones get -2, -3, ... Every claim gets its own id, so two records sharing a UUID are both
kept. Each id also obeys the one id rule (`core.ids`): a base YAML would read as another type,
or a reserved page name, gets the record's kind appended ("1984" -> "1984-resource").
"""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _transliterated_slug

from gapmap.core.ids import MAX_ID

EMPTY_SLUG = "untitled"
_APOSTROPHES = re.compile(r"['’‘`ʼ]")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by single hyphens, never empty.

    Letters of any script are transliterated by python-slugify (text-unidecode's tables):
    "We Don’t Know" -> "we-dont-know", "Γνῶσις" -> "gnosis", "Café" -> "cafe",
    "中文" -> "zhong-wen". A text with nothing to transliterate (emoji only) is spelled by its
    characters' Unicode names ("🧬" -> "dna-double-helix"); an empty text is "untitled".
    """
    slug = _transliterated_slug(_APOSTROPHES.sub("", text))
    if not slug:
        names = [unicodedata.name(ch, "") for ch in text if unicodedata.category(ch)[0] in "LNS"]
        slug = _transliterated_slug(" ".join(names))
    return slug or EMPTY_SLUG


def truncate(slug: str, limit: int = MAX_ID) -> str:
    """`slug` cut to at most `limit` characters, at a hyphen when one is available."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if slug[limit] != "-" and "-" in cut:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-")


def valid_base(base: str, kind: str) -> str:
    """`base` made to obey the one id rule, keeping it recognisable."""
    from gapmap.core.ids import id_problem

    if not id_problem(base):
        return base
    suffix = f"-{kind}"
    fixed = truncate(base, MAX_ID - len(suffix)) + suffix
    return fixed if not id_problem(fixed) else kind


def assign_ids(claims: list[tuple[int, str, int, str]]) -> dict[tuple[int, int], str]:
    """(kind order, position) -> unique id for every claim (kind order, UUID, position, base);
    bases must be valid ids. Linear: each base remembers the last suffix it handed out, so a
    thousand records with one title do not each count up from -2."""
    taken: set[str] = set()
    next_n: dict[str, int] = {}
    out: dict[tuple[int, int], str] = {}
    for rank, _, index, base in sorted(claims):
        candidate, n = base, next_n.get(base, 1)
        if n > 1:
            candidate = truncate(base, MAX_ID - len(f"-{n}")) + f"-{n}"
        while candidate in taken:
            n += 1
            suffix = f"-{n}"
            candidate = truncate(base, MAX_ID - len(suffix)) + suffix
        next_n[base] = n
        taken.add(candidate)
        out[(rank, index)] = candidate
    return out
