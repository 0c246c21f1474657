"""Positions for large maps, computed in Python so the page draws at once.

NetworkX's ``spring_layout`` takes about a minute for 5,000 organisations on
this project's machines (its sparse variant loops over the nodes in Python), so
the map uses Fruchterman and Reingold's own "grid variant" instead, on arrays:
exact repulsion between nodes closer than ``2k`` (found with a k-d tree),
repulsion from the centres of mass of a coarse grid for everything farther
away, attraction along the ties, and a pull to the middle that keeps the
drawing a disc of even density. Every step is a
NumPy operation over all nodes, so a few thousand organisations take seconds.

The largest connected component is laid out on its own, the others together;
then overlapping label boxes are pushed apart (:func:`separate`) and the
components are packed (:func:`pack`): the largest in the middle at full size,
the others close around it, so the hub structure fills the view. The page does
the same after vis-network's physics for small maps (``assets/layout.js``).

Organisations without any tie are not simulated: they are set out on a grid
under the drawing, where they stay out of the way and are still found by search.

References
----------
.. [1] Fruchterman, T. M. J. and Reingold, E. M. (1991). Graph drawing by
   force-directed placement. *Software: Practice and Experience* 21(11),
   1129-1164 (section "The grid variant").
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

__all__ = ["force_layout", "pack", "separate"]

#: Ideal distance between tied nodes, in the page's pixels.
SPACING = 60.0
#: Cells per side of the grid that stands in for far-away nodes.
_GRID = 16
#: Width / height of the packed drawing (the page's stage beside the filter panel is about 1120 x 860).
ASPECT = 1.3
#: Components placed one by one around the largest; any more go in rows below (they are small).
_PACK_GREEDY = 300


def _far_repulsion(pos: np.ndarray, k: float, cutoff: float) -> np.ndarray:
    """Repulsion from the grid cells' centres of mass, for cells farther than ``cutoff``."""
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    size = np.maximum(hi - lo, 1e-9) / _GRID
    cell = np.minimum(((pos - lo) / size).astype(np.int64), _GRID - 1)
    flat = cell[:, 0] * _GRID + cell[:, 1]
    mass = np.bincount(flat, minlength=_GRID * _GRID).astype(float)
    used = np.nonzero(mass)[0]
    centre = np.stack([np.bincount(flat, weights=pos[:, d], minlength=_GRID * _GRID)[used] for d in (0, 1)], axis=1)
    centre /= mass[used, None]
    # Two n x cells arrays in float32, not one n x cells x 2 in float64: this is the hot loop.
    dx = (pos[:, 0, None] - centre[None, :, 0]).astype(np.float32)
    dy = (pos[:, 1, None] - centre[None, :, 1]).astype(np.float32)
    dist2 = dx * dx + dy * dy
    force = np.where(dist2 > cutoff * cutoff, (k * k) * mass[used].astype(np.float32) / np.maximum(dist2, 1e-9), 0)
    return np.stack([(dx * force).sum(axis=1), (dy * force).sum(axis=1)], axis=1).astype(float)


