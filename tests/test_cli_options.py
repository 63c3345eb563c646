"""Option values that start with '-' are usage errors (exit 2) unless attached with '=', for
every command: `--out --force` is a forgotten value, never a folder named '--force'."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gapmap.cli import main


@pytest.mark.parametrize("args", [
    ["export", "--format", "json", "--out", "--force"],
    ["export", "--format", "--json", "--out", "x.json"],
    ["build", "--out", "--strict"],
    ["pages", "--out", "--force"],
    ["import", "gapmap-org", ".", "--out", "--force"],
    ["new", "gap", "a-gap", "--title", "--kb"],
    ["new", "gap", "a-gap", "--field", "-x"],
    ["validate", "--changed-since", "--output=/tmp/x"],
    ["graph", "leverage", "--kb", "--json"],
    ["cost", "x", "--samples", "-5"],
])
def test_a_value_that_looks_like_an_option_is_a_usage_error(tiny_map, monkeypatch, args):
    monkeypatch.chdir(tiny_map)
    before = sorted(p.name for p in tiny_map.iterdir())
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "looks like an option" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tiny_map.iterdir()) == before


def test_an_attached_value_is_taken_literally(tiny_map, tmp_path):
    out = tmp_path / "-odd-name.json"
    result = CliRunner().invoke(main, ["export", "--format", "json", f"--out={out}", "--kb", str(tiny_map)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
