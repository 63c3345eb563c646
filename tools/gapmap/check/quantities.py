"""Checks on cost models that the schema alone cannot make: is there enough data to fit?"""

from __future__ import annotations

from gapmap.core.findings import Finding, finding
from gapmap.model.distributions import bounds
from gapmap.model.records import EXISTING, NEEDED_ROLES

MIN_FIT_POINTS = 3


def fit_points(cost) -> list:
    """The observations a model is fitted on: all of them, or those from the break year on."""
    obs = sorted(cost.observations, key=lambda o: o.year)
    if cost.model.kind == "piecewise":
        obs = [o for o in obs if o.year >= cost.model.break_year]
    return obs


def fitted_experience(model) -> bool:
    """An experience model with no stated learning_rate: Wright's law fitted from `cumulative`."""
    return model.kind == "experience" and model.learning_rate is None


def production_points(cost) -> tuple[list, list]:
    """(observation years, years with cumulative production): the larger cumulative of a year."""
    years = sorted({o.year for o in cost.observations})
    cum: dict[int, float] = {}
    for o in cost.observations:
        if o.cumulative is not None:
            cum[o.year] = max(cum.get(o.year, 0.0), o.cumulative)
    return years, [(y, cum[y]) for y in years if y in cum]


def _experience_findings(kb, cid, cost) -> list[Finding]:
    """A fitted experience curve needs MIN_FIT_POINTS years with cumulative production, the latest
    observation among them (the forecast starts there), and production that grows."""
    years, points = production_points(cost)
    file, pos = kb.where(cid, ("cost", "model"), key=True)
    if len(points) < MIN_FIT_POINTS:
        return [finding(file, pos, "bad-model",
                        f"an experience model without learning_rate is fitted from cumulative production, and only "
                        f"{len(points)} observation year(s) carry `cumulative` (need {MIN_FIT_POINTS}); add it to "
                        "the observations or state learning_rate and production_growth")]
    out = []
    if points[-1][0] != years[-1]:
        out.append(finding(file, pos, "bad-model",
                           f"the latest observation ({years[-1]}) has no `cumulative`, and the fitted experience "
                           "curve starts its forecast there; add it"))
    falls = [y for (_, a), (y, b) in zip(points, points[1:]) if b < a]
    if falls or points[-1][1] <= points[0][1]:
        at = falls[0] if falls else points[-1][0]
        obs = next(i for i, o in enumerate(cost.observations) if o.year == at and o.cumulative is not None)
        f2, p2 = kb.where(cid, ("cost", "observations", obs, "cumulative"))
        out.append(finding(f2, p2, "bad-model",
                           f"cumulative production cannot fall (it does in {at}) and must grow over the series; "
                           "it is the running total of everything made so far"))
    if cost.model.volatility is not None:
        out.append(finding(*kb.where(cid, ("cost", "model", "volatility")), "bad-model",
                           "a fitted experience curve estimates its own noise from the observations; remove volatility"))
    return out


def check_quantities(kb) -> list[Finding]:
    out = []
    for cid, cap in kb.capabilities.items():
        cost = cap.cost
        if cost is None:
            continue
        model = cost.model
        if model.kind != "experience" and model.annual_decline is None:
            n = len({o.year for o in fit_points(cost)})
            if n < MIN_FIT_POINTS:
                file, pos = kb.where(cid, ("cost", "model"), key=True)
                out.append(finding(file, pos, "bad-model",
                                 f"no annual_decline given and only {n} observation year(s) to fit it from "
                                 f"(need {MIN_FIT_POINTS}); add observations or state annual_decline"))
        if fitted_experience(model):
            out.extend(_experience_findings(kb, cid, cost))
        out.extend(_parameter_findings(kb, cid, model))
        years = [o.year for o in cost.observations]
        if model.kind == "piecewise" and years and model.break_year > max(years):
            file, pos = kb.where(cid, ("cost", "model", "break_year"))
            out.append(finding(file, pos, "bad-model",
                             f"break_year {model.break_year} is after the last observation; move it earlier"))
        if cost.target and cost.observations:
            latest = max(cost.observations, key=lambda o: o.year)
            if cost.target.value >= latest.value:
                file, pos = kb.where(cid, ("cost", "target", "value"))
                out.append(finding(file, pos, "target-reached",
                                   f"target {cost.target.value:g} is not below the latest observation "
                                   f"({latest.value:g} in {latest.year}); lower the target"))
    return out




def _unmet_target(cap) -> bool:
    cost = cap.cost
    if cost is None or cost.target is None:
        return False
    if cost.observations:
        return max(cost.observations, key=lambda o: o.year).value > cost.target.value
    return cost.model.start is None or cost.model.start.value > cost.target.value


def check_closed_gaps(kb) -> list[Finding]:
    """Gaps whose needed capabilities all exist with no unmet cost target: they 'close now for $0'."""
    out = []
    for gid, gap in kb.gaps.items():
        caps = [kb.capabilities.get(link.capability) for link in gap.capabilities if link.role in NEEDED_ROLES]
        if not caps or any(c is None for c in caps):
            continue
        if all(c.build is None and c.maturity in EXISTING and not _unmet_target(c) for c in caps):
            file, pos = kb.where(gid, ("capabilities",), key=True)
            out.append(finding(file, pos, "gap-already-closed",
                               f"every capability gap '{gid}' needs exists and none has an unmet cost target, so it "
                               "would close now for $0; already closed? say what is still missing"))
    return out


def _parameter_findings(kb, cid, model) -> list[Finding]:
    """Parameters the schema accepts but the cost models cannot run (or would silently ignore)."""
    out = []

    def bad(key: str, message: str) -> None:
        file, pos = kb.where(cid, ("cost", "model", key))
        out.append(finding(file, pos, "bad-model", message))

    for name in ("annual_decline", "learning_rate"):
        if getattr(model, name) is not None and getattr(model, name).dist == "lognormal":
            bad(name, f"{name} is a fraction below 1, but a lognormal can exceed 1 (a fall of more than "
                      "100%); use triangular or uniform")
    growth = model.production_growth
    if growth is not None and (bounds(growth)[0] < 0):
        bad("production_growth", "production_growth is the yearly growth of cumulative production, which "
                                 "cannot shrink; give a value of 0 or more")
    if model.kind == "experience" and model.annual_decline is not None:
        bad("annual_decline", "an experience model follows learning_rate and production_growth and would ignore "
                              "annual_decline; remove it, or use kind: exponential")
    return out
