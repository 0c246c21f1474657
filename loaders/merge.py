"""Reviewed candidates into the data: one id rule, matching, additions, and writing without rewriting.

A candidate from ``clusterkg extract`` is the same agreement as one on record
(:func:`find_matches`) when

- its parties are the same organisations, a renamed organisation and its
  predecessor counting as one (a lineage, DESIGN.md section 2);
- its type is of the same family (``model/vocabulary.yaml``: mou, loi, moc,
  collaboration and partnership are one family, ``cooperation``; a press release
  may call one MoU a memorandum of cooperation or a cooperation agreement). A
  type ``other`` (what extraction writes for a bare "an agreement") is of any
  family;
- its dates are compatible at their precision: each side's signing date is an
  interval (a day, a month, a year); a side known only by its announcement was
  signed within the year before it; a side with neither is compatible with any.

A matching candidate keeps the id on record (``matches: ID``) and proposes only
what is new (:meth:`Index.additions`): sources, signatories, a signing date that
is new or more precise, an announcement date where there is none. Ids are
derived by the same rule typed records get when they have none
(:func:`clusterkg.model.records.derive_agreement_id`: the type, the sorted party
ids, and the signing date, else the announcement date, at its precision).

:func:`plan_merge` reads a reviewed candidates file and the data and works out
what to write; :func:`write_merge` writes it. New organisations and agreements
go into a new file ``DATA/merged-<date>.yaml`` (appended to when it exists), or
are appended to DATA when it is a single YAML file; additions to a record on
record are inserted into that record's text in its YAML file. Every other byte of
the data files stays as it was. The candidates file itself is never changed:
merging is idempotent, so it can be merged again after more review.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from clusterkg.loaders.documents import read_yaml
from clusterkg.loaders.parse import field_path, parse
from clusterkg.loaders.read import expand, read_inputs
from clusterkg.loaders.resolve import ResolveError, Resolver, normalize_name
from clusterkg.model.dataset import Dataset
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import InputError, Location, Problem, RawRecord
from clusterkg.model.records import (
    Agreement,
    Organization,
    Person,
    Signatory,
    Source,
    derive_agreement_id,
)
from clusterkg.model.vocabulary import same_family

#: The review status of a candidate; a candidate without one is pending.
STATUSES = ("pending", "accept", "reject")
#: Keys of a candidate that are about the review, not the agreement: never written to the data.
REVIEW_KEYS = ("status", "matches", "also_matches", "overlaps", "distinct", "add")
#: What ``add`` may hold.
ADDITION_KEYS = ("sources", "signatories", "signed", "announced")
#: A release announces an agreement signed at most this long before it.
ANNOUNCEMENT_WINDOW = dt.timedelta(days=366)


# --- one id rule ----------------------------------------------------------------------------

def agreement_date(record: Mapping[str, Any]) -> PartialDate | None:
    """The date an id is derived from, as the loaders take it: signed, else announced, else start."""
    for key in ("signed", "announced", "start"):
        value = record.get(key)
        if value is not None:
            try:
                return PartialDate.parse(value)
            except ValueError:
                return None
    return None


def agreement_id(type_: str, party_ids: Iterable[str], date: PartialDate | None) -> str:
    """The id a record without one gets on loading: the same rule for typed and extracted records."""
    return derive_agreement_id(type_, sorted(party_ids), date)


# --- matching -------------------------------------------------------------------------------

def types_compatible(a: str, b: str) -> bool:
    """Whether two agreement types can describe one agreement (same family, or one is ``other``)."""
    if a == b or "other" in (a, b):
        return True
    try:
        return same_family(a, b)
    except KeyError:
        return False


def _window(signed: PartialDate | None, announced: PartialDate | None) -> tuple[dt.date, dt.date] | None:
    if signed is not None:
        return signed.earliest(), signed.latest()
    if announced is not None:
        return announced.earliest() - ANNOUNCEMENT_WINDOW, announced.latest()
    return None


def dates_compatible(a_signed: PartialDate | None, a_announced: PartialDate | None,
                     b_signed: PartialDate | None, b_announced: PartialDate | None) -> bool:
    """Whether two agreements' dates can be the same signing, each at its precision.

    >>> p = PartialDate.parse
    >>> dates_compatible(p("2020-09"), None, p("2020-09-18"), None)
    True
    >>> dates_compatible(p("2015-11"), p("2015-12-02"), None, p("2015-12-02"))
    True
    >>> dates_compatible(p("2017-10"), None, p("2015-11"), None)
    False
    >>> dates_compatible(None, None, p("2015-11"), None)  # undated: compatible with any
    True
    """
    a, b = _window(a_signed, a_announced), _window(b_signed, b_announced)
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]


def _date_or_none(value: Any) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError:
        return None


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
    explicit_id: bool = True
    where: Location | None = None


class Index:
    """Agreements by the lineages of their parties, for matching candidates against."""

    def __init__(self, organizations: Iterable[Organization] = (), people: Iterable[Person] = ()):
        self.orgs: dict[str, Organization] = {}
        self.root: dict[str, str] = {}
        self.person_names: dict[str, list[frozenset[str]]] = {}
        self.by_id: dict[str, Known] = {}
        self.by_parties: dict[frozenset[str], list[Known]] = {}
        self.by_party: dict[str, list[Known]] = {}
        self.add_organizations(organizations)
        for person in people:
            self.person_names[person.id] = [_name_key(n) for n in [person.name, *person.names.values()]]

    @classmethod
    def of(cls, dataset: Dataset) -> Index:
        index = cls(dataset.organizations.values(), dataset.people.values())
        for agreement in dataset.agreements.values():
            index.add(agreement.to_dict(), dataset.origins.get(("agreement", agreement.id or "")))
        return index

    def add_organizations(self, organizations: Iterable[Organization]) -> None:
        new = [o for o in organizations if o.id not in self.orgs]
        for org in new:
            self.orgs[org.id] = org
        by_name: dict[str, set[str]] = {}
        for org in self.orgs.values():
            for name in org.all_names():
                by_name.setdefault(normalize_name(name), set()).add(org.id)
        predecessor: dict[str, str] = {}
        for org in self.orgs.values():
            ref = (org.predecessor or "").strip()
            if not ref:
                continue
            if ref in self.orgs:
                predecessor[org.id] = ref
            else:
                found = by_name.get(normalize_name(ref), set()) - {org.id}
                if len(found) == 1:
                    predecessor[org.id] = found.pop()
        self.root = {}
        for org_id in self.orgs:
            here, seen = org_id, {org_id}
            while here in predecessor and predecessor[here] not in seen:
                here = predecessor[here]
                seen.add(here)
            self.root[org_id] = here

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

    def add(self, record: Mapping[str, Any], where: Location | None = None, explicit_id: bool = True) -> Known:
        """Index an agreement given as plain data with resolved party ids (and an id)."""
        known = Known(
            id=str(record["id"]), type=str(record["type"]), parties=party_ids(record),
            signed=_date_or_none(record.get("signed")), announced=_date_or_none(record.get("announced")),
            explicit_id=explicit_id, where=where,
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
            known.signed = _date_or_none(record["signed"])
        if record.get("announced") is not None and known.announced is None:
            known.announced = _date_or_none(record["announced"])

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
            dated = _window(signed, announced) is not None and _window(known.signed, known.announced) is not None
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
        if _window(signed, announced) is None or len(key) < 2:
            return []
        seen: dict[str, Known] = {}
        for lineage in key:
            for known in self.by_party.get(lineage, []):
                if known.id in seen:
                    continue
                other = frozenset(self.lineage(p) for p in known.parties)
                if other == key or len(other & key) < 2 or not (other < key or key < other):
                    continue
                if not types_compatible(type_, known.type) or _window(known.signed, known.announced) is None:
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
        signed = _date_or_none(record.get("signed"))
        if signed is not None and more_precise(signed, known.signed):
            add["signed"] = signed.isoformat()
        announced = _date_or_none(record.get("announced"))
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


def more_precise(new: PartialDate, old: PartialDate | None) -> bool:
    """Whether ``new`` says more than ``old``: there is no ``old``, or ``new`` is finer and within it."""
    if old is None:
        return True
    order = {"year": 0, "month": 1, "day": 2}
    return (order[new.precision] > order[old.precision]
            and old.earliest() <= new.earliest() and new.latest() <= old.latest())


def party_ids(record: Mapping[str, Any]) -> list[str]:
    """The party references of a record given as plain data (``link-j`` or ``{organization: link-j}``)."""
    ids = []
    parties = record.get("parties") or []
    for party in [parties] if isinstance(parties, (str, Mapping)) else parties if isinstance(parties, list) else []:
        if isinstance(party, Mapping):
            party = party.get("organization")
        if isinstance(party, str):
            ids.append(party.strip())
    return ids


# --- reading a candidates file --------------------------------------------------------------

@dataclass
class Candidate:
    """One agreement of a candidates file, with its review keys apart."""

    number: int  # 1-based, in file order
    raw: RawRecord
    status: str = "pending"
    matches: str | None = None
    distinct: bool = False
    add: dict[str, Any] | None = None
    record: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        """How messages name it: its number, type, parties and date."""
        parties = ", ".join(party_ids(self.raw.data)) or "no parties"
        date = self.raw.data.get("signed") or self.raw.data.get("announced")
        return f"candidate {self.number} ({self.raw.data.get('type', '?')}: {parties}{f', {date}' if date else ''})"

    def problem(self, message: str, field_name: str | None = None) -> Problem:
        return Problem(self.raw.locate(field_name), message, field_name, self.label())


def read_candidates(path: Path) -> tuple[list[Candidate], dict[str, RawRecord], list[Problem]]:
    """The candidate agreements and proposed organisations (by id) of a candidates file.

    What is wrong is reported per candidate; the others are still read.
    """
    problems: list[Problem] = []
    try:
        raws = read_yaml(path)
    except InputError as error:
        raws = error.partial
        problems.extend(error.problems)
    except OSError as error:
        return [], {}, [Problem(Location(str(path)), f"cannot read: {error.strerror or error}")]
    organizations: dict[str, RawRecord] = {}
    candidates: list[Candidate] = []
    for raw in raws:
        if raw.type == "organization":
            ident = raw.data.get("id")
            if isinstance(ident, str) and ident.strip():
                organizations.setdefault(ident.strip(), raw)
            else:
                problems.append(Problem(raw.location, "a proposed organisation needs an id", "id"))
        elif raw.type == "agreement":
            candidates.append(_candidate(len(candidates) + 1, raw, problems))
        else:
            problems.append(Problem(raw.location, f"merge takes organizations and agreements, not a {raw.type}"))
    return candidates, organizations, problems


def _candidate(number: int, raw: RawRecord, problems: list[Problem]) -> Candidate:
    data = raw.data
    candidate = Candidate(number, raw)
    candidate.record = {k: v for k, v in data.items() if k not in REVIEW_KEYS}
    status = data.get("status", "pending")
    if status is None:
        status = "pending"
    if not isinstance(status, str) or status.strip().lower() not in STATUSES:
        problems.append(candidate.problem(f"unknown status {status!r}; use one of {', '.join(STATUSES)}", "status"))
        candidate.status = "broken"
        return candidate
    candidate.status = status.strip().lower()
    if candidate.status != "accept":
        return candidate
    broken = []
    matches = data.get("matches")
    if matches is not None and (not isinstance(matches, str) or not matches.strip()):
        broken.append(("matches", f"expected the id of an agreement, got {matches!r}"))
    else:
        candidate.matches = matches.strip() if matches else None
    distinct = data.get("distinct", False)
    if not isinstance(distinct, bool):
        broken.append(("distinct", f"expected true or false, got {distinct!r}"))
    candidate.distinct = distinct is True
    add = data.get("add")
    if add is not None:
        if not isinstance(add, Mapping):
            broken.append(("add", f"expected a mapping of {', '.join(ADDITION_KEYS)}, got {add!r:.60}"))
        else:
            unknown = [k for k in add if k not in ADDITION_KEYS]
            if unknown:
                broken.append(("add", f"unknown key {unknown[0]!r}; add takes {', '.join(ADDITION_KEYS)}"))
            candidate.add = dict(add)
    if broken:
        problems.extend(candidate.problem(message, name) for name, message in broken)
        candidate.status = "broken"
    return candidate


# --- planning a merge -----------------------------------------------------------------------

@dataclass
class MergeResult:
    """What a merge adds, or would add, and what it refused."""

    data: Path
    added_organizations: list[str] = field(default_factory=list)
    added_agreements: list[str] = field(default_factory=list)
    updated_agreements: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)  # accepted, already in the data
    same_organizations: list[str] = field(default_factory=list)  # proposed, but on record by name
    pending: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: path -> (text before, or None for a new file; text after)
    files: dict[Path, tuple[str | None, str]] = field(default_factory=dict)

    def summary(self) -> list[str]:
        lines = []
        for org in self.added_organizations:
            lines.append(f"new organisation {org}")
        for agreement in self.added_agreements:
            lines.append(f"new agreement {agreement}")
        for agreement, what in self.updated_agreements.items():
            lines.append(f"added to {agreement}: {'; '.join(what)}")
        for text in self.unchanged:
            lines.append(f"already in the data: {text}")
        for text in self.same_organizations:
            lines.append(f"proposed organisation {text} (the same name): the one on record is used")
        return lines


class _Edits:
    """Insertions and replacements in one YAML file's text, applied together."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.tree = _tree(text)
        self.changes: list[tuple[int, int, int, str]] = []  # (start, end, order, new text)

    def apply(self) -> str:
        text = self.text
        for start, end, _, new in sorted(self.changes, key=lambda c: (c[0], c[2]), reverse=True):
            text = text[:start] + new + text[end:]
        return text


