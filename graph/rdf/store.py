"""The scale path: Oxigraph as the fast local store, and pushing the graph to any SPARQL 1.1 server.

* :func:`oxigraph_store` streams N-Triples (never an rdflib graph) into a
  ``pyoxigraph.Store``, in memory or in a folder; the named queries run on it
  through :func:`clusterkg.graph.rdf.sparql.run` as they do on rdflib.
* :func:`push` uploads N-Triples to a server with the SPARQL 1.1 Graph Store
  HTTP Protocol (Oxigraph server, Jena Fuseki, GraphDB ...). It never leaves a
  half-written graph: the data goes first to a fresh named graph, and only
  when the whole upload is accepted does one SPARQL Update ``MOVE`` put it in
  place of the target graph (MOVE replaces the target in one operation). If
  the server refuses or goes away, the target graph is as it was.

  HTTP basic authentication: a user and password given as arguments, or in the address
  (``https://user:secret@host/...``). The address is used and shown without them: no
  message ever holds a credential (:func:`without_credentials`). Every request waits at
  most ``timeout`` seconds for the server (to connect, and for each answer), so a server
  that accepts a connection and never answers is given up on, with its address.
"""

from __future__ import annotations

import base64
import http.client
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clusterkg.graph.rdf.iris import FORBIDDEN_IN_IRI
from clusterkg.model.problems import ClusterKGError

NT_MEDIA_TYPE = "application/n-triples"
#: Seconds to wait for a SPARQL server to connect or answer, unless told otherwise.
DEFAULT_TIMEOUT = 60.0


def oxigraph_store(chunks: Iterable[bytes] | None = None, path: Path | str | None = None) -> Any:
    """A ``pyoxigraph.Store`` (in memory, or persisted in ``path``), loaded with N-Triples byte blocks.

    Examples
    --------
    >>> from clusterkg.model.records import Organization
    >>> from clusterkg.graph.rdf import nt_bytes
    >>> store = oxigraph_store(nt_bytes([Organization(id="a", name="A", kind="city", country="DE")]))
    >>> len(store)
    13
    """
    import pyoxigraph as ox

    store = ox.Store(str(path)) if path is not None else ox.Store()
    if chunks is not None:
        # bulk_load skips transactions: the fast way in, for a store being built.
        store.bulk_load(ByteReader(chunks), format=ox.RdfFormat.N_TRIPLES)
        store.flush()
    return store


class ByteReader:
    """A file-like object over byte blocks, for pyoxigraph's streaming parser."""

    def __init__(self, chunks: Iterable[bytes]):
        self.chunks = iter(chunks)
        self.buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            block = next(self.chunks, None)
            if block is None:
                break
            self.buffer += block
        if size < 0:
            data, self.buffer = self.buffer, b""
        else:
            data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def readable(self) -> bool:
        return True


# -- Graph Store Protocol ---------------------------------------------------------


@dataclass
class PushResult:
    endpoint: str
    graph: str | None
    bytes_sent: int


def update_endpoint_for(endpoint: str) -> str:
    """The SPARQL Update address that goes with a Graph Store address, for the servers whose layout is known.

    >>> update_endpoint_for("http://127.0.0.1:7878/store")
    'http://127.0.0.1:7878/update'
    >>> update_endpoint_for("http://localhost:3030/ds/data")
    'http://localhost:3030/ds/update'
    """
    for store_suffix, update_suffix in (("/store", "/update"), ("/data", "/update"),
                                        ("/rdf-graphs/service", "/statements")):
        if endpoint.rstrip("/").endswith(store_suffix):
            return endpoint.rstrip("/")[: -len(store_suffix)] + update_suffix
    raise ClusterKGError(
        f"{shown(endpoint)}: cannot tell this server's SPARQL Update address; give it with --update "
        "(Oxigraph: .../update, Fuseki: .../DATASET/update, GraphDB: .../repositories/REPO/statements)"
    )


def check_iri(iri: str, what: str = "graph IRI") -> str:
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) or FORBIDDEN_IN_IRI.search(iri):
        raise ClusterKGError(f"{what} {iri!r}: give an absolute IRI without spaces or <>\"{{}}|^`\\ characters")
    return iri


def without_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``url`` without its user information, and the user and password it held (percent-decoded).

    >>> without_credentials("https://ann:s%40cret@example.org:8443/store?x=1")
    ('https://example.org:8443/store?x=1', 'ann', 's@cret')
    >>> without_credentials("http://127.0.0.1:7878/store")
    ('http://127.0.0.1:7878/store', None, None)
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return _scrub(url), None, None
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    clean = urllib.parse.urlunsplit(parts._replace(netloc=host))
    return clean, urllib.parse.unquote(user) or None, urllib.parse.unquote(password) if sep else None


def shown(url: str) -> str:
    """``url`` as messages show it: never with a user name or password."""
    return without_credentials(url)[0]


