"""Graphs as integer arrays, for the measures that must run on 100,000 organisations.

NetworkX keeps a graph as dicts of dicts; the measures here walk it as
compressed sparse rows (CSR) instead, and list triangles once, in C-speed
NumPy, so that brokerage, constraint and sampled betweenness stay linear-ish
in the number of ties. Private to :mod:`clusterkg.graph.analysis`.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

import networkx as nx
import numpy as np

#: Two-paths examined per block while listing triangles (bounds peak memory).
_BLOCK = 4_000_000


@dataclass
class Arrays:
    """A graph's nodes in a fixed order and its arcs as CSR (out-neighbours).

    An undirected graph is stored as the symmetric digraph: each edge gives two
    arcs. Self-loops are dropped (no measure here uses them).
    """

    nodes: list[Hashable]
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    directed: bool

    @property
    def n(self) -> int:
        return len(self.nodes)

    def out_degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def arcs(self) -> tuple[np.ndarray, np.ndarray]:
        """(tail, head) of every arc, tails ascending."""
        return np.repeat(np.arange(self.n), self.out_degree()), self.indices

    def arc_keys(self) -> np.ndarray:
        """``tail * n + head`` per arc: sorted, since rows are and each row's heads are."""
        tail, head = self.arcs()
        return tail.astype(np.int64) * self.n + head


#: Arrays of frozen graphs (which cannot change), by weight: the measures of one table walk
#: the same network once instead of once each.
_FROZEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def to_arrays(graph: nx.Graph, weight: str | None = None) -> Arrays:
    """The graph as :class:`Arrays`, nodes in the graph's own order (shared for a frozen graph:
    do not change them in place)."""
    if not nx.is_frozen(graph):
        return _to_arrays(graph, weight)
    made = _FROZEN.setdefault(graph, {})
    if weight not in made:
        made[weight] = _to_arrays(graph, weight)
    return made[weight]


def _to_arrays(graph: nx.Graph, weight: str | None) -> Arrays:
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    # Lists first, then arrays: setting array items one by one costs more than the walk itself.
    if weight is None:
        ends = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
        values = np.ones(len(ends), dtype=float)
    else:
        listed = [(index[u], index[v], w) for u, v, w in graph.edges(data=weight, default=1)]
        ends = np.array([item[:2] for item in listed], dtype=np.int64).reshape(-1, 2)
        values = np.array([item[2] for item in listed], dtype=float)
    tails, heads = ends[:, 0].copy(), ends[:, 1].copy()
    keep = tails != heads
    tails, heads, values = tails[keep], heads[keep], values[keep]
    if not graph.is_directed():
        tails, heads = np.concatenate([tails, heads]), np.concatenate([heads, tails])
        values = np.concatenate([values, values])
    return _from_arcs(nodes, tails, heads, values, graph.is_directed())


def _from_arcs(nodes: list, tails: np.ndarray, heads: np.ndarray, values: np.ndarray, directed: bool) -> Arrays:
    n = len(nodes)
    order = np.lexsort((heads, tails))
    tails, heads, values = tails[order], heads[order], values[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    return Arrays(nodes, indptr, heads.astype(np.int64), values.astype(float), directed)


def gather(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row in ``rows``, every entry of it: (position in ``rows``, entry index).

    The NumPy way to loop ``for r in rows: for j in indices[indptr[r]:indptr[r+1]]``.
    """
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return owner, starts[owner] + offsets


def member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which ``keys`` are in ``sorted_keys`` (a sorted int64 array)."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(sorted_keys, keys)
    pos[pos == len(sorted_keys)] = 0
    return sorted_keys[pos] == keys


def lookup(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Positions of ``keys`` (all present) in ``sorted_keys``."""
    return np.searchsorted(sorted_keys, keys)


def undirected_simple(arrays: Arrays) -> Arrays:
    """The underlying undirected graph (an edge wherever an arc goes either way)."""
    if not arrays.directed:
        return arrays
    tail, head = arrays.arcs()
    t = np.concatenate([tail, head])
    h = np.concatenate([head, tail])
    keys = np.unique(t * arrays.n + h)
    return _from_arcs(arrays.nodes, keys // arrays.n, keys % arrays.n, np.ones(len(keys)), False)


def triangles(arrays: Arrays) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every triangle of the underlying undirected graph once, as blocks of (u, v, w) arrays.

    Edges are oriented from lower to higher (degree, index) rank, so each
    triangle is found exactly once, from its lowest-ranked corner, and a hub's
    neighbour pairs are never all expanded (Chiba and Nishizeki's ordering).
    """
    und = undirected_simple(arrays)
    n = und.n
    degree = und.out_degree()
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    tail, head = und.arcs()
    up = rank[tail] < rank[head]
    fwd = _from_arcs(und.nodes, tail[up], head[up], np.ones(int(up.sum())), True)
    fwd_keys = fwd.arc_keys()
    ftail, fhead = fwd.arcs()
    # Two-paths u -> v -> w in the oriented graph, a block of edges (u, v) at a time.
    cumulative = np.cumsum(np.diff(fwd.indptr)[fhead])
    start = 0
    while start < len(ftail):
        base = cumulative[start - 1] if start else 0
        stop = max(int(np.searchsorted(cumulative, base + _BLOCK, side="right")), start + 1)
        u, v = ftail[start:stop], fhead[start:stop]
        owner, pos = gather(fwd.indptr, fwd.indices, v)
        w = fwd.indices[pos]
        uu, vv = u[owner], v[owner]
        closed = member(uu * n + w, fwd_keys)
        if closed.any():
            yield uu[closed], vv[closed], w[closed]
        start = stop
