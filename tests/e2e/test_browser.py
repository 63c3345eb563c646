"""The built site in headless Chromium: search, charts, graph explorer, catalogue filters,
no console errors, and no broken internal link anywhere in the site."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from site_fixtures import SEARCH_WORD, browser, built_site, page, site_url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e
TIMEOUT = 30000  # generous: the machine is shared


def test_search_finds_a_record_by_a_word_of_its_description_and_opens_it(page, site_url):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")  # the search index is fetched by a worker
    result = page.locator(".md-search-result__item a").first
    for _ in range(10):  # a query typed before the search worker has its index gets no answer: type again
        page.fill("input.md-search__input", "")
        page.type("input.md-search__input", SEARCH_WORD)
        try:
            result.wait_for(timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    result.wait_for(timeout=TIMEOUT)
    result.click()
    page.wait_for_url("**/capabilities/sensor-network/**", timeout=TIMEOUT)
    assert "Sensor Network" in page.title()
    assert page.errors == []


def test_capability_page_draws_its_cost_chart_and_plotly_only_on_request(page, site_url):
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if "plotly" in r.url else None)
    page.goto(site_url + "capabilities/cheap-sensor/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".gm-chart svg.gm-svg polygon").count() == 2  # both bands drawn at build time
    assert scripts == []  # no plotly until a reader asks
    page.click(".gm-interactive")
    page.wait_for_selector(".gm-chart svg.main-svg", timeout=TIMEOUT)
    assert page.locator(".gm-chart .scatterlayer .trace").count() >= 5  # bands, median, observations, target
    assert page.errors == []


def test_graph_explorer_draws_and_a_click_opens_the_record(page, site_url):
    page.goto(site_url + "graph/")
    page.wait_for_selector(".gm-graph .gm-node", timeout=TIMEOUT)
    assert page.locator(".gm-graph .gm-node").count() == 8  # 2 fields, 3 gaps, 3 capabilities
    assert page.locator(".gm-labels text").count() == 2  # the fields are labelled
    square = page.locator(".gm-graph rect.gm-field").first
    box = square.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/fields/**", timeout=TIMEOUT)
    assert page.errors == []


def test_graph_explorer_field_filter_hides_other_fields(page, site_url):
    page.goto(site_url + "graph/")
    page.wait_for_selector(".gm-graph .gm-node", timeout=TIMEOUT)
    page.select_option("#gm-graph-field", "biology")
    page.wait_for_function("[...document.querySelectorAll('.gm-graph .gm-node')].filter(n => n.style.display !== 'none').length < 8")
    assert page.errors == []


def test_graph_explorer_by_keyboard_search_and_list(page, site_url):
    page.goto(site_url + "graph/")
    page.wait_for_selector(".gm-graph[data-ready]", timeout=TIMEOUT)
    page.focus(".gm-graph")
    assert page.locator(".gm-node.gm-sel").count() == 1  # focus selects a first node
    page.keyboard.press("ArrowDown")
    page.keyboard.press("n")
    assert page.locator(".gm-node.gm-sel").count() == 1 and "linked to" in page.inner_text("#gm-graph-status")
    page.fill("#gm-graph-find", "Cheap")
    assert "Cheap Sensor" in page.inner_text("#gm-graph-status")
    assert page.locator(".gm-labels .gm-sel-label").text_content() == "Cheap Sensor"
    page.click(".gm-graph-listview summary")
    assert page.locator("#gm-graph-list a").count() >= 5
    page.focus(".gm-graph")
    page.keyboard.press("Enter")
    page.wait_for_url("**/capabilities/cheap-sensor/**", timeout=TIMEOUT)
    assert page.errors == []


def test_catalogue_filter_narrows_the_rows(page, site_url):
    page.goto(site_url + "catalogue/")
    rows = page.locator("table.gm-catalogue tbody tr")
    page.wait_for_selector("table.gm-catalogue[data-ready]", timeout=TIMEOUT)
    everything = rows.count()
    page.select_option('[data-filter="kind"]', "capability")
    expect(rows).to_have_count(3)
    assert 3 < everything
    page.select_option('[data-filter="cost"]', "cost model")
    expect(rows).to_have_count(1)
    assert rows.first.locator("a").inner_text() == "Cheap Sensor"
    assert page.errors == []


def test_a_tag_link_opens_the_catalogue_filtered_by_that_tag(page, site_url):
    page.goto(site_url + "catalogue/#tag=measurement")
    page.wait_for_selector("table.gm-catalogue[data-loaded]", timeout=TIMEOUT)
    assert page.locator("table.gm-catalogue tbody tr").count() == 1


@pytest.mark.parametrize("path", ["", "ranked/", "portfolio/", "methods/", "downloads/", "gaps/no-continuous-monitoring/",
                                  "fields/biology/", "resources/cost-series/", "reference/schema/"])
def test_pages_load_without_console_errors(page, site_url, path):
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    if page.locator(".gm-chart .gm-interactive").count():
        page.click(".gm-chart .gm-interactive")
        page.wait_for_selector(".gm-chart svg.main-svg", timeout=TIMEOUT)
    assert page.errors == []


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def internal_targets(html_file: Path, root: Path):
    parser = _Links()
    parser.feed(html_file.read_text(encoding="utf-8"))
    for target in parser.targets:
        url, _ = urldefrag(target)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # external, or an anchor on the same page
        path = (root / parts.path.lstrip("/")) if parts.path.startswith("/") else (html_file.parent / unquote(parts.path))
        yield target, path


def test_no_broken_internal_link_in_the_whole_site(built_site):
    broken = []
    for html_file in built_site.rglob("*.html"):
        for target, path in internal_targets(html_file, built_site):
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append(f"{html_file.relative_to(built_site)}: {target}")
    assert broken == []


def test_catalogue_sorts_pages_counts_facets_and_keeps_its_state_in_the_url(page, site_url):
    page.goto(site_url + "catalogue/")
    page.wait_for_selector("table.gm-catalogue[data-ready]", timeout=TIMEOUT)
    assert page.locator("table.gm-catalogue tbody tr").count() == 10  # every record fits on one page here
    assert page.locator('[data-filter="kind"] option[value="capability"]').inner_text() == "capability (3)"  # at build time
    assert not page.locator("table.gm-catalogue[data-loaded]").count()  # the data file waits for a filter
    page.select_option('[data-filter="kind"]', "gap")
    expect(page.locator('[data-filter="field"] option[value="biology"]')).to_have_text("Biology (2)")
    page.click('th[data-sort="title"] button')
    page.click('th[data-sort="title"] button')  # descending
    expect(page.locator('th[data-sort="title"]')).to_have_attribute("aria-sort", "descending")
    titles = page.locator("table.gm-catalogue tbody tr td:first-child a").all_inner_texts()
    assert titles == sorted(titles, reverse=True) and len(titles) == 3
    assert page.get_attribute('th[data-sort="title"]', "aria-sort") == "descending"
    assert "kind=gap" in page.url and "sort=title" in page.url and "dir=desc" in page.url
    page.reload()
    page.wait_for_selector("table.gm-catalogue[data-loaded]", timeout=TIMEOUT)
    assert page.locator("table.gm-catalogue tbody tr td:first-child a").all_inner_texts() == titles
    field_cells = page.locator("table.gm-catalogue tbody tr td:nth-child(3)").all_inner_texts()
    assert set(field_cells) <= {"Physics", "Biology"}  # titles, not ids
    assert page.errors == []


def test_catalogue_fits_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    pg = context.new_page()
    try:
        pg.goto(site_url + "catalogue/")
        pg.wait_for_selector("table.gm-catalogue[data-ready]", timeout=TIMEOUT)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        pg.select_option("#gm-sort", "title:desc")  # the column headers are hidden on a phone: sort from here
        pg.wait_for_selector("table.gm-catalogue[data-loaded]", timeout=TIMEOUT)
        expect(pg.locator("table.gm-catalogue tbody tr td:first-child a").first).to_have_text("Sensor Network")
        titles = pg.locator("table.gm-catalogue tbody tr td:first-child a").all_inner_texts()
        assert titles == sorted(titles, reverse=True) and "sort=title" in pg.url
    finally:
        context.close()


def test_the_theme_script_comes_after_the_page_has_loaded_and_still_works(page, site_url):
    page.emulate_media(color_scheme="light")
    page.goto(site_url + "ranked/")
    page.wait_for_load_state("networkidle")
    timing = page.evaluate("""() => [performance.getEntriesByType('navigation')[0].loadEventStart,
        performance.getEntriesByType('resource').find(e => /bundle\\.[0-9a-f]+\\.min\\.js/.test(e.name)).startTime]""")
    assert timing[1] >= timing[0]  # fetched once the page has loaded, not beside its stylesheet
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.locator("label.md-header__button:visible[for^='__palette']").click()  # the theme's toggle
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate", timeout=TIMEOUT)
    assert page.errors == []
