"""Page generation: the loaded map (with its graph and cost results) → a `Site`, i.e. pages
{path: Markdown} and data files {path: bytes}. Plain Python, no site generator involved: the
mkdocs plugin only hands the result over, so moving to another generator touches one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from gapmap.core import settings
from gapmap.site.calibration import calibration_pages
from gapmap.site.context import Context, gather
from gapmap.site.coverage import coverage_pages
from gapmap.site.feed import feed_entries
from gapmap.site.overview import overview_pages
from gapmap.site.records import record_pages
from gapmap.site.reference import reference_pages

ASSETS = "assets/gapmap/"
# top-level pages in navigation order; records stay out of the nav (the measured trap: every
# page would carry a 1,500-entry nav)
NAV = [("Home", "index.md"), ("Ranked gaps", "ranked.md"), ("Catalogue", "catalogue.md"),
       ("Graph explorer", "graph.md"), ("Portfolio", "portfolio.md"), ("Methods", "methods.md"),
       ("Data downloads", "downloads.md"), ("Coverage", "coverage.md"), ("Glossary", "glossary.md"),
       ("Contributing", "contributing.md"),
       ("Reference", [("Schema", "reference/schema.md"), ("Finding codes", "reference/codes.md")])]


def nav_config(entries) -> list:
    """`NAV`-style (title, target) pairs as mkdocs' `nav:` setting: [{title: path or [...]}]."""
    return [{title: nav_config(target) if isinstance(target, list) else target} for title, target in entries]


@dataclass
class Site:
    pages: dict[str, str] = field(default_factory=dict)  # docs path (gaps/x.md) -> Markdown
    data: dict[str, bytes] = field(default_factory=dict)  # site path -> bytes (assets, data, downloads)
    sources: dict[str, str] = field(default_factory=dict)  # record page path -> its YAML, map-relative
    nav: list = field(default_factory=lambda: list(NAV))
    meta: dict = field(default_factory=dict)  # repo_url, site_url: filled in by the mkdocs adapter


def generate_site(kb, findings: list, samples: int = settings.SAMPLES, seed: int = settings.SEED) -> Site:
    """Every page and data file of the site for a loaded map (records that failed to load are
    simply absent; `findings` are the map's validation findings)."""
    return render_site(gather(kb, findings, samples, seed))


def render_site(ctx: Context) -> Site:
    site = Site()
    site.pages.update(record_pages(ctx))
    site.sources = {ctx.urls[rid][:-1] + ".md": path for rid, path in ctx.kb.path_of.items() if rid in ctx.urls}
    for pages, data in (overview_pages(ctx), reference_pages(ctx), calibration_pages(ctx)):
        site.pages.update(pages)
        site.data.update(data)
    site.pages.update(coverage_pages(ctx))
    site.data.update(ctx.files)
    site.meta["feed"] = feed_entries(ctx)
    site.meta["updated"] = dict(ctx.updated)  # record file -> date of its last commit (sitemap lastmod)
    site.data.update(static_assets())
    return site


def static_assets() -> dict[str, bytes]:
    """The loader script, the stylesheet, and plotly.js copied once from the installed package
    (no CDN: the site works offline)."""
    out = {ASSETS + p.name: p.read_bytes() for p in (Path(__file__).parent / "assets").iterdir() if p.is_file()}
    out[ASSETS + "plotly.min.js"] = resources.files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()
    return out
