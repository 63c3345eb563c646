"""The site does not depend on one generator: `gapmap pages` writes a folder that plain MkDocs
(no plugin) and Zensical build, and ProperDocs (a maintained fork of MkDocs 1.x) builds the
map with the plugin in place of MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gapmap.cli import main

from conftest import tiny_map_records, write_map

TEMPLATE = Path(__file__).parents[1] / "tools" / "gapmap" / "site" / "templates" / "mkdocs.yml"
ENV = os.environ | {"NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return write_map(tmp_path_factory.mktemp("gen") / "kb", *tiny_map_records())


def _record_pages(kb: Path) -> list[str]:
    return sorted(f"{folder}/{p.stem}/index.html" for folder in ("fields", "gaps", "capabilities", "resources")
                  for p in (kb / folder).glob("*.yaml"))


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert path, f"{name} is not installed; it is in the [test] extras"
    return path


@pytest.fixture(scope="module")
def pages(tiny, tmp_path_factory):
    out = tmp_path_factory.mktemp("pages") / "folder"
    result = CliRunner().invoke(main, ["pages", "--kb", str(tiny), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((out / "mkdocs.yml").read_text())["plugins"] == ["search"]
    return out


def test_plain_mkdocs_builds_the_pages_folder_without_the_plugin(tiny, pages, tmp_path):
    subprocess.run([_tool("mkdocs"), "build", "-q", "-f", str(pages / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                   check=True, env=ENV, capture_output=True)
    for page in _record_pages(tiny):
        assert (tmp_path / "site" / page).is_file(), page


def test_zensical_builds_the_pages_folder(tiny, pages, tmp_path):
    work = tmp_path / "z"
    shutil.copytree(pages, work)
    subprocess.run([_tool("zensical"), "build"], cwd=work, check=True, env=ENV, capture_output=True)
    for page in _record_pages(tiny):
        assert (work / "site" / page).is_file(), page


def test_properdocs_builds_the_map_with_the_plugin(tiny, tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(tiny, kb)
    shutil.copy(TEMPLATE, kb / "mkdocs.yml")
    (kb / "docs").mkdir()
    subprocess.run([_tool("properdocs"), "build", "-q", "-f", "mkdocs.yml", "-d", str(tmp_path / "site")],
                   cwd=kb, check=True, env=ENV, capture_output=True)
    for page in _record_pages(kb):
        assert (tmp_path / "site" / page).is_file(), page


def test_pages_refuses_to_write_over_the_map(tiny):
    result = CliRunner().invoke(main, ["pages", "--kb", str(tiny), "--out", str(tiny), "--force"])
    assert result.exit_code == 2 and "would replace the map" in result.output
    assert (tiny / "gaps").is_dir()
