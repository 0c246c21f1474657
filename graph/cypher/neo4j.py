"""The property graph on a Neo4j 5 server, cluster or Aura, through the official driver.

Reads go through ``execute_query`` with ``parameters_`` and ``database_`` and
are routed to readers (``routing_=READ``); writes are ``UNWIND $rows`` batches,
each in a managed transaction (``execute_write``, which the driver retries on
transient errors such as a leader switch). Uniqueness constraints on ``id`` are
created before the first write, so ``MERGE`` finds what an earlier, interrupted
load wrote and a reload leaves no duplicates.

Settings: ``NEO4J_URI`` (e.g. ``neo4j://localhost:7687``, ``neo4j+s://xxxx.databases.neo4j.io``),
``NEO4J_USER`` (default ``neo4j``), ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``
(default: the server's default database), or the same as arguments.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from clusterkg.graph.cypher.load import BATCH_SIZE, iter_batches
from clusterkg.model.problems import ClusterKGError

_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


class Neo4jGraph:
    """A :class:`~clusterkg.graph.cypher.load.CypherGraph` on a Neo4j database.

    Connecting checks the address and the credentials at once, so a wrong
    password or a server that is down is reported before any work starts.

    Examples
    --------
    >>> from clusterkg.graph.cypher.load import load
    >>> with Neo4jGraph.from_env() as graph:  # doctest: +SKIP
    ...     load(graph, ds)
    """

    backend = "neo4j"

    def __init__(self, uri: str, user: str = "neo4j", password: str = "", database: str | None = None, *,
                 connection_timeout: float = 10.0):
        import neo4j

        self.uri = uri
        self.database = database or None
        self._neo4j = neo4j
        scheme = uri.partition("://")[0]
        if scheme not in _SCHEMES:
            raise ClusterKGError(f"neo4j: {uri!r} is not a Bolt address: use {', '.join(s + '://' for s in _SCHEMES)}")
        with self._errors("connecting"):
            self.driver = neo4j.GraphDatabase.driver(
                uri, auth=(user, password), connection_timeout=connection_timeout,
                max_transaction_retry_time=30.0,
            )
            try:
                self.driver.verify_connectivity()
            except BaseException:
                self.driver.close()
                raise

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> Neo4jGraph:
        """Connect with the given settings, each defaulting to its ``NEO4J_*`` variable."""
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise ClusterKGError("neo4j: no server given: set NEO4J_URI (e.g. neo4j://localhost:7687) or pass --uri")
        return cls(
            uri,
            user or os.environ.get("NEO4J_USER", "neo4j"),
            password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
            database or os.environ.get("NEO4J_DATABASE") or None,
        )

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """The driver's errors as messages that say which thing went wrong."""
        exc = self._neo4j.exceptions
        where = f"neo4j at {self.uri}"
        try:
            yield
        except exc.AuthError as error:
            raise ClusterKGError(f"{where}: the server refused the user name or password ({error.message})") from None
        except exc.SessionExpired as error:
            raise ClusterKGError(
                f"{where}: the connection was dropped while {doing} ({error}); nothing half-written stays "
                "(each batch is one transaction), so running the same load again completes it"
            ) from None
        except exc.ServiceUnavailable as error:
            if doing == "connecting":
                raise ClusterKGError(f"{where}: cannot reach the server: it is down, or the address is wrong ({error})") from None
            raise ClusterKGError(
                f"{where}: lost the server while {doing} ({error}); running the same load again completes it "
                "without duplicates"
            ) from None
        except exc.ConfigurationError as error:
            raise ClusterKGError(f"{where}: {error}") from None
        except exc.Neo4jError as error:
            raise ClusterKGError(f"{where}: {error.code}: {error.message}") from None
        except exc.DriverError as error:
            raise ClusterKGError(f"{where}: {error}") from None
        except ValueError as error:  # a malformed URI
            raise ClusterKGError(f"{where}: {error}") from None

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._errors("reading"):
            records, _, _ = self.driver.execute_query(
                query, parameters_=params or {}, database_=self.database,
                routing_=self._neo4j.RoutingControl.READ,
            )
        return [record.data() for record in records]

    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        with self._errors("writing"):
            self.driver.execute_query(
                query, parameters_=params or {}, database_=self.database,
                routing_=self._neo4j.RoutingControl.WRITE,
            )

    def write_batches(self, query: str, rows: list[dict[str, Any]], batch_size: int = BATCH_SIZE) -> None:
        def work(tx: Any, batch: list[dict[str, Any]]) -> None:
            tx.run(query, rows=batch).consume()

        with self._errors("loading"), self.driver.session(database=self.database) as session:
            for batch in iter_batches(rows, batch_size):
                session.execute_write(work, batch)

    def ensure_schema(self, unique: dict[str, str], indexed: dict[str, tuple[str, ...]]) -> None:
        # Neo4j's own syntax (DESIGN.md section 3: schema statements are per backend).
        for label, prop in unique.items():
            self.write(f"CREATE CONSTRAINT {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE")
        for label, props in indexed.items():
            for prop in props:
                self.write(f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
        self.write("CALL db.awaitIndexes(300)")

    def save(self) -> None:
        """Nothing to do: every committed transaction is durable."""

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
