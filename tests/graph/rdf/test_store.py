"""Pushing the graph to a real SPARQL 1.1 server: the Oxigraph server (from the ``oxigraph``
package, a test dependency), started on 127.0.0.1 by each test on a free port.

What is checked: the upload lands in the named or the default graph; a second push replaces,
never adds; a server that refuses gives a clear error; a server that goes away mid-load gives a
clear error and leaves the target graph as it was (checked after restarting the server on the
same store folder).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from clusterkg.graph import rdf
from clusterkg.graph.rdf.store import push, update_endpoint_for
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.problems import ClusterKGError

from clusterkg.cli import main

ROOT = Path(__file__).resolve().parents[3]
SMALL = ROOT / "tests" / "fixtures" / "rdf" / "small.yaml"
GRAPH = "http://example.org/graphs/clusters"


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        if os.environ.get("CI"):
            pytest.fail("the oxigraph server (pip package 'oxigraph', in the test extra) is not installed")
        pytest.skip("oxigraph server not installed")
    return found


class Server:
    def __init__(self, location: Path, read_only: bool = False):
        self.location = location
        self.read_only = read_only
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> Server:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = "serve-read-only" if self.read_only else "serve"
        self.process = subprocess.Popen(
            [oxigraph_binary(), command, "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the oxigraph server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def kill(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    def count(self, graph: str | None = None) -> int:
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
        request = urllib.request.Request(f"{self.url}/query?{query}", headers={"Accept": "text/csv"})
        return int(urllib.request.urlopen(request, timeout=10).read().decode().splitlines()[1])

    def graphs(self) -> set[str]:
        query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
        request = urllib.request.Request(f"{self.url}/query?{query}", headers={"Accept": "text/csv"})
        return set(urllib.request.urlopen(request, timeout=10).read().decode().splitlines()[1:])


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path / "store").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def small():
    return load_dataset([SMALL])


def test_push_to_a_named_graph_and_replace_it(server, small, sample_dataset):
    push(rdf.nt_bytes(small), server.store, GRAPH)
    assert server.count(GRAPH) == 238
    push(rdf.nt_bytes(sample_dataset, batch=500), server.store, GRAPH)
    assert server.count(GRAPH) == len(rdf.to_graph(sample_dataset))  # replaced, not added to
    assert server.graphs() == {GRAPH}  # no staging graph left behind


def test_push_to_the_default_graph(server, small):
    push(rdf.nt_bytes(small), server.store)
    assert server.count() == 238


def test_a_server_that_refuses(tmp_path, small):
    Server(tmp_path / "ro").start().stop()  # make the store folder, then serve it read-only
    read_only = Server(tmp_path / "ro", read_only=True).start()
    try:
        with pytest.raises(ClusterKGError, match=r"/store: the server refused to upload: HTTP 4\d\d"):
            push(rdf.nt_bytes(small), read_only.store, GRAPH)
    finally:
        read_only.stop()


def test_a_server_that_goes_away_mid_load_leaves_the_graph_as_it_was(tmp_path, small, sample_dataset):
    server = Server(tmp_path / "store").start()
    push(rdf.nt_bytes(small), server.store, GRAPH)

    def dying():
        for i, block in enumerate(rdf.nt_bytes(sample_dataset, batch=50)):
            if i == 3:
                server.kill()  # the server goes away while the body is being sent
            yield block

    with pytest.raises(ClusterKGError, match="went away|refused"):
        push(dying(), server.store, GRAPH)
    again = Server(tmp_path / "store").start()
    try:
        assert again.count(GRAPH) == 238  # the earlier graph, whole
    finally:
        again.stop()


def test_no_server_at_all():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ClusterKGError, match="could not upload: the server did not answer"):
        push([b""], f"http://127.0.0.1:{port}/store", GRAPH)


def test_bad_addresses_are_refused():
    with pytest.raises(ClusterKGError, match="give the http"):
        push([], "ftp://x/store")
    with pytest.raises(ClusterKGError, match="graph IRI"):
        push([], "http://127.0.0.1:1/store", "not an iri>")
    with pytest.raises(ClusterKGError, match="--update"):
        update_endpoint_for("http://127.0.0.1:1/somewhere")


def test_the_push_command(server, tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["rdf", "export", "data", "-o", str(tmp_path / "g.nt")]).exit_code == 0
    result = runner.invoke(main, ["rdf", "push", str(tmp_path / "g.nt"), "--endpoint", server.store, "--graph", GRAPH])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "g.nt").read_text(encoding="utf-8").splitlines()
    assert server.count(GRAPH) == len(set(lines))
    refused = runner.invoke(main, ["rdf", "push", "data", "--endpoint", "http://127.0.0.1:1/store"])
    assert refused.exit_code == 1 and "error: http://127.0.0.1:1/store: could not upload" in refused.output


# -- issue 16, point 16: HTTP basic authentication, and no credential in any message ---------------

USER, SECRET = "pusher-ann", "s3cr:et@x"  # a ':' and an '@' in the password, as real ones have


class AuthProxy:
    """A tiny HTTP proxy in front of the Oxigraph server (which has no authentication of its own):
    it answers 401 unless the request carries HTTP basic authentication for USER and SECRET, and
    forwards the rest as it came. It records every Authorization header it saw."""

    def __init__(self, target: str):
        import base64
        import http.server
        import threading

        expected = "Basic " + base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0], 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _forward(self):
                body = self._body()
                seen.append(self.headers.get("Authorization"))
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="test"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                request = urllib.request.Request(target + self.path, data=body if body else None,
                                                 method=self.command, headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        status, data = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, data = error.code, error.read()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = _forward

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def guarded(server):
    proxy = AuthProxy(server.url)
    yield proxy
    proxy.close()


def _creds_url(url: str, user: str = USER, password: str = SECRET) -> str:
    quote = urllib.parse.quote
    return url.replace("http://", f"http://{quote(user, safe='')}:{quote(password, safe='')}@")


def test_push_with_basic_auth_from_the_address_the_flags_or_the_environment(server, guarded, small, tmp_path):
    import urllib.error  # noqa: F401 - the proxy uses it

    nt = tmp_path / "small.nt"
    nt.write_bytes(b"".join(rdf.nt_bytes(small)))
    runner = CliRunner()
    ways = {
        "address": (["--endpoint", _creds_url(guarded.url + "/store")], {}),
        "flags": (["--endpoint", guarded.url + "/store", "--user", USER, "--password", SECRET], {}),
        "environment": (["--endpoint", guarded.url + "/store"],
                        {"CLUSTERKG_SPARQL_USER": USER, "CLUSTERKG_SPARQL_PASSWORD": SECRET}),
    }
    for n, (way, (args, env)) in enumerate(ways.items()):
        graph = f"{GRAPH}/{n}"
        result = runner.invoke(main, ["load", "sparql", str(nt), "--graph", graph, *args], env=env)
        assert result.exit_code == 0, (way, result.output)
        assert server.count(graph) == 238, way
        assert SECRET not in result.output and "s3cr" not in result.output, way
    assert all(seen for seen in guarded.seen)  # every request carried the credentials


def test_missing_or_wrong_credentials_are_said_without_showing_them(guarded, small, tmp_path):
    nt = tmp_path / "small.nt"
    nt.write_bytes(b"".join(rdf.nt_bytes(small)))
    runner = CliRunner()
    none = runner.invoke(main, ["load", "sparql", str(nt), "--endpoint", guarded.url + "/store"])
    assert none.exit_code == 1
    assert "needs a user name and password" in none.output and "CLUSTERKG_SPARQL_PASSWORD" in none.output
    wrong = runner.invoke(main, ["load", "sparql", str(nt), "--endpoint", _creds_url(guarded.url + "/store",
                                                                                      password="wr0ng-pw")])
    assert wrong.exit_code == 1
    assert "refused the user name or password" in wrong.output
    assert f"{guarded.url}/store" in wrong.output  # the server is named ...
    assert "wr0ng" not in wrong.output and "@" not in wrong.output  # ... without the credentials


def test_a_password_in_the_address_is_never_printed():
    """Today's bug: `user:secret@` was taken as part of the host name and printed in the error."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for endpoint in (f"http://{USER}:hunter2@127.0.0.1:{port}/store", f"http://{USER}:hunter2@127.0.0.1:99999/store",
                     f"http://{USER}:hunter2@127.0.0.1:{port}/elsewhere"):
        with pytest.raises(ClusterKGError) as error:
            push([b""], endpoint, GRAPH)
        assert "hunter2" not in str(error.value) and USER not in str(error.value), str(error.value)
    result = CliRunner().invoke(main, ["load", "sparql", "data", "--endpoint",
                                       f"http://{USER}:hunter2@127.0.0.1:{port}/store"])
    assert result.exit_code == 1 and f"127.0.0.1:{port}/store" in result.output
    assert "hunter2" not in result.output


