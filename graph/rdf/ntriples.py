"""N-Triples, streamed: one line per triple, nothing held in memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from clusterkg.graph.rdf.iris import XSD_STRING, Obj, Triple

#: The escapes N-Triples and Turtle strings need (the rest of Unicode is written as it is).
NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_object(obj: Obj) -> str:
    """An object as N-Triples writes it.

    >>> nt_object(("2017-06", "http://www.w3.org/2001/XMLSchema#gYearMonth", None))
    '"2017-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    """
    if isinstance(obj, str):
        return f"<{obj}>"
    lexical, datatype, lang = obj
    text = lexical.translate(NT_ESCAPES)
    if lang:
        return f'"{text}"@{lang}'
    if datatype and datatype != XSD_STRING:
        return f'"{text}"^^<{datatype}>'
    return f'"{text}"'


def nt_lines(items: Iterable[Triple]) -> Iterator[str]:
    """N-Triples, one line per triple (with its newline).

    >>> next(nt_lines([("http://a/s", "http://a/p", ('say "hi"', None, None))]))
    '<http://a/s> <http://a/p> "say \\\\"hi\\\\"" .\\n'
    """
    for s, p, o in items:
        if o.__class__ is str:  # an IRI, most objects
            yield f"<{s}> <{p}> <{o}> .\n"
        else:
            yield f"<{s}> <{p}> {nt_object(o)} .\n"
