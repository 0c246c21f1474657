import datetime as dt

import pytest
from clusterkg.model.dates import PartialDate, check_duration
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        # by hand: the interval each precision covers
        ("2017", "year", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        ("2017-06", "month", dt.date(2017, 6, 1), dt.date(2017, 6, 30)),
        ("2016-02", "month", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ("2017-12", "month", dt.date(2017, 12, 1), dt.date(2017, 12, 31)),
        ("2020-09-18", "day", dt.date(2020, 9, 18), dt.date(2020, 9, 18)),
    ],
)
def test_precision_is_kept(text, precision, earliest, latest):
    d = PartialDate.parse(text)
    assert d.precision == precision
    assert str(d) == text
    assert (d.earliest(), d.latest()) == (earliest, latest)


def test_yaml_values_parse():
    assert PartialDate.parse(dt.date(2015, 12, 2)).precision == "day"
    assert PartialDate.parse(dt.datetime(2015, 12, 2, 10, 30)) == PartialDate(2015, 12, 2)
    assert PartialDate.parse(2017) == PartialDate(2017)


@pytest.mark.parametrize("bad", ["2017-13", "2017-02-30", "Juin 2017", "17", "2017/13", "", True, 3.5, None])
def test_bad_dates_are_refused_with_the_value(bad):
    with pytest.raises(ValueError, match="2017|date|month|day"):
        PartialDate.parse(bad)


def test_surely_before_respects_precision():
    month = PartialDate.parse("2017-06")
    assert not PartialDate.parse("2017").surely_before(month)  # the year contains June
    assert PartialDate.parse("2017-05-31").surely_before(month)
    assert not PartialDate.parse("2017-06-01").surely_before(month)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9998, 12, 31)), st.sampled_from(["year", "month", "day"]))
def test_text_round_trip(day, precision):
    d = PartialDate(day.year, day.month if precision != "year" else None, day.day if precision == "day" else None)
    again = PartialDate.parse(d.isoformat())
    assert again == d and again.precision == precision
    assert d.earliest() <= day <= d.latest()


@pytest.mark.parametrize(("text", "expected"), [("P5Y", "P5Y"), ("p18m", "P18M"), ("P1Y6M", "P1Y6M"), ("PT36H", "PT36H")])
def test_durations(text, expected):
    assert check_duration(text) == expected


@pytest.mark.parametrize("bad", ["P", "5Y", "P5X", "PT", "five years"])
def test_bad_durations(bad):
    with pytest.raises(ValueError, match="ISO 8601"):
        check_duration(bad)
