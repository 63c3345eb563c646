"""Put every cost series in one year's dollars, and say where a series cannot be.

A series' *dollar year* is its cost block's `dollar_year`, or the one dollar year all its
observations share. An observation written in another year's dollars is converted with the
map's price index (deflators.yaml): value × index[series year] / index[its year]. The value as
written stays on the observation (`_nominal`). A series that mixes what it measures (`basis`:
realised, estimate, projection) cannot be converted into one and is an error.
"""

from __future__ import annotations

from gapmap.core.findings import Finding, finding


def deflate_map(kb) -> list[Finding]:
    """Convert observations in place to their series' dollar year; findings for what cannot be."""
    out = []
    for cid, cap in kb.capabilities.items():
        if cap.cost is not None:
            out.extend(_deflate(kb, cid, cap.cost))
    return out


def _deflate(kb, cid: str, cost) -> list[Finding]:
    obs = cost.observations
    bases = sorted({o.basis for o in obs if o.basis})
    if len(bases) > 1:
        first = next(i for i, o in enumerate(obs) if o.basis != obs[0].basis and o.basis)
        file, pos = kb.where(cid, ("cost", "observations", first, "basis"))
        return [finding(file, pos, "mixed-basis",
                        f"the series mixes {' and '.join(bases)} observations; keep one basis per series "
                        "(move the others to their own capability or drop them)")]
    years = sorted({o.dollar_year for o in obs if o.dollar_year})
    target = cost.dollar_year or (years[0] if len(years) == 1 else None)
    if target is None:
        if len(years) > 1:
            file, pos = kb.where(cid, ("cost",), key=True)
            return [finding(file, pos, "mixed-dollars",
                            f"observations are in {', '.join(map(str, years))} dollars; give the cost block "
                            "a dollar_year to convert them to")]
        return []
    table = kb.deflators.index if kb.deflators else {}
    out = []
    for i, o in enumerate(obs):
        if not o.dollar_year or o.dollar_year == target:
            continue
        missing = [y for y in (o.dollar_year, target) if y not in table]
        if missing:
            file, pos = kb.where(cid, ("cost", "observations", i, "dollar_year"))
            why = "the map has no deflators.yaml" if not table else f"deflators.yaml has no index for {missing[0]}"
            out.append(finding(file, pos, "mixed-dollars",
                               f"cannot convert {o.dollar_year} dollars to {target} dollars: {why}"))
            continue
        o._nominal = o.value
        o.value = o.value * table[target] / table[o.dollar_year]
    return out
