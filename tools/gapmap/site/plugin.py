"""The mkdocs adapter, and the only module that knows mkdocs' files and pages (build.py and
serve.py run mkdocs): it loads and checks the map, asks `generate` for the site, and hands
pages and data files to mkdocs as generated files.

Options (mkdocs.yml, `plugins: - gapmap: {kb: ., strict: false}`): `kb`, the map folder
(default: the folder of mkdocs.yml); `strict`, stop on any validation finding. Records stay
out of the nav; `mkdocs serve` watches the record folders and reuses the last generated site
while no record file has changed. Under `gapmap serve` (site/serve.py) an edit to a record file
goes through `refresh`, which re-renders only the pages whose generated Markdown changed.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

from markupsafe import Markup

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from gapmap.core import progress, settings
from gapmap.site.build_progress import PageProgress
from gapmap.site.fastpath import html_only
from gapmap.site.feed import FEED, atom

log = logging.getLogger("mkdocs.plugins.gapmap")
WATCHED = ("fields", "gaps", "capabilities", "resources", "tags.yaml")
THEME = Path(__file__).parent / "theme"
REPO_PLACEHOLDER = "<the repository's address>"  # in site_src pages: replaced by repo_url
NO_REPO = ("<the repository's address: this site was built without one; set repo_url in mkdocs.yml "
           "or GAPMAP_REPO_URL, see 'Where the site's links point' below>")
_LAST: dict = {}  # kb path -> (fingerprint, findings, site): lives across `mkdocs serve` rebuilds


class GapMapConfig(Config):
    kb = c.Optional(c.Type(str))
    strict = c.Type(bool, default=False)
    samples = c.Type(int, default=settings.SAMPLES)


class GapMapPlugin(PageProgress, BasePlugin[GapMapConfig]):
    def on_config(self, config):
        if not config.use_directory_urls:
            raise PluginError("gapmap: record pages live at /gaps/<id>/; set use_directory_urls: true")
        base = Path(config.config_file_path or ".").resolve().parent
        self.kb = (base / self.config.kb).resolve() if self.config.kb else base
        self.base = base
        findings, self.site = load_site(self.kb, self.config.samples)
        self.findings = findings
        for f in findings:
            log.warning(str(f))
        if findings and self.config.strict:
            raise PluginError(f"gapmap: {len(findings)} validation finding(s) and strict is on; "
                              "fix them (`gapmap validate`) or build without --strict")
        if config.nav is None:
            from gapmap.site.generate import nav_config

            config.nav = nav_config(self.site.nav) + _hand_written(Path(config.docs_dir), self.site.pages)
        config.extra_css.append("assets/gapmap/gapmap.css")
        config.theme.dirs.insert(0, str(THEME))
        _repository(config, self.kb)
        gm = dict(config.extra.get("gapmap") or {})
        config.extra["gapmap"] = gm
        return config

    def on_files(self, files, config):
        docs_rel = _relative(Path(config.docs_dir), self.base)
        for f in files.documentation_pages():
            f.edit_uri = _join(docs_rel, f.src_uri)
        for path, markdown in self.site.pages.items():
            if files.get_file_from_path(path) is None:  # a hand-written page of the same name wins
                files.append(self._page_file(config, path, markdown))
        for path, data in self._data(config).items():
            files.append(File.generated(config, path, content=data))
        self._files = files
        return files

    def _page_file(self, config, path: str, markdown: str) -> File:
        source = self.site.sources.get(path)
        f = File.generated(config, path, content=markdown,
                           inclusion=InclusionLevel.NOT_IN_NAV if source else InclusionLevel.UNDEFINED)
        kb_rel = _relative(self.kb, self.base)
        f.edit_uri = _join(kb_rel, source) if source else None
        return f

    def _data(self, config) -> dict:
        """The site's data files and its Atom feed: {site path: bytes}."""
        return self.site.data | {FEED: atom(self.site.meta.get("feed", []), config.site_name, config.site_url)}

    def on_nav(self, nav, config, files):
        self._nav = nav
        return super().on_nav(nav, config, files)  # PageProgress's bar

    def on_env(self, env, config, files):
        env = super().on_env(env, config, files)  # PageProgress's bar
        self._env, self._config = env, config
        self._shared = {}  # one build's shared page chrome, by key (see `_once`)
        env.globals["gm_once"] = self._once
        return env

    def _once(self, key: str, render) -> Markup:
        """Render a piece of chrome that is the same on many pages only once per build: the
        primary nav of a page outside the nav depends only on the page's depth (its links are
        relative; no entry is active), and rendering it was a third of each record page's cost.
        A serve refresh keeps it: it runs only while the nav is unchanged."""
        if key not in self._shared:
            self._shared[key] = Markup(render())
        return self._shared[key]

    def refresh(self) -> set[str] | None:
        """After a record file changed (`gapmap serve`): regenerate the site's Markdown, then
        re-render through mkdocs only the pages whose Markdown changed, i.e. the edited record's
        page and the pages that show it; rewrite the data files that changed; drop the pages of
        records that are gone and add new ones; update the search index (Material's) for those
        pages. Returns the re-rendered page paths, or None when the navigation changed and only
        a full build will do. The sitemap keeps the last full build's entries until the next one."""
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.pages import Page

        old, config, files = self.site, self._config, self._files
        self.findings, site = load_site(self.kb, self.config.samples)
        if site.nav != old.nav:
            return None
        self.site = site
        changed = set()
        for path, markdown in site.pages.items():
            f = files.get_file_from_path(path)
            if f is None:
                f = self._page_file(config, path, markdown)
                files.append(f)
                Page(None, f, config)
            elif f.generated_by != "gapmap" or old.pages.get(path) == markdown:
                continue
            f.content_string = markdown
            changed.add(path)
        gone = set()
        for path in (old.pages.keys() - site.pages.keys()) | (old.data.keys() - site.data.keys()):
            f = files.get_file_from_path(path)
            if f is not None and f.generated_by == "gapmap":
                files.remove(f)
                Path(f.abs_dest_path).unlink(missing_ok=True)
                gone.add(f.url)
        pages = [files.get_file_from_path(path).page for path in sorted(changed)]
        search = _search_plugin(config)
        if search:  # the entries of these pages go; building them adds the new ones
            stale = gone | {page.url for page in pages}
            search.search_index.entries = [e for e in search.search_index.entries
                                           if e["location"].split("#")[0] not in stale]
        for page in pages:
            _populate_page(page, config, files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in pages:
            _build_page(page, config, doc_files, self._nav, self._env)
        if search:
            search.on_post_build(config=config)
        for path, data in self._data(config).items():
            f = files.get_file_from_path(path)
            if f is None:
                files.append(f := File.generated(config, path, content=data))
            elif f.content_bytes == data:
                continue
            else:
                f.content_bytes = data
            f.copy_file()
        return changed

    def on_page_markdown(self, markdown, page, config, files):
        """Generated pages that are plain HTML blocks skip the Markdown converter."""
        self._fast = None
        if page.file.generated_by == "gapmap":
            source = self.site.sources.get(page.file.src_uri)
            date = self.site.meta.get("updated", {}).get(source) if source else None
            if date:
                page.update_date = date  # the sitemap's lastmod: the record file's last commit
            if source:  # a record page: outside the nav, indexed by its opening section (on_page_context)
                if config.theme.name == "material":  # the shared nav is Material's partials/nav.html
                    page.meta["gm_shared_nav"] = f"nav-depth-{page.url.count('/')}"
                page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True, "gm_lead": True}
            self._fast = html_only(markdown)
            return "" if self._fast else markdown
        if REPO_PLACEHOLDER in markdown:  # hand-written pages: the real address, or how to set one
            markdown = markdown.replace(REPO_PLACEHOLDER, config.repo_url + ".git" if config.repo_url else
                                        NO_REPO)
        return markdown

    def on_page_content(self, html, page, config, files):
        if not self._fast:
            return html
        content, toc = self._fast
        page.toc = get_toc(toc)
        return content

    def on_page_context(self, context, page, config, nav):
        """A record page goes into the search index as one entry, its title and opening text
        (summary and description): the later sections (tables of linked records, sources) are
        other records' titles, which find those records' own pages, and parsing them was the
        search plugin's largest cost and most of the index's size."""
        search = _search_plugin(config)
        meta = page.meta.get("search") or {}
        if meta.get("gm_lead") and search:
            lead = page.content.split("<h2", 1)[0]
            rest = {k: v for k, v in page.meta.items() if k != "search"}
            search.search_index.add_entry_from_context(
                SimpleNamespace(meta=rest, content=lead, toc=page.toc, url=page.url, title=page.title))
        return context

    def on_post_build(self, config):
        super().on_post_build(config)  # PageProgress's bar ends
        from gapmap.site.slim import slim_theme_css

        for name, (before, after) in slim_theme_css(Path(config.site_dir), config.theme.dirs).items():
            log.debug(f"gapmap: {name} cut from {before:,} to {after:,} bytes")

    def on_serve(self, server, config, builder):
        for name in WATCHED:
            if (self.kb / name).exists():
                server.watch(str(self.kb / name))
        return server


