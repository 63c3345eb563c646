"""Shared test helpers: small maps written into tmp_path from plain dicts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

FOLDER = {"field": "fields", "gap": "gaps", "capability": "capabilities", "resource": "resources"}
REPO = Path(__file__).resolve().parents[1]
# the export lives in the shared folder beside the checkout (GAPMAP_EXPORT points elsewhere, e.g. from a worktree)
EXPORT = Path(os.environ.get("GAPMAP_EXPORT") or REPO.parent / "shared" / "gapmap-export" / "2026-07-29")


def record(kind: str, rid: str, **keys) -> tuple[str, dict]:
    """A minimal valid record of `kind` with `keys` overriding the defaults."""
    base = {"id": rid, "title": rid.replace("-", " ").title()}
    if kind != "resource":
        base |= {"summary": f"Summary of {rid}.", "description": f"Description of {rid}."}
    if kind == "gap":
        base |= {"field": "physics", "capabilities": []}
    if kind == "resource":
        base |= {"url": f"https://example.org/{rid}", "kind": "research-and-reviews"}
    base.update(keys)
    return kind, base


def write_map(root: Path, *records: tuple[str, dict], tags: dict | None = None) -> Path:
    """Write records (from `record(...)`) as YAML files under `root`, plus tags.yaml."""
    root.mkdir(parents=True, exist_ok=True)
    for folder in FOLDER.values():
        (root / folder).mkdir(exist_ok=True)
    (root / "tags.yaml").write_text(yaml.safe_dump(tags or {"measurement": "A new way to measure."}))
    for kind, data in records:
        (root / FOLDER[kind] / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return root


def tiny_map_records() -> list[tuple[str, dict]]:
    """A small sound map: one field, two gaps, three capabilities in a chain, one resource."""
    return [
        record("field", "physics"),
        record("resource", "paper-a"),
        record("capability", "cap-a", resources=["paper-a"]),
        record("capability", "cap-b", requires=["cap-a"]),
        record("capability", "cap-c", requires=["cap-b"]),
        record("gap", "gap-one", capabilities=[{"capability": "cap-c", "role": "necessary"}]),
        record("gap", "gap-two", capabilities=[{"capability": "cap-a", "role": "partial"},
                                                {"capability": "cap-b", "role": "necessary"}]),
    ]


@pytest.fixture
def tiny_map(tmp_path) -> Path:
    return write_map(tmp_path / "kb", *tiny_map_records())


GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str, check: bool = True):
    """Run git in `repo` with a fixed identity and no user or system configuration."""
    import os
    import subprocess

    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=check,
                          env=os.environ | GIT_ENV)
