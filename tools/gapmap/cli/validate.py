"""`gapmap validate`: schema, reference and graph checks with line-numbered findings."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from gapmap.cli.common import kb_option_with_legacy_argument


@click.command()
@kb_option_with_legacy_argument
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="text for people, github for pull-request annotations, json for scripts.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--explain", metavar="CODE", help="Explain a finding code and how to fix it, then exit.")
@click.option("--changed-since", metavar="REV",
              help="Report only on files changed since git REV (references still resolve against the whole map).")
@click.option("--paths", "only_paths", multiple=True, metavar="FILE",
              help="Report only on these record files (repeatable).")
def validate(kb_dir: Path, fmt: str, strict: bool, explain: str | None, changed_since: str | None,
             only_paths: tuple[str, ...]) -> None:
    """Check the map in KB (default: the current folder). Exit 0 clean, 1 on errors, 2 on bad usage."""
    # one short pass over acyclic values: the cyclic collector only rescans them (pydantic's model
    # building and the map's millions of objects), a tenth of the run on the imported export
    gc.disable()
    try:
        _validate(kb_dir, fmt, strict, explain, changed_since, only_paths)
    finally:
        gc.enable()


def _validate(kb_dir: Path, fmt: str, strict: bool, explain: str | None, changed_since: str | None,
              only_paths: tuple[str, ...]) -> None:
    from gapmap.check import check_map
    from gapmap.core.codes import CODES, explain as explain_code
    from gapmap.check.reporters import REPORTER_BY_NAME
    from gapmap.cli.common import require_map
    from gapmap.load import load_map

    if explain:
        text = explain_code(explain)
        if text is None:
            raise click.UsageError(f"no finding code '{explain}'; known codes: {', '.join(sorted(CODES))}")
        click.echo(text)
        return
    require_map(kb_dir)
    loaded = load_map(kb_dir)
    findings = check_map(loaded)
    scope, gone = _scope(kb_dir, changed_since, only_paths)
    if scope is not None:
        findings = [f for f in findings if f.file in scope or _breaks_on(f, gone)]
    n = sum(1 for path in loaded.documents if "/" in path)  # record files, not tags.yaml or deflators.yaml
    click.echo(REPORTER_BY_NAME[fmt](findings, n))
    failing = [f for f in findings if f.severity == "error" or strict]
    sys.exit(1 if failing else 0)


def _scope(kb_dir: Path, rev: str | None, paths: tuple[str, ...]) -> tuple[set[str] | None, set[str]]:
    """(files to report on or None for all, ids of records deleted since `rev`)."""
    if rev is None and not paths:
        return None, set()  # the whole map: no need to import the git helpers
    from gapmap.interop.changes import ScopeError, deleted_files, scope

    try:
        files = scope(kb_dir, rev, paths)
        gone = {Path(p).stem for p in deleted_files(kb_dir, rev)} if rev is not None else set()
    except ScopeError as exc:
        raise click.UsageError(str(exc)) from None
    return files, gone


def _breaks_on(finding, gone: set[str]) -> bool:
    """A reference, in a file nobody changed, to a record that was deleted: worth reporting."""
    return finding.code in ("unknown-ref", "wrong-kind-ref") and finding.subject in gone


COMMANDS = [validate]
