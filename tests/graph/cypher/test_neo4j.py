"""The Neo4j backend.

No Neo4j server can run on these machines, so the tests that need one run only
when NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE) points at a
disposable database, and are skipped otherwise; they empty that database. The
error for a server that is down is checked always, against a closed port on
this machine, with the real driver.
"""

from __future__ import annotations

import os
import pathlib
import socket

import pytest
from clusterkg.graph.cypher import schema as property_graph
from clusterkg.graph.cypher.load import counts, load, properties
from clusterkg.graph.cypher.neo4j import Neo4jGraph
from clusterkg.graph.queries import library, run_query
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.problems import ClusterKGError

ROOT = pathlib.Path(__file__).resolve().parents[3]
needs_server = pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set (no Neo4j server here)")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is


def test_a_server_that_is_down_is_named_as_such():
    with pytest.raises(ClusterKGError, match=r"cannot reach the server: it is down, or the address is wrong"):
        Neo4jGraph(f"bolt://127.0.0.1:{_closed_port()}", "neo4j", "secret", connection_timeout=2)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(ClusterKGError, match="set NEO4J_URI"):
        Neo4jGraph.from_env()
    with pytest.raises(ClusterKGError, match="is not a Bolt address"):
        Neo4jGraph("http://127.0.0.1:7474")


@pytest.fixture(scope="module")
def neo4j_graph():
    with Neo4jGraph.from_env() as graph:
        graph.write("MATCH (n) DETACH DELETE n")
        yield graph


@pytest.fixture(scope="module")
def sample():
    return load_dataset([ROOT / "tests" / "fixtures" / "sample"])


