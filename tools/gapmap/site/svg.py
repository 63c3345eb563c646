"""Charts drawn at build time as inline SVG (no script, nothing to download): box plots of a
distribution, a fan chart of a cost forecast, and a step curve.

Every chart is a <figure> with a caption naming its units, an HTML legend (legends never sit on
the plot), a table of its data one click away (<details>) and a CSV download of it. Text inside
the SVG is limited to tick labels spaced by construction, so nothing overlaps at any width; the
plot area keeps fixed margins for them, so nothing is clipped. All text passed in is escaped.
"""

from __future__ import annotations

import math
import re
import zlib
from urllib.parse import quote

from gapmap.site.markup import esc

W = 640  # viewBox width; the SVG scales to the column width
FONT = 13
BLUE, BAND90, BAND50, RED, GREY = "#1f5f99", "#c6dbef", "#7fb2dd", "#b3261e", "#666"


def compact(x: float, money: bool = False) -> str:
    """1.2k, 3M, 45B, 0.05 — short tick labels."""
    if x == 0:
        return "$0" if money else "0"
    sign, x = ("-" if x < 0 else ""), abs(x)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if x >= size:
            text = f"{x / size:.3g}{suffix}"
            break
    else:
        text = f"{x:.3g}"
    return sign + ("$" if money else "") + text


