"""`gapmap cost`, `gapmap schedule`, `gapmap portfolio`: the Monte Carlo models in the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gapmap.core import settings
from gapmap.cli.common import kb_option, load_checked

QUANTS = ("p05", "p25", "p50", "p75", "p95")

samples_option = click.option("--samples", type=click.IntRange(100, 2_000_000), default=settings.SAMPLES, show_default=True,
                              help="Monte Carlo samples.")
seed_option = click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=settings.SEED, show_default=True,
                           help="Random seed; the same seed gives the same numbers.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def _lookup(loaded, record_id: str, kind: str):
    from gapmap.core.findings import did_you_mean

    table = loaded.capabilities if kind == "capability" else loaded.gaps
    if record_id not in table:
        other = loaded.known_ids.get(record_id)
        hint = f" ('{record_id}' is a {other})" if other else did_you_mean(record_id, table)
        raise click.UsageError(f"no {kind} '{record_id}'{hint}")
    return table[record_id]


@click.command()
@click.argument("record_id", metavar="ID")
@kb_option
@json_option
@samples_option
@seed_option
def cost(record_id: str, kb_dir: Path, as_json: bool, samples: int, seed: int) -> None:
    """Forecast the unit cost of capability ID: quantiles by year and the year it reaches its target."""
    from gapmap.cost import Options, cost_forecast
    from gapmap.cost.cache import cost_stage

    loaded = load_checked(kb_dir)
    if _lookup(loaded, record_id, "capability").cost is None:
        raise click.ClickException(f"capability '{record_id}' has no cost block; add `cost:` with observations "
                                   "and a model (see the contribution guide)")
    with cost_stage("cost forecast"):
        result = cost_forecast(loaded, record_id, Options(samples=samples, seed=seed))
    click.echo(json.dumps(result, indent=2) if as_json else render_forecast(result))


@click.command()
@click.argument("gap_id", metavar="GAP")
@kb_option
@json_option
@samples_option
@seed_option
@click.option("--start-year", type=click.IntRange(1900, 2200), default=None, help="Year the work starts (default: this year).")
def schedule(gap_id: str, kb_dir: Path, as_json: bool, samples: int, seed: int, start_year: int | None) -> None:
    """When could GAP close? Closing-year distribution and each capability's criticality."""
    from gapmap.cost import Options, gap_schedules
    from gapmap.cost.cache import cost_stage

    loaded = load_checked(kb_dir)
    _lookup(loaded, gap_id, "gap")
    options = Options(samples=samples, seed=seed, **({"start_year": start_year} if start_year else {}))
    with cost_stage("schedule simulation"):
        result = gap_schedules(loaded, options)[gap_id]
    click.echo(json.dumps(result, indent=2) if as_json else render_schedule(result))


@click.command()
@kb_option
@click.option("--field", "field_id", default=None, help="Only the gaps of this field.")
@json_option
@samples_option
@seed_option
def portfolio(kb_dir: Path, field_id: str | None, as_json: bool, samples: int, seed: int) -> None:
    """Cost of closing every gap, each field and the whole map, and how many gaps close for $X."""
    from gapmap.cost import Options, map_portfolio
    from gapmap.cost.cache import cost_stage

    loaded = load_checked(kb_dir)
    if field_id is not None and field_id not in loaded.fields:
        raise click.UsageError(f"no field '{field_id}'")
    with cost_stage("portfolio simulation"):
        result = map_portfolio(loaded, field_id, Options(samples=samples, seed=seed))
    click.echo(json.dumps(result, indent=2) if as_json else render_portfolio(result))


def _num(x) -> str:
    return "-" if x is None else f"{x:.3g}"


def _usd(x) -> str:
    """"$1.2B" for the terminal: the site's compact money labels, "-" for no value."""
    from gapmap.site.svg import compact

    return "-" if x is None else compact(x, money=True)


