"""Defects of a gap-map.org export found at conversion time (gapmap.interop.defects), checked on
small in-memory exports: what validation will report, and the notes it cannot see."""

from __future__ import annotations

from gapmap.interop.importer import convert


def _uuid(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


def _export(resources=(), capabilities=()) -> dict:
    return {"fields": [], "gaps": [], "capabilities": list(capabilities), "resources": list(resources),
            "metadata": {}}


def _res(n, title, url):
    return {"id": _uuid(n), "title": title, "url": url, "summary": "", "types": ["Company"]}


def test_resources_sharing_a_title_are_noted_even_when_their_urls_differ():
    report = convert(_export([_res(1, "Lila", "https://a.org"), _res(2, "Lila ", "https://b.org"),
                              _res(3, "Other", "https://c.org")])).report
    assert report.notes == ["resources lila, lila-2 share the title 'Lila' in the export"]


def test_a_shared_url_is_a_duplicate_url_warning_on_the_later_file():
    report = convert(_export([_res(1, "B", "https://x.org/"), _res(2, "A", "https://X.org")])).report
    dupes = [(d.id, d.code) for d in report.defects if d.code == "duplicate-url"]
    assert dupes == [("b", "duplicate-url")]


def test_a_url_that_is_not_http_stays_as_it_is_and_is_a_bad_url_error():
    conversion = convert(_export([_res(1, "Sage", "Initiative")]))
    assert conversion.records["resource"]["sage"]["url"] == "Initiative"
    assert [(d.severity, d.code) for d in conversion.report.defects if d.id == "sage"] == [("error", "bad-url")]


def test_a_capability_without_description_is_a_missing_key_error_and_its_resources_orphans():
    cap = {"id": _uuid(9), "name": "Quake prediction", "slug": "quake-prediction", "gaps": [],
           "resources": [_uuid(1)], "tags": []}
    report = convert(_export([_res(1, "Paper", "https://p.org")], [cap])).report
    found = {(d.id, d.severity, d.code) for d in report.defects}
    assert ("quake-prediction", "error", "missing-key") in found
    assert ("paper", "warning", "orphan-resource") in found
    assert "which fails its schema" in next(d.message for d in report.defects if d.id == "paper")
