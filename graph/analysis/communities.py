"""Communities of organisations, and who makes agreements with whom by country.

* :func:`communities`: Louvain (Blondel et al. 2008) by NetworkX's
  :func:`~networkx.algorithms.community.louvain_communities`, seeded, on the
  agreement counts as weights (by igraph's C implementation above 20,000
  organisations, where NetworkX's takes half a minute); or label propagation. Communities are numbered
  by size (0 = largest), so the numbers mean the same from run to run.
* :func:`community_summary`: one row per community (size, countries, kinds,
  the most connected members).
* :func:`mixing_matrix`: agreements between each pair of countries (or
  regions, or kinds).

References
----------
.. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008).
   Fast unfolding of communities in large networks. *J. Stat. Mech.* P10008.
.. [2] Raghavan, U. N., Albert, R. and Kumara, S. (2007). Near linear time
   algorithm to detect community structures in large-scale networks.
   *Physical Review E* 76, 036106.
"""

from __future__ import annotations

import random
from collections import Counter

import networkx as nx
import pandas as pd
from clusterkg.graph.analysis.brokerage import Groups, group_labels
from clusterkg.graph.network import paused_gc

__all__ = ["communities", "community_summary", "mixing_matrix", "modularity"]


#: Above this many nodes, ``engine="auto"`` runs Louvain in igraph's C code instead of NetworkX.
IGRAPH_THRESHOLD = 20_000


def communities(
    graph: nx.Graph, *, method: str = "louvain", seed: int | None = 0, resolution: float = 1.0,
    weight: str | None = "weight", engine: str = "auto",
) -> pd.Series:
    """The community of every node, numbered by size (0 = the largest).

    Parameters
    ----------
    graph : networkx.Graph
    method : {"louvain", "label_propagation"}
    seed : int or None, default 0
        Louvain visits nodes in a random order; the seed fixes it.
    resolution : float, default 1.0
        Louvain's resolution: above 1 gives more, smaller communities.
    weight : str or None, default "weight"
    engine : {"auto", "networkx", "igraph"}, default "auto"
        Who runs Louvain: NetworkX's ``louvain_communities`` (pure Python), or
        igraph's ``community_multilevel`` (the same algorithm in C, seeded
        through a :class:`random.Random`), about twenty times faster on
        100,000 organisations. "auto" takes NetworkX up to
        :data:`IGRAPH_THRESHOLD` nodes and igraph above. The two may split a
        graph differently (each is one run of a randomised heuristic);
        ``attrs["engine"]`` says which ran.

    Returns
    -------
    pandas.Series
        Community number by node (an isolate is a community of its own);
        ``attrs`` holds ``method``, ``engine``, ``seed``, ``resolution`` and
        ``modularity``.

    References
    ----------
    .. [1] Blondel, V. D. et al. (2008). Fast unfolding of communities in large
       networks. *J. Stat. Mech.* P10008.
    .. [2] Csardi, G. and Nepusz, T. (2006). The igraph software package for
       complex network research. *InterJournal Complex Systems* 1695.

    Examples
    --------
    Two triangles joined by one tie are two communities:

    >>> g = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> labels = communities(g, seed=1)
    >>> sorted(labels.groupby(labels).size().tolist()), bool(labels[1] == labels[2] != labels[5])
    ([3, 3], True)
    >>> round(labels.attrs["modularity"], 3), labels.attrs["engine"]
    (0.357, 'networkx')
    >>> communities(g, seed=1, engine="igraph").tolist() == labels.tolist()
    True
    """
    if method not in ("louvain", "label_propagation"):
        raise ValueError(f"unknown method {method!r}: louvain or label_propagation")
    if engine not in ("auto", "networkx", "igraph"):
        raise ValueError(f"unknown engine {engine!r}: auto, networkx or igraph")
    if method == "louvain" and engine == "auto":
        engine = "igraph" if graph.number_of_nodes() > IGRAPH_THRESHOLD else "networkx"
    if method != "louvain":
        engine = "networkx"
    with paused_gc():
        if engine == "igraph":
            parts = _igraph_louvain(graph, weight, resolution, seed)
        elif method == "louvain":
            parts = nx.community.louvain_communities(graph, weight=weight, resolution=resolution, seed=seed)
        else:
            parts = list(nx.community.fast_label_propagation_communities(graph, weight=weight, seed=seed))
    # Largest first; ties broken by the smallest member's text so numbering is stable.
    parts = sorted(parts, key=lambda p: (-len(p), min(map(str, p))))
    label = {node: number for number, part in enumerate(parts) for node in part}
    result = pd.Series([label[n] for n in graph], index=pd.Index(list(graph), name="node"), name="community")
    result.attrs.update(method=method, engine=engine, seed=seed, resolution=resolution,
                        modularity=modularity(graph, result, weight=weight))
    return result


