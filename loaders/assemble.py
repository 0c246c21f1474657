"""Raw records -> one validated, resolved dataset, and a report of everything wrong.

Order of work: validate each record on its own (:mod:`.parse`), drop exact
duplicates and report conflicting ones, index the organisations, then resolve
every reference (parties, signatories, parents, posts, programmes, events) and
give agreements without an id their derived one. A record with any problem is
rejected with all its problems; records that point at a rejected record are
rejected in turn, with a message that says so. Nothing valid is lost.
"""

from __future__ import annotations

import dataclasses
import marshal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from clusterkg.loaders.parse import describe, parse
from clusterkg.loaders.read import read_inputs
from clusterkg.loaders.resolve import ResolveError, Resolver, normalize_name
from clusterkg.model.countries import country_code
from clusterkg.model.dataset import FREEZE_FROM, Dataset, Progress, Rejected, gc_paused
from clusterkg.model.lineage import renamed_parties
from clusterkg.model.problems import Location, Problem, RawRecord
from clusterkg.model.records import (
    Agreement,
    Event,
    Organization,
    Person,
    Programme,
    Record,
    derive_agreement_id,
    share_field_names,
)

R = TypeVar("R", bound=BaseModel)


def load_dataset(paths: Iterable[Path | str], progress: Progress | None = None) -> Dataset:
    """Read, validate and resolve every record in the given files and folders.

    Examples
    --------
    >>> ds = load_dataset(["data"])  # doctest: +SKIP
    >>> ds.valid, len(ds.agreements)  # doctest: +SKIP
    (True, 24)
    """
    with gc_paused():
        raws, problems = read_inputs(Path(p) for p in paths)
        return assemble(raws, problems, progress)


def assemble(raws: list[RawRecord], file_problems: Iterable[Problem] = (), progress: Progress | None = None) -> Dataset:
    """Validate and resolve raw records (what the readers give) into a :class:`Dataset`.

    The raw records are used up: to save memory, those that become valid
    records keep only their id and name as ``data`` (the rejected ones keep all
    of it, for the report).
    """
    with gc_paused(freeze=len(raws) >= FREEZE_FROM):
        return _Assembler(list(file_problems), progress).run(raws)


