"""`gapmap import gapmap-org` on the real export (imported once per module) and on small
hand-made exports whose expected ids, links and normalisations are known."""

from __future__ import annotations

import filecmp
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXPORT
from gapmap.check import check_map
from gapmap.cli import main
from gapmap.interop import export_gapmap_org, import_gapmap_org
from gapmap.interop.gapmap_org import EXTERNAL_KEY
from gapmap.core.writes import WriteRefused
from gapmap.load import load_map

pytestmark = pytest.mark.skipif(not EXPORT.is_dir(), reason="the gap-map.org export is not beside the repository")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    kb = tmp_path_factory.mktemp("import") / "kb"
    report = import_gapmap_org(EXPORT, kb)
    return kb, report, load_map(kb)


def _export_lists() -> dict:
    return {name: json.loads((EXPORT / f"{name}.json").read_text()) for name in
            ("fields", "gaps", "capabilities", "resources", "metadata")}


def _files(kb: Path, folder: str) -> list[Path]:
    return sorted((kb / folder).glob("*.yaml"))


def test_every_record_of_the_export_becomes_one_file(imported):
    kb, report, _ = imported
    counts = {folder: len(_files(kb, folder)) for folder in ("fields", "gaps", "capabilities", "resources")}
    assert counts == {"fields": 20, "gaps": 103, "capabilities": 369, "resources": 1080}
    assert report.counts == {"field": 20, "gap": 103, "capability": 369, "resource": 1080}


def test_validate_reports_exactly_the_defects_the_import_named(imported):
    _, report, loaded = imported
    found = {(f.file, f.severity, f.code) for f in check_map(loaded)}
    assert found == report.expected_findings()
    errors = {file for file, severity, _ in found if severity == "error"}
    assert {"capabilities/earthquake-prediction.yaml", "capabilities/subduction-zone-observation.yaml"} <= errors
    assert len(errors) == 6  # the two without description, four URLs that are not one http(s) address


def test_records_without_description_get_no_invented_text(imported):
    kb, report, loaded = imported
    text = (kb / "capabilities" / "earthquake-prediction.yaml").read_text()
    assert "description" not in text and "summary" not in text
    assert "earthquake-prediction" not in loaded.capabilities  # fails its schema, as in the export
    assert "earthquake-prediction" in report.render()


def test_all_gap_capability_links_survive_import_and_export(imported):
    _, _, loaded = imported
    source = _export_lists()
    expected = {(g["id"], c) for g in source["gaps"] for c in g["foundationalCapabilities"]}
    assert len(expected) == 389
    ours = export_gapmap_org(loaded)
    gap_side = {(g["id"], c) for g in ours["gaps"] for c in g["foundationalCapabilities"]}
    capability_side = {(g, c["id"]) for c in ours["capabilities"] for g in c["gaps"]}
    assert gap_side == capability_side == expected


def test_imported_links_carry_no_guessed_role(imported):
    _, _, loaded = imported
    links = [link for gap in loaded.gaps.values() for link in gap.capabilities]
    assert len(links) == 389 and all(link.role is None for link in links)


def test_uuids_are_kept_and_ids_are_unique_valid_slugs(imported):
    kb, _, loaded = imported
    source = _export_lists()
    uuids = {r["id"] for name in ("fields", "gaps", "capabilities", "resources") for r in source[name]}
    kept = {loaded.documents[path].data["external_ids"][EXTERNAL_KEY] for path in loaded.path_of.values()}
    assert kept == uuids
    files = [p for folder in ("fields", "gaps", "capabilities", "resources") for p in _files(kb, folder)]
    assert len({p.stem for p in files}) == len(files) == 1572
    assert all(len(p.stem) <= 80 for p in files) and not [f for f in loaded.findings if f.code == "bad-id"]


def test_reimporting_our_gapmap_org_export_gives_the_same_files(imported, tmp_path):
    kb, _, loaded = imported
    for name, value in export_gapmap_org(loaded).items():
        (tmp_path / "export").mkdir(exist_ok=True)
        (tmp_path / "export" / f"{name}.json").write_text(json.dumps(value))
    import_gapmap_org(tmp_path / "export", tmp_path / "again")
    assert _same_tree(kb, tmp_path / "again")


def test_single_file_export_imports_like_the_folder(imported, tmp_path):
    kb, _, _ = imported
    single = tmp_path / "gapmap-data.json"
    single.write_text(json.dumps(_export_lists()))
    import_gapmap_org(single, tmp_path / "from-file")
    assert _same_tree(kb, tmp_path / "from-file")