@needs_server
def test_wrong_password_is_named_as_such():
    with pytest.raises(ClusterKGError, match="refused the user name or password"):
        Neo4jGraph(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"), "not-the-password")


@needs_server
def test_load_is_idempotent_on_neo4j(neo4j_graph, sample):
    assert load(neo4j_graph, sample, exclusive=True) == property_graph.counts(sample)
    first = properties(neo4j_graph)
    assert load(neo4j_graph, sample, batch_size=7, exclusive=True) == property_graph.counts(sample)  # many small transactions
    assert properties(neo4j_graph) == first
    constraints = neo4j_graph.read("SHOW CONSTRAINTS YIELD labelsOrTypes RETURN labelsOrTypes")
    assert {"Organization"} <= {label for row in constraints for label in row["labelsOrTypes"]}


@needs_server
def test_the_same_answers_as_falkordb(neo4j_graph, falkordb_server, sample):
    load(neo4j_graph, sample, exclusive=True)
    falkor = falkordb_server.graph("neo4j-compare")
    falkor.delete()
    load(falkor, sample)
    assert counts(neo4j_graph) == counts(falkor)
    params = {
        "partners": {"org": "link-j"}, "agreements_between_countries": {"country_a": "JP", "country_b": "GB"},
        "shortest_chain": {"org": "cell-therapy-catapult", "other": "medcity"},
        "brokers_between_countries": {"country_a": "JP", "country_b": "GB"}, "timeline": {"org": "kanagawa-prefecture"},
        "agreements_in_period": {"since": "2017", "until": "2017-06"}, "expiring_soon": {"today": "2025-09-01", "until": "2025-10-01"},
        "common_partners": {"org": "cell-therapy-catapult", "other": "link-j"}, "inactive_since": {"since": "2020"},
        "agreements_by_programme": {"programme": "jetro-rit"}, "most_connected": {"country": "JP"},
        "find_organization": {"text": "kanagawa"},
    }
    assert set(params) == set(library())
    for name, values in params.items():
        assert run_query(neo4j_graph, name, values) == run_query(falkor, name, values), name
    falkor.delete()


# -- the command line and reloads against a real server (issue 14) ---------------------------------


@pytest.fixture
def built(tmp_path):
    """A build folder of the sample, made by the command line."""
    from click.testing import CliRunner

    from clusterkg.cli import main

    out = tmp_path / "build"
    result = CliRunner().invoke(main, ["build", str(ROOT / "tests" / "fixtures" / "sample"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _cli(*args: str):
    from click.testing import CliRunner

    from clusterkg.cli import main

    return CliRunner().invoke(main, list(args))


@needs_server
def test_cli_load_then_every_library_query_answers_as_on_the_embedded_graph(neo4j_graph, built, sample):
    neo4j_graph.write("MATCH (n) DETACH DELETE n")
    result = _cli("load", "neo4j", str(built), "--dataset", "sample")
    assert result.exit_code == 0, result.output
    with_ids = {"org": "link-j", "other": "medcity", "country": "JP", "country_a": "JP", "country_b": "GB",
                "since": "2017", "until": "2025-10-01", "today": "2025-09-01", "programme": "jetro-rit",
                "text": "kanagawa"}
    for name, query in library().items():
        values = {p: with_ids[p] for p in query.param_names if p in with_ids}
        on_neo4j = _cli("query", name, "--neo4j", "--graph", str(built), "--format", "json",
                        *(f"-p{k}={v}" for k, v in values.items()))
        embedded = _cli("query", name, "--graph", str(built), "--format", "json",
                        *(f"-p{k}={v}" for k, v in values.items()))
        assert on_neo4j.exit_code == 0 and embedded.exit_code == 0, (name, on_neo4j.output, embedded.output)
        if name != "find_organization":  # full-text word match on Neo4j, substring on FalkorDB (docs/cypher.md)
            assert on_neo4j.output == embedded.output, name


@needs_server
def test_a_reload_after_a_change_and_a_removal_touches_only_this_dataset(neo4j_graph, sample):
    neo4j_graph.write("MATCH (n) DETACH DELETE n")
    _reload_scoped(neo4j_graph, sample)


def test_the_same_reloads_on_the_embedded_engine(falkordb_graph, sample):
    # The stream loader writes the same statements to FalkorDB: what a server here can prove of them.
    _reload_scoped(falkordb_graph, sample)


def _reload_scoped(neo4j_graph, sample):
    from clusterkg.graph.cypher.stream import dataset_counts, load_stream

    records = [record for _, record in sample.records()]
    load_stream(neo4j_graph, lambda: iter(records), dataset="first")
    load_stream(neo4j_graph, lambda: iter(records), dataset="second")
    neo4j_graph.write("CREATE (:Note {id: 'kept', text: 'written by another tool'})")
    before = dataset_counts(neo4j_graph, "second")
    # The first dataset changes one agreement's title and loses another agreement.
    agreements = [r for r in records if r.__class__.__name__ == "Agreement"]
    changed = agreements[0].model_copy(update={"title": "A new title"})
    dropped = agreements[1]
    first = [changed if r is agreements[0] else r for r in records if r is not dropped]
    load_stream(neo4j_graph, lambda: iter(first), dataset="first")
    assert neo4j_graph.read("MATCH (a:Agreement {id: $id}) RETURN a.title AS t", {"id": changed.id}) == [
        {"t": "A new title"}]
    # The dropped agreement is still the second dataset's, so it stays, tagged by that one only.
    rows = neo4j_graph.read("MATCH (a:Agreement {id: $id}) RETURN a.datasets AS d", {"id": dropped.id})
    assert rows == [{"d": ["second"]}]
    assert dataset_counts(neo4j_graph, "second") == before
    assert neo4j_graph.read("MATCH (n:Note) RETURN n.id AS id") == [{"id": "kept"}]
    # Once the second dataset drops it too, it goes.
    load_stream(neo4j_graph, lambda: iter(first), dataset="second")
    assert neo4j_graph.read("MATCH (a:Agreement {id: $id}) RETURN count(a) AS n", {"id": dropped.id}) == [{"n": 0}]
