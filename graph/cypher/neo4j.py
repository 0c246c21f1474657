"""The property graph on a Neo4j 5 server, cluster or Aura, through the official driver.

* **Reads** run in managed read transactions (``session.execute_read``), which a
  cluster routes to a reader, with a timeout (``read_timeout``, sent as the
  transaction's timeout) so a runaway path query stops on the server. A read that
  hits the server's memory limit is reported at once instead of being retried for
  half a minute.
* **Writes** are ``UNWIND $rows`` batches, each in a managed write transaction
  (``execute_write``, which the driver retries on a leader switch or a dropped
  connection). Stale nodes are removed on the server with ``CALL { ... } IN
  TRANSACTIONS`` (an auto-commit query, as Neo4j requires).
* **Bookmarks**: every session, read or write, uses the driver's
  ``execute_query_bookmark_manager``, so a read that follows a load waits for a
  reader that has seen the load (causal consistency), on a cluster too.
* **Notifications** the server attaches to results are not printed raw: those whose
  classification means nothing for these queries (:data:`QUIET`) are dropped, the
  rest logged in words on the ``clusterkg.neo4j`` logger.
* **Schema**: the constraints and indexes that already exist are read first
  (``SHOW``), so a user without schema rights can load into a prepared database;
  only the missing ones are created, and a refusal says what to ask for.

Settings: ``NEO4J_URI`` (e.g. ``neo4j://localhost:7687``, ``neo4j+s://xxxx.databases.neo4j.io``),
``NEO4J_USERNAME`` or ``NEO4J_USER`` (default ``neo4j``), ``NEO4J_PASSWORD``,
``NEO4J_DATABASE`` (default: the server's default database), or the same as arguments.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from clusterkg.graph.cypher.load import BATCH_SIZE, iter_batches
from clusterkg.model.problems import ClusterKGError

_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
log = logging.getLogger("clusterkg.neo4j")

#: Notification classifications that say nothing useful about these queries: a label or
#: type not in the database yet (every first load), planner hints.
QUIET = frozenset({"UNRECOGNIZED", "HINT"})
#: Transient errors that a retry does not cure: the query needs more memory than the server gives.
_OUT_OF_MEMORY = ("Neo.TransientError.General.MemoryPoolOutOfMemoryError",
                  "Neo.TransientError.General.TransactionOutOfMemoryError")
#: Rows per inner transaction when stale nodes are removed on the server.
REMOVE_BATCH = 10_000
#: Seconds to wait for a connection and the server's handshake (the driver's own default waits 60 s
#: for a handshake that never comes).
CONNECT_TIMEOUT = 15.0


class _NotRetried(Exception):
    """Raised inside a transaction function to stop the driver retrying."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Notifications(logging.Handler):
    """Takes the driver's notification log records and says them in words on ``clusterkg.neo4j``."""

    def emit(self, record: logging.LogRecord) -> None:
        printer = record.args[0] if isinstance(record.args, tuple) and record.args else None
        status = getattr(printer, "notification", None)
        if status is None:
            return
        classification = str(getattr(status.classification, "value", status.classification) or "")
        if classification in QUIET:
            return
        what = status.status_description or status.gql_status or "a notification"
        query = (getattr(printer, "query", None) or "").strip().splitlines()
        where = f" (in the query that starts {query[0][:60]!r})" if query else ""
        level = logging.WARNING if record.levelno >= logging.WARNING else logging.INFO
        log.log(level, "neo4j %s: %s%s", (classification or "notice").lower(), what, where)


_HANDLER = _Notifications()


def _routing_failure(record: logging.LogRecord) -> bool:
    # Logged by the driver's pool just before it raises ServiceUnavailable, which clusterkg says in words.
    return record.getMessage() != "Unable to retrieve routing information"


def _route_notifications() -> None:
    pool_log = logging.getLogger("neo4j.pool")
    if _routing_failure not in pool_log.filters:
        pool_log.addFilter(_routing_failure)
    driver_log = logging.getLogger("neo4j.notifications")
    if _HANDLER not in driver_log.handlers:
        driver_log.addHandler(_HANDLER)
    driver_log.propagate = False  # not printed raw by Python's last-resort handler
    if driver_log.level == logging.NOTSET or driver_log.level > logging.INFO:
        driver_log.setLevel(logging.INFO)


