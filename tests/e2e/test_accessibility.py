"""axe-core (vendored: tests/e2e/axe.min.js, axe-core 4.14.1, MPL-2.0, licence beside it) finds
no violation of any impact on any page type, in light and dark mode; charts keep their labels
inside the plot at phone and desktop widths."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_fixtures import browser, built_site, site_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e
AXE = Path(__file__).with_name("axe.min.js")
TIMEOUT = 30000
PAGES = ["", "ranked/", "catalogue/", "graph/", "portfolio/", "methods/", "downloads/", "glossary/",
         "contributing/", "reference/schema/", "reference/codes/", "fields/biology/",
         "gaps/no-continuous-monitoring/", "capabilities/cheap-sensor/", "capabilities/sensor-network/",
         "resources/cost-series/"]


def axe_violations(pg) -> list[str]:
    pg.add_script_tag(path=str(AXE))
    result = pg.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violation(browser, site_url, path, scheme):
    context = browser.new_context(color_scheme=scheme)
    pg = context.new_page()
    try:
        pg.goto(site_url + path)
        pg.wait_for_load_state("networkidle")
        if path in ("catalogue/", "graph/"):
            pg.wait_for_selector("[data-ready]", timeout=TIMEOUT)
        assert axe_violations(pg) == []
    finally:
        context.close()


def test_axe_finds_no_violation_in_the_interactive_chart_and_the_open_search(browser, site_url):
    context = browser.new_context()
    pg = context.new_page()
    try:
        pg.goto(site_url + "capabilities/cheap-sensor/")
        pg.click(".gm-interactive")
        pg.wait_for_selector(".gm-chart svg.main-svg", timeout=TIMEOUT)
        pg.click("label.md-search__icon, .md-search__input")
        # the search panel fades in over 0.4 s; axe blends colours mid-fade, so score it once settled
        pg.wait_for_function("() => [...document.querySelectorAll('.md-search__inner, .md-search__output')]"
                             ".every(e => getComputedStyle(e).opacity === '1')", timeout=TIMEOUT)
        assert axe_violations(pg) == []
    finally:
        context.close()


def _boxes(loc, selector: str) -> list[dict]:
    return loc.locator(selector).evaluate_all("els => els.map(e => { const r = e.getBoundingClientRect(); "
                                             "return {x: r.x, y: r.y, w: r.width, h: r.height, t: e.textContent}; })")


def _overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5 and \
        a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["capabilities/cheap-sensor/", "gaps/no-continuous-monitoring/", "portfolio/"])
def test_chart_labels_do_not_overlap_and_stay_inside_the_chart(browser, site_url, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(site_url + path)
        pg.wait_for_load_state("load")
        for i in range(pg.locator("svg.gm-svg").count()):
            svg = pg.locator("svg.gm-svg").nth(i)
            frame = svg.bounding_box()
            texts = _boxes(svg, "text")
            assert texts, "a chart without tick labels"
            for j, a in enumerate(texts):
                assert frame["x"] - 1 <= a["x"] and a["x"] + a["w"] <= frame["x"] + frame["width"] + 1, a
                assert frame["y"] - 1 <= a["y"] and a["y"] + a["h"] <= frame["y"] + frame["height"] + 1, a
                for b in texts[j + 1:]:
                    assert not _overlap(a, b), (a, b)
            assert min(t["h"] for t in texts) >= 9 if width == 390 else True  # readable on a phone
        for poly in pg.locator("svg.gm-svg polygon").all():  # bands are clipped to the plot area
            clip = poly.evaluate("p => p.closest('g[clip-path]') !== null")
            assert clip
    finally:
        context.close()