class _Assembler:
    def __init__(self, file_problems: list[Problem], progress: Progress | None):
        self.ds = Dataset(file_problems=file_problems)
        self.progress = progress or (lambda n: None)
        self.rejected_keys: dict[str, Location] = {}
        self.stowed: dict[int, bytes] = {}  # id(raw) -> its data, packed (see stow)
        self.unreported = 0  # records checked since progress was last told
        self.resolver: Resolver | None = None  # once the organisations are known

    # -- helpers ---------------------------------------------------------

    def stow(self, raw: RawRecord) -> None:
        """Pack away the data of a record that parsed; :meth:`reject` unpacks it if need be.

        The parsed record holds everything later steps need, and only a record
        rejected later (an unknown party, say) needs its data again, to report
        it whole. As Python objects the data of 300,000 agreements takes about
        800 MB; packed, a quarter of that. Left is ``{"id", "name"}``, which
        messages name records by.
        """
        data = raw.data
        try:
            packed = marshal.dumps(data)
        except ValueError:  # what marshal cannot hold (YAML's mappings that know their lines): keep it
            return
        self.stowed[id(raw)] = packed
        raw.data = {key: data[key] for key in ("id", "name") if key in data}

    def parse_each(self, raws: Iterable[RawRecord]) -> Iterator[tuple[Record, RawRecord]]:
        """Validate each raw record; yield the valid ones, reject the others."""
        for raw in raws:
            record, problems = parse(raw)
            if raw.problems:
                problems = raw.problems + problems
            if problems and raw.type == "agreement":
                problems = self.hint_commas(raw, problems)
            if problems:
                self.reject(raw, problems)
            else:
                if "country" in raw.data:
                    self.note_country(record, raw)
                share_field_names(record)
                self.stow(raw)
                yield record, raw
            self.unreported += 1
            if self.unreported == 256:  # a bar's update costs about what checking a small record does
                self.progress(256)
                self.unreported = 0

    def note_country(self, record: Record, raw: RawRecord) -> None:
        """A warning where a country was given in a form that is not its ISO name (``UK`` read as GB)."""
        given = raw.data["country"]
        if isinstance(given, str) and given.strip() != getattr(record, "country", None):
            note = country_code(given)[1]
            if note:
                self.ds.warnings.append(self.problem(raw, "country", note))

    def comma_hint(self, raw: RawRecord, reference: object) -> str:
        """A hint when ``reference`` is several known organisations joined by commas (``LINK-J, MedCity``)."""
        if self.resolver is None or not isinstance(reference, str) or "," not in reference:
            return ""
        parts = [part.strip() for part in reference.split(",")]
        try:
            if not all(parts) or any(self.resolver.resolve(part) is None for part in parts):
                return ""
        except ResolveError:
            return ""
        if raw.location.file.lower().endswith((".csv", ".xlsx")):
            return f"; separate parties with ';', not ',': {'; '.join(parts)!r}"
        return f"; give each party as an item of a list: [{', '.join(parts)}]"

    def hint_commas(self, raw: RawRecord, problems: list[Problem]) -> list[Problem]:
        """Add :meth:`comma_hint` to "a mou needs at least two parties" when the one party is several."""
        parties = raw.data.get("parties") if isinstance(raw.data, dict) else None
        entries = parties if isinstance(parties, list) else [parties]
        hints = [self.comma_hint(raw, e.get("organization") if isinstance(e, dict) else e) for e in entries]
        hint = next((h for h in hints if h), "")
        if not hint:
            return problems
        return [dataclasses.replace(p, message=p.message + hint) if p.field == "parties" else p for p in problems]

    def reject(self, raw: RawRecord, problems: list[Problem]) -> None:
        packed = self.stowed.pop(id(raw), None)
        if packed is not None:
            raw.data = marshal.loads(packed)
        self.ds.rejected.append(Rejected(raw, problems))
        ident = raw.data.get("id") if isinstance(raw.data, dict) else None
        names = [ident, raw.data.get("name")] if isinstance(raw.data, dict) else []
        for name in names:
            if isinstance(name, str) and name.strip():
                self.rejected_keys.setdefault(normalize_name(name), raw.location)
                self.rejected_keys.setdefault(name.strip(), raw.location)

    def problem(self, raw: RawRecord, path: str, message: str) -> Problem:
        return Problem(raw.locate(path), message, path, describe(raw))

    def explain_unknown(self, error: ResolveError, reference: str) -> str:
        message = str(error)
        seen = self.rejected_keys.get(reference.strip()) or self.rejected_keys.get(normalize_name(reference))
        if seen is not None:
            message += f"; a record by that name was rejected at {seen}"
        return message

    # -- the work ----------------------------------------------------------

    def run(self, raws: list[RawRecord]) -> Dataset:
        raws = self.attach_sources(raws)
        parsed: dict[str, list[tuple[Any, RawRecord]]] = {k: [] for k in self.ds.collections()}
        # Agreements refer to the other records, so those are checked first. Each
        # agreement is then resolved right after it is parsed, while its objects
        # are still in the processor's caches: on a large load that is seconds faster
        # than going over them all a second time.
        agreements = [raw for raw in raws if raw.type == "agreement"]
        for record, raw in self.parse_each(raw for raw in raws if raw.type != "agreement"):
            parsed[raw.type].append((record, raw))
        organizations = self.unique(parsed["organization"])
        resolver = self.resolver = self.resolve_organizations(organizations)
        _bound_suggestions(resolver)
        people = self.unique(parsed["person"])
        self.resolve_people(people, resolver)
        self.resolve_programmes(self.unique(parsed["programme"]), resolver)
        self.resolve_events(self.unique(parsed["event"]), resolver)
        self.resolve_agreements(self.parse_each(agreements), resolver)
        self.warn_renamed_parties()
        if self.unreported:
            self.progress(self.unreported)
        # rejected while parsing or while resolving: report them in input order all the same
        if self.ds.rejected:
            order = {id(raw): i for i, raw in enumerate(raws)}
            self.ds.rejected.sort(key=lambda r: order.get(id(r.raw), len(order)))
        return self.ds

    def warn_renamed_parties(self) -> None:
        """Warn (not reject) where an agreement dated after a rename names the old organisation."""
        for agreement_id, path, message in renamed_parties(self.ds.organizations, self.ds.agreements.values()):
            self.ds.warnings.append(Problem(self.ds.origins[("agreement", agreement_id)], message, path,
                                            f"agreement {agreement_id}"))

    def attach_sources(self, raws: list[RawRecord]) -> list[RawRecord]:
        """Fold rows of sources.csv into the agreements they name."""
        sources = [r for r in raws if r.type == "source"]
        if not sources:
            return raws
        rest = [r for r in raws if r.type != "source"]
        by_id = {r.data.get("id"): r for r in rest if r.type == "agreement" and isinstance(r.data.get("id"), str)}
        for raw in sources:
            data = dict(raw.data)
            target = by_id.get(str(data.pop("agreement", "") or "").strip())
            if target is None:
                self.reject(raw, [Problem(raw.location, "no agreement with this id in the input", "agreement")])
                continue
            existing = target.data.get("sources") or []
            target.data = {**target.data, "sources": [*([existing] if isinstance(existing, dict) else existing), data]}
        return rest

    def unique(self, items: list[tuple[Any, RawRecord]]) -> list[tuple[Any, RawRecord]]:
        """Drop exact repeats of a record; reject a second, different record with the same id."""
        first: dict[str, tuple[Any, RawRecord]] = {}
        kept = []
        for record, raw in items:
            earlier = first.get(record.id)
            if earlier is None:
                first[record.id] = (record, raw)
                kept.append((record, raw))
            elif earlier[0] != record:
                self.reject(raw, [self.problem(
                    raw, "id", f"duplicate id {record.id!r}: a different {raw.type} has it at {earlier[1].location}"
                )])
        return kept

    def resolve_organizations(self, items: list[tuple[Organization, RawRecord]]) -> Resolver:
        # Rejecting an organisation can break another's link to it, so repeat until stable.
        while True:
            resolver = Resolver(org for org, _ in items)
            bad: dict[str, list[Problem]] = {}
            raw_by_id = {org.id: raw for org, raw in items}
            for org_id, message in resolver.problems:
                raw = raw_by_id[org_id]
                # the field is named by the problem's place already
                bad.setdefault(org_id, []).append(self.problem(raw, "predecessor", message.removeprefix("predecessor: ")))
            resolved = []
            for org, raw in items:
                if org.id in bad:
                    continue
                updates, problems = self.resolve_refs(
                    org, raw, resolver, {"parent": org.parent, "member_of": org.member_of, "predecessor": org.predecessor}
                )
                if org.id in updates.get("member_of", []) or updates.get("parent") == org.id:
                    problems.append(self.problem(raw, "parent", "an organisation cannot be its own parent or member"))
                if problems:
                    bad[org.id] = problems
                else:
                    resolved.append((_updated(org, updates), raw))
            if not bad:
                break
            for org, raw in items:
                if org.id in bad:
                    self.reject(raw, bad[org.id])
            items = [(org, raw) for org, raw in items if org.id not in bad]
        for org, raw in resolved:
            self.ds.organizations[org.id] = org
            self.ds.origins[("organization", org.id)] = raw.location
        return resolver

    def resolve_refs(self, record: Any, raw: RawRecord, resolver: Resolver, refs: dict[str, Any], on=None):
        """Resolve organisation references of one record: {field: ref or list of refs}."""
        updates: dict[str, Any] = {}
        problems: list[Problem] = []
        for name, value in refs.items():
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            ids = []
            for i, ref in enumerate(values):
                path = f"{name}[{i}]" if isinstance(value, list) else name
                try:
                    ids.append(resolver.resolve(ref, on))
                except ResolveError as error:
                    problems.append(self.problem(raw, path, self.explain_unknown(error, ref)))
            updates[name] = ids if isinstance(value, list) else (ids[0] if ids else None)
        return updates, problems

    def resolve_people(self, items: list[tuple[Person, RawRecord]], resolver: Resolver) -> None:
        for person, raw in items:
            posts, problems = [], []
            for i, post in enumerate(person.posts):
                try:
                    posts.append(_updated(post, {"organization": resolver.resolve(post.organization, post.start)}))
                except ResolveError as error:
                    problems.append(self.problem(raw, f"posts[{i}].organization", self.explain_unknown(error, post.organization)))
            if problems:
                self.reject(raw, problems)
                continue
            self.ds.people[person.id] = _updated(person, {"posts": posts})
            self.ds.origins[("person", person.id)] = raw.location

    def resolve_programmes(self, items: list[tuple[Programme, RawRecord]], resolver: Resolver) -> None:
        for programme, raw in items:
            updates, problems = self.resolve_refs(programme, raw, resolver, {"operator": programme.operator})
            if problems:
                self.reject(raw, problems)
                continue
            self.ds.programmes[programme.id] = _updated(programme, updates)
            self.ds.origins[("programme", programme.id)] = raw.location

    def resolve_events(self, items: list[tuple[Event, RawRecord]], resolver: Resolver) -> None:
        for event, raw in items:
            participants, problems = self.resolve_parties(event.participants, raw, resolver, event.start, "participants")
            if problems:
                self.reject(raw, problems)
                continue
            self.ds.events[event.id] = _updated(event, {"participants": participants})
            self.ds.origins[("event", event.id)] = raw.location

    def resolve_parties(self, parties, raw, resolver, on, path):
        resolved, problems, seen = [], [], {}
        ids = resolver.ids
        for i, party in enumerate(parties):
            try:
                # An id is taken as it is (Resolver.resolve); most references are ids.
                org_id = party.organization if party.organization in ids else resolver.resolve(party.organization, on)
            except ResolveError as error:
                problems.append(self.problem(raw, f"{path}[{i}]", self.explain_unknown(error, party.organization)
                                             + self.comma_hint(raw, party.organization)))
                continue
            if org_id in seen:
                problems.append(self.problem(
                    raw, f"{path}[{i}]",
                    f"{party.organization!r} is listed twice: it is the same organisation ({org_id}) as "
                    f"{parties[seen[org_id]].organization!r}",
                ))
            seen[org_id] = i
            resolved.append(party if org_id == party.organization else party.model_copy(update={"organization": org_id}))
        return resolved, problems

    def resolve_agreements(self, items: Iterable[tuple[Agreement, RawRecord]], resolver: Resolver) -> None:
        people = _Index(self.ds.people.values(), lambda p: [p.name, *p.names.values()])
        programmes = _Index(self.ds.programmes.values(), lambda p: [p.name, *p.aliases])
        events = _Index(self.ds.events.values(), lambda e: [e.name])
        accepted: dict[str, tuple[Agreement, RawRecord]] = {}
        linking: list[str] = []  # ids of the accepted agreements that renew or supersede another
        for agreement, raw in items:
            on = agreement.date
            parties, problems = self.resolve_parties(agreement.parties, raw, resolver, on, "parties")
            party_ids = {p.organization for p in parties}
            signatories = []
            for i, sig in enumerate(agreement.signatories):
                path = f"signatories[{i}]"
                update: dict[str, Any] = {}
                try:
                    update["on_behalf_of"] = resolver.resolve(sig.on_behalf_of, on)
                    if update["on_behalf_of"] not in party_ids and not problems:
                        problems.append(self.problem(
                            raw, f"{path}.on_behalf_of", f"{sig.on_behalf_of!r} is not a party to this agreement"
                        ))
                except ResolveError as error:
                    problems.append(self.problem(raw, f"{path}.on_behalf_of", self.explain_unknown(error, sig.on_behalf_of)))
                if sig.person is not None:
                    found = people.find(sig.person)
                    if found is None:
                        problems.append(self.problem(raw, f"{path}.person", people.unknown("person", sig.person)))
                    update["person"] = found
                elif sig.name is not None:
                    update["person"] = people.find(sig.name)  # a name we have no record for is kept as a name
                signatories.append(_updated(sig, update))
            updates: dict[str, Any] = {"parties": parties, "signatories": signatories}
            if agreement.programme is not None or agreement.event is not None:
                for name, index, label in (("programme", programmes, "programme"), ("event", events, "event")):
                    ref = getattr(agreement, name)
                    if ref is not None:
                        updates[name] = index.find(ref)
                        if updates[name] is None:
                            problems.append(self.problem(raw, name, index.unknown(label, ref)))
            if problems:
                self.reject(raw, problems)
                continue
            agreement = _updated(agreement, updates)
            if agreement.id is None:
                agreement.id = derive_agreement_id(agreement.type, sorted(party_ids), on)
            earlier = accepted.get(agreement.id)
            if earlier is not None:
                if earlier[0] != agreement:
                    hint = "" if raw.data.get("id") else "; give one of them an explicit id"
                    self.reject(raw, [self.problem(
                        raw, "id", f"duplicate id {agreement.id!r}: a different agreement has it at {earlier[1].location}{hint}"
                    )])
                continue
            accepted[agreement.id] = (agreement, raw)
            if agreement.renews is not None or agreement.supersedes is not None:
                linking.append(agreement.id)
        # Links between agreements can be checked only once every id is known; a
        # link to a rejected agreement rejects the linking one too.
        while True:
            broken = {}
            linking = [key for key in linking if key in accepted]
            for agreement_id in linking:
                agreement, raw = accepted[agreement_id]
                problems = [
                    self.problem(raw, name, f"no agreement with id {ref!r}" + (
                        f"; a record by that id was rejected at {self.rejected_keys[ref]}" if ref in self.rejected_keys else ""
                    ))
                    for name in ("renews", "supersedes")
                    if (ref := getattr(agreement, name)) is not None and ref not in accepted
                ]
                if problems:
                    broken[agreement_id] = problems
            if not broken:
                break
            for agreement_id, problems in broken.items():
                self.reject(accepted.pop(agreement_id)[1], problems)
        for agreement_id, (agreement, raw) in accepted.items():
            self.ds.agreements[agreement_id] = agreement
            self.ds.origins[("agreement", agreement_id)] = raw.location


