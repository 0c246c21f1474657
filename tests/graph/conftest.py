"""Small datasets built from records in code, so each test shows its whole input; the sample
dataset loaded once; ``rdf_counts``, the RDF graph counted in the property graph's terms;
``silent_server``, a server that accepts and never answers (for the Neo4j and SPARQL timeouts).
"""

from __future__ import annotations

import pathlib
import socket
import threading
from typing import Any

import pytest
from clusterkg.graph.cypher.schema import AGREEMENT_LABELS
from clusterkg.graph.rdf.sparql import select
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import Agreement, Organization


def make_dataset(orgs: list[tuple[str, str, str]], agreements: list[dict]) -> Dataset:
    """``orgs``: (id, country, kind); ``agreements``: Agreement fields, parties as ids."""
    ds = Dataset()
    for org_id, country, kind in orgs:
        ds.organizations[org_id] = Organization(id=org_id, name=org_id.upper(), kind=kind, country=country)
    for i, fields in enumerate(agreements):
        fields = {"type": "mou", "sources": [{"title": "fixture"}], **fields}
        fields.setdefault("id", f"ag-{i}")
        ds.agreements[fields["id"]] = Agreement(**fields)
    return ds


ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample_dataset():
    """The sample records in data/ (DESIGN.md section 1), loaded once."""
    from clusterkg.loaders.assemble import load_dataset

    ds = load_dataset([ROOT / "tests" / "fixtures" / "sample"])
    assert ds.valid, ds.problems[:5]
    return ds


# -- rdf_counts: how many nodes of each kind and relationships of each type the RDF graph holds ------
#
# Read from the RDF itself (by SPARQL), under the names the property graph uses (node labels
# Organization, Agreement, MoU ...; relationship types PARTY_TO, SIGNED ...), so a test can hold the
# counts of a dataset's graph against ``property_graph.counts`` of the same dataset: two forms, one
# content. Used by tests/graph/rdf/test_triples.py and tests/graph/cypher/test_load.py.

_PREFIXES = """
PREFIX ckg: <https://w3id.org/clusterkg/ns#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: Node label -> the pattern binding ?n to each node of it.
NODE_PATTERNS: dict[str, str] = {
    "Organization": "?n a org:Organization .",
    "Agreement": "?n a ckg:Agreement .",
    # People with a record and signers known only by name (one node per name, as in the property graph).
    "Person": "?n a prov:Person .",
    "Source": "?n a ckg:Source .",
    "Programme": "?n a ckg:Programme .",
    "Event": "?n a schema:Event .",
    "Region": "?n a schema:AdministrativeArea .",
    # Countries something is located in (a programme's schema:areaServed makes no Country node there).
    "Country": """?n a schema:Country .
        { ?o a org:Organization ; schema:location ?n } UNION { ?r schema:containedInPlace ?n }
        UNION { ?e a schema:Event ; schema:location ?n }""",
}

#: Relationship type -> the pattern binding the variables that make one relationship.
RELATIONSHIP_PATTERNS: dict[str, tuple[str, str]] = {
    "PARTY_TO": ("?a ?o", "?a ckg:party ?o ."),
    "SIGNED": ("?a ?p ?o", "?a prov:qualifiedAttribution ?s . ?s a ckg:Signature ; prov:agent ?p ; ckg:onBehalfOf ?o ."),
    "SOURCED_FROM": ("?r ?s", "?r prov:wasDerivedFrom ?s ."),
    "UNDER_PROGRAMME": ("?a ?p", "?a ckg:underProgramme ?p ."),
    "AT_EVENT": ("?a ?e", "?a ckg:atEvent ?e ."),
    "RENEWS": ("?a ?b", "?a ckg:renews ?b ."),
    "SUPERSEDES": ("?a ?b", "?a dct:replaces ?b ."),
    "OPERATED_BY": ("?p ?o", "?p ckg:operatedBy ?o ."),
    "PARTICIPATED_IN": ("?e ?o", "?e schema:attendee ?o ."),
    "LOCATED_IN": ("?x ?place", "{ ?x a org:Organization } UNION { ?x a schema:Event } ?x schema:location ?place ."),
    "IN_COUNTRY": ("?r ?c", "?r a schema:AdministrativeArea ; schema:containedInPlace ?c ."),
    "SUB_ORGANIZATION_OF": ("?a ?b", "?a org:subOrganizationOf ?b ."),
    "MEMBER_OF": ("?a ?b", "?a org:memberOf ?b ."),
    "SUCCEEDED": ("?a ?b", "?a org:resultedFrom ?c . ?c org:originalOrganization ?b ."),
    "HOLDS_POST": ("?p ?o ?t ?s ?e", """?p org:holds ?post . ?post org:postIn ?o ; skos:prefLabel ?t .
        OPTIONAL { ?post schema:startDate ?s } OPTIONAL { ?post schema:endDate ?e }"""),
}


def _rdf_counts(target: Any) -> dict[str, dict[str, int]]:
    """Node counts per label (an agreement also under its type's label) and relationship counts
    per type, from an rdflib graph or an Oxigraph store, in ``property_graph.counts``'s shape.
    """
    nodes: dict[str, int] = {}
    for label, pattern in NODE_PATTERNS.items():
        nodes[label] = _count(target, "?n", pattern)
    by_type = select(target, _PREFIXES + """
        SELECT ?type (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ckg:Agreement ; dct:type ?type } GROUP BY ?type""")
    for row in by_type.rows:
        key = str(row["type"]).rsplit("/", 1)[-1]
        nodes[AGREEMENT_LABELS.get(key, key)] = int(row["n"])
    relationships = {rel: _count(target, variables, pattern) for rel, (variables, pattern) in RELATIONSHIP_PATTERNS.items()}
    return {
        "nodes": dict(sorted((k, v) for k, v in nodes.items() if v)),
        "relationships": dict(sorted((k, v) for k, v in relationships.items() if v)),
    }


def _count(target: Any, variables: str, pattern: str) -> int:
    result = select(target, _PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {variables} WHERE {{ {pattern} }} }}")
    return int(result.rows[0]["n"]) if result.rows else 0


@pytest.fixture(scope="session")
def rdf_counts():
    """The counting function: ``rdf_counts(graph_or_store)`` -> ``{"nodes": {...}, "relationships": {...}}``.

    Session-scoped (it holds no state) so hypothesis tests can take it.
    """
    return _rdf_counts


@pytest.fixture
def silent_server():
    """``host:port`` of a loopback socket that accepts connections, reads nothing and never answers.

    The Neo4j handshake (tests/graph/cypher/test_neo4j_timeouts.py) and the SPARQL upload
    (tests/graph/rdf/test_store.py) must give up on it within their timeout.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for conn in held:
        conn.close()
