"""RDF -> records: the inverse of :mod:`clusterkg.graph.rdf.triples`.

Reads a graph written by clusterkg (from any of its serialisations) back into
model records. Records -> RDF -> records gives the same records, with one
stated exception: RDF has no order among the values of one property, so the
lists the model treats as sets (``aliases``, ``member_of``, ``scope``,
``activities``) come back sorted and without repeats. Everything whose order
carries meaning (parties, signatories, sources, posts, participants) keeps
it, through ``ckg:position``.

A graph that does not say what a record needs (an organisation with two plain
names, a source with two titles) is refused with a message naming the node.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import (
    Agreement,
    Event,
    Organization,
    Person,
    Programme,
    Record,
)
from clusterkg.ontology.vocab import CKG, ROR, SCHEMA, WIKIDATA
from pydantic import ValidationError
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, TIME

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset
    from rdflib import Graph
    from rdflib.term import Node

_KIND_OF_CLASS = {
    ORG.Organization: "organization",
    SCHEMA.Person: "person",
    CKG.Programme: "programme",
    SCHEMA.Event: "event",
    CKG.Agreement: "agreement",
}


def canonical_lang(tag: str) -> str:
    """A language tag in BCP 47's conventional case: some parsers lower-case tags (they are
    case-insensitive), so ``zh-hans-cn`` comes back as the ``zh-Hans-CN`` the records wrote.

    >>> canonical_lang("zh-hans-cn"), canonical_lang("EN-gb"), canonical_lang("es-419")
    ('zh-Hans-CN', 'en-GB', 'es-419')
    """
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


class _Node:
    """One subject's properties: predicate -> list of objects."""

    __slots__ = ("iri", "props")

    def __init__(self, iri: Node):
        self.iri = iri
        self.props: dict[Node, list[Node]] = defaultdict(list)

    def all(self, predicate: Node) -> list[Node]:
        return self.props.get(predicate, [])

    def one(self, predicate: Node, what: str) -> Node | None:
        values = set(self.all(predicate))
        if len(values) > 1:
            shown = ", ".join(sorted(repr(str(v)) for v in values))
            raise ClusterKGError(f"{self.iri}: has {len(values)} values for {what} ({shown}); expected one")
        return next(iter(values), None)

    def text(self, predicate: Node, what: str) -> str | None:
        value = self.one(predicate, what)
        return None if value is None else str(value)


