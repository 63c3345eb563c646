"""The other gap maps a record may point at, with the gap ids each one publishes.

A crosswalk entry names a map by key (`gapmap_org`) and one of that map's gap ids; the ids are
checked against a snapshot of the map's public export kept in `core/data/`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class ExternalMap:
    key: str  # as written in records: crosswalk: {gapmap_org: [...]}
    name: str  # for people: "gap-map.org"
    url: str
    export_date: str
    gaps: dict  # id -> {"title", "field", "slug"}


_SNAPSHOTS = {"gapmap_org": "gapmap-org-gaps.json"}


@cache
def external_map(key: str) -> ExternalMap | None:
    """The snapshot of map `key`, or None for a map we hold no snapshot of."""
    name = _SNAPSHOTS.get(key)
    if name is None:
        return None
    data = json.loads(resources.files("gapmap.core").joinpath("data", name).read_text(encoding="utf-8"))
    return ExternalMap(key, data["map"], data["url"], data["export_date"], data["gaps"])


def known_maps() -> list[str]:
    return sorted(_SNAPSHOTS)
