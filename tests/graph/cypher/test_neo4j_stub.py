"""The Neo4j backend's driver paths, against a Bolt protocol stub (tests/graph/cypher/bolt_stub.py).

This is a **protocol stub, not Neo4j**: a small loopback server that speaks enough Bolt 5.4
for the real ``neo4j`` driver and answers each query with scripted rows; it runs no Cypher.
What these tests prove: with the real driver, clusterkg reports a wrong password and an
unreachable server in words; a leader switch (NotALeader) and a connection dropped mid-load
are retried by the driver and the load completes with every batch committed once; the
bookmark of the load's last write travels with the read that follows; reads go to the
reader the routing table names, writes to the writer; reads carry a timeout; server
notifications are filtered and logged in words; a read that runs out of memory is not
retried; existing constraints are not created again. What they do not prove: that a real
Neo4j accepts the statements (tests/graph/cypher/test_statements_lint.py runs Neo4j's linter
over them; tests/graph/cypher/test_neo4j.py runs against a real server when NEO4J_URI is set),
or how a real cluster times its failovers.
"""

from __future__ import annotations

import logging
import socket
import time

import pytest
from clusterkg.graph.cypher.neo4j import Neo4jGraph
from clusterkg.graph.cypher.neo4j_schema import all_statements
from clusterkg.graph.cypher.stream import load_stream
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Agreement, Organization



