"""`gapmap serve`: an edit to a record re-renders the pages that show it, and they come out as a
full build would make them; a record that does not load is an error page with its findings,
served with the live-reload script, and the real page once the file is fixed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from conftest import tiny_map_records, write_map

URL = "http://127.0.0.1:8000/"


def build(kb: Path, site_dir: Path):
    """A serve-style build of the map (the configuration `gapmap serve` uses); its plugin."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from gapmap.site.build import _remove_scratch, mkdocs_options

    options = mkdocs_options(kb, site_dir)
    try:
        config = load_config(**options)
        config.plugins.on_startup(command="serve", dirty=False)
        config.site_url = URL
        mkdocs_build(config, serve_url=URL)
    finally:
        _remove_scratch(options)
    return config.plugins["gapmap"]


def pages(site_dir: Path) -> dict[str, str]:
    return {p.relative_to(site_dir).as_posix(): p.read_text() for p in site_dir.rglob("index.html")}


def retitle(kb: Path, rel: str, title: str) -> None:
    path = kb / rel
    data = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump(data | {"title": title}, sort_keys=False))


def test_an_edited_title_re_renders_its_page_and_the_pages_that_show_it_as_a_full_build_would(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    plugin = build(kb, tmp_path / "served")
    retitle(kb, "gaps/gap-one.yaml", "Gap One Renamed")

    changed = plugin.refresh()

    # the gap's own page, its field's and the capability it needs, the lists: not the unrelated ones
    assert {"gaps/gap-one.md", "fields/physics.md", "capabilities/cap-c.md", "catalogue.md"} <= changed
    assert not changed & {"gaps/gap-two.md", "resources/paper-a.md", "glossary.md"}
    served = pages(tmp_path / "served")
    assert "Gap One Renamed" in served["gaps/gap-one/index.html"]
    build(kb, tmp_path / "full")
    assert served == pages(tmp_path / "full")  # every page, re-rendered or kept, as a full build makes it
    assert search_entries(tmp_path / "served") == search_entries(tmp_path / "full")  # search finds the new title


def search_entries(site_dir: Path) -> list:
    import json

    docs = json.loads((site_dir / "search" / "search_index.json").read_text())["docs"]
    return sorted(docs, key=lambda d: json.dumps(d, sort_keys=True))


def test_a_record_added_or_removed_during_serve_gets_or_loses_its_page(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    plugin = build(kb, tmp_path / "served")
    (kb / "resources" / "paper-b.yaml").write_text(
        "id: paper-b\ntitle: Paper B\nurl: https://example.org/b\nkind: research-and-reviews\n")
    (kb / "gaps" / "gap-two.yaml").unlink()

    changed = plugin.refresh()

    assert "resources/paper-b.md" in changed
    served = pages(tmp_path / "served")
    assert "resources/paper-b/index.html" in served and "gaps/gap-two/index.html" not in served
    build(kb, tmp_path / "full")
    assert files(tmp_path / "served") == files(tmp_path / "full")  # data files of the gone record gone too


def files(site_dir: Path) -> set[str]:
    return {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}


def request(server, path: str) -> tuple[str, str]:
    """(status, body) of a GET through the server's WSGI application, without a socket."""
    got = {}
    body = server.serve_request({"PATH_INFO": path, "REQUEST_METHOD": "GET"},
                                lambda status, headers: got.setdefault("status", status))
    return got["status"], b"".join(body).decode() if isinstance(body, list) else b"".join(iter(body)).decode()


@pytest.fixture
def served(tmp_path):
    """A map whose gap-two file is broken, built, and a (never started) server over its site."""
    from gapmap.site.serve import Server

    kb = write_map(tmp_path / "kb", *tiny_map_records())
    (kb / "gaps" / "gap-two.yaml").write_text("id: gap-two\ntitle: [unclosed\n")
    plugin = build(kb, tmp_path / "site")
    server = Server(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.plugin = lambda: plugin
    server.watch(str(kb / "gaps"))  # pages get the live-reload script only when something is watched
    yield kb, plugin, server
    server.server_close()


def test_a_record_that_does_not_load_is_an_error_page_with_its_findings_then_its_page_when_fixed(served):
    kb, plugin, server = served
    status, html = request(server, "/gaps/gap-two/")
    assert status.startswith("200")
    assert "gaps/gap-two.yaml:3:" in html and "yaml-syntax" in html  # file:line, the code, the message
    assert "livereload" in html  # the tab reloads when the file is fixed

    status, html = request(server, "/")  # every page: a banner linking to the list of all findings
    assert "The map has 1 error finding(s)" in html and "/_gapmap/findings/" in html
    assert "gaps/gap-two.yaml:3:" in request(server, "/_gapmap/findings/")[1]
    status, html = request(server, "/no-such-page/")
    assert status.startswith("404") and "<html" in html and "gm-serve" not in html  # the theme's 404 page

    (kb / "gaps" / "gap-two.yaml").write_text(yaml.safe_dump(dict(tiny_map_records()[-1][1]), sort_keys=False))
    plugin.refresh()
    status, html = request(server, "/gaps/gap-two/")
    assert status.startswith("200") and "Gap Two" in html and "could not be built" not in html
    assert "gm-serve-banner" not in request(server, "/")[1]


def test_a_record_page_lists_the_findings_of_its_own_file(served):
    kb, plugin, server = served
    (kb / "gaps" / "gap-two.yaml").write_text(yaml.safe_dump(dict(tiny_map_records()[-1][1]), sort_keys=False))
    (kb / "resources" / "orphan.yaml").write_text("id: orphan\ntitle: T\nurl: https://example.org/o\n"
                                                 "kind: research-and-reviews\n")
    plugin.refresh()
    html = request(server, "/resources/orphan/")[1]
    assert "This record's file has 1 finding(s)" in html
    assert "resources/orphan.yaml:" in html
    assert "gm-serve-banner" not in request(server, "/gaps/gap-one/")[1]  # a warning elsewhere: no banner


def test_serve_refuses_a_port_in_use_before_building(tmp_path, monkeypatch):
    import errno
    import socket

    def no_build(*args, **kwargs):
        raise AssertionError("built although the port is taken")

    monkeypatch.setattr("mkdocs.commands.build.build", no_build)
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        from gapmap.site.build import serve_site

        with pytest.raises(OSError) as caught:
            serve_site(kb, f"127.0.0.1:{port}")
    assert caught.value.errno == errno.EADDRINUSE  # the CLI turns it into one line suggesting --port


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_serve_stopped_by_ctrl_c_or_kill_leaves_no_temporary_folder(tmp_path, sig):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    kb = write_map(tmp_path / "kb", *tiny_map_records())
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "gapmap", "serve", "--kb", str(kb), "--port", str(port)],
                            env=os.environ | {"TMPDIR": str(scratch)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except OSError:
                assert proc.poll() is None, "serve exited before serving"
                time.sleep(0.2)
        assert any(scratch.iterdir())  # it made its folders there
        proc.send_signal(getattr(signal, sig))
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list(scratch.iterdir()) == []
