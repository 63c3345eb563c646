"""Record ids for imported records: slugs made valid, short and unique across the whole map.

A *base* is the slug a record would like (the export's slug, or one made from a resource's
title); a *claim* is (kind order, UUID, base). Claims are granted in that order, so the same
export always yields the same ids: the first claimant keeps the bare base, later ones get
-2, -3, ...
"""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _transliterated_slug

MAX_ID = 80
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


def assign_ids(claims: list[tuple[int, str, str]]) -> dict[str, str]:
    """UUID -> unique id for every claim (kind order, UUID, base); bases must be valid slugs."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for _, uuid, base in sorted(claims):
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            suffix = f"-{n}"
            candidate = truncate(base, MAX_ID - len(suffix)) + suffix
        taken.add(candidate)
        out[uuid] = candidate
    return out