def render_forecast(r: dict) -> str:
    model, origin, target = r["model"], r["origin"], r["target"]
    lines = [f"{r['id']}: {r['unit']}",
             f"model {model['kind']} ({model['drift']} drift, {model['volatility']} volatility, theta {model['theta']}); "
             f"starts {origin['year']} at {_num(origin['value'])} ({origin['source']})"]
    if "fitted" in model:
        f = model["fitted"]
        lines.append(f"fitted {f['first_year']}-{f['last_year']}: drift {f['mu']:.3f}/year "
                     f"({f['annual_decline_median']:.0%} a year), K {f['K']:.3f}, {f['intervals']} intervals")
    head = f"{'year':>6} " + " ".join(f"{q:>10}" for q in QUANTS) + (f" {'P(<=target)':>12}" if target else "")
    if "experience_fit" in model:
        e = model["experience_fit"]
        lines.append(f"Wright's law fitted: learning rate {e['learning_rate']:.1%} per doubling (exponent {e['b']:.3g} "
                     f"± {e['b_se']:.2g}), cumulative production +{e['cumulative_growth']:.0%} a year")
    lines += ["", head]
    for i, year in enumerate(r["years"]):
        row = f"{year:>6} " + " ".join(f"{_num(r['quantiles'][q][i]):>10}" for q in QUANTS)
        if target:
            row += f" {target['p_reached_by'][str(year)]:>12.1%}"
        lines.append(row)
    if target:
        lines += ["", f"target {_num(target['value'])}" + (f" ({target['label']})" if target.get("label") else ""),
                  f"year reached: p05 {target['year_p05'] or '-'}, median {target['year_p50'] or '-'}, "
                  f"p95 {target['year_p95'] or 'beyond ' + str(r['years'][-1])}; "
                  f"never within the horizon: {target['p_never_within_horizon']:.1%}"]
    if r.get("hindcast"):
        h = r["hindcast"]
        lines.append(f"hindcast: {h['forecasts']} past forecasts, {h['coverage50']:.0%} inside the 50% band, "
                     f"{h['coverage90']:.0%} inside the 90% band")
    return "\n".join(lines)


def render_schedule(r: dict) -> str:
    if r["closing_year"] is None:
        return f"{r['id']}: {r['note']}"
    q = r["closing_year"]
    lines = [f"{r['id']}: closes (work starting {r['start_year']})",
             "  " + "  ".join(f"{k} {'never' if q[k] is None else format(q[k], '.1f')}" for k in QUANTS)
             + (f"  mean {r['mean_year']:.1f}" if r.get("mean_year") is not None else f"  never within the horizon: {r.get('p_never', 0):.0%}"), "",
             f"{'criticality':>11}  {'duration':8}  capability"]
    for c in r["capabilities"]:
        lines.append(f"{c['criticality']:>11.1%}  {c['duration']:8}  {c['id']}{'' if c['needed'] else '  (prerequisite)'}")
    if r["assumed"]:
        lines += ["", "'assumed': no build block; 2-15 years (triangular, mode 5) is a placeholder, not an estimate."]
    return "\n".join(lines)


def time_buys(gap: dict) -> str:
    """The cost targets a gap waits for, with how often the capability exists before its cost is
    low enough and how often the target is never reached within the horizon."""
    return "; ".join(f"{w['capability']} reaching {_num(w['value'])} {w['unit']} (ready before its cost in "
                     f"{w['p_cost_binds']:.0%} of samples, never within the horizon in {w['p_never']:.0%})"
                     for w in gap.get("waits_for_cost") or [])


def render_portfolio(r: dict) -> str:
    def scope(s) -> str:
        q = s["quantiles"]
        cost = "nothing priced" if q is None else f"median {_usd(q['p50'])}  (90%: {_usd(q['p05'])}-{_usd(q['p95'])})"
        rule = s.get("rule_of_thumb") or []
        return (f"{s['id']:<44} {cost}" + (f"  ({len(rule)} of {len(s['priced'])} by rule of thumb)" if rule else "")
                + (f"  +{len(s['unpriced'])} unpriced" if s["unpriced"] else ""))

    lines = [scope(r["total"]), ""] + [scope(s) for s in r["fields"].values()]
    if r["gaps"]:
        lines += ["", "per gap: what money buys (building its priced capabilities); below a gap, the cost targets "
                  "that only time, or a cheaper method, buys"]
        for g in r["gaps"].values():
            lines.append(scope(g))
            if g.get("waits_for_cost"):
                lines.append("    only time buys: " + time_buys(g))
            if g.get("note"):
                lines.append(f"    note: {g['note']}")
    if r["curve"]:
        lines += ["", "budget -> expected gaps closed (fully priced gaps, greedy by median marginal cost)"]
        lines += [f"  {_usd(p['budget_usd']):>9}  {p['expected_gaps_closed']:.1f}" for p in r["curve"][::5]]
    if r["total"]["unpriced"]:
        lines += ["", f"unpriced (no build block): {', '.join(r['total']['unpriced'])}"]
    return "\n".join(lines)


COMMANDS = [cost, schedule, portfolio]
