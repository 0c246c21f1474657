"""Lineages: a chain of renames is one organisation over time.

When B names A as its ``predecessor`` (renamed on a date), A and B are one
lineage, shown under the current name (the last of the chain) with the former
names and the dates they ended. Records keep each identity as it was when an
agreement was signed; analyses, queries and the map work on lineages by default
(DESIGN.md section 2) by mapping every id to its lineage's current id.

Examples
--------
>>> from clusterkg.model.records import Organization
>>> old = Organization(id="ctc", name="Cell Therapy Catapult", kind="agency", country="GB")
>>> new = Organization(id="cgt", name="Cell and Gene Therapy Catapult", kind="agency", country="GB",
...                    predecessor="ctc", renamed="2016")
>>> lineages = find_lineages({"ctc": old, "cgt": new})
>>> lineages["ctc"].current, lineages["ctc"].members
('cgt', ('ctc', 'cgt'))
>>> lineages["cgt"].former_names()
'formerly Cell Therapy Catapult (until 2016)'
>>> current_ids({"ctc": old, "cgt": new})
{'ctc': 'cgt', 'cgt': 'cgt'}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clusterkg.model.dates import PartialDate
from clusterkg.model.records import Agreement, Organization


@dataclass(frozen=True)
class Former:
    """A name the lineage had before a rename, and when the rename came (None: not known)."""

    id: str
    name: str
    until: PartialDate | None


@dataclass(frozen=True)
class Lineage:
    """One organisation over time: its ids, oldest first, and the current one."""

    current: str
    members: tuple[str, ...]
    former: tuple[Former, ...]

    @property
    def renamed(self) -> bool:
        return len(self.members) > 1

    def former_names(self) -> str:
        """``"formerly A (until 2016); B (until 2019)"``, or ``""`` when never renamed."""
        if not self.former:
            return ""
        parts = [f"{f.name} (until {f.until})" if f.until else f.name for f in self.former]
        return "formerly " + "; ".join(parts)

    def renamed_between(self, before: dt.date, after: dt.date) -> tuple[Former, ...]:
        """The renames that may have happened after ``before`` and surely by ``after``.

        A rename dated only "2016" is in (2015-12-31, 2020-12-31] but not in
        (2016-12-31, 2020-12-31]: by the end of 2016 it had surely happened. A
        rename with no date is in no period.

        Examples
        --------
        >>> lineage = Lineage("cgt", ("ctc", "cgt"), (Former("ctc", "Cell Therapy Catapult", PartialDate.parse("2016")),))
        >>> [f.name for f in lineage.renamed_between(dt.date(2015, 12, 31), dt.date(2020, 12, 31))]
        ['Cell Therapy Catapult']
        >>> lineage.renamed_between(dt.date(2016, 12, 31), dt.date(2020, 12, 31))
        ()
        """
        return tuple(f for f in self.former
                     if f.until is not None and f.until.latest() > before and f.until.earliest() <= after)


def find_lineages(organizations: Mapping[str, Organization]) -> dict[str, Lineage]:
    """Every organisation id -> its lineage (an organisation never renamed is a lineage of one).

    A predecessor that is not among ``organizations`` is left out of the chain;
    a cycle of predecessors (which validation should have refused) is broken
    where it closes, so this never loops.
    """
    successor: dict[str, str] = {}
    for org in organizations.values():
        if org.predecessor and org.predecessor in organizations and org.predecessor != org.id:
            # Two successors of one predecessor (a split) keep the first by id: stable output.
            if org.predecessor not in successor or org.id < successor[org.predecessor]:
                successor[org.predecessor] = org.id
    result: dict[str, Lineage] = {}
    for org_id in sorted(organizations):
        if org_id in result:
            continue
        head, seen = org_id, {org_id}
        while head in successor and successor[head] not in seen:
            head = successor[head]
            seen.add(head)
        chain = [head]
        while True:
            pred = organizations[chain[0]].predecessor
            if not pred or pred not in organizations or pred in chain or successor.get(pred) != chain[0]:
                break
            chain.insert(0, pred)
        former = tuple(
            Former(id=old, name=organizations[old].name, until=organizations[new].renamed)
            for old, new in zip(chain, chain[1:])
        )
        lineage = Lineage(current=head, members=tuple(chain), former=former)
        for member in chain:
            result[member] = lineage
        result.setdefault(org_id, lineage)
    return result


def current_ids(organizations: Mapping[str, Organization]) -> dict[str, str]:
    """Every organisation id -> the id of its lineage's current organisation."""
    return {org_id: lineage.current for org_id, lineage in find_lineages(organizations).items()}


def renamed_parties(organizations: Mapping[str, Organization],
                    agreements: Iterable[Agreement]) -> list[tuple[str, str, str]]:
    """Agreements dated after a rename that name the old organisation: ``(agreement id, field, message)``.

    Records keep each identity as it was when the agreement was signed, so a
    party that had surely been renamed before the agreement's date is most
    likely a slip (the old id typed out of habit). It is a warning, not an
    error: the record is kept as written. Dates are compared as surely as the
    precision allows: a rename of "2016" and an agreement of "2016-05" are not
    compared (either may be first).

    Examples
    --------
    >>> old = Organization(id="ctc", name="Cell Therapy Catapult", kind="agency", country="GB")
    >>> new = Organization(id="cgt", name="Cell and Gene Therapy Catapult", kind="agency", country="GB",
    ...                    predecessor="ctc", renamed="2016")
    >>> late = Agreement(id="mou-2019", type="mou", parties=["ctc", "x"], signed="2019-03",
    ...                  sources=[{"title": "t"}])
    >>> renamed_parties({"ctc": old, "cgt": new}, [late])  # doctest: +NORMALIZE_WHITESPACE
    [('mou-2019', 'parties[0]', "'ctc' (Cell Therapy Catapult) was renamed Cell and Gene Therapy Catapult
      (cgt) in 2016, before this agreement's date 2019-03; kept as written: give cgt if the organisation
      signed under its new name")]
    """
    lineages = find_lineages(organizations)
    successor = {f.id: member for found in lineages.values()
                 for f, member in zip(found.former, found.members[1:])}
    found_messages = []
    for agreement in agreements:
        date = agreement.date
        if date is None:
            continue
        for i, party in enumerate(agreement.parties):
            new_id = successor.get(party.organization)
            if new_id is None:
                continue
            renamed = organizations[new_id].renamed
            if renamed is None or not renamed.surely_before(date):
                continue
            old = organizations[party.organization]
            found_messages.append((agreement.id or "", f"parties[{i}]",
                                   f"{old.id!r} ({old.name}) was renamed {organizations[new_id].name} ({new_id}) in "
                                   f"{renamed}, before this agreement's date {date}; kept as written: give {new_id} "
                                   f"if the organisation signed under its new name"))
    return found_messages
