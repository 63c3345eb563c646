"""Plotly figure specs as plain JSON-able dicts, and the HTML that carries them to the page.

Every chart is drawn at build time as SVG (svg.py). Charts worth exploring (the cost fan chart,
the budget curve) also get a `<div class="gm-chart" data-figure-src="...json">` with an
"Interactive chart" button: `assets/gapmap.js` then fetches plotly.js (served once from the
installed plotly package, never a CDN) and the figure, and swaps the SVG for it; no page loads
plotly otherwise. Record text placed in a figure is HTML-escaped first, because plotly reads a
few tags (<a>, <b>, <br>) inside its strings.
"""

from __future__ import annotations

import json
import math

from gapmap.site import svg
from gapmap.site.markup import esc, rel

PLOTLY = "assets/gapmap/plotly.min.js"
LOADER = "assets/gapmap/gapmap.js"
MAX_YEARS = 20  # fan charts stop here: beyond ~20 years the bands say little
BANDS = "rgba(31,119,180,0.15)", "rgba(31,119,180,0.35)"


def sig(x, digits: int = 4):
    """Round to significant digits, so figure JSON stays small."""
    if x is None or not math.isfinite(x) or x == 0:
        return x if x is None or math.isfinite(x) else None
    return float(f"{x:.{digits}g}")


def figure_div(figure: dict, height: int = 340, label: str = "chart", static: str = "", files=None,
               name: str = "chart") -> str:
    """A chart: its build-time SVG (`static`, readable without script) and, behind an
    "Interactive chart" button, the plotly figure; plotly.js is fetched only when a reader asks
    for it, so pages carry a few kilobytes of SVG rather than 4.8 MB of script."""
    spec = json.dumps({"data": figure["data"], "layout": figure["layout"]}, separators=(",", ":"))
    if files is not None:  # the figure waits in a data file until a reader asks for it
        href = files.put(f"data/charts/{svg._slug(files.page_url)}--{svg._slug(name)}.json", spec.encode())
        where = f'data-figure-src="{esc(href)}"'
    else:
        where = f'data-figure="{esc(spec)}"'
    return (f'<div class="gm-chart" data-height="{height}" data-label="{esc(label)}" {where}>'
            f'{static}<button type="button" class="md-button gm-interactive">Interactive chart</button></div>')


def scripts(page_url: str) -> str:
    """The loader script tag of a page with charts, the catalogue or the explorer; it fetches
    plotly.js itself (from `data-plotly`) the first time a reader opens an interactive chart."""
    return f'<script defer src="{rel(page_url, LOADER)}" data-plotly="{rel(page_url, PLOTLY)}"></script>'


def _layout(**more) -> dict:
    base = {"margin": {"l": 70, "r": 20, "t": 10, "b": 50}, "hovermode": "closest",
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}, "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)"}
    return base | more


def fan_chart(forecast: dict, cost) -> dict:
    """Unit cost over time: 90% and 50% bands, median, observations, target, forecast origin."""
    years = forecast["years"][: MAX_YEARS + 1]
    q = {k: [sig(v) for v in vals[: len(years)]] for k, vals in forecast["quantiles"].items()}
    unit = esc(forecast["unit"])
    hover = "%{x}: %{y:.3s} " + unit + "<extra>%{fullData.name}</extra>"
    data = [
        {"x": years, "y": q["p95"], "mode": "lines", "line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"},
        {"x": years, "y": q["p05"], "mode": "lines", "line": {"width": 0}, "fill": "tonexty",
         "fillcolor": BANDS[0], "name": "90% band (p05–p95)", "hovertemplate": hover},
        {"x": years, "y": q["p75"], "mode": "lines", "line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"},
        {"x": years, "y": q["p25"], "mode": "lines", "line": {"width": 0}, "fill": "tonexty",
         "fillcolor": BANDS[1], "name": "50% band (p25–p75)", "hovertemplate": hover},
        {"x": years, "y": q["p50"], "mode": "lines", "line": {"color": "#1f77b4"}, "name": "median", "hovertemplate": hover},
    ]
    if cost.observations:
        data.append({"x": [o.year for o in cost.observations], "y": [sig(o.value) for o in cost.observations],
                     "mode": "markers", "marker": {"color": "#000", "size": 7}, "name": "observed",
                     "text": [esc(o.note or "") for o in cost.observations],
                     "hovertemplate": "%{x}: %{y:.3s} " + unit + "<br>%{text}<extra>observed</extra>"})
    shapes = [{"type": "line", "x0": forecast["origin"]["year"], "x1": forecast["origin"]["year"], "yref": "paper",
               "y0": 0, "y1": 1, "line": {"dash": "dot", "color": "#888"}}]
    if forecast.get("target"):
        value = sig(forecast["target"]["value"])
        when = forecast["target"].get("year_p50")
        first = min([years[0]] + [o.year for o in cost.observations])
        data.append({"x": [first, years[-1]], "y": [value, value], "mode": "lines",
                     "line": {"dash": "dash", "color": "#d62728"},
                     "name": f"target: {value:g} {unit}" + (f" (median year {when:.0f})" if when is not None else ""),
                     "hovertemplate": f"target: {value:g} {unit}<extra></extra>"})
    # the axis spans the data, both bands and the target, but reaches at most two decades past
    # the 50% band: far tails of a log-normal would otherwise squash everything into a line
    seen = [v for v in q["p25"] + q["p75"] + [o.value for o in cost.observations] if v and v > 0]
    if forecast.get("target"):
        seen.append(forecast["target"]["value"])
    low = [v for v in q["p05"] if v and v > 0]
    high = [v for v in q["p95"] if v and v > 0]
    seen += [max(min(low), min(seen) / 100)] if low else []
    seen += [min(max(high), max(seen) * 100)] if high else []
    span = [round(math.log10(min(seen)) - 0.2, 3), round(math.log10(max(seen)) + 0.2, 3)]
    return {"data": data, "layout": _layout(
        yaxis={"type": "log", "range": span, "exponentformat": "power", "title": {"text": unit}, "automargin": True},
        xaxis={"title": {"text": "year"}}, shapes=shapes, margin={"l": 70, "r": 20, "t": 10, "b": 50},
        annotations=[{"x": forecast["origin"]["year"], "y": 1, "yref": "paper", "text": "forecast starts",
                      "showarrow": False, "xanchor": "left", "font": {"size": 10, "color": "#666"}}])}


def budget_chart(curve: list[dict]) -> dict:
    line = {"x": [sig(p["budget_usd"]) for p in curve], "y": [sig(p["expected_gaps_closed"]) for p in curve],
            "mode": "lines", "line": {"shape": "hv"}, "name": "expected gaps closed",
            "hovertemplate": "$%{x:.3s}: %{y:.3g} gaps closed (expected)<extra></extra>"}
    return {"data": [line], "layout": _layout(xaxis={"type": "log", "title": {"text": "budget (USD)"}},
                                              yaxis={"title": {"text": "gaps closed (expected)"}})}
