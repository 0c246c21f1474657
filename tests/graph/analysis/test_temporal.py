"""Change over time. Every expected number is worked out by hand from the records below."""

from __future__ import annotations

import pytest
from clusterkg.graph.analysis.temporal import (
    compare,
    new_ties,
    partners_by_year,
    yearly,
)
from clusterkg.model.problems import ClusterKGError

from ..conftest import make_dataset

ORGS = [("a", "JP", "cluster"), ("b", "JP", "government"), ("c", "GB", "cluster"), ("d", "US", "company")]


@pytest.fixture
def ds():
    return make_dataset(ORGS, [
        {"id": "m1", "parties": ["a", "b"], "signed": "2015-03-02"},
        {"id": "m2", "parties": ["a", "c"], "signed": "2016-06"},
        {"id": "m3", "parties": ["c", "d"], "signed": "2016-01-10", "end": "2017-06-30"},
        {"id": "m4", "parties": ["a", "d"], "signed": "2018"},
    ])


def test_yearly_snapshots(ds):
    table = yearly(ds)
    assert table.index.tolist() == [2015, 2016, 2017, 2018]
    # 2015: a-b. 2016: + a-c, c-d. 2017: c-d ended. 2018: + a-d.
    assert table["ties"].tolist() == [1, 3, 2, 3]
    assert table["new_ties"].tolist() == [1, 2, 0, 1]
    assert table["lost_ties"].tolist() == [0, 0, 1, 0]
    assert table["signed"].tolist() == [1, 2, 0, 1]
    assert table["in_force"].tolist() == [1, 3, 2, 3]
    # 2016: a-c and c-d cross borders, a-b does not.
    assert table.loc[2016, "cross_group_ties"] == pytest.approx(2 / 3)
    assert table.loc[2017, "components"] == 1 and table.loc[2017, "organizations"] == 3


def test_new_ties_in_order(ds):
    table = new_ties(ds)
    assert table[["first", "source", "target"]].values.tolist() == [
        ["2015-03-02", "a", "b"], ["2016-01-10", "c", "d"], ["2016-06", "a", "c"], ["2018", "a", "d"]]


def test_partners_by_year(ds):
    table = partners_by_year(ds, "a")
    assert table["partners"].tolist() == [1, 2, 2, 3]
    assert table.loc[2016, "new"] == ["c"] and table.loc[2018, "countries"] == 3
    with pytest.raises(ClusterKGError):
        partners_by_year(ds, "zzz")


def test_compare_two_dates(ds):
    diff = compare(ds, "2015-12-31", "2018-12-31")
    assert diff.attrs == {"before": "2015-12-31", "after": "2018-12-31"}
    assert diff["status"].to_dict() == {"a": "stayed", "b": "stayed", "c": "entered", "d": "entered"}
    # 2018: a is the centre of a star b, c, d: betweenness 1; it brokers three open pairs.
    row = diff.loc["a"]
    assert (row["degree_before"], row["degree_after"], row["betweenness_change"]) == (1, 3, 1)
    assert row["brokerage_after"] == 3 and row["boundary_spanner_after"] == 2  # b-c, b-d: JP with foreign
    assert diff.index[0] == "a"
    left = compare(ds, "2016-12-31", "2017-12-31")
    assert left.loc["d", "status"] == "left" and left.loc["d", "degree_after"] == 0
