"""Records -> the rows of the property graph (DESIGN.md section 3).

This module knows the schema and nothing about databases: it turns a
:class:`~clusterkg.loaders.assemble.Dataset` into node rows (by label) and
relationship rows (by type), which :mod:`clusterkg.graph.cypher.load` writes to
FalkorDB or Neo4j and :mod:`clusterkg.graph.cypher.neo4j_import` writes as CSV.

Every label and relationship type comes from the tables below, never from
input text, so a record cannot name a label; input text only ever becomes a
property value.

The graph::

    (:Organization)-[:PARTY_TO {role}]->(:Agreement:MoU)
    (:Person)-[:SIGNED {title, on_behalf_of}]->(:Agreement)
    (:Agreement|Organization|Person|Programme|Event)-[:SOURCED_FROM {evidence}]->(:Source)
    (:Agreement)-[:UNDER_PROGRAMME]->(:Programme)-[:OPERATED_BY]->(:Organization)
    (:Agreement)-[:AT_EVENT]->(:Event)<-[:PARTICIPATED_IN {role}]-(:Organization)
    (:Agreement)-[:RENEWS|SUPERSEDES]->(:Agreement)
    (:Organization)-[:LOCATED_IN]->(:Region)-[:IN_COUNTRY]->(:Country)
    (:Organization)-[:LOCATED_IN]->(:Country)          (no region given)
    (:Event)-[:LOCATED_IN]->(:Country)
    (:Organization)-[:SUB_ORGANIZATION_OF|MEMBER_OF]->(:Organization)
    (:Organization)-[:SUCCEEDED {date, date_precision}]->(:Organization)   (renames)
    (:Person)-[:HOLDS_POST {title, start, end, period}]->(:Organization)

Dates are ISO strings at the precision the source gave (``2017-06``) with a
``*_precision`` property; an agreement also gets ``date`` (signed, else
announced, else start), ``date_from`` / ``date_to`` (the first and last day
that date can mean) and ``expires`` (the last day it is in force by its
``end`` or its ``term``, where either is known); ``day_from``, ``day_to`` and
``expires_day`` are the same days as integers (20170630), which range queries
use because FalkorDB's index compares strings wrongly at upper bounds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from clusterkg.graph.cypher.summaries import SUMMARY_KEYS
from clusterkg.model.dataset import Dataset, gc_paused
from clusterkg.model.dates import PartialDate
from clusterkg.model.names import country_name, region_name, slugify
from clusterkg.model.records import Agreement, Event, Organization, Person, Programme, Record, Source
from clusterkg.model.vocabulary import AGREEMENT_TYPES

#: The second label of an agreement, by its type (model/vocabulary.yaml).
AGREEMENT_LABELS: dict[str, str] = {key: term.graph_label for key, term in AGREEMENT_TYPES.items()}

#: Node labels that carry records; each has a unique ``id``.
NODE_LABELS: tuple[str, ...] = (
    "Organization", "Agreement", "Person", "Source", "Programme", "Event", "Region", "Country",
)


@dataclass(frozen=True)
class RelType:
    """A relationship type between two node labels.

    ``keys`` are the properties that tell two relationships of this type
    between the same two nodes apart (a person can hold two posts at one
    organisation); without keys there is at most one per pair.
    """

    type: str
    start: str
    end: str
    keys: tuple[str, ...] = ()


REL_TYPES: tuple[RelType, ...] = (
    RelType("PARTY_TO", "Organization", "Agreement"),
    RelType("SIGNED", "Person", "Agreement", keys=("on_behalf_of",)),
    *(RelType("SOURCED_FROM", label, "Source") for label in ("Agreement", "Organization", "Person", "Programme", "Event")),
    RelType("UNDER_PROGRAMME", "Agreement", "Programme"),
    RelType("AT_EVENT", "Agreement", "Event"),
    RelType("RENEWS", "Agreement", "Agreement"),
    RelType("SUPERSEDES", "Agreement", "Agreement"),
    RelType("OPERATED_BY", "Programme", "Organization"),
    RelType("PARTICIPATED_IN", "Organization", "Event"),
    RelType("LOCATED_IN", "Organization", "Region"),
    RelType("LOCATED_IN", "Organization", "Country"),
    RelType("LOCATED_IN", "Event", "Country"),
    RelType("IN_COUNTRY", "Region", "Country"),
    RelType("SUB_ORGANIZATION_OF", "Organization", "Organization"),
    RelType("MEMBER_OF", "Organization", "Organization"),
    RelType("SUCCEEDED", "Organization", "Organization"),
    RelType("HOLDS_POST", "Person", "Organization", keys=("title", "period")),
)
_REL = {(r.type, r.start, r.end): r for r in REL_TYPES}

def _dated(*names: str) -> tuple[str, ...]:
    return tuple(k for name in names for k in (name, f"{name}_precision"))


#: Every property key a node or relationship can have (checked against what
#: :func:`graph_rows` writes by the tests; handed to the Cypher linter).
PROPERTY_KEYS: tuple[str, ...] = tuple(sorted({
    "id", "name", "names", "aliases", "kind", "country", "region", "city", "website", "wikidata", "ror",
    "description", "named_only", "place", "code", "title", "publisher", "url", "type", "term", "status",
    "scope", "activities", "notes", "date_from", "date_to", "expires", "role", "on_behalf_of", "evidence",
    "period", "day_from", "day_to", "expires_day", "load_id", "datasets", "loads", "merge_key", *SUMMARY_KEYS, *_dated("start", "end", "published", "accessed", "signed", "announced", "date"),
}))

#: The properties the project sets, by node label: a reload sets these (a missing one to null,
#: which removes it) and leaves any other property alone (a GDS result, a metric_* column).
NODE_KEYS: dict[str, tuple[str, ...]] = {
    "Organization": ("id", "name", "kind", "country", "region", "city", "aliases", "names", "website", "wikidata",
                     "ror", "description"),
    "Agreement": ("id", "type", "title", "term", "status", "scope", "activities", "notes",
                  *_dated("signed", "announced", "start", "end", "date"),
                  "date_from", "date_to", "day_from", "day_to", "expires", "expires_day"),
    "Person": ("id", "name", "names", "named_only"),
    "Source": ("id", "title", "publisher", "url", *_dated("published", "accessed")),
    "Programme": ("id", "name", "aliases", "country", "website", "description", *_dated("start", "end")),
    "Event": ("id", "name", "kind", "place", "country", *_dated("start", "end")),
    "Region": ("id", "code", "name", "country"),
    "Country": ("id", "code", "name"),
}
#: The properties the project sets, by relationship type.
REL_KEYS: dict[str, tuple[str, ...]] = {
    "PARTY_TO": ("role",), "SIGNED": ("title", "on_behalf_of"), "SOURCED_FROM": ("evidence",),
    "SUCCEEDED": _dated("date"), "HOLDS_POST": ("title", "period", *_dated("start", "end")),
    "PARTICIPATED_IN": ("role",),
}
#: Node labels whose nodes several records share (a source, a country, a named signatory):
#: the only ones a stream of records must remember, to write each node once.
SHARED_LABELS = frozenset({"Source", "Country", "Region", "Person"})

#: Properties worth an index, besides ``id`` (which every backend indexes).
INDEXED: dict[str, tuple[str, ...]] = {
    # What the library queries filter on: a country's organisations, date and expiry ranges.
    # (Names are found through a full-text index on Neo4j, by a scan on FalkorDB.)
    # Load-time summaries (graph/cypher/summaries.py): inactive_since, the country-pair queries.
    "Organization": ("country", "last_day", "partner_in"),
    # Integer days, not the ISO strings: FalkorDB 4.16's range index answers upper bounds on
    # strings wrongly (`a.expires <= '2017-07-01'` also finds 2017-07-02), on integers rightly.
    "Agreement": ("day_from", "day_to", "expires_day", "country_pairs"),
}


@dataclass
class GraphRows:
    """The whole property graph as rows.

    ``nodes[label]`` is a list of ``{"id": ..., "labels": [...], "props": {...}}``
    (``labels`` are the labels beyond ``label``: an agreement's type label);
    ``relationships[RelType]`` a list of ``{"start": id, "end": id, "props": {...}}``.
    Rows are sorted, so the same dataset always gives the same rows.
    """

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    relationships: dict[RelType, list[dict[str, Any]]] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label (a node counts once under each of its labels) and
        relationship counts per type.

        Examples
        --------
        >>> from clusterkg.model.dataset import Dataset
        >>> graph_rows(Dataset()).counts()
        {'nodes': {}, 'relationships': {}}
        """
        nodes: Counter[str] = Counter()
        for label, rows in self.nodes.items():
            nodes[label] += len(rows)
            for row in rows:
                nodes.update(row["labels"])
        relationships: Counter[str] = Counter()
        for rel, rows in self.relationships.items():
            relationships[rel.type] += len(rows)
        return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(relationships.items()))}


