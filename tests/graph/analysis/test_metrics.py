"""The all-in-one metrics table (metrics.csv). Its numbers come from the modules
tested beside it; here: that it assembles them, and copes with degenerate graphs."""

from __future__ import annotations

import networkx as nx
import pytest
from clusterkg.graph.analysis.brokerage import gould_fernandez_folded
from clusterkg.graph.analysis.centrality import betweenness
from clusterkg.graph.analysis.metrics import organization_metrics
from clusterkg.graph.network import measured, organization_graph


def test_assembles_every_family(sample_dataset):
    g = organization_graph(sample_dataset)
    table = organization_metrics(g)
    assert list(table.columns[:5]) == ["name", "former_names", "country", "kind", "community"]
    assert table.loc["cgt-catapult", "former_names"] == "formerly Cell Therapy Catapult (until 2016)"
    assert {"betweenness", "eigenvector", "constraint", "hierarchy", "brokerage_boundary_spanner"} <= set(table.columns)
    # Measured over the organisations with a tie; isolates get 0 (docs/analysis.md).
    expected = betweenness(measured(g)).reindex(table.index, fill_value=0.0)
    assert table["betweenness"].to_dict() == expected.to_dict()
    assert (table["brokerage_total"] == gould_fernandez_folded(g, permutations=0).table["total"]).all()
    assert table.attrs["brokerage"] == {"groups": "country", "permutations": 0, "seed": None}


def test_permutation_z_scores_on_request(sample_dataset):
    table = organization_metrics(organization_graph(sample_dataset, isolates=False), permutations=20)
    assert "brokerage_boundary_spanner_z" in table.columns


@pytest.mark.parametrize("graph", [nx.Graph(), nx.empty_graph(1), nx.empty_graph(3), nx.path_graph(2)],
                         ids=["empty", "one node", "no ties", "one tie"])
def test_degenerate_graphs(graph):
    nx.set_node_attributes(graph, "JP", "country")
    table = organization_metrics(graph)
    assert len(table) == graph.number_of_nodes()
    assert (table["brokerage_total"] == 0).all()


def test_isolates_change_no_value(sample_dataset):
    """Issue 17: LINK-J's betweenness was 0.131 in metrics.csv (44 nodes, 16 of them isolates) and
    0.336 from `analyze` (28 nodes): normalisation over (n-1)(n-2) counted the isolates."""
    import numpy as np

    whole = organization_metrics(organization_graph(sample_dataset), permutations=20)
    network = organization_metrics(organization_graph(sample_dataset, isolates=False), permutations=20)
    assert len(whole) - len(network) == sum(1 for _, d in organization_graph(sample_dataset).degree() if d == 0) > 0
    shared = whole.loc[network.index, network.columns]
    numeric = [c for c in network.columns if c not in ("name", "former_names", "country", "kind")]
    assert np.allclose(shared[numeric].astype(float), network[numeric].astype(float), rtol=0, atol=1e-12,
                       equal_nan=True)
    isolates = whole.index.difference(network.index)
    assert (whole.loc[isolates, ["degree", "betweenness", "closeness", "pagerank", "eigenvector"]] == 0).all().all()
    assert whole.loc[isolates, "community"].isna().all() and whole.loc[isolates, "constraint"].isna().all()
