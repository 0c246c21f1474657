"""Fixtures shared across test folders.

``falkordb_server``: one embedded FalkorDB server for the whole test session
(starting one takes about 0.2 s; each test gets its own graph on it by name).
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    """The embedded graph server of graph/falkor.py, in a private folder, stopped at the end."""
    from clusterkg.graph.cypher.falkor import EmbeddedServer

    with EmbeddedServer(tmp_path_factory.mktemp("falkordb")) as server:
        yield server


@pytest.fixture
def falkordb_graph(falkordb_server, request):
    """An empty graph of its own for one test, dropped afterwards."""
    import re

    name = "t-" + re.sub(r"[^A-Za-z0-9]+", "-", request.node.nodeid)[-80:]
    graph = falkordb_server.graph(name)
    graph.delete()
    yield graph
    graph.delete()
