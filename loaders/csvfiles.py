"""CSV files in and out: one file per kind of record (organizations.csv, agreements.csv, ...).

What each column means, and how cells hold several values, is in
:mod:`clusterkg.loaders.columns` and docs/formats.md. The reader turns each row
into a :class:`RawRecord` whose location is the line the row starts on; it does
not validate (that is :func:`clusterkg.loaders.parse.parse`), but reports a file
it cannot read, or a header it does not understand, as an :class:`InputError`.

Formula injection: a spreadsheet opening a CSV file runs a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula
(``=HYPERLINK(...)``). Every CSV file clusterkg writes for people to open --
these data files, ``query``/``analyze`` ``--format csv``, ``metrics.csv`` -- goes
through :func:`spreadsheet_safe`, which puts a ``'`` before such a cell, as
OWASP advises, unless the cell is a number (``-5``, ``-0.25``, ``+3``). In data
files the ``'`` is an escape the reader takes off again (:func:`spreadsheet_text`),
so what is written reads back the same.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from clusterkg.loaders.columns import (
    TABLES,
    WRITE_ORDER,
    Table,
    close_table,
    kind_of,
    read_header,
    record_rows,
    row_to_data,
    table_for,
)
from clusterkg.loaders.documents import read_text
from clusterkg.model.problems import InputError, Location, Problem, RawRecord

_FILE_NAMES = "organizations.csv, agreements.csv, people.csv, programmes.csv, events.csv or sources.csv"


def _fail(path: Path, line: int | None, message: str, partial: list[RawRecord] | None = None) -> InputError:
    return InputError([Problem(Location(str(path), line), message)], partial=partial)


_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)", re.I)


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: ``'`` before one that starts like a formula.

    A number (``-5``, ``+1.5e3``, ``-inf``) is left as it is. So is every other cell,
    except one that starts with ``'`` and then a character of the above or
    another ``'``: it gets a ``'`` too, so that :func:`spreadsheet_text` can take
    off exactly one.

    >>> print(spreadsheet_safe('=HYPERLINK("http://x","y")'), spreadsheet_safe("-5"), spreadsheet_safe("-ish"))
    '=HYPERLINK("http://x","y") -5 '-ish
    """
    if not cell:
        return cell
    if cell[0] in _TRIGGERS:
        return cell if _NUMBER.fullmatch(cell) else "'" + cell
    if cell[0] == "'" and len(cell) > 1 and (cell[1] in _TRIGGERS or cell[1] == "'"):
        return "'" + cell
    return cell


def spreadsheet_text(cell: str) -> str:
    """A data file's cell as it was before :func:`spreadsheet_safe`: one ``'`` off ``'=...``, ``'-...``, ``''...``."""
    if cell[:1] == "'" and len(cell) > 1 and (cell[1] in _TRIGGERS or cell[1] == "'"):
        return cell[1:]
    return cell


def _text(path: Path) -> str:
    return read_text(path, hint=" (in Excel: 'CSV UTF-8 (Comma delimited)')")


def read_csv(path: Path) -> list[RawRecord]:
    """The rows of one CSV file as raw records; its name says what records it holds."""
    path = Path(path)
    table = table_for(path.stem)
    if table is None:
        close = close_table(path.stem)
        hint = f" (did you mean {close}.csv?)" if close else ""
        raise _fail(path, None, f"cannot tell what records this CSV holds{hint}: name it {_FILE_NAMES}")
    reader = csv.reader(io.StringIO(_text(path), newline=""), strict=True)
    records: list[RawRecord] = []
    header: list[str] | None = None
    columns: list = []
    file = str(path)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                message = (
                    f"a quoted cell that starts in the row at line {start} is not closed by the end of the file "
                    f"(line {reader.line_num}); the file may be cut short, or a '\"' is missing"
                )
            else:
                message = f"not valid CSV in the row starting at line {start}: {error}"
            raise _fail(path, start, message, records) from None
        cells = [spreadsheet_text(cell.strip()) for cell in row]
        if not any(cells):
            continue
        if header is None:
            header = cells
            columns, problems = read_header(table, header, path.name, source=path.name)
            if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
                sep = "';'" if ";" in header[0] else "tabs"
                problems = [
                    f"the header has one column {header[0]!r}: this file seems to separate its columns with {sep}, "
                    "but clusterkg reads comma-separated files (in Excel: save as 'CSV UTF-8 (Comma delimited)')"
                ]
            if problems:
                raise InputError([Problem(Location(file, start), m) for m in problems])
            continue
        records.append(_record(table, columns, cells, Location(file, start)))
    if header is None:
        raise _fail(
            path, None,
            f"the file is empty: the first line must name the columns ({', '.join(table.names[:4])}, ...)",
        )
    return records


def _record(table: Table, columns: list, cells: list[str], location: Location) -> RawRecord:
    data, problems = row_to_data(table, columns, cells)
    ident = data.get("id")
    record = f"{table.kind} {ident}" if ident else None
    return RawRecord(
        table.kind, data, location, {}, [Problem(location, message, field, record) for field, message in problems]
    )


# -- writing -----------------------------------------------------------------------


def _quoted(cell: str) -> str:
    if '"' in cell or "," in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def format_row(cells: list[str]) -> str:
    """One CSV line: RFC 4180 quoting, ``\\n`` at the end, each cell :func:`spreadsheet_safe`.

    (Python's csv module does not quote a lone ``\\r`` when lines end in ``\\n``,
    which a reader would take for a line break.)
    """
    return ",".join([_quoted(spreadsheet_safe(c)) if c else c for c in cells]) + "\n"


def write_csv(records: Iterable[Any], folder: Path) -> list[Path]:
    """Write records as organizations.csv, people.csv, ... in ``folder``; returns the files written.

    Only files with records are written; a file of those names left from an
    earlier write is removed, so the folder holds exactly these records. Rows
    are written as the records come, so memory does not grow with their number.
    Raises ValueError for a record a CSV file cannot hold (see
    :func:`clusterkg.loaders.columns.record_rows`); then the folder is left as it was.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    handles: dict[str, IO[str]] = {}

    def target(kind: str) -> Path:
        return folder / f"{TABLES[kind].file}.csv"

    def temporary(kind: str) -> Path:
        # Hidden, and not ending in .csv: a folder load never reads a half-written file.
        return folder / f".{TABLES[kind].file}.csv.partial"

    def handle(kind: str) -> IO[str]:
        out = handles.get(kind)
        if out is None:
            table = TABLES[kind]
            out = temporary(kind).open("w", encoding="utf-8", newline="")
            handles[kind] = out
            out.write(format_row(table.names))
        return out

    try:
        for record in records:
            kind = kind_of(record)
            row, sources = record_rows(kind, record.to_dict())
            handle(kind).write(format_row(row))
            if sources:
                out = handle("source")
                for source in sources:
                    out.write(format_row(source))
        for out in handles.values():
            out.close()
    except BaseException:
        for kind, out in handles.items():
            out.close()
            temporary(kind).unlink(missing_ok=True)
        raise
    written = []
    for kind in WRITE_ORDER:
        if kind in handles:
            temporary(kind).replace(target(kind))
            written.append(target(kind))
        else:
            target(kind).unlink(missing_ok=True)
    return written
