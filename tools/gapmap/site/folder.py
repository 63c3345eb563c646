"""The generated site as a plain folder (`gapmap pages --out DIR`): docs/ with every page and
data file, plus an mkdocs.yml without the gapmap plugin, so MkDocs, ProperDocs or Zensical can
build it as they are. The plugin stays the live-reload path; this is the way off it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from gapmap.core import progress
from gapmap.interop.staging import staged_folder
from gapmap.site.build import TEMPLATE
from gapmap.site.generate import Site, nav_config

def plain_config(site: Site, hand_written: list[str]) -> dict:
    """mkdocs.yml for the folder: the package's default configuration (templates/mkdocs.yml)
    without the gapmap plugin, and with the navigation the plugin would have made written out."""
    config = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config.get("plugins", []) if p != "gapmap" and "gapmap" not in p]
    return config | {"docs_dir": "docs", "extra_css": ["assets/gapmap/gapmap.css"],
                     "nav": nav_config(site.nav) + sorted(hand_written)}


def write_pages(site: Site, out: Path, extra_docs: Path | None = None, force: bool = False) -> Path:
    """Write `site` as a buildable folder at `out` (staged, then renamed into place). Top-level
    Markdown pages of `extra_docs` (the map's hand-written pages) are copied beside the
    generated ones; a generated page of the same name wins, as in the plugin."""
    extra = {p.name: p.read_bytes() for p in sorted(extra_docs.glob("*.md"))} if extra_docs and extra_docs.is_dir() else {}
    extra = {name: data for name, data in extra.items() if name not in site.pages}
    with staged_folder(Path(out), force) as staging:
        docs = staging / "docs"
        for path, markdown in progress.bar(site.pages.items(), "writing pages"):
            _write(docs / path, markdown.encode("utf-8"))
        for path, data in site.data.items():
            _write(docs / path, data)
        for name, data in extra.items():
            _write(docs / name, data)
        (staging / "mkdocs.yml").write_text(
            "# Written by `gapmap pages`: build with `mkdocs build`, `properdocs build` or `zensical build`.\n"
            + yaml.safe_dump(plain_config(site, list(extra)), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return Path(out)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
