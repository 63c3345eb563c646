"""Lighthouse 12.2.3 on every page type of a built site, desktop and mobile: performance and
accessibility scores, and the bytes each page transfers (uncompressed, as served here, with the
gzip size beside it), against the issue 16 budgets.

The site is served without compression by a local http.server on 127.0.0.1 and audited with
Debian's chromium (`npx -y lighthouse@12.2.3` needs the npm registry once; Node 20).

Run: python bench/lighthouse.py [--site DIR | --kb MAP] [--only home,gap] [--json OUT]
  (without --site the map at --kb, default the repository, is built into a temporary folder)
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ["npx", "-y", "lighthouse@12.2.3"]
CHROMIUM = "/usr/bin/chromium"
BUDGET = {"chart": 1_500_000, "other": 500_000}  # bytes per page view, uncompressed
TARGET = {"desktop": 95, "mobile": 90}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


GZIP_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt")
_GZ: dict[str, bytes] = {}


class Gzip(Quiet):
    """Serves text files gzip-encoded when the browser accepts it, as any real host does."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.is_file() and path.suffix in GZIP_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        key = str(path)
        if key not in _GZ:
            _GZ[key] = gzip.compress(path.read_bytes(), 6)
        body = _GZ[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def page_types(site: Path) -> dict[str, str]:
    """{page type: site-relative URL}: the overview pages and one record page of each kind (the
    gap and capability chosen with charts, the heaviest case)."""
    def first(folder: str, needle: str = "") -> str | None:
        for d in sorted((site / folder).glob("*/index.html")):
            if needle in d.read_text(encoding="utf-8"):
                return f"{folder}/{d.parent.name}/"
        return None

    out = {"home": "", "ranked": "ranked/", "catalogue": "catalogue/", "graph": "graph/",
           "portfolio": "portfolio/", "methods": "methods/", "downloads": "downloads/",
           "field": first("fields"), "gap": first("gaps", "gm-chart") or first("gaps"),
           "capability-chart": first("capabilities", "data-figure") or first("capabilities", "gm-chart"),
           "capability": first("capabilities"), "resource": first("resources")}
    return {k: v for k, v in out.items() if v is not None and (site / v / "index.html").is_file()}


def lighthouse(url: str, form: str, tries: int = 2) -> dict:
    """One Lighthouse report; a run that times out on the shared machine is tried again."""
    for attempt in range(tries):
        try:
            return _lighthouse(url, form)
        except (RuntimeError, subprocess.TimeoutExpired):
            if attempt == tries - 1:
                raise


def _lighthouse(url: str, form: str) -> dict:
    cmd = [*LIGHTHOUSE, url, f"--chrome-path={CHROMIUM}", "--quiet", "--output=json", "--output-path=stdout",
           "--only-categories=performance,accessibility",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    if form == "desktop":
        cmd.append("--preset=desktop")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url} ({form}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def summarise(report: dict, site: Path, base: str) -> dict:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    raw = sum(r.get("resourceSize") or r.get("transferSize") or 0 for r in requests)  # uncompressed bytes
    gz = 0
    for r in requests:
        path = urlsplit(r["url"]).path
        if not r["url"].startswith(base):
            continue
        local = site / unquote(path).lstrip("/")
        local = local / "index.html" if local.is_dir() else local
        if local.is_file():
            gz += len(gzip.compress(local.read_bytes(), 6))
    cats = report["categories"]
    return {"performance": round(100 * (cats["performance"]["score"] or 0)),
            "accessibility": round(100 * (cats["accessibility"]["score"] or 0)),
            "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
            "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
            "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
            "bytes": raw, "gzip_bytes": gz, "requests": len(requests),
            "failed_a11y": [a for a, v in audits.items() if v.get("score") == 0
                            and a in {r["id"] for r in cats["accessibility"]["auditRefs"]}]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build --kb into a temporary folder)")
    parser.add_argument("--kb", type=Path, default=REPO)
    parser.add_argument("--only", help="comma-separated page types")
    parser.add_argument("--forms", default="desktop,mobile")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--gzip", action="store_true", help="serve text gzip-encoded, as a real host does "
                        "(default: uncompressed, so transfer sizes are upper bounds)")
    args = parser.parse_args()
    if shutil.which("npx") is None or not Path(CHROMIUM).exists():
        sys.exit("needs npx (Node 20) and /usr/bin/chromium")
    tmp = None
    if args.site is None:
        sys.path.insert(0, str(REPO / "tools"))
        from gapmap.site.build import build_site

        tmp = tempfile.mkdtemp(prefix="lighthouse-site-")
        args.site = build_site(args.kb, Path(tmp) / "site")
    print(f"site: {args.site.resolve()} (map {args.kb if tmp else 'as built'})", flush=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Gzip if args.gzip else Quiet, directory=str(args.site)))
    print(f"served {'gzip-encoded' if args.gzip else 'uncompressed'}; budgets are for uncompressed bytes", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    types = page_types(args.site)
    if args.only:
        types = {k: v for k, v in types.items() if k in args.only.split(",")}
    results, failed = {}, 0
    print(f"{'page':18} {'form':8} {'perf':>4} {'a11y':>4} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6} "
          f"{'bytes':>10} {'gzip':>9} {'budget':>9}  path")
    try:
        for name, path in types.items():
            html = (args.site / path / "index.html").read_text(encoding="utf-8")
            budget = BUDGET["chart" if "gm-chart" in html or "gm-graph" in html else "other"]
            for form in args.forms.split(","):
                try:
                    r = summarise(lighthouse(base + path, form), args.site, base)
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    failed += 1
                    print(f"{name:18} {form:8} FAILED: {str(exc)[:300]}", flush=True)
                    continue
                r |= {"path": path, "budget": budget}
                results[f"{name}/{form}"] = r
                ok = r["performance"] >= TARGET[form] and r["bytes"] <= budget and r["accessibility"] == 100
                failed += not ok
                print(f"{name:18} {form:8} {r['performance']:>4} {r['accessibility']:>4} {r['lcp_ms']:>7} "
                      f"{r['tbt_ms']:>7} {r['cls']:>6} {r['bytes']:>10,} {r['gzip_bytes']:>9,} {budget:>9,}  "
                      f"/{path}{'' if ok else '  <- over'}{' ' + ','.join(r['failed_a11y']) if r['failed_a11y'] else ''}",
                      flush=True)
    finally:
        server.shutdown()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(f"{failed} of {len(results)} runs miss a target (perf ≥ {TARGET['desktop']} desktop / "
          f"{TARGET['mobile']} mobile, accessibility 100, bytes within budget)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
