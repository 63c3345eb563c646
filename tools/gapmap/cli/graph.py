"""`gapmap graph stats|leverage|path`: graph analytics in the terminal, as aligned tables or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from gapmap.cli.common import kb_option

PLURAL = {"field": "fields", "gap": "gaps", "capability": "capabilities", "resource": "resources"}
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")


@click.group()
def graph() -> None:
    """Analyse the map as a graph: overview, leverage ranking, a gap's prerequisites."""


@graph.command()
@kb_option
@json_option
def stats(kb_dir: Path, as_json: bool) -> None:
    """Records and links, components, orphans, bridges across fields, the deepest chain."""
    from gapmap.graph import build_graph, stats as graph_stats

    result = graph_stats(build_graph(_load(kb_dir)))
    click.echo(json.dumps(result, indent=2) if as_json else render_stats(result))


@graph.command()
@kb_option
@json_option
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many capabilities to list.")
def leverage(kb_dir: Path, as_json: bool, top: int) -> None:
    """Capabilities ranked by the gaps they unblock, directly and through what requires them.

    A gap counts with its link's role (necessary or unknown 1, partial 0.5, enabling 0.25)
    times its importance/5 when assessed.
    """
    from gapmap.graph import build_graph, leverage as rank

    rows = rank(build_graph(_load(kb_dir)), top=top)
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    click.echo(table(["#", "leverage", "gaps", "direct", "capability", "title"],
                     [[i, f"{r.leverage:.2f}", r.total, r.direct, r.capability, r.title] for i, r in enumerate(rows, 1)]))


@graph.command()
@click.argument("gap")
@kb_option
@json_option
def path(gap: str, kb_dir: Path, as_json: bool) -> None:
    """Everything GAP needs (transitively through requires) and its longest prerequisite chain."""
    from gapmap.core.findings import did_you_mean
    from gapmap.graph import build_graph, prerequisites

    loaded = _load(kb_dir)
    if gap not in loaded.gaps:
        raise click.UsageError(f"no gap '{gap}' in {kb_dir}{did_you_mean(gap, loaded.gaps)}")
    result = prerequisites(build_graph(loaded), gap)
    click.echo(json.dumps(asdict(result), indent=2) if as_json else render_path(result))


def _load(kb_dir: Path):
    from gapmap.cli.common import load_checked

    return load_checked(kb_dir)


def table(headers: list[str], rows: list[list]) -> str:
    """Left-aligned text columns, numbers right-aligned; the last column is not padded."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_is_number(r[i]) for r in cells[1:]) and len(cells) > 1 for i in range(len(headers))]
    lines = []
    for r in cells:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(r[:-1], widths, numeric)]
        lines.append("  ".join(parts + [r[-1]]).rstrip())
    return "\n".join(lines)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text == ""
    return True


def render_stats(s: dict) -> str:
    rec, links = s["records"], s["links"]
    roles = ", ".join(f"{n} {role}" for role, n in sorted(s["roles"].items(), key=lambda kv: -kv[1]))
    parts = s["components"]
    lonely = s["orphans"]
    chain = s["deepest_chain"]
    lines = [
        "records      " + ", ".join(f"{n} {PLURAL[kind]}" for kind, n in rec.items()),
        f"links        {links.get('needs', 0)} gap→capability ({roles or 'none'}), "
        f"{links.get('requires', 0)} requires, {links.get('cites', 0)} cites, "
        f"{links.get('related', 0)} related, {links.get('in_field', 0)} in-field",
        f"components   {len(parts)} (largest: {_sizes(parts[0]) if parts else '-'}; resources not counted)",
        "orphans      " + ", ".join(f"{len(ids)} {kind}" + (f" ({_some(ids)})" if ids else "")
                                    for kind, ids in lonely.items()),
        f"cycles       {len(s['requires_cycles'])} in requires",
        f"deepest      {len(chain)} capabilities: {' → '.join(chain)}" if chain else "deepest      -",
        f"bridges      {len(s['bridges'])} capabilities serve gaps in 2+ fields "
        "(betweenness: share of field pairs connected through it)",
    ]
    if s["bridges"]:
        rows = [[len(b["fields"]), b["gaps"], f"{b['betweenness']:.3f}", b["capability"], ", ".join(b["fields"])]
                for b in s["bridges"][:10]]
        lines += ["", table(["fields", "gaps", "betweenness", "capability", "in fields"], rows)]
    return "\n".join(lines)


def _sizes(c: dict) -> str:
    return f"{c['fields']} fields, {c['gaps']} gaps, {c['capabilities']} capabilities"


def _some(ids: list[str], n: int = 5) -> str:
    return ", ".join(ids[:n]) + (f", … {len(ids) - n} more" if len(ids) > n else "")


def render_path(p) -> str:
    direct = sum(x.depth == 0 for x in p.closure)
    lines = [f"{p.gap}: {p.title}",
             f"needs {len(p.closure)} capabilities ({direct} linked directly, the rest through requires)", ""]
    if p.closure:
        rows = [[x.depth, x.role or "unknown", x.maturity or "", _years(x.build_years), x.capability, x.title]
                for x in p.closure]
        lines += [table(["depth", "role", "maturity", "build yrs", "capability", "title"], rows), ""]
    for label, chain in (("longest chain", p.chain), ("longest in build years", p.chain_years)):
        if chain is None:
            lines.append(f"{label}: none (no necessary link)")
            continue
        unknown = f", {chain.unknown_years} without a build estimate" if chain.unknown_years else ""
        lines.append(f"{label}: {len(chain.capabilities)} capabilities, {chain.years:.1f} median build years{unknown}")
        lines.append("  " + " → ".join(chain.capabilities))
    return "\n".join(lines)


def _years(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


COMMANDS = [graph]
