"""`gapmap import gapmap-org` and `gapmap export`: the map in and out of other formats."""

from __future__ import annotations

from pathlib import Path

import click

from gapmap.cli.common import kb_option
from gapmap.core import progress


@click.group("import")
def import_() -> None:
    """Create a map from another format."""


@import_.command("gapmap-org")
@click.argument("src", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="The map folder to create: absent or empty (an import never replaces anything).")
@click.option("--force", is_flag=True, hidden=True, help="Accepted for compatibility; an import never replaces a folder.")
def gapmap_org(src: Path, out: Path, force: bool) -> None:
    """Import the gap-map.org export SRC (a folder of JSON files, or one gapmap-data.json)."""
    from gapmap.interop.gapmap_org import ExportError
    from gapmap.interop.importer import import_gapmap_org
    from gapmap.core.writes import WriteRefused

    try:
        report = import_gapmap_org(src, out, force)
    except (ExportError, WriteRefused) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.render())
    click.echo(f"wrote the map to {out}; run `gapmap validate {out}` to see the defects above as findings")
    if report.not_converted:
        raise click.ClickException(f"{len(report.not_converted)} record(s) of the export could not be converted "
                                   "and are not in the map (listed above under NOT CONVERTED)")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "gapmap-org", "graphml"]), required=True,
              help="json: one document; csv: a folder of tables; gapmap-org: gap-map.org's shape "
                   "(a folder, or one file if PATH ends in .json); graphml: the link graph.")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Where to write.")
@kb_option
@click.option("--force", is_flag=True, help="Replace an existing file, or a folder an earlier export wrote.")
def export(fmt: str, out: Path, kb_dir: Path, force: bool) -> None:
    """Write the map in a machine-readable format (see DATA_CHANGELOG.md for the shapes)."""
    from gapmap.cli.common import require_map
    from gapmap.interop.exporter import write_export
    from gapmap.core.writes import WriteRefused
    from gapmap.load import load_map

    loaded = load_map(require_map(kb_dir))
    try:
        with progress.stage(f"writing the {fmt} export"):
            write_export(loaded, fmt, out, force)
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {fmt} export to {out}")


COMMANDS = [import_, export]
