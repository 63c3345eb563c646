"""Site metadata: the repository and site address from the git remote, the Atom feed, the SVG
chart helpers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gapmap.site.feed import atom
from gapmap.site.plugin import _web_url
from gapmap.site.svg import compact, linear_ticks, log_ticks


def test_a_git_remote_gives_the_repository_web_address():
    assert _web_url("git@github.com:someone/open-gap-map.git") == "https://github.com/someone/open-gap-map"
    assert _web_url("https://github.com/someone/open-gap-map.git") == "https://github.com/someone/open-gap-map"
    assert _web_url("ssh://git@gitlab.example.org/team/map") == "https://gitlab.example.org/team/map"
    assert _web_url("https://user:token@github.com/a/b") == "https://github.com/a/b"
    assert _web_url("/srv/git/map.git") is None


def test_the_feed_is_atom_with_one_entry_per_changed_record():
    entries = [{"id": "gap-one", "kind": "gap", "title": "Gap <One>", "url": "gaps/gap-one/", "date": "2026-11-02",
                "summary": "A & B"}]
    root = ET.fromstring(atom(entries, "Open Gap Map", "https://maps.example.org/"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = root.find("a:entry", ns)
    assert entry.find("a:title", ns).text == "Gap <One> (gap)"
    assert entry.find("a:link", ns).get("href") == "https://maps.example.org/gaps/gap-one/"
    assert root.find("a:updated", ns).text == "2026-11-02T00:00:00Z"
    assert ET.fromstring(atom([], "Open Gap Map", None)).find("a:id", ns).text == "urn:gapmap:feed"


def test_tick_labels_are_short_and_spaced():
    assert compact(2.46e9, money=True) == "$2.46B" and compact(0.05) == "0.05"
    assert log_ticks(3, 4e7) == [10.0, 1000.0, 100000.0, 10000000.0]
    assert log_ticks(2, 40) == [2.0, 5.0, 10.0, 20.0]
    assert linear_ticks(2026.3, 2041.8) == [2030, 2035, 2040]
    assert linear_ticks(2026.3, 2031.8) == [2027, 2028, 2029, 2030, 2031]
