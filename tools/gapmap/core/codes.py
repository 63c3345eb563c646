"""Every finding code, in one place: its severity, what it means and how to fix it.

`gapmap validate --explain CODE` and the site's "Finding codes" page both read this table.
"""

from __future__ import annotations

CODES: dict[str, tuple[str, str, str]] = {
    # code: (severity, what it means, how to fix it)
    "yaml-syntax": ("error", "The file is not valid YAML.", "Fix the syntax at the line shown; quote values containing ': ' or '#'."),
    "duplicate-key": ("error", "A key appears twice in one mapping. YAML tools silently keep the last one; we refuse.", "Delete one of the two keys."),
    "yaml-tag": ("error", "A YAML tag other than the core schema's (!!binary, !!set, !!omap, !ENV, !custom ...) on a value, list or mapping. Other tools would read it differently or not at all.", "Remove the tag and write the plain value."),
    "conflict-marker": ("error", "A merge-conflict marker line (<<<<<<<, =======, >>>>>>>) left by an unresolved git merge.", "Resolve the conflict: keep the right lines and delete the marker lines."),
    "yaml-alias": ("error", "An anchor/alias (&a, *a) or merge key (<<). Aliases can expand exponentially ('billion laughs').", "Write the value out in full."),
    "too-deep": ("error", "Nesting deeper than 40 levels.", "Records are shallow; flatten the structure."),
    "file-too-large": ("error", "The file is over 1 MiB.", "Records are short; split or shorten it."),
    "not-utf8": ("error", "The file is not UTF-8 text (or holds NUL bytes).", "Save it as UTF-8."),
    "empty-file": ("error", "The file holds no YAML document.", "Add the record's keys, or delete the file."),
    "not-a-mapping": ("error", "The top level is a list or a single value, not a mapping of keys.", "Start the file with `id: ...` and the other keys."),
    "bad-key": ("error", "A key is a list or mapping instead of a word.", "Use a plain key name."),
    "unreadable": ("error", "The file could not be read.", "Check its permissions."),
    "stray-file": ("warning", "A file in a record folder that is not a .yaml record.", "Rename it to <id>.yaml or move it out."),
    "stray-folder": ("error", "A sub-folder inside a record folder: records there would be ignored.", "Move its records up into the record folder."),
    "symlink": ("error", "A symbolic link in the map. Links are never followed (they could point out of the map, dangle or loop).", "Replace the link by a real file."),
    "wrong-folder": ("error", "A record of one kind sits in another kind's folder.", "Move the file to the folder the message names."),
    "unknown-key": ("error", "A key the record format does not have (often a typo).", "Fix the spelling (the message suggests the closest key) or remove it."),
    "missing-key": ("error", "A required key is absent.", "Add the key; `gapmap new` scaffolds a complete record."),
    "bad-type": ("error", "A value has the wrong type (text where a number is expected, a list where a mapping is).", "Write the value in the type the message names."),
    "bad-enum": ("error", "A value outside a closed list (role, kind, maturity, confidence, resource kind).", "Use one of the values the message lists."),
    "bad-id": ("error", "An id is not a lowercase slug of at most 80 characters, would read back from YAML as another type (yes, null, 0x1f, a number or a date), or is a name the site keeps for itself (index).", "Use lowercase words joined by single hyphens, with at least one word that is not a number."),
    "bad-value": ("error", "A value does not have the required form (e.g. a DOI).", "Follow the form the message shows."),
    "bad-number": ("error", "NaN or infinity where a finite number is needed.", "Write a finite number."),
    "out-of-range": ("error", "A number outside its range (years 1900–2200, scores 1–5, money > 0).", "Use a value within the range."),
    "bad-url": ("error", "A URL that is not http(s) with a host.", "Use a full https:// address."),
    "bad-distribution": ("error", "A distribution with missing or disordered parameters (p05 ≥ p95, low > high).", "Give `dist:` and its parameters in order, or a bare number."),
    "bad-model": ("error", "A cost model that cannot run: missing parameters, too few observations to fit, a parameter it would ignore, or a value outside what the model allows (a lognormal decline, shrinking production), or an experience curve to be fitted without cumulative production in at least three years (the latest included) or with cumulative production that falls.", "Add, remove or change what the message names."),
    "id-mismatch": ("error", "The record's id differs from its file name.", "Rename the file to <id>.yaml or fix the id."),
    "duplicate-id": ("error", "Two records share an id (ids are unique across all kinds).", "Rename one of them."),
    "duplicate-external-id": ("error", "Two records share an id on another system (the same `external_ids` entry, such as a gap-map.org UUID, or the same DOI): one thing written down twice.", "Merge the two records, or correct the id that was copied onto the wrong one."),
    "unknown-ref": ("error", "A reference to a record that does not exist (in a link list, or a `[record-id]` citation in Markdown).", "Fix the id (the message suggests the closest) or add the record."),
    "wrong-kind-ref": ("error", "A reference to a record of the wrong kind (e.g. a gap where a capability belongs).", "Link a record of the kind named."),
    "unknown-tag": ("error", "A tag that is not in tags.yaml.", "Use a listed tag or add the new tag to tags.yaml."),
    "self-reference": ("error", "A record links to itself (a gap among its own related gaps).", "Remove the link."),
    "duplicate-link": ("error", "The same capability is linked twice from one gap.", "Keep one link."),
    "requires-cycle": ("error", "Capabilities require each other in a cycle (or one requires itself).", "Remove one `requires` link of the cycle."),
    "control-char": ("error", "An invisible control or bidirectional character in text.", "Delete it; retype the text if unsure where."),
    "raw-html": ("error", "HTML markup in text. It never reaches the site as markup.", "Use Markdown instead."),
    "unsafe-link": ("error", "A javascript:, vbscript:, data: or file: link.", "Link with http(s) or a relative path."),
    "orphan-capability": ("warning", "No gap links to the capability and no capability requires it.", "Link it from the gap it serves."),
    "orphan-resource": ("warning", "Nothing cites the resource.", "Cite it from a record, or remove it."),
    "duplicate-url": ("warning", "Two resources share a URL: one source, two records.", "Cite the first one everywhere and remove the other."),
    "empty-field": ("warning", "A field with no gap.", "Add a gap to it, or remove it."),
    "no-necessary-capability": ("warning", "A gap with no necessary capability: nothing says what it cannot close without.", "Set role: necessary on the capability the gap depends on."),
    "placeholder-text": ("warning", "Text still holds the TODO placeholder written by `gapmap new`.", "Replace it with real content."),
    "mixed-basis": ("error", "A cost series mixes what it measures: realised prices or costs, estimates and projections.", "Keep one basis per series; move the others to a capability of their own, or drop them."),
    "mixed-dollars": ("error", "A cost series mixes dollar years and cannot be put in one: no dollar_year to convert to, or no price index for a year.", "Give the cost block a dollar_year and make sure deflators.yaml covers every year used."),
    "unknown-crosswalk": ("error", "A crosswalk names a map we hold no export of, or a gap id that map's export does not have.", "Copy the id from the map's export (its snapshot is in gapmap/core/data/)."),
    "crosswalk-conflict": ("error", "Another map's gap is both covered by one of ours and listed as not covered (or listed twice).", "Keep one: remove it from crosswalk/<map>.yaml or from the gap's crosswalk."),
    "uncited-figure": ("warning", "A sentence of a description states a figure (money, a percentage, a multiple, a large or decimal number) and neither it nor the sentence before cites a resource.", "Cite the source inline as [resource-id] in the same sentence."),
    "gap-already-closed": ("warning", "Every capability the gap needs exists (deployed or scaling, no build) and none has an unmet cost target, so the models say it closes now, for $0.", "Already closed? Say what is still missing: link the missing capability as necessary, or give the existing one its cost target."),
    "target-reached": ("warning", "A cost target that is not below the latest observed cost.", "Lower the target or update the observations."),
}


def severity_of(code: str) -> str:
    """The code's severity; an unregistered code is a programming error, caught by the tests."""
    return CODES[code][0]


def explain(code: str) -> str | None:
    if code not in CODES:
        return None
    severity, meaning, fix = CODES[code]
    return f"{code} ({severity})\n  {meaning}\n  Fix: {fix}"