#: Unknown names given the closest known ones: a fuzzy search over every name, some milliseconds
#: each; past this many (a file of mostly unknown names), the others are named without suggestions,
#: so that any input under 1 MB validates in seconds (issue 16, point 12), not minutes.
SUGGESTED = 300


def _bound_suggestions(resolver: Resolver) -> None:
    search, found, left = resolver.closest, {}, [SUGGESTED]

    def closest(reference: str, n: int = 3) -> list[tuple[str, str]]:
        key = (reference, n)
        if key not in found:
            if left[0] <= 0:
                return []
            left[0] -= 1
            found[key] = search(reference, n)
        return found[key]

    resolver.closest = closest  # type: ignore[method-assign]


def _updated(record: R, updates: dict[str, Any]) -> R:
    """``record.model_copy(update=updates)``, or ``record`` itself when no value changes.

    Most references are ids already, so most records resolve to themselves;
    copying each of them anyway took seconds and a third more memory on a
    large load.
    """
    for name, value in updates.items():
        if getattr(record, name) != value:
            return record.model_copy(update=updates)
    return record


class _Index:
    """Find a person, programme or event by id or by (normalised) name; never guess."""

    def __init__(self, records: Iterable[Any], names: Callable[[Any], list[str]]):
        records = list(records)
        self.ids = {r.id for r in records}
        self.by_name: dict[str, set[str]] = {}
        for record in records:
            for name in names(record):
                self.by_name.setdefault(normalize_name(name), set()).add(record.id)

    def find(self, ref: str) -> str | None:
        if ref in self.ids:
            return ref
        if not self.by_name:  # nothing to find (no people, say): skip normalising the name
            return None
        found = self.by_name.get(normalize_name(ref), set())
        return next(iter(found)) if len(found) == 1 else None

    def unknown(self, label: str, ref: str) -> str:
        found = self.by_name.get(normalize_name(ref), set())
        if len(found) > 1:
            return f"{ref!r} could be any of the {label}s {', '.join(sorted(found))}; use the id"
        return f"unknown {label} {ref!r}"