def test_imported_files_are_in_canonical_format(imported):
    from gapmap.edit.fmt import format_text

    kb, _, _ = imported
    rng = random.Random(7)  # ruamel is slow: a sample of every kind, plus the known noisy records
    sample = [p for folder in ("fields", "gaps", "capabilities", "resources")
              for p in rng.sample(_files(kb, folder), 15)]
    sample += [kb / "capabilities" / "earthquake-prediction.yaml", kb / "resources" / "sage.yaml"]
    for path in sample:
        text = path.read_text()
        assert text.startswith(f"# yaml-language-server: $schema=../schemas/")
        assert format_text(text, {"fields": "field", "gaps": "gap", "capabilities": "capability",
                                  "resources": "resource"}[path.parent.name]) == text, path


def test_whitespace_noise_is_normalised_and_counted(imported):
    _, report, loaded = imported
    titles = [rec.title for _, rec in loaded.records()]
    assert all(t == t.strip() and "\n" not in t and "\t" not in t and "  " not in t for t in titles)
    assert all(r.url == r.url.strip() for r in loaded.resources.values())
    counted = report.normalisations
    assert counted[("resource", "url-edge-whitespace")] >= 4
    assert counted[("gap", "title-edge-whitespace")] == 3
    assert "title-inner-whitespace" in report.render()


def test_import_never_replaces_a_folder_it_did_not_write_or_a_map(imported, tmp_path):
    out = tmp_path / "kb"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    for extra in ([], ["--force"]):
        result = CliRunner().invoke(main, ["import", "gapmap-org", str(EXPORT), "--out", str(out), *extra])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert (out / "notes.txt").read_text() == "mine"
    (out / "notes.txt").unlink()
    result = CliRunner().invoke(main, ["import", "gapmap-org", str(EXPORT), "--out", str(out)])  # empty: fine
    assert result.exit_code == 0, result.output
    assert len(_files(out, "gaps")) == 103
    assert "missing-key" in result.output and "orphan-resource" in result.output
    again = CliRunner().invoke(main, ["import", "gapmap-org", str(EXPORT), "--out", str(out), "--force"])
    assert again.exit_code == 1 and "holds records" in again.output  # a map is never replaced


