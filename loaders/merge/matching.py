"""Candidates against the agreements on record: which they can be, which they overlap, what they add.

A candidate is the same agreement as one on record (:meth:`Index.find_matches`) when

- its parties are the same organisations, a renamed organisation and its
  predecessor counting as one (a lineage, DESIGN.md section 2);
- its type is of the same family (:func:`~clusterkg.loaders.merge.identity.types_compatible`);
- its dates are compatible at their precision
  (:func:`~clusterkg.loaders.merge.identity.dates_compatible`).

A matching candidate proposes only what is new (:meth:`Index.additions`): sources,
signatories, a signing date that is new or more precise, an announcement date
where there is none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clusterkg.loaders.merge.identity import (
    date_or_none,
    dates_compatible,
    more_precise,
    party_ids,
    signing_window,
    types_compatible,
)
from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.dataset import Dataset
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import Location
from clusterkg.model.records import Organization, Person


def _name_key(name: str) -> frozenset[str]:
    return frozenset(normalize_name(name).split())


def _title_key(title: str | None) -> str:
    return normalize_name(title) if title else ""


def _url_key(url: str | None) -> str:
    return url.strip().rstrip("/").lower() if url else ""


@dataclass
class Known:
    """An agreement as the matcher sees it (on record, or accepted earlier in this merge)."""

    id: str
    type: str
    parties: list[str]  # organisation ids as recorded
    signed: PartialDate | None = None
    announced: PartialDate | None = None
    signatories: list[tuple[str, frozenset[str]]] = field(default_factory=list)  # (party lineage, name key)
    sources: list[tuple[str, str, str]] = field(default_factory=list)  # (id, url key, title key)
    where: Location | None = None


def lineage_roots(orgs: Mapping[str, Organization]) -> dict[str, str]:
    """Each organisation's first predecessor (itself when it has none): the id of its lineage.
    A predecessor is named by id, or by a name only one other organisation has."""
    by_name: dict[str, set[str]] = {}
    for org in orgs.values():
        for name in org.all_names():
            by_name.setdefault(normalize_name(name), set()).add(org.id)
    predecessor: dict[str, str] = {}
    for org in orgs.values():
        ref = (org.predecessor or "").strip()
        if not ref:
            continue
        if ref in orgs:
            predecessor[org.id] = ref
        else:
            found = by_name.get(normalize_name(ref), set()) - {org.id}
            if len(found) == 1:
                predecessor[org.id] = found.pop()
    root = {}
    for org_id in orgs:
        here, seen = org_id, {org_id}
        while here in predecessor and predecessor[here] not in seen:
            here = predecessor[here]
            seen.add(here)
        root[org_id] = here
    return root


class Index:
    """Agreements by the lineages of their parties, for matching candidates against."""

    def __init__(self, organizations: Iterable[Organization] = (), people: Iterable[Person] = ()):
        self.orgs: dict[str, Organization] = {}
        for org in organizations:
            self.orgs.setdefault(org.id, org)
        self.root = lineage_roots(self.orgs)
        self.person_names: dict[str, list[frozenset[str]]] = {}
        self.by_id: dict[str, Known] = {}
        self.by_parties: dict[frozenset[str], list[Known]] = {}
        self.by_party: dict[str, list[Known]] = {}
        for person in people:
            self.person_names[person.id] = [_name_key(n) for n in [person.name, *person.names.values()]]

    @classmethod
    def of(cls, dataset: Dataset) -> Index:
        index = cls(dataset.organizations.values(), dataset.people.values())
        for agreement in dataset.agreements.values():
            index.add(agreement.to_dict(), dataset.origins.get(("agreement", agreement.id or "")))
        return index

    def lineage(self, org_id: str) -> str:
        return self.root.get(org_id, org_id)

    def _signatory_keys(self, signatory: Mapping[str, Any]) -> list[tuple[str, frozenset[str]]]:
        party = self.lineage(str(signatory.get("on_behalf_of") or ""))
        names = []
        if signatory.get("person"):
            names.extend(self.person_names.get(str(signatory["person"]), []))
            names.append(_name_key(str(signatory["person"]).replace("-", " ")))
        if signatory.get("name"):
            names.append(_name_key(str(signatory["name"])))
        return [(party, n) for n in names if n]

    def add(self, record: Mapping[str, Any], where: Location | None = None) -> Known:
        """Index an agreement given as plain data with resolved party ids (and an id)."""
        known = Known(
            id=str(record["id"]), type=str(record["type"]), parties=party_ids(record),
            signed=date_or_none(record.get("signed")), announced=date_or_none(record.get("announced")),
            where=where,
        )
        self.extend(known, record)
        self.by_id[known.id] = known
        lineages = frozenset(self.lineage(p) for p in known.parties)
        self.by_parties.setdefault(lineages, []).append(known)
        for lineage in lineages:
            self.by_party.setdefault(lineage, []).append(known)
        return known

    def extend(self, known: Known, record: Mapping[str, Any]) -> None:
        """Take in the signatories, sources and dates of ``record`` (an addition made to ``known``)."""
        for signatory in record.get("signatories") or []:
            if isinstance(signatory, Mapping):
                known.signatories.extend(self._signatory_keys(signatory))
        for source in record.get("sources") or []:
            if isinstance(source, Mapping):
                known.sources.append((str(source.get("id") or ""), _url_key(source.get("url")), _title_key(source.get("title"))))
        if record.get("signed") is not None:
            known.signed = date_or_none(record["signed"])
        if record.get("announced") is not None and known.announced is None:
            known.announced = date_or_none(record["announced"])

    def find_matches(self, type_: str, parties: Iterable[str], signed: PartialDate | None,
                     announced: PartialDate | None) -> list[Known]:
        """The agreements this one can be, best first: the same type before the same family,
        a signing date on both sides before an announcement, an undated one last."""
        key = frozenset(self.lineage(p) for p in parties)
        found = []
        for known in self.by_parties.get(key, []):
            if not types_compatible(type_, known.type):
                continue
            if not dates_compatible(signed, announced, known.signed, known.announced):
                continue
            dated = (signing_window(signed, announced) is not None
                     and signing_window(known.signed, known.announced) is not None)
            rank = (
                known.type != type_,
                not (signed is not None and known.signed is not None),
                not dated,
            )
            found.append((rank, known))
        found.sort(key=lambda pair: pair[0])
        return [known for _, known in found]

    def find_overlaps(self, type_: str, parties: Iterable[str], signed: PartialDate | None,
                      announced: PartialDate | None) -> list[Known]:
        """Agreements that may be this one written with fewer or more parties: a type of the
        same family, dates on both sides that are compatible, and the parties of one among the
        other's (at least two). A release may announce as one three-party MoU what the data
        records as two bilateral ones, or the other way round."""
        key = frozenset(self.lineage(p) for p in parties)
        if signing_window(signed, announced) is None or len(key) < 2:
            return []
        seen: dict[str, Known] = {}
        for lineage in key:
            for known in self.by_party.get(lineage, []):
                if known.id in seen:
                    continue
                other = frozenset(self.lineage(p) for p in known.parties)
                if other == key or len(other & key) < 2 or not (other < key or key < other):
                    continue
                if not types_compatible(type_, known.type) or signing_window(known.signed, known.announced) is None:
                    continue
                if dates_compatible(signed, announced, known.signed, known.announced):
                    seen[known.id] = known
        return sorted(seen.values(), key=lambda k: k.id)

    def additions(self, known: Known, record: Mapping[str, Any]) -> dict[str, Any]:
        """What ``record`` says about ``known`` that it does not have yet: new sources,
        new signatories (on behalf of its parties), a new or more precise signing
        date, an announcement date where it has none."""
        add: dict[str, Any] = {}
        sources = []
        for source in record.get("sources") or []:
            if isinstance(source, Mapping) and not self._has_source(known, source):
                sources.append(dict(source))
        if sources:
            add["sources"] = sources
        by_lineage = {self.lineage(p): p for p in known.parties}
        signatories = []
        for signatory in record.get("signatories") or []:
            if not isinstance(signatory, Mapping) or not signatory.get("on_behalf_of"):
                continue
            party = by_lineage.get(self.lineage(str(signatory["on_behalf_of"])))
            if party is None:
                continue
            keys = self._signatory_keys({**signatory, "on_behalf_of": party})
            if keys and not any(k in known.signatories for k in keys):
                signatories.append({**signatory, "on_behalf_of": party})
        if signatories:
            add["signatories"] = signatories
        signed = date_or_none(record.get("signed"))
        if signed is not None and more_precise(signed, known.signed):
            add["signed"] = signed.isoformat()
        announced = date_or_none(record.get("announced"))
        if announced is not None and known.announced is None:
            add["announced"] = announced.isoformat()
        return add

    def _has_source(self, known: Known, source: Mapping[str, Any]) -> bool:
        ident, url, title = str(source.get("id") or ""), _url_key(source.get("url")), _title_key(source.get("title"))
        for other_id, other_url, other_title in known.sources:
            if ident and ident == other_id:
                return True
            if url and url == other_url:
                return True
            if url and other_url:
                continue  # two addresses that differ: two documents
            if title and other_title and (title == other_title or (
                    min(len(title), len(other_title)) >= 20 and (title.startswith(other_title) or other_title.startswith(title)))):
                return True
        return False
