"""`gapmap serve`: mkdocs' live-reload server with two differences from `mkdocs serve`.

An edit to a record file re-renders only the pages that show that record (`GapMapPlugin.refresh`)
instead of rebuilding every page; a change to the hand-written pages or to mkdocs.yml still
rebuilds the whole site. And validation findings are shown in the browser: a record file that
does not load gets an error page at its URL listing its findings (file, line, message), a page
whose record has findings lists them, and every page carries a banner while the map has errors.
The findings are added as pages are served, with the live-reload script, so fixing the file
reloads the browser onto the real page.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.livereload import LiveReloadServer

from gapmap.site.context import URL_PREFIX
from gapmap.site.markup import esc

log = logging.getLogger("mkdocs.plugins.gapmap")
FINDINGS_URL = "_gapmap/findings/"  # served only by `gapmap serve`: every finding of the map


def serve(config_file: str, dev_addr: str | None = None) -> None:
    """Build the site into a temporary folder and serve it until Ctrl-C (the folder goes then,
    and on failure). A port in use raises OSError(EADDRINUSE) before anything is built."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import _serve_url

    site_dir = tempfile.mkdtemp(prefix="gapmap-site-")
    stops = (signal.SIGINT, signal.SIGTERM)
    handlers = {s: signal.getsignal(s) for s in stops} if threading.current_thread() is threading.main_thread() else {}
    if handlers:  # `kill` cleans up as Ctrl-C does
        signal.signal(signal.SIGTERM, _interrupt)
    extra = {"dev_addr": dev_addr} if dev_addr else {}

    def get_config():
        config = load_config(config_file=config_file, site_dir=site_dir, **extra)
        config.plugins.on_startup(command="serve", dirty=False)
        return config

    try:
        config = get_config()
        host, port = config.dev_addr
        _check_port(host, port)
        mount_path = urlsplit(config.site_url or "/").path
        serve_url = _serve_url(host, port, mount_path)
        state = {"config": config, "inputs": None}

        def full_build(config=None):
            config = config or get_config()
            config.site_url = serve_url
            state["inputs"] = _inputs(config)  # before the build: an edit during it triggers another
            build(config, serve_url=serve_url)
            state["config"] = config

        def builder():
            config = state["config"]
            plugin = config.plugins.get("gapmap")
            if plugin is None or _inputs(config) != state["inputs"]:
                return full_build()
            try:
                changed = plugin.refresh()
            except Exception:  # a half-updated site is not served: rebuild it all (its error is logged)
                log.exception("gapmap: re-rendering the changed pages failed; rebuilding the whole site")
                changed = None
            if changed is None:
                return full_build()
            log.info(f"gapmap: re-rendered {len(changed)} page(s)")

        server = Server(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path)
        server.plugin = lambda: state["config"].plugins.get("gapmap")
        full_build(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        config.plugins.on_serve(server, config=config, builder=builder)  # the record folders
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            for sig in handlers:  # a second Ctrl-C or kill would cut the shutdown short and hang on its threads
                signal.signal(sig, signal.SIG_IGN)
            server.shutdown()
        state["config"].plugins.on_shutdown()
    finally:  # success, failure or Ctrl-C
        shutil.rmtree(site_dir, ignore_errors=True)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _check_port(host: str, port: int) -> None:
    """OSError(EADDRINUSE) when another process listens on host:port (mkdocs would only find out
    after the first build, with a traceback)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        probe.bind((host, port))


def _inputs(config) -> tuple:
    """Names, sizes and times of the hand-written pages and the configuration file: when they
    change, the whole site is rebuilt (record files are the plugin's business)."""
    out = []
    paths = [config.config_file_path] if config.config_file_path else []
    for top, _dirs, names in os.walk(config.docs_dir):
        paths += [os.path.join(top, n) for n in names]
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        out.append((path, st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def page_findings(findings: list, sources: dict) -> dict[str, list]:
    """{page URL (gaps/x/): findings of its record file} for every file with a finding; a
    record file that did not load gets the URL its page would have (its folder and name)."""
    url_of = {src: page[:-3] + "/" for page, src in sources.items()}
    out: dict[str, list] = {}
    for f in findings:
        folder, _, name = f.file.partition("/")
        url = url_of.get(f.file) or (f"{folder}/{name.rsplit('.', 1)[0]}/"
                                     if folder in URL_PREFIX.values() and "/" not in name and name.endswith(".yaml") else None)
        if url:
            out.setdefault(url, []).append(f)
    return out


def findings_html(findings: list) -> str:
    """A list of findings as `file:line:column  severity code: message`."""
    items = "".join(f'<li><code>{esc(f.file)}:{f.line}:{f.column}</code> <strong>{esc(f.severity)}</strong> '
                    f'<code>{esc(f.code)}</code>: {esc(f.message)}</li>' for f in findings)
    return f'<ul class="gm-serve-findings">{items}</ul>'


def error_page(title: str, findings: list, home: str) -> str:
    """A whole HTML page listing findings (served in place of a record page that could not be built)."""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}'
            'code{background:#f3f3f3;padding:0 .2em}li{margin:.4em 0}</style></head><body>'
            f'<h1>{esc(title)}</h1><p>This page is rebuilt, and this tab reloads, when the file is fixed. '
            f'Run <code>gapmap validate</code> for the same list.</p>{findings_html(findings)}'
            f'<p><a href="{esc(home)}">Back to the site</a></p></body></html>')


def banner(findings: list, own: list, mount: str) -> str:
    """The box a served page gets: its own record's findings, and a line for the map's errors."""
    errors = [f for f in findings if f.severity == "error"]
    if not errors and not own:
        return ""
    parts = []
    if own:
        parts.append(f"<strong>This record's file has {len(own)} finding(s):</strong>{findings_html(own)}")
    if errors:
        parts.append(f'<a href="{esc(mount + FINDINGS_URL)}">The map has {len(errors)} error finding(s): see them all</a>')
    return ('<div class="gm-serve-banner" role="alert" style="position:fixed;bottom:0;left:0;right:0;z-index:1000;'
            'max-height:40vh;overflow:auto;background:#fff3f3;color:#600;border-top:3px solid #c00;'
            'padding:.5rem 1rem;font-size:.8rem">' + "".join(parts) + "</div>")


class Server(LiveReloadServer):
    """mkdocs' LiveReloadServer, adding the findings to pages as it serves them."""

    plugin = staticmethod(lambda: None)  # the current GapMapPlugin, set by `serve`
    _local = threading.local()  # the URL of the request a serving thread is answering

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_handler = lambda code: _read(Path(self.root) / f"{code}.html")  # the theme's 404 page

    def _state(self) -> tuple[list, dict]:
        plugin = self.plugin()
        if plugin is None:
            return [], {}
        return plugin.findings, page_findings(plugin.findings, plugin.site.sources)

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        url = path[len(self.mount_path):] if path.startswith(self.mount_path) else None
        self._local.url = url
        result = super()._serve_request(environ, start_response)
        if result is not None or url is None or path.startswith("/livereload/"):
            return result
        findings, by_page = self._state()
        if url == FINDINGS_URL:
            page = error_page(f"{len(findings)} finding(s) in the map", findings, self.mount_path)
        elif url in by_page:
            page = error_page(f"{by_page[url][0].file} could not be built", by_page[url], self.mount_path)
        else:
            return None
        with self._epoch_cond:
            epoch = self._visible_epoch
        content = LiveReloadServer._inject_js_into_html(self, page.encode(), epoch)  # no banner: it is the list
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                  ("Content-Length", str(len(content)))])
        return [content]

    def _inject_js_into_html(self, content, epoch):
        content = super()._inject_js_into_html(content, epoch)
        findings, by_page = self._state()
        box = banner(findings, by_page.get(getattr(self._local, "url", None), []), self.mount_path)
        if not box:
            return content
        end = content.rindex(b"<script>")
        return content[:end] + box.encode() + content[end:]
