"""The columns of the CSV files and Excel sheets, and how flat rows map to records.

One table per file (``organizations``, ``people``, ``programmes``, ``events``,
``agreements``, ``sources``): each column names the record field it fills and the
codec that turns the cell text into the field's value and back. The CSV and Excel
readers and writers only move cells; everything about columns lives here.

How a cell holds several values, and the codecs, are in :mod:`clusterkg.loaders.cells`;
see also docs/formats.md.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from clusterkg.loaders.cells import (  # noqa: F401  (the codecs are named in the tables below)
    JSON,
    LIST,
    NAMES,
    POSTS,
    ROLES,
    SIGNATORIES,
    TEXT,
    Codec,
    _entries,
    split,
    unescape,
)
from clusterkg.model.records import RECORD_TYPES, derive_source_id

# -- tables ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    field: str
    codec: Codec = TEXT
    #: For the ``source_*`` columns: the key inside the record's first source.
    sub: str | None = None
    #: Add the cell's values to the field's list (the party columns of an edge list).
    append: bool = False


SOURCE_KEYS = ("id", "title", "publisher", "url", "published", "accessed", "evidence")
_SOURCE_COLUMNS = tuple(Column(f"source_{k}", "sources", sub=k) for k in SOURCE_KEYS)


def _cols(*specs: str | Column) -> tuple[Column, ...]:
    return tuple(c if isinstance(c, Column) else Column(c, c) for c in specs)


@dataclass(frozen=True)
class Table:
    """The columns of one kind of file or sheet."""

    kind: str  # a key of model.RECORD_TYPES, or "source"
    file: str  # the file name stem / sheet name, e.g. "agreements"
    columns: tuple[Column, ...]
    #: The columns a header must have: one of each tuple.
    required: tuple[tuple[str, ...], ...] = ()
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)
    fields: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})
        object.__setattr__(self, "fields", frozenset(c.field for c in self.columns))

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _required_of(kind: str, columns: tuple[Column, ...]) -> tuple[tuple[str, ...], ...]:
    """The columns the model cannot do without (sources may come from sources.csv)."""
    model = RECORD_TYPES[kind]
    return tuple(
        (c.name,) for c in columns
        if c.sub is None and c.field != "sources" and model.model_fields[c.field].is_required()
    )


def _table(kind: str, file: str, *specs: str | Column) -> Table:
    columns = _cols(*specs) + _SOURCE_COLUMNS
    return Table(kind, file, columns, _required_of(kind, columns))


TABLES: dict[str, Table] = {
    "organization": _table(
        "organization", "organizations",
        "id", "name", Column("names", "names", NAMES), Column("aliases", "aliases", LIST), "kind", "country",
        "region", "city", "parent", Column("member_of", "member_of", LIST), "predecessor", "renamed", "website",
        "wikidata", "ror", "description",
    ),
    "person": _table(
        "person", "people",
        "id", "name", Column("names", "names", NAMES), Column("posts", "posts", POSTS),
    ),
    "programme": _table(
        "programme", "programmes",
        "id", "name", Column("aliases", "aliases", LIST), "operator", "country", "start", "end", "website",
        "description",
    ),
    "event": _table(
        "event", "events",
        "id", "name", "kind", "start", "end", "place", "country", Column("participants", "participants", ROLES),
    ),
    "agreement": _table(
        "agreement", "agreements",
        "id", "type", "title", Column("parties", "parties", ROLES), Column("signatories", "signatories", SIGNATORIES),
        "signed", "announced", "start", "end", "term", "status", Column("scope", "scope", LIST),
        Column("activities", "activities", LIST), "programme", "event", "renews", "supersedes", "notes",
        Column("extraction", "extraction", JSON),
    ),
    "source": Table(
        "source", "sources",
        _cols("agreement", *SOURCE_KEYS),
        (("agreement",), ("title", "url")),
    ),
}

#: The order files and sheets are written in.
WRITE_ORDER = ("organization", "person", "programme", "event", "agreement", "source")

#: File name stems / sheet names (lower case) and the table each stands for.
_NAMES: dict[str, str] = {
    "organizations": "organization", "organisations": "organization",
    "organization": "organization", "organisation": "organization",
    "people": "person", "persons": "person", "person": "person",
    "programmes": "programme", "programme": "programme", "programs": "programme", "program": "programme",
    "events": "event", "event": "event",
    "agreements": "agreement", "agreement": "agreement",
    "sources": "source", "source": "source",
    # edge lists: Kumu's Connections sheet, Gephi's edges table
    "connections": "agreement", "edges": "agreement", "links": "agreement", "ties": "agreement",
}
_PREFIXED = re.compile(r"[._-]([a-z]+)$")
#: Sheets other tools keep beside an edge list (Kumu's Elements, Gephi's nodes): not misspelt record sheets.
_OTHER_TOOLS = frozenset({"elements", "nodes"})


def table_for(name: str, *, prefixed: bool = True) -> Table | None:
    """The table a file stem or sheet name stands for: ``agreements``, ``2020.agreements``,
    ``linkj-agreements`` (with ``prefixed``), in any case; None when it is none of them."""
    key = name.strip().lower()
    kind = _NAMES.get(key)
    if kind is None and prefixed:
        match = _PREFIXED.search(key)
        kind = _NAMES.get(match.group(1)) if match else None
    return TABLES[kind] if kind else None


def close_table(name: str) -> str | None:
    """The table name a misspelt file stem or sheet name probably means (``agreemnts``
    -> ``agreements``), or None when it looks like none of them."""
    key = name.strip().lower()
    if key in _OTHER_TOOLS:
        return None
    match = _PREFIXED.search(key)
    for candidate in (key, match.group(1) if match else None):
        if candidate:
            close = difflib.get_close_matches(candidate, list(_NAMES), n=1, cutoff=0.75)
            if close:
                return TABLES[_NAMES[close[0]]].file
    return None


# -- header ----------------------------------------------------------------------


def normalize_header(text: str) -> str:
    """``" Source URL "`` -> ``"source_url"``."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def read_header(table: Table, header: list[str], where: str,
                source: str | None = None) -> tuple[list[Column | None], list[str]]:
    """The column of each header cell (None for a blank header), and what is wrong.

    ``where`` names the file or sheet in messages (``agreements.csv``). A header of
    agreements with two party columns (``From``/``To`` ...) is an edge list
    (:func:`edge_list_header`); ``source`` is then the title of the source its rows
    without a URL get (the file, as ``book.xlsx[Connections]``).
    """
    if table.kind == "agreement":
        edges = edge_list_header(header, where, source or where)
        if edges is not None:
            return edges
    columns: list[Column | None] = []
    problems: list[str] = []
    seen: set[str] = set()
    known = ", ".join(table.names)
    for text in header:
        name = normalize_header(text)
        if not name:
            columns.append(None)
            continue
        column = table.by_name.get(name)
        if column is None:
            close = difflib.get_close_matches(name, table.names, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"unknown column {text.strip()!r}{hint}; the columns of {where} are: {known}")
        elif name in seen:
            problems.append(f"column {name!r} appears twice")
        seen.add(name)
        columns.append(column)
    for options in table.required:
        if not seen.intersection(options):
            which = " or ".join(repr(o) for o in options)
            problems.append(f"the required column {which} is missing; the columns of {where} are: {known}")
    return columns, problems


