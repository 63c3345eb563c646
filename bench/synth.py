"""Synthetic maps with the gap-map.org export's proportions and link degrees, for benchmarks.

Proportions (export of 2026-07-29): 20 fields : 103 gaps : 369 capabilities : 1,080 resources.
Degrees measured from the same export: capabilities per gap drawn from its histogram (mean 3.78,
1 to 13), so each capability is linked by ~1.06 gaps; resources per capability from its
histogram (mean 3.12), so each resource is cited ~1.07 times. The export has no prerequisite
links, roles, costs or assessments; those follow our own map: a `requires` DAG of ~0.3 edges per
capability (each points to an earlier capability, so it cannot cycle), typed roles, build blocks
on a quarter of capabilities, cost series on one in twelve, assessments on most gaps, ~1 related
gap each. Every capability is linked from a gap and every resource cited, so the map is clean
under `gapmap validate --strict`.

Files are written with f-strings (free text through json.dumps, a valid YAML double-quoted
scalar), so 10k records take about a second.

Run: python bench/synth.py N OUT [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

SHARES = {"field": 20, "gap": 103, "capability": 369, "resource": 1080}  # the export's counts
# histograms measured from the export: {degree: number of records}
CAPS_PER_GAP = {1: 25, 2: 16, 3: 20, 4: 9, 5: 10, 6: 4, 7: 8, 8: 4, 9: 1, 10: 3, 11: 2, 13: 1}
RESOURCES_PER_CAP = {0: 3, 1: 111, 2: 92, 3: 56, 4: 38, 5: 16, 6: 19, 7: 9, 8: 3, 9: 7, 10: 3, 11: 4,
                     12: 2, 13: 4, 22: 1}
RESOURCE_KINDS = {"research-and-reviews": 336, "initiative": 195, "whitepapers-and-essays": 141, "company": 133,
                  "technology-seed": 104, "funding-program": 59, "research-org": 59, "roadmap": 24,
                  "individual": 11, "fro": 10, "fro-concept": 8}
ROLES = {"necessary": 35, "partial": 30, "enabling": 20, None: 15}
CAP_KINDS = ["technology", "dataset", "platform", "infrastructure", "method", "organization"]
MATURITIES = ["concept", "research", "prototype", "demonstrated", "scaling", "deployed"]
TAGS = ["imaging", "sequencing", "computing", "materials", "climate", "measurement", "synthesis",
        "modelling", "data", "institutions", "safety", "energy"]
REQUIRES_PER_CAP = {0: 75, 1: 20, 2: 5}  # mean 0.3
GAP_RESOURCES, RELATED_PER_GAP = 1.5, 1.0
BUILD_SHARE, COST_SHARE, ASSESSED_SHARE = 0.25, 1 / 12, 0.6
HEADER = "# yaml-language-server: $schema=../schemas/{}.schema.json\n"
PROSE = ("Generated for benchmarks: this text stands in for a description of typical length, "
         "with numbers such as {n} units in {year} and a second sentence about why it matters. "
         "A third sentence names the kind of evidence a real record would cite and the year it "
         "was measured, so that loading, checking and rendering see realistic amounts of text.")


def counts(n_records: int) -> dict[str, int]:
    """Records per kind for a map of about `n_records`, in the export's proportions."""
    total = sum(SHARES.values())
    return {kind: max(1, round(n_records * share / total)) for kind, share in SHARES.items()}


def _ids(prefix: str, n: int) -> list[str]:
    width = max(3, len(str(n)))
    return [f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)]


