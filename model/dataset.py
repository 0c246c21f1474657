"""The dataset: valid records by id, what was rejected and why, and where each record was read.

The container every graph form is made from (:mod:`clusterkg.loaders.assemble`
fills it). It knows nothing of files or formats.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clusterkg.model.problems import Location, Problem, RawRecord
from clusterkg.model.records import (
    Agreement,
    Event,
    Organization,
    Person,
    Programme,
    Record,
)

if TYPE_CHECKING:
    from clusterkg.model.frames import Frames

#: A per-record progress callback.
Progress = Callable[[int], None]


@dataclass
class Rejected:
    raw: RawRecord
    problems: list[Problem]

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.raw.type,
            "location": str(self.raw.location),
            "problems": [str(p) for p in self.problems],
            "data": self.raw.data,
        }


@dataclass
class Dataset:
    """Valid records by id, and what was rejected and why."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    #: Problems that belong to no single record (a file that cannot be read).
    file_problems: list[Problem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    #: Where each valid record was read: (record type, id) -> location.
    origins: dict[tuple[str, str], Location] = field(default_factory=dict)
    #: Things worth a look that do not make a record invalid (an agreement naming an organisation by
    #: its name before a rename, say): shown by ``clusterkg validate``, never a reason to fail.
    warnings: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """Every problem, file-level first, then by record in input order."""
        return self.file_problems + [p for r in self.rejected for p in r.problems]

    @property
    def valid(self) -> bool:
        return not self.file_problems and not self.rejected

    def collections(self) -> dict[str, dict[str, Record]]:
        return {
            "organization": self.organizations,
            "person": self.people,
            "programme": self.programmes,
            "event": self.events,
            "agreement": self.agreements,
        }

    def records(self) -> Iterator[tuple[str, Record]]:
        """Every valid record as (type, record), by type and then id: a stable order."""
        for kind, records in self.collections().items():
            for key in sorted(records):
                yield kind, records[key]

    def __len__(self) -> int:
        return sum(len(c) for c in self.collections().values())

    def to_frames(self) -> Frames:
        """Organisations, agreements and parties (one row per agreement and party) as pandas DataFrames.

        Returns a named tuple ``(organizations, agreements, parties)``. Each date keeps its
        precision: ``signed`` is the ISO text (``2017-06`` for June 2017), ``signed_precision``
        says ``month``, and ``signed_earliest`` / ``signed_latest`` are the interval it covers.
        ``date`` is the date that places an agreement in time (signed, else announced, else
        start). See :mod:`clusterkg.model.frames` for every column.

        >>> import clusterkg
        >>> orgs, agreements, parties = clusterkg.load("data").to_frames()  # doctest: +SKIP
        >>> parties.groupby("country").agreement.nunique()  # doctest: +SKIP
        """
        from clusterkg.model.frames import to_frames  # pandas only when asked for

        return to_frames(self)


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records are loaded.

    Loading makes millions of small objects that all stay alive, and the
    collector would go over all of them again and again: without the pause,
    loading 100,000 organisations and 300,000 agreements took half again as long
    (benchmarks/README.md). Reference counting still frees what is dropped.

    Parameters
    ----------
    freeze : bool
        At the end, move every object alive to the collector's permanent
        generation (:func:`gc.freeze`) before switching it back on. Otherwise
        its next rounds go over all that was loaded, up to three times (seconds
        for a large load). Frozen objects are still freed when dropped; only a
        reference cycle among them would no longer be collected, and records
        make none. For large loads only: it freezes the rest of the process too.

    Examples
    --------
    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


#: From this many raw records on, a load freezes what it made (see :func:`gc_paused`).
FREEZE_FROM = 50_000


def summarize(ds: Dataset) -> dict[str, Any]:
    """Counts by record type, agreement type, country and year."""
    by_country: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    for agreement in ds.agreements.values():
        countries = {ds.organizations[p.organization].country for p in agreement.parties}
        by_country.update(countries)
        by_year[str(agreement.date.year) if agreement.date else "undated"] += 1
    return {
        "records": {kind: len(records) for kind, records in ds.collections().items()},
        "rejected": len(ds.rejected),
        "agreements_by_type": dict(sorted(Counter(a.type for a in ds.agreements.values()).items())),
        "agreements_by_country": dict(sorted(by_country.items())),
        "agreements_by_year": dict(sorted(by_year.items())),
        "organizations_by_kind": dict(sorted(Counter(o.kind for o in ds.organizations.values()).items())),
        "organizations_by_country": dict(sorted(Counter(o.country for o in ds.organizations.values()).items())),
    }
