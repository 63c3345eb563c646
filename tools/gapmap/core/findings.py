"""Findings: what a check says about a place in a file.

A *finding* is one problem at `file:line:column` with a stable `code` (see `codes.py`);
*severity* (`error` or `warning`) belongs to the code, never to the call site. Checks only produce findings; reporters render them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from gapmap.core.codes import severity_of


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str
    # the record id a reference finding is about, so callers match on data, not on message text
    subject: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("file", "line", "column", "severity", "code", "message")}

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.code}: {self.message}"


def finding(file: str, pos: tuple[int, int], code: str, message: str, subject: str | None = None) -> Finding:
    """A finding at `pos`; its severity is the code's, from the one registry (`codes.CODES`)."""
    return Finding(file, pos[0], pos[1], severity_of(code), code, message, subject)


def did_you_mean(word: str, choices) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
