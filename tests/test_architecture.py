"""ARCHITECTURE.md stays true: it names every module of every stage, and no stage imports a
later one (the pipeline load → check → graph → cost → site, with core and model under all)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "tools" / "gapmap"
DOC = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")

# what each folder may import from the package (besides itself)
ALLOWED = {
    "core": set(),
    "model": {"core"},
    "load": {"core", "model"},
    "check": {"core", "model", "load"},
    "graph": {"core", "model", "load", "check"},
    "cost": {"core", "model", "load", "check", "graph"},
    "interop": {"core", "model", "load", "check", "graph"},
    "edit": {"core", "model", "load"},
    "site": {"core", "model", "load", "check", "graph", "cost", "interop"},
    "cli": {"core", "model", "load", "check", "graph", "cost", "site", "interop", "edit"},
}


def _stage_modules():
    for folder in sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        for module in sorted(folder.glob("*.py")):
            if module.name != "__init__.py":
                yield folder.name, module


def _section(folder: str) -> str:
    m = re.search(rf"^\*\*{folder}/\*\*(.*?)(?=^\*\*[a-z]+/\*\*|^## )", DOC, re.S | re.M)
    assert m, f"ARCHITECTURE.md has no section for {folder}/ (a paragraph starting **{folder}/**)"
    return m.group(1)


def test_every_stage_folder_is_allowed_a_place():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(ALLOWED), "a new package folder needs a place in ALLOWED and ARCHITECTURE.md"


@pytest.mark.parametrize("folder,module", list(_stage_modules()), ids=lambda v: getattr(v, "name", v))
def test_architecture_names_every_module(folder, module):
    assert f"`{module.name}`" in _section(folder), (
        f"ARCHITECTURE.md does not mention {folder}/{module.name}: say in the {folder}/ paragraph what it owns")


@pytest.mark.parametrize("folder,module", list(_stage_modules()), ids=lambda v: getattr(v, "name", v))
def test_no_stage_imports_a_later_one(folder, module):
    imported = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gapmap."):
            imported.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            imported.update(a.name.split(".")[1] for a in node.names if a.name.startswith("gapmap."))
    later = {name for name in imported - {folder} if name in ALLOWED} - ALLOWED[folder]
    assert not later, f"{folder}/{module.name} imports {sorted(later)}, which {folder}/ may not use"
