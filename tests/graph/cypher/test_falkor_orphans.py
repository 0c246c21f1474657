"""Issue 16, point 17: the embedded server dies with clusterkg whichever thread started it.

``PR_SET_PDEATHSIG`` follows the thread that forked the child, so a server started from a
short-lived thread was either started without it (and outlived a SIGKILLed parent, orphaned) or
would have been killed when that thread ended. Here a process starts the server from a thread
that then ends, shows that the server still runs, and is killed with SIGKILL; the server must be
gone within seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")

CHILD = textwrap.dedent("""
    import sys, threading, time
    from clusterkg.graph.cypher.falkor import EmbeddedServer

    started = {}

    def start():
        started["server"] = EmbeddedServer(sys.argv[1]).start()

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()  # the thread that started the server has ended
    time.sleep(0.5)
    server = started["server"]
    server.client.connection.ping()  # still serving after its starting thread ended
    print(server.process.pid, flush=True)
    time.sleep(600)
""")


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def test_a_server_started_from_a_thread_dies_with_its_sigkilled_parent(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "falkordb")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    server_pid = None
    try:
        line = parent.stdout.readline()
        assert line.strip().isdigit(), (line, parent.stderr.read() if parent.poll() is not None else "")
        server_pid = int(line)
        assert _alive(server_pid)
        assert "redis-server" in Path(f"/proc/{server_pid}/cmdline").read_bytes().decode(errors="replace")
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(server_pid), "the embedded server outlived its SIGKILLed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if server_pid and _alive(server_pid):
            os.kill(server_pid, signal.SIGKILL)
