"""The static site: record pages at stable URLs and out of the nav, search over records,
plotly served once, strict builds, and the repository's own map."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from conftest import REPO, record, tiny_map_records, write_map
from gapmap.cli import main
from gapmap.load import load_map
from gapmap.site.generate import generate_site

PAGE_BUDGET = 64 * 1024  # HTML of one record page: ~20 KB of theme chrome, and a cost chart drawn as inline SVG (7-15 KB) with its data table, in place of 4.8 MB of plotly
RECORD_DIRS = ("fields", "gaps", "capabilities", "resources")


def costed_map_records() -> list:
    """The tiny map plus a capability with a cost series and a gap that cites it."""
    obs = [{"year": y, "value": v, "source": "paper-a"} for y, v in ((2012, 90.0), (2016, 30.0), (2020, 9.0))]
    cap = record("capability", "cap-cost", description="Cheaper each year, per [paper-a] and `cap-a`.",
                 cost={"unit": "USD per unit", "observations": obs, "model": {"kind": "exponential"},
                       "target": {"value": 1.0}})
    gap = record("gap", "gap-three", capabilities=[{"capability": "cap-cost", "role": "necessary"}],
                 assessment={"importance": 5, "tractability": 5, "neglectedness": 5, "confidence": "high",
                             "rationale": "Top."})
    return tiny_map_records() + [cap, gap]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from gapmap.site.build import build_site

    kb = write_map(tmp_path_factory.mktemp("site") / "kb", *costed_map_records())
    return build_site(kb, tmp_path_factory.mktemp("out") / "site", strict=True)


def record_pages(site):
    return [p for d in RECORD_DIRS for p in (site / d).glob("*/index.html")]


def test_every_record_has_a_page_at_its_stable_url(site):
    for path in ("fields/physics", "gaps/gap-one", "capabilities/cap-cost", "resources/paper-a"):
        assert (site / path / "index.html").is_file()


def test_records_stay_out_of_the_navigation(site):
    html = (site / "downloads" / "index.html").read_text()
    assert not re.search(r'href="[./]*(gaps|capabilities|resources|fields)/', html)
    assert 'href="../ranked/"' in html


def test_search_indexes_record_pages_although_they_are_not_in_the_nav(site):
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {d["location"] for d in index["docs"]}
    assert {"gaps/gap-one/", "capabilities/cap-cost/", "resources/paper-a/", "fields/physics/"} <= locations


def test_a_record_is_one_search_entry_with_its_title_and_opening_text(site):
    """Searching finds a record by its title and summary; its later sections (tables of other
    records, sources) are those records' own entries, not a dozen fragments of this one."""
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    gap = [d for d in docs if d["location"].startswith("gaps/gap-three/")]
    assert len(gap) == 1 and gap[0]["title"] == "Gap Three"
    assert "summary of gap-three" in gap[0]["text"].lower()
    assert any(d["location"].startswith("methods/#") for d in docs)  # hand-written pages keep their sections


def _primary_nav(html: str) -> str:
    start = html.index('<div class="md-sidebar md-sidebar--primary"')
    return " ".join(html[start:html.index('<div class="md-sidebar md-sidebar--secondary"')].split())


def test_the_nav_rendered_once_per_build_is_the_nav_each_record_page_would_get(site, tmp_path, monkeypatch):
    from gapmap.site.build import build_site
    from gapmap.site.plugin import GapMapPlugin

    monkeypatch.setattr(GapMapPlugin, "_once", lambda self, key, render: render())
    kb = write_map(tmp_path / "kb", *costed_map_records())
    plain = build_site(kb, tmp_path / "plain")
    for page in ("gaps/gap-three", "capabilities/cap-cost", "fields/physics"):
        ours, theirs = ((s / page / "index.html").read_text() for s in (site, plain))
        assert _primary_nav(ours) == _primary_nav(theirs)
        assert 'href="../../ranked/"' in _primary_nav(ours)


def test_plotly_is_served_once_and_only_named_by_pages_with_an_interactive_chart(site):
    assert (site / "assets" / "gapmap" / "plotly.min.js").stat().st_size > 1_000_000
    cost_page = (site / "capabilities" / "cap-cost" / "index.html").read_text()
    assert 'data-plotly="../../assets/gapmap/plotly.min.js"' in cost_page and 'class="gm-chart"' in cost_page
    assert "<svg" in cost_page and "Download data (CSV)" in cost_page  # drawn at build time, data one click away
    assert 'src="../../assets/gapmap/plotly.min.js"' not in cost_page  # fetched only on request
    assert "plotly.min.js" not in (site / "resources" / "paper-a" / "index.html").read_text()
    gap_page = (site / "gaps" / "gap-one" / "index.html").read_text()
    assert "plotly" not in gap_page and 'class="gm-svg"' in gap_page  # the box plot is inline SVG
    assert all(p.stat().st_size < 500_000 for p in site.rglob("*.html"))  # no library inlined


