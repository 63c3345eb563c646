"""The loader: every bad file becomes a finding with its place; valid-but-unusual input passes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from gapmap.check import check_map
from gapmap.load import load_map
from gapmap.load.yaml_source import MAX_BYTES, decode, parse

from conftest import record, tiny_map_records, write_map

GAP = "id: {id}\ntitle: T\nsummary: S.\ndescription: D.\nfield: physics\ncapabilities: [{{capability: cap-a}}]\n"


def _codes(kb: Path):
    return [(f.code, f.file, f.line) for f in check_map(load_map(kb))]


def test_file_over_the_limit_is_refused_before_parsing(tiny_map):
    (tiny_map / "gaps" / "huge.yaml").write_bytes(b"id: huge\n" + b"# padding\n" * (MAX_BYTES // 10 + 1))
    assert _codes(tiny_map) == [("file-too-large", "gaps/huge.yaml", 1)]


def test_non_utf8_byte_is_reported_at_its_line_and_column(tiny_map):
    (tiny_map / "gaps" / "latin.yaml").write_bytes(GAP.format(id="latin").encode().replace(b"T\n", b"caf\xe9\n", 1))
    findings = check_map(load_map(tiny_map))
    assert [(f.code, f.line, f.column) for f in findings] == [("not-utf8", 2, 11)]


def test_nul_bytes_are_reported_as_binary(tiny_map):
    (tiny_map / "gaps" / "binary.yaml").write_bytes(b"id: binary\n\x00\x01\x02")
    assert _codes(tiny_map) == [("not-utf8", "gaps/binary.yaml", 2)]


def test_unreadable_file_is_a_finding(tiny_map, monkeypatch):
    (tiny_map / "gaps" / "locked.yaml").write_text(GAP.format(id="locked"))
    original = Path.open

    def deny(self, *args, **kwargs):
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    assert _codes(tiny_map) == [("unreadable", "gaps/locked.yaml", 1)]


def test_bom_crlf_and_comments_are_valid(tiny_map):
    text = "# a comment\r\n" + GAP.format(id="windows").replace("\n", "  # trailing\r\n")
    (tiny_map / "gaps" / "windows.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert _codes(tiny_map) == []
    assert "windows" in load_map(tiny_map).gaps


def test_non_latin_titles_are_valid(tiny_map):
    text = GAP.format(id="scripts").replace("title: T", "title: 脳のコネクトーム — Коннектом — الدماغ")
    (tiny_map / "gaps" / "scripts.yaml").write_text(text, encoding="utf-8")
    assert _codes(tiny_map) == []


def test_duplicate_key_keeps_neither_silently():
    doc = parse("id: a\ntitle: One\ntitle: Two\n", "x.yaml")
    assert [(f.code, f.line) for f in doc.findings] == [("duplicate-key", 3)]


def test_alias_bomb_is_refused_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    doc = parse("\n".join(lines) + "\n", "bomb.yaml")
    assert {f.code for f in doc.findings} == {"yaml-alias"}


def test_deep_block_nesting_is_refused():
    text = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n"
    assert [f.code for f in parse(text, "deep.yaml").findings] == ["too-deep"]


def test_positions_point_at_nested_values():
    doc = parse("id: a\ncapabilities:\n  - capability: x\n    role: bad\n", "g.yaml")
    assert doc.where(("capabilities", 0, "role")) == (4, 11)
    assert doc.where(("capabilities", 0, "missing")) == (3, 5)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
_values = st.recursive(_scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), kids, max_size=4)),
                       max_leaves=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_give_findings_never_exceptions(raw):
    text, problems = decode(raw, "f.yaml")
    if text is not None:
        doc = parse(text, "f.yaml")
        assert all(f.line >= 1 and f.column >= 1 for f in doc.findings)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["id", "title", "summary", "description", "field", "capabilities", "assessment",
                            "related_gaps", "tags", "resources", "outcome", "nonsense"]),
       value=_values)
def test_mutated_valid_records_give_findings_never_exceptions(tmp_path_factory, key, value):
    import yaml

    kb = write_map(tmp_path_factory.mktemp("kb"), *tiny_map_records())
    data = record("gap", "mutant", capabilities=[{"capability": "cap-a"}])[1]
    data[key] = value
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    (kb / "gaps" / "mutant.yaml").write_text(text, encoding="utf-8")
    findings = check_map(load_map(kb))
    for f in findings:
        assert f.file and f.line >= 1 and f.code and f.message


def test_reloading_a_map_lets_cyclic_garbage_of_the_last_load_be_collected(tmp_path):
    """load_map freezes what it built (fewer collector pauses); a second load, as `gapmap serve`
    does on every edit, must not keep the first load's cycles alive for ever."""
    import gc
    import weakref

    from conftest import tiny_map_records, write_map
    from gapmap.load import load_map

    kb = write_map(tmp_path / "kb", *tiny_map_records())

    class Node:
        pass

    load_map(kb)
    cycle = Node()
    cycle.self = cycle
    load_map(kb)  # freezes `cycle` along with everything else alive
    gone = weakref.ref(cycle)
    del cycle
    load_map(kb)  # the reload thaws and collects
    try:
        assert gone() is None
    finally:
        gc.unfreeze()
