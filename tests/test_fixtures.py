"""Every finding code has a failing fixture under tests/fixtures/<code>/ (tldr-lint style).

Each fixture folder is laid over a small sound map; the line marked `# expect: <code>` must get
exactly that finding, and nothing else may be reported.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gapmap.check import check_map
from gapmap.core.codes import CODES
from gapmap.load import load_map

from conftest import record, tiny_map_records, write_map

FIXTURES = Path(__file__).parent / "fixtures"
MARK = re.compile(r"#\s*expect:\s*([a-z-]+)")
GENERATED = {"file-too-large", "not-utf8", "unreadable", "symlink", "stray-folder"}  # built in test_load.py, test_walk.py


def _expected(folder: Path) -> list[tuple[str, str, int]]:
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            for n, line in enumerate(path.read_text().splitlines(), 1):
                m = MARK.search(line)
                if m:
                    out.append((m.group(1), path.relative_to(folder).as_posix(), n))
    return out


def test_every_code_has_a_fixture():
    have = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert set(CODES) - GENERATED == have


@pytest.mark.parametrize("code", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_fixture_yields_exactly_its_code_at_its_line(code, tmp_path):
    caps = [p.stem for p in (FIXTURES / code).glob("capabilities/*.yaml")]
    # Link the fixture's capabilities from a gap so they are not orphans (except in that fixture).
    links = [] if code == "orphan-capability" else [{"capability": c, "role": "partial"} for c in caps]
    extra = [record("gap", "fixture-links", capabilities=[{"capability": "cap-a"}] + links)]
    kb = write_map(tmp_path / "kb", *tiny_map_records(), *extra)
    shutil.copytree(FIXTURES / code, kb, dirs_exist_ok=True)
    expected = _expected(FIXTURES / code)
    findings = check_map(load_map(kb))
    got = [(f.code, f.file, f.line) for f in findings]
    assert got == expected, "\n".join(str(f) for f in findings)
    assert all(f.message.strip() for f in findings)
