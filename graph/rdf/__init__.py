"""The RDF form of the graph: IRIs, triples, serialisers, SPARQL, SHACL and a store.

``clusterkg.graph.rdf`` was one module; its public names are still importable
from here.
"""

from clusterkg.graph.rdf.triples import *  # noqa: F401,F403
