"""Live reload: from saving a record file to the served page showing the edit.

Starts `gapmap serve` on the imported gap-map.org export and `mkdocs serve` on the floor (a bare
mkdocs-material site with as many trivial pages, kept out of the nav) on free ports, waits until
both serve, then edits one page's title on each in turn, a few times, polling the page until
the new title is served. Prints the median of each and the ratio (budget, issue 18: gapmap
≤ 0.3× the floor).
Both servers are stopped and the temporary folders removed on success, failure and Ctrl-C.

Run: python bench/live_reload.py [--repeats 5] [--record gaps/<file>.yaml]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from _maps import real_scale_map

READY_TIMEOUT = 900  # s: the first build of the imported map on a loaded machine
CHANGE_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def start(cmd: list[str], log: Path) -> subprocess.Popen:
    """The server in its own process group, with Ctrl-C handled even when this bench runs in the
    background (a shell starts background jobs with SIGINT ignored, and children inherit that)."""
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def stop(proc: subprocess.Popen) -> None:
    """Ctrl-C to the server's process group (so it removes its own folders), then a kill."""
    for sig, wait in ((signal.SIGINT, 30), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            print(f"bench: server {proc.pid} still running {wait} s after signal {sig}", file=sys.stderr)
        except ProcessLookupError:
            return


def wait_ready(url: str, proc: subprocess.Popen, log: Path) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < READY_TIMEOUT:
        if proc.poll() is not None:
            raise SystemExit(f"bench: the server exited ({proc.returncode}) before serving {url}:\n"
                             + log.read_text(errors="replace")[-3000:])
        if fetch(url) is not None:
            return time.monotonic() - t0
        time.sleep(0.5)
    raise SystemExit(f"bench: {url} was not served within {READY_TIMEOUT} s")


def edit_and_wait(path: Path, pattern: str, url: str, marker: str) -> float:
    """Replace the title (the first line matching `pattern`) with `marker`; seconds until served."""
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, lambda m: m.group(1) + marker, text, count=1, flags=re.M)
    assert new != text, f"no title line in {path}"
    path.write_text(new, encoding="utf-8")
    t0 = time.monotonic()
    while time.monotonic() - t0 < CHANGE_TIMEOUT:
        if marker in (fetch(url) or ""):
            return time.monotonic() - t0
        time.sleep(0.02)
    raise SystemExit(f"bench: the edit to {path} did not reach {url} within {CHANGE_TIMEOUT} s")


def floor_site(folder: Path, pages: int) -> Path:
    """A bare mkdocs-material site with `pages` trivial pages out of the nav, the theme and
    search plugin of gapmap's default configuration."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nFloor site.\n")
    for i in range(pages - 1):
        (docs / f"p{i:05d}.md").write_text(f"# Page {i}\n\nA trivial page, number {i}.\n")
    (folder / "mkdocs.yml").write_text("site_name: Floor\nuse_directory_urls: true\ntheme:\n  name: material\n"
                                       "  font: false\nplugins:\n  - search\nnav:\n  - Home: index.md\n"
                                       "not_in_nav: |\n  /p*.md\n")
    return folder / "mkdocs.yml"


def measure(servers: list[tuple], repeats: int, work: Path) -> dict[str, list[float]]:
    """Start every server, then edit each in turn (interleaved, so a change in the machine's load
    hits both alike); seconds per edit, by server name."""
    procs = []
    try:
        for name, cmd, url, *_ in servers:
            log = work / f"{name.split()[0]}.log"
            procs.append(proc := start(cmd() if callable(cmd) else cmd, log))
            print(f"{name}: serving after {wait_ready(url, proc, log):.1f} s", flush=True)
        times: dict[str, list[float]] = {name: [] for name, *_ in servers}
        for i in range(repeats + 1):  # the first edit warms up and is not counted
            for name, _cmd, url, path, pattern in servers:
                seconds = edit_and_wait(path, pattern, url, f"Edited{i}x{time.time_ns()}")
                if i:
                    times[name].append(seconds)
                print(f"{name}: edit {i}{' (warm-up)' if not i else ''}: {seconds:.2f} s", flush=True)
                time.sleep(1.0)  # let the server settle (the watcher polls every 0.5 s)
        return times
    finally:
        for proc in procs:
            stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--record", default=None, help="map-relative record file to edit (default: the first gap)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gapmap-live-"))
    try:
        kb, described = real_scale_map(work)
        record = kb / args.record if args.record else sorted((kb / "gaps").glob("*.yaml"))[0]
        if not record.is_file():
            raise SystemExit(f"bench: no record file {record}")
        records = sum(1 for d in ("fields", "gaps", "capabilities", "resources") for _ in (kb / d).glob("*.yaml"))
        print(f"bench: map = {described}, {records} records; editing {record.relative_to(kb)}", flush=True)
        rel = record.relative_to(kb)
        ours, theirs = "gapmap serve", "mkdocs serve (floor)"
        p1, p2 = free_port(), free_port()
        count = {}

        def floor_command():  # as many pages as the served site's sitemap lists
            count["pages"] = (fetch(f"http://127.0.0.1:{p1}/sitemap.xml") or "").count("<loc>")
            if count["pages"] < records:
                raise SystemExit(f"bench: the served sitemap lists {count['pages']} pages for {records} records")
            floor = floor_site(work / "floor", count["pages"])
            return [sys.executable, "-m", "mkdocs", "serve", "-f", str(floor), "-a", f"127.0.0.1:{p2}"]

        times = measure([
            (ours, [sys.executable, "-m", "gapmap", "serve", "--kb", str(kb), "--port", str(p1)],
             f"http://127.0.0.1:{p1}/{rel.parent}/{rel.stem}/", record, r"^(title: ).*$"),
            (theirs, floor_command, f"http://127.0.0.1:{p2}/p00000/", work / "floor" / "docs" / "p00000.md",
             r"^(# ).*$"),
        ], args.repeats, work)
        pages = count["pages"]
        a, b = statistics.median(times[ours]), statistics.median(times[theirs])
        print(f"\nlive reload, {described} ({records} records, {pages} pages), median of {args.repeats} "
              "interleaved edits (a loaded machine makes both slower alike):")
        print(f"  gapmap serve          {a:6.2f} s")
        print(f"  mkdocs serve (floor)  {b:6.2f} s   ({pages} trivial pages)")
        print(f"  ratio                 {a / b:6.2f}×  (budget 0.30×: {'met' if a / b <= 0.3 else 'NOT met'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
