"""Fixtures for the e2e tests (imported by them; a conftest.py here would shadow tests/conftest.py,
since both would be the module `conftest`): a small fixed map built into a site once per session,
served by a local threaded http.server, and Debian's chromium driven by Playwright (no browser
download)."""

from __future__ import annotations

import atexit
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import record, write_map

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
SEARCH_WORD = "xylophonic"  # appears in one record's description only


def capability(rid: str, category: str, **keys) -> tuple[str, dict]:
    """A capability record with its `kind` (record() takes `kind` as the record kind)."""
    return _set(record("capability", rid, **keys), kind=category)


def _set(rec: tuple[str, dict], **keys) -> tuple[str, dict]:
    rec[1].update(keys)
    return rec


def site_map_records() -> list:
    """Two fields, three gaps (one assessed), capabilities with a cost series and build estimates."""
    obs = [{"year": y, "value": v, "source": "cost-series"} for y, v in
           ((2010, 1000.0), (2013, 400.0), (2016, 150.0), (2019, 60.0), (2022, 25.0))]
    return [
        record("field", "physics"), record("field", "biology"),
        record("resource", "cost-series"), record("resource", "review-paper"),
        capability("cheap-sensor", "technology", maturity="scaling", resources=["review-paper"],
               description="A sensor whose unit cost falls each year (see [cost-series]).",
               cost={"unit": "USD per sensor", "observations": obs, "model": {"kind": "exponential"},
                     "target": {"value": 5.0, "label": "five dollars a sensor"}}),
        capability("sensor-network", "platform", maturity="prototype", requires=["cheap-sensor"],
               description=f"A {SEARCH_WORD} network of sensors built on `cheap-sensor`.",
               build={"cost_usd": {"dist": "lognormal", "p05": 2.0e7, "p95": 1.0e8},
                      "years": {"dist": "triangular", "low": 2, "mode": 4, "high": 7}}),
        capability("field-station", "infrastructure", maturity="research",
               build={"cost_usd": 5.0e6, "years": {"dist": "uniform", "low": 1, "high": 3}}),
        record("gap", "no-continuous-monitoring", field="physics", tags=["measurement"],
               capabilities=[{"capability": "sensor-network", "role": "necessary"},
                             {"capability": "field-station", "role": "partial"}],
               assessment={"importance": 4, "tractability": 3, "neglectedness": 4, "confidence": "medium",
                           "rationale": "Monitoring underpins the rest; see [sensor-network]."}),
        record("gap", "no-field-baseline", field="biology", related_gaps=["no-continuous-monitoring"],
               capabilities=[{"capability": "field-station", "role": "necessary"}]),
        record("gap", "no-cheap-census", field="biology",
               capabilities=[{"capability": "cheap-sensor", "role": "enabling"},
                             {"capability": "field-station", "role": "necessary"}]),
    ]


# Each test module imports these fixtures, which makes pytest hold one copy per module; the
# shared state below gives all of them one site, one server and one browser per process (two
# sync Playwright instances cannot run in one process).
_SHARED: dict = {}


def _stop() -> None:
    if "browser" in _SHARED:
        _SHARED.pop("browser").close()
        _SHARED.pop("playwright").stop()
    if "server" in _SHARED:
        server = _SHARED.pop("server")
        server.shutdown()
        server.server_close()


atexit.register(_stop)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    from gapmap.site.build import build_site

    if "site" not in _SHARED:
        kb = write_map(tmp_path_factory.mktemp("e2e") / "kb", *site_map_records())
        _SHARED["site"] = build_site(kb, tmp_path_factory.mktemp("e2e-site") / "site", strict=True)
    return _SHARED["site"]


@pytest.fixture(scope="session")
def site_url(built_site):
    if "server" not in _SHARED:
        handler = partial(_QuietHandler, directory=str(built_site))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _SHARED["server"] = server
    return f"http://127.0.0.1:{_SHARED['server'].server_address[1]}/"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if "browser" not in _SHARED:
        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(executable_path=CHROMIUM, args=ARGS)
    return _SHARED["browser"]


@pytest.fixture
def page(browser):
    """A fresh page; `page.errors` collects console errors and uncaught exceptions."""
    context = browser.new_context()
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()
