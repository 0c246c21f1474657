"""Burt's structural holes: constraint, effective size, efficiency, hierarchy.

An organisation whose partners are not partners of each other spans
structural holes: it hears of more, and can broker between them. Burt (1992)
measures this from the ego network:

* **constraint** ``C_i = sum_j (p_ij + sum_q p_iq p_qj)^2``, where ``p_ij`` is
  the share of i's ties (by weight) that go to j: high when all of i's
  partners are tied to one another or to one partner;
* **effective size**: the number of partners less their redundancy. For
  unweighted undirected ties Borgatti (1997) showed this is
  ``n - 2t/n`` (n partners, t ties among them), computed here from neighbour
  sets (triangles), never from an n x n matrix;
* **efficiency**: effective size divided by the number of partners;
* **hierarchy**: how much the constraint is concentrated on one partner,
  ``H_i = sum_j r_ij ln r_ij / (N ln N)`` with ``r_ij = c_ij / (C_i / N)``,
  the Coleman-Theil disorder index (Burt 1992, p. 71): 0 when every partner
  constrains i equally, towards 1 when one partner does it all. NetworkX has no
  hierarchy.

Constraint and effective size agree with :func:`networkx.constraint` and
:func:`networkx.effective_size` (checked in the tests); these versions work on
arrays and list each triangle once, so they run on 100,000 organisations.
An organisation without partners gets NaN for all four, as in NetworkX;
hierarchy is NaN with a single partner too (0/0: one partner is no ranking).

References
----------
.. [1] Burt, R. S. (1992). *Structural Holes: The Social Structure of
   Competition*. Harvard University Press.
.. [2] Borgatti, S. (1997). Structural Holes: Unpacking Burt's Redundancy
   Measures. *Connections* 20(1), 35-38.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from clusterkg.graph.analysis._arrays import Arrays, lookup, to_arrays, triangles

__all__ = ["constraint", "effective_size", "efficiency", "hierarchy", "structural_holes"]


def _undirected(graph: nx.Graph) -> None:
    if graph.is_directed():
        raise ValueError("structural-hole measures here need an undirected graph (agreements have no direction)")


def _triangle_counts(arrays: Arrays) -> np.ndarray:
    count = np.zeros(arrays.n)
    for block in triangles(arrays):
        for corner in block:
            count += np.bincount(corner, minlength=arrays.n)
    return count


def _burt(arrays: Arrays) -> tuple[np.ndarray, np.ndarray]:
    """Local constraint ``c_ij`` per arc i -> j (aligned with ``arrays.indices``) and
    the number of triangles at each node, from one pass over the triangles."""
    tail, _ = arrays.arcs()
    strength = np.bincount(tail, weights=arrays.weights, minlength=arrays.n)
    p = arrays.weights / strength[tail]
    keys = arrays.arc_keys()
    n = arrays.n
    indirect = np.zeros(len(p))
    count = np.zeros(n)
    for u, v, w in triangles(arrays):
        for corner in (u, v, w):
            count += np.bincount(corner, minlength=n)
        # Each corner q of a triangle is the indirect path i -> q -> j for the other two, both ways.
        for i, q, j in ((u, v, w), (w, v, u), (v, u, w), (w, u, v), (u, w, v), (v, w, u)):
            contribution = p[lookup(i * n + q, keys)] * p[lookup(q * n + j, keys)]
            indirect += np.bincount(lookup(i * n + j, keys), weights=contribution, minlength=len(p))
    return (p + indirect) ** 2, count


def _per_node(arrays: Arrays, values: np.ndarray) -> pd.Series:
    return pd.Series(values, index=pd.Index(arrays.nodes, name="node"))


def _constraint_values(arrays: Arrays, local: np.ndarray) -> np.ndarray:
    tail, _ = arrays.arcs()
    total = np.bincount(tail, weights=local, minlength=arrays.n).astype(float)
    total[arrays.out_degree() == 0] = np.nan
    return total


def _hierarchy_values(arrays: Arrays, local: np.ndarray, total: np.ndarray) -> np.ndarray:
    tail, _ = arrays.arcs()
    degree = arrays.out_degree().astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = local * degree[tail] / total[tail]
        terms = r * np.log(r)
        h = np.bincount(tail, weights=terms, minlength=arrays.n) / (degree * np.log(degree))
    h[degree < 2] = np.nan
    return h


def constraint(graph: nx.Graph, weight: str | None = "weight") -> pd.Series:
    """Burt's constraint of every node.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected.
    weight : str or None, default "weight"
        Edge attribute used as tie strength (the number of agreements in
        :func:`clusterkg.graph.network.organization_graph`); None for binary ties.

    Returns
    -------
    pandas.Series
        Constraint by node (NaN for a node without ties).

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press, p. 54-55.

    Examples
    --------
    Three partners that know each other constrain more than three that do not:

    >>> star = nx.star_graph(3)
    >>> round(float(constraint(star)[0]), 4)
    0.3333
    >>> round(float(constraint(nx.complete_graph(4))[0]), 4)
    0.9259
    """
    _undirected(graph)
    arrays = to_arrays(graph, weight)
    return _per_node(arrays, _constraint_values(arrays, _burt(arrays)[0]))


def effective_size(graph: nx.Graph) -> pd.Series:
    """Burt's effective size by Borgatti's formula ``n - 2t/n`` (unweighted ties).

    Examples
    --------
    A node with four partners, two of which are tied: 4 - 2*1/4 = 3.5.

    >>> g = nx.Graph([(0, 1), (0, 2), (0, 3), (0, 4), (1, 2)])
    >>> float(effective_size(g)[0])
    3.5

    References
    ----------
    .. [1] Borgatti, S. (1997). Structural Holes: Unpacking Burt's Redundancy
       Measures. *Connections* 20(1), 35-38.
    """
    _undirected(graph)
    arrays = to_arrays(graph)
    degree = arrays.out_degree().astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        size = degree - 2 * _triangle_counts(arrays) / degree
    return _per_node(arrays, size)


def efficiency(graph: nx.Graph) -> pd.Series:
    """Effective size divided by the number of partners (1: no redundant partner).

    Examples
    --------
    >>> g = nx.Graph([(0, 1), (0, 2), (0, 3), (0, 4), (1, 2)])
    >>> float(efficiency(g)[0])
    0.875
    """
    size = effective_size(graph)
    degree = pd.Series(dict(graph.degree()), dtype=float).reindex(size.index)
    return size / degree


def hierarchy(graph: nx.Graph, weight: str | None = "weight") -> pd.Series:
    """Burt's hierarchy: how far one partner accounts for a node's constraint.

    References
    ----------
    .. [1] Burt, R. S. (1992). *Structural Holes*. Harvard University Press, p. 70-71.

    Examples
    --------
    In a star every partner constrains the centre equally, so there is no hierarchy:

    >>> float(hierarchy(nx.star_graph(3))[0])
    0.0
    """
    _undirected(graph)
    arrays = to_arrays(graph, weight)
    local = _burt(arrays)[0]
    return _per_node(arrays, _hierarchy_values(arrays, local, _constraint_values(arrays, local)))


def structural_holes(graph: nx.Graph, weight: str | None = "weight") -> pd.DataFrame:
    """All four measures at once (one pass over the triangles for each family).

    Returns
    -------
    pandas.DataFrame
        Index: node; columns ``degree``, ``effective_size``, ``efficiency``
        (unweighted, Borgatti), ``constraint``, ``hierarchy`` (weighted by
        ``weight``).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c")])
    >>> structural_holes(g, weight=None).loc["a"].round(4).to_dict()
    {'degree': 3.0, 'effective_size': 2.3333, 'efficiency': 0.7778, 'constraint': 0.6111, 'hierarchy': 0.0522}
    """
    _undirected(graph)
    arrays = to_arrays(graph, weight)
    degree = arrays.out_degree().astype(float)
    local, count = _burt(arrays)
    total = _constraint_values(arrays, local)
    with np.errstate(invalid="ignore", divide="ignore"):
        size = degree - 2 * count / degree
        eff = size / degree
    return pd.DataFrame(
        {
            "degree": degree,
            "effective_size": size,
            "efficiency": eff,
            "constraint": total,
            "hierarchy": _hierarchy_values(arrays, local, total),
        },
        index=pd.Index(arrays.nodes, name="node"),
    )
