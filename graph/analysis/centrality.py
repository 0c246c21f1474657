"""Who holds the network together: degree, betweenness, closeness, PageRank, eigenvector.

All functions take the organisation graph of
:func:`clusterkg.graph.network.organization_graph` (undirected, edge ``weight``
= number of agreements) and return pandas objects indexed by organisation id.

Betweenness and closeness are exact up to ``exact_threshold`` nodes and
estimated above it, from ``sample_size`` source nodes drawn with ``seed``; the
result says so in its ``attrs`` (``method``, ``sample_size``, ``seed``), and the
command line prints it, so nobody mistakes an estimate for a count. Shortest
paths count hops (an agreement is a tie whatever its weight); weighted degree
and PageRank use the weights.

* Betweenness (Freeman 1977; Brandes 2001), normalised as in NetworkX. The
  estimate follows Brandes and Pich (2007) with uniformly drawn sources, the
  same sources and the same scaling as ``networkx.betweenness_centrality(G,
  k=sample_size, seed=seed)``, but computed level by level on arrays.
* Closeness with the Wasserman-Faust correction for disconnected graphs, as
  NetworkX's default. The estimate (Eppstein and Wang 2004) takes each node's
  mean distance to the sampled sources in its component; components no larger
  than ``exact_threshold`` are always computed exactly.

References
----------
.. [1] Freeman, L. C. (1977). A set of measures of centrality based on
   betweenness. *Sociometry* 40, 35-41.
.. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality.
   *Journal of Mathematical Sociology* 25(2), 163-177.
.. [3] Brandes, U. and Pich, C. (2007). Centrality estimation in large
   networks. *International Journal of Bifurcation and Chaos* 17(7), 2303-2318.
.. [4] Eppstein, D. and Wang, J. (2004). Fast approximation of centrality.
   *Journal of Graph Algorithms and Applications* 8(1), 39-45.
.. [5] Wasserman, S. and Faust, K. (1994). *Social Network Analysis*.
   Cambridge University Press.
.. [6] Page, L., Brin, S., Motwani, R. and Winograd, T. (1999). The PageRank
   citation ranking. Stanford InfoLab.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from clusterkg.graph.analysis._arrays import Arrays, gather, to_arrays
from clusterkg.graph.network import measured

__all__ = ["MEASURES", "betweenness", "centrality", "closeness", "eigenvector", "pagerank", "weighted_degree"]

#: Columns of :func:`centrality`, in order.
MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "pagerank", "eigenvector")

#: Node attributes copied into a table before the measures, when the graph has them.
LABELS = ("name", "former_names", "country", "kind")

#: Graphs with more nodes than this get estimated betweenness and closeness.
EXACT_THRESHOLD = 2000
#: Source nodes drawn for an estimate.
SAMPLE_SIZE = 200
#: Nodes per shortest-path call when small components are computed exactly.
_BIN = 2048


def _series(nodes: Sequence[Hashable], values, name: str) -> pd.Series:
    return pd.Series(values, index=pd.Index(nodes, name="node"), name=name, dtype=float)


def weighted_degree(graph: nx.Graph, weight: str = "weight") -> pd.Series:
    """Sum of the weights of a node's ties: with the organisation graph, the number
    of (organisation, agreement) ties counted once per partner.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", weight=2); g.add_edge("a", "c", weight=1)
    >>> weighted_degree(g).to_dict()
    {'a': 3.0, 'b': 2.0, 'c': 1.0}
    """
    return _series(list(graph), [d for _, d in graph.degree(weight=weight)], "weighted_degree")


# -- betweenness --------------------------------------------------------------


def _bfs_dag(arrays: Arrays, source: int) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Shortest-path counts from ``source`` and the shortest-path DAG, level by level.

    Returns sigma (paths from the source to each node) and, for each level
    d = 1, 2, ..., the arcs (u, v) with dist(u) = d - 1 and dist(v) = d.
    """
    n = arrays.n
    sigma = np.zeros(n)
    sigma[source] = 1.0
    seen = np.zeros(n, dtype=bool)
    seen[source] = True
    frontier = np.array([source], dtype=np.int64)
    levels = []
    while len(frontier):
        owner, pos = gather(arrays.indptr, arrays.indices, frontier)
        heads = arrays.indices[pos]
        fresh = ~seen[heads]
        u, v = frontier[owner[fresh]], heads[fresh]
        if not len(v):
            break
        sigma += np.bincount(v, weights=sigma[u], minlength=n)
        # The next level, each node once (a boolean mask is cheaper than np.unique).
        newly = np.zeros(n, dtype=bool)
        newly[v] = True
        frontier = np.flatnonzero(newly)
        seen |= newly
        levels.append((u, v))
    return sigma, levels


