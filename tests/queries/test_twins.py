"""The Cypher and SPARQL libraries answer the same questions (issue 17, section 5): for every query
name both files exist, declare the same parameters and return the same columns, and on the sample
data (data/) they return the same rows.

The rows are compared as sets of tuples, lists as tuples; the oracle is the other engine: the
Cypher query runs on the embedded FalkorDB, the SPARQL twin on Oxigraph over the RDF of the same
dataset. The parameter sets are chosen so that each query returns rows (asserted), including the
edge cases the queries document: month and year precision, undated agreements, an empty result.
"""

from __future__ import annotations

import pathlib

import pytest
from clusterkg.graph import rdf
from clusterkg.graph.cypher.load import load
from clusterkg.graph.queries import QUERIES_DIR, library, run_query
from clusterkg.graph.rdf import sparql
from clusterkg.graph.rdf.store import oxigraph_store
from clusterkg.loaders.assemble import load_dataset

ROOT = pathlib.Path(__file__).resolve().parents[2]

CASES = {
    "partners": [{"org": "link-j"}, {"org": "kanagawa-prefecture"}],
    "agreements_between_countries": [{"country_a": "JP", "country_b": "GB"}, {"country_a": "JP", "country_b": "JP"}],
    "agreements_by_programme": [{"programme": "jetro-rit"}],
    "agreements_in_period": [{"since": "2017", "until": "2017"}, {"since": "2017-06-15", "until": "2017-06-30"}],
    "brokers_between_countries": [{"country_a": "JP", "country_b": "GB"}, {"country_a": "US", "country_b": "FR"}],
    "common_partners": [{"org": "cell-therapy-catapult", "other": "link-j"}, {"org": "medcity", "other": "one-nucleus"}],
    "expiring_soon": [{"today": "2025-09-01", "until": "2025-09-30"}, {"today": "2017-12", "until": "2017-12"}],
    "find_organization": [{"text": "catapult"}, {"text": "神奈川"}],
    "inactive_since": [{"since": "2020"}, {"since": "2020-09-18"}],
    "most_connected": [{"country": "JP"}, {"country": "JP", "limit": 3}],
    "shortest_chain": [{"org": "cell-therapy-catapult", "other": "medcity"}, {"org": "link-j", "other": "ucla"}],
    "timeline": [{"org": "kanagawa-prefecture"}, {"org": "link-j"}],
}


@pytest.fixture(scope="module")
def sample_ds():
    ds = load_dataset([ROOT / "data"])
    assert ds.valid, ds.problems[:3]
    return ds


@pytest.fixture(scope="module")
def cypher_graph(falkordb_server, sample_ds):
    graph = falkordb_server.graph("queries-twins")
    graph.delete()
    load(graph, sample_ds)
    yield graph
    graph.delete()


@pytest.fixture(scope="module")
def store(sample_ds):
    return oxigraph_store(rdf.nt_bytes(sample_ds))


def normalised(value):
    if isinstance(value, list):
        return tuple(normalised(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def as_set(rows, columns):
    return {tuple(normalised(row[c]) for c in columns) for row in rows}


def test_every_query_has_a_twin_with_the_same_parameters():
    cypher, rq = library(), sparql.library()
    assert set(cypher) == set(rq), set(cypher) ^ set(rq)
    assert set(CASES) == set(cypher), set(CASES) ^ set(cypher)
    for name, query in cypher.items():
        twin = rq[name]
        assert query.path == QUERIES_DIR / f"{name}.cypher" and twin.path == QUERIES_DIR / f"{name}.rq"
        assert query.params == twin.params, name  # names, types and defaults
        assert query.doc == twin.doc, name


@pytest.mark.parametrize("name", sorted(CASES))
def test_both_libraries_give_the_same_columns_and_rows(name, cypher_graph, store):
    for params in CASES[name]:
        expected = run_query(cypher_graph, name, params)
        result = sparql.run(name, store, params)
        assert expected, f"{name} {params}: no rows, so nothing is compared"
        assert result.columns == list(expected[0]), (name, params)
        assert as_set(result.rows, result.columns) == as_set(expected, result.columns), (name, params)
        if name in ("shortest_chain", "most_connected"):  # ordered results that a limit cuts: the order too
            assert [normalised(list(r.values())) for r in result.rows] == [normalised(list(r.values())) for r in expected]


# -- values that look like query syntax or the runners' own markers are only ever values -------------

RESERVED_LOOKING = ["iri", "literal", "?x", "$org", "<http://x>", '"', "'", '"} ; DROP ALL ; #', "\\", "\u001f"]
ECHO_CYPHER = "// name: echo\n// doc: d\n// params: text:string\nRETURN $text AS text\n"
ECHO_SPARQL = "# name: echo\n# doc: d\n# params: text:string\nSELECT $text (STR($text) AS ?echo) {}\n"


@pytest.mark.parametrize("value", RESERVED_LOOKING)
def test_a_reserved_looking_value_reads_back_equal(value, cypher_graph, store, sample_ds):
    from clusterkg.graph.queries import parse_query

    echo = parse_query(ECHO_CYPHER)
    assert cypher_graph.read(echo.text, echo.bind({"text": value})) == [{"text": value}]
    for target in (store, rdf.to_graph([])):
        assert sparql.run(parse_query(ECHO_SPARQL), target, {"text": value}).rows == [{"echo": value}]
    # And through a library query on both engines: the same answer, no error (`iri` was a traceback).
    expected = run_query(cypher_graph, "find_organization", {"text": value})
    assert as_set(sparql.run("find_organization", store, {"text": value}).rows, ["organization", "name", "country"]) \
        == as_set(expected, ["organization", "name", "country"])


@pytest.mark.parametrize("name", ["find_organization", "partners"])
def test_a_nul_is_refused_in_words_by_both_libraries(name, cypher_graph, store):
    from clusterkg.model.problems import ClusterKGError

    key = "text" if name == "find_organization" else "org"
    for run in (lambda: run_query(cypher_graph, name, {key: "a\u0000b"}), lambda: sparql.run(name, store, {key: "a\u0000b"})):
        with pytest.raises(ClusterKGError, match=rf"query {name}: parameter {key} \(\w+\): 'a\\x00b' holds a NUL"):
            run()
