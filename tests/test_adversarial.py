"""Hostile and broken input, run through the real command: a finding with its place, exit 1,
no traceback, and bounded CPU time and memory (measured on the child process, so a busy
machine does not make the bounds flaky).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import tiny_map_records, write_map

CPU_SECONDS = 2.0
MEMORY_MB = 200

GAP = "id: {id}\ntitle: {title}\nsummary: {summary}\ndescription: {description}\nfield: physics\n" \
      "capabilities: [{{capability: cap-a}}]\n"


def gap(rid, title="T", summary="S.", description="D."):
    return GAP.format(id=rid, title=title, summary=summary, description=description)


def cap(rid, extra=""):
    return f"id: {rid}\ntitle: T\nsummary: S.\ndescription: D.\n{extra}"


BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))

CASES = {
    "duplicate-keys": ("gaps/dup.yaml", gap("dup") + "summary: again\n", "duplicate-key"),
    "alias-bomb": ("gaps/bomb.yaml", BOMB, "yaml-alias"),
    "deep-flow-nesting": ("gaps/deep.yaml", "id: deep\nx: " + "[" * 100_000 + "]" * 100_000 + "\n", "too-deep"),
    "deep-block-nesting": ("gaps/deepb.yaml", "".join(" " * i + f"k{i}:\n" for i in range(1000)) + " " * 1000 + "v: 1\n", "too-deep"),
    "twenty-megabytes": ("gaps/big.yaml", "id: big\n" + "# " + "x" * 20_000_000 + "\n", "file-too-large"),
    "binary": ("gaps/bin.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not-utf8"),
    "latin-1": ("gaps/latin.yaml", gap("latin", title="caf\xe9").encode("latin-1"), "not-utf8"),
    "empty": ("gaps/empty.yaml", "", "empty-file"),
    "top-level-list": ("gaps/lst.yaml", "- a\n- b\n", "not-a-mapping"),
    "top-level-scalar": ("gaps/scalar.yaml", "just a string\n", "not-a-mapping"),
    "wrong-folder": ("gaps/misfiled.yaml", cap("misfiled", "maturity: research\n"), "wrong-folder"),
    "id-mismatch": ("gaps/name-a.yaml", gap("name-b"), "id-mismatch"),
    "cyrillic-lookalike-id": ("gaps/c\u0430p-x.yaml", gap("c\u0430p-x"), "bad-id"),
    "case-only-difference": ("capabilities/Cap-A.yaml", cap("Cap-A"), "bad-id"),
    "script-in-title": ("gaps/t1.yaml", gap("t1", title="'<script>alert(1)</script>'"), "raw-html"),
    "iframe-in-summary": ("gaps/t2.yaml", gap("t2", summary="'<iframe src=x></iframe>'"), "raw-html"),
    "onerror-in-description": ("gaps/t3.yaml", gap("t3", description="'<img src=x onerror=alert(1)>'"), "raw-html"),
    "javascript-link": ("gaps/t4.yaml", gap("t4", description="'[x](javascript:alert(1))'"), "unsafe-link"),
    "data-link": ("gaps/t5.yaml", gap("t5", description="'[x](data:text/html;base64,PHNjcmlwdD4=)'"), "unsafe-link"),
    "script-in-outcome": ("gaps/t6.yaml", gap("t6") + "outcome: '<script>x</script>'\n", "raw-html"),
    "script-in-link-note": ("gaps/t7.yaml", gap("t7").replace("{capability: cap-a}", "{capability: cap-a, note: '<b onclick=x>'}"), "raw-html"),
    "javascript-url": ("resources/r1.yaml", "id: r1\ntitle: R\nurl: javascript:alert(1)\n", "bad-url"),
    "control-character": ("gaps/ctl.yaml", gap("ctl", summary='"bell\\a here"'), "control-char"),
    "bidi-override": ("gaps/bidi.yaml", gap("bidi", title="abc\u202edef"), "control-char"),
    "nan-cost": ("capabilities/c1.yaml", cap("c1", "build: {cost_usd: .nan, years: 3}\n"), "bad-number"),
    "infinite-years": ("capabilities/c2.yaml", cap("c2", "build: {cost_usd: 1.0e6, years: .inf}\n"), "bad-number"),
    "negative-cost": ("capabilities/c3.yaml", cap("c3", "build: {cost_usd: -5, years: 3}\n"), "bad-distribution"),
    "p05-above-p95": ("capabilities/c4.yaml", cap("c4", "build: {cost_usd: {dist: lognormal, p05: 9, p95: 1}, years: 3}\n"), "bad-distribution"),
    "year-99999": ("resources/r2.yaml", "id: r2\ntitle: R\nurl: https://example.org\nyear: 99999\n", "out-of-range"),
    "self-reference": ("capabilities/c5.yaml", cap("c5", "requires: [c5]\n"), "requires-cycle"),
    # tags outside the core schema, on scalars and collections alike (issue 15)
    "tag-on-mapping": ("gaps/tm.yaml", gap("tm") + "assessment: !!omap [{importance: 3}]\n", "yaml-tag"),
    "set-tag-on-mapping": ("gaps/ts.yaml", gap("ts") + "tags: !!set {measurement: null}\n", "yaml-tag"),
    "custom-tag-on-sequence": ("gaps/tq.yaml", gap("tq") + "tags: !mine [measurement]\n", "yaml-tag"),
    "env-tag-on-scalar": ("gaps/te.yaml", gap("te") + "outcome: !ENV HOME\n", "yaml-tag"),
    "tag-on-a-key": ("gaps/tk.yaml", gap("tk") + "!!binary b3V0Y29tZQ==: x\n", "yaml-tag"),
    "binary-tag": ("gaps/tb.yaml", gap("tb") + "outcome: !!binary aGVsbG8=\n", "yaml-tag"),
    "python-tag": ("gaps/tp.yaml", gap("tp") + "outcome: !!python/object/apply:os.system [ls]\n", "yaml-tag"),
    "conflict-in-quoted-string": ("gaps/cm.yaml", gap("cm", summary='"ours\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n"'),
                                  "conflict-marker"),
    "conflict-between-keys": ("gaps/ck.yaml", "<<<<<<< HEAD\n" + gap("ck") + "=======\n" + gap("ck") + ">>>>>>> b\n",
                              "conflict-marker"),
    "entity-encoded-javascript": ("gaps/t8.yaml", gap("t8", description="'[x](&#106;avascript&colon;alert(1))'"), "unsafe-link"),
    "hex-entity-javascript": ("gaps/t9.yaml", gap("t9", description="'[x](&#x6A;&#x61;vascript:alert(1))'"), "unsafe-link"),
    "tab-split-javascript": ("gaps/t10.yaml", gap("t10", description='"[x](<java\\tscript:alert(1)>)"'), "unsafe-link"),
    "space-split-javascript": ("gaps/t11.yaml", gap("t11", description="'[x](<java script:alert(1)>)'"), "unsafe-link"),
    "entity-javascript-reference": ("gaps/t12.yaml", gap("t12", description='"[a][r]\\n\\n[r]: &#106;avascript:x"'), "unsafe-link"),
    # ids that YAML reads back as another type, or that the site keeps for itself
    "id-true": ("gaps/true.yaml", gap("'true'"), "bad-id"),
    "id-null": ("gaps/null.yaml", gap("'null'"), "bad-id"),
    "id-hex": ("gaps/0x1f.yaml", gap("'0x1f'"), "bad-id"),
    "id-date": ("gaps/2024-01-01.yaml", gap("'2024-01-01'"), "bad-id"),
    "id-number": ("gaps/1234.yaml", gap("'1234'"), "bad-id"),
    "id-index": ("gaps/index.yaml", gap("index"), "bad-id"),
}


# The child reports its own CPU time and peak memory (VmHWM) as it exits: RUSAGE_CHILDREN,
# and even the child's ru_maxrss, would carry the test worker's own peak.
_WRAPPER = """
import atexit, json, resource, sys
def _report():
    r = resource.getrusage(resource.RUSAGE_SELF)
    # VmHWM belongs to this program's memory; ru_maxrss survives fork+exec from the parent
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
    sys.stderr.write("\\nRUSAGE " + json.dumps([r.ru_utime + r.ru_stime, int(hwm) / 1024]) + "\\n")
