"""Our records are written in our own words: no run of 10 words copied from the gap-map.org export."""

from __future__ import annotations

import json
import re

import pytest

from gapmap.load import load_map

from conftest import EXPORT, REPO

RUN = 10
WORD = re.compile(r"[a-z0-9]+")


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.mark.skipif(not EXPORT.is_dir(), reason="the gap-map.org export is not beside the repository")
def test_no_ten_word_run_is_copied_from_the_export():
    theirs: set = set()
    for name in ("fields", "gaps", "capabilities", "resources"):
        for item in json.loads((EXPORT / f"{name}.json").read_text()):
            for key in ("description", "summary"):
                theirs |= _shingles(item.get(key) or "")
    copied = []
    for _, rec in load_map(REPO).records():
        for key in ("summary", "description", "outcome"):
            text = getattr(rec, key, None) or ""
            if _shingles(text) & theirs:
                copied.append(f"{rec.id}.{key}: {' '.join(sorted(_shingles(text) & theirs)[0])}")
    assert not copied, copied
