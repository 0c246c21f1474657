"""Records -> RDF (DESIGN.md section 3; the model in ontology/clusterkg.ttl, docs/rdf.md).

One function, :func:`triples`, says how each record becomes RDF; :func:`metric_triples`
says the same for analysis results. Everything else consumes their output:
:mod:`clusterkg.graph.rdf.io` builds an rdflib graph of them or streams them to a
file through the serialisers (:mod:`~clusterkg.graph.rdf.ntriples`,
:mod:`~clusterkg.graph.rdf.turtle`, :mod:`~clusterkg.graph.rdf.jsonld`). The IRIs
and literals they are made of come from :mod:`clusterkg.graph.rdf.iris`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, TIME

from clusterkg.graph.rdf.iris import (
    A,
    ALT,
    DEFAULT_BASE,
    DESCRIPTION,
    DTYPE,
    END,
    ID,
    INSTANT_PROPERTY,
    LABEL,
    POSITION,
    START,
    URL,
    XSD_ANYURI,
    XSD_DATE,
    XSD_DOUBLE,
    XSD_DURATION,
    Iris,
    Triple,
    date_literal,
    plain,
    position,
    tagged,
    text_key,
)
from clusterkg.graph.rdf.iris import term_text as _s
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
)
from clusterkg.model.vocabulary import AGREEMENT_TYPES, ORGANISATION_KINDS
from clusterkg.ontology.vocab import (
    AGREEMENT_TYPE,
    CKG,
    EVENT_KIND,
    FOAF,
    ORG_KIND,
    ROR,
    SCHEMA,
    STATUS,
    WIKIDATA,
)

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

class _Terms:
    """A vocabulary's terms as plain strings, each made once (rdflib makes one per attribute access)."""

    def __init__(self, namespace: object):
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = _s(getattr(self._namespace, name))
        setattr(self, name, value)
        return value


@lru_cache(maxsize=None)
def _term(namespace: Any, key: str) -> str:  # a term of a closed vocabulary (a type, a status), once each
    return _s(namespace[key])


_PROV, _ORG, _SCHEMA, _SKOS, _DCTERMS, _TIME, _RDF, _CKG, _FOAF = (
    _Terms(ns) for ns in (PROV, ORG, SCHEMA, SKOS, DCTERMS, TIME, RDF, CKG, FOAF))

#: The specific class of each agreement type (``other`` has only the generic ckg:Agreement).
AGREEMENT_CLASS: dict[str, str | None] = {
    key: _s(CKG[term.rdf_class]) if term.rdf_class else None for key, term in AGREEMENT_TYPES.items()
}

#: The schema.org subtype asserted as a second type, by organisation kind.
SCHEMA_CLASS_OF_KIND: dict[str, str] = {key: _s(SCHEMA[term.schema_class]) for key, term in ORGANISATION_KINDS.items()}

