"""What is left unconnected in a map — the one definition that validation, the graph summary and
the import report all use.

A *shape* is the little a structural rule needs of a map (its links, citations and URLs), built
from loaded records, from the graph, or from an export's raw dicts; `unconnected` applies the
rules to it. An *orphan* capability is one no gap links and no capability requires; an orphan
resource is one nothing cites; an empty field holds no gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gapmap.model.records import NEEDED_ROLES


@dataclass
class Shape:
    fields: list[str] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    gap_field: dict[str, str | None] = field(default_factory=dict)  # gap -> its field
    gap_links: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)  # gap -> [(capability, role)]
    requires: dict[str, list[str]] = field(default_factory=dict)  # capability -> prerequisites
    cited: set[str] = field(default_factory=set)  # resources some record cites
    urls: dict[str, str] = field(default_factory=dict)  # resource -> URL, in the order files are read


@dataclass
class Unconnected:
    orphan_capabilities: list[str]
    orphan_resources: list[str]
    empty_fields: list[str]
    gaps_without_capabilities: list[str]
    gaps_without_necessary: list[str]  # links capabilities, none of them necessary
    duplicate_urls: list[tuple[str, str]]  # (resource, the earlier resource holding its URL)


def url_key(url: str) -> str:
    """Two URLs name one source when they differ only in case or a trailing slash."""
    return url.rstrip("/").lower()


def unconnected(shape: Shape) -> Unconnected:
    linked = {cap for links in shape.gap_links.values() for cap, _ in links}
    required = {r for reqs in shape.requires.values() for r in reqs}
    fields_used = set(shape.gap_field.values())
    first: dict[str, str] = {}
    duplicates = []
    for rid, url in shape.urls.items():
        key = url_key(url)
        if key in first:
            duplicates.append((rid, first[key]))
        else:
            first[key] = rid
    return Unconnected(
        orphan_capabilities=[c for c in shape.capabilities if c not in linked and c not in required],
        orphan_resources=[r for r in shape.resources if r not in shape.cited],
        empty_fields=[f for f in shape.fields if f not in fields_used],
        gaps_without_capabilities=[g for g, links in shape.gap_links.items() if not links],
        gaps_without_necessary=[g for g, links in shape.gap_links.items()
                                if links and not any(role in NEEDED_ROLES for _, role in links)],
        duplicate_urls=duplicates,
    )


def shape_of_map(kb) -> Shape:
    """The shape of a loaded map (valid records only)."""
    cited = {r for _, rec in kb.records() for r in rec.resources}
    for cap in kb.capabilities.values():
        if cap.build and cap.build.source:
            cited.add(cap.build.source)
        if cap.cost:
            cited.update(o.source for o in cap.cost.observations)
    if kb.deflators is not None:
        cited.add(kb.deflators.source)
    return Shape(
        fields=list(kb.fields), capabilities=list(kb.capabilities), resources=list(kb.resources),
        gap_field={gid: g.field for gid, g in kb.gaps.items()},
        gap_links={gid: [(l.capability, l.role) for l in g.capabilities] for gid, g in kb.gaps.items()},
        requires={cid: list(c.requires) for cid, c in kb.capabilities.items()},
        cited=cited, urls={rid: r.url for rid, r in kb.resources.items()},
    )