def _search_plugin(config):
    """Material's search plugin when it is on (its index is a list of entries by location)."""
    for plugin in config.plugins.values():
        if isinstance(getattr(getattr(plugin, "search_index", None), "entries", None), list):
            return plugin
    return None


def _repository(config, kb_dir: Path) -> None:
    """repo_url, edit_uri and site_url from the configuration, else the environment
    (GAPMAP_REPO_URL, GAPMAP_SITE_URL), else the git remote `origin` (a GitHub remote also gives
    the GitHub Pages address). Nothing found: no edit links and no absolute URLs, never a
    made-up address."""
    remote = _git(kb_dir, "config", "--get", "remote.origin.url")
    web = _web_url(remote) if remote else None
    if not config.repo_url:
        config.repo_url = os.environ.get("GAPMAP_REPO_URL") or web
        if config.repo_url and not config.edit_uri:
            branch = (_git(kb_dir, "symbolic-ref", "--short", "refs/remotes/origin/HEAD") or "origin/main").split("/", 1)[-1]
            config.edit_uri = f"edit/{branch}/"
    if not config.site_url:
        site = os.environ.get("GAPMAP_SITE_URL")
        m = re.match(r"https://github\.com/([^/]+)/([^/]+)$", web or "")
        if not site and m:
            site = f"https://{m.group(1).lower()}.github.io/{m.group(2)}/"
        if site:
            config.site_url = site if site.endswith("/") else site + "/"
    if not config.repo_url:
        log.info("gapmap: no repository address (set repo_url in mkdocs.yml, GAPMAP_REPO_URL, or a git "
                 "remote 'origin'); pages get no edit links")
    if not config.site_url:
        log.info("gapmap: no site_url (set it in mkdocs.yml or GAPMAP_SITE_URL); the sitemap and feed need it "
                 "for absolute addresses")


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _web_url(remote: str) -> str | None:
    """https://host/owner/repo for an https, ssh or scp-style git remote; None for a local path."""
    m = re.match(r"^(?:https?://(?:[^@/]+@)?|ssh://(?:[^@/]+@)?|[^@/]+@)([^/:]+)[:/](.+?)(?:\.git)?/?$", remote)
    return f"https://{m.group(1)}/{m.group(2)}" if m else None


