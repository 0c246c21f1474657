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
        "agreements_in_period": {"since": "2017", "until": "2017-06"}, "expiring_soon": {"today": "2025-09-01", "days": 30},
        "common_partners": {"org": "cell-therapy-catapult", "other": "link-j"}, "inactive_since": {"since": "2020"},
        "agreements_by_programme": {"programme": "jetro-rit"}, "most_connected": {"country": "JP"},
        "find_organization": {"text": "kanagawa"},
    }
    assert set(params) == set(library())
    for name, values in params.items():
        assert run_query(neo4j_graph, name, values) == run_query(falkor, name, values), name
    falkor.delete()
