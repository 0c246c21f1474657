"""A Bolt 5.4 protocol stub on the loopback address, for testing the Neo4j backend without a server.

What it is: a small TCP server that speaks enough of the Bolt protocol (as documented in
Neo4j's Bolt protocol manual: the handshake, chunked PackStream messages, HELLO/LOGON,
ROUTE, BEGIN/RUN/PULL/COMMIT/ROLLBACK, RESET, GOODBYE) for the real ``neo4j`` driver to
connect, route, run transactions and read records. It does **not** run Cypher: each
query is answered by a test-supplied function (``answer(query, params) -> (fields, rows)``),
and "committing" only records the transaction's queries and parameters in
:attr:`BoltStub.committed`. Every message received is kept in :attr:`BoltStub.transcript`.

Faults are scripted: ``fail_next`` (a FAILURE with a Neo4j error code for the next RUN
whose query contains a text), ``drop_next`` (close the connection instead of answering
the next PULL of such a query), ``refuse_password``.

What it proves: the driver paths clusterkg takes (authentication errors, routing, retry
after NotALeader and a dropped connection, bookmarks, timeouts, notifications) behave as
clusterkg expects, with the real driver code. What it does not prove: that Neo4j accepts
the Cypher (the linter test checks that), that the server behaves as scripted, or anything
about performance.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from typing import Any

# -- PackStream ---------------------------------------------------------------------------


class Structure:
    def __init__(self, tag: int, *fields: Any):
        self.tag, self.fields = tag, list(fields)

    def __repr__(self) -> str:
        return f"Structure(0x{self.tag:02X}, {self.fields!r})"


def pack(value: Any) -> bytes:
    if value is None:
        return b"\xC0"
    if value is True:
        return b"\xC3"
    if value is False:
        return b"\xC2"
    if isinstance(value, int):
        if -16 <= value <= 127:
            return struct.pack(">b", value)
        for marker, fmt, lo, hi in ((0xC8, ">b", -128, 127), (0xC9, ">h", -2**15, 2**15 - 1),
                                    (0xCA, ">i", -2**31, 2**31 - 1), (0xCB, ">q", -2**63, 2**63 - 1)):
            if lo <= value <= hi:
                return bytes([marker]) + struct.pack(fmt, value)
        raise ValueError(value)
    if isinstance(value, float):
        return b"\xC1" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _sized(len(data), 0x80, 0xD0) + data
    if isinstance(value, list | tuple):
        return _sized(len(value), 0x90, 0xD4) + b"".join(pack(v) for v in value)
    if isinstance(value, dict):
        return _sized(len(value), 0xA0, 0xD8) + b"".join(pack(k) + pack(v) for k, v in value.items())
    if isinstance(value, Structure):
        return bytes([0xB0 + len(value.fields), value.tag]) + b"".join(pack(f) for f in value.fields)
    raise TypeError(type(value))


def _sized(n: int, tiny: int, base: int) -> bytes:
    if n < 16:
        return bytes([tiny + n])
    if n < 2**8:
        return bytes([base, n])
    if n < 2**16:
        return bytes([base + 1]) + struct.pack(">H", n)
    return bytes([base + 2]) + struct.pack(">I", n)


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def value(self) -> Any:
        m = self.take(1)[0]
        if m < 0x80:
            return m
        if m >= 0xF0:
            return m - 0x100
        hi, lo = m & 0xF0, m & 0x0F
        if hi == 0x80:
            return self.take(lo).decode()
        if hi == 0x90:
            return [self.value() for _ in range(lo)]
        if hi == 0xA0:
            return {self.value(): self.value() for _ in range(lo)}
        if hi == 0xB0:
            tag = self.take(1)[0]
            return Structure(tag, *(self.value() for _ in range(lo)))
        if m == 0xC0:
            return None
        if m in (0xC2, 0xC3):
            return m == 0xC3
        if m == 0xC1:
            return struct.unpack(">d", self.take(8))[0]
        ints = {0xC8: ">b", 0xC9: ">h", 0xCA: ">i", 0xCB: ">q"}
        if m in ints:
            fmt = ints[m]
            return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
        sizes = {0xD0: ">B", 0xD1: ">H", 0xD2: ">I", 0xD4: ">B", 0xD5: ">H", 0xD6: ">I", 0xD8: ">B", 0xD9: ">H",
                 0xDA: ">I", 0xCC: ">B", 0xCD: ">H", 0xCE: ">I"}
        fmt = sizes[m]
        n = struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
        if m in (0xD0, 0xD1, 0xD2):
            return self.take(n).decode()
        if m in (0xCC, 0xCD, 0xCE):
            return self.take(n)
        if m in (0xD4, 0xD5, 0xD6):
            return [self.value() for _ in range(n)]
        return {self.value(): self.value() for _ in range(n)}


# -- Bolt messages ------------------------------------------------------------------------

HELLO, GOODBYE, RESET, RUN, BEGIN, COMMIT, ROLLBACK, DISCARD, PULL, ROUTE, LOGON, LOGOFF, TELEMETRY = (
    0x01, 0x02, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x2F, 0x3F, 0x66, 0x6A, 0x6B, 0x54)
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F
NAMES = {HELLO: "HELLO", GOODBYE: "GOODBYE", RESET: "RESET", RUN: "RUN", BEGIN: "BEGIN", COMMIT: "COMMIT",
         ROLLBACK: "ROLLBACK", DISCARD: "DISCARD", PULL: "PULL", ROUTE: "ROUTE", LOGON: "LOGON", LOGOFF: "LOGOFF",
         TELEMETRY: "TELEMETRY"}
#: The handshake answer: Bolt 5.4 (bytes: reserved, range, minor, major).
VERSION = b"\x00\x00\x04\x05"

Answer = Callable[[str, dict[str, Any]], tuple[list[str], list[list[Any]]]]


def _no_rows(query: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    return [], []


class BoltStub:
    """One stub server. ``role`` is what the routing table (of the ``router``) says it is."""

    def __init__(self, answer: Answer = _no_rows, *, password: str = "secret", name: str = "stub"):
        self.answer = answer
        self.password = password
        self.name = name
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        #: (stub name, message name, fields) for every message received.
        self.transcript: list[tuple[str, str, list[Any]]] = []
        #: One list of (query, params) per committed transaction.
        self.committed: list[list[tuple[str, dict[str, Any]]]] = []
        #: Auto-commit queries (RUN outside BEGIN) that completed.
        self.autocommitted: list[tuple[str, dict[str, Any]]] = []
        self.fail_next: list[tuple[str, str, str]] = []  # (text in query, code, message)
        self.drop_next: list[str] = []  # text in query
        self.notifications: list[dict[str, Any]] = []  # sent with every PULL's SUCCESS
        self.routing: dict[str, list[str]] | None = None  # role -> addresses, for ROUTE
        self.bookmark_count = 0
        self.lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def messages(self, name: str) -> list[list[Any]]:
        return [fields for _, message, fields in self.transcript if message == name]

    def close(self) -> None:
        self._closed = True
        self.sock.close()

    def __enter__(self) -> BoltStub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- serving -----------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        try:
            with conn:
                if self._recv(conn, 4) != b"\x60\x60\xB0\x17":
                    return
                self._recv(conn, 16)  # the driver's four proposals; it offers 5.0-5.8
                conn.sendall(VERSION)
                _Session(self, conn).run()
        except (OSError, ConnectionError):
            return

    @staticmethod
    def _recv(conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data


class _Session:
    """One connection's state: failed (until RESET), the open transaction, the pending result."""

    def __init__(self, stub: BoltStub, conn: socket.socket):
        self.stub, self.conn = stub, conn
        self.failed = False
        self.tx: list[tuple[str, dict[str, Any]]] | None = None
        self.result: tuple[list[list[Any]], str, dict[str, Any]] | None = None

    def read_message(self) -> Structure:
        data = b""
        while True:
            size = struct.unpack(">H", BoltStub._recv(self.conn, 2))[0]
            if size == 0:
                if data:
                    return _Reader(data).value()
                continue  # a NOOP chunk
            data += BoltStub._recv(self.conn, size)

    def send(self, tag: int, *fields: Any) -> None:
        data = pack(Structure(tag, *fields))
        out = b"".join(struct.pack(">H", len(data[i:i + 65535])) + data[i:i + 65535]
                       for i in range(0, len(data), 65535))
        self.conn.sendall(out + b"\x00\x00")

    def fail(self, code: str, message: str) -> None:
        self.failed = True
        self.send(FAILURE, {"code": code, "message": message})

    def run(self) -> None:
        stub = self.stub
        while True:
            message = self.read_message()
            name = NAMES.get(message.tag, hex(message.tag))
            with stub.lock:
                stub.transcript.append((stub.name, name, message.fields))
            if message.tag == GOODBYE:
                return
            if message.tag == RESET:
                self.failed, self.tx, self.result = False, None, None
                self.send(SUCCESS, {})
                continue
            if self.failed:
                self.send(IGNORED)
                continue
            handler = getattr(self, f"on_{name.lower()}", None)
            if handler is None:
                self.fail("Neo.ClientError.Request.Invalid", f"the stub does not speak {name}")
            elif handler(*message.fields) == "drop":
                self.conn.shutdown(socket.SHUT_RDWR)
                return

    def on_hello(self, extra: dict[str, Any]) -> None:
        self.send(SUCCESS, {"server": "Neo4j/5.26.0", "connection_id": f"bolt-{self.stub.port}", "hints": {}})

    def on_logon(self, auth: dict[str, Any]) -> None:
        if auth.get("credentials") != self.stub.password:
            self.fail("Neo.ClientError.Security.Unauthorized", "The client is unauthorized due to authentication failure.")
        else:
            self.send(SUCCESS, {})

    def on_logoff(self) -> None:
        self.send(SUCCESS, {})

    def on_route(self, context: dict[str, Any], bookmarks: list[str], extra: dict[str, Any]) -> None:
        table = self.stub.routing or {"WRITE": [self.stub.address], "READ": [self.stub.address],
                                      "ROUTE": [self.stub.address]}
        self.send(SUCCESS, {"rt": {"ttl": 300, "db": (extra or {}).get("db") or "neo4j",
                                   "servers": [{"addresses": a, "role": r} for r, a in table.items()]}})

    def on_begin(self, extra: dict[str, Any]) -> None:
        self.tx = []
        self.send(SUCCESS, {})

    def on_run(self, query: str, params: dict[str, Any], extra: dict[str, Any]) -> None:
        stub = self.stub
        with stub.lock:
            for i, (text, code, message) in enumerate(stub.fail_next):
                if text in query:
                    del stub.fail_next[i]
                    self.fail(code, message)
                    return
        fields, rows = stub.answer(query, params)
        self.result = (rows, query, params)
        self.send(SUCCESS, {"fields": fields, "t_first": 0, "qid": 0})

    def on_pull(self, extra: dict[str, Any]) -> str | None:
        stub = self.stub
        rows, query, params = self.result or ([], "", {})
        with stub.lock:
            for i, text in enumerate(stub.drop_next):
                if text in query:
                    del stub.drop_next[i]
                    return "drop"
        for row in rows:
            self.send(RECORD, row)
        meta: dict[str, Any] = {"has_more": False, "t_last": 0, "type": "rw", "db": "neo4j"}
        if stub.notifications:
            meta["notifications"] = stub.notifications
        if self.tx is None:  # auto-commit: done now
            with stub.lock:
                stub.autocommitted.append((query, params))
                stub.bookmark_count += 1
                meta["bookmark"] = f"{stub.name}:bm{stub.bookmark_count}"
        else:
            self.tx.append((query, params))
        self.result = None
        self.send(SUCCESS, meta)
        return None

    def on_discard(self, extra: dict[str, Any]) -> None:
        self.on_pull(extra)

    def on_commit(self) -> None:
        with self.stub.lock:
            self.stub.committed.append(self.tx or [])
            self.stub.bookmark_count += 1
            bookmark = f"{self.stub.name}:bm{self.stub.bookmark_count}"
        self.tx = None
        self.send(SUCCESS, {"bookmark": bookmark})

    def on_rollback(self) -> None:
        self.tx = None
        self.send(SUCCESS, {})

    def on_telemetry(self, api: int) -> None:
        self.send(SUCCESS, {})