def test_record_pages_have_their_summary_as_description_and_a_how_to_cite_block(site):
    html = (site / "gaps" / "gap-one" / "index.html").read_text()
    assert '<meta name="description" content="Summary of gap-one.">' in html
    assert '<meta property="og:description" content="Summary of gap-one.">' in html
    assert "How to cite" in html and "<title>Gap One - Open Gap Map</title>" in html
    home = (site / "index.html").read_text()
    assert "<title>Open Gap Map</title>" in home and "<h1" in home and "Top gaps" in home


def test_ties_in_the_ranking_are_said(tmp_path):
    from gapmap.site.overview import tie_note

    assert tie_note([64, 64, 64, 48, 30, 30]) == {0: 3, 1: 3, 2: 3, 4: 2, 5: 2}


def test_record_pages_stay_under_the_size_budget(site):
    assert max(p.stat().st_size for p in record_pages(site)) < PAGE_BUDGET


def test_downloads_include_json_csv_gapmap_org_graphml_and_the_json_schemas(site):
    assert (site / "downloads" / "gapmap.graphml").read_text().startswith("<graphml")
    assert json.loads((site / "downloads" / "gapmap.json").read_text())["schema_version"]
    assert (site / "downloads" / "csv" / "gaps.csv").is_file() and (site / "downloads" / "gapmap-org.json").is_file()
    assert json.loads((site / "downloads" / "schemas" / "gap.schema.json").read_text())["title"] == "Gap", "generated from the models"


def test_strict_build_stops_on_a_warning_and_plain_build_prints_it(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records(), record("resource", "uncited"))
    strict = CliRunner().invoke(main, ["build", "--kb", str(kb), "--out", str(tmp_path / "a"), "--strict"])
    assert strict.exit_code == 1 and "orphan-resource" in strict.output
    assert not (tmp_path / "a" / "index.html").exists()
    plain = CliRunner().invoke(main, ["build", "--kb", str(kb), "--out", str(tmp_path / "b")])
    assert plain.exit_code == 0, plain.output
    assert (tmp_path / "b" / "resources" / "uncited" / "index.html").is_file()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    kb = write_map(tmp_path_factory.mktemp("gen") / "kb", *costed_map_records())
    return generate_site(load_map(kb), [], samples=2000).pages


def test_citations_link_to_the_cited_record_with_its_title(pages):
    text = pages["capabilities/cap-cost.md"]
    assert '<a href="../../resources/paper-a/" class="gm-cite">Paper A</a>' in text
    assert '<a href="../../capabilities/cap-a/" class="gm-cite"><code>cap-a</code></a>' in text


def test_a_capability_page_lists_the_gaps_that_need_it_derived_from_the_gap_side(pages):
    assert 'href="../../gaps/gap-two/"' in pages["capabilities/cap-b.md"]


def test_a_capability_with_a_cost_block_has_fan_chart_target_probabilities_and_hindcast(pages):
    text = pages["capabilities/cap-cost.md"]
    assert "90% band" in text and "Probability the target is reached" in text and "hindcast" in text.lower()


def test_a_gap_page_shows_its_closing_year_and_criticality(pages):
    text = pages["gaps/gap-one.md"]
    assert "Closing year" in text and "Criticality" in text


def test_the_portfolio_page_says_per_gap_what_money_buys_and_what_only_time_buys(pages):
    html = pages["portfolio.md"]
    assert "By gap: what money buys, what only time buys" in html
    row = next(r for r in html.split("<tr>") if 'href="../gaps/gap-three/"' in r)
    assert 'href="../capabilities/cap-cost/"' in row and "never within the horizon in" in row


def test_ranked_gaps_put_assessed_gaps_first_and_unassessed_after(pages):
    text = pages["ranked.md"]
    assert text.index("gaps/gap-three/") < text.index("Not assessed yet") < text.index("gaps/gap-one/")


def test_the_repository_map_builds_strict_with_edit_links_and_small_record_pages(tmp_path, monkeypatch):
    from gapmap.site.build import build_site

    monkeypatch.setenv("GAPMAP_REPO_URL", "https://example.org/maps/open-gap-map")
    monkeypatch.setenv("GAPMAP_SITE_URL", "https://maps.example.org/")
    site = build_site(REPO, tmp_path / "site", strict=True)
    pages = record_pages(site)
    assert len(pages) == sum(len(list((REPO / d).glob("*.yaml"))) for d in RECORD_DIRS)
    assert max(p.stat().st_size for p in pages) < PAGE_BUDGET
    cap = next(iter(sorted((REPO / "capabilities").glob("*.yaml")))).stem
    assert f"edit/main/capabilities/{cap}.yaml" in (site / "capabilities" / cap / "index.html").read_text()
    assert (site / "contributing" / "index.html").is_file()
    assert "https://example.org/maps/open-gap-map" in (site / "contributing" / "index.html").read_text()
    assert "<the repository's address>" not in (site / "contributing" / "index.html").read_text()
    sitemap = (site / "sitemap.xml").read_text()
    assert sitemap.count("<loc>") == len(list(site.rglob("index.html")))
    assert f"https://maps.example.org/capabilities/{cap}/" in sitemap


