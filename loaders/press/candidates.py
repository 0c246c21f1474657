"""Extracted candidates out: YAML candidates for review and ``clusterkg merge``, or the JSON Lines used to score extraction.

Parties the gazetteer knows are written by id; the others are proposed as new
organisations (``kind: other`` and the country when the text gives it away, a
place or a country named in the description the text attaches to the name).

Each candidate agreement has a review ``status`` (``pending`` until a person
makes it ``accept`` or ``reject``) and an ``id`` by the one rule typed records
get theirs (:func:`clusterkg.loaders.merge.agreement_id`). With the data
it will be merged into (``known``), a candidate that is an agreement on record
takes that agreement's id, says so (``matches: ID``) and proposes only what is
new under ``add`` (:mod:`clusterkg.loaders.merge`); so does a candidate
that repeats one found earlier in the same run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from clusterkg.loaders.merge import Index, agreement_date, agreement_id
from clusterkg.loaders.press.document import SUFFIXES, Document, read_document
from clusterkg.loaders.press.extract import Candidate, Extractor
from clusterkg.loaders.press.names import Gazetteer
from clusterkg.loaders.press.places import place_of
from clusterkg.loaders.resolve import normalize_name
from clusterkg.model.dataset import Dataset
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import InputError, Location, Problem
from clusterkg.model.records import slugify


@dataclass
class Extracted:
    document: Document
    path: Path
    candidates: list[Candidate]


def press_files(inputs: Iterable[Path]) -> list[Path]:
    """Text, HTML and Markdown files named or found in the folders named, in a stable order."""
    files: list[Path] = []
    problems = []
    for path in inputs:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(Location(str(path)), "no such file or folder"))
    if problems:
        raise InputError(problems)
    return list(dict.fromkeys(files))


def extract_files(paths: Iterable[Path], gazetteer: Gazetteer | None = None,
                  published: PartialDate | None = None, problems: list[Problem] | None = None) -> list[Extracted]:
    """Read each file and extract its candidate agreements.

    A file that cannot be read as text (empty, binary, unreadable) raises InputError naming it;
    with a ``problems`` list, its problem is added there instead and the other files are still read.
    """
    extractor = Extractor(gazetteer)
    results = []
    for path in press_files(paths):
        try:
            document = read_document(path, published)
        except InputError as error:
            if problems is None:
                raise
            problems.extend(error.problems)
            continue
        results.append(Extracted(document, path, extractor.extract(document)))
    return results


def to_jsonl(results: Iterable[Extracted]) -> str:
    """One JSON object per input file: ``{"file": NAME, "agreements": [...]}`` (a stable shape)."""
    lines = []
    for result in results:
        lines.append(json.dumps(
            {"file": result.path.name, "agreements": [c.to_dict() for c in result.candidates]}, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")


# --- records ------------------------------------------------------------------------

def guess_place(name: str, context: str) -> tuple[str | None, str | None]:
    """Country (and region) of an organisation from evidence only: the reference list of the field's
    organisations, a country named in the name or the description the text puts after it
    ("Eurobiomed (a life science organization in Southern France)"), a region with its country
    ("in Hamburg, Germany"); never a lone word that names a subdivision somewhere
    (:func:`clusterkg.loaders.press.places.place_of`)."""
    return place_of(name, context)


def to_document(results: Iterable[Extracted], gazetteer: Gazetteer | None = None,
                known: Dataset | None = None) -> dict[str, Any]:
    """Candidates for review: proposed organisations and the candidate agreements, each with its
    evidence, review status and id; those that match an agreement in ``known`` (or one found
    earlier in ``results``) say so and propose only what is new."""
    gazetteer = gazetteer or Gazetteer()
    index = Index.of(known) if known is not None else Index()
    proposed: dict[str, dict[str, Any]] = {}
    agreements = []
    for result in results:
        doc = result.document
        for candidate in result.candidates:
            refs = []
            for name in candidate.parties:
                known = gazetteer.lookup(name)
                if known is not None:
                    refs.append(known)
                    continue
                key = normalize_name(name)
                if key not in proposed:
                    context = " ".join(e.text for e in candidate.evidence)
                    country, region = guess_place(name, context)
                    taken = set(gazetteer.names) | {o["id"] for o in proposed.values()}
                    org_id = base = slugify(name)
                    n = 2
                    while org_id in taken:  # an id on record under another name: keep both apart
                        org_id, n = f"{base}-{n}", n + 1
                    org: dict[str, Any] = {"id": org_id, "name": name, "kind": "other"}
                    if country:
                        org["country"] = country
                    if region and region.startswith(country + "-"):
                        org["region"] = region
                    org["sources"] = [_source(doc, result.path, candidate)]
                    proposed[key] = org
                refs.append(proposed[key]["id"])
            refs = list(dict.fromkeys(refs))  # two names of one organisation: one party
            record = _agreement(candidate, refs, doc, result.path, gazetteer, proposed)
            agreements.append(_review(record, index))
    return {
        "organizations": list(proposed.values()),
        "agreements": agreements,
    }


def _review(record: dict[str, Any], index: Index) -> dict[str, Any]:
    """The record with its review keys first: status, and the agreement it matches with what is new."""
    signed, announced = record.get("signed"), record.get("announced")
    matches = index.find_matches(
        record["type"], record["parties"],
        PartialDate.parse(signed) if signed else None, PartialDate.parse(announced) if announced else None,
    )
    if matches:
        best = matches[0]
        review: dict[str, Any] = {"status": "pending", "matches": best.id}
        if len(matches) > 1:
            review["also_matches"] = [m.id for m in matches[1:]]
        review["add"] = index.additions(best, record)
        index.extend(best, review["add"])
        return {**review, "id": best.id, **record}
    ident = agreement_id(record["type"], record["parties"], agreement_date(record))
    reviewed: dict[str, Any] = {"status": "pending"}
    overlaps = index.find_overlaps(
        record["type"], record["parties"],
        PartialDate.parse(signed) if signed else None, PartialDate.parse(announced) if announced else None,
    )
    if overlaps:
        reviewed["overlaps"] = [k.id for k in overlaps]
    reviewed.update({"id": ident, **record})
    index.add(reviewed, None)
    return reviewed


def _source(doc: Document, path: Path, candidate: Candidate) -> dict[str, Any]:
    source: dict[str, Any] = {"title": doc.title or path.name}
    if doc.published is not None:
        source["published"] = doc.published.isoformat()
    source["evidence"] = candidate.evidence[0].text
    return source


def _agreement(candidate: Candidate, refs: list[str], doc: Document, path: Path,
               gazetteer: Gazetteer, proposed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {"type": candidate.type, "parties": refs}
    if candidate.date is not None and candidate.date_stated:
        record["signed"] = candidate.date.isoformat()
    elif doc.published is not None and not candidate.earlier:  # a mention in passing was announced before
        record["announced"] = doc.published.isoformat()
    if candidate.signatories:
        signatories = []
        for signatory in candidate.signatories:
            entry: dict[str, Any] = {"name": signatory.name}
            if signatory.role:
                entry["title"] = signatory.role
            if signatory.organisation:
                index = candidate.parties.index(signatory.organisation) if signatory.organisation in candidate.parties else None
                if index is not None:
                    entry["on_behalf_of"] = refs[index]
            signatories.append(entry)
        record["signatories"] = signatories
    if candidate.term:
        record["term"] = candidate.term
    if candidate.scope:
        record["scope"] = candidate.scope
    if candidate.activities:
        record["activities"] = candidate.activities
    notes = []
    if candidate.renewal:
        notes.append("the text calls this a renewal or extension of an earlier agreement")
    if candidate.earlier:
        notes.append("mentioned in passing as an earlier agreement")
    if notes:
        record["notes"] = "; ".join(notes)
    record["sources"] = [_source(doc, path, candidate)]
    record["extraction"] = {
        "file": str(path),
        "confidence": round(candidate.confidence, 2),
        "date_stated": candidate.date_stated,
        "evidence": [e.to_dict() for e in candidate.evidence],
    }
    return record


def to_yaml(document: dict[str, Any], files: int) -> str:
    missing = [o["name"] for o in document["organizations"] if "country" not in o]
    matched = sum(1 for a in document["agreements"] if "matches" in a)
    header = [
        f"# Candidate records extracted by `clusterkg extract` from {files} file(s).",
        "# Review each agreement against its evidence, correct it if need be, and set its status to accept or",
        "# reject (pending ones are left alone); then `clusterkg merge THIS_FILE --into DATA` (--dry-run first).",
        "# `matches: ID`: the same agreement as ID in the data; merge adds only what is under `add`.",
        "# `id` is derived from the type, the sorted party ids and the date; delete it if you change those.",
        "# `overlaps: [IDs]`: the data may record it with fewer or more parties; merge refuses it unless",
        "# it is marked `distinct: true` (so is one merge finds a duplicate of). See docs/extract.md.",
    ]
    if matched:
        header.append(f"# {matched} of {len(document['agreements'])} agreement(s) match one on record or found earlier.")
    if missing:
        header.append("# Proposed organisations without a country (the text did not say; add one): " + ", ".join(missing))
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(header) + "\n" + body