def _isolate_grid(count: int, below: float, left: float, k: float) -> np.ndarray:
    # Wider than tall, and three spacings apart across, so that labels do not run into each other.
    columns = max(1, int(np.ceil(np.sqrt(count * 3))))
    i = np.arange(count)
    return np.stack([left + (i % columns) * 3 * k, below + 1.5 * k + (i // columns) * k], axis=1)


def separate(pos: np.ndarray, boxes: np.ndarray, *, rounds: int = 120) -> np.ndarray:
    """Positions moved so that no two boxes overlap (as far as ``rounds`` of pushes get).

    ``boxes`` holds each node's box relative to its position, ``(left, right, top, bottom)``
    (left and top negative), e.g. its dot and the label under it. Each overlapping pair moves
    apart along the axis where it overlaps least, half each: the page's rule (``layout.js``).

    >>> p = separate(np.array([[0.0, 0.0], [5.0, 1.0]]), np.array([[-10, 10, -5, 5]] * 2, dtype=float))
    >>> bool(abs(p[0, 0] - p[1, 0]) >= 20 or abs(p[0, 1] - p[1, 1]) >= 10)
    True
    """
    pos = np.array(pos, dtype=float)
    if len(pos) < 2:
        return pos
    reach = float(max((boxes[:, 1] - boxes[:, 0]).max(), (boxes[:, 3] - boxes[:, 2]).max()))
    for _ in range(rounds):
        pairs = cKDTree(pos).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        dx = np.minimum(pos[a, 0] + boxes[a, 1], pos[b, 0] + boxes[b, 1]) - np.maximum(pos[a, 0] + boxes[a, 0],
                                                                                       pos[b, 0] + boxes[b, 0])
        dy = np.minimum(pos[a, 1] + boxes[a, 3], pos[b, 1] + boxes[b, 3]) - np.maximum(pos[a, 1] + boxes[a, 2],
                                                                                       pos[b, 1] + boxes[b, 2])
        hit = (dx > 0) & (dy > 0)
        if not hit.any():
            break
        a, b, dx, dy = a[hit], b[hit], dx[hit], dy[hit]
        vertical = dy <= dx
        push = np.zeros((len(a), 2))
        sign_y = np.where(pos[a, 1] <= pos[b, 1], -1.0, 1.0)
        sign_x = np.where(pos[a, 0] <= pos[b, 0], -1.0, 1.0)
        push[vertical, 1] = (sign_y * (dy / 2 + 1))[vertical]
        push[~vertical, 0] = (sign_x * (dx / 2 + 1))[~vertical]
        for d in (0, 1):
            pos[:, d] += np.bincount(a, weights=push[:, d], minlength=len(pos))
            pos[:, d] -= np.bincount(b, weights=push[:, d], minlength=len(pos))
    return pos


def pack(sizes: np.ndarray, *, aspect: float = ASPECT, gap: float = 28.0) -> np.ndarray:
    """Top-left corners for boxes ``(width, height)``, the first (the largest component) centred at
    the origin and each next one at the free place beside a placed box that keeps the whole
    smallest (``max(half-width / aspect, half-height)``, then nearest the middle): the page's rule.
    Past the first few hundred boxes the rest go in rows below.

    >>> corners = pack(np.array([[100.0, 100.0], [20.0, 20.0], [20.0, 20.0]]), gap=10)
    >>> corners[0].tolist(), len(corners)
    ([-50.0, -50.0], 3)
    """
    sizes = np.asarray(sizes, dtype=float).reshape(-1, 2)
    out = np.zeros((len(sizes), 2))
    if not len(sizes):
        return out
    placed = np.zeros((len(sizes), 4))
    placed[0] = [-sizes[0, 0] / 2, -sizes[0, 1] / 2, sizes[0, 0] / 2, sizes[0, 1] / 2]
    out[0] = placed[0, :2]
    half = sizes[0] / 2
    count = 1
    for k in range(1, min(len(sizes), _PACK_GREEDY)):
        w, h = sizes[k]
        p = placed[:count]
        spots = np.concatenate([
            np.stack([p[:, 2] + gap, p[:, 1]], 1), np.stack([p[:, 2] + gap, p[:, 3] - h], 1),
            np.stack([p[:, 0] - gap - w, p[:, 1]], 1), np.stack([p[:, 0] - gap - w, p[:, 3] - h], 1),
            np.stack([p[:, 0], p[:, 1] - gap - h], 1), np.stack([p[:, 2] - w, p[:, 1] - gap - h], 1),
            np.stack([p[:, 0], p[:, 3] + gap], 1), np.stack([p[:, 2] - w, p[:, 3] + gap], 1)])
        x, y = spots[:, 0], spots[:, 1]
        clash = ((x[:, None] < p[None, :, 2] + gap) & (x[:, None] + w > p[None, :, 0] - gap)
                 & (y[:, None] < p[None, :, 3] + gap) & (y[:, None] + h > p[None, :, 1] - gap)).any(axis=1)
        hx = np.maximum(half[0], np.maximum(np.abs(x), np.abs(x + w)))
        hy = np.maximum(half[1], np.maximum(np.abs(y), np.abs(y + h)))
        cx, cy = x + w / 2, y + h / 2
        cost = np.maximum(hx / aspect, hy) * 1e6 + cx * cx / (aspect * aspect) + cy * cy
        cost[clash] = np.inf
        best = int(np.argmin(cost))
        placed[count] = [x[best], y[best], x[best] + w, y[best] + h]
        out[k] = (x[best], y[best])
        half = np.maximum(half, [max(abs(x[best]), abs(x[best] + w)), max(abs(y[best]), abs(y[best] + h))])
        count += 1
    if len(sizes) > count:  # the smallest, in rows under everything
        left, right, row_y = placed[:count, 0].min(), placed[:count, 2].max(), placed[:count, 3].max() + gap
        x, row_h = left, 0.0
        for k in range(count, len(sizes)):
            w, h = sizes[k]
            if x + w > right and x > left:
                x, row_y, row_h = left, row_y + row_h + gap, 0.0
            out[k] = (x, row_y)
            x += w + gap
            row_h = max(row_h, h)
    return out


def _simulate(graph: nx.Graph, nodes: list, *, seed: int, iterations: int, k: float) -> np.ndarray:
    """The grid-variant simulation of ``nodes`` (each with a tie), centred at the origin."""
    n = len(nodes)
    local = {node: i for i, node in enumerate(nodes)}
    ends = np.array([(local[a], local[b]) for a, b in graph.subgraph(nodes).edges() if a != b], dtype=np.int64)
    ends = ends.reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = k * np.sqrt(n)
    p = rng.uniform(-side / 2, side / 2, size=(n, 2))
    cutoff = 2 * k
    start = side / 8
    for step in range(iterations):
        disp = np.zeros_like(p)
        pairs = cKDTree(p).query_pairs(cutoff, output_type="ndarray")
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            delta = p[a] - p[b]
            dist2 = np.maximum((delta ** 2).sum(axis=1), 1e-4)
            push = delta * (k * k / dist2)[:, None]
            for d in (0, 1):
                disp[:, d] += np.bincount(a, weights=push[:, d], minlength=n)
                disp[:, d] -= np.bincount(b, weights=push[:, d], minlength=n)
        if n > 1:
            disp += _far_repulsion(p, k, cutoff)
        if len(ends):
            a, b = ends[:, 0], ends[:, 1]
            delta = p[a] - p[b]
            dist = np.sqrt((delta ** 2).sum(axis=1))
            pull = delta * (dist / k)[:, None]
            for d in (0, 1):
                disp[:, d] -= np.bincount(a, weights=pull[:, d], minlength=n)
                disp[:, d] += np.bincount(b, weights=pull[:, d], minlength=n)
        # Gravity growing with the distance from the middle balances the repulsion of all n
        # nodes (n k^2 / r) at r = k sqrt(n): the drawing settles into a disc of even density.
        disp -= p * 0.5
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)
        temperature = start * (1 - step / iterations) + k / 20
        p += disp / length[:, None] * np.minimum(length, temperature)[:, None]
    return p - p.mean(axis=0)


def force_layout(
    graph: nx.Graph, *, seed: int = 0, iterations: int = 120, spacing: float = SPACING,
    boxes: Mapping[Hashable, tuple[float, float, float, float]] | None = None, aspect: float = ASPECT,
) -> dict[Hashable, tuple[float, float]]:
    """Force-directed positions, in pixels, for every node of ``graph``.

    Parameters
    ----------
    graph : networkx.Graph
        Any undirected graph; edge weights are ignored (a tie is a tie).
    seed : int, default 0
        Seeds the starting positions: the same graph and seed give the same layout.
    iterations : int, default 120
        Simulation steps; the temperature falls linearly to zero over them.
    spacing : float, default 60
        Ideal length of a tie, in pixels.
    boxes : mapping, optional
        Node -> ``(left, right, top, bottom)`` of its dot and label around its position; these
        nodes' boxes are pushed apart (give the ones whose labels show first). Other nodes
        count as a dot of ``spacing / 4``.
    aspect : float, default 1.3
        Width / height of the packed components.

    Returns
    -------
    dict
        Node -> (x, y), rounded to 0.1 pixel, with y growing downwards as in the page.

    Examples
    --------
    >>> pos = force_layout(nx.path_graph(3), seed=1)
    >>> sorted(pos) == [0, 1, 2]
    True
    >>> d01 = np.hypot(*np.subtract(pos[0], pos[1])); d02 = np.hypot(*np.subtract(pos[0], pos[2]))
    >>> bool(d01 < d02)  # the ends of a path lie farther apart than neighbours
    True
    >>> force_layout(nx.path_graph(3), seed=1) == pos
    True
    """
    nodes = list(graph)
    if not nodes:
        return {}
    k = float(spacing)
    index = {node: i for i, node in enumerate(nodes)}
    pos = np.zeros((len(nodes), 2))
    dot = k / 4
    box = np.tile([-dot, dot, -dot, dot], (len(nodes), 1)).astype(float)
    for node, extent in (boxes or {}).items():
        if node in index:
            box[index[node]] = extent
    components = sorted((sorted(c, key=index.__getitem__) for c in nx.connected_components(graph) if len(c) > 1),
                        key=lambda c: (-len(c), index[c[0]]))
    tied = [index[node] for c in components for node in c]
    if components:
        # The largest on its own (nothing else squeezes it), the rest together (cheaper than one by one).
        pos[[index[n] for n in components[0]]] = _simulate(graph, components[0], seed=seed, iterations=iterations, k=k)
        rest = [node for c in components[1:] for node in c]
        if rest:
            pos[[index[n] for n in rest]] = _simulate(graph, rest, seed=seed + 1, iterations=iterations, k=k)
        labelled = np.array(sorted(index[n] for n in (boxes or {}) if n in index and graph.degree(n)), dtype=np.int64)
        if len(labelled) > 1:
            pos[labelled] = separate(pos[labelled], box[labelled])
        members = [np.array([index[n] for n in c]) for c in components]
        lo = np.array([(pos[m] + box[m][:, [0, 2]]).min(axis=0) for m in members])
        hi = np.array([(pos[m] + box[m][:, [1, 3]]).max(axis=0) for m in members])
        corners = pack(hi - lo, aspect=aspect, gap=k / 2)
        for m, shift in zip(members, corners - lo):
            pos[m] += shift
    alone = np.array(sorted(set(range(len(nodes))) - set(tied)), dtype=np.int64)
    if len(alone):
        below = (pos[tied, 1] + box[tied, 3]).max() if tied else 0.0
        left = pos[tied, 0].min() if tied else 0.0
        pos[alone] = _isolate_grid(len(alone), below, left, k)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos)}
