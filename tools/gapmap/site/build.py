"""`gapmap build` and `gapmap serve`: run mkdocs on a map folder, with the map's own mkdocs.yml
when it has one, else the package's default configuration (and an empty docs folder)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

TEMPLATE = Path(__file__).parent / "templates" / "mkdocs.yml"


def mkdocs_options(kb: Path, out: Path | None = None, strict: bool = False) -> dict:
    """Keyword arguments for `mkdocs.config.load_config`: the config file, and the gapmap
    plugin's options pointed at `kb` (the rest of the plugin list is kept as written)."""
    kb = Path(kb).resolve()
    own = kb / "mkdocs.yml"
    config_file = own if own.is_file() else TEMPLATE
    raw = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    plugins = []
    for entry in raw.get("plugins", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "gapmap":
            options = {} if isinstance(entry, str) else dict(entry[name] or {})
            entry = {"gapmap": options | {"kb": str(kb), "strict": strict}}
        plugins.append(entry)
    options = {"config_file": str(config_file), "plugins": plugins}
    if config_file == TEMPLATE:
        options["docs_dir"] = tempfile.mkdtemp(prefix="gapmap-docs-")
        out = out or Path("site")
    if out is not None:
        options["site_dir"] = str(Path(out).resolve())
    return options


def build_site(kb: Path, out: Path | None = None, strict: bool = False) -> Path:
    """Build the static site; returns its folder. Raises mkdocs' Abort/PluginError on failure
    (with strict, on any validation finding)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(**mkdocs_options(kb, out, strict))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return Path(config.site_dir)


def serve_site(kb: Path, dev_addr: str | None = None) -> None:
    """Build and serve with live reload; editing a record file rebuilds the site.

    mkdocs serve reloads its configuration on every rebuild from the same arguments, and
    plugin options passed as arguments are used up by the first load; so the options live in a
    config file: the map's own mkdocs.yml (its plugin's kb defaults to the map folder), or a
    copy of the default one pointed at the map."""
    from mkdocs.commands.serve import serve

    kb = Path(kb).resolve()
    config_file = kb / "mkdocs.yml"
    if not config_file.is_file():
        options = mkdocs_options(kb)
        raw = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
        raw |= {"plugins": options["plugins"], "docs_dir": options["docs_dir"]}
        config_file = Path(tempfile.mkdtemp(prefix="gapmap-serve-")) / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(raw), encoding="utf-8")
    serve(config_file=str(config_file), livereload=True, dev_addr=dev_addr)
