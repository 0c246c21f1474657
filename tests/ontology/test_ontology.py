"""The ontology, the vocabulary module and the JSON-LD context agree with each other and with
what graph/rdf.py writes: every term used is declared here or in a standard vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest
import rdflib.namespace as rns
from clusterkg.graph.rdf import metric_triples, to_graph, triples
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.records import (
    AGREEMENT_TYPES,
    ORG_KINDS,
    AgreementStatus,
    EventKind,
)
from clusterkg.ontology import vocab
from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "rdf" / "small.yaml"

#: rdflib's closed lists of the standard vocabularies we reuse (a term outside them is a typo).
STANDARD = tuple(getattr(rns, n) for n in ("DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS", "SDO", "SKOS", "TIME", "XSD"))
RDF, RDFS, SKOS, OWL = rns.RDF, rns.RDFS, rns.SKOS, rns.OWL


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(vocab.ONTOLOGY_FILE, format="turtle")


def declared(ontology: Graph) -> set[URIRef]:
    return {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}


def project_terms() -> set[URIRef]:
    terms = set()
    for namespace in vocab.PROJECT_NAMESPACES:
        names = list(namespace.__annotations__) + list(getattr(namespace, "_extras", []))
        terms |= {namespace[name] for name in names if not name.startswith("_")}
    return terms


def test_every_vocab_term_is_declared_with_label_and_definition(ontology):
    for term in project_terms():
        assert (term, RDF.type, None) in ontology, f"{term} is in vocab.py but not in clusterkg.ttl"
        assert ontology.value(term, RDFS.label) or ontology.value(term, SKOS.prefLabel), f"{term} has no label"
        assert ontology.value(term, SKOS.definition), f"{term} has no definition"


def test_every_declared_project_term_is_in_vocab(ontology):
    ours = [t for t in declared(ontology) if str(t).startswith("https://w3id.org/clusterkg/") and "#" in str(t)
            or str(t).startswith(vocab.CONCEPT_BASE)]
    missing = sorted(str(t) for t in ours if t not in project_terms())
    assert missing == [], f"declared in clusterkg.ttl, missing from vocab.py: {missing}"


def test_vocab_namespaces_are_closed():
    with pytest.raises(AttributeError):
        vocab.CKG.partie  # noqa: B018 - the typo must raise


def test_concept_schemes_match_the_model(ontology):
    def notations(scheme):
        return {str(ontology.value(c, SKOS.notation)) for c in ontology.subjects(SKOS.inScheme, scheme)}

    assert notations(vocab.CKG.AgreementTypes) == set(AGREEMENT_TYPES)
    assert notations(vocab.CKG.OrganizationKinds) == set(ORG_KINDS)
    assert notations(vocab.CKG.AgreementStatuses) == set(AgreementStatus.__args__)
    assert notations(vocab.CKG.EventKinds) == set(EventKind.__args__)


def test_alignments_are_links_not_imports(ontology):
    assert not list(ontology.objects(None, OWL.imports))
    assert (vocab.CKG.Agreement, SKOS.closeMatch, None) in ontology


def used_terms(graph: Graph) -> set[URIRef]:
    """Every predicate and class in a graph, and every IRI object outside the data's own base."""
    terms = set()
    for s, p, o in graph:
        terms.add(p)
        if p == RDF.type or (isinstance(o, URIRef) and not str(o).startswith("https://example.org/kg/")):
            terms.add(o)
        if getattr(o, "datatype", None):
            terms.add(o.datatype)
    return terms


def test_every_term_rdf_py_writes_is_declared_or_standard(ontology, sample_graph_terms):
    ours = declared(ontology)
    unknown = []
    for term in sample_graph_terms:
        text = str(term)
        if text.startswith(("http://www.wikidata.org/entity/", "https://ror.org/")):
            continue  # identifiers of the things themselves (schema:sameAs), not vocabulary
        if term in ours:
            continue
        if any(text.startswith(str(ns._NS)) and term in ns for ns in STANDARD):
            continue
        unknown.append(text)
    assert unknown == []


@pytest.fixture(scope="module")
def sample_graph_terms() -> set[URIRef]:
    base = "https://example.org/kg/"
    graph = to_graph(load_dataset([SMALL]), base)
    sample = load_dataset([ROOT / "tests" / "fixtures" / "sample"])
    assert sample.valid
    graph += to_graph(sample, base)
    graph += to_graph(list(metric_triples({"link-j": {"betweenness": 0.5}}, base)), base)
    terms = used_terms(graph)
    assert len(terms) > 60  # the fixture uses every part of the mapping
    return terms


def test_context_prefixes_and_terms_are_known(ontology):
    context = json.loads(vocab.CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    for prefix, namespace in vocab.PREFIXES.items():
        assert context[prefix] == namespace
    ours = declared(ontology)
    for term, definition in context.items():
        target = definition if isinstance(definition, str) else definition["@id"]
        if target.startswith("@") or term in vocab.PREFIXES:
            continue
        prefix, _, local = target.partition(":")
        iri = URIRef(vocab.PREFIXES[prefix] + local)
        assert iri in ours or any(iri in ns for ns in STANDARD), f"context term {term} -> {iri} is not declared"


def test_shapes_country_list_is_iso_3166_1():
    shapes = Graph().parse(vocab.SHAPES_FILE, format="turtle")
    from rdflib.collection import Collection

    SH = vocab.SH
    listed = {str(v) for v in Collection(shapes, shapes.value(URIRef("https://w3id.org/clusterkg/shapes#CountryCode"), SH["in"]))}
    assert listed == {c.alpha_2 for c in pycountry.countries}


def test_triples_use_only_plain_strings():
    """The hot path carries no rdflib objects: subjects and predicates are str, objects str or tuples."""
    for s, p, o in triples(load_dataset([SMALL])):
        assert type(s) is str and type(p) is str
        assert type(o) is str or (type(o) is tuple and len(o) == 3)
