"""Centrality. Expected values come from networkx on the same graphs (its exact
algorithms, and its own sampled betweenness with the same k and seed)."""

from __future__ import annotations

import networkx as nx
import pytest
from clusterkg.graph.analysis.centrality import (
    betweenness,
    centrality,
    closeness,
    eigenvector,
    pagerank,
)


@pytest.fixture(scope="module")
def patchy():
    """Three components of different sizes, one isolate, and string node ids."""
    g = nx.relabel_nodes(nx.connected_watts_strogatz_graph(120, 4, 0.2, seed=5), lambda i: f"o{i}")
    g.add_edges_from([("x1", "x2"), ("x2", "x3"), ("x3", "x4"), ("x4", "x2"), ("y1", "y2")])
    g.add_node("lonely")
    return g


def test_exact_betweenness_equals_networkx(patchy):
    ours = betweenness(patchy)
    assert ours.attrs == {"method": "exact", "sample_size": None, "seed": None}
    assert ours.to_dict() == pytest.approx(nx.betweenness_centrality(patchy), abs=1e-12)


def test_sampled_betweenness_equals_networkx_with_the_same_k_and_seed(patchy):
    ours = betweenness(patchy, exact_threshold=50, sample_size=30, seed=11)
    assert ours.attrs == {"method": "sampled", "sample_size": 30, "seed": 11}
    theirs = nx.betweenness_centrality(patchy, k=30, seed=11)
    assert ours.to_dict() == pytest.approx(theirs, abs=1e-12)


def test_sampled_betweenness_is_reproducible_for_a_seed(patchy):
    first = betweenness(patchy, exact_threshold=50, sample_size=25, seed=4)
    assert first.equals(betweenness(patchy, exact_threshold=50, sample_size=25, seed=4))
    assert not first.equals(betweenness(patchy, exact_threshold=50, sample_size=25, seed=5))


def test_exact_closeness_equals_networkx(patchy):
    ours = closeness(patchy)
    assert ours.attrs["method"] == "exact"
    assert ours.to_dict() == pytest.approx(nx.closeness_centrality(patchy), abs=1e-12)


def test_estimated_closeness_is_close_and_small_components_stay_exact(patchy):
    exact = nx.closeness_centrality(patchy)
    est = closeness(patchy, exact_threshold=50, sample_size=60, seed=2)
    assert est.attrs == {"method": "sampled", "sample_size": 60, "seed": 2}
    for node in ("x1", "x2", "y1", "lonely"):  # components below the threshold
        assert est[node] == pytest.approx(exact[node], abs=1e-12)
    # Sixty pivots out of 120 nodes: within 5% of the exact value (a sampling bound, not a count).
    errors = [abs(est[n] - exact[n]) / exact[n] for n in patchy if n.startswith("o")]
    assert max(errors) < 0.05
    assert est.equals(closeness(patchy, exact_threshold=50, sample_size=60, seed=2))


def test_pagerank_and_eigenvector_equal_networkx():
    g = nx.les_miserables_graph()
    assert pagerank(g).to_dict() == pytest.approx(nx.pagerank(g, weight="weight"), abs=1e-9)
    theirs = nx.eigenvector_centrality_numpy(g, weight="weight")
    assert eigenvector(g).to_dict() == pytest.approx(theirs, abs=1e-8)


def test_centrality_table_has_every_measure_and_says_how_betweenness_was_made(patchy):
    table = centrality(patchy, exact_threshold=50, sample_size=10, seed=1)
    assert list(table.columns) == ["degree", "weighted_degree", "betweenness", "closeness", "pagerank", "eigenvector"]
    assert table.attrs["betweenness"] == {"method": "sampled", "sample_size": 10, "seed": 1}
    assert table.loc["x2", "degree"] == 3 and table.loc["lonely", "betweenness"] == 0
    with pytest.raises(ValueError, match="unknown measure"):
        centrality(patchy, measures=["fame"])


def test_node_attributes_are_carried(sample_graph):
    table = centrality(sample_graph, measures=["degree"])
    assert list(table.columns) == ["name", "country", "kind", "degree"]


@pytest.fixture
def sample_graph():
    g = nx.Graph()
    g.add_node("link-j", name="LINK-J", country="JP", kind="cluster")
    g.add_node("medcity", name="MedCity", country="GB", kind="cluster")
    g.add_edge("link-j", "medcity", weight=2)
    return g