class _Reader:
    def __init__(self, graph: Graph):
        self.nodes: dict[Node, _Node] = {}
        for s, p, o in graph:
            node = self.nodes.get(s)
            if node is None:
                node = self.nodes[s] = _Node(s)
            node.props[p].append(o)

    def node(self, iri: Node) -> _Node:
        found = self.nodes.get(iri)
        if found is None:
            raise ClusterKGError(f"{iri}: referred to, but the graph says nothing about it")
        return found

    def ident(self, iri: Node) -> str:
        """The id of a referenced record: its dct:identifier, else the last segment of its IRI."""
        node = self.nodes.get(iri)
        if node is not None:
            found = node.text(DCTERMS.identifier, "dct:identifier")
            if found is not None:
                return found
        return str(iri).rstrip("/").rsplit("/", 1)[-1]

    def label(self, iri: Node) -> str:
        node = self.node(iri)
        labels = [o for o in node.all(SKOS.prefLabel) if getattr(o, "language", None) is None]
        if len(set(labels)) != 1:
            raise ClusterKGError(f"{iri}: needs exactly one plain skos:prefLabel, has {len(set(labels))}")
        return str(labels[0])

    def names(self, node: _Node) -> tuple[str, dict[str, str]]:
        plain, tagged = [], {}
        for label in node.all(SKOS.prefLabel):
            lang = getattr(label, "language", None)
            lang = canonical_lang(lang) if lang else None
            if lang is None:
                plain.append(str(label))
            elif lang in tagged and tagged[lang] != str(label):
                raise ClusterKGError(f"{node.iri}: two preferred labels in language {lang!r}")
            else:
                tagged[lang] = str(label)
        if len(set(plain)) != 1:
            raise ClusterKGError(f"{node.iri}: needs exactly one plain skos:prefLabel (its name), has {len(set(plain))}")
        return plain[0], tagged

    def ordered(self, node: _Node, predicate: Node) -> list[_Node]:
        """The nodes ``predicate`` points at, by their ckg:position."""
        items = []
        for iri in set(node.all(predicate)):
            item = self.node(iri)
            where = item.one(CKG.position, "ckg:position")
            if where is None:
                raise ClusterKGError(f"{iri}: has no ckg:position")
            items.append((int(where), str(iri), item))
        return [item for _, _, item in sorted(items, key=lambda t: (t[0], t[1]))]

    def texts(self, node: _Node, predicate: Node) -> list[str]:
        return sorted({str(o) for o in node.all(predicate)})

    def refs(self, node: _Node, predicate: Node) -> list[str]:
        return sorted({self.ident(o) for o in node.all(predicate)})

    def ref(self, node: _Node, predicate: Node, what: str) -> str | None:
        value = node.one(predicate, what)
        return None if value is None else self.ident(value)

    def dates(self, node: _Node, data: dict[str, Any], **names: Node) -> None:
        for field, predicate in names.items():
            value = node.text(predicate, field)
            if value is not None:
                data[field] = value

    def sources(self, node: _Node) -> list[dict[str, Any]]:
        found = []
        for derivation in self.ordered(node, PROV.qualifiedDerivation):
            source_iri = derivation.one(PROV.entity, "prov:entity")
            if source_iri is None:
                raise ClusterKGError(f"{derivation.iri}: a derivation without prov:entity")
            source = self.node(source_iri)
            data: dict[str, Any] = {"id": source.text(DCTERMS.identifier, "dct:identifier")}
            for field, predicate in (("title", DCTERMS.title), ("url", SCHEMA.url)):
                data[field] = source.text(predicate, field)
            publisher = source.one(DCTERMS.publisher, "dct:publisher")
            data["publisher"] = None if publisher is None else self.label(publisher)
            self.dates(source, data, published=DCTERMS.issued, accessed=CKG.accessed)
            data["evidence"] = derivation.text(CKG.evidence, "ckg:evidence")
            found.append({k: v for k, v in data.items() if v is not None})
        return found

    def role(self, node: _Node, fixed: Node | None = None) -> str | None:
        roles = [r for r in set(node.all(PROV.hadRole)) if r != fixed]
        if len(roles) > 1:
            raise ClusterKGError(f"{node.iri}: has {len(roles)} roles; expected at most one besides {fixed}")
        return self.label(roles[0]) if roles else None

    # -- records -------------------------------------------------------------

    def organization(self, node: _Node) -> dict[str, Any]:
        name, names = self.names(node)
        data: dict[str, Any] = {
            "id": node.text(DCTERMS.identifier, "dct:identifier"),
            "name": name,
            "names": names,
            "aliases": self.texts(node, SCHEMA.alternateName),
            "kind": self.concept(node),
            "member_of": self.refs(node, ORG.memberOf),
            "parent": self.ref(node, ORG.subOrganizationOf, "org:subOrganizationOf"),
            "website": node.text(SCHEMA.url, "schema:url"),
            "description": node.text(DCTERMS.description, "dct:description"),
            "sources": self.sources(node),
        }
        address_iri = node.one(SCHEMA.address, "schema:address")
        if address_iri is None:
            raise ClusterKGError(f"{node.iri}: an organisation without schema:address (its country)")
        address = self.node(address_iri)
        data["country"] = address.text(SCHEMA.addressCountry, "schema:addressCountry")
        data["region"] = address.text(SCHEMA.addressRegion, "schema:addressRegion")
        data["city"] = address.text(SCHEMA.addressLocality, "schema:addressLocality")
        change_iri = node.one(ORG.resultedFrom, "org:resultedFrom")
        if change_iri is not None:
            change = self.node(change_iri)
            data["predecessor"] = self.ref(change, ORG.originalOrganization, "org:originalOrganization")
            data["renamed"] = change.text(DCTERMS.date, "dct:date")
        for same in node.all(SCHEMA.sameAs):
            text = str(same)
            if text.startswith(WIKIDATA):
                data["wikidata"] = text[len(WIKIDATA):]
            elif text.startswith(ROR):
                data["ror"] = text[len(ROR):]
        return data

    def concept(self, node: _Node) -> str | None:
        value = node.one(DCTERMS.type, "dct:type")
        return None if value is None else str(value).rstrip("/").rsplit("/", 1)[-1]

    def person(self, node: _Node) -> dict[str, Any]:
        name, names = self.names(node)
        posts = []
        for post in self.ordered(node, ORG.holds):
            item: dict[str, Any] = {
                "title": self.label(post.iri),
                "organization": self.ref(post, ORG.postIn, "org:postIn"),
            }
            self.dates(post, item, start=SCHEMA.startDate, end=SCHEMA.endDate)
            posts.append(item)
        return {
            "id": node.text(DCTERMS.identifier, "dct:identifier"),
            "name": name, "names": names, "posts": posts, "sources": self.sources(node),
        }

    def programme(self, node: _Node) -> dict[str, Any]:
        area = node.one(SCHEMA.areaServed, "schema:areaServed")
        data = {
            "id": node.text(DCTERMS.identifier, "dct:identifier"),
            "name": self.label(node.iri),
            "aliases": self.texts(node, SCHEMA.alternateName),
            "operator": self.ref(node, CKG.operatedBy, "ckg:operatedBy"),
            "country": None if area is None else self.ident(area),
            "website": node.text(SCHEMA.url, "schema:url"),
            "description": node.text(DCTERMS.description, "dct:description"),
            "sources": self.sources(node),
        }
        self.dates(node, data, start=SCHEMA.startDate, end=SCHEMA.endDate)
        return data

    def event(self, node: _Node) -> dict[str, Any]:
        location = node.one(SCHEMA.location, "schema:location")
        participants = []
        for association in self.ordered(node, PROV.qualifiedAssociation):
            agent = association.one(PROV.agent, "prov:agent")
            if agent is None:
                raise ClusterKGError(f"{association.iri}: a participation without prov:agent")
            item = {"organization": self.ident(agent), "role": self.role(association)}
            participants.append({k: v for k, v in item.items() if v is not None})
        data = {
            "id": node.text(DCTERMS.identifier, "dct:identifier"),
            "name": self.label(node.iri),
            "kind": self.concept(node),
            "place": node.text(CKG.venue, "ckg:venue"),
            "country": None if location is None else self.ident(location),
            "participants": participants,
            "sources": self.sources(node),
        }
        self.dates(node, data, start=SCHEMA.startDate, end=SCHEMA.endDate)
        return data

    def agreement(self, node: _Node) -> dict[str, Any]:
        parties, signatories = [], []
        for attribution in self.ordered(node, PROV.qualifiedAttribution):
            types = set(attribution.all(RDF.type))
            agent = attribution.one(PROV.agent, "prov:agent")
            if agent is None:
                raise ClusterKGError(f"{attribution.iri}: an attribution without prov:agent")
            if CKG.Signature in types:
                agent_node = self.nodes.get(agent)
                is_person = agent_node is not None and SCHEMA.Person in agent_node.all(RDF.type)
                item = {
                    "person": self.ident(agent) if is_person else None,
                    "name": attribution.text(CKG.signerName, "ckg:signerName"),
                    "title": attribution.text(CKG.signatoryTitle, "ckg:signatoryTitle"),
                    "on_behalf_of": self.ref(attribution, CKG.onBehalfOf, "ckg:onBehalfOf"),
                }
                signatories.append({k: v for k, v in item.items() if v is not None})
            elif CKG.PartyAttribution in types:
                item = {"organization": self.ident(agent), "role": self.role(attribution, CKG.partyRole)}
                parties.append({k: v for k, v in item.items() if v is not None})
        data: dict[str, Any] = {
            "id": node.text(DCTERMS.identifier, "dct:identifier"),
            "type": self.concept(node),
            "title": node.text(DCTERMS.title, "dct:title"),
            "parties": parties,
            "signatories": signatories,
            "status": None,
            "scope": sorted({self.label(t) for t in node.all(DCTERMS.subject)}),
            "activities": self.texts(node, CKG.activity),
            "programme": self.ref(node, CKG.underProgramme, "ckg:underProgramme"),
            "event": self.ref(node, CKG.atEvent, "ckg:atEvent"),
            "renews": self.ref(node, CKG.renews, "ckg:renews"),
            "supersedes": self.ref(node, DCTERMS.replaces, "dct:replaces"),
            "notes": node.text(SKOS.note, "skos:note"),
            "sources": self.sources(node),
        }
        status = node.one(CKG.status, "ckg:status")
        if status is not None:
            data["status"] = str(status).rsplit("/", 1)[-1]
        self.dates(node, data, signed=CKG.signed, announced=CKG.announced, start=SCHEMA.startDate, end=SCHEMA.endDate)
        interval = node.one(TIME.hasTime, "time:hasTime")
        if interval is not None:
            data["term"] = self.node(interval).text(TIME.hasXSDDuration, "time:hasXSDDuration")
        return data

    def records(self) -> Iterator[tuple[str, Record]]:
        makers = {
            "organization": (self.organization, Organization),
            "person": (self.person, Person),
            "programme": (self.programme, Programme),
            "event": (self.event, Event),
            "agreement": (self.agreement, Agreement),
        }
        found: list[tuple[str, str, _Node]] = []
        for node in self.nodes.values():
            for cls in node.all(RDF.type):
                kind = _KIND_OF_CLASS.get(cls)
                if kind is not None:
                    found.append((kind, str(node.iri), node))
        order = list(makers)
        for kind, _, node in sorted(found, key=lambda t: (order.index(t[0]), t[1])):
            read, model = makers[kind]
            data = {k: v for k, v in read(node).items() if v is not None}
            try:
                yield kind, model.model_validate(data)
            except ValidationError as error:
                problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in error.errors())
                raise ClusterKGError(f"{node.iri}: not a valid {kind}: {problems}") from None


def graph_to_records(graph: Graph) -> list[Record]:
    """Every record in ``graph``, by type and then IRI (for ids under one base: by id).

    Examples
    --------
    >>> from clusterkg.graph.rdf import to_graph
    >>> org = Organization(id="link-j", name="LINK-J", names={"ja": "リンクJ"}, kind="cluster", country="JP")
    >>> graph_to_records(to_graph([org])) == [org]
    True
    """
    return [record for _, record in _Reader(graph).records()]


def graph_to_dataset(graph: Graph) -> Dataset:
    """The records of ``graph`` as a :class:`~clusterkg.loaders.assemble.Dataset` (ids already resolved)."""
    from clusterkg.model.dataset import Dataset

    ds = Dataset()
    collections = ds.collections()
    for kind, record in _Reader(graph).records():
        collections[kind][record.id] = record  # type: ignore[attr-defined]
    return ds