def _igraph_louvain(graph: nx.Graph, weight: str | None, resolution: float, seed: int | None) -> list[set]:
    import igraph

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    h = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()])
    weights = [d.get(weight, 1) for _, _, d in graph.edges(data=True)] if weight else None
    # igraph draws from Python's random module unless told otherwise; a seeded
    # generator of our own keeps runs repeatable without touching global state.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = h.community_multilevel(weights=weights, resolution=resolution).membership
    finally:
        igraph.set_random_number_generator(random)
    parts: dict[int, set] = {}
    for node, community in zip(nodes, membership):
        parts.setdefault(community, set()).add(node)
    return list(parts.values())


def modularity(graph: nx.Graph, labels: pd.Series, weight: str | None = "weight") -> float:
    """Newman's modularity of a partition given as node -> community.

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (3, 4)])
    >>> modularity(g, pd.Series({1: 0, 2: 0, 3: 1, 4: 1}))
    0.5
    """
    if graph.number_of_edges() == 0:
        return float("nan")
    groups: dict = {}
    for node, community in labels.items():
        groups.setdefault(community, set()).add(node)
    return float(nx.community.modularity(graph, groups.values(), weight=weight))


def community_summary(graph: nx.Graph, labels: pd.Series, *, top: int = 3) -> pd.DataFrame:
    """One row per community: size, ties inside it, countries and kinds, best-connected members.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("c", "d")])
    >>> nx.set_node_attributes(g, {"a": "JP", "b": "JP", "c": "GB", "d": "DE"}, "country")
    >>> community_summary(g, pd.Series({"a": 0, "b": 0, "c": 1, "d": 1}))["countries"].tolist()
    ['JP 2', 'DE 1, GB 1']
    """
    rows = []
    degree = dict(graph.degree(weight="weight"))
    for community, members in labels.groupby(labels):
        nodes = list(members.index)
        sub = graph.subgraph(nodes)
        countries = Counter(graph.nodes[n].get("country") or "?" for n in nodes)
        kinds = Counter(graph.nodes[n].get("kind") or "?" for n in nodes)
        hubs = sorted(nodes, key=lambda n: (-degree.get(n, 0), str(n)))[:top]
        rows.append({
            "community": community,
            "size": len(nodes),
            "ties_inside": sub.number_of_edges(),
            "countries": ", ".join(f"{c} {k}" for c, k in sorted(countries.items(), key=lambda x: (-x[1], x[0]))[:5]),
            "kinds": ", ".join(f"{c} {k}" for c, k in sorted(kinds.items(), key=lambda x: (-x[1], x[0]))[:5]),
            "hubs": ", ".join(str(graph.nodes[n].get("name") or n) for n in hubs),
        })
    return pd.DataFrame(rows).set_index("community")


def mixing_matrix(graph: nx.Graph, groups: Groups = "country") -> pd.DataFrame:
    """Agreements between each pair of groups (country by country by default).

    Cell (A, B) counts the distinct agreements that tie an organisation of A
    to one of B (read from the ``agreements`` edge attribute of
    :func:`~clusterkg.graph.network.organization_graph`; without it, each
    edge's ``weight`` is summed instead). The diagonal counts agreements
    between organisations of the same group. The matrix is symmetric; an
    agreement among parties from three countries counts in each of the three
    pairs.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("link-j", "medcity", agreements=["mou-1", "loi-2"])
    >>> g.add_edge("link-j", "kobe", agreements=["mou-3"])
    >>> g.add_edge("kobe", "medcity", agreements=["mou-1"])
    >>> nx.set_node_attributes(g, {"link-j": "JP", "kobe": "JP", "medcity": "GB"}, "country")
    >>> mixing_matrix(g).to_dict()
    {'GB': {'GB': 0, 'JP': 2}, 'JP': {'GB': 2, 'JP': 1}}
    """
    labels = group_labels(graph, groups)
    names = sorted(set(labels.values()))
    ids: dict[tuple[str, str], set] = {}
    sums: Counter = Counter()
    for u, v, data in graph.edges(data=True):
        a, b = sorted((labels[u], labels[v]))
        if "agreements" in data:
            ids.setdefault((a, b), set()).update(data["agreements"])
        else:
            sums[(a, b)] += data.get("weight", 1)
    matrix = pd.DataFrame(0, index=pd.Index(names, name=groups if isinstance(groups, str) else "group"),
                          columns=names, dtype=int)
    for (a, b), agreements in ids.items():
        matrix.loc[a, b] = matrix.loc[b, a] = len(agreements)
    for (a, b), total in sums.items():
        matrix.loc[a, b] = matrix.loc[b, a] = total
    return matrix
