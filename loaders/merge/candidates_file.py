"""A reviewed candidates file read and checked: its candidate agreements with their review keys
apart, and the organisations it proposes.

``clusterkg extract`` writes the file (:mod:`clusterkg.loaders.press.candidates`);
a person marks each candidate ``accept`` or ``reject``, and may say which agreement
on record it is (``matches: ID``), what it adds to it (``add``), or that it is
another agreement (``distinct: true``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterkg.loaders.documents import read_yaml
from clusterkg.loaders.merge.identity import party_ids
from clusterkg.model.problems import InputError, Location, Problem, RawRecord

#: The review status of a candidate; a candidate without one is pending.
STATUSES = ("pending", "accept", "reject")
#: Keys of a candidate that are about the review, not the agreement: never written to the data.
REVIEW_KEYS = ("status", "matches", "also_matches", "overlaps", "distinct", "add")
#: What ``add`` may hold.
ADDITION_KEYS = ("sources", "signatories", "signed", "announced")


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
