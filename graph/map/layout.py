"""Positions for large maps, computed in Python so the page draws at once.

NetworkX's ``spring_layout`` takes about a minute for 5,000 organisations on
this project's machines (its sparse variant loops over the nodes in Python), so
the map uses Fruchterman and Reingold's own "grid variant" instead, on arrays:
exact repulsion between nodes closer than ``2k`` (found with a k-d tree),
repulsion from the centres of mass of a coarse grid for everything farther
away, attraction along the ties, and a pull to the middle that keeps the
drawing a disc of even density. Every step is a
NumPy operation over all nodes, so a few thousand organisations take seconds.

Organisations without any tie are not simulated: they are set out on a grid
under the drawing, where they stay out of the way and are still found by search.

References
----------
.. [1] Fruchterman, T. M. J. and Reingold, E. M. (1991). Graph drawing by
   force-directed placement. *Software: Practice and Experience* 21(11),
   1129-1164 (section "The grid variant").
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

__all__ = ["force_layout"]

#: Ideal distance between tied nodes, in the page's pixels.
SPACING = 60.0
#: Cells per side of the grid that stands in for far-away nodes.
_GRID = 16


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


def force_layout(
    graph: nx.Graph, *, seed: int = 0, iterations: int = 120, spacing: float = SPACING
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
    index = {node: i for i, node in enumerate(nodes)}
    tied = np.array([graph.degree(node) > 0 for node in nodes])
    moving = np.nonzero(tied)[0]
    n = len(moving)
    k = float(spacing)
    pos = np.zeros((len(nodes), 2))
    if n:
        local = {int(old): new for new, old in enumerate(moving)}
        ends = np.array([(local[index[a]], local[index[b]]) for a, b in graph.edges() if a != b], dtype=np.int64)
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
            # nodes (n k^2 / r) at r = k sqrt(n): the drawing settles into a disc of even density
            # instead of flinging small components far from the main one.
            disp -= p * 0.5
            length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)
            temperature = start * (1 - step / iterations) + k / 20
            p += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        p -= p.mean(axis=0)
        pos[moving] = p
    alone = np.nonzero(~tied)[0]
    if len(alone):
        below = pos[moving, 1].max() if n else 0.0
        left = pos[moving, 0].min() if n else 0.0
        pos[alone] = _isolate_grid(len(alone), below, left, k)
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos)}
