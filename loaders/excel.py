"""Excel workbooks (.xlsx) in and out: one sheet per kind of record, named like the CSV files.

The sheets ``organizations``, ``people``, ``programmes``, ``events``,
``agreements`` and ``sources`` (any case) hold the same columns as the CSV files
(:mod:`clusterkg.loaders.columns`); other sheets are left alone. Row 1 is the
header. Dates typed as Excel dates keep the precision their number format shows
(``mmm yyyy`` is a month, ``yyyy`` a year, anything with days a day).

A formula cell is read as the value Excel saved with it. A workbook written by a
program that does not compute formulas has none saved: such a cell is reported
(with its formula), never read as empty.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clusterkg.loaders.columns import (
    TABLES,
    WRITE_ORDER,
    close_table,
    kind_of,
    read_header,
    record_rows,
    row_to_data,
    table_for,
)
from clusterkg.loaders.parse import clip
from clusterkg.model.fields import shown
from clusterkg.model.problems import InputError, Location, Problem, RawRecord

_SHEETS = ", ".join(TABLES[k].file for k in WRITE_ORDER)


def read_xlsx(path: Path) -> list[RawRecord]:
    """The rows of every known sheet of a workbook as raw records.

    A sheet with a bad header, an empty sheet (not even a header) and a sheet
    whose name looks like a misspelt one of the above are reported, and the
    records of the other sheets are still given, as the error's ``partial``.
    """
    import openpyxl

    path = Path(path)
    file = str(path)
    too_big = _unpacks_too_far(path)
    if too_big:
        raise InputError([Problem(Location(file), too_big)])
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise InputError([Problem(Location(file), f"cannot read the file: {error.strerror or error}")]) from None
    except Exception as error:  # noqa: BLE001 - any broken file is the user's to fix, not a crash
        raise InputError([Problem(Location(file), _not_a_workbook(error))]) from None
    formulas = None
    try:
        if _has_formulas(path):  # a second, formula-reading pass, only for workbooks that have some
            formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        return _read_book(book, path, formulas)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - sheets are parsed lazily, so damage shows up here
        raise InputError([Problem(Location(file), _not_a_workbook(error))]) from None
    finally:
        book.close()
        if formulas is not None:
            formulas.close()


#: A workbook is a zip archive of XML, which packs about ten to one. One whose parts would unpack to
#: more than this many times its size, and to more than :data:`UNPACKED_FLOOR` bytes, is a zip bomb
#: (432 KB of workbook that are 150 MB of rows took minutes), not a sheet of records.
MAX_UNPACK_RATIO = 100
UNPACKED_FLOOR = 50_000_000


def _unpacks_too_far(path: Path) -> str | None:
    """Why the workbook is not read, when its parts would unpack to far more than it is (sizes as the
    archive states them; a part that holds more than its stated size is not read past it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        size = path.stat().st_size
    except (OSError, zipfile.BadZipFile, ValueError):
        return None  # openpyxl says what is wrong with it
    if unpacked > UNPACKED_FLOOR and unpacked > MAX_UNPACK_RATIO * size:
        return (f"not read: this workbook of {size:,} bytes would unpack to {unpacked:,} ({unpacked // max(size, 1):,} "
                f"times its size; a workbook of records packs about ten to one); save it again from Excel, "
                "or split it")
    return None


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (its XML read in pieces, never whole)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as member:
                tail = b""
                while chunk := member.read(1 << 16):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _unsaved_formulas(row: Any, formula_row: Any, header: list[str]) -> list[tuple[str, str]]:
    """(column, message) for each formula cell of a row that has no value saved with it."""
    found = []
    for i, (cell, formula) in enumerate(zip(row, formula_row)):
        text = getattr(formula, "value", None)
        if cell.value is None and getattr(formula, "data_type", None) == "f" and isinstance(text, str):
            name = header[i] if i < len(header) and header[i] else f"column {i + 1}"
            found.append((name, (f"holds a formula with no value saved with it ({shown(text)}): the program "
                                 "that wrote the workbook did not compute it; open and save the workbook in Excel "
                                 "or LibreOffice, or type the value")))
    return found


def _not_a_workbook(error: Exception) -> str:
    reason = "it is not a zip archive" if isinstance(error, zipfile.BadZipFile) else f"{type(error).__name__}: {error}"
    return f"not a valid Excel workbook (.xlsx): {reason}; save it from Excel as 'Excel Workbook (.xlsx)'"


def _read_book(book: Any, path: Path, formulas: Any = None) -> list[RawRecord]:
    file = str(path)
    records: list[RawRecord] = []
    problems: list[Problem] = []
    known = 0
    for sheet in book.worksheets:
        table = table_for(sheet.title, prefixed=False)
        if table is None:
            close = close_table(sheet.title)
            if close is not None:  # a misspelt sheet of records must not be skipped in silence
                problems.append(Problem(Location(file, None, sheet.title), (
                    f"sheet {sheet.title!r} is not read: did you mean {close!r}? "
                    f"Sheets of records are named {_SHEETS}; other sheets are left alone"
                )))
            continue
        known += 1
        sheet.reset_dimensions()  # trust the cells, not the size the file claims
        rows = sheet.iter_rows()
        header = [_text(cell) for cell in next(rows, ())]
        if not any(header):
            anything = any(any(_text(cell) for cell in row) for row in rows)
            problems.append(Problem(Location(file, 1 if anything else None, sheet.title), (
                f"row 1 of sheet {sheet.title!r} is empty: it must name the columns" if anything
                else f"sheet {sheet.title!r} is empty"
            ) + f" ({', '.join(table.names[:4])}, ...)"))
            continue
        columns, messages = read_header(table, header, f"sheet {sheet.title!r}", source=f"{path.name}[{sheet.title}]")
        if messages:
            problems.extend(Problem(Location(file, 1, sheet.title), m) for m in messages)
            continue
        formula_rows = None
        if formulas is not None:
            formula_sheet = formulas[sheet.title]
            formula_sheet.reset_dimensions()
            formula_rows = formula_sheet.iter_rows()
            next(formula_rows, None)  # the header
        for number, row in enumerate(rows, start=2):
            cells = [_text(cell) for cell in row]
            unsaved = _unsaved_formulas(row, next(formula_rows, ()), header) if formula_rows is not None else []
            if not any(cells) and not unsaved:
                continue
            number = next((c.row for c in row if getattr(c, "row", None)), number)
            location = Location(file, number, sheet.title)
            data, messages = row_to_data(table, columns, cells)
            ident = data.get("id")
            record = f"{table.kind} {ident}" if ident else None
            records.append(RawRecord(table.kind, data, location, {}, [
                *(Problem(location, clip(m), f, record) for f, m in messages),
                *(Problem(location, m, name, record) for name, m in unsaved),
            ]))
        # A header and no rows is a sheet with no records yet (as a CSV file with only a header).
    if not known:
        found = ", ".join(repr(s.title) for s in book.worksheets) or "none"
        problems.append(Problem(
            Location(file), f"no sheet of records in this workbook (its sheets: {found}); name the sheets {_SHEETS}"
        ))
    if problems:
        raise InputError(problems, partial=records)
    return records


_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _date_text(value: dt.date, number_format: str | None) -> str:
    """An Excel date as ISO text, to the precision its number format shows."""
    fmt = _QUOTED.sub("", (number_format or "").lower())
    if "d" not in fmt and "y" in fmt:
        return f"{value.year:04d}-{value.month:02d}" if "m" in fmt else f"{value.year:04d}"
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _text(cell: Any) -> str:
    """A cell's value as the text a CSV cell would hold."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (dt.datetime, dt.date)):
        return _date_text(value, getattr(cell, "number_format", None))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


# -- writing -----------------------------------------------------------------------

#: Characters XML 1.0 has no place for, beyond the control characters openpyxl itself refuses.
_NOT_XML = re.compile("[\ufffe\uffff]")
_LINE_BREAK = re.compile("\r\n?")


def write_xlsx(records: Iterable[Any], path: Path) -> Path:
    """Write records into one workbook with a sheet per kind of record (only those with records).

    Uses openpyxl's write-only mode, so rows go to disk as they come. Every cell is
    text (dates as ``2017-06``, keeping their precision), and text that starts
    with ``=`` stays text, never a formula. Line breaks are written as ``\n`` (the
    workbook's XML would read ``\r\n`` back so anyway). Raises ValueError for a
    record a sheet cannot hold (several sources, a control character), naming it.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.exceptions import IllegalCharacterError

    path = Path(path)
    book = Workbook(write_only=True)
    sheets: dict[str, Any] = {}

    def append(kind: str, row: list[str], what: str) -> None:
        sheet = sheets.get(kind)
        if sheet is None:
            sheet = sheets[kind] = book.create_sheet(TABLES[kind].file)
            sheet.append(TABLES[kind].names)
        cells = []
        for name, value in zip(TABLES[kind].names, row):
            if not value:
                cells.append(None)
                continue
            if _NOT_XML.search(value):
                raise ValueError(
                    f"{what}: column {name!r} holds a character that an Excel workbook cannot store: {value!r}"
                )
            # A workbook's XML reads any line break back as "\n", so write it so.
            value = _LINE_BREAK.sub("\n", value)
            try:
                cell = WriteOnlyCell(sheet, value)
            except IllegalCharacterError:
                raise ValueError(
                    f"{what}: column {name!r} holds a control character that Excel cannot store: {value!r}"
                ) from None
            cell.data_type = "s"  # text, even when it starts with '='
            cells.append(cell)
        sheet.append(cells)

    try:
        for record in records:
            kind = kind_of(record)
            data = record.to_dict()
            row, sources = record_rows(kind, data)
            what = f"{kind} {data.get('id') or data.get('title') or ''}".strip()
            append(kind, row, what)
            for source in sources:
                append("source", source, what)
    except BaseException:
        _discard(sheets.values())
        raise
    if not sheets:
        book.create_sheet(TABLES["organization"].file).append(TABLES["organization"].names)
    order = {TABLES[k].file: i for i, k in enumerate(WRITE_ORDER)}
    book._sheets.sort(key=lambda s: order.get(s.title, len(order)))  # noqa: SLF001 - no public way in write-only mode
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _discard(sheets: Iterable[Any]) -> None:
    """Close write-only sheets of a workbook that will not be saved, and remove their temporary files."""
    for sheet in sheets:
        try:
            sheet.close()
            sheet._writer.cleanup()  # noqa: SLF001 - openpyxl removes them only at exit otherwise
        except Exception:  # noqa: BLE001, S110 - tidying up after the error being raised
            pass
