"""The NetworkX projections (graph/network.py). Expected graphs are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from clusterkg.graph.network import (
    as_of_day,
    bipartite_graph,
    in_force,
    organization_graph,
    select_agreements,
)
from clusterkg.model.problems import ClusterKGError

from .conftest import make_dataset

ORGS = [("a", "JP", "cluster"), ("b", "JP", "government"), ("c", "GB", "cluster"), ("d", "US", "company"),
        ("e", "DE", "university")]


@pytest.fixture
def ds():
    return make_dataset(ORGS, [
        {"id": "m1", "parties": ["a", "b"], "signed": "2015-03-02"},
        {"id": "m2", "parties": ["a", "b"], "type": "loi", "signed": "2017-06"},
        {"id": "m3", "parties": ["a", "c", "d"], "type": "collaboration", "signed": "2019"},
        {"id": "m4", "parties": ["c", "d"], "signed": "2016-01-10", "end": "2018-12-31"},
        {"id": "m5", "parties": ["b", "c"], "signed": "2021-05-01", "term": "P2Y"},
        {"id": "m6", "parties": ["a", "d"], "signed": "2014-01-01"},
        {"id": "m7", "parties": ["a", "d"], "signed": "2020-01-01", "renews": "m6"},
        {"id": "undated", "parties": ["b", "d"], "announced": None},
    ])


def test_edges_count_agreements_and_keep_ids_types_and_dates(ds):
    g = organization_graph(ds)
    # By hand: a-b from m1 and m2; m3 is a clique a-c, a-d, c-d; a-d also from m6, m7.
    assert sorted(g.edges) == [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")]
    ab = g.edges["a", "b"]
    assert ab == {"weight": 2, "agreements": ["m1", "m2"], "types": ["loi", "mou"],
                  "first": "2015-03-02", "last": "2017-06"}
    assert g.edges["a", "d"]["agreements"] == ["m3", "m6", "m7"]
    assert g.edges["a", "d"]["first"] == "2014-01-01" and g.edges["a", "d"]["last"] == "2020-01-01"
    assert g.edges["b", "d"]["first"] is None
    assert g.nodes["a"] == {"name": "A", "kind": "cluster", "country": "JP", "region": None, "former_names": "",
                            "lineage": "a"}
    assert g.number_of_nodes() == 5 and g.degree("e") == 0


def test_isolates_can_be_dropped(ds):
    assert "e" not in organization_graph(ds, isolates=False)


def test_as_of_excludes_agreements_not_yet_signed(ds):
    # 2017-06-15: m2 ("2017-06") is not surely signed yet; m3 (2019) not at all.
    g = organization_graph(ds, as_of="2017-06-15")
    assert g.edges["a", "b"]["agreements"] == ["m1"]
    assert not g.has_edge("a", "c")
    # By the end of June 2017 it surely is.
    assert organization_graph(ds, as_of="2017-06-30").edges["a", "b"]["agreements"] == ["m1", "m2"]
    # A year as_of means its last day: m3 signed "2019" is in.
    assert organization_graph(ds, as_of="2019").has_edge("a", "c")


def test_as_of_drops_ended_renewed_and_undated_agreements(ds):
    ids = lambda day: [a.id for a in select_agreements(ds, as_of=day)]  # noqa: E731
    assert "m4" in ids("2018-12-31")          # the end day is still in force
    assert "m4" not in ids("2019-01-01")
    assert "m5" in ids("2023-04-30") and "m5" not in ids("2023-05-01")  # P2Y from 2021-05-01
    assert "m6" in ids("2019-12-31") and "m6" not in ids("2020-01-01")  # m7 renews it
    assert all("undated" not in ids(day) for day in ("2000", "2030"))
    assert "undated" in [a.id for a in select_agreements(ds)]


def test_partial_end_is_ended_only_when_surely_past():
    ds = make_dataset(ORGS[:2], [{"id": "x", "parties": ["a", "b"], "signed": "2010", "end": "2015"}])
    assert in_force(ds.agreements["x"], dt.date(2015, 12, 31))
    assert not in_force(ds.agreements["x"], dt.date(2016, 1, 1))


def test_type_and_country_filters(ds):
    assert sorted(organization_graph(ds, types=["loi", "collaboration"], isolates=False).edges) == [
        ("a", "b"), ("a", "c"), ("a", "d"), ("c", "d")]
    g = organization_graph(ds, countries=["jp", "GB"])
    assert sorted(g.nodes) == ["a", "b", "c"]
    # m3 (a, c, d) keeps only its a-c tie.
    assert sorted(g.edges) == [("a", "b"), ("a", "c"), ("b", "c")]
    with pytest.raises(ClusterKGError, match="unknown agreement type 'treaty'"):
        organization_graph(ds, types=["treaty"])


def test_bipartite_graph_projects_to_the_organization_graph(ds):
    from networkx.algorithms import bipartite

    b = bipartite_graph(ds, as_of="2019-12-31")
    orgs = [n for n, d in b.nodes(data=True) if d["bipartite"] == 0]
    assert b.nodes["m3"] == {"bipartite": 1, "node_type": "agreement", "type": "collaboration",
                             "title": None, "date": "2019"}
    projected = bipartite.weighted_projected_graph(b, orgs)
    g = organization_graph(ds, as_of="2019-12-31")
    assert sorted(projected.edges(data="weight")) == sorted(g.edges(data="weight"))


def test_as_of_day_rejects_text_that_is_no_date():
    assert as_of_day("2016-02") == dt.date(2016, 2, 29)
    with pytest.raises(ClusterKGError, match="as_of"):
        as_of_day("last year")


def test_sample_dataset_projects(sample_dataset):
    g = organization_graph(sample_dataset)
    # One node per lineage: the Cell Therapy Catapult is the CGT Catapult's former name (data/organizations.yaml).
    assert set(g) == set(sample_dataset.organizations) - {"cell-therapy-catapult"}
    assert set(organization_graph(sample_dataset, lineage=False)) == set(sample_dataset.organizations)
    assert all(d["weight"] >= 1 for *_, d in g.edges(data=True))


# -- lineages (issue 17, section 1) ---------------------------------------------------------------


def renamed_dataset():
    """old -> mid (2016) -> new (2019-04): a chain of two renames, plus two partners."""
    from clusterkg.model.records import Organization

    ds = make_dataset([("x", "JP", "cluster"), ("y", "GB", "cluster")], [
        {"id": "r1", "parties": ["old", "x"], "signed": "2015-03"},
        {"id": "r2", "parties": ["mid", "y"], "signed": "2017"},
        {"id": "r3", "parties": ["new", "x"], "signed": "2020"},
        {"id": "r4", "parties": ["old", "mid"], "signed": "2016"},  # between two names of one lineage
    ])
    ds.organizations["old"] = Organization(id="old", name="Old Name", kind="agency", country="GB")
    ds.organizations["mid"] = Organization(id="mid", name="Mid Name", kind="agency", country="GB",
                                           predecessor="old", renamed="2016")
    ds.organizations["new"] = Organization(id="new", name="New Name", kind="agency", country="GB",
                                           predecessor="mid", renamed="2019-04")
    return ds


def test_a_chain_of_renames_is_one_node_under_the_current_name():
    g = organization_graph(renamed_dataset())
    assert sorted(g) == ["new", "x", "y"]
    assert g.nodes["new"]["name"] == "New Name"
    assert g.nodes["new"]["former_names"] == "formerly Old Name (until 2016); Mid Name (until 2019-04)"
    assert g.graph["merged"] == {"old": "new", "mid": "new"} and g.graph["lineage"] is True
    # x: r1 (with old) and r3 (with new) are two agreements with one organisation.
    assert g.edges["new", "x"]["agreements"] == ["r1", "r3"] and g.edges["new", "x"]["weight"] == 2
    assert g.edges["new", "y"]["agreements"] == ["r2"]
    assert not any(u == v for u, v in g.edges)  # r4 ties the lineage to itself: no loop


def test_no_lineage_keeps_the_identities_apart():
    g = organization_graph(renamed_dataset(), lineage=False)
    assert sorted(g) == ["mid", "new", "old", "x", "y"]
    assert g.edges["old", "mid"]["agreements"] == ["r4"]
    assert g.nodes["old"]["lineage"] == "new" and g.nodes["old"]["former_names"] == ""
    assert g.graph["merged"] == {}


def test_bipartite_graph_follows_lineages():
    b = bipartite_graph(renamed_dataset())
    assert sorted(b["r1"]) == ["new", "x"] and sorted(b["r4"]) == ["new"]
    assert "old" not in b
    assert sorted(bipartite_graph(renamed_dataset(), lineage=False)["r4"]) == ["mid", "old"]


def test_sample_rename_joins_the_catapult_to_the_network(sample_dataset):
    """Issue 17: cgt-catapult sat on an island with FIRM and JSRM; the 2015 Kanagawa MoU of its former
    name ties it to Kanagawa, and through Kanagawa to LINK-J."""
    import networkx as nx

    split = organization_graph(sample_dataset, lineage=False, isolates=False)
    assert not nx.has_path(split, "cgt-catapult", "link-j")
    joined = organization_graph(sample_dataset, isolates=False)
    assert nx.shortest_path(joined, "cgt-catapult", "link-j") == ["cgt-catapult", "kanagawa-prefecture", "link-j"]


# -- open-ended agreements (issue 17, section 7) ------------------------------------------------


def test_open_ended_rules_choose_and_count():
    from clusterkg.graph.network import snapshot

    ds = make_dataset(ORGS, [
        {"id": "open", "parties": ["a", "b"], "signed": "2015-11"},        # no end, no term
        {"id": "term", "parties": ["a", "c"], "signed": "2018-01-01", "term": "P3Y"},
        {"id": "ended", "parties": ["c", "d"], "signed": "2016", "end": "2030-06-30"},
    ])
    ids = lambda **kw: [a.id for a in select_agreements(ds, as_of="2022-06-30", **kw)]  # noqa: E731
    assert ids() == ["ended", "open"]                     # the term of "term" ran out on 2020-12-31
    assert ids(open_ended="exclude") == ["ended"]
    # 2015-11 + P5Y, from the latest reading of the date (30 Nov 2015): in force to 2020-11-29.
    assert ids(open_ended="assume:P5Y") == ["ended"]
    assert ids(open_ended="assume:P10Y") == ["ended", "open"]
    facts = snapshot(ds, as_of="2022-06-30")
    assert (facts["in_force"], facts["open_ended_counted"], facts["open_ended_left_out"]) == (2, 1, 0)
    facts = snapshot(ds, as_of="2022-06-30", open_ended="exclude")
    assert (facts["in_force"], facts["open_ended_counted"], facts["open_ended_left_out"]) == (1, 0, 1)
    g = organization_graph(ds, as_of="2022-06-30", open_ended="assume:P5Y")
    assert g.graph["snapshot"]["open_ended_left_out"] == 1 and not g.has_edge("a", "b")
    assert "snapshot" not in organization_graph(ds).graph  # no date, no snapshot
    with pytest.raises(ClusterKGError, match="open_ended"):
        organization_graph(ds, as_of="2022", open_ended="assume:five years")


def test_sample_catapult_mou_in_force_in_2030_only_by_the_open_ended_rule(sample_dataset):
    """Issue 17: the 2015 Catapult MoU has no end and no term, so it was "in force" in 2030, silently."""
    from clusterkg.graph.network import describe_snapshot

    g = organization_graph(sample_dataset, as_of="2030")
    assert g.has_edge("cgt-catapult", "kanagawa-prefecture")
    text = describe_snapshot(g.graph["snapshot"])
    assert text.startswith("as of 2030-12-31: 18 agreements in force, 18 of them open-ended")
    assert not organization_graph(sample_dataset, as_of="2030", open_ended="assume:P5Y").has_edge(
        "cgt-catapult", "kanagawa-prefecture")
