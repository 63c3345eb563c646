"""The base install (what the pre-commit hooks get) validates and formats a map without the
heavy stack; the graph, models and site come with the `full` extra."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import yaml

from conftest import REPO, tiny_map_records, write_map

HEAVY = ("numba", "numpy", "plotly", "mkdocs", "material", "networkx", "scipy", "pandas")
BASE = {"pydantic", "pyyaml", "click", "ruamel.yaml", "markdown-it-py", "python-slugify"}

_PROBE = """
import json, sys
from click.testing import CliRunner
from gapmap.cli import main
runner = CliRunner()
results = [runner.invoke(main, args) for args in (["validate", "--kb", sys.argv[1]],
                                                  ["validate", "--kb", sys.argv[1], "--format", "github"],
                                                  ["fmt", "--kb", sys.argv[1]], ["fmt", "--check", "--kb", sys.argv[1]])]
print(json.dumps({"codes": [r.exit_code for r in results], "output": [r.output for r in results],
                  "loaded": sorted(m for m in sys.modules if m.split(".")[0] in %r)}))
""" % (HEAVY,)


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(REPO / "tools"), "PATH": "/usr/bin:/bin"})


def test_validate_and_fmt_import_nothing_heavy(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    done = _run(_PROBE, str(kb))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["codes"] == [0, 0, 0, 0], result["output"]
    assert "0 error(s)" in result["output"][0]
    assert result["loaded"] == [], f"gapmap validate/fmt imported {result['loaded']}"


def test_a_command_needing_the_full_extra_says_how_to_install_it(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    code = ("import sys; sys.modules['networkx'] = None\n"  # as on a base install
            "from gapmap.cli import main\n"
            "main(['graph', 'stats', '--kb', sys.argv[1]])")
    done = _run(code, str(kb))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "pip install 'open-gap-map[full]'" in done.stderr


def _name(requirement: str) -> str:
    for stop in "<>=[;! ":
        requirement = requirement.split(stop)[0]
    return requirement.lower()


def test_the_base_install_is_the_light_one():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert {_name(r) for r in project["dependencies"]} == BASE
    full = {_name(r) for r in project["optional-dependencies"]["full"]}
    assert {"numba", "numpy", "plotly", "mkdocs", "mkdocs-material", "networkx"} <= full
    assert "open-gap-map[full]" in project["optional-dependencies"]["test"], "tests need the whole stack"


def test_the_pre_commit_hooks_run_on_the_base_install():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"gapmap-validate", "gapmap-fmt"}
    for hook in hooks:
        assert hook["language"] == "python" and not hook.get("additional_dependencies")
        assert hook["entry"].split()[:2] in (["gapmap", "validate"], ["gapmap", "fmt"])


_VALIDATE_ONLY = """
import gc, json, sys
from click.testing import CliRunner
from gapmap.cli import main
result = CliRunner().invoke(main, ["validate", "--kb", sys.argv[1]])
print(json.dumps({"code": result.exit_code, "gc": gc.isenabled(),
                  "loaded": sorted(m for m in sys.modules if m.startswith(("gapmap.interop", "gapmap.graph",
                                                                           "gapmap.cost", "gapmap.site", "gapmap.edit")))}))
"""


def test_validate_of_the_whole_map_imports_only_what_it_uses(tmp_path):
    """No git helpers without --changed-since/--paths, no later stage; the garbage collector
    validate pauses is running again afterwards (the command may run inside another program)."""
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    done = _run(_VALIDATE_ONLY, str(kb))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == {"code": 0, "gc": True, "loaded": []}, result
