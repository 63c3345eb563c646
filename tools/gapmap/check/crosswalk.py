"""Crosswalks to other gap maps: every id named exists in that map's export, and each of its
gaps is either covered by one of ours or listed as not covered, never both. And ids on other
systems (a record's `external_ids`, a resource's DOI) name one record each.

*Covered*: one of our gaps lists the other map's gap id under `crosswalk`. *Not covered*: the id
is in crosswalk/<map>.yaml with a status (not-yet-written, out-of-scope) and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gapmap.core.external import external_map, known_maps
from gapmap.core.findings import Finding, finding


@dataclass
class Coverage:
    """One other map's gaps against ours: id -> our gap ids, or the reason it is not covered."""

    key: str
    covered: dict[str, list[str]] = field(default_factory=dict)
    uncovered: dict = field(default_factory=dict)  # id -> Uncovered
    missing: list[str] = field(default_factory=list)  # neither covered nor explained


def coverage(kb, key: str) -> Coverage:
    theirs = external_map(key)
    out = Coverage(key)
    for gid, gap in kb.gaps.items():
        for other in gap.crosswalk.get(key, []):
            out.covered.setdefault(other, []).append(gid)
    for entry in kb.uncovered.get(key, []):
        out.uncovered.setdefault(entry.id, entry)
    known = theirs.gaps if theirs else {}
    out.missing = [i for i in known if i not in out.covered and i not in out.uncovered]
    return out


def check_crosswalk(kb) -> list[Finding]:
    out = []
    for gid, gap in kb.gaps.items():
        for key, ids in gap.crosswalk.items():
            theirs = external_map(key)
            if theirs is None:
                file, pos = kb.where(gid, ("crosswalk", key), key=True)
                out.append(finding(file, pos, "unknown-crosswalk",
                                   f"no snapshot of a map called '{key}'; known maps: {', '.join(known_maps())}"))
                continue
            for i, other in enumerate(ids):
                if other not in theirs.gaps:
                    file, pos = kb.where(gid, ("crosswalk", key, i))
                    out.append(finding(file, pos, "unknown-crosswalk",
                                       f"'{other}' is not a gap of {theirs.name}'s export of {theirs.export_date}; "
                                       "copy the id from that export"))
    for key, entries in kb.uncovered.items():
        rel = f"crosswalk/{key.replace('_', '-')}.yaml"
        doc = kb.documents[rel]
        theirs = external_map(key)
        if theirs is None:
            out.append(finding(rel, (1, 1), "unknown-crosswalk",
                               f"no snapshot of a map called '{key}'; name the file after one of: "
                               f"{', '.join(k.replace('_', '-') for k in known_maps())}"))
            continue
        claimed = {other for gap in kb.gaps.values() for other in gap.crosswalk.get(key, [])}
        seen = set()
        for i, entry in enumerate(entries):
            pos = doc.where((i, "id"))
            if entry.id not in theirs.gaps:
                out.append(finding(rel, pos, "unknown-crosswalk",
                                   f"'{entry.id}' is not a gap of {theirs.name}'s export of {theirs.export_date}"))
            elif entry.id in claimed or entry.id in seen:
                where = "listed twice here" if entry.id in seen else "covered by one of our gaps"
                out.append(finding(rel, pos, "crosswalk-conflict",
                                   f"'{entry.id}' is {where} and listed as not covered; keep one"))
            seen.add(entry.id)
    return out


def check_external_ids(kb) -> list[Finding]:
    """Two records with the same id on another system (an `external_ids` entry, or a resource's
    DOI; both compared without case) are one thing written twice: the second in file order is
    reported at that id, naming the first."""
    out = []
    first: dict[tuple[str, str], str] = {}
    for _, rec in sorted(kb.records(), key=lambda pair: kb.path_of.get(pair[1].id, "")):
        named = [(key, value, ("external_ids", key)) for key, value in sorted(rec.external_ids.items())]
        if getattr(rec, "doi", None):
            named.append(("doi", rec.doi, ("doi",)))
        for key, value, path in named:
            earlier = first.setdefault((key, value.strip().lower()), rec.id)
            if earlier == rec.id:
                continue
            label = "DOI" if key == "doi" else f"{key} id"
            file, pos = kb.where(rec.id, path)
            out.append(finding(file, pos, "duplicate-external-id",
                               f"{label} '{value}' is already that of '{earlier}' ({kb.path_of[earlier]}); "
                               "one thing is recorded twice: merge the two records or correct the id"))
    return out
