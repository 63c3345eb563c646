"""The graph explorer's data: a seeded force layout of fields, gaps and capabilities (resources
are left out: a thousand citation leaves would hide the structure), computed at build time
and cached by the graph's content hash.

The layout is Fruchterman–Reingold with its repulsion computed on a grid (particle–mesh): node
positions are spread onto a G×G density grid, the repulsive field is that density convolved
with the k²/r kernel by FFT, and each node reads its force back from the grid. One iteration
costs O(n + E + G² log G) with G ≈ 2√n, so the layout is near-linear in the size of the map
(networkx's spring_layout is O(n²) and needs scipy past 500 nodes, which is not a
dependency). numpy only.
"""

from __future__ import annotations

import numpy as np

from gapmap.cost.cache import Cache, key
from gapmap.graph.build import IN_FIELD, NEEDS, REQUIRES
from gapmap.site.markup import esc

KINDS = ("field", "gap", "capability")
RELS = (IN_FIELD, NEEDS, REQUIRES)
LAYOUT_VERSION = "fr-grid-1"  # change when the layout code changes: the cache key includes it
ITERATIONS = 120


def explorer_data(ctx, seed: int = 0) -> dict:
    """{'nodes': [{id, kind, title, url, fields, x, y, degree}], 'edges': [[i, j], ...]} for
    gapmap.js; titles are HTML-escaped because plotly reads tags in hover text."""
    g = ctx.graph
    ids = sorted(n for n, k in g.nodes(data="kind") if k in KINDS)
    index = {n: i for i, n in enumerate(ids)}
    edges = sorted({(index[u], index[v]) for u, v, rel in g.edges(keys=True)
                    if rel in RELS and u in index and v in index})
    pos = Cache(ctx.kb.root).fetch("layout", key(LAYOUT_VERSION, ids, edges, seed),
                                   lambda: grid_layout(len(ids), edges, seed))
    nodes = []
    for n in ids:
        kind = g.nodes[n]["kind"]
        fields = [n] if kind == "field" else [g.nodes[n]["field"]] if kind == "gap" else ctx.fields_of.get(n, [])
        x, y = pos[index[n]]
        nodes.append({"id": n, "kind": kind, "title": esc(ctx.titles.get(n, n)), "url": ctx.urls.get(n, ""),
                      "fields": fields, "x": x, "y": y})
    return {"nodes": nodes, "edges": [list(e) for e in edges]}


def grid_layout(n: int, edges, seed: int = 0, iterations: int = ITERATIONS) -> list[list[float]]:
    """Positions in [-1, 1]² for nodes 0..n-1 linked by `edges` [(i, j), ...], deterministic for
    a seed."""
    if n == 0:
        return []
    if n == 1:
        return [[0.0, 0.0]]
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    e = e[e[:, 0] != e[:, 1]]
    k = 1.0 / np.sqrt(n)  # ideal edge length: the unit square shared out between the nodes
    lo, span = -0.5, 2.0  # the grid covers [-0.5, 1.5]²; nodes are kept inside it
    size = int(2 ** np.ceil(np.log2(max(16, 2 * span / k))))
    cell = span / size
    kx, ky = _kernel(size, cell, k)
    temp, cool = 0.1, 0.1 / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(pos, lo, cell, size, kx, ky)
        if len(e):
            d = pos[e[:, 0]] - pos[e[:, 1]]
            dist = np.sqrt((d * d).sum(1)) + 1e-9
            f = d * (dist / k)[:, None]  # |f| = dist² / k
            np.subtract.at(disp, e[:, 0], f)
            np.add.at(disp, e[:, 1], f)
        disp += (0.5 - pos) * (0.1 / k)  # weak gravity keeps small components from drifting off
        length = np.sqrt((disp * disp).sum(1)) + 1e-9
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        np.clip(pos, lo + cell, lo + span - 2 * cell, out=pos)
        temp -= cool
    pos -= pos.min(0)
    pos /= max(float(pos.max()), 1e-9)
    pos = pos * 2 - 1
    return [[round(float(x), 4), round(float(y), 4)] for x, y in pos]


def _kernel(size: int, cell: float, k: float):
    """FFTs of the repulsive force kernel k²·d/|d|² on a (2·size)² zero-padded grid."""
    m = 2 * size
    off = np.fft.fftfreq(m, 1.0 / m) * cell  # signed offsets 0, cell, ..., -cell
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = np.inf  # no force on a node from its own cell's centre
    r2 = np.maximum(r2, (0.5 * cell) ** 2)
    return np.fft.rfft2(k * k * dx / r2), np.fft.rfft2(k * k * dy / r2)


def _repulsion(pos, lo: float, cell: float, size: int, kx, ky):
    """Each node's repulsive force: cloud-in-cell density, FFT convolution, bilinear read-back."""
    g = (pos - lo) / cell - 0.5
    i0 = np.floor(g).astype(np.int64)
    t = g - i0
    i0 = np.clip(i0, 0, size - 2)
    weights = [((0, 0), (1 - t[:, 0]) * (1 - t[:, 1])), ((1, 0), t[:, 0] * (1 - t[:, 1])),
               ((0, 1), (1 - t[:, 0]) * t[:, 1]), ((1, 1), t[:, 0] * t[:, 1])]
    rho = np.zeros((2 * size, 2 * size))
    for (a, b), w in weights:
        np.add.at(rho, (i0[:, 0] + a, i0[:, 1] + b), w)
    spectrum = np.fft.rfft2(rho)
    fx = np.fft.irfft2(spectrum * kx, s=rho.shape)
    fy = np.fft.irfft2(spectrum * ky, s=rho.shape)
    out = np.zeros_like(pos)
    for (a, b), w in weights:
        ix, iy = i0[:, 0] + a, i0[:, 1] + b
        out[:, 0] += w * fx[ix, iy]
        out[:, 1] += w * fy[ix, iy]
    return out
