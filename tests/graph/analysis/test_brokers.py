"""Brokers between two sides, in counts and words. Expected counts are worked out by hand on a small
graph, checked against networkx's common neighbours, and against the folded Gould-Fernandez
boundary-spanner counts (an open pair with one end on each side is a boundary-spanner pair of its broker)."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from clusterkg.graph.analysis.brokerage import gould_fernandez_folded
from clusterkg.graph.analysis.brokers import brokers_across, brokers_between, open_pairs
from clusterkg.model.problems import ClusterKGError


@pytest.fixture
def network():
    # JP: kobe, osaka, link-j; GB: medcity; DE: biom; US: biocom.
    g = nx.Graph([("kobe", "link-j"), ("osaka", "link-j"), ("link-j", "medcity"), ("link-j", "biom"),
                  ("osaka", "biom"), ("biom", "medcity"), ("link-j", "biocom")])
    nx.set_node_attributes(g, {"kobe": "JP", "osaka": "JP", "link-j": "JP", "medcity": "GB", "biom": "DE",
                               "biocom": "US"}, "country")
    nx.set_node_attributes(g, {"link-j": "LINK-J", "biom": "BioM"}, "name")
    return g


def test_counts_pairs_share_and_sole_by_hand(network):
    table = brokers_between(network, "JP", "Europe")
    # Open JP-Europe pairs: kobe-medcity (via link-j), kobe-biom (link-j), osaka-medcity (link-j, biom).
    # osaka-biom and link-j-* are tied. So 3 pairs; link-j connects all 3, 2 alone; biom 1, none alone.
    assert table.attrs["open_pairs"] == 3
    assert table.index.tolist() == ["link-j", "biom"]
    assert table["pairs"].tolist() == [3, 1] and table["sole"].tolist() == [2, 0]
    assert table["share"].tolist() == pytest.approx([1.0, 1 / 3])
    assert table.loc["link-j", "sentence"] == "LINK-J connects 3 of the 3 open Japan–Europe pairs (100%), 2 of them alone."
    assert table.loc["biom", "sentence"].endswith("(33%); each of them has another broker too.")
    assert table.loc["biom", "group"] == "Europe" and table.loc["link-j", "group"] == "Japan"


def test_agrees_with_networkx_common_neighbours(network):
    japan = {n for n, c in network.nodes(data="country") if c == "JP"}
    rest = set(network) - japan
    expected = {}
    for a, c in itertools.product(sorted(japan), sorted(rest)):
        if not network.has_edge(a, c):
            via = sorted(nx.common_neighbors(network, a, c))
            if via:
                expected[(a, c)] = via
    assert {k: sorted(v) for k, v in open_pairs(network, japan).items()} == expected
    table = brokers_between(network, "JP")  # the other side: everyone else
    assert table.attrs["open_pairs"] == len(expected) and table.attrs["and"] == "outside Japan"


def test_pairs_equal_the_folded_boundary_spanner_counts_on_two_sides(network):
    two_sides = network.subgraph([n for n, c in network.nodes(data="country") if c in ("JP", "GB", "DE")])
    bloc = {n: "Japan" if two_sides.nodes[n]["country"] == "JP" else "Europe" for n in two_sides}
    folded = gould_fernandez_folded(two_sides, bloc, permutations=0).table
    table = brokers_between(two_sides, "Japan", "Europe", groups="Japan=JP; Europe=GB,DE")
    assert table["pairs"].to_dict() == {n: v for n, v in folded["boundary_spanner"].items() if v}


def test_across_groups_and_errors(network):
    table = brokers_across(network, "continent")
    # Pairs in different continents: kobe/osaka/medcity/biom x biocom via link-j (osaka-biocom too), and
    # the three JP-Europe pairs: link-j connects 4 + 3 = 7.
    assert table.loc["link-j", "pairs"] == 7 and table.attrs["open_pairs"] == 7
    with pytest.raises(ClusterKGError, match="share countries"):
        brokers_between(network, "Europe", "GB")


def test_sample_link_j_is_the_broker_between_japan_and_europe(sample_dataset):
    """Issue 17: nothing said in words that LINK-J brokers nearly every open pair."""
    from clusterkg.graph.network import organization_graph

    g = organization_graph(sample_dataset, isolates=False)
    table = brokers_between(g, "JP", "Europe")
    top = table.iloc[0]
    assert table.index[0] == "link-j" and top["pairs"] / table.attrs["open_pairs"] > 0.9
    assert top["sentence"].startswith(f"Life Science Innovation Network Japan connects {top['pairs']} of the "
                                      f"{table.attrs['open_pairs']} open Japan–Europe pairs")
