"""The all-in-one metrics table (metrics.csv). Its numbers come from the modules
tested beside it; here: that it assembles them, and copes with degenerate graphs."""

from __future__ import annotations

import networkx as nx
import pytest
from clusterkg.graph.analysis.brokerage import gould_fernandez_folded
from clusterkg.graph.analysis.centrality import betweenness
from clusterkg.graph.analysis.metrics import organization_metrics
from clusterkg.graph.network import organization_graph


def test_assembles_every_family(sample_dataset):
    g = organization_graph(sample_dataset)
    table = organization_metrics(g)
    assert list(table.columns[:4]) == ["name", "country", "kind", "community"]
    assert {"betweenness", "eigenvector", "constraint", "hierarchy", "brokerage_boundary_spanner"} <= set(table.columns)
    assert table["betweenness"].equals(betweenness(g).rename("betweenness"))
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