# -- edge lists ------------------------------------------------------------------

#: The pairs of party columns that make a sheet of agreements an edge list, as Kumu
#: (From, To), Gephi (Source, Target) and hand-kept sheets (Party 1, Party 2) name them.
EDGE_ENDS = (("from", "to"), ("source", "target"), ("party_1", "party_2"), ("party1", "party2"),
             ("party_a", "party_b"))
_MORE_PARTIES = re.compile(r"^party_?(\d+)$")
#: Other columns of an edge list -> the agreement column they fill.
EDGE_COLUMNS = {"date": "signed", "label": "title", "url": "source_url", "link": "source_url",
                "description": "notes"}
#: Columns Kumu and Gephi keep that say nothing about an agreement: read and left out.
EDGE_IGNORED = frozenset({"weight", "direction", "tags", "interval", "timeset", "strength", "color", "colour"})
#: Gephi's Type column says whether an edge is directed, not what the agreement is.
_GEPHI_TYPES = frozenset({"directed", "undirected", "mutual"})


class EdgeColumns(list):
    """The columns of an edge list's header; fills in what its rows leave out.

    A row without a type is an agreement of type ``other`` (the closed list's word
    for "not said"), and one without a source gets the file as its source, so
    that the record still says where it was read.
    """

    def __init__(self, columns: list[Column | None], source: str):
        super().__init__(columns)
        self.source = source

    def complete(self, data: dict[str, Any]) -> None:
        kind = data.get("type")
        if not kind or (isinstance(kind, str) and kind.strip().lower() in _GEPHI_TYPES):
            data["type"] = "other"
        if not data.get("sources"):
            data["sources"] = [{"title": self.source}]