def test_record_page_sections_have_anchors_and_a_table_of_contents(site):
    html = (site / "gaps" / "gap-one" / "index.html").read_text()
    assert '<h2 id="capabilities">' in html and html.count('href="#capabilities"') >= 2  # permalink + toc


def test_builds_leave_no_temporary_folder_behind_on_success_or_failure(tmp_path, monkeypatch):
    import tempfile

    from gapmap.site.build import build_site

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    kb = write_map(tmp_path / "kb", *tiny_map_records())  # no mkdocs.yml: a docs folder is made for it
    build_site(kb, tmp_path / "site")
    assert list(scratch.iterdir()) == []
    (kb / "resources" / "orphan.yaml").write_text("id: orphan\ntitle: T\nurl: https://example.org/o\n")
    with pytest.raises(Exception):
        build_site(kb, tmp_path / "site", strict=True)  # stops on the orphan warning
    assert list(scratch.iterdir()) == []


def test_serve_on_a_port_in_use_is_one_line_suggesting_another(tmp_path):
    import socket

    kb = write_map(tmp_path / "kb", *tiny_map_records())
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--kb", str(kb), "--port", str(port)])
    assert result.exit_code == 1, result.output
    assert f"127.0.0.1:{port} is already in use" in result.output and f"--port {port + 1}" in result.output
    assert "Traceback" not in result.output


def test_downloads_follow_an_edit_although_they_are_cached_between_builds(tmp_path):
    from gapmap.site.build import build_site

    kb = write_map(tmp_path / "kb", *tiny_map_records())
    first = (build_site(kb, tmp_path / "a") / "downloads" / "gapmap.json").read_text()
    path = kb / "gaps" / "gap-one.yaml"
    path.write_text(path.read_text().replace("title: Gap One", "title: Gap One, renamed"))
    second = (build_site(kb, tmp_path / "b") / "downloads" / "gapmap.json").read_text()
    assert "Gap One, renamed" not in first and "Gap One, renamed" in second
    assert any((kb / ".gapmap-cache" / "exports").iterdir())


def _map_with_git(tmp_path, remote: str | None):
    """The tiny map with the repository's mkdocs.yml and hand-written pages, in a git repository
    whose `origin` is `remote` (none if None)."""
    import shutil
    import subprocess

    kb = write_map(tmp_path / "kb", *tiny_map_records())
    shutil.copy(REPO / "mkdocs.yml", kb / "mkdocs.yml")
    shutil.copytree(REPO / "site_src", kb / "site_src")
    subprocess.run(["git", "init", "-q", str(kb)], check=True)
    if remote:
        subprocess.run(["git", "-C", str(kb), "remote", "add", "origin", remote], check=True)
    return kb


def test_edit_links_and_addresses_come_from_the_git_remote(tmp_path, monkeypatch):
    from gapmap.site.build import build_site

    monkeypatch.delenv("GAPMAP_REPO_URL", raising=False)
    monkeypatch.delenv("GAPMAP_SITE_URL", raising=False)
    site = build_site(_map_with_git(tmp_path, "https://github.com/example/x.git"), tmp_path / "site")
    gap = (site / "gaps" / "gap-one" / "index.html").read_text()
    assert 'href="https://github.com/example/x/edit/main/gaps/gap-one.yaml"' in gap
    contributing = (site / "contributing" / "index.html").read_text()
    assert "git clone https://github.com/example/x.git" in contributing
    assert 'href="https://github.com/example/x/edit/main/site_src/contributing.md"' in contributing
    assert "<loc>https://example.github.io/x/gaps/gap-one/</loc>" in (site / "sitemap.xml").read_text()


def test_without_a_remote_no_page_links_to_a_made_up_repository(tmp_path, monkeypatch):
    from gapmap.site.build import build_site

    monkeypatch.delenv("GAPMAP_REPO_URL", raising=False)
    monkeypatch.delenv("GAPMAP_SITE_URL", raising=False)
    site = build_site(_map_with_git(tmp_path, None), tmp_path / "site")
    pages = list(site.rglob("*.html"))
    links = {h for p in pages for h in re.findall(r'href="([^"]*)"', p.read_text())}
    assert not [h for h in links if "edit/" in h or "github.com" in h or "OWNER" in h or "REPO" in h]
    assert not [p for p in pages if 'title="Edit this page"' in p.read_text()]
    contributing = (site / "contributing" / "index.html").read_text()
    assert "set repo_url in mkdocs.yml or GAPMAP_REPO_URL" in contributing
    assert "&lt;the repository's address&gt;" not in contributing
