"""The theme's stylesheet is cut to what the built pages can match, and nothing they use is lost."""

from __future__ import annotations

from gapmap.site.slim import Used, slim_css

CSS = ("@charset \"UTF-8\";:root{--x:url(\"data:image/svg+xml;charset=utf-8,<svg>{}</svg>\")}"
       ".md-header{color:red}.md-version{color:blue}.md-typeset code:not(.focus-visible){outline:0}"
       "[dir=rtl] .md-header{left:0}[dir=ltr] .md-header{right:0}"
       "@media screen and (min-width:60em){.md-version,.md-header{margin:0}.md-tooltip{top:0}}"
       "@keyframes spin{0%{opacity:0}to{opacity:1}}.md-status--new{color:green}"
       "/*# sourceMappingURL=main.min.css.map*/")


def used(html: str, js: str = "") -> Used:
    u = Used()
    u.add_html(html)
    u.add_script(js)
    return u


def test_rules_for_classes_no_page_has_are_dropped_and_the_rest_kept_as_written():
    out = slim_css(CSS, used('<body dir="ltr"><header class="md-header"></header><div class="md-typeset">'))
    assert ".md-header{color:red}" in out and ".md-version" not in out and ".md-tooltip" not in out
    assert "@media screen and (min-width:60em){.md-header{margin:0}}" in out  # one selector of two kept
    assert ".md-typeset code:not(.focus-visible){outline:0}" in out  # a class under :not() decides nothing
    assert "[dir=ltr] .md-header" in out and "[dir=rtl]" not in out  # no page is right-to-left
    assert out.startswith('@charset "UTF-8";:root{--x:url("data:image/svg+xml;charset=utf-8,<svg>{}</svg>")}')
    assert "@keyframes spin{0%{opacity:0}to{opacity:1}}" in out and "sourceMappingURL" not in out


def test_classes_a_script_adds_or_builds_from_a_prefix_are_kept():
    out = slim_css(CSS, used("<p>", js='e.classList.add("md-tooltip");s.className=`md-status--${k}`'))
    assert ".md-tooltip{top:0}" in out and ".md-status--new{color:green}" in out
    assert "@media" in out and ".md-header" not in out


def test_the_theme_stylesheet_reads_back_whole_when_every_rule_is_needed():
    from pathlib import Path

    import material

    from gapmap.site import slim

    class Everything(Used):
        def needs(self, selector):
            return True

    for sheet in (Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("*.min.css"):
        css = slim._COMMENT.sub("", sheet.read_text(encoding="utf-8"))
        assert slim_css(css, Everything()) == css
