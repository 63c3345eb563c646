"""The `gapmap` command: a thin layer that parses options, calls one library function per
command and hands its result to a reporter. Heavy libraries are imported inside commands so
`gapmap validate` starts fast.
"""

from __future__ import annotations

import click

from gapmap import __version__

# What the `full` extra adds; the base install (validate, fmt, new, schema, import) runs without it.
FULL_ONLY = {"networkx", "numpy", "numba", "plotly", "mkdocs", "material"}


class _Main(click.Group):
    """The command group: a file-system error that reaches it (a read-only folder, a full disk)
    is one message naming the path, exit 1; a command that needs the `full` extra on a base
    install says so in one line. Never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] not in FULL_ONLY:
                raise
            raise click.ClickException(
                f"this command needs {exc.name}, which the base install leaves out; "
                "install everything with: pip install 'open-gap-map[full]'") from None
        except OSError as exc:
            from gapmap.core.writes import permission_message

            raise click.ClickException(permission_message(exc)) from None


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gapmap")
def main() -> None:
    """Open Gap Map: validate, analyse and publish a map of what science is missing."""


def _register() -> None:
    from gapmap.cli import cost, graph, interop, issues, records, site, validate
    from gapmap.cli.common import refuse_dash_values, verbosity

    verbosity(main)
    for module in (validate, records, graph, cost, site, interop, issues):
        for command in module.COMMANDS:
            refuse_dash_values(command)
            main.add_command(verbosity(command))


_register()
