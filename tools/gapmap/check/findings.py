"""Findings: what a check says about a place in a file.

A *finding* is one problem at `file:line:column` with a stable `code` (see `codes.py`);
*severity* is `error` or `warning`. Checks only produce findings; reporters render them.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.code}: {self.message}"


def error(file: str, pos: tuple[int, int], code: str, message: str) -> Finding:
    return Finding(file, pos[0], pos[1], "error", code, message)


def warning(file: str, pos: tuple[int, int], code: str, message: str) -> Finding:
    return Finding(file, pos[0], pos[1], "warning", code, message)


def did_you_mean(word: str, choices) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
