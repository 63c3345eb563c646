"""Record ids for imported records: slugs made valid, short and unique across the whole map.

A *base* is the slug a record would like (the export's slug, or one made from a resource's
title); a *claim* is (kind order, UUID, base). Claims are granted in that order, so the same
export always yields the same ids: the first claimant keeps the bare base, later ones get
-2, -3, ...
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID = 80
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’‘`]")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by single hyphens ("We Don’t Know" -> "we-dont-know")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", _APOSTROPHES.sub("", ascii_text).lower()).strip("-")


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
