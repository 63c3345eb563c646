"""What an import did: records written, normalisations counted, and the export's defects.

A *defect* is a problem of the source data that the import keeps as it is (a record with no
description, a URL that is not http); its `code` and `severity` are the finding `gapmap
validate` will report for that record, so the report says in advance what validation will say.
A *note* is a problem validation cannot see (two resources with the same URL, a dropped link).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gapmap.interop.normalise import Tally
from gapmap.model.records import FOLDER_BY_KIND


@dataclass(frozen=True, order=True)
class Defect:
    kind: str
    id: str
    severity: str
    code: str
    message: str

    @property
    def file(self) -> str:
        return f"{FOLDER_BY_KIND[self.kind]}/{self.id}.yaml"


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    normalisations: Tally = field(default_factory=Tally)
    defects: list[Defect] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_converted: list[str] = field(default_factory=list)  # records left out, each with the reason

    def expected_findings(self) -> set[tuple[str, str, str]]:
        """(file, severity, code) that `gapmap validate` should report on the imported map."""
        return {(d.file, d.severity, d.code) for d in self.defects}

    def render(self) -> str:
        lines = ["records: " + ", ".join(f"{n} {FOLDER_BY_KIND[k]}" for k, n in self.counts.items())]
        if self.normalisations:
            lines.append(f"normalised ({sum(self.normalisations.values())} changes):")
            for (kind, name), n in sorted(self.normalisations.items()):
                lines.append(f"  {kind:<10} {name:<30} {n}")
        by_severity = Counter(d.severity for d in self.defects)
        lines.append(f"defects of the export kept as they are ({by_severity['error']} error(s), "
                     f"{by_severity['warning']} warning(s) for `gapmap validate`):")
        lines.extend(f"  {d.severity}: {d.code}: {d.file}: {d.message}" for d in sorted(self.defects))
        if self.not_converted:
            lines.append(f"NOT CONVERTED ({len(self.not_converted)} record(s) left out of the map):")
            lines.extend(f"  {line}" for line in self.not_converted)
        if self.notes:
            lines.append(f"notes ({len(self.notes)}; validation cannot see these):")
            lines.extend(f"  {note}" for note in self.notes)
        return "\n".join(lines)