def _stub_module():
    import importlib.util
    import pathlib
    import sys

    spec = importlib.util.spec_from_file_location("bolt_stub", pathlib.Path(__file__).with_name("bolt_stub.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["bolt_stub"] = module
    spec.loader.exec_module(module)
    return module


BoltStub = _stub_module().BoltStub


def records():
    orgs = [Organization(id=i, name=i.upper(), kind="cluster", country=c) for i, c in (("a", "JP"), ("b", "GB"), ("c", "DE"))]
    agreements = [Agreement(id=f"x{n}", type="mou", parties=["a", "b" if n % 2 else "c"],
                            sources=[{"title": "news", "url": f"https://example.org/{n}"}]) for n in range(7)]
    return [*orgs, *agreements]


def answer(query, params):
    if "count(" in query:
        return ["n"], [[0]]
    if query.startswith("SHOW CONSTRAINTS") or query.startswith("SHOW INDEXES"):
        return ["type", "labelsOrTypes", "properties", "name"], []
    if "RETURN 1 AS one" in query:
        return ["one"], [[1]]
    return [], []


def connect(stub: BoltStub, **options) -> Neo4jGraph:
    return Neo4jGraph(f"neo4j://{stub.address}", "neo4j", "secret", connection_timeout=3, **options)


def unwind_rows(stub: BoltStub) -> list:
    """Every row of every committed UNWIND batch, in commit order."""
    return [row for tx in stub.committed for query, params in tx if query.startswith("UNWIND")
            for row in params["rows"]]


def test_a_wrong_password_is_said_in_words():
    with BoltStub(answer) as stub:
        with pytest.raises(ClusterKGError, match="refused the user name or password"):
            Neo4jGraph(f"neo4j://{stub.address}", "neo4j", "wrong", connection_timeout=3)
        assert stub.messages("LOGON")[0][0]["principal"] == "neo4j"


def test_an_unreachable_server_is_said_in_words():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ClusterKGError, match="cannot reach the server: it is down, or the address is wrong"):
        Neo4jGraph(f"neo4j://127.0.0.1:{port}", "neo4j", "secret", connection_timeout=2)


def test_a_load_sends_every_row_once():
    with BoltStub(answer) as stub, connect(stub) as graph:
        load_stream(graph, records, batch_size=4)
    sent = unwind_rows(stub)
    assert sorted(r[0] for r in sent if r[0].startswith("x") and len(r) > 3) == [f"x{n}" for n in range(7)]
    assert len(sent) == len({repr(r) for r in sent})  # nothing twice
    # Stale nodes are removed on the server, in inner transactions, by auto-commit queries.
    removals = [q for q, _ in stub.autocommitted if "IN TRANSACTIONS" in q]
    assert len(removals) >= 16 and all("DETACH DELETE n" in q or "DELETE r" in q or "SET " in q for q in removals)
    # ... and only what this dataset loaded: every removal is scoped to $dataset.
    assert all("[$dataset]" in q or "$dataset IN" in q for q in removals)


@pytest.mark.parametrize("fault", ["not-a-leader", "dropped"])
def test_a_leader_switch_or_a_dropped_connection_mid_load_is_retried(fault):
    with BoltStub(answer) as stub, connect(stub, retry_time=10) as graph:
        clean = list(stub.committed)
        if fault == "not-a-leader":
            stub.fail_next.append(("MERGE (n:Agreement", "Neo.ClientError.Cluster.NotALeader",
                                   "No write operations are allowed on this database."))
        else:
            stub.drop_next.append("MERGE (n:Agreement")
        load_stream(graph, records, batch_size=4)
    assert not stub.fail_next and not stub.drop_next  # the fault happened
    agreements = [r[0] for r in unwind_rows(stub) if r[0].startswith("x") and len(r) > 3]
    assert sorted(agreements) == [f"x{n}" for n in range(7)]  # complete, and each committed once
    assert clean == []
    if fault == "not-a-leader":
        assert len(stub.messages("ROUTE")) >= 2  # the driver asked for a new routing table


def test_bookmarks_from_the_load_reach_the_read_that_follows():
    with BoltStub(answer) as stub, connect(stub) as graph:
        graph.write_batches("UNWIND $rows AS row CREATE (:Country {id: row[0]})", [["jp"]])
        last_write = stub.bookmark_count
        graph.read("RETURN 1 AS one")
    begins = stub.messages("BEGIN")
    assert begins[-1][0].get("mode") == "r"
    assert f"stub:bm{last_write}" in begins[-1][0]["bookmarks"]


def test_reads_go_to_a_reader_and_writes_to_the_writer():
    with BoltStub(answer, name="reader") as reader, BoltStub(answer, name="writer") as writer:
        writer.routing = {"WRITE": [writer.address], "READ": [reader.address], "ROUTE": [writer.address]}
        with connect(writer) as graph:
            graph.read("RETURN 1 AS one")
            graph.write("CREATE (:Country {id: $id})", {"id": "jp"})
    assert [q for q, *_ in reader.messages("RUN")] == ["RETURN 1 AS one"]
    assert [q for q, *_ in writer.messages("RUN")] == ["CREATE (:Country {id: $id})"]


def test_reads_carry_a_timeout():
    with BoltStub(answer) as stub, connect(stub, read_timeout=7.5) as graph:
        graph.read("RETURN 1 AS one")
    assert stub.messages("BEGIN")[-1][0]["tx_timeout"] == 7500


def test_a_read_out_of_memory_is_not_retried():
    with BoltStub(answer) as stub, connect(stub) as graph:
        stub.fail_next.append(("RETURN 1", "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
                               "The allocation of an extra 2.0 MiB would use more than the limit 2.0 GiB."))
        start = time.monotonic()
        with pytest.raises(ClusterKGError, match="needs more memory than the server allows"):
            graph.read("RETURN 1 AS one")
        assert time.monotonic() - start < 5
    assert [q for q, *_ in stub.messages("RUN")].count("RETURN 1 AS one") == 1


def test_notifications_are_filtered_and_said_in_words(caplog, capfd):
    notes = [
        {"code": "Neo.ClientNotification.Statement.UnknownLabelWarning", "title": "The provided label is not in the "
         "database.", "description": "One of the labels in your query is not available in the database",
         "severity": "WARNING", "category": "UNRECOGNIZED"},
        {"code": "Neo.ClientNotification.Statement.FeatureDeprecationWarning", "title": "This feature is deprecated",
         "description": "The query used a deprecated feature.", "severity": "WARNING", "category": "DEPRECATION"},
    ]
    with BoltStub(answer) as stub, connect(stub) as graph:
        stub.notifications = notes
        with caplog.at_level(logging.INFO, logger="clusterkg.neo4j"):
            graph.read("RETURN 1 AS one")
    said = [r.getMessage() for r in caplog.records if r.name == "clusterkg.neo4j"]
    assert len(said) == 1 and said[0].startswith("neo4j deprecation: ") and "RETURN 1 AS one" in said[0]
    assert "UnknownLabelWarning" not in capfd.readouterr().err  # nothing raw on stderr


def test_existing_constraints_are_not_created_again():
    def prepared(query, params):
        if query.startswith("SHOW"):
            # SHOW CONSTRAINTS and SHOW INDEXES answered by what an administrator ran (schema.cypher).
            rows = [["UNIQUENESS", [label], ["id"], f"{label.lower()}_id"] for label in
                    ("Organization", "Agreement", "Person", "Source", "Programme", "Event", "Region", "Country")]
            rows += [["RANGE", ["Organization"], ["country"], "organization_country"]]
            rows += [["RANGE", ["Agreement"], [p], f"agreement_{p}"] for p in ("day_from", "day_to", "expires_day")]
            rows += [["FULLTEXT", ["Organization"], ["name", "aliases", "names"], "organization_names"]]
            return ["type", "labelsOrTypes", "properties", "name"], rows
        return answer(query, params)

    with BoltStub(prepared) as stub, connect(stub) as graph:
        graph.ensure_schema({label: "id" for label in ("Organization", "Agreement")}, {"Organization": ("country",)})
    assert not [q for q, *_ in stub.messages("RUN") if q.startswith("CREATE")]


def test_no_schema_rights_is_said_in_words():
    with BoltStub(answer) as stub, connect(stub) as graph:
        stub.fail_next.append(("CREATE CONSTRAINT", "Neo.ClientError.Security.Forbidden",
                               "Schema operations are not allowed for user 'reader'."))
        with pytest.raises(ClusterKGError, match="may not create the schema this load needs.*schema.cypher"):
            graph.ensure_schema({"Country": "id"}, {})
    assert all_statements()  # the statements an administrator would run