def lint_schema() -> dict[str, list[str]]:
    """The labels, relationship types and property keys of the graph, for Neo4j's Cypher linter.

    Examples
    --------
    >>> "PARTY_TO" in lint_schema()["relationshipTypes"]
    True
    """
    return {
        "labels": [*NODE_LABELS, *AGREEMENT_LABELS.values()],
        "relationshipTypes": sorted({rel.type for rel in REL_TYPES}),
        "propertyKeys": list(PROPERTY_KEYS),
    }


def counts(ds: Dataset) -> dict[str, dict[str, int]]:
    """Node counts per label and relationship counts per type of ``ds``'s property graph,
    without a database: for comparing with the RDF graph's counts per type.

    Examples
    --------
    >>> from clusterkg.model.records import Agreement, Organization
    >>> ds = Dataset()
    >>> for i in ("a", "b"):
    ...     ds.organizations[i] = Organization(id=i, name=i, kind="cluster", country="JP")
    >>> ds.agreements["x"] = Agreement(id="x", type="mou", parties=["a", "b"], sources=[{"title": "t"}])
    >>> counts(ds)["relationships"]
    {'LOCATED_IN': 2, 'PARTY_TO': 2, 'SOURCED_FROM': 1}
    """
    return graph_rows(ds).counts()


