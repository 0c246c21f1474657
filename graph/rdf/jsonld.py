"""JSON-LD, streamed, with the published context (ontology/context.jsonld) inlined."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from clusterkg.graph.rdf.iris import DEFAULT_BASE, XSD_STRING, A, Compactor, Obj, Triple
from clusterkg.ontology.vocab import CONTEXT_FILE, PREFIXES


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The published context (ontology/context.jsonld), inlined in the JSON-LD we write so
    no reader has to fetch it."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def jsonld_chunks(items: Iterable[Triple], base: str = DEFAULT_BASE) -> Iterator[str]:
    """JSON-LD, streamed: ``{"@context": ..., "@graph": [node, ...]}``, one node object per run of
    triples with one subject (a subject may appear in several node objects; JSON-LD merges them)."""
    context = dict(jsonld_context())
    compact = Compactor({k: v for k, v in PREFIXES.items()})

    def key(iri: str) -> str:
        name = compact(iri)
        return iri if name.startswith("<") else name

    def value(obj: Obj) -> Any:
        if isinstance(obj, str):
            return {"@id": obj}
        lexical, datatype, lang = obj
        if lang:
            return {"@value": lexical, "@language": lang}
        if datatype and datatype != XSD_STRING:
            return {"@value": lexical, "@type": key(datatype)}
        return lexical

    yield '{\n"@context": ' + json.dumps(context, ensure_ascii=False) + ',\n"@graph": ['
    first = True
    node: dict[str, Any] | None = None
    for s, p, o in items:
        if node is None or node["@id"] != s:
            if node is not None:
                yield ("\n" if first else ",\n") + json.dumps(node, ensure_ascii=False)
                first = False
            node = {"@id": s}
        if p == A:
            node.setdefault("@type", []).append(key(o))  # type: ignore[arg-type]
        else:
            node.setdefault(key(p), []).append(value(o))
    if node is not None:
        yield ("\n" if first else ",\n") + json.dumps(node, ensure_ascii=False)
    yield "\n]\n}\n"
