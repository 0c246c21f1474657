"""Reading and writing RDF: a format from a file name, streamed writing in any of the three
serialisations, N-Triples blocks for stores, and rdflib graphs (built from records, or parsed).

:func:`write` streams N-Triples, Turtle or JSON-LD straight to a file without
building any graph in memory, so millions of triples cost only the time to
format them; :func:`to_graph` builds an rdflib :class:`~rdflib.Graph` (for
SPARQL, SHACL and reading back with :mod:`clusterkg.loaders.rdf`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from clusterkg.graph.rdf.iris import DEFAULT_BASE, Iris, Obj, Triple
from clusterkg.graph.rdf.jsonld import jsonld_chunks
from clusterkg.graph.rdf.ntriples import nt_lines
from clusterkg.graph.rdf.triples import triples
from clusterkg.graph.rdf.turtle import turtle_chunks
from clusterkg.model.dataset import gc_paused
from clusterkg.model.problems import ClusterKGError
from clusterkg.ontology.vocab import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

    from clusterkg.model.dataset import Dataset
    from clusterkg.model.records import Record

FORMATS = {"nt": "N-Triples", "ttl": "Turtle", "jsonld": "JSON-LD"}
SUFFIXES = {".nt": "nt", ".ttl": "ttl", ".jsonld": "jsonld", ".json": "jsonld"}


def to_graph(source: Dataset | Iterable[Record] | Iterable[Triple], base: str = DEFAULT_BASE) -> Graph:
    """An rdflib graph of the records (or of triples from :func:`triples`), prefixes bound.

    Literals keep the lexical form written (``P18M`` stays ``P18M``; rdflib would
    otherwise rewrite durations to ``P1Y6M``).

    Examples
    --------
    >>> from clusterkg.model.records import Organization
    >>> g = to_graph([Organization(id="link-j", name="LINK-J", kind="cluster", country="JP")])
    >>> len(g) > 10
    True
    """
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph, base)
    add_triples(graph, _as_triples(source, base))
    return graph


def _as_triples(source: Any, base: str) -> Iterable[Triple]:
    if hasattr(source, "records"):
        return triples(source, base)
    items = iter(source)
    first = next(items, None)
    if first is None:
        return []
    rest = _chain(first, items)
    if isinstance(first, tuple):
        return rest
    return triples(rest, base)


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def add_triples(graph: Graph, items: Iterable[Triple]) -> Graph:
    """Add plain triples to an rdflib graph, converting terms (with a cache, for speed)."""
    from rdflib import Literal, URIRef

    iris: dict[str, URIRef] = {}

    def iri(text: str) -> URIRef:
        term = iris.get(text)
        if term is None:
            term = iris[text] = URIRef(text)
        return term

    def make(obj: Obj):
        if isinstance(obj, str):
            return iri(obj)
        lexical, datatype, lang = obj
        return Literal(lexical, lang=lang, datatype=iri(datatype) if datatype else None, normalize=False)

    graph.addN((iri(s), iri(p), make(o), graph) for s, p, o in items)
    return graph


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> None:
    for prefix, namespace in {**PREFIXES, **Iris(base).data_prefixes()}.items():
        graph.bind(prefix, namespace, override=True, replace=True)



def chunks(items: Iterable[Triple], fmt: str, base: str = DEFAULT_BASE) -> Iterator[str]:
    """The text of ``items`` in ``fmt`` (nt, ttl, jsonld), in pieces."""
    if fmt == "nt":
        return nt_lines(items)
    if fmt == "ttl":
        return turtle_chunks(items, base)
    if fmt == "jsonld":
        return jsonld_chunks(items, base)
    raise ClusterKGError(f"unknown RDF format {fmt!r}: use one of {', '.join(FORMATS)}")


def format_of(path: Path | str) -> str:
    """``nt``, ``ttl`` or ``jsonld`` from a file name."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ClusterKGError(f"{path}: cannot tell the RDF format from {suffix or 'no suffix'!r}; "
                             f"use {', '.join(SUFFIXES)}")
    return SUFFIXES[suffix]


def write(
    source: Dataset | Iterable[Record] | Iterable[Triple],
    target: Path | str | IO[str],
    fmt: str | None = None,
    base: str = DEFAULT_BASE,
    *,
    extra: Iterable[Triple] = (),
) -> int:
    """Stream the records' RDF to a file (or an open text stream) in ``fmt``; returns the triple count.

    ``extra`` triples (analysis metrics) are appended. No graph is built in memory.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> from clusterkg.model.records import Organization
    >>> write([Organization(id="x", name="X", kind="city", country="DE")], out, "nt")
    13
    """
    if fmt is None:
        if not isinstance(target, (str, Path)):
            raise ClusterKGError("give the RDF format when writing to a stream")
        fmt = format_of(target)
    counted = _Counted(itertools.chain(_as_triples(source, base), extra))
    # Millions of short-lived tuples would trigger the cyclic GC over every live record again
    # and again; nothing written here makes cycles, so it is paused while writing.
    with gc_paused():
        if isinstance(target, (str, Path)):
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                _write_chunks(handle, chunks(counted, fmt, base))
        else:
            _write_chunks(target, chunks(counted, fmt, base))
    return counted.n


def _write_chunks(handle: IO[str], pieces: Iterable[str]) -> None:
    # Joining a few thousand pieces per write is several times faster than one write each.
    buffer: list[str] = []
    for piece in pieces:
        buffer.append(piece)
        if len(buffer) >= 4096:
            handle.write("".join(buffer))
            buffer.clear()
    handle.write("".join(buffer))


class _Counted:
    def __init__(self, items: Iterable[Triple]):
        self.items = items
        self.n = 0

    def __iter__(self) -> Iterator[Triple]:
        for item in self.items:
            self.n += 1
            yield item


def nt_bytes(source: Dataset | Iterable[Record] | Iterable[Triple], base: str = DEFAULT_BASE,
             batch: int = 20_000) -> Iterator[bytes]:
    """N-Triples as UTF-8 byte blocks of ``batch`` lines, for streaming uploads and stores."""
    lines: list[str] = []
    for line in nt_lines(_as_triples(source, base)):
        lines.append(line)
        if len(lines) >= batch:
            yield "".join(lines).encode("utf-8")
            lines.clear()
    if lines:
        yield "".join(lines).encode("utf-8")


def read_graph(path: Path | str, fmt: str | None = None) -> Graph:
    """Parse an RDF file written by :func:`write` (or any N-Triples, Turtle or JSON-LD file) with rdflib.

    JSON-LD is read with its inline context only: nothing is fetched.
    """
    from rdflib import Graph

    fmt = fmt or format_of(path)
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(str(path), format={"nt": "nt", "ttl": "turtle", "jsonld": "json-ld"}[fmt])
    except FileNotFoundError:
        raise ClusterKGError(f"{path}: no such file") from None
    except Exception as error:  # rdflib raises many kinds; the user needs the file and the reason
        raise ClusterKGError(f"{path}: not valid {FORMATS[fmt]}: {error}") from None
    return graph
