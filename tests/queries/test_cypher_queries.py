"""Every query of queries/*.cypher, run on the embedded FalkorDB over the sample dataset.

Expected results are worked out by hand from the seed news items
(../shared/seeds/) as data/ records them: seed 002 lists LINK-J's fourteen MoU
partners (UC San Diego and Biocom share one entry, May 2016; Kanagawa is the
fourteenth, 18 September, for five years), seed 000 the Cell Therapy Catapult's
November 2015 MoU with Kanagawa, seed 003 the UK-Japan ties named at BioJapan
2017, seed 004 the FBRI-Life Science Nord letter of intent under JETRO's RIT,
carried on to 2017.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import re

import pytest
from clusterkg.graph.cypher.load import load
from clusterkg.graph.queries import QUERIES_DIR, library, run_query
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.problems import ClusterKGError

ROOT = pathlib.Path(__file__).resolve().parents[2]

LINK_J_PARTNERS = {  # seed 002, in the order of its list, then Kanagawa
    "ucsd", "biocom", "eurobiomed", "kyoto-research-park", "one-nucleus", "fbri", "keio-iab", "medcity",
    "city-of-kawasaki", "ucla", "yokohama-city", "oxford-university-innovation", "osaka-prefecture",
    "kanagawa-prefecture",
}


@pytest.fixture(scope="module")
def sample_ds():
    ds = load_dataset([ROOT / "tests" / "fixtures" / "sample"])
    assert ds.valid, ds.problems[:3]
    return ds


@pytest.fixture(scope="module")
def graph(falkordb_server, sample_ds):
    graph = falkordb_server.graph("queries-sample")
    graph.delete()
    load(graph, sample_ds)
    yield graph
    graph.delete()


def q(graph, name, **params):
    return run_query(graph, name, params)


def test_every_query_in_the_library_is_tested_here():
    tested = {name[len("test_"):] for name in globals() if name.startswith("test_")}
    assert set(library()) <= tested, set(library()) - tested


def test_partners(graph):
    rows = q(graph, "partners", org="link-j")
    assert len(rows) == 14 and {r["partner"] for r in rows} == LINK_J_PARTNERS  # one row per partner
    assert rows[0] == {"partner": "kanagawa-prefecture", "name": "Kanagawa Prefecture", "country": "JP",
                       "agreements": 1, "first": "2020-09-18", "last": "2020-09-18"}
    # UCSD and Biocom: one entry of the list, May 2016 (month precision kept), the oldest.
    assert {(r["partner"], r["last"]) for r in rows[-2:]} == {("ucsd", "2016-05"), ("biocom", "2016-05")}
    kanagawa = q(graph, "partners", org="kanagawa-prefecture")
    assert [(r["partner"], r["last"]) for r in kanagawa] == [("link-j", "2020-09-18"), ("cell-therapy-catapult", "2015-11")]
    assert q(graph, "partners", org="no-such-org") == []


def test_agreements_between_countries(graph):
    rows = q(graph, "agreements_between_countries", country_a="jp", country_b="GB")
    # Every GB agreement of the sample has a Japanese party: the 2015 and 2017 Catapult MoUs (seeds
    # 000, 001), JSRM, LINK-J with One Nucleus, MedCity and OUI (002), the four ties of seed 003.
    assert [r["agreement"] for r in rows] == [
        "mou-cell-therapy-catapult-kanagawa-2015", "moc-mrc-amed-2017", "collaboration-takeda-gammadelta-2017",
        "funding-wellcome-ghit-fund-2017", "mou-cgt-catapult-firm-2017", "mou-link-j-one-nucleus-2017",
        "mou-link-j-medcity-2018", "mou-link-j-oxford-university-innovation-2020",
        "collaboration-eisai-ucl", "mou-cgt-catapult-jsrm",  # undated, last
    ]
    assert rows[0]["parties"] == ["cell-therapy-catapult", "kanagawa-prefecture"]
    assert [r["agreement"] for r in q(graph, "agreements_between_countries", country_a="DE", country_b="JP")] == [
        "loi-fbri-life-science-nord-2016"]
    # The same country twice: LINK-J's seven Japanese partners.
    domestic = q(graph, "agreements_between_countries", country_a="JP", country_b="JP")
    assert len(domestic) == 7 and all("link-j" in r["parties"] for r in domestic)


def test_shortest_chain(graph):
    rows = q(graph, "shortest_chain", org="cell-therapy-catapult", other="medcity")
    # The Catapult's one partner is Kanagawa (seed 000), whose other is LINK-J (002), a partner of MedCity.
    assert rows == [{
        "chain": ["cell-therapy-catapult", "mou-cell-therapy-catapult-kanagawa-2015", "kanagawa-prefecture",
                  "mou-link-j-kanagawa-2020", "link-j", "mou-link-j-medcity-2018", "medcity"],
        "names": ["Cell Therapy Catapult", "Memorandum of understanding on regenerative medicine and cell therapy",
                  "Kanagawa Prefecture", "MOU on mutual cooperation in the life sciences",
                  "Life Science Innovation Network Japan", "mou-link-j-medcity-2018", "MedCity"],
        "agreements": 3, "within": 3,  # the hop limit, stated
    }]
    assert q(graph, "shortest_chain", org="link-j", other="ucla")[0]["agreements"] == 1
    # The renamed Catapult's partners (FIRM, JSRM) have no other partner: no chain to LINK-J.
    assert q(graph, "shortest_chain", org="cgt-catapult", other="link-j") == []


def test_brokers_between_countries(graph):
    rows = q(graph, "brokers_between_countries", country_a="JP", country_b="GB")
    # LINK-J: 7 Japanese partners, 3 British (One Nucleus, MedCity, OUI); Kanagawa: LINK-J and the Catapult.
    assert [(r["organization"], r["partners_a"], r["partners_b"]) for r in rows] == [
        ("link-j", 7, 3), ("kanagawa-prefecture", 1, 1)]
    assert [r["organization"] for r in q(graph, "brokers_between_countries", country_a="US", country_b="FR")] == ["link-j"]


def test_timeline(graph):
    rows = q(graph, "timeline", org="kanagawa-prefecture")
    assert [(r["date"], r["agreement"], r["expires"], r["partners"]) for r in rows] == [
        ("2015-11", "mou-cell-therapy-catapult-kanagawa-2015", None, ["cell-therapy-catapult"]),
        ("2020-09-18", "mou-link-j-kanagawa-2020", "2025-09-17", ["link-j"]),  # five years, less a day
    ]
    cgt = q(graph, "timeline", org="cgt-catapult")
    assert [r["agreement"] for r in cgt] == ["mou-cgt-catapult-firm-2017", "mou-cgt-catapult-jsrm"]  # undated last


def test_agreements_in_period(graph):
    rows = q(graph, "agreements_in_period", since="2017", until="2017-06")
    assert [(r["agreement"], r["date"]) for r in rows] == [
        ("moc-mrc-amed-2017", "2017-02-01"), ("collaboration-takeda-gammadelta-2017", "2017-05-09"),
        ("funding-wellcome-ghit-fund-2017", "2017-06"), ("mou-link-j-eurobiomed-2017", "2017-06"),
    ]
    # The year 2017 has seven (data/README.md's count by year, and summary.json).
    assert len(q(graph, "agreements_in_period", since="2017", until="2017")) == 7
    # "June 2017" overlaps 15-30 June: it counts; 1-14 May does not.
    mid_june = q(graph, "agreements_in_period", since="2017-06-15", until=dt.date(2017, 6, 30))
    assert {r["agreement"] for r in mid_june} == {"funding-wellcome-ghit-fund-2017", "mou-link-j-eurobiomed-2017"}
    assert q(graph, "agreements_in_period", since="2017-05-10", until="2017-05-31") == []


def test_expiring_soon(graph):
    rows = q(graph, "expiring_soon", today="2025-09-01", until="2025-09-30")
    assert rows == [{"agreement": "mou-link-j-kanagawa-2020", "type": "mou", "date": "2020-09-18",
                     "expires": "2025-09-17", "parties": ["kanagawa-prefecture", "link-j"], "total": 1}]
    # The letter of intent runs to 2017 (year precision: to 31 December).
    assert [r["agreement"] for r in q(graph, "expiring_soon", today="2017-12-01", until="2017-12-31")] == [
        "loi-fbri-life-science-nord-2016"]
    assert [r["agreement"] for r in q(graph, "expiring_soon", today="2017-12", until="2017-12")] == [
        "loi-fbri-life-science-nord-2016"]  # a month: from its first day to its last
    assert q(graph, "expiring_soon", today="2017-12-01", until="2017-12-30") == []
    assert q(graph, "expiring_soon", today="2025-09-18", until="2026-09-18") == []


def test_common_partners(graph):
    rows = q(graph, "common_partners", org="cell-therapy-catapult", other="link-j")
    assert rows == [{"partner": "kanagawa-prefecture", "name": "Kanagawa Prefecture", "country": "JP",
                     "with_org": 1, "with_other": 1}]
    assert q(graph, "common_partners", org="medcity", other="one-nucleus") == [
        {"partner": "link-j", "name": "Life Science Innovation Network Japan", "country": "JP",
         "with_org": 1, "with_other": 1}]


def test_inactive_since(graph, sample_ds):
    rows = q(graph, "inactive_since", since="2020")
    by_id = {r["organization"]: r for r in rows}
    # Active in 2020: LINK-J and its three 2020 partners (OUI in July, Osaka in September, Kanagawa).
    active = {"link-j", "oxford-university-innovation", "osaka-prefecture", "kanagawa-prefecture"}
    assert set(by_id) == set(sample_ds.organizations) - active and len(rows) == 44 - 4
    assert by_id["cgt-catapult"]["last"] == "2017-10-03" and by_id["cgt-catapult"]["agreements"] == 2
    assert by_id["cgt-catapult"]["status"] == "stopped"
    assert by_id["jsrm"]["last"] is None and by_id["jsrm"]["agreements"] == 1  # undated only
    assert by_id["jsrm"]["status"] == "undated"
    assert by_id["beis"]["agreements"] == 0 and by_id["beis"]["status"] == "never"
    # September 2020 could be on or after the 18th: Osaka counts as possibly active.
    assert "osaka-prefecture" not in {r["organization"] for r in q(graph, "inactive_since", since="2020-09-18")}
    assert "osaka-prefecture" in {r["organization"] for r in q(graph, "inactive_since", since="2020-10")}


def test_agreements_by_programme(graph):
    assert q(graph, "agreements_by_programme", programme="jetro-rit") == [{
        "agreement": "loi-fbri-life-science-nord-2016", "type": "loi", "date": "2016-05",
        "title": "Letter of intent to extend cooperation under JETRO's Regional Industry Tie-Up",
        "parties": ["fbri", "life-science-nord"],
    }]


def test_most_connected(graph):
    rows = q(graph, "most_connected", country="jp", limit=3)
    assert [(r["organization"], r["partners"], r["agreements"]) for r in rows] == [
        ("link-j", 14, 14), ("fbri", 2, 2), ("kanagawa-prefecture", 2, 2)]
    assert len(q(graph, "most_connected", country="JP")) == 10  # the default limit
    gb = q(graph, "most_connected", country="GB", limit=1)
    assert [(r["organization"], r["partners"]) for r in gb] == [("cgt-catapult", 2)]  # FIRM and JSRM


def test_find_organization(graph):
    assert [r["organization"] for r in q(graph, "find_organization", text="KANAGAWA")] == [
        "kanagawa-prefecture", "kanagawa-university-of-human-services"]
    assert [r["organization"] for r in q(graph, "find_organization", text="神奈川")] == ["kanagawa-prefecture"]
    assert [r["organization"] for r in q(graph, "find_organization", text="GemmaDelta")] == ["gammadelta-therapeutics"]


# -- the runner ----------------------------------------------------------------


@pytest.mark.parametrize(("params", "message"), [
    ({}, "query partners: missing org; it takes: org (organization)"),
    ({"org": "link-j", "limit": 3}, "query partners: unknown parameter limit; it takes: org (organization)"),
    ({"org": 14}, "query partners: parameter org (organization): expected text, got 14 (int)"),
])
def test_the_runner_refuses_bad_parameters(graph, params, message):
    with pytest.raises(ClusterKGError, match="^" + re.escape(message) + "$"):
        q(graph, "partners", **params)


@pytest.mark.parametrize(("name", "params", "message"), [
    ("most_connected", {"country": "JP", "limit": "3"}, "expected an integer, got '3' (str)"),
    ("most_connected", {"country": "JP", "limit": True}, "expected an integer, got True (bool)"),
    ("most_connected", {"country": "Narnia"}, "'Narnia' is not an ISO 3166-1 alpha-2 country code"),
    ("inactive_since", {"since": "2017-13"}, "month 13 out of range"),
    ("inactive_since", {"since": dt.datetime(2017, 1, 1, 12)}, "got a date and time"),
    ("inactive_since", {"since": 2017}, "got 2017 (int)"),
])
def test_the_runner_refuses_wrong_types(graph, name, params, message):
    with pytest.raises(ClusterKGError, match=re.escape(message)):
        q(graph, name, **params)


def test_unknown_query_names_the_known_ones():
    with pytest.raises(ClusterKGError, match=r"no Cypher query named 'parnters'; did you mean partners or common_partners\? known: agreements_between"):
        library()["partners"]  # the library loads
        from clusterkg.graph.queries import get_query

        get_query("parnters")


def test_every_file_declares_what_it_uses():
    for path in sorted(QUERIES_DIR.glob("*.cypher")):
        query = next(q for q in library().values() if q.path == path)
        assert query.doc and query.summary, path