def _scrub(text: str) -> str:
    """Any ``scheme://user:secret@`` in ``text`` without its user information."""
    return re.sub(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@", r"\1", text)


def _auth_header(user: str | None, password: str | None) -> dict[str, str]:
    if user is None and password is None:
        return {}
    token = base64.b64encode(f"{user or ''}:{password or ''}".encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def push(
    chunks: Iterable[bytes],
    endpoint: str,
    graph: str | None = None,
    *,
    update: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    user: str | None = None,
    password: str | None = None,
) -> PushResult:
    """Upload N-Triples byte blocks to ``graph`` (None: the default graph) of a Graph Store endpoint.

    ``user`` and ``password`` (HTTP basic authentication) default to those in the endpoint's
    address, if any; they are sent to the endpoint and to the update address. ``timeout``:
    seconds to wait for the server to connect and to answer each request.

    Raises :class:`ClusterKGError` naming the endpoint (never with credentials) and what went
    wrong; then the target graph is unchanged (the upload went to a fresh graph, which is
    dropped where the server still answers).
    """
    endpoint, url_user, url_password = without_credentials(endpoint)
    if not re.match(r"^https?://[^/?#]", endpoint):
        raise ClusterKGError(f"endpoint {endpoint!r}: give the http(s) address of a Graph Store, "
                             "e.g. http://127.0.0.1:7878/store")
    if graph is not None:
        check_iri(graph)
    if update is not None:
        update, update_user, update_password = without_credentials(update)
    else:
        update, update_user, update_password = update_endpoint_for(endpoint), None, None
    user = user if user is not None else url_user if url_user is not None else update_user
    password = password if password is not None else url_password if url_password is not None else update_password
    auth = _auth_header(user, password)
    staging = f"urn:clusterkg:upload:{uuid.uuid4()}"
    counter = _Counter(chunks)
    try:
        _request("PUT", _graph_url(endpoint, staging), counter, {"Content-Type": NT_MEDIA_TYPE, **auth}, timeout,
                 endpoint, "upload")
        target = f"GRAPH <{graph}>" if graph is not None else "DEFAULT"
        # The two IRIs are checked above (and one is ours); no input text reaches the update otherwise.
        body = urllib.parse.urlencode({"update": f"MOVE GRAPH <{staging}> TO {target}"}).encode()
        _request("POST", update, [body], {"Content-Type": "application/x-www-form-urlencoded", **auth}, timeout,
                 update, "replace the graph")
    except ClusterKGError as error:
        if not getattr(error, "timed_out", False):  # a server that does not answer would not answer this either
            _drop_quietly(endpoint, staging, auth, min(timeout, 10.0))
        raise
    return PushResult(endpoint, graph, counter.sent)


def _graph_url(endpoint: str, graph: str) -> str:
    return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"graph": graph})


class _Counter:
    def __init__(self, chunks: Iterable[bytes]):
        self.chunks = chunks
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.sent += len(chunk)
            yield chunk


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, but never sends the credentials to another host."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc:
            new.headers.pop("Authorization", None)
            new.unredirected_hdrs.pop("Authorization", None)
        return new


_OPENER = urllib.request.build_opener(_SameHostRedirects)


def _request(method: str, url: str, body: Iterable[bytes], headers: dict[str, str], timeout: float,
             where: str, doing: str) -> None:
    request = urllib.request.Request(url, data=iter(body), method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = _scrub(error.read()[:300].decode("utf-8", "replace").strip())
        given = "Authorization" in headers
        if error.code == 401 or (error.code == 403 and given):
            hint = ("the server refused the user name or password" if given and error.code == 401 else
                    "the user may not do this" if given else
                    "the server needs a user name and password: give --user and --password, "
                    "CLUSTERKG_SPARQL_USER and CLUSTERKG_SPARQL_PASSWORD, or https://USER:PASSWORD@... in the address")
            raise ClusterKGError(f"{where}: could not {doing}: {hint} (HTTP {error.code} {error.reason})") from None
        raise ClusterKGError(
            f"{where}: the server refused to {doing}: HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, OSError) as error:
        reason = getattr(error, "reason", None) or error
        if isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason):
            failure = ClusterKGError(f"{where}: could not {doing}: the server did not answer within {timeout:g} s "
                                     "(give more time with --timeout SECONDS)")
            failure.timed_out = True  # type: ignore[attr-defined]
            raise failure from None
        raise ClusterKGError(f"{where}: could not {doing}: the server did not answer or went away "
                             f"({_scrub(str(reason))})") from None


def _drop_quietly(endpoint: str, staging: str, auth: dict[str, str], timeout: float) -> None:
    """Remove the staging graph where the server still answers; nothing else depends on it."""
    try:
        request = urllib.request.Request(_graph_url(endpoint, staging), method="DELETE", headers=auth)
        with _OPENER.open(request, timeout=timeout) as response:
            response.read()
    except Exception:  # noqa: BLE001 - best effort: the server may be gone, or the graph never made
        pass
