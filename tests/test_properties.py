"""Property-based tests (hypothesis) for the input paths of issue 15: the loader never crashes
and reads what YAML says, fmt is idempotent and keeps every comment and every value, and an
import followed by an export gives back the same records and links."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from gapmap.edit.fmt import FormatError, _comments, _round_trip, format_text, is_canonical
from gapmap.load.yaml_source import parse

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the loader ------------------------------------------------------------------------------

YAMLISH = st.text(st.sampled_from(list("ab:-#[]{}'\"!&*|>\n \t%@`,?~=<") + ["\u2028", "é", "🚀", "\x00"]), max_size=200)


@FAST
@given(st.one_of(YAMLISH, st.text(max_size=200)))
def test_the_parser_never_raises_and_places_every_finding(text):
    doc = parse(text, "gaps/x.yaml")
    for f in doc.findings:
        assert f.line >= 1 and f.column >= 1 and f.code and f.message


PLAIN = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40)
VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), PLAIN),
                      lambda inner: st.one_of(st.lists(inner, max_size=4),
                                              st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, max_size=4)),
                      max_leaves=12)


@FAST
@given(st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), VALUES, min_size=1, max_size=8),
       st.sampled_from([None, True, False]))
def test_the_parser_reads_what_yaml_says(data, flow):
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    doc = parse(text, "gaps/x.yaml")
    assert not doc.findings, doc.findings
    assert doc.data == yaml.safe_load(text)


def _same_as_the_full_walk(text):
    """The fast walk (positions found when first asked for) and the full walk agree on the
    value, the findings and every position."""
    from gapmap.load.yaml_source import _parse

    fast, full = parse(text, "gaps/x.yaml"), _parse(text, "gaps/x.yaml", fast=False)
    assert (fast.data, fast.findings) == (full.data, full.findings)
    assert fast.where(()) == full.where(())  # asking for one position locates them all
    assert (fast.positions, fast.key_positions, fast.literal) == (full.positions, full.key_positions, full.literal)


@FAST
@given(st.one_of(YAMLISH, st.text(max_size=200)))
def test_the_fast_walk_is_the_full_walk_on_any_text(text):
    _same_as_the_full_walk(text)


@FAST
@given(st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), VALUES, min_size=1, max_size=8),
       st.sampled_from([None, True, False]), st.sampled_from(["", "x: !!str 2024\n", "y: |\n  a\n  b\n", "2020: 1.5\n"]))
def test_the_fast_walk_is_the_full_walk_on_records(data, flow, extra):
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    _same_as_the_full_walk(text if flow else text + extra)


def test_the_fast_walk_is_the_full_walk_on_every_fixture_and_record():
    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "tests" / "fixtures").rglob("*.yaml")) + sorted(root.glob("[fgcr]*/*.yaml"))
    assert len(files) > 50
    for path in files:
        _same_as_the_full_walk(path.read_text(encoding="utf-8", errors="replace"))


@SLOW
@given(YAMLISH)
def test_loading_a_map_with_any_file_never_raises(text):
    from conftest import tiny_map_records, write_map
    from gapmap.check import check_map
    from gapmap.load import load_map

    with tempfile.TemporaryDirectory() as tmp:
        kb = write_map(Path(tmp) / "kb", *tiny_map_records())
        (kb / "gaps" / "x.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        check_map(load_map(kb))


# -- fmt ---------------------------------------------------------------------------------------

KEYS = ["id", "title", "summary", "description", "kind", "maturity", "requires", "tags", "resources", "extra_note"]
SCALAR_TEXT = st.text(st.characters(codec="ascii", categories=("L", "N", "Zs", "P")), min_size=1, max_size=30)
COMMENT = st.text(st.characters(codec="ascii", categories=("L", "N", "Zs")), max_size=20).map(lambda t: "# " + t.strip())


def _value_lines(key: str, draw) -> list[str]:
    style = draw(st.sampled_from(["plain", "quoted", "block", "list", "flow"]))
    if key in ("requires", "tags", "resources") or style in ("list", "flow"):
        items = draw(st.lists(st.from_regex(r"[a-z]{1,6}(-[a-z]{1,6})?", fullmatch=True), max_size=3))
        if style == "flow" or not items:
            return [f"{key}: [{', '.join(items)}]"]
        indent = draw(st.sampled_from(["", "  "]))
        return [f"{key}:"] + [f"{indent}- {item}" for item in items]
    if style == "block":
        body = draw(st.lists(SCALAR_TEXT, min_size=1, max_size=3))
        return [f"{key}: |"] + ["  " + line.strip() if line.strip() else "" for line in body]
    return [f"{key}: {json.dumps(draw(SCALAR_TEXT))}"]


@st.composite
def records(draw):
    keys = draw(st.permutations(KEYS))[: draw(st.integers(2, len(KEYS)))]
    lines = []
    if draw(st.booleans()):
        lines += [draw(COMMENT), ""]
    for key in keys:
        if draw(st.booleans()):
            lines.append(draw(COMMENT))
        value = _value_lines(key, draw)
        if draw(st.booleans()) and not value[0].endswith("|"):
            value[0] += "  " + draw(COMMENT)
        lines += value
    if draw(st.booleans()):
        lines.append(draw(COMMENT))
    return "\n".join(lines) + "\n"


def _leading_comment_of(text: str) -> dict[str, str]:
    """key -> the comment line directly above it (column 1), for top-level keys."""
    lines = text.splitlines()
    out = {}
    for i, line in enumerate(lines):
        if i and line[:1].isalpha() and ":" in line and lines[i - 1].startswith("# ") and \
                not lines[i - 1].startswith("# yaml-language-server"):
            out[line.split(":")[0]] = lines[i - 1]
    return out


@FAST
@given(records())
def test_fmt_is_idempotent_keeps_every_comment_with_its_key_and_never_changes_meaning(text):
    assume(not parse(text, "x").findings)
    try:
        once = format_text(text, "capability")
    except FormatError as exc:  # it refused rather than damage the file: that must not happen here
        raise AssertionError(f"fmt refused a well-formed record: {exc}\n{text}") from None
    assert format_text(once, "capability") == once
    assert parse(once, "x").data == parse(text, "x").data
    header = once.splitlines()[0]
    assert _comments(once.replace(header + "\n", "", 1)) == _comments(text)
    assert _leading_comment_of(once) == _leading_comment_of(text)


@FAST
@given(records(), st.sampled_from(["capability", "gap"]))
def test_fmt_quick_check_says_canonical_only_of_what_ruamel_writes_back_unchanged(text, kind):
    """fmt skips ruamel for a record its quick check calls canonical; ruamel must agree, on the
    drawn text and on its formatted form (which the quick check mostly accepts)."""
    assume(not parse(text, "x").findings)
    header = f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"
    for candidate in (text, header + text, _round_trip(text, kind)):
        if is_canonical(candidate, kind):
            assert _round_trip(candidate, kind) == candidate, candidate


@FAST
@given(st.dictionaries(st.sampled_from(KEYS + ["cost", "build", "year"]), VALUES, min_size=1, max_size=8),
       st.sampled_from([None, True, False]))
def test_fmt_quick_check_agrees_with_ruamel_on_any_values(data, flow):
    text = "# yaml-language-server: $schema=../schemas/capability.schema.json\n" + \
        yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False, width=10**6)
    assume(not parse(text, "x").findings)
    for candidate in (text, _round_trip(text, "capability")):
        if is_canonical(candidate, "capability"):
            assert _round_trip(candidate, "capability") == candidate, candidate


def test_fmt_quick_check_accepts_the_records_of_this_map():
    """Most of this repository's records are canonical and the quick check must see it, or a
    10,000-record map waits for ruamel on every file (bench/commands.py measures the time)."""
    from gapmap.model.records import KIND_BY_FOLDER

    root = Path(__file__).resolve().parents[1]
    files = [p for folder in KIND_BY_FOLDER for p in sorted((root / folder).glob("*.yaml"))]
    accepted = [p for p in files if is_canonical(p.read_text(encoding="utf-8"), KIND_BY_FOLDER[p.parent.name])]
    assert len(accepted) >= 0.9 * len(files), f"{len(accepted)} of {len(files)}"
    for p in accepted[::25]:
        assert _round_trip(p.read_text(encoding="utf-8"), KIND_BY_FOLDER[p.parent.name]) == p.read_text(encoding="utf-8"), p


# -- import and export -----------------------------------------------------------------------

WORDS = st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12)
TITLE = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


@st.composite
def exports(draw):
    n_fields, n_gaps, n_caps, n_res = (draw(st.integers(1, 2)), draw(st.integers(0, 5)),
                                       draw(st.integers(0, 5)), draw(st.integers(0, 4)))
    uuids = iter(range(1, 1000))
    fields = [{"id": _uuid(next(uuids)), "name": draw(TITLE), "description": "A field. " + draw(TITLE)}
              for _ in range(n_fields)]
    caps = [{"id": _uuid(next(uuids)), "name": draw(TITLE), "description": "A cap. " + draw(TITLE), "gaps": [],
             "resources": [], "tags": []} for _ in range(n_caps)]
    res = [{"id": _uuid(next(uuids)), "title": draw(TITLE), "url": f"https://example.org/{i}", "summary": "",
            "types": ["Company"]} for i in range(n_res)]
    for cap in caps:
        cap["resources"] = sorted(draw(st.sets(st.sampled_from([r["id"] for r in res]))) if res else [])
    gaps = []
    for _ in range(n_gaps):
        name = draw(TITLE)
        linked = sorted(draw(st.sets(st.sampled_from([c["id"] for c in caps])))) if caps else []
        gaps.append({"id": _uuid(next(uuids)), "name": name, "slug": draw(st.sampled_from(["", "same-slug", "true", name])),
                     "description": "A gap. " + draw(TITLE), "field": {"id": draw(st.sampled_from(fields))["id"]},
                     "foundationalCapabilities": linked, "tags": draw(st.lists(TITLE, max_size=2))})
    return {"fields": fields, "gaps": gaps, "capabilities": caps, "resources": res, "metadata": {}}


@SLOW
@given(exports())
def test_import_then_export_gives_back_every_record_and_link(export):
    from gapmap.interop import export_gapmap_org, import_gapmap_org
    from gapmap.load import load_map

    assume(export["gaps"] or export["capabilities"] or export["resources"])
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "export.json"
        src.write_text(json.dumps(export))
        report = import_gapmap_org(src, Path(tmp) / "kb")
        assert not report.not_converted
        kb = load_map(Path(tmp) / "kb")
        assert not [f for f in kb.findings if f.code in ("bad-id", "duplicate-id", "yaml-syntax")], kb.findings
        back = export_gapmap_org(kb)
    for name in ("fields", "gaps", "capabilities", "resources"):
        assert sorted(r["id"] for r in back[name]) == sorted(r["id"] for r in export[name]), name
    names = {r["id"]: r.get("name") or r.get("title") for name in ("fields", "gaps", "capabilities", "resources")
             for r in export[name]}
    assert all((r.get("name") or r.get("title")) == names[r["id"]] for name in back if name != "metadata"
               for r in back[name])
    assert {g["id"]: sorted(g["foundationalCapabilities"]) for g in back["gaps"]} == {
        g["id"]: g["foundationalCapabilities"] for g in export["gaps"]}
    assert {c["id"]: sorted(c["resources"]) for c in back["capabilities"]} == {
        c["id"]: c["resources"] for c in export["capabilities"]}
