"""`gapmap from-issue`: a submitted GitHub issue form becomes a new, formatted record file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gapmap.cli.common import kb_option


@click.command("from-issue")
@click.argument("issue_json", metavar="[FORM.json]", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--body", "body_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The issue's Markdown body as GitHub writes it for a submitted form.")
@click.option("--kind", type=click.Choice(["gap", "capability", "resource"]),
              help="Which form it is (default: from the issue's new-<kind> label).")
@click.option("--form", "form_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The issue form (default: KB/.github/ISSUE_TEMPLATE/new-<kind>.yml).")
@kb_option
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="How to print the new record's validation findings.")
def from_issue(issue_json: Path | None, body_file: Path | None, kind: str | None, form_file: Path | None,
               kb_dir: Path, fmt: str) -> None:
    """Write the record a submitted issue form describes into KB; never overwrites a file.

    FORM.json is either `gh issue view N --json body,labels` output, or the form's fields by id
    ({"kind": "gap", "fields": {"title": ..., ...}}); --body FILE --kind KIND reads the Markdown
    body instead. Prints the file written and its findings; exit 1 when the form cannot become
    a record or the record has errors.
    """
    from gapmap.check import check_map
    from gapmap.check.reporters import REPORTER_BY_NAME
    from gapmap.cli.common import require_map
    from gapmap.core.writes import write_new
    from gapmap.edit.fmt import format_text
    from gapmap.edit.scaffold import record_path
    from gapmap.interop import issue_forms as forms
    from gapmap.load import load_map

    if (issue_json is None) == (body_file is None):
        raise click.UsageError("give FORM.json or --body FILE (one of them)")
    require_map(kb_dir)
    fields, body, labels = None, None, []
    if issue_json is not None:
        try:
            fields, form_kind, body, labels = forms.read_issue_json(issue_json.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise click.ClickException(f"{issue_json} is not an issue form's JSON: {exc}") from None
        kind = kind or form_kind
    else:
        body = body_file.read_text(encoding="utf-8")
    kind = kind or next((lab.removeprefix("new-") for lab in labels if lab.removeprefix("new-") in forms.FORM_KINDS), None)
    if kind not in forms.FORM_KINDS:
        raise click.UsageError("which form is it? pass --kind gap|capability|resource (or label the issue new-<kind>)")
    try:
        if fields is None:
            form = forms.load_form(form_file or forms.form_path(kb_dir, kind))
            fields = forms.parse_body(body, form)
        record = forms.record_from_fields(kind, {k: str(v) for k, v in fields.items()})
    except forms.FormError as exc:
        click.echo(f"error: the form cannot become a {kind} record: {exc}", err=True)
        sys.exit(1)
    path = record_path(kb_dir, kind, record["id"])
    try:
        write_new(path, format_text(forms.record_yaml(kind, record), kind))
    except FileExistsError:
        click.echo(f"error: {path} already exists; give the form another id (or title)", err=True)
        sys.exit(1)
    rel = path.relative_to(kb_dir).as_posix()
    click.echo(f"wrote {rel}", err=fmt != "text")
    findings = [f for f in check_map(load_map(kb_dir)) if f.file == rel]
    click.echo(REPORTER_BY_NAME[fmt](findings, 1))
    sys.exit(1 if any(f.severity == "error" for f in findings) else 0)


COMMANDS = [from_issue]
