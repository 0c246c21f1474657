"""The embedded property graph: a FalkorDB server that clusterkg runs itself.

* :mod:`.server`: :class:`EmbeddedServer`, the child ``redis-server`` process with
  the FalkorDB module, on a Unix socket in the build folder, and its lifecycle;
* :mod:`.client`: :class:`FalkorGraph`, one graph of that server as a
  :class:`~clusterkg.graph.cypher.load.CypherGraph`, and :func:`open_embedded`;
* :mod:`.literal`: :func:`cypher_literal`, values for FalkorDB's parameter header
  (the one place values enter query text);
* :mod:`.bulk`: the ``GRAPH.BULK`` binary encoder for first loads.

The names other code imports are re-exported here, so
``from clusterkg.graph.cypher.falkor import open_embedded`` keeps working.
"""

from clusterkg.graph.cypher.falkor.bulk import bulk_commands
from clusterkg.graph.cypher.falkor.client import FalkorGraph, open_embedded
from clusterkg.graph.cypher.falkor.literal import cypher_literal
from clusterkg.graph.cypher.falkor.server import (
    FOLDER,
    GRAPH,
    LOG,
    RDB,
    SOCKET,
    EmbeddedServer,
    SaveFailed,
    binaries,
    graph_folder,
    stop_on_sigterm,
)

__all__ = [
    "FOLDER", "GRAPH", "LOG", "RDB", "SOCKET", "EmbeddedServer", "SaveFailed", "FalkorGraph", "binaries", "bulk_commands",
    "cypher_literal", "graph_folder", "open_embedded", "stop_on_sigterm",
]
