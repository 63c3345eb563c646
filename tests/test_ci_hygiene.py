"""CI hygiene: actions on their current majors, dependabot watching them and pip, and each
validation finding annotated once per run of validate.yml."""

from __future__ import annotations

import re

import yaml

from conftest import REPO

# Current majors (all on the Node 24 runtime), checked against their releases on 2026-12-03.
CURRENT = {"actions/checkout": 7, "actions/setup-python": 7, "actions/upload-pages-artifact": 5,
           "actions/deploy-pages": 5, "actions/github-script": 9}


def _steps(path):
    workflow = yaml.load(path.read_text(), Loader=yaml.BaseLoader)
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_every_action_is_on_its_current_major():
    seen = set()
    for path in sorted((REPO / ".github" / "workflows").glob("*.yml")):
        for step in _steps(path):
            if "uses" not in step:
                continue
            name, _, version = step["uses"].partition("@")
            assert name in CURRENT, f"{path.name}: {name} is not in the list of checked actions"
            assert re.fullmatch(rf"v{CURRENT[name]}(\.\d+)*", version), f"{path.name}: {step['uses']}"
            seen.add(name)
    assert {"actions/checkout", "actions/setup-python", "actions/upload-pages-artifact", "actions/deploy-pages"} <= seen


def test_dependabot_watches_the_actions_and_pip():
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())
    assert config["version"] == 2
    assert {u["package-ecosystem"] for u in config["updates"]} >= {"github-actions", "pip"}


def _annotating(step, event: str) -> bool:
    """Whether a step runs `gapmap validate --format github` on `event`."""
    run = step.get("run", "")
    if "gapmap validate" not in run:
        return False
    if step.get("if") and event not in step["if"]:
        return False
    if "--format github" in run:
        return True
    fmt = (step.get("env") or {}).get("FORMAT", "")
    if "--format \"$FORMAT\"" in run:  # ${{ github.event_name == 'pull_request' && 'text' || 'github' }}
        chosen = re.search(r"== '(\w+)' && '(\w+)' \|\| '(\w+)'", fmt)
        return (chosen[2] if event == chosen[1] else chosen[3]) == "github"
    return False


def test_each_finding_is_annotated_once():
    steps = _steps(REPO / ".github" / "workflows" / "validate.yml")
    for event in ("pull_request", "push"):
        assert sum(_annotating(s, event) for s in steps) == 1, event
    whole = [s for s in steps if "gapmap validate" in s.get("run", "") and "--changed-since" not in s["run"]]
    assert len(whole) == 1 and "continue-on-error" not in whole[0], "the whole-map run still decides the job"