def _bfs_distances(arrays: Arrays, source: int) -> np.ndarray:
    """Hop distances from ``source`` (0 where unreachable), level by level on arrays."""
    n = arrays.n
    dist = np.zeros(n)
    seen = np.zeros(n, dtype=bool)
    seen[source] = True
    frontier = np.array([source], dtype=np.int64)
    level = 0
    while len(frontier):
        level += 1
        _, pos = gather(arrays.indptr, arrays.indices, frontier)
        heads = arrays.indices[pos]
        newly = np.zeros(n, dtype=bool)
        newly[heads[~seen[heads]]] = True
        frontier = np.flatnonzero(newly)
        dist[frontier] = level
        seen |= newly
    return dist


def _dependencies(arrays: Arrays, source: int) -> np.ndarray:
    """Brandes' dependency of ``source`` on every node (delta_s(v), zero at the source)."""
    sigma, levels = _bfs_dag(arrays, source)
    delta = np.zeros(arrays.n)
    for u, v in reversed(levels):
        delta += np.bincount(u, weights=sigma[u] / sigma[v] * (1.0 + delta[v]), minlength=arrays.n)
    delta[source] = 0.0
    return delta


def _sources(graph: nx.Graph, sample_size: int, seed: int | None) -> list[Hashable]:
    # The draw networkx makes for betweenness_centrality(k=..., seed=...), so the two agree.
    return random.Random(seed).sample(list(graph), sample_size)


def betweenness(
    graph: nx.Graph, *, exact_threshold: int = EXACT_THRESHOLD, sample_size: int = SAMPLE_SIZE, seed: int | None = 0
) -> pd.Series:
    """Normalised betweenness: exact up to ``exact_threshold`` nodes, estimated above.

    Parameters
    ----------
    graph : networkx.Graph
    exact_threshold : int, default 2000
        Largest graph computed exactly.
    sample_size : int, default 200
        Source nodes drawn for the estimate on a larger graph.
    seed : int or None, default 0
        Seed of the draw (same seed, same estimate).

    Returns
    -------
    pandas.Series
        Betweenness by node; ``attrs`` holds ``method`` ("exact" or
        "sampled"), ``sample_size`` and ``seed`` (None when exact).

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       *Journal of Mathematical Sociology* 25(2), 163-177.
    .. [2] Brandes, U. and Pich, C. (2007). Centrality estimation in large
       networks. *Int. J. Bifurcation and Chaos* 17(7), 2303-2318.

    Examples
    --------
    The middle of a path of three lies on the only path between the ends:

    >>> b = betweenness(nx.path_graph(["a", "b", "c"]))
    >>> b.to_dict(), b.attrs["method"]
    ({'a': 0.0, 'b': 1.0, 'c': 0.0}, 'exact')
    >>> est = betweenness(nx.path_graph(50), exact_threshold=10, sample_size=20, seed=3)
    >>> est.attrs
    {'method': 'sampled', 'sample_size': 20, 'seed': 3}
    """
    if graph.is_directed():
        raise ValueError("betweenness here is for the undirected organisation graph")
    n = graph.number_of_nodes()
    arrays = to_arrays(graph)
    sampled = n > exact_threshold and sample_size < n
    if sampled:
        index = {node: i for i, node in enumerate(arrays.nodes)}
        sources = np.array([index[s] for s in _sources(graph, sample_size, seed)], dtype=np.int64)
    else:
        sources = np.arange(n)
    total = np.zeros(n)
    for s in sources:
        total += _dependencies(arrays, int(s))
    # Scaling of networkx's _rescale (normalized=True, endpoints=False): ordered
    # pairs over (n - 1)(n - 2); with a sample, a source cannot count itself.
    if n > 2:
        if sampled:
            k = len(sources)
            scale = np.full(n, 1 / (k * (n - 2)))
            scale[sources] = 1 / ((k - 1) * (n - 2)) if k > 1 else np.nan
            total *= scale
        else:
            total /= (n - 1) * (n - 2)
    result = _series(arrays.nodes, total, "betweenness")
    result.attrs.update(method="sampled" if sampled else "exact",
                        sample_size=len(sources) if sampled else None, seed=seed if sampled else None)
    return result


# -- closeness ------------------------------------------------------------------


def _csr(arrays: Arrays) -> sp.csr_matrix:
    return sp.csr_matrix((np.ones(len(arrays.indices)), arrays.indices, arrays.indptr), shape=(arrays.n, arrays.n))