# -- values ---------------------------------------------------------------


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Drop what is empty: neither backend stores null, and an empty list has no element type."""
    return {k: v for k, v in props.items() if v is not None and v != [] and v != ""}


def _date(props: dict[str, Any], name: str, value: PartialDate | None) -> None:
    if value is not None:
        props[name] = value.isoformat()
        props[f"{name}_precision"] = value.precision


def _day(day: dt.date) -> int:
    """A day as the integer yyyymmdd (20170630), for indexed range queries."""
    return day.year * 10000 + day.month * 100 + day.day


def _names(names: dict[str, str]) -> list[str]:
    # A map is no property value in Neo4j; "ja:神奈川県" keeps the language with the name.
    return [f"{lang}:{text}" for lang, text in sorted(names.items())]


# -- records -> rows ---------------------------------------------------------


class _Builder:
    def __init__(self) -> None:
        self.rows = GraphRows({label: [] for label in NODE_LABELS}, {rel: [] for rel in REL_TYPES})
        self.seen: dict[str, set[str]] = {label: set() for label in NODE_LABELS}

    def drain(self) -> Iterator[tuple[str, Any, dict[str, Any]]]:
        """The rows made since the last drain, as ``("node", label, row)`` and ``("rel", RelType, row)``;
        a record's repeated relationships once (the last, as :meth:`finish` keeps). Only the
        ids of shared nodes are kept after it."""
        for label, rows in self.rows.nodes.items():
            for row in rows:
                yield "node", label, row
            rows.clear()
            if label not in SHARED_LABELS:
                self.seen[label].clear()
        for rel, rows in self.rows.relationships.items():
            if rows:
                unique = {(r["start"], r["end"], *(r["props"].get(k) for k in rel.keys)): r for r in rows}
                for row in unique.values():
                    yield "rel", rel, row
                rows.clear()

    def node(self, label: str, node_id: str, props: dict[str, Any], labels: tuple[str, ...] = ()) -> None:
        if node_id in self.seen[label]:
            return  # a shared node (source, country, named signatory): the first in record order wins
        self.seen[label].add(node_id)
        clean = {"id": node_id}
        clean.update([(k, v) for k, v in props.items() if v is not None and v != "" and v != []])
        self.rows.nodes[label].append({"id": node_id, "labels": list(labels), "props": clean})

    def rel(self, type_: str, start: tuple[str, str], end: tuple[str, str], props: dict[str, Any] | None = None) -> None:
        rel = _REL[(type_, start[0], end[0])]
        self.rows.relationships[rel].append({"start": start[1], "end": end[1], "props": _clean(props) if props else {}})

    def country(self, code: str) -> tuple[str, str]:
        self.node("Country", code, {"code": code, "name": country_name(code)})
        return ("Country", code)

    def place(self, owner: tuple[str, str], country: str | None, region: str | None) -> None:
        if region:
            if region not in self.seen["Region"]:  # a region's country follows from its code: once
                self.node("Region", region, {"code": region, "name": region_name(region), "country": country})
                self.rel("IN_COUNTRY", ("Region", region), self.country(region.split("-")[0]))
            self.rel("LOCATED_IN", owner, ("Region", region))
        elif country:
            self.rel("LOCATED_IN", owner, self.country(country))

    def sources(self, owner: tuple[str, str], sources: list[Source]) -> None:
        for source in sources:
            if source.id not in self.seen["Source"]:  # a shared node: its properties once
                props: dict[str, Any] = {"title": source.title, "publisher": source.publisher, "url": source.url}
                _date(props, "published", source.published)
                _date(props, "accessed", source.accessed)
                self.node("Source", source.id, props)
            # The quoted words belong to this record's use of the source, not to the source.
            self.rel("SOURCED_FROM", owner, ("Source", source.id), {"evidence": source.evidence})

    def finish(self) -> GraphRows:
        for rows in self.rows.nodes.values():
            rows.sort(key=itemgetter("id"))
        for rel, rows in self.rows.relationships.items():
            # Several sources can cite one record; keep one relationship per key.
            if not rel.keys:  # the same, without a tuple of keys made per row
                ends = itemgetter("start", "end")
                rows[:] = sorted({ends(r): r for r in rows}.values(), key=ends)
                continue
            unique = {(r["start"], r["end"], *(r["props"].get(k) for k in rel.keys)): r for r in rows}
            rows[:] = sorted(unique.values(), key=lambda r: (r["start"], r["end"], *(str(r["props"].get(k)) for k in rel.keys)))
        self.rows.nodes = {k: v for k, v in self.rows.nodes.items() if v}
        self.rows.relationships = {k: v for k, v in self.rows.relationships.items() if v}
        return self.rows


def graph_rows(ds: Dataset) -> GraphRows:
    """The property graph of ``ds`` as node and relationship rows.

    Examples
    --------
    >>> from clusterkg.model.records import Organization
    >>> ds = Dataset()
    >>> ds.organizations["link-j"] = Organization(id="link-j", name="LINK-J", kind="cluster", country="JP", region="JP-13")
    >>> rows = graph_rows(ds)
    >>> rows.nodes["Organization"][0]["props"]
    {'id': 'link-j', 'name': 'LINK-J', 'kind': 'cluster', 'country': 'JP', 'region': 'JP-13'}
    >>> sorted(rel.type for rel in rows.relationships)
    ['IN_COUNTRY', 'LOCATED_IN']
    """
    b = _Builder()
    # A million small dicts that all stay alive: the cyclic collector would go over them again
    # and again (two thirds of the time on 30,000 agreements); rows make no cycles.
    with gc_paused():
        for _, record in ds.records():  # by type, then id: the same rows for the same dataset
            _add(b, record)
        return b.finish()


def stream_rows(records: Iterable[Record]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """The rows of ``records``, record by record, in bounded memory: ``("node", label, row)``
    and ``("rel", RelType, row)``, row as in :class:`GraphRows`.

    Each node once (a shared one, such as a source, the first time a record names it) and
    the same rows as :func:`graph_rows` when the records come in its order (by type, then
    id, as ``records.jsonl`` holds them); only the ids of shared nodes are remembered.

    Examples
    --------
    >>> from clusterkg.model.records import Organization
    >>> rows = list(stream_rows([Organization(id="a", name="A", kind="cluster", country="JP", region="JP-13")]))
    >>> [(kind, getattr(what, "type", what)) for kind, what, _ in rows]
    [('node', 'Organization'), ('node', 'Region'), ('node', 'Country'), ('rel', 'LOCATED_IN'), ('rel', 'IN_COUNTRY')]
    """
    b = _Builder()
    for record in records:
        _add(b, record)
        yield from b.drain()


def _add(b: _Builder, record: Record) -> None:
    if isinstance(record, Organization):
        _organization(b, record)
    elif isinstance(record, Person):
        _person(b, record)
    elif isinstance(record, Programme):
        _programme(b, record)
    elif isinstance(record, Event):
        _event(b, record)
    elif isinstance(record, Agreement):
        _agreement(b, record)
    else:  # pragma: no cover - the record types are a closed list
        raise TypeError(f"not a record: {type(record).__name__}")


def _organization(b: _Builder, org: Organization) -> None:
    me = ("Organization", org.id)
    b.node("Organization", org.id, {
        "name": org.name, "kind": org.kind, "country": org.country, "region": org.region, "city": org.city,
        "aliases": list(org.aliases), "names": _names(org.names), "website": org.website,
        "wikidata": org.wikidata, "ror": org.ror, "description": org.description,
    })
    b.place(me, org.country, org.region)
    if org.parent:
        b.rel("SUB_ORGANIZATION_OF", me, ("Organization", org.parent))
    for other in org.member_of:
        b.rel("MEMBER_OF", me, ("Organization", other))
    if org.predecessor:
        props: dict[str, Any] = {}
        _date(props, "date", org.renamed)
        b.rel("SUCCEEDED", me, ("Organization", org.predecessor), props)
    b.sources(me, org.sources)


def _person(b: _Builder, person: Person) -> None:
    me = ("Person", person.id)
    b.node("Person", person.id, {"name": person.name, "names": _names(person.names)})
    for post in person.posts:
        props: dict[str, Any] = {"title": post.title, "period": f"{post.start or '..'}/{post.end or '..'}"}
        _date(props, "start", post.start)
        _date(props, "end", post.end)
        b.rel("HOLDS_POST", me, ("Organization", post.organization), props)
    b.sources(me, person.sources)


def _programme(b: _Builder, programme: Programme) -> None:
    me = ("Programme", programme.id)
    props: dict[str, Any] = {"name": programme.name, "aliases": list(programme.aliases), "country": programme.country,
                             "website": programme.website, "description": programme.description}
    _date(props, "start", programme.start)
    _date(props, "end", programme.end)
    b.node("Programme", programme.id, props)
    if programme.operator:
        b.rel("OPERATED_BY", me, ("Organization", programme.operator))
    b.sources(me, programme.sources)


def _event(b: _Builder, event: Event) -> None:
    me = ("Event", event.id)
    props: dict[str, Any] = {"name": event.name, "kind": event.kind, "place": event.place, "country": event.country}
    _date(props, "start", event.start)
    _date(props, "end", event.end)
    b.node("Event", event.id, props)
    if event.country:
        b.rel("LOCATED_IN", me, b.country(event.country))
    for participant in event.participants:
        b.rel("PARTICIPATED_IN", ("Organization", participant.organization), me, {"role": participant.role})
    b.sources(me, event.sources)


def _agreement(b: _Builder, agreement: Agreement) -> None:
    assert agreement.id is not None  # the dataset gives every agreement its id
    me = ("Agreement", agreement.id)
    props: dict[str, Any] = {
        "type": agreement.type, "title": agreement.title, "term": agreement.term, "status": agreement.status,
        "scope": list(agreement.scope), "activities": list(agreement.activities), "notes": agreement.notes,
    }
    for name in ("signed", "announced", "start", "end"):
        _date(props, name, getattr(agreement, name))
    when = agreement.date
    if when is not None:
        _date(props, "date", when)
        props["date_from"] = when.earliest().isoformat()
        props["date_to"] = when.latest().isoformat()
        props["day_from"], props["day_to"] = _day(when.earliest()), _day(when.latest())
    last = agreement.expires()
    if last is not None:
        props["expires"], props["expires_day"] = last.isoformat(), _day(last)
    b.node("Agreement", agreement.id, props, labels=(AGREEMENT_LABELS[agreement.type],))
    for party in agreement.parties:
        b.rel("PARTY_TO", ("Organization", party.organization), me, {"role": party.role})
    for signatory in agreement.signatories:
        if signatory.person is not None:
            person_id = signatory.person
        else:
            # A signatory known only by name still signs; one node per name.
            person_id = "signatory-" + slugify(signatory.name or "")
            b.node("Person", person_id, {"name": signatory.name, "named_only": True})
        b.rel("SIGNED", ("Person", person_id), me, {"title": signatory.title, "on_behalf_of": signatory.on_behalf_of})
    if agreement.programme:
        b.rel("UNDER_PROGRAMME", me, ("Programme", agreement.programme))
    if agreement.event:
        b.rel("AT_EVENT", me, ("Event", agreement.event))
    for name in ("renews", "supersedes"):
        target = getattr(agreement, name)
        if target:
            b.rel(name.upper(), me, ("Agreement", target))
    b.sources(me, agreement.sources)
