"""Write converted records as a complete map folder (fields/, gaps/, capabilities/,
resources/, tags.yaml), all at once: see `staging`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gapmap.core import progress
from gapmap.core.writes import write_atomic
from gapmap.interop.staging import staged_folder
from gapmap.interop.yaml_out import record_text, tags_text
from gapmap.model.records import FOLDER_BY_KIND


def write_map(records: dict[str, dict[str, dict]], tags: dict[str, str], out: Path, force: bool = False) -> None:
    """Write `records` (kind -> id -> dict) and `tags` as the map at `out`; refuses a non-empty
    `out` (core.writes.WriteRefused)."""
    with staged_folder(out, force, marked=False) as staging, ThreadPoolExecutor(8) as pool:
        jobs = [pool.submit(write_atomic, staging / "tags.yaml", tags_text(tags))]
        for kind, table in records.items():
            folder = staging / FOLDER_BY_KIND[kind]
            folder.mkdir()
            # fsync waits on the disk with the GIL released: a few writers in parallel overlap those waits
            jobs.extend(pool.submit(write_atomic, folder / f"{rid}.yaml", record_text(kind, data))
                        for rid, data in table.items())
        for job in progress.bar(jobs, "writing records"):
            job.result()
