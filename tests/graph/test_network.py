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
    assert g.nodes["a"] == {"name": "A", "kind": "cluster", "country": "JP", "region": None}
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
    assert set(g) == set(sample_dataset.organizations)
    assert all(d["weight"] >= 1 for *_, d in g.edges(data=True))
