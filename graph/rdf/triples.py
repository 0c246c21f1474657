"""Records -> RDF (DESIGN.md section 3; the model in ontology/clusterkg.ttl, docs/rdf.md).

One function, :func:`triples`, says how each record becomes RDF. Everything
else consumes its output:

* :func:`to_graph` builds an rdflib :class:`~rdflib.Graph` (for SPARQL, SHACL
  and reading back with :mod:`clusterkg.loaders.rdf`);
* :func:`write` streams N-Triples, Turtle or JSON-LD straight to a file
  without building any graph in memory, so millions of triples cost only the
  time to format them.

A triple is ``(subject, predicate, object)`` of plain strings, an object being
either an IRI (a ``str``) or a literal ``(lexical form, datatype IRI or None,
language tag or None)``. This keeps the hot path free of rdflib term objects.

IRIs are deterministic: ``{base}{kind}/{id}`` for records (``organization/link-j``),
``{base}place/JP-14`` for places, and the record's IRI plus a path for the
nodes that belong to it (``agreement/x/party/1``). Text that becomes part of
an IRI (a topic, a role) is percent-encoded, so no input can break an IRI.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union
from urllib.parse import quote

from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, TIME, XSD

from clusterkg.model.dataset import gc_paused
from clusterkg.model.dates import PartialDate
from clusterkg.model.names import country_name, region_name
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import (
    Agreement,
    Event,
    Organization,
    Person,
    Programme,
    Record,
    Source,
    derive_source_id,
    slugify,
)
from clusterkg.model.vocabulary import AGREEMENT_TYPES, ORGANISATION_KINDS
from clusterkg.ontology.vocab import (
    AGREEMENT_TYPE,
    CKG,
    CONTEXT_FILE,
    EVENT_KIND,
    FOAF,
    ORG_KIND,
    PREFIXES,
    SCHEMA,
    STATUS,
)

if TYPE_CHECKING:
    from rdflib import Graph

    from clusterkg.model.dataset import Dataset

#: A placeholder base on a reserved domain (RFC 2606): set your own with ``--base`` or CLUSTERKG_BASE.
DEFAULT_BASE = "https://clusterkg.example/id/"

Lit = tuple[str, Union[str, None], Union[str, None]]
Obj = Union[str, Lit]
Triple = tuple[str, str, Obj]

FORMATS = {"nt": "N-Triples", "ttl": "Turtle", "jsonld": "JSON-LD"}
SUFFIXES = {".nt": "nt", ".ttl": "ttl", ".jsonld": "jsonld", ".json": "jsonld"}


def _s(term: Any) -> str:
    return str(term)


# Plain-string forms of every term used below, looked up once.
A = _s(RDF.type)
ID = _s(DCTERMS.identifier)
DTYPE = _s(DCTERMS.type)
LABEL = _s(SKOS.prefLabel)
ALT = _s(SCHEMA.alternateName)
DESCRIPTION = _s(DCTERMS.description)
URL = _s(SCHEMA.url)
START, END = _s(SCHEMA.startDate), _s(SCHEMA.endDate)
POSITION = _s(CKG.position)
XSD_STRING, XSD_DATE, XSD_GYM, XSD_GY = _s(XSD.string), _s(XSD.date), _s(XSD.gYearMonth), _s(XSD.gYear)
XSD_POSINT, XSD_DURATION, XSD_ANYURI, XSD_DOUBLE = (
    _s(XSD.positiveInteger), _s(XSD.duration), _s(XSD.anyURI), _s(XSD.double))
DATATYPE_OF_PRECISION = {"day": XSD_DATE, "month": XSD_GYM, "year": XSD_GY}
INSTANT_PROPERTY = {"day": _s(TIME.inXSDDate), "month": _s(TIME.inXSDgYearMonth), "year": _s(TIME.inXSDgYear)}

#: The specific class of each agreement type (``other`` has only the generic ckg:Agreement).
AGREEMENT_CLASS: dict[str, str | None] = {
    key: _s(CKG[term.rdf_class]) if term.rdf_class else None for key, term in AGREEMENT_TYPES.items()
}

#: The schema.org subtype asserted as a second type, by organisation kind.
SCHEMA_CLASS_OF_KIND: dict[str, str] = {key: _s(SCHEMA[term.schema_class]) for key, term in ORGANISATION_KINDS.items()}

#: Party roles that make an acquisition's party the body acquired (org:originalOrganization).
ACQUIRED_ROLES = frozenset({"acquired", "target", "acquiree"})

WIKIDATA = "http://www.wikidata.org/entity/"
ROR = "https://ror.org/"

_FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def check_base(base: str) -> str:
    """The base IRI for the data, checked: absolute http(s), ending in ``/`` or ``#``.

    Examples
    --------
    >>> check_base("https://example.org/kg/")
    'https://example.org/kg/'
    >>> check_base("example.org")
    Traceback (most recent call last):
    ...
    clusterkg.model.problems.ClusterKGError: base IRI 'example.org': give an absolute http(s) IRI ending in '/' or '#', such as https://example.org/kg/
    """
    if not re.match(r"^https?://[^/]+", base) or base[-1] not in "/#" or _FORBIDDEN_IN_IRI.search(base):
        raise ClusterKGError(
            f"base IRI {base!r}: give an absolute http(s) IRI ending in '/' or '#', such as https://example.org/kg/"
        )
    return base


def text_key(text: str) -> str:
    """Free text as an IRI path segment: percent-encoded, so injective and safe.

    >>> text_key("regenerative medicine")
    'regenerative%20medicine'
    """
    return quote(text, safe="")


class Iris:
    """The IRIs of one dataset under ``base``.

    Examples
    --------
    >>> iris = Iris("https://example.org/kg/")
    >>> iris.record("organization", "link-j")
    'https://example.org/kg/organization/link-j'
    >>> iris.place("JP-14")
    'https://example.org/kg/place/JP-14'
    """

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = check_base(base)
        self.topics = base + "topics"

    def record(self, kind: str, record_id: str) -> str:
        return f"{self.base}{kind}/{record_id}"

    def organization(self, org_id: str) -> str:
        return f"{self.base}organization/{org_id}"

    def place(self, code: str) -> str:
        return f"{self.base}place/{code}"

    def topic(self, text: str) -> str:
        return f"{self.base}topic/{text_key(text)}"

    def role(self, text: str) -> str:
        return f"{self.base}role/{text_key(text)}"

    def publisher(self, text: str) -> str:
        return f"{self.base}publisher/{text_key(text)}"

    def signatory(self, name: str) -> str:
        # One node per name, as the property graph does (graph/property_graph.py).
        return f"{self.base}signatory/{slugify(name)}"

    def data_prefixes(self) -> dict[str, str]:
        """Prefixes for the data's own IRIs, for readable Turtle."""
        kinds = ("organization", "agreement", "person", "programme", "event", "source", "place", "topic",
                 "role", "publisher", "signatory")
        return {kind: f"{self.base}{kind}/" for kind in kinds}


