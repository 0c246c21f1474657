"""The RDF form of the graph (DESIGN.md section 3, docs/rdf.md).

One module per job:

* :mod:`~clusterkg.graph.rdf.iris`: the base, the IRIs and literals records become;
* :mod:`~clusterkg.graph.rdf.triples`: records (and analysis metrics) -> triples;
* :mod:`~clusterkg.graph.rdf.ntriples`, :mod:`~clusterkg.graph.rdf.turtle`,
  :mod:`~clusterkg.graph.rdf.jsonld`: the three streamed serialisations;
* :mod:`~clusterkg.graph.rdf.io`: write and read files, N-Triples blocks, rdflib graphs;
* :mod:`~clusterkg.graph.rdf.sparql`: the named SPARQL queries of queries/*.rq;
* :mod:`~clusterkg.graph.rdf.shacl`: the shapes of ontology/shapes.ttl, in words;
* :mod:`~clusterkg.graph.rdf.store`: Oxigraph, and pushing to a SPARQL server.

``clusterkg.graph.rdf`` was one module; the names below stay importable from here
(``from clusterkg.graph import rdf; rdf.to_graph(ds)``).
"""

from clusterkg.graph.rdf.io import (
    FORMATS,
    SUFFIXES,
    add_triples,
    bind_prefixes,
    chunks,
    format_of,
    nt_bytes,
    read_graph,
    to_graph,
    write,
)
from clusterkg.graph.rdf.iris import (
    DATATYPE_OF_PRECISION,
    DEFAULT_BASE,
    Iris,
    Lit,
    Obj,
    Triple,
    check_base,
    date_literal,
    plain,
    position,
    tagged,
    text_key,
)
from clusterkg.graph.rdf.jsonld import jsonld_chunks, jsonld_context
from clusterkg.graph.rdf.ntriples import nt_lines
from clusterkg.graph.rdf.triples import (
    ACQUIRED_ROLES,
    AGREEMENT_CLASS,
    SCHEMA_CLASS_OF_KIND,
    metric_triples,
    triples,
)
from clusterkg.graph.rdf.turtle import turtle_chunks
from clusterkg.ontology.vocab import ROR, WIKIDATA

__all__ = [
    "ACQUIRED_ROLES", "AGREEMENT_CLASS", "DATATYPE_OF_PRECISION", "DEFAULT_BASE", "FORMATS", "ROR",
    "SCHEMA_CLASS_OF_KIND", "SUFFIXES", "WIKIDATA", "Iris", "Lit", "Obj", "Triple", "add_triples",
    "bind_prefixes", "check_base", "chunks", "date_literal", "format_of", "jsonld_chunks", "jsonld_context",
    "metric_triples", "nt_bytes", "nt_lines", "plain", "position", "read_graph", "tagged", "text_key", "to_graph",
    "triples", "turtle_chunks", "write",
]
