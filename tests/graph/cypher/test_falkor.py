"""The embedded FalkorDB server: owner-only files, no TCP, persistence, and never left running."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from clusterkg.graph.cypher.falkor import (
    LOG,
    RDB,
    SOCKET,
    EmbeddedServer,
    open_embedded,
)
from clusterkg.model.problems import ClusterKGError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is not running.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def _tcp_listeners(pid: int) -> list[str]:
    """TCP sockets of ``pid`` that are listening, read from /proc (Linux)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                found.append(fields[1])
    return found


def test_owner_only_files_and_no_tcp(tmp_path):
    folder = tmp_path / "falkordb"
    with EmbeddedServer(folder) as server:
        pid = server.process.pid
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        sock = (folder / SOCKET).stat()
        assert stat.S_ISSOCK(sock.st_mode) and stat.S_IMODE(sock.st_mode) & 0o077 == 0
        assert server.client.connection.config_get("port") == {"port": "0"}
        assert _tcp_listeners(pid) == []
        server.graph("g").write("CREATE (:Organization {id: 'a'})")
    assert not _alive(pid)
    for name in (RDB, LOG, "lock"):
        assert stat.S_IMODE((folder / name).stat().st_mode) & 0o077 == 0, name
    assert not (folder / SOCKET).exists()


def test_the_graph_is_saved_and_reopened(tmp_path):
    with open_embedded(tmp_path / "f") as graph:
        graph.write("CREATE (:Organization {id: 'kept', name: $name})", {"name": "x'}) DETACH DELETE n //"})
    with open_embedded(tmp_path / "f") as graph:
        assert graph.read("MATCH (o:Organization) RETURN o.id AS id, o.name AS name") == [
            {"id": "kept", "name": "x'}) DETACH DELETE n //"}]


def test_one_server_per_folder(tmp_path):
    with EmbeddedServer(tmp_path / "f"):
        with pytest.raises(ClusterKGError, match="in use by another clusterkg process"):
            EmbeddedServer(tmp_path / "f").start()


def test_close_is_safe_twice_and_stops_the_process(tmp_path):
    server = EmbeddedServer(tmp_path / "f").start()
    pid = server.process.pid
    server.close()
    server.close()
    assert not _alive(pid) and not server.running


def test_a_deep_folder_still_gets_its_socket(tmp_path):
    # A Unix socket path must fit in 108 bytes; a deep build folder is reached through /proc/self/fd.
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    with open_embedded(deep) as graph:
        assert len(str(deep / SOCKET)) > 108
        assert graph.read("RETURN 1 AS one") == [{"one": 1}]


CHILD = textwrap.dedent("""
    import os, sys, time
    from clusterkg.graph.cypher.falkor import open_embedded, stop_on_sigterm
    how = sys.argv[2]
    with stop_on_sigterm():
        graph = open_embedded(sys.argv[1])
        graph.write("CREATE (:Organization {id: 'x'})")
        print(graph.server.process.pid, flush=True)
        if how == "exit":
            sys.exit(0)  # no close(): atexit must stop and save it
        with graph:
            time.sleep(60)  # killed or interrupted here
""")


def _child(tmp_path: Path, how: str) -> tuple[subprocess.Popen, int]:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script), str(tmp_path / "f"), how], stdout=subprocess.PIPE,
                             text=True, start_new_session=True)
    server_pid = int(child.stdout.readline())
    return child, server_pid


def _saved(tmp_path: Path) -> list[dict]:
    with open_embedded(tmp_path / "f") as graph:
        return graph.read("MATCH (o:Organization) RETURN o.id AS id")


def test_stopped_and_saved_at_exit_without_close(tmp_path):
    child, server = _child(tmp_path, "exit")
    assert child.wait(timeout=30) == 0
    assert _wait_gone(server)
    assert _saved(tmp_path) == [{"id": "x"}]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopped_and_saved_on_ctrl_c_and_sigterm(tmp_path, sig):
    child, server = _child(tmp_path, "wait")
    os.killpg(child.pid, sig)  # as a terminal does: the whole foreground process group
    child.wait(timeout=30)
    assert _wait_gone(server)
    assert _saved(tmp_path) == [{"id": "x"}]


def test_not_left_running_when_clusterkg_is_killed(tmp_path):
    child, server = _child(tmp_path, "wait")
    child.kill()  # SIGKILL: no Python code runs; the server is told by the kernel (PR_SET_PDEATHSIG)
    child.wait(timeout=30)
    assert _wait_gone(server)
