"""Issue 16, point 14 (Neo4j side): a server that accepts the connection and never answers the Bolt
handshake is given up on after the connection timeout (15 s by default, ``--timeout``), with a message
naming the server; the driver's own default waited 60 s (63 s measured)."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from clusterkg.graph.cypher.neo4j import CONNECT_TIMEOUT, Neo4jGraph
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Organization


@pytest.mark.parametrize("scheme", ["neo4j", "bolt"])
def test_a_handshake_that_hangs_is_given_up_on(silent_server, scheme):
    assert CONNECT_TIMEOUT <= 15
    start = time.monotonic()
    with pytest.raises(ClusterKGError, match=rf"neo4j at {scheme}://{silent_server}: the server did not answer "
                                             r"within 1 s.*--timeout"):
        Neo4jGraph(f"{scheme}://{silent_server}", "neo4j", "secret", connection_timeout=1)
    assert time.monotonic() - start < 6


def test_load_neo4j_takes_a_timeout(silent_server, tmp_path):
    from clusterkg.cli import main
    from clusterkg.loaders.writers import write
    from clusterkg.manifest import write_manifest

    write(iter([Organization(id="a", name="A", kind="cluster", country="JP")]), tmp_path / "records.jsonl", "jsonl")
    write_manifest(tmp_path, ["records.jsonl"], inputs=[], counts={}, steps=["records"])
    start = time.monotonic()
    result = CliRunner().invoke(main, ["load", "neo4j", str(tmp_path), "--uri", f"neo4j://{silent_server}",
                                       "--timeout", "1"])
    assert result.exit_code == 1, result.output
    assert f"neo4j://{silent_server}: the server did not answer within 1 s" in result.output
    assert time.monotonic() - start < 6