atexit.register(_report)
sys.argv = ["gapmap", "validate", "--kb", sys.argv[1], "--format", "json"]
from gapmap.cli import main
main()
"""


def _run(kb: Path):
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(kb)], capture_output=True, text=True, timeout=120)
    usage = [line for line in proc.stderr.splitlines() if line.startswith("RUSAGE ")]
    cpu, peak_mb = json.loads(usage[-1][len("RUSAGE "):])
    return proc, cpu, peak_mb


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_gives_a_located_finding_and_no_traceback(name, tmp_path):
    rel, content, code = CASES[name]
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    path = kb / rel
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    proc, cpu, peak_mb = _run(kb)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stdout + proc.stderr
    errors = json.loads(proc.stdout)["errors"]
    assert any(e["code"] == code and e["file"] == rel and e["line"] >= 1 for e in errors), errors
    assert cpu < CPU_SECONDS, f"{cpu:.2f} s of CPU"
    assert peak_mb < MEMORY_MB, f"{peak_mb:.0f} MB peak"


def test_cycle_through_several_capabilities_names_every_member(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    for a, b in (("ring-a", "ring-b"), ("ring-b", "ring-c"), ("ring-c", "ring-a")):
        (kb / "capabilities" / f"{a}.yaml").write_text(cap(a, f"requires: [{b}]\n"))
    proc, _, _ = _run(kb)
    cycles = [e for e in json.loads(proc.stdout)["errors"] if e["code"] == "requires-cycle"]
    assert len(cycles) == 1 and "ring-a → ring-b → ring-c → ring-a" in cycles[0]["message"]


def test_every_hostile_file_at_once_still_reports_each(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    for rel, content, _ in CASES.values():
        path = kb / rel
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    proc, _, _ = _run(kb)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    reported = {(e["file"], e["code"]) for e in json.loads(proc.stdout)["errors"]}
    missing = [n for n, (rel, _, code) in CASES.items() if (rel, code) not in reported]
    assert not missing


def test_the_sound_map_is_untouched_by_validation(tmp_path):
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    before = {p: p.read_bytes() for p in kb.rglob("*") if p.is_file()}
    _run(kb)
    assert before == {p: p.read_bytes() for p in kb.rglob("*") if p.is_file()}


def test_brackets_and_markers_inside_text_do_not_trip_the_pre_scans(tmp_path):
    """Quoted brackets past the nesting limit and conflict-marker text inside a line are text."""
    kb = write_map(tmp_path / "kb", *tiny_map_records())
    (kb / "gaps" / "text.yaml").write_text(gap(
        "text", summary="'" + "[{" * 60 + "'",
        description='"Markers like <<<<<<< HEAD or ======= are text mid-line; so is ' + "{" * 50 + '"'))
    (kb / "gaps" / "block.yaml").write_text(gap("block", description="|\n  " + "[" * 100 + "\n  =======\n"))
    (kb / "gaps" / "core-tags.yaml").write_text(gap("core-tags", title="!!str 2024") + "outcome: !!str yes\n")
    proc, _, _ = _run(kb)
    codes = {e["code"] for e in json.loads(proc.stdout)["errors"] if e["file"].startswith("gaps/")}
    assert not codes & {"too-deep", "conflict-marker", "yaml-tag", "yaml-syntax"}, proc.stdout


def test_fmt_on_every_hostile_file_at_once_never_crashes_and_never_changes_what_a_file_says(tmp_path):
    """fmt reads the same hostile files as validate (issue 15: every input path): it ends with a
    report, not a traceback or a crash (libyaml's C composer would overflow on deep nesting), and
    a file it rewrites still says the same."""
    from gapmap.load.yaml_source import parse

    kb = write_map(tmp_path / "kb", *tiny_map_records())
    for rel, content, _ in CASES.values():
        path = kb / rel
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    before = {p: p.read_bytes() for p in kb.rglob("*.yaml")}
    proc = subprocess.run([sys.executable, "-m", "gapmap", "fmt", "--kb", str(kb)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "skipped" in proc.stdout + proc.stderr
    for path, raw in before.items():
        now = path.read_bytes()
        if now != raw:
            old, new = parse(raw.decode("utf-8-sig"), "old"), parse(now.decode("utf-8"), "new")
            assert not old.findings and not new.findings and old.data == new.data, path
