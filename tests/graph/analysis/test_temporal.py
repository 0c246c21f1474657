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
    assert (diff.attrs["before"], diff.attrs["after"]) == ("2015-12-31", "2018-12-31")
    # m1 and m2 have no end and no term; m3 ended in 2017; m4 too is open-ended.
    assert [f["open_ended_counted"] for f in diff.attrs["snapshots"]] == [1, 3]
    assert diff["status"].to_dict() == {"a": "stayed", "b": "stayed", "c": "entered", "d": "entered"}
    # 2018: a is the centre of a star b, c, d: betweenness 1; it brokers three open pairs.
    row = diff.loc["a"]
    assert (row["degree_before"], row["degree_after"], row["betweenness_change"]) == (1, 3, 1)
    assert row["brokerage_after"] == 3 and row["boundary_spanner_after"] == 2  # b-c, b-d: JP with foreign
    assert diff.index[0] == "a"
    left = compare(ds, "2016-12-31", "2017-12-31")
    assert left.loc["d", "status"] == "left" and left.loc["d", "degree_after"] == 0


def test_yearly_counts_open_ended_agreements_and_can_assume_a_term(ds):
    table = yearly(ds)
    # m3 has an end; m1, m2, m4 none: in force 2015: m1; 2016: m1, m2 (+ m3); 2017: m1, m2; 2018: + m4.
    assert table["open_ended"].tolist() == [1, 2, 2, 3]
    assumed = yearly(ds, open_ended="assume:P2Y")
    # m1 (2015-03-02 + P2Y) ends 2017-03-01; m2 (2016-06, latest 2016-06-30) ends 2018-06-29.
    assert assumed["open_ended"].tolist() == [1, 2, 1, 1]
    assert assumed["open_ended_left_out"].tolist() == [0, 0, 1, 2]
    assert assumed["ties"].tolist() == [1, 3, 1, 1]
    excluded = yearly(ds, open_ended="exclude")
    assert excluded["ties"].tolist() == [0, 1, 0, 0] and excluded["open_ended"].tolist() == [0, 0, 0, 0]


# -- the rename in the sample data (data/organizations.yaml: Cell Therapy Catapult -> CGT Catapult, 2016) --


def test_compare_reports_the_rename_as_a_rename(sample_dataset):
    """Issue 17: `timeline --compare` said the Catapult "stayed" (one id) and "entered" (the other)."""
    diff = compare(sample_dataset, "2015", "2020")
    assert "cell-therapy-catapult" not in diff.index
    assert diff.loc["cgt-catapult", "status"] == "renamed"
    assert diff.loc["cgt-catapult", "renamed"] == ("Cell Therapy Catapult (cell-therapy-catapult) renamed "
                                                   "Cell and Gene Therapy Catapult (cgt-catapult) in 2016")
    assert (diff.drop(index="cgt-catapult")["renamed"] == "").all()
    # 2015: the Kanagawa MoU only; 2020: + FIRM (2017), and the undated JSRM MoU is in no snapshot.
    assert (diff.loc["cgt-catapult", "degree_before"], diff.loc["cgt-catapult", "degree_after"]) == (1, 2)
    # The rename ("2016") had surely happened by the end of 2016: no rename between 2016 and 2020.
    assert compare(sample_dataset, "2016", "2020").loc["cgt-catapult", "status"] == "stayed"
    split = compare(sample_dataset, "2015", "2020", lineage=False)
    assert split.loc[["cell-therapy-catapult", "cgt-catapult"], "status"].tolist() == ["renamed", "renamed"]


def test_partners_by_year_follows_the_lineage(sample_dataset):
    whole = partners_by_year(sample_dataset, "cgt-catapult", years=[2015, 2017])
    # The 2015 Kanagawa MoU was signed under the old name: today's organisation had that partner then.
    assert whole.loc[2015, "partners"] == 1 and whole.loc[2017, "partners"] == 2
    assert partners_by_year(sample_dataset, "cell-therapy-catapult", years=[2015, 2017]).equals(whole)
    assert partners_by_year(sample_dataset, "cgt-catapult", years=[2015], lineage=False).loc[2015, "partners"] == 0