#: Party roles that make an acquisition's party the body acquired (org:originalOrganization).
ACQUIRED_ROLES = frozenset({"acquired", "target", "acquiree"})


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
        self.sources: dict[str, tuple] = {}
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
            yield iri, A, _SCHEMA.AdministrativeArea
            yield iri, ID, plain(code)
            label = region_name(code)
            yield iri, _SCHEMA.containedInPlace, self.iris.place(country)
        else:
            yield iri, A, _SCHEMA.Country
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
            yield self.iris.topics, A, _SKOS.ConceptScheme
            yield self.iris.topics, LABEL, tagged("topics", "en")
        if (iri, text) not in self.labelled:
            yield iri, _SKOS.inScheme, self.iris.topics
        yield from self.named(iri, _SKOS.Concept, text)

    def role(self, text: str) -> Iterator[Triple]:
        yield from self.named(self.iris.role(text), _PROV.Role, text)

    def sourced(self, subject: str, sources: list[Source]) -> Iterator[Triple]:
        """prov:wasDerivedFrom each source, and a qualified derivation that keeps order and evidence."""
        for n, source in enumerate(sources, 1):
            source_id = source.id or derive_source_id(source)  # a validated Source has one already
            iri = self.iris.record("source", source_id)
            # What source_meta writes depends on these alone.
            details = (source.title, source.publisher, source.url, source.published, source.accessed)
            if self.sources.get(source_id) != details:
                # First sight, or the same source id with other details: write them, so the
                # disagreement shows in the graph (the shapes allow one title per source).
                self.sources[source_id] = details
                yield from self.source_meta(iri, source_id, source)
            yield subject, _PROV.wasDerivedFrom, iri
            derivation = f"{subject}/derivation/{n}"
            yield subject, _PROV.qualifiedDerivation, derivation
            yield derivation, A, _PROV.Derivation
            yield derivation, _PROV.entity, iri
            yield derivation, POSITION, position(n)
            if source.evidence is not None:
                yield derivation, _CKG.evidence, plain(source.evidence)

    def source_meta(self, iri: str, source_id: str, source: Source) -> Iterator[Triple]:
        yield iri, A, _CKG.Source
        yield iri, A, _PROV.Entity
        yield iri, ID, plain(source_id)
        if source.title is not None:
            yield iri, _DCTERMS.title, plain(source.title)
        if source.publisher is not None:
            publisher = self.iris.publisher(source.publisher)
            yield iri, _DCTERMS.publisher, publisher
            yield from self.named(publisher, _FOAF.Agent, source.publisher)
        if source.url is not None:
            yield iri, URL, (source.url, XSD_ANYURI, None)
        if source.published is not None:
            yield iri, _DCTERMS.issued, date_literal(source.published)
        if source.accessed is not None:
            yield iri, _CKG.accessed, date_literal(source.accessed)

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
        yield iri, A, _ORG.Organization
        yield iri, A, _ORG.FormalOrganization
        yield iri, A, SCHEMA_CLASS_OF_KIND[org.kind]
        if org.kind == "cluster":
            yield iri, A, _CKG.ClusterOrganization
        yield iri, ID, plain(org.id)
        yield iri, DTYPE, _term(ORG_KIND, org.kind)
        yield from self.names(iri, org.name, org.names)
        for alias in org.aliases:
            yield iri, ALT, plain(alias)
        address = iri + "/address"
        yield iri, _SCHEMA.address, address
        yield address, A, _SCHEMA.PostalAddress
        yield address, _SCHEMA.addressCountry, plain(org.country)
        if org.region:
            yield address, _SCHEMA.addressRegion, plain(org.region)
        if org.city:
            yield address, _SCHEMA.addressLocality, plain(org.city)
        place = org.region or org.country
        yield iri, _SCHEMA.location, self.iris.place(place)
        yield from self.place(place)
        if org.parent:
            yield iri, _ORG.subOrganizationOf, self.iris.organization(org.parent)
        for other in org.member_of:
            yield iri, _ORG.memberOf, self.iris.organization(other)
        if org.predecessor:
            change = iri + "/rename"
            predecessor = self.iris.organization(org.predecessor)
            yield change, A, _ORG.ChangeEvent
            yield change, _ORG.originalOrganization, predecessor
            yield change, _ORG.resultingOrganization, iri
            if org.renamed is not None:
                yield change, _DCTERMS.date, date_literal(org.renamed)
            yield iri, _ORG.resultedFrom, change
            yield predecessor, _ORG.changedBy, change
        if org.website is not None:
            yield iri, URL, plain(org.website)
        if org.wikidata:
            yield iri, _SCHEMA.sameAs, WIKIDATA + org.wikidata
        if org.ror:
            yield iri, _SCHEMA.sameAs, ROR + org.ror
        if org.description is not None:
            yield iri, DESCRIPTION, plain(org.description)
        yield from self.sourced(iri, org.sources)

    def person(self, person: Person) -> Iterator[Triple]:
        iri = self.iris.record("person", person.id)
        yield iri, A, _SCHEMA.Person
        yield iri, A, _PROV.Person
        yield iri, ID, plain(person.id)
        yield from self.names(iri, person.name, person.names)
        for n, post in enumerate(person.posts, 1):
            node = f"{iri}/post/{n}"
            yield iri, _ORG.holds, node
            yield node, A, _ORG.Post
            yield node, _ORG.heldBy, iri
            yield node, _ORG.postIn, self.iris.organization(post.organization)
            yield node, LABEL, plain(post.title)
            yield node, POSITION, position(n)
            yield from self.dates(node, post.start, post.end)
        yield from self.sourced(iri, person.sources)

    def programme(self, programme: Programme) -> Iterator[Triple]:
        iri = self.iris.record("programme", programme.id)
        yield iri, A, _CKG.Programme
        yield iri, A, _PROV.Plan
        yield iri, ID, plain(programme.id)
        yield iri, LABEL, plain(programme.name)
        for alias in programme.aliases:
            yield iri, ALT, plain(alias)
        if programme.operator:
            yield iri, _CKG.operatedBy, self.iris.organization(programme.operator)
        if programme.country:
            # areaServed, not location: the property graph places no programme (counts stay comparable).
            yield iri, _SCHEMA.areaServed, self.iris.place(programme.country)
            yield from self.place(programme.country)
        yield from self.dates(iri, programme.start, programme.end)
        if programme.website is not None:
            yield iri, URL, plain(programme.website)
        if programme.description is not None:
            yield iri, DESCRIPTION, plain(programme.description)
        yield from self.sourced(iri, programme.sources)

    def event(self, event: Event) -> Iterator[Triple]:
        iri = self.iris.record("event", event.id)
        yield iri, A, _SCHEMA.Event
        yield iri, A, _PROV.Activity
        yield iri, ID, plain(event.id)
        yield iri, DTYPE, _term(EVENT_KIND, event.kind)
        yield iri, LABEL, plain(event.name)
        yield from self.dates(iri, event.start, event.end)
        if event.place is not None:
            yield iri, _CKG.venue, plain(event.place)
        if event.country:
            yield iri, _SCHEMA.location, self.iris.place(event.country)
            yield from self.place(event.country)
        for n, participant in enumerate(event.participants, 1):
            org = self.iris.organization(participant.organization)
            node = f"{iri}/participant/{n}"
            yield iri, _SCHEMA.attendee, org
            yield iri, _PROV.qualifiedAssociation, node
            yield node, A, _PROV.Association
            yield node, _PROV.agent, org
            yield node, POSITION, position(n)
            if participant.role is not None:
                yield node, _PROV.hadRole, self.iris.role(participant.role)
                yield from self.role(participant.role)
        yield from self.sourced(iri, event.sources)

    def agreement(self, agreement: Agreement) -> Iterator[Triple]:
        if agreement.id is None:
            raise ClusterKGError(f"agreement {agreement.title or agreement.type!r}: has no id; load it through a dataset")
        iri = self.iris.record("agreement", agreement.id)
        yield iri, A, _CKG.Agreement
        specific = AGREEMENT_CLASS[agreement.type]
        if specific:
            yield iri, A, specific
        if agreement.type == "acquisition":
            yield iri, A, _ORG.ChangeEvent
        yield iri, ID, plain(agreement.id)
        yield iri, DTYPE, _term(AGREEMENT_TYPE, agreement.type)
        if agreement.title is not None:
            yield iri, _DCTERMS.title, plain(agreement.title)
        for n, party in enumerate(agreement.parties, 1):
            org = self.iris.organization(party.organization)
            node = f"{iri}/party/{n}"
            yield iri, _CKG.party, org
            yield iri, _PROV.qualifiedAttribution, node
            yield node, A, _PROV.Attribution
            yield node, A, _CKG.PartyAttribution
            yield node, _PROV.agent, org
            yield node, _PROV.hadRole, _CKG.partyRole
            yield node, POSITION, position(n)
            if party.role is not None:
                yield node, _PROV.hadRole, self.iris.role(party.role)
                yield from self.role(party.role)
                if agreement.type == "acquisition" and party.role.casefold() in ACQUIRED_ROLES:
                    yield iri, _ORG.originalOrganization, org
        for n, signatory in enumerate(agreement.signatories, 1):
            node = f"{iri}/signature/{n}"
            on_behalf_of = self.iris.organization(signatory.on_behalf_of)
            if signatory.person is not None:
                agent = self.iris.record("person", signatory.person)
            else:
                assert signatory.name is not None  # the model asks for a person or a name
                agent = self.iris.signatory(signatory.name)
                yield from self.named(agent, _PROV.Person, signatory.name)
            yield iri, _PROV.qualifiedAttribution, node
            yield node, A, _PROV.Attribution
            yield node, A, _CKG.Signature
            yield node, _PROV.agent, agent
            yield node, _PROV.hadRole, _CKG.signatoryRole
            yield node, _CKG.onBehalfOf, on_behalf_of
            yield node, POSITION, position(n)
            if signatory.name is not None:
                yield node, _CKG.signerName, plain(signatory.name)
            if signatory.title is not None:
                yield node, _CKG.signatoryTitle, plain(signatory.title)
            yield agent, _PROV.actedOnBehalfOf, on_behalf_of
        if agreement.signed is not None:
            yield iri, _CKG.signed, date_literal(agreement.signed)
        if agreement.announced is not None:
            yield iri, _CKG.announced, date_literal(agreement.announced)
        yield from self.dates(iri, agreement.start, agreement.end)
        if agreement.term or agreement.start or agreement.end:
            yield from self.term(iri, agreement)
        last = agreement.expires()
        if last is not None:
            yield iri, _CKG.expires, (last.isoformat(), XSD_DATE, None)
        if agreement.status:
            yield iri, _CKG.status, _term(STATUS, agreement.status)
        for topic in agreement.scope:
            yield iri, _DCTERMS.subject, self.iris.topic(topic)
            yield from self.topic(topic)
        for activity in agreement.activities:
            yield iri, _CKG.activity, plain(activity)
        if agreement.programme:
            yield iri, _CKG.underProgramme, self.iris.record("programme", agreement.programme)
        if agreement.event:
            yield iri, _CKG.atEvent, self.iris.record("event", agreement.event)
        if agreement.renews:
            yield iri, _CKG.renews, self.iris.record("agreement", agreement.renews)
        if agreement.supersedes:
            yield iri, _DCTERMS.replaces, self.iris.record("agreement", agreement.supersedes)
        if agreement.notes is not None:
            yield iri, _SKOS.note, plain(agreement.notes)
        yield from self.sourced(iri, agreement.sources)

    def term(self, iri: str, agreement: Agreement) -> Iterator[Triple]:
        """The agreement's term as an OWL-Time interval: its duration and its first and last instants."""
        interval = iri + "/term"
        yield iri, _TIME.hasTime, interval
        yield interval, A, _TIME.ProperInterval
        if agreement.term:
            yield interval, _TIME.hasXSDDuration, (agreement.term, XSD_DURATION, None)
        for name, date, link in (("beginning", agreement.start, _TIME.hasBeginning), ("end", agreement.end, _TIME.hasEnd)):
            if date is not None:
                instant = f"{interval}/{name}"
                yield interval, link, instant
                yield instant, A, _TIME.Instant
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
    measurement, cls, metric_name, value_of = _CKG.measurement, _CKG.Measurement, _CKG.metricName, _RDF.value
    names: dict[str, tuple[str, tuple]] = {}  # name -> (IRI path, literal), made once per measure
    for record_id in sorted(values):
        subject = iris.record(kind, record_id)
        measures = values[record_id]
        for name in sorted(measures):
            value = measures[name]
            if value is None or value != value:  # missing, or NaN: nothing measured
                continue
            made = names.get(name)
            if made is None:
                made = names[name] = (f"/metric/{text_key(name)}", plain(name))
            node = subject + made[0]
            yield subject, measurement, node
            yield node, A, cls
            yield node, metric_name, made[1]
            yield node, value_of, (repr(float(value)), XSD_DOUBLE, None)

