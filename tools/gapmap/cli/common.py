"""Options and helpers shared by several commands."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from gapmap.core import progress

kb_option = click.option(
    "--kb", "kb_dir", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
    help="The map folder (holding gaps/, capabilities/, fields/, resources/, tags.yaml).",
)


def kb_option_with_legacy_argument(command):
    """`--kb PATH` like every command, plus the old positional spelling (`gapmap validate DIR`),
    which keeps working for one release with a deprecation note."""
    import functools

    @functools.wraps(command)
    def wrapper(*args, kb_dir: Path, legacy_kb: Path | None, **kwargs):
        if legacy_kb is not None:
            if kb_dir != Path("."):
                raise click.UsageError("give the map once: --kb PATH (the positional form is deprecated)")
            click.echo(f"note: the map as a positional argument is deprecated; use --kb {legacy_kb}", err=True)
            kb_dir = legacy_kb
        return command(*args, kb_dir=kb_dir, **kwargs)

    wrapper = click.argument("legacy_kb", metavar="[KB]", required=False, default=None,
                             type=click.Path(file_okay=False, path_type=Path))(wrapper)
    return kb_option(wrapper)


def require_map(kb_dir: Path) -> Path:
    """Exit with usage status 2 when `kb_dir` is not a map folder."""
    from gapmap.load.kb import is_map

    if not kb_dir.is_dir() or not is_map(kb_dir):
        raise click.UsageError(
            f"{kb_dir} is not a map folder (no gaps/, capabilities/, fields/, resources/ or tags.yaml); "
            "pass the map's folder, or run `gapmap import` to create one"
        )
    return kb_dir


def load_checked(kb_dir: Path):
    """Load the map and fail with exit 1 if it has errors (commands that need a sound map)."""
    from gapmap.check import check_map
    from gapmap.load import load_map

    loaded = load_map(require_map(kb_dir))
    errors = [f for f in check_map(loaded) if f.severity == "error"]
    if errors:
        for f in errors[:20]:
            click.echo(str(f), err=True)
        raise click.ClickException(f"the map has {len(errors)} error(s); run `gapmap validate` and fix them first")
    return loaded


def refuse_dash_values(command: click.Command) -> None:
    """Make an option value that starts with '-' a usage error (exit 2) unless it is attached
    (`--out=-x`): `--out --force` is a forgotten value, not a folder named "--force". Applied
    to every command (and the commands of every group) by the `gapmap` group."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            refuse_dash_values(sub)
        return
    takes_value = {name for param in command.params if isinstance(param, click.Option) and not param.is_flag
                   and not param.count for name in param.opts + param.secondary_opts}
    original = command.parse_args

    def parse_args(ctx: click.Context, args: list[str]) -> list[str]:
        for i, arg in enumerate(args[:-1]):
            if arg == "--":
                break
            following = args[i + 1]
            if arg in takes_value and following.startswith("-") and following != "-":
                raise click.UsageError(f"option {arg} needs a value, but got {following!r}, which looks like an option; "
                                       f"write {arg}={following} if you mean it literally", ctx=ctx)
        return original(ctx, args)

    command.parse_args = parse_args


VERBOSITY = "gapmap.verbosity"


def _set_verbosity(level: int):
    def callback(ctx: click.Context, param: click.Parameter, given: bool) -> None:
        if not given:
            return
        chosen = ctx.meta.get(VERBOSITY)  # meta is shared by the group's and the command's context
        if chosen is not None and chosen != level:
            raise click.UsageError("give --quiet or --verbose, not both", ctx=ctx)
        ctx.meta[VERBOSITY] = level
    return callback


def verbosity(command: click.Command) -> click.Command:
    """--quiet/-q and --verbose/-v on `command` (and every command of a group), and the progress
    reporter (core.progress) its callback runs with. The gapmap group applies it to every
    command it registers, so none goes without."""
    if any(param.name == "quiet" for param in command.params):
        return command
    command.params += [
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, is_eager=True,
                     callback=_set_verbosity(progress.QUIET),
                     help="Print only the command's output, findings, warnings and errors: no progress or information lines."),
        click.Option(["-v", "--verbose"], is_flag=True, expose_value=False, is_eager=True,
                     callback=_set_verbosity(progress.VERBOSE),
                     help="Also print each stage's time and details (the map loaded, counts, cache hits)."),
    ]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            verbosity(sub)
        return command
    run = command.callback

    @functools.wraps(run)
    def with_reporter(*args, **kwargs):
        level = click.get_current_context().meta.get(VERBOSITY, progress.NORMAL)
        with progress.use(progress.Reporter(level)):
            return run(*args, **kwargs)

    command.callback = with_reporter
    return command
