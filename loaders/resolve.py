"""Organisation names -> organisation ids.

Records may name an organisation by its id, its name, a name in another
language or an alias (DESIGN.md section 2). The :class:`Resolver` maps such a
reference to one id and refuses to guess: an unknown name raises
:class:`UnknownOrganization` with the closest known names, a name shared by
several organisations raises :class:`AmbiguousOrganization`.

Renames are followed by date: when B has predecessor A and was ``renamed`` on
D, a reference to A (or B) on a date surely on or after D resolves to B, one
surely before D to A, and a date that could fall either side of D is an error.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from clusterkg.model.dates import PartialDate
from clusterkg.model.names import normalize_name
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Organization


class ResolveError(ClusterKGError):
    """A reference that does not name exactly one organisation.

    Attributes
    ----------
    reference : str
        The reference as written.
    """

    def __init__(self, message: str, reference: str):
        super().__init__(message)
        self.reference = reference


class UnknownOrganization(ResolveError):
    """No organisation has this id, name or alias.

    Attributes
    ----------
    suggestions : list of (name, id)
        The closest known names, best first.
    """

    def __init__(self, reference: str, suggestions: list[tuple[str, str]], what: str = "organisation"):
        super().__init__(unknown_message(what, reference, suggestions), reference)
        self.suggestions = suggestions


def unknown_message(what: str, reference: str, suggestions: list[tuple[str, str]]) -> str:
    """``unknown organisation 'X'; closest known: 'name' (id), ...``: the one wording of an unknown name.

    >>> unknown_message("programme", "RTI", [("RIT", "jetro-rit")])
    "unknown programme 'RTI'; closest known: 'RIT' (jetro-rit)"
    """
    message = f"unknown {what} '{reference}'"
    if suggestions:
        message += "; closest known: " + ", ".join(f"'{name}' ({id_})" for name, id_ in suggestions)
    return message


class AmbiguousOrganization(ResolveError):
    """The reference names several organisations, or a rename the date cannot place.

    Attributes
    ----------
    candidates : list of (name, id)
        The organisations it could mean.
    """

    def __init__(self, message: str, reference: str, candidates: list[tuple[str, str]]):
        super().__init__(message, reference)
        self.candidates = candidates


class Resolver:
    """Finds the organisation a reference means.

    Parameters
    ----------
    organizations : iterable of Organization
        Indexed by id, and by :func:`normalize_name` of every name, name in
        another language and alias. Predecessor links are resolved here; one
        that cannot be (unknown, ambiguous, a second successor, a cycle) is
        left out and reported in :attr:`problems`.

    Attributes
    ----------
    problems : list of (org id, message)
        What was wrong with the organisations; the rest still resolve.
    """

    def __init__(self, organizations: Iterable[Organization], what: str = "organisation"):
        #: What the records are, as messages name them ("organisation"; "programme" for a resolver of programmes).
        self.what = what
        self.problems: list[tuple[str, str]] = []
        self._orgs: dict[str, Organization] = {}
        #: The organisation ids (a live view): a reference that is one resolves to itself.
        self.ids = self._orgs.keys()
        self._index: dict[str, dict[str, str]] = {}  # key -> {org id: the name as written}
        self._choices: list[str] | None = None
        self._keys_per_org = 1
        for org in organizations:
            if org.id in self._orgs:
                self.problems.append((org.id, "duplicate id; this record is ignored"))
                continue
            self._orgs[org.id] = org
            for name in org.all_names():
                self._index.setdefault(normalize_name(name), {}).setdefault(org.id, name)
        self._predecessor: dict[str, str] = {}
        self._successor: dict[str, str] = {}
        for org in self._orgs.values():
            if org.predecessor is not None:
                self._link(org)

    def _link(self, org: Organization) -> None:
        reference = org.predecessor.strip()  # type: ignore[union-attr]
        # The new record often keeps the old name as an alias; an organisation
        # is not its own predecessor, so that name means the other one.
        others = [id_ for id_ in self._index.get(normalize_name(reference), ()) if id_ != org.id]
        try:
            if reference not in self._orgs and len(others) == 1:
                before = others[0]
            else:
                before = self.resolve(reference)
        except ResolveError as error:
            self.problems.append((org.id, f"predecessor: {error}"))
            return
        chain = [before]
        while chain[-1] != org.id and chain[-1] in self._predecessor:
            chain.append(self._predecessor[chain[-1]])
        if chain[-1] == org.id:
            cycle = " -> ".join([org.id, *chain])
            self.problems.append((org.id, f"predecessor {before} makes a cycle of renames ({cycle}); link ignored"))
        elif before in self._successor:
            self.problems.append(
                (org.id, f"predecessor {before} was already renamed to {self._successor[before]}; link ignored")
            )
        else:
            self._predecessor[org.id] = before
            self._successor[before] = org.id

    def resolve(self, reference: str, on: PartialDate | None = None) -> str:
        """The id of the organisation ``reference`` means on date ``on``.

        Parameters
        ----------
        reference : str
            An id (taken as it is, renames not followed), or a name or alias
            (matched by :func:`normalize_name`).
        on : PartialDate, optional
            The date of the reference. Given, renames are followed to the name
            in use that day; without it a name resolves to the organisation
            that bears it.

        Returns
        -------
        str
            The organisation id.

        Raises
        ------
        UnknownOrganization
            Nothing has this id, name or alias.
        AmbiguousOrganization
            Several organisations share the name (and are not one rename chain
            the date decides), or ``on`` falls either side of a rename date.
        """
        reference = reference.strip()
        if reference in self._orgs:
            return reference
        found = self._index.get(normalize_name(reference))
        if not found:
            raise UnknownOrganization(reference, self.closest(reference), self.what)
        if len(found) == 1:
            return self._walk(next(iter(found)), on, reference)
        candidates = [(self._orgs[id_].name, id_) for id_ in found]
        listed = ", ".join(f"'{name}' ({id_})" for name, id_ in candidates)
        one_chain = len({self._root(id_) for id_ in found}) == 1
        if one_chain and on is not None:
            meant = {self._walk(id_, on, reference) for id_ in found}
            if len(meant) == 1:
                return meant.pop()
        hint = ""
        if one_chain and on is None:
            hint = " (one organisation renamed; give a date to choose by the rename date)"
        elif one_chain:
            hint = " (one organisation renamed, but the rename has no date: give the 'renamed' date)"
        raise AmbiguousOrganization(
            f"'{reference}' is ambiguous: it names {listed}{hint}; use the id of the one you mean",
            reference,
            candidates,
        )

    def current(self, org_id: str, on: PartialDate | None) -> str:
        """The organisation ``org_id`` was on date ``on``, following renames either way.

        Raises UnknownOrganization for an unknown id and AmbiguousOrganization
        when ``on`` falls either side of a rename date.
        """
        if org_id not in self._orgs:
            raise UnknownOrganization(org_id, self.closest(org_id), self.what)
        return self._walk(org_id, on, org_id)

    def _walk(self, org_id: str, on: PartialDate | None, reference: str) -> str:
        if on is None:
            return org_id
        here = org_id
        while (after := self._successor.get(here)) and self._named_yet(after, on, reference) is True:
            here = after
        if here == org_id:
            while (before := self._predecessor.get(here)) and self._named_yet(here, on, reference) is False:
                here = before
        return here

    def _named_yet(self, org_id: str, on: PartialDate, reference: str) -> bool | None:
        """Whether ``on`` is surely on/after (True) or before (False) org_id took its name.

        None when the rename has no date: it is then not followed.
        """
        date = self._orgs[org_id].renamed
        if date is None:
            return None
        if on.earliest() >= date.latest():
            return True
        if on.latest() < date.earliest():
            return False
        old, new = self._orgs[self._predecessor[org_id]], self._orgs[org_id]
        raise AmbiguousOrganization(
            f"'{reference}' on {on} is ambiguous: '{old.name}' ({old.id}) was renamed "
            f"'{new.name}' ({new.id}) {'on' if date.precision == 'day' else 'in'} {date}; "
            "give a more precise date, or use the id of the one you mean",
            reference,
            [(old.name, old.id), (new.name, new.id)],
        )

    @classmethod
    def from_index(cls, records: Iterable[Organization], index: dict[str, dict[str, str]],
                   predecessors: dict[str, str], what: str = "organisation") -> Resolver:
        """A resolver over names normalised beforehand (a build's names.json, see
        :mod:`clusterkg.loaders.names_index`): ``index`` maps :func:`normalize_name` keys to
        {id: the name as written}, ``predecessors`` a renamed id to its predecessor's id.
        ``records`` need only ``id``, ``name`` and ``renamed``."""
        resolver = cls((), what)
        resolver._orgs.update((record.id, record) for record in records)
        resolver._index.update(index)
        for new, old in predecessors.items():
            resolver._predecessor[new] = old
            resolver._successor[old] = new
        return resolver

    def index(self) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
        """What :meth:`from_index` takes: the name index and the renames (new id -> predecessor id)."""
        return self._index, dict(self._predecessor)

    def record(self, org_id: str) -> Organization:
        """The record of a known id."""
        return self._orgs[org_id]

    def successor(self, org_id: str) -> str | None:
        """The id ``org_id`` was renamed to, if any."""
        return self._successor.get(org_id)

    def predecessor(self, org_id: str) -> str | None:
        """The id ``org_id`` was renamed from, if any (a link the resolver accepted)."""
        return self._predecessor.get(org_id)

    def _root(self, org_id: str) -> str:
        while org_id in self._predecessor:  # the links have no cycle: _link refuses them
            org_id = self._predecessor[org_id]
        return org_id

    def closest(self, reference: str, n: int = 3) -> list[tuple[str, str]]:
        """The ``n`` known names most like ``reference``, one per organisation.

        Returns
        -------
        list of (name, id)
            Best first; the name is the one that matched (a name or an alias).
        """
        if n <= 0 or not self._index:
            return []
        if self._choices is None:  # built on the first error only
            self._choices = list(self._index)
            counts: dict[str, int] = {}
            for ids in self._index.values():
                for id_ in ids:
                    counts[id_] = counts.get(id_, 0) + 1
            self._keys_per_org = max(counts.values())
        # Enough keys that n distinct organisations are surely among them.
        limit = min(len(self._choices), (n - 1) * self._keys_per_org + 1)
        found = process.extract(
            normalize_name(reference), self._choices, scorer=fuzz.token_set_ratio, processor=None, limit=limit
        )
        suggestions: dict[str, str] = {}
        for key, _score, _position in found:
            for id_, name in self._index[key].items():
                suggestions.setdefault(id_, name)
        return [(name, id_) for id_, name in suggestions.items()][:n]
