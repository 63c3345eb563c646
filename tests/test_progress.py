"""Progress and messages: every command takes --quiet and --verbose; progress goes to stderr
only, drawn in place on a terminal, plain lines without control characters elsewhere."""

from __future__ import annotations

import json
import re

import click
import pytest
from click.testing import CliRunner

from gapmap.cli import main
from gapmap.core import progress

CONTROL = re.compile(r"[\r\x1b\x08]")
TIMED = re.compile(r"^\s*loading the map: \d+\.\d\d s", re.M)


def _commands(group: click.Group = main, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield path + (name,)
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.mark.parametrize("path", [()] + list(_commands()), ids=lambda p: " ".join(p) or "gapmap")
def test_every_command_takes_quiet_and_verbose(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    for option in ("-q, --quiet", "-v, --verbose"):
        assert option in result.output, f"`gapmap {' '.join(path)}` has no {option}: registered without verbosity?"


def test_verbose_names_each_stage_with_its_time_on_stderr_and_json_stays_on_stdout(tiny_map):
    result = run("validate", "--kb", tiny_map, "--format", "json", "--verbose", env={"CI": "true"})
    assert json.loads(result.stdout)["counts"]["errors"] == 0
    assert TIMED.search(result.stderr) and re.search(r"checking the map: \d+\.\d\d s", result.stderr)
    assert "reading records: 7 in" in result.stderr
    assert f"{tiny_map.resolve()}: 1 fields, 2 gaps, 3 capabilities" in result.stderr
    assert not CONTROL.search(result.stderr), "plain output must not carry carriage returns or escapes"


def test_plain_output_at_the_normal_level_leaves_a_scripts_stderr_alone(tiny_map):
    result = run("validate", "--kb", tiny_map, env={"CI": "true"})
    assert result.exit_code == 0 and result.stderr == ""


def test_quiet_prints_no_stage_and_quiet_with_verbose_is_a_usage_error(tiny_map):
    quiet = run("-q", "graph", "stats", "--kb", tiny_map, "--json")
    assert quiet.stderr == "" and json.loads(quiet.stdout)["records"]["gap"] == 2
    both = run("validate", "--kb", tiny_map, "--quiet", "--verbose")
    assert both.exit_code == 2 and "not both" in both.output


def test_a_terminal_gets_a_bar_redrawn_in_place_and_erased(tiny_map, monkeypatch):
    monkeypatch.setattr(progress, "is_live", lambda stream: True)
    result = run("validate", "--kb", tiny_map, "--format", "json")
    assert json.loads(result.stdout)["counts"]["records"] == 7  # the bar never reaches stdout
    assert "\r\x1b[Kreading records [" + "#" * 30 + "] 7/7" in result.stderr
    assert "\r\x1b[Kchecking the map..." in result.stderr
    assert result.stderr.endswith("\r\x1b[K"), "the status line is erased when the command ends"


def test_ci_turns_the_terminal_bar_into_plain_lines(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert progress.is_live(Tty())
    monkeypatch.setenv("CI", "true")
    assert not progress.is_live(Tty())


def test_the_first_run_compilation_is_announced_even_in_plain_output(tiny_map, monkeypatch):
    from gapmap.cost import cache

    monkeypatch.setattr(cache, "kernels_on_disk", lambda: False)
    result = run("portfolio", "--kb", tiny_map, "--json", "--samples", "500", env={"CI": "true"})
    assert result.exit_code == 0 and "total" in json.loads(result.stdout)
    assert result.stderr.startswith("compiling cost kernels (first run only), then portfolio simulation...")
    assert not CONTROL.search(result.stderr)


def test_verbose_reports_result_cache_hits(tiny_map):
    args = ("schedule", "gap-one", "--kb", tiny_map, "--samples", "500", "--verbose")
    first, again = run(*args, env={"CI": "true"}), run(*args, env={"CI": "true"})
    assert re.search(r"schedule simulation: \d+\.\d\d s \(1 computed\)", first.stderr), first.stderr
    assert re.search(r"schedule simulation: \d+\.\d\d s \(1 from the result cache\)", again.stderr), again.stderr


def test_a_quiet_build_prints_only_where_the_site_went(tiny_map, tmp_path):
    result = run("build", "--kb", tiny_map, "--out", tmp_path / "site", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and result.stdout == f"site written to {tmp_path / 'site'}\n"


def test_a_verbose_build_times_the_cost_models_and_mkdocs_pages(tiny_map, tmp_path):
    result = run("build", "--kb", tiny_map, "--out", tmp_path / "site", "-v", env={"CI": "true"})
    assert result.exit_code == 0, result.output
    for stage in ("loading the map", "checking the map", "graph analytics", "cost models", "generating pages",
                  "graph layout", "building the site"):
        assert re.search(rf"{stage}: \d+\.\d\d s", result.stderr), stage
    assert re.search(r"record pages: 7 in", result.stderr) and re.search(r"writing pages: \d+ in", result.stderr)
    assert not CONTROL.search(result.stderr)


def test_library_calls_print_no_progress(tiny_map, capsys):
    from gapmap.load import load_map

    load_map(tiny_map)
    assert capsys.readouterr() == ("", "")


def test_the_plugin_hooks_that_page_progress_also_has_chain_to_it():
    """The plugin mixes PageProgress in; a hook of the same name that does not call super()
    silently drops a progress bar (it happened twice while merging)."""
    import inspect

    from gapmap.site.build_progress import PageProgress
    from gapmap.site.plugin import GapMapPlugin

    for name in (n for n in vars(PageProgress) if n.startswith("on_")):
        if name in vars(GapMapPlugin):
            assert "super()." + name in inspect.getsource(vars(GapMapPlugin)[name]), name