def settings_from_env(uri: str | None = None, user: str | None = None, password: str | None = None,
                      database: str | None = None) -> tuple[str, str, str, str | None]:
    """The connection settings: each argument, else its variable (``NEO4J_USERNAME``, then ``NEO4J_USER``)."""
    uri = uri or os.environ.get("NEO4J_URI")
    if not uri:
        raise ClusterKGError("neo4j: no server given: set NEO4J_URI (e.g. neo4j://localhost:7687) or pass --uri")
    user = user or os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER") or "neo4j"
    password = password if password is not None else os.environ.get("NEO4J_PASSWORD", "")
    database = database or os.environ.get("NEO4J_DATABASE") or None
    return uri, user, password, database


def _version(agent: str | None) -> tuple[int, int]:
    """``"Neo4j/5.26.0"`` -> (5, 26); an agent not read as such counts as the newest."""
    try:
        major, minor = (agent or "").partition("/")[2].split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return (99, 0)


def removal_statement(match: str, var: str, action: str, version: tuple[int, int] = (99, 0)) -> str:
    """``action`` on what ``match`` finds, in inner transactions of :data:`REMOVE_BATCH` rows.

    Neo4j 5.23 brought the variable scope clause ``CALL (n) { ... }`` and deprecated the
    importing ``WITH``; an older server only knows the latter.

    Examples
    --------
    >>> print(removal_statement("MATCH (n:Country) WHERE n.load_id <> $load", "n", "DETACH DELETE n"))
    MATCH (n:Country) WHERE n.load_id <> $load
    CALL (n) {
      DETACH DELETE n
    } IN TRANSACTIONS OF 10000 ROWS
    >>> removal_statement("MATCH (n)", "n", "DETACH DELETE n", (5, 20)).splitlines()[1:3]
    ['CALL {', '  WITH n']
    """
    scope = f"CALL ({var}) {{" if version >= (5, 23) else f"CALL {{\n  WITH {var}"
    return f"{match}\n{scope}\n  {action}\n}} IN TRANSACTIONS OF {REMOVE_BATCH} ROWS"


