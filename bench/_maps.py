"""Maps for benchmarks: the imported gap-map.org export (real scale) and synthetic ones, each
named in the output; a missing input stops the bench instead of being replaced."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_SNAPSHOT = Path("shared") / "gapmap-export" / "2026-07-29"
# the steering repository's shared/ folder beside this checkout, or beside a folder of worktrees
EXPORT = next((p / _SNAPSHOT for p in REPO.parents if (p / _SNAPSHOT).is_dir()), REPO.parent / _SNAPSHOT)


def real_scale_map(workdir: Path | None = None) -> tuple[Path, str]:
    """(map folder, description) of the imported gap-map.org export; stops the bench, loudly,
    when the export is missing or will not import (no silent fallback to another map)."""
    if not EXPORT.is_dir():
        raise SystemExit(f"bench: the gap-map.org export is not at {EXPORT}; it is the input this bench "
                         "measures (the steering repository's shared/ folder beside this one)")
    workdir = Path(workdir or tempfile.mkdtemp(prefix="gapmap-bench-"))
    out = workdir / "gapmap-org"
    if not out.exists():
        done = subprocess.run([sys.executable, "-m", "gapmap", "import", "gapmap-org", str(EXPORT), "--out", str(out)],
                              capture_output=True, text=True)
        if not (out / "gaps").is_dir():
            raise SystemExit(f"bench: importing {EXPORT} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    print(f"bench: measuring the imported gap-map.org export of 2026-07-29 ({EXPORT})", file=sys.stderr)
    return out, "imported gap-map.org export (2026-07-29)"


def synthetic_map(n: int, workdir: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from synth import make_map  # noqa: E402

    out = workdir / f"synth-{n}"
    if not out.exists():
        make_map(n, out, seed=0)
    return out


# keys whose string values (or lists of strings) name another record; tags name tags.yaml terms
_NOT_REFS = {"id", "title", "summary", "description", "tags", "notes", "unit", "url", "name"}


def grown_map(base: Path, copies: int, workdir: Path) -> Path:
    """The map `base` grown `copies` times, as a user growing the map would: copy k > 0 of every
    record is renamed <id>-x<k> with every reference to another record rewritten to the same
    copy, and its external ids dropped (they name the original). Copy 0 is the map itself."""
    import yaml

    out = workdir / f"{base.name}-x{copies}"
    if out.exists():
        return out
    dirs = ("fields", "gaps", "capabilities", "resources")
    files = {d: sorted((base / d).glob("*.yaml")) for d in dirs}
    ids = {p.stem for d in dirs for p in files[d]}

    def new_id(rid: str, k: int) -> str:
        return f"{rid[:80 - len(str(k)) - 2].rstrip('-')}-x{k}"  # ids stay within the 80-character limit

    def rename(value, k):
        if isinstance(value, dict):
            return {kk: (vv if kk in _NOT_REFS else rename(vv, k)) for kk, vv in value.items() if kk != "external_ids"}
        if isinstance(value, list):
            return [rename(v, k) for v in value]
        return new_id(value, k) if isinstance(value, str) and value in ids else value

    for d in dirs:
        (out / d).mkdir(parents=True)
        for path in files[d]:
            text = path.read_text(encoding="utf-8")
            (out / d / path.name).write_text(text, encoding="utf-8")
            record = yaml.load(text, Loader=yaml.CSafeLoader)
            for k in range(1, copies):
                copy = rename(record, k)
                copy["id"] = new_id(record["id"], k)
                if "url" in copy:  # each copy of a resource is its own resource
                    copy["url"] += ("&" if "?" in copy["url"] else "?") + f"copy={k}"
                (out / d / f"{copy['id']}.yaml").write_text(
                    yaml.dump(copy, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for extra in ("tags.yaml", "deflators.yaml"):
        if (base / extra).exists():
            (out / extra).write_bytes((base / extra).read_bytes())
    return out


def floor_site(pages: int, workdir: Path) -> Path:
    """A bare mkdocs-material project with `pages` trivial pages kept out of the nav: the floor
    a generator with this theme cannot go below for that many pages."""
    out = workdir / f"floor-{pages}"
    if out.exists():
        return out
    docs = out / "docs" / "p"
    docs.mkdir(parents=True)
    (out / "docs" / "index.md").write_text("# Floor\n\nA bare mkdocs-material site.\n")
    for i in range(pages):
        (docs / f"page-{i}.md").write_text(f"# Page {i}\n\nA trivial page, number {i}, with one paragraph.\n")
    (out / "mkdocs.yml").write_text("site_name: Floor\ntheme:\n  name: material\nnav:\n  - index.md\n"
                                    "not_in_nav: |\n  /p/\n")
    return out
