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
}
_PREFIXED = re.compile(r"[._-]([a-z]+)$")


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


def read_header(table: Table, header: list[str], where: str) -> tuple[list[Column | None], list[str]]:
    """The column of each header cell (None for a blank header), and what is wrong.

    ``where`` names the file or sheet in messages (``agreements.csv``).
    """
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
