"""What merging a reviewed candidates file into the data writes, worked out candidate by candidate.

:func:`plan_merge` reads the candidates file and the data. Each accepted
candidate without ``matches`` becomes a new agreement, unless it is one on
record (then it is refused with the id to write as ``matches``), may be one
written with fewer or more parties, or has an id that is taken; its parties are
resolved against the data and the organisations the file proposes (a proposed
one with the name of one on record is that one). Each accepted candidate with
``matches`` adds to that agreement what is new in ``add`` (or in its own
record). Nothing is written: the result holds the new text of every file it
changes, checked by loading the data as it would be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from clusterkg.loaders.merge.candidates_file import ADDITION_KEYS, Candidate, read_candidates
from clusterkg.loaders.merge.file_changes import FileChanges
from clusterkg.loaders.merge.identity import agreement_id, dates_compatible
from clusterkg.loaders.merge.matching import Index
from clusterkg.loaders.merge.result import MergeResult
from clusterkg.loaders.merge.write import verify
from clusterkg.loaders.parse import field_path, parse
from clusterkg.loaders.resolve import ResolveError, Resolver, normalize_name
from clusterkg.model.dataset import Dataset
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import InputError, Location, Problem, RawRecord
from clusterkg.model.records import Agreement, Organization, Signatory, Source


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
    merge = _Merge(result, dataset, proposed, data)

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
    merge.files.compose(result, list(merge.new_orgs.values()), list(merge.new_agreements.values()),
                        today or dt.date.today())
    if result.files:
        verify(result, data)
    return result


class _Merge:
    """One merge under way: the data, the organisations proposed, the records new or added to."""

    def __init__(self, result: MergeResult, dataset: Dataset, proposed: dict[str, RawRecord], data: Path):
        self.result = result
        self.dataset = dataset
        self.index = Index.of(dataset)
        self.proposed = proposed
        self.people = set(dataset.people)
        self.data = data
        self.new_orgs: dict[str, dict[str, Any]] = {}
        self.new_agreements: dict[str, dict[str, Any]] = {}
        self.valid_proposed: dict[str, Organization] = {}
        self.files = FileChanges(data)
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
            problem = self.files.add_to_record(target, new)
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
