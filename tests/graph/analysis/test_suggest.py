"""Partner suggestions. Scores are Adamic-Adar sums worked out by hand and checked
against networkx's adamic_adar_index."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from clusterkg.graph.analysis.suggest import suggest_partners
from clusterkg.model.problems import ClusterKGError


@pytest.fixture
def network():
    g = nx.Graph([("kobe", "link-j"), ("kobe", "biom"), ("link-j", "medcity"), ("biom", "medcity"),
                  ("link-j", "boston"), ("link-j", "paris"), ("biom", "paris"), ("link-j", "osaka")])
    countries = {"kobe": "JP", "link-j": "JP", "biom": "DE", "medcity": "GB", "boston": "US", "paris": "FR",
                 "osaka": "JP"}
    nx.set_node_attributes(g, countries, "country")
    nx.set_node_attributes(g, {n: "university" if n == "paris" else "cluster" for n in g}, "kind")
    return g


def test_ranks_by_adamic_adar_with_reasons(network):
    table = suggest_partners(network, "kobe", top=None)
    # kobe's partners: link-j (degree 5), biom (degree 3).
    # medcity and paris share both: 1/ln 5 + 1/ln 3; boston, osaka share link-j: 1/ln 5.
    both = 1 / math.log(5) + 1 / math.log(3)
    assert table["candidate"].tolist() == ["medcity", "paris", "boston", "osaka"]
    assert table["score"].tolist() == pytest.approx([both, both, 1 / math.log(5), 1 / math.log(5)])
    assert table.loc[0, "reason"] == "shares 2 partners: biom, link-j"
    assert table.loc[2, "reason"] == "shares 1 partner: link-j"
    theirs = {(u, v): p for u, v, p in nx.adamic_adar_index(network, [("kobe", c) for c in table["candidate"]])}
    assert table["score"].tolist() == pytest.approx([theirs["kobe", c] for c in table["candidate"]])


def test_never_suggests_a_current_partner_or_itself(network):
    candidates = set(suggest_partners(network, "link-j", top=None)["candidate"])
    assert candidates.isdisjoint(set(network["link-j"]) | {"link-j"})


def test_filters_and_top(network):
    assert suggest_partners(network, "kobe", countries=["gb", "US"])["candidate"].tolist() == ["medcity", "boston"]
    assert suggest_partners(network, "kobe", kinds="university")["candidate"].tolist() == ["paris"]
    assert len(suggest_partners(network, "kobe", top=1)) == 1


def test_reason_names_a_few_and_counts_the_rest():
    g = nx.Graph([("me", f"p{i}") for i in range(5)] + [(f"p{i}", "them") for i in range(5)])
    assert suggest_partners(g, "me").loc[0, "reason"] == "shares 5 partners: p0, p1, p2 and 2 more"


def test_unknown_organisation_is_a_clear_error(network):
    with pytest.raises(ClusterKGError, match="nobody: no organisation"):
        suggest_partners(network, "nobody")


def test_never_suggests_itself_or_a_partner_under_another_name():
    """Issue 17: `suggest --for link-j` recommended the defunct Cell Therapy Catapult. In a graph that
    keeps renamed organisations apart (lineage=False), ``lineage`` says which nodes are one organisation."""
    g = nx.Graph([("me", "hub"), ("hub", "old-me"), ("hub", "old-partner"), ("me", "new-partner"),
                  ("hub", "stranger"), ("hub", "old-stranger")])
    nx.set_node_attributes(g, {n: n for n in g}, "lineage")
    nx.set_node_attributes(g, {"old-me": "me", "old-partner": "new-partner", "old-stranger": "stranger"}, "lineage")
    # old-me is me; old-partner is new-partner (a partner already); old-stranger stands for stranger,
    # which shares one partner (hub), not two.
    table = suggest_partners(g, "me", top=None)
    assert table["candidate"].tolist() == ["stranger"] and table.loc[0, "shared"] == 1
    assert "me" not in suggest_partners(g, "new-partner", top=None)["candidate"].tolist()


def test_sample_suggestions_follow_the_rename(sample_dataset):
    from clusterkg.graph.network import organization_graph

    for lineage in (True, False):
        g = organization_graph(sample_dataset, lineage=lineage, isolates=False)
        candidates = set(suggest_partners(g, "link-j", top=None)["candidate"])
        assert "cell-therapy-catapult" not in candidates
        assert "cgt-catapult" in candidates  # via Kanagawa, under its current name
    # And for the Catapult itself: neither of its names is suggested.
    g = organization_graph(sample_dataset, lineage=False, isolates=False)
    assert {"cell-therapy-catapult", "cgt-catapult"}.isdisjoint(suggest_partners(g, "cgt-catapult", top=None)["candidate"])
