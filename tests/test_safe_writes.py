"""Commands that write leave every file either as it was or as intended — even when killed."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import yaml

from gapmap.core.writes import write_atomic, write_new

from conftest import record, write_map


def _messy_map(root, n=300):
    """Records with keys out of canonical order, so `gapmap fmt` has work on every file."""
    kb = write_map(root, record("field", "physics"))
    for i in range(n):
        data = record("capability", f"cap-{i}")[1]
        text = "".join(f"{k}: {v}\n" for k, v in reversed(list(data.items())))
        (kb / "capabilities" / f"cap-{i}.yaml").write_text("# note\n" + text)
    return kb


def test_fmt_killed_at_random_points_never_leaves_a_half_written_record(tmp_path):
    rng = random.Random(7)
    kb = _messy_map(tmp_path / "kb")
    originals = {p.name: p.read_text() for p in (kb / "capabilities").glob("*.yaml")}
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-m", "gapmap", "fmt", "--kb", str(kb)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for path in (kb / "capabilities").glob("*.yaml"):
            data = yaml.safe_load(path.read_text())
            assert data == yaml.safe_load(originals[path.name]), path.name
    assert sorted(p.name for p in (kb / "capabilities").glob("*.yaml")) == sorted(originals)
    # leftovers of an interrupted write are hidden files that the loader ignores
    from gapmap.load import load_map

    assert len(load_map(kb).capabilities) == len(originals)


def test_write_atomic_replaces_and_cleans_up(tmp_path):
    path = tmp_path / "a.yaml"
    write_atomic(path, "one\n")
    write_atomic(path, "two\n")
    assert path.read_text() == "two\n" and [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_write_new_refuses_an_existing_file(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("mine\n")
    try:
        write_new(path, "theirs\n")
    except FileExistsError:
        pass
    else:
        raise AssertionError("write_new overwrote a file")
    assert path.read_text() == "mine\n" and [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_written_files_get_ordinary_permissions_and_keep_existing_ones(tmp_path):
    import os
    import stat

    new = tmp_path / "new.yaml"
    write_atomic(new, "x\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.yaml"
    kept.write_text("a\n")
    kept.chmod(0o640)
    write_atomic(kept, "b\n")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


# --- the write-safety layer: never into the map, never a folder gapmap did not write --------

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gapmap.cli import main
from gapmap.core.writes import MARKER, ConcurrentEdit, WriteRefused, guard_target, write_unchanged


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _snapshot(kb: Path) -> dict[str, bytes]:
    return {p.relative_to(kb).as_posix(): p.read_bytes() for p in kb.rglob("*") if p.is_file()}


@pytest.mark.parametrize("where", [".", "gaps", "..", "gaps/sub"])
def test_build_never_writes_into_or_over_the_map(tiny_map, where):
    before = _snapshot(tiny_map)
    result = _run("build", "--kb", tiny_map, "--out", tiny_map / where)
    assert result.exit_code == 1 and "refusing to write" in result.output and "Traceback" not in result.output
    assert _snapshot(tiny_map) == before


def test_build_refuses_a_folder_it_did_not_write_and_rebuilds_its_own(tiny_map, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    result = _run("build", "--kb", tiny_map, "--out", mine)
    assert result.exit_code == 1 and MARKER in result.output
    assert (mine / "thesis.tex").read_text() == "years of work"
    site = tmp_path / "site"
    assert _run("build", "--kb", tiny_map, "--out", site).exit_code == 0
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    assert _run("build", "--kb", tiny_map, "--out", site).exit_code == 0  # its own output: rebuilt


@pytest.mark.parametrize("fmt, where", [("csv", "."), ("csv", "gaps"), ("json", "tags.yaml"),
                                        ("json", "gaps/x.yaml"), ("gapmap-org", "capabilities"), ("csv", "..")])
def test_export_never_writes_into_the_map_even_with_force(tiny_map, fmt, where):
    before = _snapshot(tiny_map)
    result = _run("export", "--format", fmt, "--kb", tiny_map, "--out", tiny_map / where, "--force")
    assert result.exit_code == 1 and "refusing to write" in result.output
    assert _snapshot(tiny_map) == before


def test_export_force_replaces_only_its_own_folder(tiny_map, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("keep")
    result = _run("export", "--format", "csv", "--kb", tiny_map, "--out", other, "--force")
    assert result.exit_code == 1 and (other / "keep.txt").exists()
    ours = tmp_path / "ours"
    assert _run("export", "--format", "csv", "--kb", tiny_map, "--out", ours).exit_code == 0
    assert _run("export", "--format", "csv", "--kb", tiny_map, "--out", ours).exit_code == 1
    assert _run("export", "--format", "csv", "--kb", tiny_map, "--out", ours, "--force").exit_code == 0


def test_guard_refuses_a_folder_holding_records_anywhere(tmp_path):
    other_map = tmp_path / "other"
    (other_map / "gaps").mkdir(parents=True)
    (other_map / "gaps" / "a.yaml").write_text("id: a\n")
    (other_map / MARKER).write_text("")
    for target in (other_map, other_map / "gaps"):
        with pytest.raises(WriteRefused):
            guard_target(target, folder=True, force=True)


def test_fmt_leaves_a_file_edited_while_it_runs_alone(tiny_map, monkeypatch):
    import gapmap.edit.fmt as fmt

    path = tiny_map / "capabilities" / "cap-a.yaml"
    path.write_text("title: T\nid: cap-a\nsummary: S.\ndescription: D.\nresources: [paper-a]\n")
    real = fmt.format_text

    def slow_format(text, kind):
        out = real(text, kind)
        if "cap-a" in text:
            path.write_text(text + "# saved by the contributor meanwhile\n")
        return out

    monkeypatch.setattr(fmt, "format_text", slow_format)
    result = _run("fmt", tiny_map)
    assert result.exit_code == 1 and "changed while being formatted" in result.output
    assert path.read_text().endswith("# saved by the contributor meanwhile\n")


def test_write_unchanged_refuses_when_the_file_moved_on(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("old\n")
    path.write_text("theirs\n")
    with pytest.raises(ConcurrentEdit):
        write_unchanged(path, "mine\n", b"old\n")
    assert path.read_text() == "theirs\n" and [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_a_permission_problem_is_one_message_naming_the_path(tiny_map, monkeypatch):
    import gapmap.core.writes as writes

    path = tiny_map / "capabilities" / "cap-a.yaml"
    path.write_text("title: T\nid: cap-a\nsummary: S.\ndescription: D.\nresources: [paper-a]\n")

    def denied(target, data):
        raise PermissionError(13, "Permission denied", str(target.parent))

    monkeypatch.setattr(writes, "_write_temp", denied)
    for args in (["fmt", tiny_map], ["new", "gap", "fresh-gap", "--kb", tiny_map],
                 ["export", "--format", "json", "--kb", tiny_map, "--out", tiny_map.parent / "x.json"]):
        result = _run(*args)
        assert result.exit_code == 1, result.output
        assert "Permission denied" in result.output and "Traceback" not in result.output
        assert result.output.count("\n") <= 2 and f"cannot use {tiny_map.parent}" in result.output


@pytest.mark.parametrize("config", ["site_name: !ENV [GAPMAP_TEST_NAME, 'A map']\nplugins:\n  - gapmap\n",
                                    "site_name: [unclosed\n", "- just\n- a list\n", "extra: " + "[" * 100_000 + "\n"])
def test_the_maps_own_mkdocs_yml_never_gives_a_traceback(tiny_map, tmp_path, config):
    (tiny_map / "mkdocs.yml").write_text(config)
    (tiny_map / "docs").mkdir()
    result = _run("build", "--kb", tiny_map, "--out", tmp_path / "site")
    assert "Traceback" not in result.output and not isinstance(result.exception, (TypeError, KeyError))
    if "!ENV" in config:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1 and "mkdocs.yml" in result.output
