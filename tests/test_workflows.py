"""The CI workflows parse, use the Pages actions, and every `gapmap ...` command line in them
names a command and options that exist in the `gapmap` click group."""

from __future__ import annotations

import re
import shlex

import click
import pytest
import yaml

from conftest import REPO
from gapmap.cli import main

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def _load(path):
    return yaml.load(path.read_text(), Loader=yaml.BaseLoader)  # BaseLoader: `on:` stays a string key


def gapmap_lines(text: str) -> list[str]:
    """Every command line starting with `gapmap` in shell `run:` blocks (after `&&` too)."""
    lines = []
    for raw in text.splitlines():
        for part in re.split(r"&&|\|\||;", raw):
            part = part.strip()
            if part.startswith("gapmap "):
                lines.append(part)
    return lines


def resolve(argv: list[str]) -> tuple[click.Command | None, list[str], str]:
    """(command, its remaining arguments, path) for `gapmap` arguments; None if not registered."""
    command: click.Command = main
    path = "gapmap"
    while isinstance(command, click.Group) and argv and not argv[0].startswith("-"):
        name, argv = argv[0], argv[1:]
        path += f" {name}"
        command = command.commands.get(name)
        if command is None:
            return None, argv, path
    return command, argv, path


def unknown_options(command: click.Command, argv: list[str]) -> list[str]:
    known = {opt for p in command.params for opt in p.opts + p.secondary_opts} | {"--help", "-h"}
    return [a.split("=", 1)[0] for a in argv if a.startswith("-") and a.split("=", 1)[0] not in known]


def _runs(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_parses_with_jobs_and_steps(path):
    workflow = _load(path)
    assert workflow["on"] and workflow["jobs"]
    for job in workflow["jobs"].values():
        assert job["runs-on"] and all("run" in s or "uses" in s for s in job["steps"])


def test_validate_workflow_runs_the_checks_a_pull_request_needs():
    workflow = _load(REPO / ".github" / "workflows" / "validate.yml")
    assert "pull_request" in workflow["on"]
    runs = "\n".join(_runs(workflow))
    for expected in ("pip install -q -e '.[test]'", "gapmap validate --kb . --format github",
                     "--changed-since \"origin/${{ github.base_ref }}\"", "gapmap build --strict", "pytest"):
        assert expected in runs


def test_pages_workflow_uploads_and_deploys_the_built_site():
    workflow = _load(REPO / ".github" / "workflows" / "pages.yml")
    uses = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    build = next(s for s in workflow["jobs"]["build"]["steps"] if "gapmap build" in s.get("run", ""))
    upload = next(s for s in workflow["jobs"]["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert f"--out {upload['with']['path']}" in build["run"]


def _command_lines():
    for path in WORKFLOWS:
        for run in _runs(_load(path)):
            for line in gapmap_lines(run):
                yield pytest.param(line, id=f"{path.name}: {line}")
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        yield pytest.param(hook["entry"], id=f".pre-commit-hooks.yaml: {hook['id']}")
    for doc in DOCS:
        for line in documented_lines((REPO / doc).read_text()):
            yield pytest.param(line, id=f"{doc}: {line}")


# What contributors read: each command they are told to type must exist too.
DOCS = ("CONTRIBUTING.md", ".github/pull_request_template.md", "README.md", "site_src/contributing.md")


def documented_lines(markdown: str) -> list[str]:
    """`gapmap ...` lines of shell code blocks and of inline code, trailing comments dropped."""
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", markdown, re.S)
    inline = re.findall(r"`(gapmap [^`\n]+)`", markdown)
    return [shlex.join(shlex.split(line, comments=True)) for text in blocks + inline for line in gapmap_lines(text)]


@pytest.mark.parametrize("line", list(_command_lines()))
def test_every_gapmap_command_line_names_a_real_command_and_options(line):
    argv = shlex.split(line, comments=True)[1:]
    command, rest, path = resolve(argv)
    assert command is not None, f"`{path}` is not a gapmap command"
    assert not isinstance(command, click.Group), f"`{path}` is a group; name a subcommand"
    assert unknown_options(command, rest) == [], f"`{path}` has no such option"


def test_the_checker_catches_a_misspelt_option_and_an_unknown_command():
    command, rest, _ = resolve(["validate", ".", "--formatt", "github"])
    assert unknown_options(command, rest) == ["--formatt"]
    assert resolve(["deploy"])[0] is None
    assert resolve(["import", "gapmap-org", "src"])[0].name == "gapmap-org"


def test_documented_commands_are_found_in_code_blocks_and_inline_code():
    text = "Run `gapmap validate && gapmap fmt --check`.\n```sh\ngapmap new gap x --title 'A b'  # scaffold\n```\n"
    assert sorted(documented_lines(text)) == ["gapmap fmt --check", "gapmap new gap x --title 'A b'",
                                              "gapmap validate"]
