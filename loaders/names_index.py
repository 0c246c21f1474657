"""Names -> ids for what a person types: parameters that name an organisation, programme, person,
event or country (DESIGN.md section 7).

A parameter accepts an id, a name, an alias or a name in another language, resolved by the
loaders' own :class:`~clusterkg.loaders.resolve.Resolver` (the same :func:`normalize_name`, the
same messages: an unknown name gets the closest known ones, a shared name the organisations it
could mean). A country accepts an ISO code or an English name (:func:`country_code`): ``Japan``
is ``JP``, ``UK`` is ``GB`` with a note.

``clusterkg build`` writes OUT/names.json (:meth:`Names.write`), the names already normalised, so
that ``clusterkg query`` resolves a parameter without reading every record (or normalising 300,000
names) for each query; ``analyze`` and ``map``, which load the records anyway, use
:meth:`Names.from_dataset`.

Examples
--------
>>> from clusterkg.model.dataset import Dataset
>>> from clusterkg.model.records import Organization, Programme
>>> ds = Dataset()
>>> ds.organizations["link-j"] = Organization(id="link-j", name="Life Science Innovation Network Japan",
...                                           aliases=["LINK-J"], kind="cluster", country="JP")
>>> ds.programmes["jetro-rit"] = Programme(id="jetro-rit", name="Regional Industry Tie-Up", aliases=["RIT"])
>>> names = Names.from_dataset(ds)
>>> names.resolve("organization", "link j"), names.resolve("programme", "Regional industry tie-up")
(('link-j', None), ('jetro-rit', None))
>>> names.resolve("country", "UK")
('GB', "'UK' read as GB, the ISO 3166-1 code of the United Kingdom")
>>> names.resolve("programme", "RTI")
Traceback (most recent call last):
...
clusterkg.loaders.resolve.UnknownOrganization: unknown programme 'RTI'; closest known: 'RIT' (jetro-rit)
>>> Names.from_json(names.to_json()).resolve("organization", "LINK-J")
('link-j', None)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clusterkg.loaders.resolve import AmbiguousOrganization, Resolver
from clusterkg.model.countries import country_code
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import ClusterKGError

#: The file a build writes into OUT.
FILE = "names.json"
FORMAT = 1
#: Parameter types resolved against the records, and how messages name them.
RECORD_KINDS = {"organization": "organisation", "programme": "programme", "person": "person", "event": "event"}
#: Every parameter type :meth:`Names.resolve` reads.
KINDS = (*RECORD_KINDS, "country")


@dataclass(frozen=True)
class Named:
    """What the resolver needs of a record: its id, name, other names and rename."""

    id: str
    name: str
    names: tuple[str, ...] = ()
    predecessor: str | None = None
    renamed: PartialDate | None = None

    def all_names(self) -> list[str]:
        return [self.name, *self.names]


def _named(records: Iterable[Any], other_names) -> list[Named]:
    return [Named(r.id, r.name, tuple(other_names(r))) for r in records]


class Names:
    """One :class:`Resolver` per kind of record (organisations, programmes, people, events)."""

    def __init__(self, resolvers: dict[str, Resolver]):
        self.resolvers = resolvers

    @classmethod
    def from_dataset(cls, ds: Any) -> Names:
        """The names of a loaded dataset's records."""
        return cls({
            "organization": Resolver(ds.organizations.values()),
            "programme": Resolver(_named(ds.programmes.values(), lambda p: p.aliases), "programme"),
            "person": Resolver(_named(ds.people.values(), lambda p: p.names.values()), "person"),
            "event": Resolver(_named(ds.events.values(), lambda e: ()), "event"),
        })

    # -- names.json --------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Per kind: ``records`` (id -> [name, renamed]), ``names`` (normalised name -> {id: name as
        written}) and ``renames`` (id -> predecessor id)."""
        data: dict[str, Any] = {"format": FORMAT}
        for kind, resolver in self.resolvers.items():
            index, renames = resolver.index()
            records = {}
            for id_ in resolver.ids:
                record = resolver.record(id_)
                renamed = getattr(record, "renamed", None)
                records[id_] = [record.name, renamed.isoformat()] if renamed else [record.name]
            data[kind] = {"records": records, "names": index, "renames": renames}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str = FILE) -> Names:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ClusterKGError(f"{where}: not a names index of format {FORMAT}; build again")
        resolvers = {}
        for kind, what in RECORD_KINDS.items():
            part = data.get(kind) or {}
            records = [Named(id_, row[0], renamed=PartialDate.parse(row[1]) if len(row) > 1 else None)
                       for id_, row in part.get("records", {}).items()]
            resolvers[kind] = Resolver.from_index(records, part.get("names", {}), part.get("renames", {}), what)
        return cls(resolvers)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Names:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ClusterKGError(f"{path}: cannot read the names index: {error}") from None
        return cls.from_json(data, str(path))

    # -- resolving ---------------------------------------------------------------------------

    def resolve(self, kind: str, value: str) -> tuple[str, str | None]:
        """The id (or country code) ``value`` means, and a note for the person when it is worth one.

        Raises :class:`~clusterkg.loaders.resolve.ResolveError` (unknown: the closest known names;
        ambiguous: the ones it could mean) and ValueError for a country that is none.
        A name shared by the organisations of one chain of renames means the first that bore it.
        """
        if kind == "country":
            return country_code(value)
        resolver = self.resolvers[kind]
        text = value.strip()
        try:
            found = resolver.resolve(text)
        except AmbiguousOrganization as error:
            ids = [id_ for _, id_ in error.candidates]
            chains = {_chain(resolver, id_)[0] for id_ in ids}
            if kind != "organization" or len(chains) != 1:
                raise
            found = min(ids, key=lambda id_: len(_chain(resolver, id_)))
        if text == found:
            return found, None
        return found, self._rename_note(resolver, text, found)

    @staticmethod
    def _rename_note(resolver: Resolver, text: str, found: str) -> str | None:
        after = resolver.successor(found)
        if after is None:
            return None
        new = resolver.record(after)
        date = getattr(new, "renamed", None)
        when = f" {'on' if date.precision == 'day' else 'in'} {date}" if date else ""
        return (f"'{text}' is {found}, renamed '{new.name}' ({after}){when}: "
                f"give {after} for the organisation under its new name")


def _chain(resolver: Resolver, org_id: str) -> list[str]:
    """``org_id`` and its predecessors, the first of its chain of renames first."""
    chain = [org_id]
    while (before := resolver.predecessor(chain[-1])) is not None:  # no cycles: the resolver refuses them
        chain.append(before)
    return chain[::-1]
