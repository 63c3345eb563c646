"""`gapmap build` and `gapmap serve`: the static site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gapmap.cli.common import kb_option, require_map


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
        site = build_site(require_map(kb_dir), out, strict)
    except (MkDocsException, WriteRefused) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"site written to {site}")


@click.command("serve")
@kb_option
@click.option("--dev-addr", default=None, help="IP:port to serve on (default 127.0.0.1:8000).")
def serve_command(kb_dir: Path, dev_addr: str | None) -> None:
    """Build and serve the site locally; it reloads when a record file changes."""
    from mkdocs.exceptions import MkDocsException

    from gapmap.site.build import serve_site

    _quiet_mkdocs()
    try:
        serve_site(require_map(kb_dir), dev_addr)
    except MkDocsException as exc:
        raise click.ClickException(str(exc)) from None


def _quiet_mkdocs() -> None:
    """mkdocs logs nothing unless its command-line entry point sets up a handler: show warnings
    (validation findings among them) and its info lines."""
    import logging

    class _Stderr(logging.StreamHandler):
        """Writes to whatever sys.stderr is now (a test runner swaps it per command)."""

        @property
        def stream(self):
            return sys.stderr

        @stream.setter
        def stream(self, value):
            pass

    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


COMMANDS = [build_command, serve_command]