@pytest.mark.parametrize("seed", [1, 2])
def test_a_killed_import_leaves_no_half_written_map(imported, tmp_path, seed):
    kb, _, _ = imported
    out = tmp_path / "kb"
    proc = subprocess.Popen([sys.executable, "-m", "gapmap", "import", "gapmap-org", str(EXPORT), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not any(tmp_path.glob(".kb.writing-*")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(random.Random(seed).uniform(0.0, 0.6))  # somewhere inside the ~1 s of writing
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists() or _same_tree(kb, out)
    leftovers = [p for p in tmp_path.iterdir() if p.name != "kb"]
    if out.exists():  # a complete map: an import never replaces one, so make room by hand
        shutil.rmtree(out)
    import_gapmap_org(EXPORT, out)  # the next import clears what the killed one left
    assert _same_tree(kb, out)
    assert all(not p.exists() for p in leftovers)


def _same_tree(a: Path, b: Path) -> bool:
    names = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    if names != sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()):
        return False
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


# Small exports: what happens to ids, links, tags and text, record by record.

def _uuid(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


def _write_export(folder: Path, fields=(), gaps=(), capabilities=(), resources=()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, items in (("fields", fields), ("gaps", gaps), ("capabilities", capabilities), ("resources", resources)):
        (folder / f"{name}.json").write_text(json.dumps(list(items)))
    return folder


def _field(n, slug="physics"):
    return {"id": _uuid(n), "name": slug.title(), "slug": slug, "description": "The field. More text."}


def _gap(n, slug, caps=(), field=1, **extra):
    return {"id": _uuid(n), "name": slug, "slug": slug, "description": f"About {slug}. Details follow.",
            "field": {"id": _uuid(field), "name": "Physics"}, "foundationalCapabilities": list(caps), "tags": []} | extra


def _cap(n, slug, gaps=(), resources=(), **extra):
    return {"id": _uuid(n), "name": slug, "slug": slug, "description": f"Cap {slug}.", "gaps": list(gaps),
            "resources": list(resources), "tags": []} | extra


def _res(n, title, url="https://example.org/x", types=("Research and Reviews",)):
    return {"id": _uuid(n), "title": title, "url": url, "summary": "", "types": list(types)}


def test_capability_side_links_are_added_once(tmp_path):
    src = _write_export(tmp_path / "src", fields=[_field(1)],
                        gaps=[_gap(2, "gap-a", caps=[_uuid(3)]), _gap(5, "gap-b")],
                        capabilities=[_cap(3, "cap-a", gaps=[_uuid(2)]), _cap(4, "cap-b", gaps=[_uuid(2), _uuid(5)])])
    import_gapmap_org(src, tmp_path / "kb")
    loaded = load_map(tmp_path / "kb")
    assert [l.capability for l in loaded.gaps["gap-a"].capabilities] == ["cap-a", "cap-b"]
    assert [l.capability for l in loaded.gaps["gap-b"].capabilities] == ["cap-b"]


def test_colliding_ids_get_numbered_suffixes_in_uuid_order(tmp_path):
    src = _write_export(tmp_path / "src", fields=[_field(1, "lila")],
                        resources=[_res(9, "Lila"), _res(7, "Lila"), _res(8, "lila!")])
    report = import_gapmap_org(src, tmp_path / "kb")
    loaded = load_map(tmp_path / "kb")
    assert loaded.fields["lila"].external_ids[EXTERNAL_KEY] == _uuid(1)
    assert {rid: r.external_ids[EXTERNAL_KEY] for rid, r in loaded.resources.items()} == {
        "lila-2": _uuid(7), "lila-3": _uuid(8), "lila-4": _uuid(9)}
    assert report.normalisations[("resource", "id-suffixed-to-be-unique")] == 3


def test_long_titles_are_cut_at_a_hyphen_within_80_characters(tmp_path):
    title = "An extraordinarily long resource title " * 4
    src = _write_export(tmp_path / "src", resources=[_res(1, title)])
    import_gapmap_org(src, tmp_path / "kb")
    (path,) = _files(tmp_path / "kb", "resources")
    assert len(path.stem) <= 80 and title.lower().replace(" ", "-").startswith(path.stem + "-")


def test_tags_become_slugs_with_a_meaning_and_export_back_to_their_labels(tmp_path):
    src = _write_export(tmp_path / "src", fields=[_field(1)],
                        gaps=[_gap(2, "gap-a", caps=[_uuid(3)], tags=["Governance/Ethics Risk"])],
                        capabilities=[_cap(3, "cap-a")])
    import_gapmap_org(src, tmp_path / "kb")
    loaded = load_map(tmp_path / "kb")
    assert loaded.gaps["gap-a"].tags == ["governance-ethics-risk"]
    assert "Governance/Ethics Risk" in loaded.tags["governance-ethics-risk"]
    assert export_gapmap_org(loaded)["gaps"][0]["tags"] == ["Governance/Ethics Risk"]


def test_summary_is_the_first_sentence_and_kind_comes_from_the_type(tmp_path):
    src = _write_export(tmp_path / "src", fields=[_field(1)], resources=[_res(2, "A report", types=["FRO Concept"])])
    import_gapmap_org(src, tmp_path / "kb")
    loaded = load_map(tmp_path / "kb")
    assert loaded.fields["physics"].summary == "The field."
    assert loaded.resources["a-report"].kind == "fro-concept"


def test_a_source_that_is_not_an_export_is_a_clear_error(tmp_path):
    (tmp_path / "src").mkdir()
    result = CliRunner().invoke(main, ["import", "gapmap-org", str(tmp_path / "src"), "--out", str(tmp_path / "kb")])
    assert result.exit_code == 1 and "gaps.json" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "kb").exists()
    with pytest.raises(WriteRefused):
        (tmp_path / "kb").mkdir()
        (tmp_path / "kb" / "x").write_text("")
        import_gapmap_org(EXPORT, tmp_path / "kb")


# Hostile and odd exports (issue 15): shape first, nothing dropped, nothing overwritten.

@pytest.mark.parametrize("lists, where", [
    ({"gaps": {"a": 1}}, "gaps: expected a list"),
    ({"gaps": [[1, 2]]}, "gaps[0]: expected a record"),
    ({"gaps": [{"id": 7}]}, "gaps[0].id"),
    ({"gaps": [{"id": "u1", "name": "g", "tags": "Security"}]}, "gaps[0].tags: expected a list of text"),
    ({"gaps": [{"id": "u1", "name": "g", "tags": [1]}]}, "gaps[0].tags: expected a list of text, but it holds a number"),
    ({"gaps": [{"id": "u1", "name": ["g"]}]}, "gaps[0].name: expected text, got a list"),
    ({"gaps": [{"id": "u1", "field": 3}]}, "gaps[0].field: expected a UUID"),
    ({"gaps": [{"id": "u1", "field": {"id": 3}}]}, "gaps[0].field.id"),
    ({"gaps": [{"id": "u1", "foundationalCapabilities": {"x": 1}}]}, "gaps[0].foundationalCapabilities"),
    ({"capabilities": [{"id": "u1", "resources": [None]}]}, "capabilities[0].resources"),
    ({"resources": [{"id": "u1", "url": 5}]}, "resources[0].url: expected text"),
    ({"resources": [{"id": "u1", "types": "Company"}]}, "resources[0].types"),
    ({"resources": [{"id": "u1"}], "metadata": [1]}, "metadata: expected an object"),
])
def test_an_export_of_the_wrong_json_shape_names_its_first_bad_field(tmp_path, lists, where):
    src = tmp_path / "export.json"
    src.write_text(json.dumps({"fields": [], "gaps": [], "capabilities": [], "resources": []} | lists))
    result = CliRunner().invoke(main, ["import", "gapmap-org", str(src), "--out", str(tmp_path / "kb")])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "not a gap-map.org export: " + where in result.output, result.output
    assert not (tmp_path / "kb").exists()


@pytest.mark.parametrize("text", ["[" * 100_000, "[]", "\"just text\"", "{\"gaps\": 1"])
def test_json_that_is_not_an_export_object_is_a_clear_error(tmp_path, text):
    src = tmp_path / "export.json"
    src.write_text(text)
    result = CliRunner().invoke(main, ["import", "gapmap-org", str(src), "--out", str(tmp_path / "kb")])
    assert result.exit_code == 1 and "Traceback" not in result.output and not (tmp_path / "kb").exists()


def test_records_sharing_a_uuid_are_all_kept_and_named(tmp_path):
    src = _write_export(tmp_path / "src", fields=[_field(1)],
                        gaps=[_gap(2, "gap-a", caps=[_uuid(3)]), _gap(2, "gap-b")],
                        capabilities=[_cap(3, "cap-a"), _cap(3, "cap-b")])
    report = import_gapmap_org(src, tmp_path / "kb")
    loaded = load_map(tmp_path / "kb")
    assert set(loaded.gaps) == {"gap-a", "gap-b"} and set(loaded.capabilities) == {"cap-a", "cap-b"}
    assert [l.capability for l in loaded.gaps["gap-a"].capabilities] == ["cap-a"]
    shared = [n for n in report.notes if "has the UUID" in n]
    assert len(shared) == 2 and any("gap-b" in n and "gap-a" in n for n in shared)
    assert "gap-b" in report.render()


def test_records_sharing_a_slug_are_all_kept(tmp_path):
    src = _write_export(tmp_path / "src", fields=[_field(1)], gaps=[_gap(2, "same"), _gap(3, "same"), _gap(4, "same")])
    import_gapmap_org(src, tmp_path / "kb")
    assert set(load_map(tmp_path / "kb").gaps) == {"same", "same-2", "same-3"}


@pytest.mark.parametrize("slug, expected", [("true", "true-gap"), ("1984", "1984-gap"), ("index", "index-gap"),
                                            ("2024-01-01", "2024-01-01-gap"), ("0x1f", "0x1f-gap")])
def test_imported_ids_obey_the_one_id_rule(tmp_path, slug, expected):
    src = _write_export(tmp_path / "src", fields=[_field(1)], gaps=[_gap(2, slug)])
    import_gapmap_org(src, tmp_path / "kb")
    loaded = load_map(tmp_path / "kb")
    assert list(loaded.gaps) == [expected] and not [f for f in loaded.findings if f.code == "bad-id"]


def test_a_record_the_converter_cannot_handle_is_reported_and_the_rest_written(tmp_path, monkeypatch):
    import gapmap.interop.importer as importer

    real = importer._resource

    def fragile(rec, item, tally, report):
        if item["title"] == "Bad":
            raise ValueError("cannot convert this one")
        return real(rec, item, tally, report)

    monkeypatch.setattr(importer, "_resource", fragile)
    src = _write_export(tmp_path / "src", fields=[_field(1)], resources=[_res(2, "Good"), _res(3, "Bad")])
    result = CliRunner().invoke(main, ["import", "gapmap-org", str(src), "--out", str(tmp_path / "kb")])
    assert result.exit_code == 1 and "NOT CONVERTED" in result.output and _uuid(3) in result.output
    assert "cannot convert this one" in result.output and list(load_map(tmp_path / "kb").resources) == ["good"]


def test_ids_for_many_records_with_one_title_are_assigned_in_linear_time():
    import time

    from gapmap.interop.ids import assign_ids

    for n in (2_000, 20_000):
        claims = [(3, f"u{i:06d}", i, "same-title") for i in range(n)]
        start = time.perf_counter()
        ids = assign_ids(claims)
        elapsed = time.perf_counter() - start
        assert len(set(ids.values())) == n
    assert elapsed < 1.0, f"{elapsed:.2f} s for {n} claims"
