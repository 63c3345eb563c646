"""`gapmap build` and `gapmap serve`: run mkdocs on a map folder, with the map's own mkdocs.yml
when it has one, else the package's default configuration (and an empty docs folder)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

TEMPLATE = Path(__file__).parent / "templates" / "mkdocs.yml"


def mkdocs_options(kb_dir: Path, out: Path | None = None, strict: bool = False) -> dict:
    """Keyword arguments for `mkdocs.config.load_config`: the config file, and the gapmap
    plugin's options pointed at `kb_dir` (the rest of the plugin list is kept as written)."""
    kb_dir = Path(kb_dir).resolve()
    own = kb_dir / "mkdocs.yml"
    config_file = own if own.is_file() else TEMPLATE
    raw = read_config(config_file)
    plugins = []
    for entry in raw.get("plugins", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "gapmap":
            options = {} if isinstance(entry, str) else dict(entry[name] or {})
            entry = {"gapmap": options | {"kb": str(kb_dir), "strict": strict}}
        plugins.append(entry)
    options = {"config_file": str(config_file), "plugins": plugins}
    if config_file == TEMPLATE:
        options["docs_dir"] = tempfile.mkdtemp(prefix="gapmap-docs-")
        out = out or Path("site")
    if out is None:  # mkdocs' own default, relative to the configuration file
        out = config_file.parent / str(raw.get("site_dir") or "site")
    options["site_dir"] = str(Path(out).resolve())
    return options


def read_config(path: Path) -> dict:
    """A mkdocs.yml as mkdocs reads it (its !ENV and !relative tags, INHERIT); a syntax error or
    an unreadable file is a ConfigurationError naming the file and line, not a traceback."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml_load(handle)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigurationError(f"{where}: {exc.problem or exc}; fix the YAML of the site configuration") from None
    except (yaml.YAMLError, ConfigurationError) as exc:
        raise ConfigurationError(f"{path}: {exc}; fix the site configuration") from None
    except RecursionError:  # PyYAML's pure-Python composer recurses once per nesting level
        raise ConfigurationError(f"{path}: nests too deeply to read; fix the site configuration") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read the site configuration: {exc}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigurationError(f"{path}: the site configuration must be a mapping of settings")
    if not isinstance(raw.get("plugins", []), list):
        raise ConfigurationError(f"{path}: plugins must be a list")
    return raw


def build_site(kb_dir: Path, out: Path | None = None, strict: bool = False) -> Path:
    """Build the static site; returns its folder. Raises mkdocs' Abort/PluginError on failure
    (with strict, on any validation finding)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from gapmap.core.writes import guard_target, mark

    options = mkdocs_options(kb_dir, out, strict)
    try:
        # mkdocs empties its site folder before writing: never the map, never a folder it did not write
        guard_target(Path(options["site_dir"]), folder=True, force=False, maps=[kb_dir], rebuild=True)
        config = load_config(**options)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:  # success, failure or Ctrl-C: the empty docs folder made for a map without mkdocs.yml goes
        _remove_scratch(options)
    mark(Path(config.site_dir))
    return Path(config.site_dir)


def _remove_scratch(options: dict, *folders: Path) -> None:
    """Remove the temporary folders a build or serve made (never a folder it was given)."""
    docs = options.get("docs_dir")
    for folder in ([Path(docs)] if docs and Path(docs).name.startswith("gapmap-docs-") else []) + list(folders):
        shutil.rmtree(folder, ignore_errors=True)


def serve_site(kb_dir: Path, dev_addr: str | None = None) -> None:
    """Build and serve with live reload (site/serve.py); editing a record file re-renders the
    pages that show it.

    The server reloads its configuration on a full rebuild from the same arguments, and
    plugin options passed as arguments are used up by the first load; so the options live in a
    config file: the map's own mkdocs.yml (its plugin's kb defaults to the map folder), or a
    copy of the default one pointed at the map."""
    from gapmap.site.serve import serve

    kb_dir = Path(kb_dir).resolve()
    config_file = kb_dir / "mkdocs.yml"
    if not config_file.is_file():
        options = mkdocs_options(kb_dir)
        raw = read_config(TEMPLATE)
        raw |= {"plugins": options["plugins"], "docs_dir": options["docs_dir"]}
        scratch = Path(tempfile.mkdtemp(prefix="gapmap-serve-"))
        config_file = scratch / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(raw), encoding="utf-8")
        try:
            serve(str(config_file), dev_addr)
        finally:  # Ctrl-C included
            _remove_scratch(options, scratch)
        return
    serve(str(config_file), dev_addr)
