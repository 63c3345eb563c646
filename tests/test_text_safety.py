"""The text checks: markup and script links are found wherever they hide; plain prose is not flagged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from gapmap.check.text import unsafe_parts

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    "<svg/onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[x](vbscript:msgbox)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<!-- hidden -->",
]
BENIGN = [
    "a < b and c > d",
    "Costs fell from $3,000 to <$1,000 per genome.",
    "Use `<script>` tags? No: `code spans` are safe.",
    "```\n<div>in a fence</div>\n```",
    "[a link](https://example.org/path?q=1)",
    "[relative](../gaps/x/)",
    "Ratio 1:2, time 10:30, and data: we have lots.",
    "Emails like <someone@example.org> and autolinks <https://example.org>.",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_found(text):
    assert unsafe_parts(text), text


@pytest.mark.parametrize("text", BENIGN)
def test_benign_markdown_is_not_flagged(text):
    assert unsafe_parts(text) == []


@settings(max_examples=500, deadline=None)
@given(prefix=st.text(max_size=40), payload=st.sampled_from(HOSTILE), suffix=st.text(max_size=40))
def test_hostile_payload_inside_random_prose_is_found_or_neutralised(prefix, payload, suffix):
    """Either the check reports it, or markdown-it (HTML off) would not render it live."""
    from markdown_it import MarkdownIt

    text = prefix + "\n\n" + payload + "\n\n" + suffix
    if not unsafe_parts(text):
        html = MarkdownIt("commonmark", {"html": False}).render(text).lower()
        assert "<script" not in html and "javascript:" not in html.replace("&quot;", "")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_raises(text):
    unsafe_parts(text)


def test_iter_strings_yields_each_wanted_string_and_key_at_its_path():
    from gapmap.check.text import iter_strings

    data = {"title": "a <b>", "tags": ["x", "<y"], "cost": {"unit": "<z", "n": 3, "<k": "plain"}, 4: ["<w"]}
    wanted = lambda s: "<" in s  # noqa: E731
    assert sorted(iter_strings(data, wanted, wanted), key=str) == sorted([
        (("title",), "a <b>"), (("tags", 1), "<y"), (("cost", "unit"), "<z"), (("key", "cost", "<k"), "<k"),
        ((4, 0), "<w")], key=str)
    assert list(iter_strings(data, wanted)) and all(p[0] != "key" for p, _ in iter_strings(data, wanted))
