"""Communities and the country matrix. Expected values are worked out by hand,
the modularity by networkx's own modularity function."""

from __future__ import annotations

import networkx as nx
import pytest
from clusterkg.graph.analysis.communities import (
    communities,
    community_summary,
    mixing_matrix,
    modularity,
)


@pytest.fixture
def two_clusters():
    # A Japanese and a British clique of four, joined by one tie (jp3 - gb0).
    g = nx.Graph()
    for prefix, country in (("jp", "JP"), ("gb", "GB")):
        nodes = [f"{prefix}{i}" for i in range(4)]
        g.add_nodes_from(nodes, country=country, kind="cluster")
        g.add_edges_from((a, b, {"weight": 1, "agreements": [f"{a}-{b}"]})
                         for i, a in enumerate(nodes) for b in nodes[i + 1:])
    g.add_edge("jp3", "gb0", weight=2, agreements=["x1", "x2"])
    return g


def test_louvain_finds_the_two_cliques_and_numbers_them_stably(two_clusters):
    labels = communities(two_clusters, seed=3)
    assert labels.groupby(labels).size().tolist() == [4, 4]
    # Equal sizes: the community holding the smallest id ("gb0") is number 0.
    assert labels["gb0"] == 0 and labels["jp0"] == 1
    assert labels.attrs["method"] == "louvain" and labels.attrs["seed"] == 3
    expected = nx.community.modularity(two_clusters, [{f"jp{i}" for i in range(4)}, {f"gb{i}" for i in range(4)}])
    assert labels.attrs["modularity"] == pytest.approx(expected)
    assert communities(two_clusters, seed=3).equals(labels)


def test_igraph_engine_agrees_and_auto_switches_above_the_threshold(two_clusters, monkeypatch):
    from clusterkg.graph.analysis import communities as module

    by_networkx = communities(two_clusters, seed=3, engine="networkx")
    by_igraph = communities(two_clusters, seed=3, engine="igraph")
    assert by_igraph.equals(by_networkx) and by_igraph.attrs["engine"] == "igraph"
    assert communities(two_clusters, seed=9, engine="igraph").equals(by_igraph)
    assert communities(two_clusters).attrs["engine"] == "networkx"
    monkeypatch.setattr(module, "IGRAPH_THRESHOLD", 5)
    assert communities(two_clusters).attrs["engine"] == "igraph"
    with pytest.raises(ValueError, match="unknown engine"):
        communities(two_clusters, engine="gpu")


def test_label_propagation_is_available(two_clusters):
    labels = communities(two_clusters, method="label_propagation", seed=1)
    assert labels.attrs["method"] == "label_propagation"
    assert labels["jp0"] == labels["jp1"]
    with pytest.raises(ValueError, match="unknown method"):
        communities(two_clusters, method="magic")


def test_summary_names_countries_and_hubs(two_clusters):
    labels = communities(two_clusters, seed=3)
    summary = community_summary(two_clusters, labels, top=1)
    # By hand: jp3 and gb0 have weighted degree 3 + 2 = 5, the others 3.
    assert summary.loc[0].to_dict() == {"size": 4, "ties_inside": 6, "countries": "GB 4", "kinds": "cluster 4",
                                        "hubs": "gb0"}


def test_mixing_matrix_counts_distinct_agreements(two_clusters):
    m = mixing_matrix(two_clusters)
    # 6 agreements inside each clique, 2 across.
    assert m.to_dict() == {"GB": {"GB": 6, "JP": 2}, "JP": {"GB": 2, "JP": 6}}
    assert mixing_matrix(two_clusters, "kind").loc["cluster", "cluster"] == 14


def test_a_three_country_agreement_counts_in_each_pair():
    g = nx.Graph()
    g.add_nodes_from([("a", {"country": "JP"}), ("b", {"country": "GB"}), ("c", {"country": "US"})])
    for u, v in (("a", "b"), ("b", "c"), ("a", "c")):
        g.add_edge(u, v, agreements=["tri"])
    m = mixing_matrix(g)
    assert m.loc["JP", "GB"] == m.loc["GB", "US"] == m.loc["JP", "US"] == 1 and m.loc["JP", "JP"] == 0


def test_modularity_of_an_edgeless_graph_is_undefined():
    g = nx.empty_graph(3)
    assert modularity(g, communities(g)) != modularity(g, communities(g))  # NaN