def plan_merge(candidates_path: Path, data: Path, today: dt.date | None = None) -> MergeResult:
    """Work out what merging the accepted candidates of ``candidates_path`` into ``data`` writes.

    Nothing is written (see :func:`write_merge`). Problems of single candidates
    are in ``result.problems``; the other candidates are still merged. Raises
    InputError when the data cannot be merged into at all (missing, or not valid).
    """
    from clusterkg.loaders.assemble import load_dataset

    candidates_path, data = Path(candidates_path), Path(data)
    result = MergeResult(data)
    if not data.exists():
        raise InputError([Problem(Location(str(data)), "no such file or folder")])
    if data.is_file() and data.suffix.lower() not in (".yaml", ".yml"):
        raise InputError([Problem(Location(str(data)), "merge writes into a folder or a YAML file")])
    if not candidates_path.is_file():
        raise InputError([Problem(Location(str(candidates_path)), "no such file")])
    dataset = load_dataset([data])
    if dataset.problems:
        raise InputError([*dataset.problems, Problem(
            Location(str(data)), "the data has problems already; fix them first (clusterkg validate)")])
    candidates, proposed, problems = read_candidates(candidates_path)
    result.problems.extend(problems)
    index = Index.of(dataset)
    people = set(dataset.people)
    merge = _Merge(result, dataset, index, proposed, people, data)

    for candidate in candidates:
        if candidate.status == "pending":
            result.pending += 1
        elif candidate.status == "reject":
            result.rejected += 1
    accepted = [c for c in candidates if c.status == "accept"]
    for candidate in accepted:  # new agreements first: a later candidate may match one of them
        if candidate.matches is None:
            merge.new_agreement(candidate)
    for candidate in accepted:
        if candidate.matches is not None:
            merge.addition(candidate)
    merge.compose(today or dt.date.today())
    if result.files:
        verify(result, data)
    return result