def log_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Powers of ten in [lo, hi] (every second or third one when there are too many), with
    2× and 5× steps when the span is under two decades."""
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    ticks = [10.0 ** e for e in range(a, b + 1)]
    if b - a <= 2:
        ticks = sorted(t * m for t in ticks for m in (1, 2, 5))
    ticks = [t for t in ticks if lo * 0.999 <= t <= hi * 1.001]
    step = max(1, math.ceil(len(ticks) / most))
    return ticks[::step]


def linear_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    span = max(hi - lo, 1e-12)
    raw = span / most
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    out, t = [], first
    while t <= hi + 1e-9 * span:
        out.append(round(t, 10))
        t += step
    return out


class Scale:
    def __init__(self, lo: float, hi: float, a: float, b: float, log: bool = False):
        self.log = log
        self.lo, self.hi = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
        if self.hi <= self.lo:
            self.lo, self.hi = self.lo - 0.5, self.hi + 0.5
        self.a, self.b = a, b

    def __call__(self, v: float) -> float:
        v = math.log10(max(v, 1e-300)) if self.log else v
        return round(self.a + (v - self.lo) / (self.hi - self.lo) * (self.b - self.a), 1)

    def ticks(self, most: int) -> list[float]:
        if self.log:
            return log_ticks(10 ** self.lo, 10 ** self.hi, most)
        return linear_ticks(self.lo, self.hi, most)


def _svg(height: int, label: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="gm-svg" viewBox="0 0 {W} {height}" role="img" aria-label="{esc(label)}" '
            f'preserveAspectRatio="xMidYMid meet" font-size="{FONT}">{body}</svg>')


def _axis_x(sx: Scale, y: float, fmt, most: int = 6) -> str:
    out = [f'<line x1="{sx.a}" x2="{sx.b}" y1="{y}" y2="{y}" stroke="{GREY}"/>']
    for t in sx.ticks(most):
        x = sx(t)
        out.append(f'<line x1="{x}" x2="{x}" y1="{y}" y2="{y + 4}" stroke="{GREY}"/>'
                   f'<text x="{x}" y="{y + 18}" text-anchor="middle" class="gm-tick">{esc(fmt(t))}</text>')
    return "".join(out)


def _axis_y(sy: Scale, x0: float, x1: float, fmt, most: int = 5) -> str:
    out = []
    for t in sy.ticks(most):
        y = sy(t)
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{y}" y2="{y}" class="gm-grid"/>'
                   f'<text x="{x0 - 6}" y="{y + 4}" text-anchor="end" class="gm-tick">{esc(fmt(t))}</text>')
    return "".join(out)


class Files:
    """Where charts put the files they link to (CSV data, figure JSON), as seen from one page."""

    def __init__(self, store: dict, page_url: str):
        self.store, self.page_url = store, page_url

    def put(self, path: str, data: bytes) -> str:
        self.store[path] = data
        return "../" * self.page_url.count("/") + path


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "chart"


def csv_link(files: Files | None, name: str, header: list[str], rows: list[list]) -> str:
    text = ",".join(_csv_cell(h) for h in header) + "\n" + "".join(",".join(_csv_cell(c) for c in r) + "\n" for r in rows)
    if files is None:
        href = f"data:text/csv;charset=utf-8,{quote(text)}"
    else:
        href = files.put(f"data/charts/{_slug(files.page_url)}--{_slug(name)}.csv", text.encode())
    return f'<a class="gm-csv" download="{esc(_slug(name))}.csv" href="{esc(href)}">Download data (CSV)</a>'


def svg_link(files: Files | None, name: str, svg: str) -> str:
    if files is None:
        return ""
    href = files.put(f"data/charts/{_slug(files.page_url)}--{_slug(name)}.svg", svg.encode())
    return f'<a download="{esc(_slug(name))}.svg" href="{esc(href)}">Download image (SVG)</a>'


def _csv_cell(c) -> str:
    s = "" if c is None else f"{c:.6g}" if isinstance(c, float) else str(c)
    return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in ',"\n') else s


def data_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th scope=\"col\">{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<details class="gm-data"><summary>Data table</summary><div class="gm-scroll"><table class="gm-table">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>")


def figure(svg: str, caption: str, legend: list[tuple[str, str]], table: str, csv: str, extra: str = "") -> str:
    keys = "".join(f'<li><span class="gm-key gm-key-{k}" aria-hidden="true"></span>{esc(t)}</li>' for k, t in legend)
    keys = f'<ul class="gm-legend">{keys}</ul>' if keys else ""
    return (f'<figure class="gm-figure"><figcaption>{caption}</figcaption>{svg}{keys}'
            f'<div class="gm-figtools">{csv}{extra}</div>{table}</figure>')


# ---- box plot ------------------------------------------------------------------------------

def box(q: dict, label: str, unit: str, log: bool = False, fmt=None, name: str = "distribution",
        files: Files | None = None) -> str:
    """One distribution (p05/p25/p50/p75/p95): whiskers p05–p95, box p25–p75, median."""
    money = unit == "USD"
    fmt = fmt or (lambda v: compact(v, money))
    values = [q[k] for k in ("p05", "p25", "p50", "p75", "p95")]
    lo, hi = min(values), max(values)
    if log:
        lo, hi = lo / 1.5, hi * 1.5
    else:
        pad = max((hi - lo) * 0.08, 0.5)
        lo, hi = lo - pad, hi + pad
    sx = Scale(lo, hi, 24, W - 24, log)
    y0, y1 = 14, 50
    p05, p25, p50, p75, p95 = (sx(v) for v in values)
    mid = (y0 + y1) / 2
    body = (f'<line x1="{p05}" x2="{p95}" y1="{mid}" y2="{mid}" stroke="{BLUE}" stroke-width="2"/>'
            f'<line x1="{p05}" x2="{p05}" y1="{y0 + 8}" y2="{y1 - 8}" stroke="{BLUE}" stroke-width="2"/>'
            f'<line x1="{p95}" x2="{p95}" y1="{y0 + 8}" y2="{y1 - 8}" stroke="{BLUE}" stroke-width="2"/>'
            f'<rect x="{p25}" y="{y0}" width="{max(p75 - p25, 1)}" height="{y1 - y0}" fill="{BAND50}" stroke="{BLUE}"/>'
            f'<line x1="{p50}" x2="{p50}" y1="{y0}" y2="{y1}" stroke="{RED}" stroke-width="3"/>'
            + _axis_x(sx, y1 + 10, fmt))
    svg = _svg(88, f"{label}: median {fmt(q['p50'])}, 50% between {fmt(q['p25'])} and {fmt(q['p75'])}, "
                    f"90% between {fmt(q['p05'])} and {fmt(q['p95'])} ({unit})", body)
    rows = [["5th percentile", fmt(q["p05"])], ["25th", fmt(q["p25"])], ["median", fmt(q["p50"])],
            ["75th", fmt(q["p75"])], ["95th", fmt(q["p95"])]]
    caption = f"{esc(label)} ({esc(unit)}{', log scale' if log else ''})"
    return figure(svg, caption, [("box", "50% range (p25–p75)"), ("whisker", "90% range (p05–p95)"),
                                 ("median", "median")],
                  data_table(["quantile", unit], rows),
                  csv_link(files, name, ["quantile", unit], [["p05", q["p05"]], ["p25", q["p25"]], ["p50", q["p50"]],
                                                       ["p75", q["p75"]], ["p95", q["p95"]]]))


# ---- lines: fan chart and step curve -------------------------------------------------------

PLOT = {"l": 74, "r": 16, "t": 14, "b": 34}


def fan(forecast: dict, observations: list, unit: str, height: int = 320, files: Files | None = None,
        max_years: int = 20) -> str:
    """Unit cost over time on a log axis: 90% and 50% bands, median, observations, target,
    forecast start. The axis spans the data, the 50% band and the target; the 90% band is
    clipped to the plot area."""
    years = forecast["years"][: max_years + 1]
    q = {k: v[: len(years)] for k, v in forecast["quantiles"].items()}
    obs = [(o.year, o.value) for o in observations if o.value and o.value > 0]
    target = forecast.get("target")
    seen = [v for v in q["p25"] + q["p75"] if v and v > 0] + [v for _, v in obs]
    if target and target["value"] > 0:
        seen.append(target["value"])
    lo, hi = min(seen) / 3, max(seen) * 3
    x0 = min([years[0]] + [y for y, _ in obs])
    sx = Scale(x0, years[-1], PLOT["l"], W - PLOT["r"])
    sy = Scale(lo, hi, height - PLOT["b"], PLOT["t"], log=True)
    money = unit.upper().startswith("USD") or unit.startswith("$")
    fmt = (lambda v: compact(v, money))
    clip = f'<clipPath id="{{cid}}"><rect x="{sx.a}" y="{sy.b}" width="{sx.b - sx.a}" height="{sy.a - sy.b}"/></clipPath>'

    def band(a, b, fill):
        pts = [(sx(y), sy(v)) for y, v in zip(years, q[a]) if v and v > 0]
        pts += [(sx(y), sy(v)) for y, v in reversed(list(zip(years, q[b]))) if v and v > 0]
        return f'<polygon points="{" ".join(f"{x},{y}" for x, y in pts)}" fill="{fill}"/>'

    median = " ".join(f"{sx(y)},{sy(v)}" for y, v in zip(years, q["p50"]) if v and v > 0)
    origin = forecast["origin"]["year"]
    parts = [_axis_y(sy, sx.a, sx.b, fmt), '<g clip-path="url(#{cid})">', band("p05", "p95", BAND90),
             band("p25", "p75", BAND50), f'<polyline points="{median}" fill="none" stroke="{BLUE}" stroke-width="2.5"/>']
    legend = [("band90", "90% band (p05–p95)"), ("band50", "50% band (p25–p75)"), ("median", "median forecast")]
    if target and target["value"] > 0:
        ty = sy(target["value"])
        parts.append(f'<line x1="{sx.a}" x2="{sx.b}" y1="{ty}" y2="{ty}" stroke="{RED}" stroke-dasharray="6 4" stroke-width="2"/>')
        when = target.get("year_p50")
        legend.append(("target", f"target: {fmt(target['value'])} {unit}"
                                 + (f", median year reached {when:.0f}" if when is not None else ", not reached within the horizon (median)")))
    parts.append("</g>")
    ox = sx(origin)
    parts.append(f'<line x1="{ox}" x2="{ox}" y1="{sy.b}" y2="{sy.a}" stroke="{GREY}" stroke-dasharray="2 3"/>')
    legend.append(("origin", f"forecast starts {origin}"))
    for y, v in obs:
        parts.append(f'<circle cx="{sx(y)}" cy="{sy(v)}" r="4" fill="#111"><title>{y}: {esc(fmt(v))} {esc(unit)}</title></circle>')
    if obs:
        legend.append(("obs", "observed"))
    parts.append(_axis_x(sx, sy.a, lambda t: f"{t:.0f}", 7))
    cid = f"gm-clip-{zlib.crc32((unit + median).encode()):08x}"
    body = (clip + "".join(parts)).replace("{cid}", cid)
    label = (f"Cost forecast (unit in the caption): median {fmt(q['p50'][0])} in {years[0]}, {fmt(q['p50'][-1])} in {years[-1]}"
             + (f"; target {fmt(target['value'])}" if target else ""))
    header = ["year", f"p05 ({unit})", "p25", "median", "p75", "p95", "observed"]
    seen_obs = dict(obs)
    rows = [[y, q["p05"][i], q["p25"][i], q["p50"][i], q["p75"][i], q["p95"][i], seen_obs.get(y)]
            for i, y in enumerate(years)]
    rows += [[y, None, None, None, None, None, v] for y, v in obs if y not in years]
    rows.sort(key=lambda r: r[0])
    table = data_table(header, [[str(r[0])] + [fmt(c) if c is not None else "" for c in r[1:]] for r in rows])
    chart = _svg(height, label, body)
    return figure(chart, f"{esc(unit)}, log scale, by year", legend, table,
                  csv_link(files, "cost-forecast", header, rows), svg_link(files, "cost-forecast", chart))


def step_curve(xs: list[float], ys: list[float], xunit: str, yunit: str, height: int = 280, name: str = "curve",
               files: Files | None = None) -> str:
    pts = [(x, y) for x, y in zip(xs, ys) if x and x > 0]
    if not pts:
        return ""
    sx = Scale(pts[0][0], pts[-1][0], PLOT["l"], W - PLOT["r"], log=True)
    sy = Scale(0, max(max(y for _, y in pts), 1), height - PLOT["b"], PLOT["t"])
    path, last = [], None
    for x, y in pts:
        if last is not None:
            path.append(f"{sx(x)},{sy(last)}")
        path.append(f"{sx(x)},{sy(y)}")
        last = y
    body = (_axis_y(sy, sx.a, sx.b, lambda t: f"{t:g}") + f'<polyline points="{" ".join(path)}" fill="none" '
            f'stroke="{BLUE}" stroke-width="2.5"/>' + _axis_x(sx, sy.a, lambda t: compact(t, True)))
    label = f"{yunit} against {xunit}: {pts[-1][1]:.3g} at {compact(pts[-1][0], True)}"
    header = [xunit, yunit]
    table = data_table(header, [[compact(x, True), f"{y:.3g}"] for x, y in pts])
    chart = _svg(height, label, body)
    return figure(chart, f"{esc(yunit)} (vertical) against {esc(xunit)} (horizontal, log scale)",
                  [], table, csv_link(files, name, header, [[x, y] for x, y in pts]), svg_link(files, name, chart))
