"""`gapmap build` and `gapmap serve`: the static site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gapmap.cli.common import kb_option, require_map
from gapmap.core import progress


@click.command("build")
@kb_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site_dir of the map's mkdocs.yml, else ./site).")
@click.option("--strict", is_flag=True, help="Stop on any validation finding, warnings included.")
def build_command(kb_dir: Path, out: Path | None, strict: bool) -> None:
    """Build the static site from the map's records."""
    from mkdocs.exceptions import MkDocsException

    from gapmap.core.writes import WriteRefused
    from gapmap.site.build import build_site

    _quiet_mkdocs()
    try:
        with progress.stage("building the site"):
            site = build_site(require_map(kb_dir), out, strict)
    except (MkDocsException, WriteRefused) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"site written to {site}")


@click.command("serve")
@kb_option
@click.option("--dev-addr", default=None, help="IP:port to serve on (default 127.0.0.1:8000).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port to serve on, at 127.0.0.1.")
def serve_command(kb_dir: Path, dev_addr: str | None, port: int | None) -> None:
    """Build and serve the site locally; it reloads when a record file changes."""
    import errno

    from mkdocs.exceptions import MkDocsException

    from gapmap.site.build import serve_site

    if port is not None:
        if dev_addr is not None:
            raise click.UsageError("give --port or --dev-addr, not both")
        dev_addr = f"127.0.0.1:{port}"
    _quiet_mkdocs()
    try:
        serve_site(require_map(kb_dir), dev_addr)
    except MkDocsException as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        taken = dev_addr or "127.0.0.1:8000"
        free = int(taken.rsplit(":", 1)[-1]) + 1
        raise click.ClickException(f"{taken} is already in use; serve on another port, e.g. --port {free}") from None


@click.command("pages")
@kb_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write: docs/ and an mkdocs.yml without the gapmap plugin.")
@click.option("--force", is_flag=True, help="Replace the folder if it exists.")
@click.option("--strict", is_flag=True, help="Stop on any validation finding, warnings included.")
def pages_command(kb_dir: Path, out: Path, force: bool, strict: bool) -> None:
    """Write the generated pages as a plain folder that MkDocs, ProperDocs or Zensical can build."""
    from mkdocs.exceptions import MkDocsException

    from gapmap.check import check_map
    from gapmap.core.writes import MapTarget, WriteRefused, guard_target
    from gapmap.load import load_map
    from gapmap.site.build import read_config
    from gapmap.site.folder import write_pages
    from gapmap.site.generate import generate_site

    kb_dir = require_map(kb_dir).resolve()
    try:  # refused before any work: the map, its record folders, a folder gapmap did not write
        guard_target(out, folder=True, force=force, maps=[kb_dir])
    except MapTarget as exc:
        raise click.UsageError(f"--out {out} would replace the map or its records: {exc}") from None
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    loaded = load_map(kb_dir)
    findings = check_map(loaded)
    for f in findings:
        click.echo(str(f), err=True)
    if findings and (strict or any(f.severity == "error" for f in findings)):
        raise click.ClickException(f"{len(findings)} finding(s); fix them (`gapmap validate`) first")
    docs = None
    config = kb_dir / "mkdocs.yml"
    if config.is_file():
        try:
            docs = kb_dir / str(read_config(config).get("docs_dir") or "docs")
        except MkDocsException as exc:
            raise click.ClickException(str(exc)) from None
    try:
        with progress.stage("generating pages"):
            site = generate_site(loaded, findings)
        with progress.stage("writing the folder"):
            write_pages(site, out, docs, force)
    except WriteRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"pages written to {out}: build them with `mkdocs build -f {out / 'mkdocs.yml'}`")


def _quiet_mkdocs() -> None:
    """mkdocs logs nothing unless its command-line entry point sets up a handler: show warnings
    (validation findings among them) and, unless --quiet, its info lines; a line logged while a
    progress bar is drawn first erases the bar."""
    import logging

    class _Stderr(logging.StreamHandler):
        """Writes to whatever sys.stderr is now (a test runner swaps it per command)."""

        @property
        def stream(self):
            return sys.stderr

        @stream.setter
        def stream(self, value):
            pass

        def emit(self, record):
            progress.current().clear()  # not in the middle of a progress line
            super().emit(record)

    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING if progress.current().level == progress.QUIET else logging.INFO)


COMMANDS = [build_command, serve_command, pages_command]
