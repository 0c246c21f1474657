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


def test_renames_between_two_days_follow_the_precision_of_the_rename():
    import datetime as dt

    orgs = {o.id: o for o in [org("a", "A"), org("b", "B", "a", "2016"), org("c", "C", "b", "2019-04-02")]}
    lineage = find_lineages(orgs)["c"]
    names = lambda before, after: [f.name for f in lineage.renamed_between(before, after)]  # noqa: E731
    assert names(dt.date(2015, 12, 31), dt.date(2020, 12, 31)) == ["A", "B"]
    assert names(dt.date(2016, 12, 31), dt.date(2020, 12, 31)) == ["B"]     # "2016" had surely happened
    assert names(dt.date(2016, 6, 30), dt.date(2019, 4, 1)) == ["A"]          # 2016 may be after June
    assert names(dt.date(2019, 4, 2), dt.date(2025, 1, 1)) == []


def test_an_agreement_after_a_rename_that_names_the_old_id_is_found():
    from clusterkg.model.lineage import renamed_parties
    from clusterkg.model.records import Agreement

    orgs = {o.id: o for o in [org("a", "A"), org("b", "B", "a", "2016"), org("x", "X")]}

    def agreement(id_, parties, signed):
        return Agreement(id=id_, type="mou", parties=parties, signed=signed, sources=[{"title": "t"}])

    found = renamed_parties(orgs, [
        agreement("before", ["a", "x"], "2015-11"),   # signed under the old name: right
        agreement("same-year", ["a", "x"], "2016-05"),  # "2016" may be after May: not surely late
        agreement("late", ["x", "a"], "2017"),
        agreement("new-name", ["b", "x"], "2019"),
    ])
    assert [(key, path) for key, path, _ in found] == [("late", "parties[1]")]
    assert "'a' (A) was renamed B (b) in 2016, before this agreement's date 2017" in found[0][2]
