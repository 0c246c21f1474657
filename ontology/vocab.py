"""The project's own RDF terms, as closed namespaces, and the standard ones it reuses.

Every term of :class:`CKG` and of the concept schemes is declared in
``ontology/clusterkg.ttl`` (a test checks both ways). The namespaces are
closed (``_fail = True``): a typo such as ``CKG.partie`` raises at once
instead of minting a new, undeclared IRI.

Examples
--------
>>> str(CKG.party)
'https://w3id.org/clusterkg/ns#party'
>>> str(AGREEMENT_TYPE.mou)
'https://w3id.org/clusterkg/concept/agreement-type/mou'
>>> str(ORG_KIND["research-institute"])
'https://w3id.org/clusterkg/concept/org-kind/research-institute'
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)

#: Where the ontology, the shapes and the JSON-LD context live.
ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = ONTOLOGY_DIR / "clusterkg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"

#: The ontology's own IRI (terms are ``ONTOLOGY_IRI + "#" + name``).
ONTOLOGY_IRI = "https://w3id.org/clusterkg/ns"
CONCEPT_BASE = "https://w3id.org/clusterkg/concept/"

# schema.org is used with its https IRIs, as schema.org itself publishes them (rdflib's SDO).
SCHEMA = SDO
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Where an organisation's Wikidata and ROR ids point (``schema:sameAs`` links; read back by loaders/rdf.py).
WIKIDATA = "http://www.wikidata.org/entity/"
ROR = "https://ror.org/"


class CKG(DefinedNamespace):
    """Classes, properties and individuals of the clusterkg ontology."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # classes: agreements and their specific types
    Agreement: URIRef
    MemorandumOfUnderstanding: URIRef
    LetterOfIntent: URIRef
    MemorandumOfCooperation: URIRef
    CollaborationAgreement: URIRef
    PartnershipAgreement: URIRef
    FundingAgreement: URIRef
    Acquisition: URIRef
    MembershipAgreement: URIRef
    # classes: the rest
    ClusterOrganization: URIRef
    Programme: URIRef
    Source: URIRef
    PartyAttribution: URIRef
    Signature: URIRef
    Measurement: URIRef
    # object properties
    party: URIRef
    onBehalfOf: URIRef
    underProgramme: URIRef
    atEvent: URIRef
    renews: URIRef
    operatedBy: URIRef
    status: URIRef
    measurement: URIRef
    # datatype properties
    position: URIRef
    signed: URIRef
    announced: URIRef
    expires: URIRef
    accessed: URIRef
    activity: URIRef
    evidence: URIRef
    signatoryTitle: URIRef
    signerName: URIRef
    venue: URIRef
    metricName: URIRef
    # individuals: the roles of qualified attributions
    partyRole: URIRef
    signatoryRole: URIRef
    # concept schemes
    AgreementTypes: URIRef
    OrganizationKinds: URIRef
    AgreementStatuses: URIRef
    EventKinds: URIRef


class AGREEMENT_TYPE(DefinedNamespace):  # noqa: N801 - a namespace, named like the others
    """Concepts of the agreement-type scheme (the model's closed list)."""

    _fail = True
    _NS = Namespace(CONCEPT_BASE + "agreement-type/")

    mou: URIRef
    loi: URIRef
    moc: URIRef
    collaboration: URIRef
    partnership: URIRef
    funding: URIRef
    acquisition: URIRef
    membership: URIRef
    other: URIRef


class ORG_KIND(DefinedNamespace):  # noqa: N801
    """Concepts of the organisation-kind scheme."""

    _fail = True
    _NS = Namespace(CONCEPT_BASE + "org-kind/")
    _extras = ["research-institute"]

    cluster: URIRef
    government: URIRef
    city: URIRef
    university: URIRef
    company: URIRef
    society: URIRef
    funder: URIRef
    agency: URIRef
    hospital: URIRef
    investor: URIRef
    other: URIRef


class STATUS(DefinedNamespace):  # noqa: N801
    """Concepts of the agreement-status scheme."""

    _fail = True
    _NS = Namespace(CONCEPT_BASE + "status/")

    active: URIRef
    expired: URIRef
    terminated: URIRef
    superseded: URIRef
    planned: URIRef
    unknown: URIRef


class EVENT_KIND(DefinedNamespace):  # noqa: N801
    """Concepts of the event-kind scheme."""

    _fail = True
    _NS = Namespace(CONCEPT_BASE + "event-kind/")
    _extras = ["trade-mission"]

    conference: URIRef
    delegation: URIRef
    visit: URIRef
    other: URIRef


#: Prefixes bound in every serialisation (Turtle, JSON-LD context, SPARQL queries).
PREFIXES: dict[str, str] = {
    "ckg": str(CKG._NS),
    "ckgtype": str(AGREEMENT_TYPE._NS),
    "ckgkind": str(ORG_KIND._NS),
    "ckgstatus": str(STATUS._NS),
    "ckgevent": str(EVENT_KIND._NS),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "skos": str(SKOS),
    "time": str(TIME),
    "foaf": str(FOAF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

#: Namespaces whose terms are "standard": a term used from them need not be declared in clusterkg.ttl.
STANDARD_NAMESPACES: tuple[str, ...] = tuple(
    PREFIXES[p] for p in ("org", "schema", "prov", "dct", "skos", "time", "foaf", "rdf", "rdfs", "owl", "xsd")
)

#: The closed namespaces of the project, for the test that they match the ontology file.
PROJECT_NAMESPACES = (CKG, AGREEMENT_TYPE, ORG_KIND, STATUS, EVENT_KIND)