# -- issue 16, point 14: a server that accepts and never answers -----------------------------------


def test_a_server_that_never_answers_is_given_up_on(silent_server, small, tmp_path):
    from clusterkg.graph.rdf.store import DEFAULT_TIMEOUT

    assert DEFAULT_TIMEOUT <= 60  # was 300 s, then 10 s more to drop the staging graph
    nt = tmp_path / "small.nt"
    nt.write_bytes(b"".join(rdf.nt_bytes(small)))
    start = time.monotonic()
    result = CliRunner().invoke(main, ["load", "sparql", str(nt), "--endpoint", f"http://{silent_server}/store",
                                       "--timeout", "1"])
    took = time.monotonic() - start
    assert result.exit_code == 1, result.output
    assert f"http://{silent_server}/store: could not upload: the server did not answer within 1 s" in result.output
    assert took < 10, took


def test_credentials_never_follow_a_redirect_to_another_host():
    import http.server
    import threading

    seen = {}

    class Other(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen["other"] = self.headers.get("Authorization")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Other)

    class Redirecting(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _any(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0)) if "Content-Length" in self.headers else None
            if self.headers.get("Transfer-Encoding") == "chunked":
                while (size := int(self.rfile.readline(), 16)):
                    self.rfile.read(size + 2)
                self.rfile.readline()
            seen[self.command] = self.headers.get("Authorization")
            if self.command == "POST":  # the update is sent elsewhere: a 303 to another host (localhost, not 127.0.0.1)
                self.send_response(303)
                self.send_header("Location", f"http://localhost:{other.server_address[1]}/update")
            else:
                self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_POST = do_DELETE = _any

    here = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    for server in (other, here):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        push([b"<urn:a> <urn:b> <urn:c> .\n"], f"http://{USER}:{SECRET.replace('@', '%40')}@127.0.0.1:"
             f"{here.server_address[1]}/store", GRAPH, timeout=5)
    finally:
        for server in (other, here):
            server.shutdown()
            server.server_close()
    assert seen["PUT"] and seen["POST"]  # the server itself got them
    assert "other" in seen and seen["other"] is None  # the host redirected to did not get them