class _Merge:
    def __init__(self, result: MergeResult, dataset: Dataset, index: Index, proposed: dict[str, RawRecord],
                 people: set[str], data: Path):
        self.result = result
        self.dataset = dataset
        self.index = index
        self.proposed = proposed
        self.people = people
        self.data = data
        self.new_orgs: dict[str, dict[str, Any]] = {}
        self.new_agreements: dict[str, dict[str, Any]] = {}
        self.valid_proposed: dict[str, Organization] = {}
        self.edits: dict[Path, _Edits] = {}
        self.order = 0
        #: proposed organisation id -> the organisation on record with its name (extracted without --known)
        self.same_as: dict[str, str] = {}
        on_record: dict[str, set[str]] = {}
        for org in dataset.organizations.values():
            for name in [org.id, *org.all_names()]:
                on_record.setdefault(normalize_name(name), set()).add(org.id)
        for org_id, raw in proposed.items():
            if org_id in dataset.organizations:
                continue  # merged before, or on record already: the record on file is kept
            names = [raw.data.get("name"), *_as_list(raw.data.get("aliases"))]
            if isinstance(raw.data.get("names"), Mapping):
                names.extend(raw.data["names"].values())
            found = set().union(*(on_record.get(normalize_name(n), set()) for n in names if isinstance(n, str) and n.strip()))
            if len(found) == 1:
                self.same_as[org_id] = found.pop()
                result.same_organizations.append(f"{org_id} is {self.same_as[org_id]} on record")
                continue
            record, _ = parse(raw)
            if record is not None:
                self.valid_proposed[org_id] = record  # type: ignore[assignment]
        self.resolver = Resolver([*dataset.organizations.values(), *self.valid_proposed.values()])

    # -- new agreements --

    def new_agreement(self, candidate: Candidate) -> None:
        result = self.result
        raw = RawRecord("agreement", candidate.record, candidate.raw.location, candidate.raw.field_lines)
        record, found = parse(raw)
        if record is None:
            result.problems.extend(Problem(p.location, p.message, p.field, candidate.label()) for p in found)
            return
        agreement: Agreement = record  # type: ignore[assignment]
        on = agreement.date
        resolved: list[str] = []
        for i, party in enumerate(agreement.parties):
            org_id = self.resolve(candidate, party.organization, on, f"parties[{i}]")
            if org_id is None:
                return
            resolved.append(org_id)
        for i, signatory in enumerate(agreement.signatories):
            org_id = self.resolve(candidate, signatory.on_behalf_of, on, f"signatories[{i}].on_behalf_of")
            if org_id is None:
                return
            if org_id not in resolved:
                result.problems.append(candidate.problem(
                    f"{signatory.on_behalf_of!r} is not a party to this agreement", f"signatories[{i}].on_behalf_of"))
                return
            if signatory.person is not None and signatory.person not in self.people:
                result.problems.append(candidate.problem(
                    f"unknown person {signatory.person!r}: not in the data; write the name as 'name' instead",
                    f"signatories[{i}].person"))
                return
        derived = agreement_id(agreement.type, resolved, on)
        ident = agreement.id or derived
        data = _plain(candidate.record)
        data["id"] = ident
        data["parties"] = _with_ids(data.get("parties") or [], resolved)
        matches = self.index.find_matches(agreement.type, resolved, agreement.signed, agreement.announced)
        same = self.index.by_id.get(ident)
        if same is not None and same not in matches:
            where = f" at {same.where}" if same.where else " in this merge"
            result.problems.append(candidate.problem(
                f"id {ident!r} is already used by another agreement{where}; give this one another id", "id"))
            return
        if matches and not candidate.distinct:
            best = matches[0]
            if best.id == ident and not self.index.additions(best, data):
                result.unchanged.append(f"{ident} ({candidate.label()})")
                return
            dates = " / ".join(str(d or "undated") for d in (agreement.signed or agreement.announced,
                                                               best.signed or best.announced))
            where = f" ({best.where})" if best.where else " (accepted earlier in this file)"
            result.problems.append(candidate.problem(
                f"duplicates agreement {best.id}{where}: the same parties, a type of the same family "
                f"({agreement.type} / {best.type}) and compatible dates ({dates or 'undated'}); it was not marked "
                f"as matching it. Write 'matches: {best.id}' to add what is new in it to that agreement, "
                "or 'distinct: true' if it is another agreement", "matches"))
            return
        overlaps = [] if candidate.distinct else self.index.find_overlaps(
            agreement.type, resolved, agreement.signed, agreement.announced)
        if overlaps:
            listed = ", ".join(f"{k.id}" + (f" ({k.where})" if k.where else "") for k in overlaps)
            result.problems.append(candidate.problem(
                f"may be recorded already as {listed}: a type of the same family, compatible dates, and the parties "
                "of one among the other's. Reject it, or write 'distinct: true' if it is another agreement", "parties"))
            return
        if candidate.distinct and ident in self.index.by_id:
            result.problems.append(candidate.problem(f"id {ident!r} is taken; give this agreement an id of its own", "id"))
            return
        for org_id in resolved:
            if org_id not in self.dataset.organizations and org_id not in self.new_orgs:
                raw_org = self.proposed[org_id]
                self.new_orgs[org_id] = _plain(raw_org.data)
                result.added_organizations.append(org_id)
        ordered = {"id": ident, **{k: v for k, v in data.items() if k != "id"}}
        self.new_agreements[ident] = ordered
        self.index.add(ordered, None)
        result.added_agreements.append(ident)

    def resolve(self, candidate: Candidate, reference: str, on: PartialDate | None, path: str) -> str | None:
        if reference in self.same_as:
            return self.same_as[reference]
        if reference in self.proposed and reference not in self.dataset.organizations and reference not in self.valid_proposed:
            raw = self.proposed[reference]
            _, found = parse(raw)
            detail = "; ".join(f"{p.field or 'record'}: {p.message}" for p in found)
            self.result.problems.append(candidate.problem(
                f"party {reference!r} is a proposed organisation that is not valid ({raw.location}: {detail}); "
                "correct it in the candidates file", path))
            return None
        try:
            return self.resolver.resolve(reference, on)
        except ResolveError as error:
            self.result.problems.append(candidate.problem(str(error), path))
            return None

    # -- additions to an agreement --

    def addition(self, candidate: Candidate) -> None:
        result = self.result
        target = self.index.by_id.get(candidate.matches or "")
        if target is None:
            result.problems.append(candidate.problem(
                f"matches {candidate.matches!r}: no agreement with this id in {self.data} or accepted in this file",
                "matches"))
            return
        # no `add`: what the candidate's own record says (as `extract --known` would have proposed it)
        add = _plain(candidate.add if candidate.add is not None else {
            key: candidate.record[key] for key in ADDITION_KEYS if candidate.record.get(key) is not None})
        checked: dict[str, Any] = {}
        for i, source in enumerate(_as_list(add.get("sources"))):
            try:
                Source.model_validate(source)
            except ValidationError as error:
                result.problems.append(candidate.problem(_first(error), f"add.sources[{i}]"))
                return
        for i, signatory in enumerate(_as_list(add.get("signatories"))):
            try:
                Signatory.model_validate(signatory)
            except ValidationError as error:
                result.problems.append(candidate.problem(_first(error), f"add.signatories[{i}]"))
                return
            org_id = self.resolve(candidate, signatory["on_behalf_of"], target.signed, f"add.signatories[{i}].on_behalf_of")
            if org_id is None:
                return
            if self.index.lineage(org_id) not in {self.index.lineage(p) for p in target.parties}:
                result.problems.append(candidate.problem(
                    f"{signatory['on_behalf_of']!r} is not a party to {target.id}", f"add.signatories[{i}].on_behalf_of"))
                return
            if signatory.get("person") is not None and signatory["person"] not in self.people:
                result.problems.append(candidate.problem(
                    f"unknown person {signatory['person']!r}: not in the data", f"add.signatories[{i}].person"))
                return
            signatory = {**signatory, "on_behalf_of": org_id}
            checked.setdefault("signatories", []).append(signatory)
        checked["sources"] = _as_list(add.get("sources"))
        for key in ("signed", "announced"):
            if add.get(key) is not None:
                try:
                    checked[key] = PartialDate.parse(add[key]).isoformat()
                except ValueError as error:
                    result.problems.append(candidate.problem(str(error), f"add.{key}"))
                    return
        if "signed" in checked and target.signed is not None:
            new = PartialDate.parse(checked["signed"])
            if not dates_compatible(new, None, target.signed, None):
                result.problems.append(candidate.problem(
                    f"{new} contradicts the signing date {target.signed} of {target.id}; correct the record by hand",
                    "add.signed"))
                return
        new = self.index.additions(target, checked)
        if not new:
            result.unchanged.append(f"{target.id} ({candidate.label()}: nothing new)")
            return
        if target.id in self.new_agreements:
            record = self.new_agreements[target.id]
            for key in ("sources", "signatories"):
                if key in new:
                    record[key] = [*_as_list(record.get(key)), *new[key]]
            for key in ("signed", "announced"):
                if key in new:
                    record[key] = new[key]
        else:
            problem = self.edit_record(target, new)
            if problem is not None:
                result.problems.append(candidate.problem(problem, "matches"))
                return
        self.index.extend(target, new)
        what = result.updated_agreements.setdefault(target.id, [])
        for key in ("sources", "signatories"):
            if key in new:
                noun = {"sources": "source", "signatories": "signatory"}[key]
                what.append(f"{len(new[key])} {noun if len(new[key]) == 1 else key}")
        for key in ("signed", "announced"):
            if key in new:
                what.append(f"{key} {new[key]}")

    def edit_record(self, target: Known, new: dict[str, Any]) -> str | None:
        where = target.where
        if where is None:
            return f"cannot find where {target.id} is written"
        path = Path(where.file)
        if path.suffix.lower() not in (".yaml", ".yml"):
            return (f"{target.id} is written in {path}; merge edits YAML files only: "
                    "add the new facts to it by hand")
        edits = self.edits.get(path)
        if edits is None:
            try:
                edits = self.edits[path] = _Edits(path, _read(path))
            except (OSError, yaml.YAMLError, ValueError) as error:
                return f"cannot edit {path}: {error}"
        node = _record_at(edits.tree, where.line)
        if node is None:
            return f"cannot find the record of {target.id} at {where}"
        if node.flow and node.multiline(edits.text):
            return f"{target.id} at {where} is a flow mapping over several lines; add the new facts to it by hand"
        keys = node.keys()
        for key in ("sources", "signatories"):
            if key in new:
                problem = self.append_items(edits, node, key, new[key])
                if problem:
                    return problem
        if "id" not in keys:  # its id is derived: pin it, so a more precise date does not change it
            self.set_scalar(edits, node, "id", target.id, quote=False)
        for key in ("signed", "announced"):
            if key in new:
                self.set_scalar(edits, node, key, new[key])
        return None

    def _next(self) -> int:
        self.order += 1
        return self.order

    def append_items(self, edits: _Edits, owner: _Node, key: str, items: list[Any]) -> str | None:
        text, nl = edits.text, _newline(edits.text)
        value = owner.get(key)
        if value is not None and value.kind == "scalar" and value.value in ("", "~", "null"):
            if owner.flow:  # an empty key: written anew
                return f"'{key}' is empty in a flow mapping; add to it by hand"
            start = _line_start(text, owner.key_node(key).start)
            end = _after_line(text, value.end)
            edits.changes.append((start, end, self._next(), _block_key(key, items, owner.col, nl)))
            return None
        if value is None:
            if owner.flow:
                edits.changes.append((owner.end - 1, owner.end - 1, self._next(), f", {key}: {_flow(items)}"))
            else:
                at = _after_line(text, owner.content_end(text))
                edits.changes.append((at, at, self._next(), _block_key(key, items, owner.col, nl)))
            return None
        if value.kind != "seq":
            return f"'{key}' is not a list in {edits.path} (line {value.line}); add to it by hand"
        if value.flow:
            body = _flow(items)[1:-1]
            sep = ", " if value.items else ""
            edits.changes.append((value.end - 1, value.end - 1, self._next(), sep + body))
        else:
            at = _after_line(text, value.content_end(text))
            styles = {item.flow and not item.multiline(text) for item in value.items if item.kind != "alias"}
            if styles == {True}:  # one-line {..} items: write the new ones alike
                block = "".join(f"{' ' * value.col}- {_flow([item])[1:-1]}{nl}" for item in items)
            else:
                block = _block_items(items, value.col, nl)
            edits.changes.append((at, at, self._next(), block))
        return None

    def set_scalar(self, edits: _Edits, owner: _Node, key: str, value: str, quote: bool = True) -> None:
        written = f'"{value}"' if quote else value
        node = owner.get(key)
        if node is not None and node.kind == "scalar":
            edits.changes.append((node.start, node.end, self._next(), written))
        elif owner.flow:
            edits.changes.append((owner.end - 1, owner.end - 1, self._next(), f", {key}: {written}"))
        else:
            at = _after_line(edits.text, owner.content_end(edits.text))
            edits.changes.append((at, at, self._next(), f"{' ' * owner.col}{key}: {written}{_newline(edits.text)}"))

    # -- writing --

    def compose(self, today: dt.date) -> None:
        result = self.result
        for path, edits in self.edits.items():
            if edits.changes:
                result.files[path] = (edits.text, edits.apply())
        if not self.new_orgs and not self.new_agreements:
            return
        sections = {"organizations": list(self.new_orgs.values()), "agreements": list(self.new_agreements.values())}
        target = self.data if self.data.is_file() else self.data / f"merged-{today.isoformat()}.yaml"
        before = result.files[target][1] if target in result.files else (_read(target) if target.exists() else None)
        if before is None or not before.strip():
            header = (f"# Records merged by `clusterkg merge` on {today.isoformat()} from reviewed candidates.\n"
                      "# Each agreement keeps its sources, with the evidence, and how it was extracted.\n")
            body = _dump({k: v for k, v in sections.items() if v})
            result.files[target] = (before, header + body)
            return
        edits = _Edits(target, before)
        root = edits.tree
        if root is None or root.kind != "map":
            result.problems.append(Problem(Location(str(target)), "expected a mapping with lists under organizations and agreements; nothing was added to it"))
            return
        for key, items in sections.items():
            if items:
                problem = self.append_items(edits, root, key, items)
                if problem:
                    result.problems.append(Problem(Location(str(target)), problem))
                    return
        result.files[target] = (result.files.get(target, (before, ""))[0], edits.apply())