def edge_list_header(header: list[str], where: str, source: str) -> tuple[list[Column | None], list[str]] | None:
    """The columns of an edge list's header (None when it is no edge list), and what is wrong with it.

    An edge list has no ``parties`` column but party columns by pairs (:data:`EDGE_ENDS`,
    also ``Party 3`` ...), each cell one organisation by any name, with an optional
    ``[role]``. Its other columns are those of agreements, plus ``Date`` (signed),
    ``Label`` (title), ``URL`` or ``Link`` (the source's url) and ``Description`` (notes);
    :data:`EDGE_IGNORED` columns are left out.
    """
    names = [normalize_header(text) for text in header]
    if "parties" in names:
        return None
    ends = {name for pair in EDGE_ENDS for name in pair if name in names} | {
        name for name in names if _MORE_PARTIES.match(name)}
    if not ends:
        return None
    table = TABLES["agreement"]
    columns: list[Column | None] = []
    problems: list[str] = []
    seen: set[str] = set()
    for text, name in zip(header, names):
        if not name:
            columns.append(None)
            continue
        if name in ends:
            column: Column | None = Column(name, "parties", ROLES, append=True)
        elif name in EDGE_IGNORED:
            column = Column(name, "")
        else:
            column = table.by_name.get(EDGE_COLUMNS.get(name, name))
        if column is None:
            known = ", ".join([*(f"{a}/{b}" for a, b in EDGE_ENDS[:3]), *EDGE_COLUMNS, *table.names])
            problems.append(f"unknown column {text.strip()!r} in the edge list {where}; its columns are: {known}")
        elif column.name in seen or name in seen:
            problems.append(f"column {name!r} appears twice")
        seen.update({name, column.name} if column else {name})
        columns.append(column)
    if len(ends) < 2:
        pairs = ", ".join(f"'{a}' and '{b}'" for a, b in EDGE_ENDS[:3])
        problems.append(f"{where} looks like an edge list (a column {sorted(ends)[0]!r}) but an edge list needs "
                        f"two party columns: {pairs}; or a 'parties' column")
    return EdgeColumns(columns, source), problems


# -- rows <-> records ------------------------------------------------------------


def row_to_data(table: Table, columns: list[Column | None], cells: list[str]) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    """A row's cells (already stripped) -> the nested record data and (column, message) problems."""
    data: dict[str, Any] = {}
    source: dict[str, Any] = {}
    problems: list[tuple[str | None, str]] = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        column = columns[i] if i < len(columns) else None
        if column is None:
            problems.append((None, f"a value in column {i + 1}, which has no header: {cell!r}"))
            continue
        if column.append or not column.field:  # an edge list's party columns, or a column it ignores
            if column.field:
                value, messages = column.codec.decode(cell)
                problems.extend((column.name, m) for m in messages)
                data.setdefault(column.field, []).extend(value or [])
            continue
        value, messages = column.codec.decode(cell)
        if messages:  # most cells have none; skip building a generator for them
            problems.extend((column.name, m) for m in messages)
        if value is None:
            continue
        if column.sub is not None:
            source[column.sub] = value
        else:
            data[column.field] = value
    if source:
        data["sources"] = [source]
    if type(columns) is EdgeColumns:
        columns.complete(data)
    return data, problems


