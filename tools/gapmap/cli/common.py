"""Options and helpers shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

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
