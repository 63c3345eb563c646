"""Render a list of findings for a terminal, GitHub Actions annotations, or JSON."""

from __future__ import annotations

import json
from collections import Counter


def _counts(findings) -> dict:
    by = Counter(f.severity for f in findings)
    return {"errors": by["error"], "warnings": by["warning"], "by_code": dict(Counter(f.code for f in findings))}


def text(findings, records: int) -> str:
    lines = [str(f) for f in findings]
    c = _counts(findings)
    lines.append(f"{records} records checked: {c['errors']} error(s), {c['warnings']} warning(s)")
    return "\n".join(lines)


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(findings, records: int) -> str:
    lines = []
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        lines.append(f"::{level} file={_escape(f.file, True)},line={f.line},col={f.column},"
                     f"title={_escape(f.code, True)}::{_escape(f.message)}")
    c = _counts(findings)
    lines.append(f"{records} records checked: {c['errors']} error(s), {c['warnings']} warning(s)")
    return "\n".join(lines)


def as_json(findings, records: int) -> str:
    return json.dumps({
        "errors": [f.to_dict() for f in findings if f.severity == "error"],
        "warnings": [f.to_dict() for f in findings if f.severity == "warning"],
        "counts": {"records": records, **_counts(findings)},
    }, indent=2)


REPORTER_BY_NAME = {"text": text, "github": github, "json": as_json}