def _distance_sums(adjacency: sp.csr_matrix, sources: np.ndarray, batch: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """For each source: the sum of hop distances to the nodes it reaches, and how many it reaches."""
    sums = np.zeros(len(sources))
    reached = np.zeros(len(sources))
    for start in range(0, len(sources), batch):
        chunk = sources[start:start + batch]
        dist = csgraph.shortest_path(adjacency, method="D", unweighted=True, directed=False, indices=chunk)
        finite = np.isfinite(dist)
        sums[start:start + batch] = np.where(finite, dist, 0).sum(axis=1)
        reached[start:start + batch] = finite.sum(axis=1) - 1
    return sums, reached


def closeness(
    graph: nx.Graph, *, exact_threshold: int = EXACT_THRESHOLD, sample_size: int = SAMPLE_SIZE, seed: int | None = 0
) -> pd.Series:
    """Closeness (Wasserman-Faust, as NetworkX): exact in components up to
    ``exact_threshold`` nodes, estimated from ``sample_size`` pivots in larger ones.

    For a node reaching r - 1 others at mean distance m (estimated by the mean
    distance to the pivots in its component), closeness is
    ``(r - 1) / (n - 1) / m``.

    Returns
    -------
    pandas.Series
        Closeness by node; ``attrs`` as for :func:`betweenness`.

    References
    ----------
    .. [1] Wasserman, S. and Faust, K. (1994). *Social Network Analysis*, p. 201.
    .. [2] Eppstein, D. and Wang, J. (2004). Fast approximation of centrality.
       *J. Graph Algorithms Appl.* 8(1), 39-45.

    Examples
    --------
    >>> closeness(nx.path_graph(["a", "b", "c"])).to_dict()
    {'a': 0.6666666666666666, 'b': 1.0, 'c': 0.6666666666666666}
    """
    if graph.is_directed():
        raise ValueError("closeness here is for the undirected organisation graph")
    arrays = to_arrays(graph)
    n = arrays.n
    result = np.zeros(n)
    sampled = False
    if n > 1:
        adjacency = _csr(arrays)
        _, labels = csgraph.connected_components(adjacency, directed=False)
        sizes = np.bincount(labels)
        # Small components: every node is a source. They are packed into bins of
        # about _BIN nodes so each shortest-path call stays small.
        small_components = np.flatnonzero((sizes > 1) & (sizes <= exact_threshold))
        members_of = np.argsort(labels[np.isin(labels, small_components)], kind="stable")
        small_nodes = np.flatnonzero(np.isin(labels, small_components))[members_of]
        bin_of = np.cumsum(sizes[labels[small_nodes]] * (np.r_[True, np.diff(labels[small_nodes]) != 0])) // _BIN
        for b in np.unique(bin_of):
            nodes_in_bin = small_nodes[bin_of == b]
            sums, reached = _distance_sums(adjacency[nodes_in_bin][:, nodes_in_bin], np.arange(len(nodes_in_bin)))
            with np.errstate(invalid="ignore", divide="ignore"):
                result[nodes_in_bin] = np.where(sums > 0, reached / (n - 1) * reached / sums, 0.0)
        rng = random.Random(seed)
        for component in np.flatnonzero(sizes > exact_threshold):
            sampled = True
            members = np.flatnonzero(labels == component)
            pivots = np.array(sorted(rng.sample(members.tolist(), min(sample_size, len(members)))))
            # Ties are undirected: the distance from a pivot is the distance to it.
            total = np.zeros(n)
            for pivot in pivots:
                total += _bfs_distances(arrays, int(pivot))
            # A node's mean distance to the pivots other than itself.
            count = np.full(n, float(len(pivots)))
            count[pivots] -= 1
            r = len(members) - 1
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = total[members] / count[members]
                result[members] = np.where(mean > 0, r / (n - 1) / mean, 0.0)
    out = _series(arrays.nodes, result, "closeness")
    out.attrs.update(method="sampled" if sampled else "exact",
                     sample_size=sample_size if sampled else None, seed=seed if sampled else None)
    return out


# -- spectral -----------------------------------------------------------------


def pagerank(graph: nx.Graph, weight: str | None = "weight", alpha: float = 0.85) -> pd.Series:
    """PageRank (damping ``alpha``) on the weighted ties, by NetworkX.

    Examples
    --------
    >>> round(float(pagerank(nx.star_graph(3))[0]), 2)
    0.48
    """
    if graph.number_of_nodes() == 0:
        return _series([], [], "pagerank")
    values = nx.pagerank(graph, alpha=alpha, weight=weight)
    return _series(list(values), list(values.values()), "pagerank")


def eigenvector(graph: nx.Graph, weight: str | None = "weight") -> pd.Series:
    """Eigenvector centrality: the leading eigenvector of the weighted adjacency matrix.

    Computed with SciPy's sparse eigensolver and scaled to unit length, like
    :func:`networkx.eigenvector_centrality_numpy`. On a disconnected graph it
    is concentrated on the component with the largest eigenvalue (others get 0).

    References
    ----------
    .. [1] Bonacich, P. (1987). Power and centrality: a family of measures.
       *American Journal of Sociology* 92(5), 1170-1182.

    Examples
    --------
    >>> round(float(eigenvector(nx.star_graph(4))[0]), 4)
    0.7071
    """
    arrays = to_arrays(graph, weight)
    n = arrays.n
    if n == 0:
        return _series([], [], "eigenvector")
    if len(arrays.indices) == 0:
        return _series(arrays.nodes, np.zeros(n), "eigenvector")
    matrix = sp.csr_matrix((arrays.weights, arrays.indices, arrays.indptr), shape=(n, n))
    if n < 3:
        values, vectors = np.linalg.eigh(matrix.toarray())
        vector = vectors[:, -1]
    else:
        from scipy.sparse.linalg import eigsh

        # A fixed start vector keeps the result the same from run to run.
        values, vectors = eigsh(matrix, k=1, which="LA", v0=np.ones(n), maxiter=max(1000, 10 * n), tol=1e-10)
        vector = vectors[:, 0]
    # The leading eigenvector is defined up to sign (Perron-Frobenius: one sign throughout a component).
    vector = np.abs(vector)
    vector[vector < 1e-12] = 0.0
    return _series(arrays.nodes, vector / np.linalg.norm(vector), "eigenvector")


def centrality(
    graph: nx.Graph,
    *,
    weight: str = "weight",
    exact_threshold: int = EXACT_THRESHOLD,
    sample_size: int = SAMPLE_SIZE,
    seed: int | None = 0,
    measures: Sequence[str] = MEASURES,
    network: nx.Graph | None = None,
) -> pd.DataFrame:
    """Every centrality in :data:`MEASURES` (or those named in ``measures``) as one table.

    The measures are computed over the organisations with at least one tie
    (:func:`clusterkg.graph.network.measured`): an isolate in ``graph``
    changes no value. Isolates keep their row, with 0 for every measure (they
    lie on no path, reach no one and get no share of the network), so the
    build's graph (with isolates) and the analyze commands' graph (without)
    agree on every organisation they share. ``network``: that subgraph, when the caller
    has made it already (:func:`~clusterkg.graph.analysis.metrics.organization_metrics`).

    Returns
    -------
    pandas.DataFrame
        Index: node; columns: ``name``, ``former_names`` (when an organisation
        in the graph was renamed: "formerly ... (until 2016)"), ``country``,
        ``kind`` where the graph has them, then the measures. ``attrs["betweenness"]`` and
        ``attrs["closeness"]`` say how each was computed; ``attrs["network"]``
        how many organisations were measured and how many were isolates.

    Examples
    --------
    >>> g = nx.Graph([("link-j", "kanagawa"), ("link-j", "medcity"), ("medcity", "biom")])
    >>> table = centrality(g)
    >>> table.sort_values("betweenness", ascending=False).index[:2].tolist()
    ['link-j', 'medcity']
    >>> table.attrs["betweenness"]["method"]
    'exact'
    >>> g.add_node("no-agreement")
    >>> with_isolate = centrality(g)
    >>> bool(with_isolate.loc["link-j", "betweenness"] == table.loc["link-j", "betweenness"])
    True
    >>> with_isolate.loc["no-agreement", ["degree", "betweenness", "pagerank"]].tolist(), with_isolate.attrs["network"]
    ([0.0, 0.0, 0.0], {'organizations': 4, 'isolates': 1})
    """
    unknown = sorted(set(measures) - set(MEASURES))
    if unknown:
        raise ValueError(f"unknown measure {', '.join(unknown)}; known: {', '.join(MEASURES)}")
    nodes = list(graph)
    table = pd.DataFrame(index=pd.Index(nodes, name="node"))
    for attribute in LABELS:
        values = [graph.nodes[n].get(attribute) for n in nodes]
        if any(v for v in values):  # former_names only when some organisation was renamed
            table[attribute] = values
    options = dict(exact_threshold=exact_threshold, sample_size=sample_size, seed=seed)
    network = measured(graph) if network is None else network  # given: measured(graph), made by the caller
    for measure in MEASURES:
        if measure not in measures:
            continue
        if measure == "degree":
            column = _series(nodes, [d for _, d in graph.degree()], "degree")
        elif measure == "weighted_degree":
            column = weighted_degree(graph, weight)
        elif measure == "betweenness":
            column = betweenness(network, **options)
        elif measure == "closeness":
            column = closeness(network, **options)
        elif measure == "pagerank":
            column = pagerank(network, weight)
        else:
            column = eigenvector(network, weight)
        table[measure] = column.reindex(table.index, fill_value=0.0)  # isolates: 0
        if column.attrs:
            table.attrs[measure] = dict(column.attrs)
    table.attrs["network"] = {"organizations": network.number_of_nodes(),
                              "isolates": graph.number_of_nodes() - network.number_of_nodes()}
    return table
