"""Values as spreadsheets and press releases write them (issue 17, section 8): dates in words and
with slashes, country names, closed-list words in any case. Each was refused before."""

from __future__ import annotations

import pytest
from clusterkg.model.countries import country_code
from clusterkg.model.dates import PartialDate, day_order
from clusterkg.model.records import Agreement, Event, Organization


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("June 2017", "2017-06", "month"),
        ("Jun 2017", "2017-06", "month"),
        ("jun. 2017", "2017-06", "month"),
        ("Sept 2019", "2019-09", "month"),
        ("2017/06", "2017-06", "month"),
        ("06/2017", "2017-06", "month"),
        ("2017年6月", "2017-06", "month"),
        ("15 Nov 2019", "2019-11-15", "day"),
        ("15 November 2019", "2019-11-15", "day"),
        ("15th of November, 2019", "2019-11-15", "day"),
        ("15-Nov-2019", "2019-11-15", "day"),
        ("November 15, 2019", "2019-11-15", "day"),
        ("Nov. 15, 2019", "2019-11-15", "day"),
        ("2019/11/15", "2019-11-15", "day"),
        ("2019-11-15 00:00:00", "2019-11-15", "day"),
        ("15/11/2019", "2019-11-15", "day"),  # 15 cannot be a month
        ("11/15/2019", "2019-11-15", "day"),  # nor here
        ("5.5.2019", "2019-05-05", "day"),  # either way the same day
    ],
)
def test_written_dates_keep_their_precision(text, iso, precision):
    date = PartialDate.parse(text)
    assert (date.isoformat(), date.precision) == (iso, precision)


def test_a_month_in_words_is_not_its_first_day():
    june = PartialDate.parse("June 2017")
    assert june != PartialDate.parse("2017-06-01")
    assert (june.earliest().isoformat(), june.latest().isoformat()) == ("2017-06-01", "2017-06-30")


def test_an_ambiguous_numeric_date_is_refused_with_both_readings():
    with pytest.raises(ValueError) as caught:
        PartialDate.parse("3/4/2019")
    message = str(caught.value)
    assert "'3/4/2019' could be 3 April or 4 March 2019" in message
    assert "2019-04-03" in message and "--dayfirst" in message


def test_an_ambiguous_numeric_date_is_read_as_told():
    with day_order(True):
        assert PartialDate.parse("3/4/2019").isoformat() == "2019-04-03"
    with day_order(False):
        assert PartialDate.parse("3/4/2019").isoformat() == "2019-03-04"
    with pytest.raises(ValueError):  # the order is undone after the block (and not cached)
        PartialDate.parse("3/4/2019")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Juin 2017", "'Juin' in 'Juin 2017' is not a month"),
        ("3/4/19", "two-digit year"),
        ("Jun 17", "two-digit year"),
        ("13/14/2019", "neither 13 nor 14 can be a month"),
        ("31 Feb 2019", "no such day"),
        ("June", "expected a date like"),
        ("Q2 2017", "expected a date like"),
    ],
)
def test_what_is_not_a_date_says_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        PartialDate.parse(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [("JP", "JP"), ("jp", "JP"), ("Japan", "JP"), ("japan", "JP"), ("United Kingdom", "GB"), ("USA", "US"),
     ("United States", "US"), ("South Korea", "KR"), ("GBR", "GB"), ("the Netherlands", "NL"), ("Russia", "RU")],
)
def test_countries_by_code_or_name(text, code):
    assert country_code(text) == (code, None)


def test_uk_is_gb_with_a_note():
    code, note = country_code("UK")
    assert code == "GB" and "GB" in note and "United Kingdom" in note


def test_korea_alone_is_ambiguous():
    with pytest.raises(ValueError, match=r"'Korea' could be South Korea \(KR\) or North Korea \(KP\)"):
        country_code("Korea")


def test_not_a_country():
    with pytest.raises(ValueError, match="'Narnia' is not an ISO 3166-1 alpha-2 country code"):
        country_code("Narnia")


def test_records_take_names_and_any_case():
    org = Organization(id="a", name="A", kind="Cluster", country="United Kingdom")
    assert (org.kind, org.country) == ("cluster", "GB")
    assert Organization(id="b", name="B", kind="Research Institute", country="jp").kind == "research-institute"
    assert Event(id="e", name="E", kind="Trade Mission").kind == "trade-mission"
    agreement = Agreement(type="MoU", parties=["a", "b"], status="Active", signed="Nov. 15, 2019",
                          sources=[{"title": "t", "published": "June 2017"}])
    assert (agreement.type, agreement.status, str(agreement.signed)) == ("mou", "active", "2019-11-15")
    assert agreement.sources[0].published.precision == "month"