def plain(text: str) -> Lit:
    return (text, None, None)


def tagged(text: str, lang: str) -> Lit:
    return (text, None, lang)


def date_literal(date: PartialDate) -> Lit:
    """A partial date as a literal of the datatype its precision calls for.

    >>> date_literal(PartialDate.parse("2017-06"))
    ('2017-06', 'http://www.w3.org/2001/XMLSchema#gYearMonth', None)
    """
    return (date.isoformat(), DATATYPE_OF_PRECISION[date.precision], None)


def position(n: int) -> Lit:
    return (str(n), XSD_POSINT, None)


def _records(source: Dataset | Iterable[Record]) -> Iterator[Record]:
    records = getattr(source, "records", None)
    if callable(records):
        for _, record in records():
            yield record
    else:
        yield from source  # type: ignore[misc]


def triples(source: Dataset | Iterable[Record], base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """Every triple of the records, in a stable order (the dataset's: by type, then id).

    Agreements must have their ids (a loaded :class:`Dataset` gives every one).

    Examples
    --------
    >>> org = Organization(id="link-j", name="LINK-J", kind="cluster", country="JP")
    >>> first = next(triples([org], "https://example.org/kg/"))
    >>> first[0], first[2]
    ('https://example.org/kg/organization/link-j', 'http://www.w3.org/ns/org#Organization')
    """
    return _Emitter(Iris(base)).run(_records(source))


class _Emitter:
    """Walks the records once; remembers the shared nodes (places, topics, sources) it has written."""

    def __init__(self, iris: Iris):
        self.iris = iris
        self.places: set[str] = set()
        self.labelled: set[tuple[str, str]] = set()
        self.sources: dict[str, str] = {}
        self.topic_scheme = False

    def run(self, records: Iterable[Record]) -> Iterator[Triple]:
        for record in records:
            if isinstance(record, Agreement):
                made = self.agreement(record)
            elif isinstance(record, Organization):
                made = self.organization(record)
            elif isinstance(record, Person):
                made = self.person(record)
            elif isinstance(record, Programme):
                made = self.programme(record)
            elif isinstance(record, Event):
                made = self.event(record)
            else:  # pragma: no cover - the model has no other record types
                raise TypeError(f"not a clusterkg record: {record!r}")
            # The record's own triples first, then each node it brought, each subject's triples
            # together: Turtle and JSON-LD then write every node once, in one block.
            by_subject: dict[str, list[Triple]] = {}
            for triple in made:
                group = by_subject.get(triple[0])
                if group is None:
                    by_subject[triple[0]] = [triple]
                else:
                    group.append(triple)
            for group in by_subject.values():
                yield from group

    # -- shared nodes ---------------------------------------------------------

    def place(self, code: str) -> Iterator[Triple]:
        """A country (``JP``) or region (``JP-14``): places, kept apart from the bodies that govern them."""
        iri = self.iris.place(code)
        if code in self.places:
            return
        self.places.add(code)
        if "-" in code:
            country = code.split("-", 1)[0]
            yield from self.place(country)
            yield iri, A, _s(SCHEMA.AdministrativeArea)
            yield iri, ID, plain(code)
            label = region_name(code)
            yield iri, _s(SCHEMA.containedInPlace), self.iris.place(country)
        else:
            yield iri, A, _s(SCHEMA.Country)
            yield iri, ID, plain(code)
            label = country_name(code)
        if label:
            yield iri, LABEL, tagged(label, "en")

    def named(self, iri: str, cls: str, text: str) -> Iterator[Triple]:
        """A node that is only a name (a topic, a role, a publisher, a signer), written once."""
        if (iri, text) in self.labelled:
            return
        self.labelled.add((iri, text))
        yield iri, A, cls
        yield iri, LABEL, plain(text)

    def topic(self, text: str) -> Iterator[Triple]:
        iri = self.iris.topic(text)
        if not self.topic_scheme:
            self.topic_scheme = True
            yield self.iris.topics, A, _s(SKOS.ConceptScheme)
            yield self.iris.topics, LABEL, tagged("topics", "en")
        if (iri, text) not in self.labelled:
            yield iri, _s(SKOS.inScheme), self.iris.topics
        yield from self.named(iri, _s(SKOS.Concept), text)

    def role(self, text: str) -> Iterator[Triple]:
        yield from self.named(self.iris.role(text), _s(PROV.Role), text)

    def sourced(self, subject: str, sources: list[Source]) -> Iterator[Triple]:
        """prov:wasDerivedFrom each source, and a qualified derivation that keeps order and evidence."""
        for n, source in enumerate(sources, 1):
            source_id = source.id or derive_source_id(source)  # a validated Source has one already
            iri = self.iris.record("source", source_id)
            meta = list(self.source_meta(iri, source_id, source))
            digest = hashlib.sha1(repr(meta).encode()).hexdigest()
            seen = self.sources.get(source_id)
            if seen != digest:
                # First sight, or the same source id with other details: write them, so the
                # disagreement shows in the graph (the shapes allow one title per source).
                self.sources[source_id] = digest
                yield from meta
            yield subject, _s(PROV.wasDerivedFrom), iri
            derivation = f"{subject}/derivation/{n}"
            yield subject, _s(PROV.qualifiedDerivation), derivation
            yield derivation, A, _s(PROV.Derivation)
            yield derivation, _s(PROV.entity), iri
            yield derivation, POSITION, position(n)
            if source.evidence is not None:
                yield derivation, _s(CKG.evidence), plain(source.evidence)

    def source_meta(self, iri: str, source_id: str, source: Source) -> Iterator[Triple]:
        yield iri, A, _s(CKG.Source)
        yield iri, A, _s(PROV.Entity)
        yield iri, ID, plain(source_id)
        if source.title is not None:
            yield iri, _s(DCTERMS.title), plain(source.title)
        if source.publisher is not None:
            publisher = self.iris.publisher(source.publisher)
            yield iri, _s(DCTERMS.publisher), publisher
            yield from self.named(publisher, _s(FOAF.Agent), source.publisher)
        if source.url is not None:
            yield iri, URL, (source.url, XSD_ANYURI, None)
        if source.published is not None:
            yield iri, _s(DCTERMS.issued), date_literal(source.published)
        if source.accessed is not None:
            yield iri, _s(CKG.accessed), date_literal(source.accessed)

    def names(self, iri: str, name: str, names: dict[str, str]) -> Iterator[Triple]:
        """The name as the one plain preferred label, names in other languages as tagged ones."""
        yield iri, LABEL, plain(name)
        for lang in sorted(names):
            yield iri, LABEL, tagged(names[lang], lang)

    def dates(self, iri: str, start: PartialDate | None, end: PartialDate | None) -> Iterator[Triple]:
        if start is not None:
            yield iri, START, date_literal(start)
        if end is not None:
            yield iri, END, date_literal(end)

    # -- records --------------------------------------------------------------

    def organization(self, org: Organization) -> Iterator[Triple]:
        iri = self.iris.organization(org.id)
        yield iri, A, _s(ORG.Organization)
        yield iri, A, _s(ORG.FormalOrganization)
        yield iri, A, SCHEMA_CLASS_OF_KIND[org.kind]
        if org.kind == "cluster":
            yield iri, A, _s(CKG.ClusterOrganization)
        yield iri, ID, plain(org.id)
        yield iri, DTYPE, _s(ORG_KIND[org.kind])
        yield from self.names(iri, org.name, org.names)
        for alias in org.aliases:
            yield iri, ALT, plain(alias)
        address = iri + "/address"
        yield iri, _s(SCHEMA.address), address
        yield address, A, _s(SCHEMA.PostalAddress)
        yield address, _s(SCHEMA.addressCountry), plain(org.country)
        if org.region:
            yield address, _s(SCHEMA.addressRegion), plain(org.region)
        if org.city:
            yield address, _s(SCHEMA.addressLocality), plain(org.city)
        place = org.region or org.country
        yield iri, _s(SCHEMA.location), self.iris.place(place)
        yield from self.place(place)
        if org.parent:
            yield iri, _s(ORG.subOrganizationOf), self.iris.organization(org.parent)
        for other in org.member_of:
            yield iri, _s(ORG.memberOf), self.iris.organization(other)
        if org.predecessor:
            change = iri + "/rename"
            predecessor = self.iris.organization(org.predecessor)
            yield change, A, _s(ORG.ChangeEvent)
            yield change, _s(ORG.originalOrganization), predecessor
            yield change, _s(ORG.resultingOrganization), iri
            if org.renamed is not None:
                yield change, _s(DCTERMS.date), date_literal(org.renamed)
            yield iri, _s(ORG.resultedFrom), change
            yield predecessor, _s(ORG.changedBy), change
        if org.website is not None:
            yield iri, URL, plain(org.website)
        if org.wikidata:
            yield iri, _s(SCHEMA.sameAs), WIKIDATA + org.wikidata
        if org.ror:
            yield iri, _s(SCHEMA.sameAs), ROR + org.ror
        if org.description is not None:
            yield iri, DESCRIPTION, plain(org.description)
        yield from self.sourced(iri, org.sources)

    def person(self, person: Person) -> Iterator[Triple]:
        iri = self.iris.record("person", person.id)
        yield iri, A, _s(SCHEMA.Person)
        yield iri, A, _s(PROV.Person)
        yield iri, ID, plain(person.id)
        yield from self.names(iri, person.name, person.names)
        for n, post in enumerate(person.posts, 1):
            node = f"{iri}/post/{n}"
            yield iri, _s(ORG.holds), node
            yield node, A, _s(ORG.Post)
            yield node, _s(ORG.heldBy), iri
            yield node, _s(ORG.postIn), self.iris.organization(post.organization)
            yield node, LABEL, plain(post.title)
            yield node, POSITION, position(n)
            yield from self.dates(node, post.start, post.end)
        yield from self.sourced(iri, person.sources)

    def programme(self, programme: Programme) -> Iterator[Triple]:
        iri = self.iris.record("programme", programme.id)
        yield iri, A, _s(CKG.Programme)
        yield iri, A, _s(PROV.Plan)
        yield iri, ID, plain(programme.id)
        yield iri, LABEL, plain(programme.name)
        for alias in programme.aliases:
            yield iri, ALT, plain(alias)
        if programme.operator:
            yield iri, _s(CKG.operatedBy), self.iris.organization(programme.operator)
        if programme.country:
            # areaServed, not location: the property graph places no programme (counts stay comparable).
            yield iri, _s(SCHEMA.areaServed), self.iris.place(programme.country)
            yield from self.place(programme.country)
        yield from self.dates(iri, programme.start, programme.end)
        if programme.website is not None:
            yield iri, URL, plain(programme.website)
        if programme.description is not None:
            yield iri, DESCRIPTION, plain(programme.description)
        yield from self.sourced(iri, programme.sources)

    def event(self, event: Event) -> Iterator[Triple]:
        iri = self.iris.record("event", event.id)
        yield iri, A, _s(SCHEMA.Event)
        yield iri, A, _s(PROV.Activity)
        yield iri, ID, plain(event.id)
        yield iri, DTYPE, _s(EVENT_KIND[event.kind])
        yield iri, LABEL, plain(event.name)
        yield from self.dates(iri, event.start, event.end)
        if event.place is not None:
            yield iri, _s(CKG.venue), plain(event.place)
        if event.country:
            yield iri, _s(SCHEMA.location), self.iris.place(event.country)
            yield from self.place(event.country)
        for n, participant in enumerate(event.participants, 1):
            org = self.iris.organization(participant.organization)
            node = f"{iri}/participant/{n}"
            yield iri, _s(SCHEMA.attendee), org
            yield iri, _s(PROV.qualifiedAssociation), node
            yield node, A, _s(PROV.Association)
            yield node, _s(PROV.agent), org
            yield node, POSITION, position(n)
            if participant.role is not None:
                yield node, _s(PROV.hadRole), self.iris.role(participant.role)
                yield from self.role(participant.role)
        yield from self.sourced(iri, event.sources)

    def agreement(self, agreement: Agreement) -> Iterator[Triple]:
        if agreement.id is None:
            raise ClusterKGError(f"agreement {agreement.title or agreement.type!r}: has no id; load it through a dataset")
        iri = self.iris.record("agreement", agreement.id)
        yield iri, A, _s(CKG.Agreement)
        specific = AGREEMENT_CLASS[agreement.type]
        if specific:
            yield iri, A, specific
        if agreement.type == "acquisition":
            yield iri, A, _s(ORG.ChangeEvent)
        yield iri, ID, plain(agreement.id)
        yield iri, DTYPE, _s(AGREEMENT_TYPE[agreement.type])
        if agreement.title is not None:
            yield iri, _s(DCTERMS.title), plain(agreement.title)
        for n, party in enumerate(agreement.parties, 1):
            org = self.iris.organization(party.organization)
            node = f"{iri}/party/{n}"
            yield iri, _s(CKG.party), org
            yield iri, _s(PROV.qualifiedAttribution), node
            yield node, A, _s(PROV.Attribution)
            yield node, A, _s(CKG.PartyAttribution)
            yield node, _s(PROV.agent), org
            yield node, _s(PROV.hadRole), _s(CKG.partyRole)
            yield node, POSITION, position(n)
            if party.role is not None:
                yield node, _s(PROV.hadRole), self.iris.role(party.role)
                yield from self.role(party.role)
                if agreement.type == "acquisition" and party.role.casefold() in ACQUIRED_ROLES:
                    yield iri, _s(ORG.originalOrganization), org
        for n, signatory in enumerate(agreement.signatories, 1):
            node = f"{iri}/signature/{n}"
            on_behalf_of = self.iris.organization(signatory.on_behalf_of)
            if signatory.person is not None:
                agent = self.iris.record("person", signatory.person)
            else:
                assert signatory.name is not None  # the model asks for a person or a name
                agent = self.iris.signatory(signatory.name)
                yield from self.named(agent, _s(PROV.Person), signatory.name)
            yield iri, _s(PROV.qualifiedAttribution), node
            yield node, A, _s(PROV.Attribution)
            yield node, A, _s(CKG.Signature)
            yield node, _s(PROV.agent), agent
            yield node, _s(PROV.hadRole), _s(CKG.signatoryRole)
            yield node, _s(CKG.onBehalfOf), on_behalf_of
            yield node, POSITION, position(n)
            if signatory.name is not None:
                yield node, _s(CKG.signerName), plain(signatory.name)
            if signatory.title is not None:
                yield node, _s(CKG.signatoryTitle), plain(signatory.title)
            yield agent, _s(PROV.actedOnBehalfOf), on_behalf_of
        if agreement.signed is not None:
            yield iri, _s(CKG.signed), date_literal(agreement.signed)
        if agreement.announced is not None:
            yield iri, _s(CKG.announced), date_literal(agreement.announced)
        yield from self.dates(iri, agreement.start, agreement.end)
        if agreement.term or agreement.start or agreement.end:
            yield from self.term(iri, agreement)
        last = agreement.expires()
        if last is not None:
            yield iri, _s(CKG.expires), (last.isoformat(), XSD_DATE, None)
        if agreement.status:
            yield iri, _s(CKG.status), _s(STATUS[agreement.status])
        for topic in agreement.scope:
            yield iri, _s(DCTERMS.subject), self.iris.topic(topic)
            yield from self.topic(topic)
        for activity in agreement.activities:
            yield iri, _s(CKG.activity), plain(activity)
        if agreement.programme:
            yield iri, _s(CKG.underProgramme), self.iris.record("programme", agreement.programme)
        if agreement.event:
            yield iri, _s(CKG.atEvent), self.iris.record("event", agreement.event)
        if agreement.renews:
            yield iri, _s(CKG.renews), self.iris.record("agreement", agreement.renews)
        if agreement.supersedes:
            yield iri, _s(DCTERMS.replaces), self.iris.record("agreement", agreement.supersedes)
        if agreement.notes is not None:
            yield iri, _s(SKOS.note), plain(agreement.notes)
        yield from self.sourced(iri, agreement.sources)

    def term(self, iri: str, agreement: Agreement) -> Iterator[Triple]:
        """The agreement's term as an OWL-Time interval: its duration and its first and last instants."""
        interval = iri + "/term"
        yield iri, _s(TIME.hasTime), interval
        yield interval, A, _s(TIME.ProperInterval)
        if agreement.term:
            yield interval, _s(TIME.hasXSDDuration), (agreement.term, XSD_DURATION, None)
        for name, date, link in (("beginning", agreement.start, TIME.hasBeginning), ("end", agreement.end, TIME.hasEnd)):
            if date is not None:
                instant = f"{interval}/{name}"
                yield interval, _s(link), instant
                yield instant, A, _s(TIME.Instant)
                yield instant, INSTANT_PROPERTY[date.precision], date_literal(date)


# -- metrics from the analysis ---------------------------------------------------


def metric_triples(
    values: dict[str, dict[str, float]], base: str = DEFAULT_BASE, kind: str = "organization"
) -> Iterator[Triple]:
    """Triples for analysis results: ``{record id: {metric name: value}}`` -> a ckg:Measurement each.

    Examples
    --------
    >>> t = list(metric_triples({"link-j": {"degree": 3}}, "https://example.org/kg/"))
    >>> t[0]
    ('https://example.org/kg/organization/link-j', 'https://w3id.org/clusterkg/ns#measurement', 'https://example.org/kg/organization/link-j/metric/degree')
    >>> t[-1][2]
    ('3.0', 'http://www.w3.org/2001/XMLSchema#double', None)
    """
    iris = Iris(base)
    for record_id in sorted(values):
        subject = iris.record(kind, record_id)
        for name in sorted(values[record_id]):
            value = values[record_id][name]
            if value is None or value != value:  # missing, or NaN: nothing measured
                continue
            node = f"{subject}/metric/{text_key(name)}"
            yield subject, _s(CKG.measurement), node
            yield node, A, _s(CKG.Measurement)
            yield node, _s(CKG.metricName), plain(name)
            yield node, _s(RDF.value), (repr(float(value)), XSD_DOUBLE, None)


# -- rdflib ------------------------------------------------------------------------


def to_graph(source: Dataset | Iterable[Record] | Iterable[Triple], base: str = DEFAULT_BASE) -> Graph:
    """An rdflib graph of the records (or of triples from :func:`triples`), prefixes bound.

    Literals keep the lexical form written (``P18M`` stays ``P18M``; rdflib would
    otherwise rewrite durations to ``P1Y6M``).

    Examples
    --------
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


# -- streaming writers -------------------------------------------------------------

_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt_object(obj: Obj) -> str:
    if isinstance(obj, str):
        return f"<{obj}>"
    lexical, datatype, lang = obj
    text = lexical.translate(_NT_ESCAPES)
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
        yield f"<{s}> <{p}> {_nt_object(o)} .\n"


# Turtle's prefixed names take a local part of these characters (a safe subset of PN_LOCAL).
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


class _Compactor:
    """IRI -> ``prefix:local`` where a prefix fits, else ``<IRI>``; cached (IRIs repeat)."""

    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so base + "agreement/" wins over base.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is not None:
            return found
        result = f"<{iri}>"
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
                result = f"{prefix}:{iri[len(namespace):]}"
                break
        if len(self.cache) < 200_000:
            self.cache[iri] = result
        return result


def turtle_chunks(items: Iterable[Triple], base: str = DEFAULT_BASE) -> Iterator[str]:
    """Turtle, streamed: prefixes, then each run of triples with one subject as ``s p o ; p o .``"""
    prefixes = {**PREFIXES, **Iris(base).data_prefixes()}
    compact = _Compactor(prefixes)
    for prefix, namespace in prefixes.items():
        yield f"@prefix {prefix}: <{namespace}> .\n"
    subject = predicate = None
    for s, p, o in items:
        if isinstance(o, str):
            obj = compact(o)
        else:
            lexical, datatype, lang = o
            text = lexical.translate(_NT_ESCAPES)
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


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The published context (ontology/context.jsonld), inlined in the JSON-LD we write so
    no reader has to fetch it."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def jsonld_chunks(items: Iterable[Triple], base: str = DEFAULT_BASE) -> Iterator[str]:
    """JSON-LD, streamed: ``{"@context": ..., "@graph": [node, ...]}``, one node object per run of
    triples with one subject (a subject may appear in several node objects; JSON-LD merges them)."""
    context = dict(jsonld_context())
    compact = _Compactor({k: v for k, v in PREFIXES.items()})

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
    >>> write([Organization(id="x", name="X", kind="city", country="DE")], out, "nt")
    13
    """
    if fmt is None:
        if not isinstance(target, (str, Path)):
            raise ClusterKGError("give the RDF format when writing to a stream")
        fmt = format_of(target)
    counted = _Counted(_chain_all(_as_triples(source, base), extra))
    # Millions of short-lived tuples would trigger the cyclic GC over every live record again
    # and again; nothing written here makes cycles, so it is paused while writing.
    with gc_paused():
        if isinstance(target, (str, Path)):
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                _write_chunks(handle, chunks(counted, fmt, base))
        else:
            _write_chunks(target, chunks(counted, fmt, base))
    return counted.n


def _chain_all(*parts: Iterable[Triple]) -> Iterator[Triple]:
    for part in parts:
        yield from part


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
