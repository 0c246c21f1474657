"""Turtle, streamed: prefixes, then each run of triples with one subject as one block."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from clusterkg.graph.rdf.iris import DEFAULT_BASE, XSD_STRING, A, Compactor, Iris, Triple
from clusterkg.graph.rdf.ntriples import NT_ESCAPES
from clusterkg.ontology.vocab import PREFIXES


def turtle_chunks(items: Iterable[Triple], base: str = DEFAULT_BASE) -> Iterator[str]:
    """Turtle, streamed: prefixes, then each run of triples with one subject as ``s p o ; p o .``"""
    prefixes = {**PREFIXES, **Iris(base).data_prefixes()}
    compact = Compactor(prefixes)
    for prefix, namespace in prefixes.items():
        yield f"@prefix {prefix}: <{namespace}> .\n"
    subject = predicate = None
    for s, p, o in items:
        if isinstance(o, str):
            obj = compact(o)
        else:
            lexical, datatype, lang = o
            text = lexical.translate(NT_ESCAPES)
            if lang:
                obj = f'"{text}"@{lang}'
            elif datatype and datatype != XSD_STRING:
                obj = f'"{text}"^^{compact(datatype)}'
            else:
                obj = f'"{text}"'
        if s == subject:
            if p == predicate:
                yield f" , {obj}"
            else:
                yield f" ;\n    {'a' if p == A else compact(p)} {obj}"
        else:
            yield f"{' .' if subject is not None else ''}\n\n{compact(s)} {'a' if p == A else compact(p)} {obj}"
            subject = s
        predicate = p
    if subject is not None:
        yield " .\n"