def _draw(rng: random.Random, histogram: dict, k: int) -> list:
    """`k` values as frequent as in `histogram` (as far as whole numbers allow), in random order:
    stratified rather than independent draws, so even a small map gets the measured mean."""
    total = sum(histogram.values())
    out = [value for value, weight in histogram.items() for _ in range(k * weight // total)]
    out += rng.choices(list(histogram), weights=list(histogram.values()), k=k - len(out))
    rng.shuffle(out)
    return out


def _deal(rng: random.Random, items: list[str], degrees: list[int]) -> list[list[str]]:
    """Give every item out at least once, topping up at random to the drawn degrees."""
    short = len(items) - sum(degrees)
    for _ in range(max(0, short)):
        degrees[rng.randrange(len(degrees))] += 1
    pool = items + rng.choices(items, k=sum(degrees) - len(items))
    rng.shuffle(pool)
    out, at = [], 0
    for d in degrees:
        out.append(list(dict.fromkeys(pool[at:at + d])))  # a record lists an id once
        at += d
    return out


def _text(rng: random.Random, kind: str, rid: str) -> str:
    summary = json.dumps(f"Synthetic {kind} {rid}, one of many written for benchmarks.")
    description = json.dumps(PROSE.format(n=rng.randint(2, 900), year=rng.randint(1995, 2025)))
    tags = ", ".join(rng.sample(TAGS, rng.choice([0, 1, 1, 2])))
    return f"summary: {summary}\ndescription: {description}\ntags: [{tags}]\n"


def _dist_years(rng: random.Random) -> str:
    low = rng.randint(1, 4)
    mode = low + rng.randint(0, 3)
    return f"{{dist: triangular, low: {low}, mode: {mode}, high: {mode + rng.randint(1, 5)}}}"


def _build(rng: random.Random, sources: list[str]) -> str:
    p05 = 10 ** rng.uniform(6, 8)
    block = (f"build:\n  cost_usd: {{dist: lognormal, p05: {p05:.4g}, p95: {p05 * rng.uniform(3, 10):.4g}}}\n"
             f"  years: {_dist_years(rng)}\n  confidence: low\n")
    return block + (f"  source: {sources[0]}\n" if sources else "")


def _cost(rng: random.Random, sources: list[str]) -> str:
    year, value = rng.randint(1995, 2010), 10 ** rng.uniform(2, 9)
    rows = []
    for _ in range(rng.randint(3, 6)):
        rows.append(f"    - {{year: {year}, value: {value:.4g}, source: {rng.choice(sources)}}}\n")
        latest = value
        year += rng.randint(1, 4)
        value *= rng.uniform(0.4, 0.95)
    return ("cost:\n  unit: USD per unit\n  observations:\n" + "".join(rows)
            + "  model:\n    kind: exponential\n    annual_decline: {dist: triangular, low: 0.05, mode: 0.15, high: 0.3}\n"
            + f"  target: {{value: {latest / 10:.4g}, label: a tenth of the latest cost}}\n")


def _assessment(rng: random.Random) -> str:
    i, t, n = (rng.randint(1, 5) for _ in range(3))
    return (f"assessment:\n  importance: {i}\n  tractability: {t}\n  neglectedness: {n}\n"
            f"  confidence: {rng.choice(['low', 'medium', 'high'])}\n"
            "  rationale: Scores drawn at random for a synthetic benchmark map.\n")


def _write(out: Path, folder: str, rid: str, kind: str, body: str) -> None:
    (out / folder / f"{rid}.yaml").write_text(HEADER.format(kind) + f"id: {rid}\ntitle: \"Synthetic {kind} {rid}\"\n" + body)


def make_map(n_records: int, out: Path, seed: int = 0) -> Path:
    """Write a synthetic map of about `n_records` records to `out` (created; must not hold a map)."""
    rng = random.Random(seed)
    out = Path(out)
    for folder in ("fields", "gaps", "capabilities", "resources"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    (out / "tags.yaml").write_text("".join(f"{t}: Synthetic tag {t}.\n" for t in TAGS))
    n = counts(n_records)
    fields, gaps, caps, resources = (_ids(p, n[k]) for p, k in
                                     (("field", "field"), ("gap", "gap"), ("cap", "capability"), ("res", "resource")))

    cap_links = _deal(rng, caps, _draw(rng, CAPS_PER_GAP, len(gaps)))
    cap_sources = _deal(rng, resources, _draw(rng, RESOURCES_PER_CAP, len(caps)))
    n_requires = _draw(rng, REQUIRES_PER_CAP, len(caps))
    for fid in fields:
        _write(out, "fields", fid, "field", _text(rng, "field", fid))
    for i, (gid, linked) in enumerate(zip(gaps, cap_links)):
        field = fields[i] if i < len(fields) else rng.choice(fields)
        roles = ["necessary"] + _draw(rng, ROLES, len(linked) - 1)
        links = "".join(f"  - {{capability: {c}" + (f", role: {r}}}\n" if r else "}\n") for c, r in zip(linked, roles))
        related = sorted({rng.choice(gaps) for _ in range(_poisson(rng, RELATED_PER_GAP))} - {gid})
        body = (_text(rng, "gap", gid) + f"resources: [{', '.join(rng.sample(resources, min(len(resources), _poisson(rng, GAP_RESOURCES))))}]\n"
                + f"field: {field}\noutcome: \"What becomes possible when {gid} closes.\"\ncapabilities:\n{links}"
                + f"related_gaps: [{', '.join(related)}]\n" + (_assessment(rng) if rng.random() < ASSESSED_SHARE else ""))
        _write(out, "gaps", gid, "gap", body)
    firsts = {linked[0] for linked in cap_links if linked}  # a gap's necessary link is still to build
    for i, (cid, cited) in enumerate(zip(caps, cap_sources)):
        requires = sorted({caps[rng.randrange(i)] for _ in range(n_requires[i])}) if i else []
        maturity = rng.choice(MATURITIES[:4] if cid in firsts else MATURITIES)  # else gap-already-closed
        body = (_text(rng, "capability", cid) + f"resources: [{', '.join(cited)}]\n"
                + f"kind: {rng.choice(CAP_KINDS)}\nmaturity: {maturity}\nrequires: [{', '.join(requires)}]\n"
                + (_build(rng, cited) if rng.random() < BUILD_SHARE else "")
                + (_cost(rng, cited or resources) if rng.random() < COST_SHARE else ""))
        _write(out, "capabilities", cid, "capability", body)
    kinds = _draw(rng, RESOURCE_KINDS, len(resources))
    for rid, kind in zip(resources, kinds):
        doi = f"doi: 10.5555/synth.{rid}\n" if rng.random() < 0.3 else ""
        body = (f"url: https://example.org/{rid}\nkind: {kind}\nyear: {rng.randint(1990, 2025)}\n{doi}"
                f"summary: {json.dumps(f'Synthetic source {rid} cited by benchmark records.')}\n")
        _write(out, "resources", rid, "resource", body)
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by counting exponential gaps (means here are small)."""
    k, total = 0, rng.expovariate(1.0)
    while total < mean:
        k += 1
        total += rng.expovariate(1.0)
    return k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="about how many records")
    parser.add_argument("out", type=Path, help="folder to create")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if (args.out / "gaps").exists():
        sys.exit(f"{args.out} already holds a map; pick a new folder")
    t0 = time.perf_counter()
    make_map(args.n, args.out, args.seed)
    print(f"{sum(counts(args.n).values())} records in {args.out} ({time.perf_counter() - t0:.2f} s)")


if __name__ == "__main__":
    main()
