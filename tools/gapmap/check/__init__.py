"""Stage 2: records → findings (schema findings come from loading; these add the rest)."""

from __future__ import annotations

from gapmap.core import progress
from gapmap.core.findings import Finding
from gapmap.check.crosswalk import check_crosswalk, check_external_ids
from gapmap.check.citations import check_citations
from gapmap.check.quantities import check_closed_gaps, check_quantities
from gapmap.check.references import check_references, check_structure
from gapmap.check.text import check_strings


@progress.staged("checking the map")
def check_map(kb) -> list[Finding]:
    """All findings for a loaded map, sorted by file and line."""
    findings = list(kb.findings)
    for doc in kb.documents.values():
        if doc.data is not None:
            findings.extend(check_strings(doc))
    findings.extend(check_references(kb))
    findings.extend(check_structure(kb))
    findings.extend(check_quantities(kb))
    findings.extend(check_crosswalk(kb))
    findings.extend(check_external_ids(kb))
    findings.extend(check_citations(kb))
    findings.extend(check_closed_gaps(kb))
    return sorted(set(findings))


__all__ = ["Finding", "check_map"]
