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