def _cell(column: Column, value: Any) -> str:
    if value is None or value == [] or value == {}:
        return ""
    return column.codec.encode(value)


def _implicit_id(source: dict[str, Any]) -> bool:
    """Whether a source's id is the one derived from its other fields (so need not be written)."""
    keys = SimpleNamespace(**{k: source.get(k) for k in ("url", "title", "publisher", "published")})
    return source.get("id") == derive_source_id(keys)  # type: ignore[arg-type]


def _source_cells(source: dict[str, Any]) -> dict[str, str]:
    cells = {k: str(v) for k, v in source.items() if v is not None}
    if "id" in cells and _implicit_id(source):
        del cells["id"]
    return cells


def data_to_row(table: Table, data: dict[str, Any], what: str = "record") -> list[str]:
    """A record's data (``record.to_dict()``) -> one row of cells, in the table's column order.

    Only the first source fits in the row; the caller writes the others (:func:`extra_sources`).
    ``what`` names the record in errors.
    """
    extra = data.keys() - table.fields
    if extra:
        raise ValueError(f"{what}: no column for field(s) {', '.join(sorted(extra))} in {table.file}")
    sources = data.get("sources") or []
    first = _source_cells(sources[0]) if sources else {}
    row = []
    for column in table.columns:
        if column.sub is not None:
            row.append(first.get(column.sub, ""))
        else:
            row.append(_cell(column, data.get(column.field)))
    return row


def extra_sources(agreement_id: str, data: dict[str, Any]) -> list[list[str]]:
    """Rows of ``sources.csv`` for an agreement's second and later sources."""
    rows = []
    for source in (data.get("sources") or [])[1:]:
        cells = _source_cells(source)
        rows.append([agreement_id, *(cells.get(k, "") for k in SOURCE_KEYS)])
    return rows


# -- records -> rows (for the writers) -------------------------------------------

_KIND_OF: dict[type, str] = {cls: kind for kind, cls in RECORD_TYPES.items()}


def kind_of(record: Any) -> str:
    """``"organization"``, ``"agreement"``, ... for a model record."""
    kind = _KIND_OF.get(type(record))
    if kind is not None:
        return kind
    for kind, cls in RECORD_TYPES.items():
        if isinstance(record, cls):
            return kind
    raise TypeError(f"not a clusterkg record: {record!r}")


def _name_of(kind: str, data: dict[str, Any]) -> str:
    if data.get("id"):
        return f"{kind} {data['id']!r}"
    if data.get("title"):
        return f"{kind} {data['title']!r}"
    parties = ", ".join(p.get("organization", "?") for p in data.get("parties") or [])
    return f"{kind} between {parties}" if parties else kind


def record_rows(kind: str, data: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """A record's row in its own table, and the rows it needs in ``sources``.

    Raises ValueError for what a flat file cannot hold: an agreement with several
    sources but no id (sources.csv names agreements by id), or another record with
    more than one source (only agreements have extra sources).
    """
    what = _name_of(kind, data)
    row = data_to_row(TABLES[kind], data, what)
    sources = data.get("sources") or []
    if len(sources) < 2:
        return row, []
    if kind != "agreement":
        raise ValueError(
            f"{what} has {len(sources)} sources, but CSV and Excel hold one source per {kind} "
            "(the source_* columns); only agreements can have more, in sources.csv"
        )
    if not data.get("id"):
        raise ValueError(
            f"{what} has {len(sources)} sources but no id: give it an id so that sources.csv can name it"
        )
    return row, extra_sources(data["id"], data)