def _plain(value: Any) -> Any:
    """Plain data from what the YAML reader gives (its dicts remember lines; dates become text)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return PartialDate.parse(value).isoformat()
    return value


def _with_ids(parties: list[Any], resolved: list[str]) -> list[Any]:
    out = []
    for party, org_id in zip(parties, resolved):
        if isinstance(party, Mapping):
            out.append({**party, "organization": org_id})
        else:
            out.append(org_id)
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    return list(value)


def _first(error: ValidationError) -> str:
    err = error.errors(include_url=False)[0]
    path = field_path(err["loc"])
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        message = "required field is missing"
    elif err["type"] == "extra_forbidden":
        message = "unknown field (check its spelling)"
    return f"{path}: {message}" if path else message


def verify(result: MergeResult, data: Path) -> None:
    """Load the data as it would be after the merge; on any problem, write nothing and say why."""
    from clusterkg.loaders.assemble import assemble

    files, _ = expand([data])
    with tempfile.TemporaryDirectory(prefix="clusterkg-merge-") as tmp:
        back: dict[str, str] = {}
        inputs = []
        changed = {p.resolve(): p for p in result.files}
        for i, path in enumerate([*files, *(p for p in result.files if not p.exists())]):
            key = path.resolve()
            if key in changed:
                copy_path = Path(tmp) / str(i) / path.name
                copy_path.parent.mkdir()
                copy_path.write_text(result.files[changed[key]][1], encoding="utf-8")
                back[str(copy_path)] = str(path)
                inputs.append(copy_path)
            else:
                inputs.append(path)
        raws, problems = read_inputs(inputs)
        after = assemble(raws, problems)
    if after.problems:
        def untemp(text: str) -> str:
            for temporary, original in back.items():
                text = text.replace(temporary, original)
            return text

        result.problems.extend(
            Problem(Location(untemp(p.location.file), p.location.line, p.location.sheet),
                    untemp(p.message), p.field, p.record) for p in after.problems)
        result.problems.append(Problem(Location(str(data)), "merging would make the data invalid, so nothing was "
                                       "written (the lines above are those of the files as --dry-run shows them)"))
        result.files.clear()
        result.added_agreements.clear()
        result.added_organizations.clear()
        result.updated_agreements.clear()


def write_merge(result: MergeResult) -> list[Path]:
    """Write the files a planned merge changes, each in one step (a whole file or none)."""
    written = []
    for path, (_, text) in result.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        bom = path.exists() and path.read_bytes().startswith(b"\xef\xbb\xbf")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
                handle.write(text)
            if path.exists():
                shutil.copymode(path, tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return written


def diff(result: MergeResult) -> str:
    """What a merge would write, as a unified diff per file."""
    import difflib

    parts = []
    for path, (before, after) in result.files.items():
        parts.extend(difflib.unified_diff(
            (before or "").splitlines(keepends=True), after.splitlines(keepends=True),
            fromfile=str(path) if before is not None else "/dev/null", tofile=str(path)))
    text = "".join(parts)
    return text if not text or text.endswith("\n") else text + "\n"


# --- YAML text: nodes with their places, and the text to insert ------------------------------

class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(value: Any, flow: bool | None = False) -> str:
    return yaml.dump(value, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=flow)


def _flow(items: list[Any]) -> str:
    return yaml.dump(items, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=1 << 30,
                     default_flow_style=True).strip()


def _indent(text: str, spaces: int, nl: str) -> str:
    pad = " " * spaces
    return "".join(pad + line + nl if line.strip() else nl for line in text.splitlines())


def _block_items(items: list[Any], col: int, nl: str) -> str:
    return _indent(_dump(items), col, nl)


def _block_key(key: str, items: list[Any], col: int, nl: str) -> str:
    return " " * col + f"{key}:" + nl + _block_items(items, col + 2, nl)


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, end: int) -> int:
    """The start of the line after the one where the content before ``end`` ends."""
    i = end
    while i > 0 and text[i - 1] in " \t\r\n":
        i -= 1
    at = text.find("\n", i)
    return len(text) if at == -1 else at + 1


def _read(path: Path) -> str:
    data = path.read_bytes()
    return data.decode("utf-8-sig")


@dataclass
class _Node:
    kind: str  # scalar, seq, map, alias
    start: int
    end: int
    line: int  # 1-based
    col: int
    flow: bool = False
    value: str | None = None
    items: list[Any] = field(default_factory=list)  # seq: nodes; map: (key node, value node)

    def keys(self) -> list[str]:
        return [k.value for k, _ in self.items if k.kind == "scalar"]

    def get(self, key: str) -> _Node | None:
        for k, v in self.items:
            if k.kind == "scalar" and k.value == key:
                return v
        return None

    def key_node(self, key: str) -> _Node:
        return next(k for k, _ in self.items if k.kind == "scalar" and k.value == key)

    def content_end(self, text: str) -> int:
        if self.kind in ("scalar", "alias") or self.flow:
            return self.end
        children = [n for pair in self.items for n in (pair if isinstance(pair, tuple) else (pair,))]
        return max((c.content_end(text) for c in children), default=self.end)

    def multiline(self, text: str) -> bool:
        return "\n" in text[self.start:self.end]


def _tree(text: str) -> _Node | None:
    """The first document of ``text`` as nodes with their character offsets (aliases kept as aliases)."""
    stack: list[_Node] = []
    pending_key: list[_Node | None] = []
    root: _Node | None = None

    def attach(node: _Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind == "seq":
            parent.items.append(node)
        elif pending_key[-1] is None:
            pending_key[-1] = node
        else:
            parent.items.append((pending_key[-1], node))
            pending_key[-1] = None

    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        mark, end = event.start_mark, event.end_mark
        if isinstance(event, yaml.ScalarEvent):
            attach(_Node("scalar", mark.index, end.index, mark.line + 1, mark.column, value=event.value))
        elif isinstance(event, yaml.AliasEvent):
            attach(_Node("alias", mark.index, end.index, mark.line + 1, mark.column))
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            kind = "seq" if isinstance(event, yaml.SequenceStartEvent) else "map"
            node = _Node(kind, mark.index, end.index, mark.line + 1, mark.column, flow=bool(event.flow_style))
            attach(node)
            stack.append(node)
            pending_key.append(None)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            node = stack.pop()
            pending_key.pop()
            node.end = end.index
        elif isinstance(event, yaml.DocumentEndEvent) and root is not None:
            break
    return root


def _record_at(root: _Node | None, line: int | None) -> _Node | None:
    """The record (a mapping in a top-level list) that starts on ``line``."""
    if root is None or root.kind != "map" or line is None:
        return None
    for _, section in root.items:
        if section.kind != "seq":
            continue
        for item in section.items:
            if item.kind == "map" and item.line == line:
                return item
    return None
