"""The SPARQL library: every query runs on the sample data, on rdflib and on Oxigraph, with the
same, asserted results; parameters are data, never query text.

Expected rows come from reading data/agreements.yaml by hand (LINK-J's 14 MoU partners, the
2017 agreements, the FBRI - Life Science Nord letter of intent ending in 2017 ...).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from clusterkg.graph import rdf
from clusterkg.graph.rdf import sparql
from clusterkg.graph.rdf.store import oxigraph_store
from clusterkg.model.problems import ClusterKGError

from clusterkg.cli import main

INJECTION = '"} ; DROP ALL ; #'


@pytest.fixture(scope="module")
def engines(sample_dataset):
    return {"rdflib": rdf.to_graph(sample_dataset), "oxigraph": oxigraph_store(rdf.nt_bytes(sample_dataset))}


def run_both(engines, name, **values):
    # shortest_chain's UNION of three path lengths takes rdflib minutes (it evaluates each branch on
    # its own); it runs on Oxigraph only, and tests/queries/test_twins.py holds it to the Cypher one.
    names = ("oxigraph",) if name == "shortest_chain" else tuple(engines)
    results = {engine: sparql.run(name, engines[engine], values) for engine in names}
    results.setdefault("rdflib", results["oxigraph"])
    assert results["rdflib"].columns == results["oxigraph"].columns
    assert results["rdflib"].rows == results["oxigraph"].rows, name
    return results["rdflib"].rows


def column(rows, name):
    return [row[name] for row in rows]


def test_every_query_has_a_header_and_a_test():
    queries = sparql.library()
    assert set(queries) == {
        "partners", "agreements_between_countries", "timeline", "agreements_in_period", "expiring_soon",
        "common_partners", "brokers_between_countries", "inactive_since", "find_organization",
        "agreements_by_programme", "most_connected", "shortest_chain",
    }
    for query in queries.values():
        assert query.doc and query.params, query.name
        assert f"test_{query.name}" in globals(), f"no test for {query.name}"


def test_partners(engines):
    rows = run_both(engines, "partners", org="link-j")
    assert len(rows) == 14  # LINK-J and its 14 MoU partners (data/README.md)
    medcity = next(r for r in rows if r["partner"] == "medcity")
    assert medcity == {"partner": "medcity", "name": "MedCity", "country": "GB", "agreements": 1,
                       "first": "2018-06", "last": "2018-06"}


def test_agreements_between_countries(engines):
    rows = run_both(engines, "agreements_between_countries", country_a="JP", country_b="GB")
    assert len(rows) == 10
    assert {"agreement": "mou-link-j-medcity-2018", "type": "mou", "date": "2018-06", "title": None,
            "parties": ["link-j", "medcity"], "total": 10} in rows
    # GB-JP is the same set as JP-GB
    assert column(run_both(engines, "agreements_between_countries", country_a="GB", country_b="JP"), "agreement") \
        == column(rows, "agreement")


def test_timeline(engines):
    rows = run_both(engines, "timeline", org="kanagawa-prefecture")
    assert [(r["agreement"], r["date"], r["partners"]) for r in rows] == [
        ("mou-cell-therapy-catapult-kanagawa-2015", "2015-11", ["cell-therapy-catapult"]),
        ("mou-link-j-kanagawa-2020", "2020-09-18", ["link-j"]),
    ]
    assert rows[1]["expires"] == "2025-09-17"  # signed 2020-09-18, term P5Y


def test_agreements_in_period(engines):
    rows = run_both(engines, "agreements_in_period", since="2017", until="2017")
    assert len(rows) == 7
    assert column(rows, "date") == sorted(column(rows, "date"))
    # "2017-06" (a month) is in June 2017 but not in a period that ends on 2017-05-31
    june = run_both(engines, "agreements_in_period", since="2017-06-15", until="2017-06-15")
    assert {"funding-wellcome-ghit-fund-2017", "mou-link-j-eurobiomed-2017"} == set(column(june, "agreement"))
    assert "mou-link-j-eurobiomed-2017" not in column(
        run_both(engines, "agreements_in_period", since="2017-01-01", until="2017-05-31"), "agreement")


def test_expiring_soon(engines):
    assert column(run_both(engines, "expiring_soon", today="2017", until="2017"), "agreement") == [
        "loi-fbri-life-science-nord-2016"]
    assert column(run_both(engines, "expiring_soon", today="2025-01-01", until="2025-12-31"), "agreement") == [
        "mou-link-j-kanagawa-2020"]


def test_common_partners(engines):
    rows = run_both(engines, "common_partners", org="cell-therapy-catapult", other="link-j")
    assert rows == [{"partner": "kanagawa-prefecture", "name": "Kanagawa Prefecture", "country": "JP",
                     "with_org": 1, "with_other": 1}]
    assert column(run_both(engines, "common_partners", org="life-science-nord", other="link-j"), "partner") == ["fbri"]


def test_brokers_between_countries(engines):
    rows = run_both(engines, "brokers_between_countries", country_a="JP", country_b="GB")
    assert rows[0] == {"organization": "link-j", "name": "Life Science Innovation Network Japan", "country": "JP",
                       "partners_a": 7, "partners_b": 3, "total": 2}


def test_inactive_since(engines):
    rows = run_both(engines, "inactive_since", since="2020")
    by_id = {r["organization"]: r for r in rows}
    assert "link-j" not in by_id and "kanagawa-prefecture" not in by_id  # both signed in 2020
    assert by_id["cgt-catapult"]["last"] == "2017-10-03"
    assert by_id["jetro"]["last"] is None and by_id["jetro"]["status"] == "never"  # no agreement at all
    assert by_id["cgt-catapult"]["status"] == "stopped"


def test_agreements_by_programme(engines):
    rows = run_both(engines, "agreements_by_programme", programme="jetro-rit")
    assert column(rows, "agreement") == ["loi-fbri-life-science-nord-2016"]  # seed 004, under JETRO's RIT
    assert rows[0]["parties"] == ["fbri", "life-science-nord"]


def test_most_connected(engines):
    rows = run_both(engines, "most_connected", country="JP", limit=3)
    assert [(r["organization"], r["partners"]) for r in rows] == [("link-j", 14), ("fbri", 2), ("kanagawa-prefecture", 2)]
    assert len(run_both(engines, "most_connected", country="JP")) == 10  # the default limit
    assert run_both(engines, "most_connected", country="JP", limit=0) == []


def test_shortest_chain(engines):
    rows = run_both(engines, "shortest_chain", org="cell-therapy-catapult", other="medcity")
    # The Catapult's partner Kanagawa (seed 000), Kanagawa's LINK-J (002), LINK-J's MedCity: three agreements.
    assert rows[0]["chain"][::2] == ["cell-therapy-catapult", "kanagawa-prefecture", "link-j", "medcity"]
    assert rows[0]["agreements"] == 3 and rows[0]["names"][0] == "Cell Therapy Catapult"
    assert run_both(engines, "shortest_chain", org="cgt-catapult", other="link-j") == []


def test_find_organization(engines):
    rows = run_both(engines, "find_organization", text="CATAPULT")
    assert column(rows, "organization") == ["cell-therapy-catapult", "cgt-catapult"]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_parameter_holding_query_text_is_data(engines, engine):
    target = engines[engine]
    size = len(target)
    assert sparql.run("find_organization", target, {"text": INJECTION}).rows == []
    assert sparql.run("partners", target, {"org": INJECTION}).rows == []
    assert sparql.run("timeline", target, {"org": "link-j> } UNION { ?a ?b ?c"}).rows == []
    assert len(target) == size


def test_parameters_are_checked():
    with pytest.raises(ClusterKGError, match=r"query partners: unknown parameter orgg; missing org; it takes: org \(organization\)"):
        sparql.run("partners", rdf.to_graph([]), {"orgg": "x"})
    with pytest.raises(ClusterKGError, match="not an ISO 3166-1"):
        sparql.run("brokers_between_countries", rdf.to_graph([]), {"country_a": "Narnia", "country_b": "GB"})
    with pytest.raises(ClusterKGError, match="'ZZ' is not an ISO 3166-1"):  # two letters, but no country
        sparql.run("brokers_between_countries", rdf.to_graph([]), {"country_a": "ZZ", "country_b": "GB"})
    with pytest.raises(ClusterKGError, match="parameter limit \\(integer\\): expected an integer, got '3'"):
        sparql.run("most_connected", rdf.to_graph([]), {"country": "JP", "limit": "3"})
    with pytest.raises(ClusterKGError, match=r"parameter since \(date\): .*last year"):
        sparql.run("inactive_since", rdf.to_graph([]), {"since": "last year"})
    with pytest.raises(ClusterKGError, match="no SPARQL query named 'nope'"):
        sparql.get_query("nope")


def test_a_header_must_declare_what_the_query_uses():
    with pytest.raises(ClusterKGError, match="no '# params:' line"):
        sparql.parse_query("# name: x\n# doc: y\nSELECT * {}")
    with pytest.raises(ClusterKGError, match=r"never uses \$org"):
        sparql.parse_query("# name: x\n# doc: y\n# params: org:organization\nSELECT * {}")
    with pytest.raises(ClusterKGError, match=r"uses \$since but does not declare it"):
        sparql.parse_query("# name: x\n# doc: y\n# params: org:organization\nSELECT $org $since {}")
    with pytest.raises(ClusterKGError, match="write name:type"):
        sparql.parse_query("# name: x\n# doc: y\n# params: org:company\nSELECT $org {}")


def test_the_command_line(tmp_path):
    runner = CliRunner()
    listed = runner.invoke(main, ["rdf", "query", "--list"])
    assert listed.exit_code == 0 and "partners: The partners of an organisation" in listed.stdout
    result = runner.invoke(main, ["rdf", "query", "find_organization", "-p", "text=catapult", "-i", "data",
                                  "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["organization,name,country,total", "cell-therapy-catapult,Cell Therapy Catapult,GB,2",
                                          "cgt-catapult,Cell and Gene Therapy Catapult,GB,2"]
    # from an exported file, through rdflib, as JSON
    assert runner.invoke(main, ["rdf", "export", "data", "-o", str(tmp_path / "g.ttl")]).exit_code == 0
    as_json = runner.invoke(main, ["rdf", "query", "partners", "-p", "org=fbri", "-i", str(tmp_path / "g.ttl"),
                                   "--engine", "rdflib", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert '"partner": "life-science-nord"' in as_json.stdout
    # a persistent Oxigraph store
    assert runner.invoke(main, ["rdf", "store", str(tmp_path / "g.ttl"), "--store", str(tmp_path / "db")]).exit_code == 0
    stored = runner.invoke(main, ["rdf", "query", "timeline", "-p", "org=fbri", "--store", str(tmp_path / "db")])
    assert stored.exit_code == 0 and "loi-fbri-life-science-nord-2016" in stored.stdout
    # A value that was once an internal tag of the runner ("iri") is only a value (it was a traceback).
    iri = runner.invoke(main, ["rdf", "query", "find_organization", "-p", "text=iri", "-i", "data", "--format", "csv"])
    assert iri.exit_code == 0 and iri.exception is None, iri.output
    assert iri.stdout.splitlines()[0] == "organization,name,country,total"
    zz = runner.invoke(main, ["rdf", "query", "most_connected", "-p", "country=ZZ", "-i", "data"])
    assert zz.exit_code == 1 and "'ZZ' is not an ISO 3166-1 alpha-2 country code" in zz.output
    bad = runner.invoke(main, ["rdf", "query", "partners", "-p", "org", "-i", "data"])
    assert bad.exit_code == 1 and "write a parameter as name=value" in bad.output
