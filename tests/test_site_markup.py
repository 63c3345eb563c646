"""Record Markdown on the site: citations become links, nothing live gets through."""

from gapmap.site.history import parse_log
from gapmap.site.markup import Renderer, esc, rel, safe_href

TITLES = {"cap-a": "Cap <A>", "paper-x": "Paper X"}
URLS = {"cap-a": "capabilities/cap-a/", "paper-x": "resources/paper-x/"}


def render(text: str, page: str = "gaps/g/") -> str:
    return Renderer(TITLES, URLS).markdown(text, page)


def test_a_bracketed_record_id_becomes_a_link_titled_with_the_record():
    assert render("See [paper-x].") == '<p>See <a href="../../resources/paper-x/" class="gm-cite">Paper X</a>.</p>\n'


def test_a_cited_title_is_escaped():
    assert "Cap &lt;A&gt;" in render("[cap-a]")


def test_a_backticked_known_id_becomes_a_link_and_an_unknown_one_stays_code():
    out = render("`paper-x` and `not-a-record`")
    assert '<a href="../../resources/paper-x/" class="gm-cite"><code>paper-x</code></a>' in out
    assert "<code>not-a-record</code>" in out and out.count("<a ") == 1


def test_unknown_ids_and_ordinary_markdown_links_are_left_alone():
    out = render("[nobody] and [paper-x](https://example.org) and [paper-x]: is a definition")
    assert "[nobody]" in out and '<a href="https://example.org">paper-x</a>' in out and "gm-cite" not in out


def test_script_links_raw_html_and_images_never_become_markup():
    out = render("[a](javascript:alert(1)) [b](data:text/html,x) <script>alert(1)</script> "
                 "<img src=x onerror=alert(1)> ![i](https://example.org/i.png) <vbscript:x>")
    assert "<script" not in out and "<img" not in out and "href=\"javascript" not in out
    assert "data:" not in out.split("href")[-1] or "href=\"data" not in out
    assert "&lt;script&gt;" in out


def test_http_and_relative_links_are_kept():
    out = render("[a](https://example.org/x) [b](../other/)")
    assert 'href="https://example.org/x"' in out and 'href="../other/"' in out


def test_record_headings_sit_below_the_page_sections():
    assert render("# Top\n\n## Next").startswith("<h3>Top</h3>\n<h4>Next</h4>")


def test_plain_text_is_escaped_and_control_characters_dropped():
    assert esc('<b a="1">&\x00') == "&lt;b a=&quot;1&quot;&gt;&amp;"


def test_only_http_and_relative_hrefs_are_safe():
    assert safe_href("https://x.org") and safe_href("../a/") and safe_href("//cdn.example/x")
    assert safe_href(" JavaScript:alert(1)") is None and safe_href("file:///etc/passwd") is None


def test_rel_climbs_out_of_the_linking_page():
    assert rel("", "gaps/x/") == "gaps/x/" and rel("gaps/y/", "gaps/x/") == "../../gaps/x/"


def test_git_log_gives_each_file_its_newest_date():
    log = "\x1e2023-11-14\ngaps/a.yaml\ngaps/b.yaml\n\n\x1e2020-09-13\ngaps/a.yaml\nfields/f.yaml\n"
    assert parse_log(log) == {"gaps/a.yaml": "2023-11-14", "gaps/b.yaml": "2023-11-14", "fields/f.yaml": "2020-09-13"}


def test_titles_with_any_unicode_survive_the_front_matter():
    import yaml

    from gapmap.site.blocks import page

    title = "Rockets 🚀 and Ωmega: «naïve» 数据"
    front = page(title, "<p>x</p>").split("---\n")[1]
    assert yaml.safe_load(front)["title"] == title