def load_site(kb_dir: Path, samples: int = settings.SAMPLES):
    """(findings, Site) for the map at `kb_dir`, regenerated only when a record file changed."""
    key = fingerprint(kb_dir)
    last = _LAST.get(kb_dir)
    if last and last[0] == key:
        return last[1], last[2]
    from gapmap.check import check_map
    from gapmap.load import load_map
    from gapmap.site.generate import generate_site

    loaded = load_map(kb_dir)
    findings = check_map(loaded)
    with progress.stage("generating pages"):
        site = generate_site(loaded, findings, samples=samples)
    _LAST[kb_dir] = (key, findings, site)
    return findings, site


def fingerprint(kb_dir: Path) -> tuple:
    """Names, sizes and modification times of every file the map is read from."""
    out = []
    for name in WATCHED:
        path = kb_dir / name
        entries = os.scandir(path) if path.is_dir() else [path] if path.exists() else []
        for e in entries:
            st = os.stat(e)
            out.append((str(e if isinstance(e, Path) else e.path), st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def _hand_written(docs_dir: Path, generated: dict) -> list:
    """Top-level Markdown pages of docs_dir that generation does not provide (e.g. contributing)."""
    if not docs_dir.is_dir():
        return []
    return sorted(p.name for p in docs_dir.glob("*.md") if p.name not in generated)


def _join(folder: str | None, path: str) -> str | None:
    """A repository-relative path for the edit link; None outside the repository."""
    if folder is None:
        return None
    return path if folder == "." else f"{folder}/{path}"


def _relative(path: Path, base: Path) -> str | None:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return None
