"""Lineages: chains of renames, worked out by hand for each case."""

from clusterkg.model.lineage import current_ids, find_lineages
from clusterkg.model.records import Organization


def org(id_, name, predecessor=None, renamed=None):
    return Organization(id=id_, name=name, kind="agency", country="GB", predecessor=predecessor, renamed=renamed)


def test_a_chain_of_two_renames_is_one_lineage_under_the_last_name():
    orgs = {o.id: o for o in [org("a", "A"), org("b", "B", "a", "2010"), org("c", "C", "b", "2016-04")]}
    lineages = find_lineages(orgs)
    assert {lineages[i].current for i in "abc"} == {"c"}
    assert lineages["a"].members == ("a", "b", "c")
    assert lineages["c"].former_names() == "formerly A (until 2010); B (until 2016-04)"


def test_an_organisation_never_renamed_is_its_own_lineage():
    lineages = find_lineages({"x": org("x", "X")})
    assert lineages["x"].members == ("x",) and not lineages["x"].renamed and lineages["x"].former_names() == ""


def test_a_predecessor_outside_the_data_is_left_out():
    assert current_ids({"b": org("b", "B", "gone", "2010")}) == {"b": "b"}


def test_a_cycle_of_predecessors_does_not_loop():
    orgs = {"a": org("a", "A", "b", "2010"), "b": org("b", "B", "a", "2012")}
    ids = current_ids(orgs)
    assert set(ids) == {"a", "b"} and ids["a"] == ids["b"]
