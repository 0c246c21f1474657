"""One graph of the embedded FalkorDB server, as the loader's and the query runner's backend."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from clusterkg.graph.cypher.falkor.bulk import bulk_commands
from clusterkg.graph.cypher.falkor.literal import NulInText, cypher_literal, has_nul
from clusterkg.graph.cypher.falkor.server import GRAPH, EmbeddedServer
from clusterkg.graph.cypher.load import BATCH_SIZE, iter_batches
from clusterkg.model.problems import ClusterKGError


class FalkorGraph:
    """One graph of an :class:`EmbeddedServer`, as a :class:`~clusterkg.graph.cypher.load.CypherGraph`."""

    backend = "falkordb"

    def __init__(self, server: EmbeddedServer, name: str = GRAPH, *, owns_server: bool = False,
                 read_timeout: float = 120.0):
        self.server = server
        self.name = name
        self.owns_server = owns_server
        #: Seconds a read may run before the server stops it (a path query can explode on a big graph).
        self.read_timeout = read_timeout
        self._graph = server.client.select_graph(name)

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        result = self._run(_with_params(query, params), read_only=True)
        columns = [column[1] for column in result.header]
        return [dict(zip(columns, (_plain(v) for v in row))) for row in result.result_set]

    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        self._run(_with_params(query, params), read_only=False)

    def write_batches(self, query: str, rows: list[Any], batch_size: int = BATCH_SIZE,
                      params: dict[str, Any] | None = None) -> None:
        for batch in iter_batches(rows, batch_size):
            try:
                text = _with_params(query, {**(params or {}), "rows": batch})
            except ClusterKGError:
                row = next((row for row in batch if has_nul(row)), None)
                if row is None:
                    raise
                raise ClusterKGError(f"falkordb: {NUL_MESSAGE}, in the row {_describe(row)}; "
                                     "remove it from the input") from None
            self._run(text, read_only=False)

    def remove_where(self, match: str, var: str, action: str, params: dict[str, Any]) -> None:
        # One statement: FalkorDB has no CALL { } IN TRANSACTIONS, and the embedded graph no cluster.
        self.write(f"{match}\n{action}", params)

    def _run(self, query: str, read_only: bool) -> Any:
        import redis

        try:
            if read_only:
                return self._graph.ro_query(query, timeout=int(self.read_timeout * 1000))
            return self._graph.query(query)
        except redis.exceptions.ResponseError as error:
            if read_only and "empty key" in str(error):
                # A graph nothing was written to yet: GRAPH.RO_QUERY refuses it, GRAPH.QUERY answers.
                return self._run(query, read_only=False)
            if read_only and "read-only queries" in str(error):
                raise ClusterKGError("falkordb: this query would change the graph; queries here are read-only "
                                     "(the graph is rebuilt from the records by `clusterkg build`)") from None
            raise ClusterKGError(f"falkordb: {error}") from None
        except redis.exceptions.ConnectionError as error:
            raise ClusterKGError(f"{self.server.folder}: lost the embedded graph server: {error}") from None

    def ensure_schema(self, unique: dict[str, str], indexed: dict[str, tuple[str, ...]]) -> None:
        existing = {
            (row["label"], prop)
            for row in self.read("CALL db.indexes() YIELD label, properties RETURN label, properties")
            for prop in row["properties"]
        } if self._graph_exists() else set()
        for label, props in [*((label, (prop,)) for label, prop in unique.items()), *indexed.items()]:
            for prop in props:
                if (label, prop) not in existing:
                    # FalkorDB's own index syntax; the Neo4j backend has its own (DESIGN.md section 3).
                    self.write(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
                    existing.add((label, prop))
        # FalkorDB fills a new index over existing nodes in the background; wait, so that the
        # first queries after a load are as fast as the later ones.
        deadline = time.monotonic() + 600
        while any(row["status"] != "OPERATIONAL"
                  for row in self.read("CALL db.indexes() YIELD status RETURN status")):
            if time.monotonic() > deadline:
                raise ClusterKGError(f"falkordb: the indexes of graph {self.name} are not ready after 600 s")
            time.sleep(0.05)

    def _graph_exists(self) -> bool:
        return self.name in self.server.client.list_graphs()

    def save(self) -> None:
        self.server.save()

    def bulk_create(self, rows: Any) -> bool:
        """Create ``rows`` in this graph, which must not exist yet, with GRAPH.BULK: the
        binary insert FalkorDB's bulk loader uses, several times faster than Cypher batches.
        Returns False (having written nothing) when the rows cannot be sent that way.
        """
        import redis

        if self._graph_exists():
            return False
        try:
            commands = list(bulk_commands(rows))
        except ValueError:
            return False
        try:
            for command in commands:
                self.server.client.connection.execute_command("GRAPH.BULK", self.name, *command)
        except redis.exceptions.ResponseError as error:
            raise ClusterKGError(f"falkordb: bulk insert: {error}") from None
        return True

    def delete(self) -> None:
        """Drop the whole graph (its indexes too)."""
        if self._graph_exists():
            self._graph.delete()

    def close(self) -> None:
        if self.owns_server:
            self.server.close()

    def __enter__(self) -> FalkorGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


NUL_MESSAGE = "FalkorDB cannot store text holding a NUL character (U+0000)"
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _with_params(query: str, params: dict[str, Any] | None) -> str:
    """``query`` behind FalkorDB's parameter header, ``CYPHER name=<literal> ...``.

    The one place where values enter query text, for every read and write: the
    literals are made by :func:`cypher_literal` (not by the ``falkordb`` client,
    whose encoder passes a NUL through and cuts the query there), and a
    parameter name must be an identifier.
    """
    if not params:
        return query
    parts = []
    for name, value in params.items():
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name):
            raise ClusterKGError(f"falkordb: parameter name {name!r} is not an identifier")
        try:
            parts.append(f"{name}={cypher_literal(value)}")
        except NulInText:
            raise ClusterKGError(f"falkordb: parameter {name}: {NUL_MESSAGE}") from None
        except (TypeError, ValueError) as error:
            raise ClusterKGError(f"falkordb: parameter {name}: {error}") from None
    return f"CYPHER {' '.join(parts)} {query}"


def _describe(row: Any) -> str:
    """A row in an error message: its first value (the id in the loader's rows) and the value holding
    the NUL, shown as \\x00."""
    shown = [row[0], *[v for v in row[1:] if has_nul(v)][:1]] if isinstance(row, list) and row else row
    text = repr(shown)
    return text if len(text) <= 200 else text[:200] + "..."


def _plain(value: Any) -> Any:
    """Result values as plain Python: maps as dicts, lists element by element."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def open_embedded(folder: Path | str, graph: str = GRAPH) -> FalkorGraph:
    """Start the embedded server in ``folder`` and return its graph; closing the graph stops the server.

    Examples
    --------
    >>> with open_embedded("out/falkordb") as g:  # doctest: +SKIP
    ...     g.read("MATCH (o:Organization) RETURN count(o) AS n")
    [{'n': 40}]
    """
    server = EmbeddedServer(folder).start()
    return FalkorGraph(server, graph, owns_server=True)

