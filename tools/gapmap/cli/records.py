"""`gapmap new`, `gapmap fmt`, `gapmap schema`: commands that write record files."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import click

from gapmap.cli.common import kb_option, kb_option_with_legacy_argument
from gapmap.core import progress


@click.command()
@click.argument("kind", type=click.Choice(["gap", "capability", "field", "resource"]))
@click.argument("record_id", metavar="ID")
@click.option("--title", help="The record's title (default: from the id).")
@click.option("--field", "field_id", help="For a gap: its field id (default: the first field of the map).")
@kb_option
def new(kind: str, record_id: str, title: str | None, field_id: str | None, kb_dir: Path) -> None:
    """Scaffold a valid record KIND with id ID; never overwrites an existing file."""
    from gapmap.cli.common import require_map
    from gapmap.core.ids import id_problem
    from gapmap.core.writes import write_new
    from gapmap.edit.scaffold import record_path, scaffold, used_ids

    problem = id_problem(record_id)
    if problem:
        raise click.UsageError(f"{record_id!r} is not a valid id: it {problem}")
    if title is not None and (not title.strip() or any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in title)):
        raise click.UsageError("--title must be one line of text (no line breaks or control characters)")
    require_map(kb_dir)
    used = used_ids(kb_dir)
    if record_id in used:
        raise click.ClickException(f"id '{record_id}' is already used by {used[record_id]} (it already exists); ids are unique "
                                   "across all kinds: edit that record, or pick another id")
    fields = sorted(i for i, where in used.items() if where.startswith("fields/"))
    if kind == "gap" and field_id is None:
        if not fields:
            raise click.UsageError("a gap needs a field: pass --field, or create one with `gapmap new field ID`")
        field_id = fields[0]
        click.echo(f"note: field set to '{field_id}'; change it if that is not right", err=True)
    elif kind == "gap" and field_id not in fields:
        raise click.UsageError(f"no field '{field_id}' in the map; known fields: {', '.join(fields) or 'none'}")
    path = record_path(kb_dir, kind, record_id)
    text = scaffold(kind, record_id, title or record_id.replace("-", " ").capitalize(), field_id or "")
    try:
        write_new(path, text)
    except FileExistsError:
        raise click.ClickException(f"{path} already exists; edit it, or pick another id") from None
    click.echo(f"created {path}; fill in the TODO lines, then run `gapmap validate`")


@click.command()
@click.option("--check", "check_only", is_flag=True, help="Only report files that would change; exit 1 if any.")
@kb_option_with_legacy_argument
def fmt(check_only: bool, kb_dir: Path) -> None:
    """Rewrite records in canonical key order and layout, keeping comments."""
    from gapmap.cli.common import require_map
    from gapmap.edit.fmt import format_map

    with progress.stage("checking the layout of records" if check_only else "formatting records"):
        changed, failed = format_map(require_map(kb_dir), check_only)
    for rel in changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {rel}")
    for line in failed:
        click.echo(f"skipped {line}", err=True)
    click.echo(f"{len(changed)} file(s) {'to reformat' if check_only else 'reformatted'}, {len(failed)} skipped")
    sys.exit(1 if (check_only and changed) or failed else 0)


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"), show_default=True)
@click.option("--site-url", help="Where the site is published; each schema's $id is SITE_URL/downloads/schemas/<name> "
              "(default: site_url of the map's mkdocs.yml, else the GitHub Pages address of its repo_url).")
@kb_option
def schema(out: Path, site_url: str | None, kb_dir: Path) -> None:
    """Write the JSON Schemas of the record kinds, tags.yaml, deflators.yaml and crosswalk files
    (for editors and other tools)."""
    from gapmap.core.writes import WriteRefused, guard_target, write_atomic
    from gapmap.model.schema import schema_files, site_address

    files = schema_files(site_url or site_address(kb_dir))
    try:  # schema files are ours to replace, but never inside a record folder
        for name in files:
            guard_target(out / name, folder=False, force=True)
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    for name, text in files.items():
        write_atomic(out / name, text)
        click.echo(f"wrote {out / name}")


COMMANDS = [new, fmt, schema]