class Neo4jGraph:
    """A :class:`~clusterkg.graph.cypher.load.CypherGraph` on a Neo4j database.

    Connecting checks the address and the credentials at once, so a wrong
    password or a server that is down is reported before any work starts.

    Examples
    --------
    >>> from clusterkg.graph.cypher.stream import iter_records, load_stream
    >>> with Neo4jGraph.from_env() as graph:  # doctest: +SKIP
    ...     load_stream(graph, lambda: iter_records("out/records.jsonl"))
    """

    backend = "neo4j"

    def __init__(self, uri: str, user: str = "neo4j", password: str = "", database: str | None = None, *,
                 connection_timeout: float = CONNECT_TIMEOUT, read_timeout: float = 120.0, retry_time: float = 30.0):
        import neo4j

        self.uri = uri
        self.user = user
        self.database = database or None
        #: Seconds a library query may run before the server stops it.
        self.read_timeout = read_timeout
        self._neo4j = neo4j
        scheme = uri.partition("://")[0]
        if scheme not in _SCHEMES:
            raise ClusterKGError(f"neo4j: {uri!r} is not a Bolt address: use {', '.join(s + '://' for s in _SCHEMES)}")
        _route_notifications()
        self.connection_timeout = connection_timeout
        self._connecting_since = time.monotonic()
        with self._errors("connecting"):
            self.driver = neo4j.GraphDatabase.driver(
                uri, auth=(user, password), connection_timeout=connection_timeout,
                # Also bounds the Bolt handshake: a port that accepts and never answers is given up on.
                connection_acquisition_timeout=connection_timeout,
                max_transaction_retry_time=retry_time,
            )
            try:
                self.driver.verify_connectivity()
            except BaseException:
                self.driver.close()
                raise
        self.bookmarks = self.driver.execute_query_bookmark_manager
        self.server_version = _version(self.driver.get_server_info().agent)

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                 database: str | None = None, **options: Any) -> Neo4jGraph:
        """Connect with the given settings, each defaulting to its ``NEO4J_*`` variable."""
        return cls(*settings_from_env(uri, user, password, database), **options)

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """The driver's errors as messages that say which thing went wrong."""
        exc = self._neo4j.exceptions
        where = f"neo4j at {self.uri}"
        try:
            yield
        except _NotRetried as error:
            raise ClusterKGError(f"{where}: {error.message}") from None
        except exc.AuthError as error:
            raise ClusterKGError(f"{where}: the server refused the user name or password ({error.message})") from None
        except exc.SessionExpired as error:
            raise ClusterKGError(
                f"{where}: the connection was dropped while {doing} ({error}); nothing half-written stays "
                "(each batch is one transaction), so running the same load again completes it"
            ) from None
        except exc.ServiceUnavailable as error:
            if doing == "connecting" and time.monotonic() - self._connecting_since >= 0.9 * self.connection_timeout:
                raise ClusterKGError(
                    f"{where}: the server did not answer within {self.connection_timeout:g} s (it may be overloaded, "
                    "or this is not a Bolt port); give more time with --timeout SECONDS"
                ) from None
            if doing == "connecting":
                raise ClusterKGError(f"{where}: cannot reach the server: it is down, or the address is wrong ({error})") from None
            raise ClusterKGError(
                f"{where}: lost the server while {doing} ({error}); running the same load again completes it "
                "without duplicates"
            ) from None
        except exc.ConfigurationError as error:
            raise ClusterKGError(f"{where}: {error}") from None
        except exc.Forbidden as error:
            raise ClusterKGError(f"{where}: user {self.user} may not do this ({doing}): {error.message}") from None
        except exc.Neo4jError as error:
            raise ClusterKGError(f"{where}: {error.code}: {error.message}") from None
        except exc.DriverError as error:
            raise ClusterKGError(f"{where}: {error}") from None
        except ValueError as error:  # a malformed URI
            raise ClusterKGError(f"{where}: {error}") from None

    def _session(self) -> Any:
        # The same bookmark manager as execute_query: reads after a load see the load.
        return self.driver.session(database=self.database, bookmark_manager=self.bookmarks)

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        neo4j = self._neo4j

        @neo4j.unit_of_work(timeout=self.read_timeout)
        def work(tx: Any) -> list[dict[str, Any]]:
            try:
                return [record.data() for record in tx.run(query, params or {})]
            except neo4j.exceptions.TransientError as error:
                if error.code in _OUT_OF_MEMORY:
                    raise _NotRetried(
                        f"the query needs more memory than the server allows ({error.code}); "
                        "narrow it (a smaller limit, a shorter period) or ask for a larger dbms.memory.transaction limit"
                    ) from None
                raise

        with self._errors("reading"), self._session() as session:
            return session.execute_read(work)

    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        with self._errors("writing"), self._session() as session:
            session.execute_write(lambda tx: tx.run(query, params or {}).consume())

    def write_batches(self, query: str, rows: list[Any], batch_size: int = BATCH_SIZE,
                      params: dict[str, Any] | None = None) -> None:
        def work(tx: Any, batch: list[Any]) -> None:
            tx.run(query, {**(params or {}), "rows": batch}).consume()

        with self._errors("loading"), self._session() as session:
            for batch in iter_batches(rows, batch_size):
                session.execute_write(work, batch)

    def remove_where(self, match: str, var: str, action: str, params: dict[str, Any]) -> None:
        # CALL { } IN TRANSACTIONS must run as an auto-commit query (session.run), not in a managed one.
        query = removal_statement(match, var, action, self.server_version)
        with self._errors("removing what is no longer in the input"), self._session() as session:
            session.run(query, params).consume()

    def ensure_schema(self, unique: dict[str, str], indexed: dict[str, tuple[str, ...]]) -> None:
        """Create what is missing of the constraints, range indexes and full-text index; existing ones are
        found first (``SHOW``), so a user without schema rights loads into a prepared database."""
        from clusterkg.graph.cypher.neo4j_schema import missing_statements

        constraints = self.read("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
                                "RETURN type, labelsOrTypes, properties")
        indexes = self.read("SHOW INDEXES YIELD name, type, labelsOrTypes, properties "
                            "RETURN name, type, labelsOrTypes, properties")
        for statement in missing_statements(unique, indexed, constraints, indexes):
            try:
                self.write(statement)
            except ClusterKGError as error:
                if "may not do this" in str(error) or "Forbidden" in str(error):
                    raise ClusterKGError(
                        f"neo4j at {self.uri}: user {self.user} may not create the schema this load needs "
                        f"({statement}); ask an administrator to run the statements of "
                        "`clusterkg export neo4j-import`'s schema.cypher once, then load again"
                    ) from None
                raise
        self.write("CALL db.awaitIndexes(300)")

    def save(self) -> None:
        """Nothing to do: every committed transaction is durable."""

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
