"""Excel workbooks: sheets by name, row numbers, empty and unknown sheets, typed dates.

The workbooks are made here with openpyxl, the way a spreadsheet user would
fill them in (typed dates and numbers, blank rows, extra sheets).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.excel import read_xlsx
from clusterkg.model.problems import InputError

ORG_HEADER = ["id", "name", "kind", "country"]
ORGS = [["link-j", "LINK-J", "cluster", "JP"], ["kanagawa-prefecture", "Kanagawa Prefecture", "government", "JP"]]


def book(tmp_path: Path, sheets: dict[str, list[list]], name: str = "book.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_xlsx(path)
    return caught.value


def test_sheets_by_name_in_any_case_and_other_sheets_left_alone(tmp_path):
    path = book(tmp_path, {
        "README": [["Fill in the sheets below"]],
        "Organizations": [ORG_HEADER, *ORGS],
        "people": [["id", "name", "posts"], ["kenji-shuto", "Kenji Shuto", "Deputy Governor | Kanagawa Prefecture | 2019-04"]],
        "AGREEMENTS": [
            ["type", "parties", "signed", "signatories", "source_title"],
            ["mou", "LINK-J [lead]; Kanagawa Prefecture", "2020-09-18", "Kenji Shuto | Deputy Governor | Kanagawa Prefecture", "A release"],
        ],
        "lists": [["mou"], ["loi"]],
    })
    records = read_xlsx(path)
    assert [r.type for r in records] == ["organization", "organization", "person", "agreement"]
    ds = load_dataset([path])
    assert ds.valid, [str(p) for p in ds.problems]
    (agreement,) = ds.agreements.values()
    assert agreement.id == "mou-kanagawa-prefecture-link-j-2020-09-18"
    assert agreement.parties[0].role == "lead" and agreement.signatories[0].person == "kenji-shuto"


def test_rows_are_numbered_as_excel_shows_them(tmp_path):
    path = book(tmp_path, {"organizations": [ORG_HEADER, ORGS[0], [], [None, None], ORGS[1], ["bad", "Bad", "planet", "JP"]]})
    records = read_xlsx(path)
    assert [str(r.location) for r in records] == [f"{path}[organizations]:2", f"{path}[organizations]:5", f"{path}[organizations]:6"]
    ds = load_dataset([path])
    (problem,) = ds.problems
    assert str(problem).startswith(f"{path}[organizations]:6: kind: ")


def test_an_empty_sheet_names_the_workbook_and_the_sheet(tmp_path):
    path = book(tmp_path, {"organizations": [ORG_HEADER, *ORGS], "agreements": []})
    error = error_of(path)
    (problem,) = error.problems
    assert str(problem) == f"{path}[agreements]: sheet 'agreements' is empty (id, type, title, parties, ...)"
    assert [r.data["id"] for r in error.partial] == ["link-j", "kanagawa-prefecture"]  # the other sheet still counts
    ds = load_dataset([path])
    assert len(ds.organizations) == 2 and [str(p) for p in ds.problems] == [str(problem)]


def test_a_sheet_with_an_empty_first_row(tmp_path):
    path = book(tmp_path, {"organizations": [[], ORG_HEADER, *ORGS]})
    (problem,) = error_of(path).problems
    assert str(problem).startswith(f"{path}[organizations]:1: row 1 of sheet 'organizations' is empty: it must name the columns")


def test_a_sheet_with_only_a_header_holds_no_records(tmp_path):
    path = book(tmp_path, {"organizations": [ORG_HEADER, *ORGS], "events": [["id", "name", "start"]]})
    assert len(read_xlsx(path)) == 2


def test_a_bad_header_names_sheet_and_row(tmp_path):
    path = book(tmp_path, {"organizations": [["id", "name", "knd", "country"], ORGS[0]]})
    problems = [str(p) for p in error_of(path).problems]
    assert problems[0].startswith(f"{path}[organizations]:1: unknown column 'knd' (did you mean 'kind'?); the columns of sheet 'organizations' are:")
    assert problems[1].startswith(f"{path}[organizations]:1: the required column 'kind' is missing")


def test_a_misspelt_sheet_is_reported_not_skipped(tmp_path):
    path = book(tmp_path, {"organizations": [ORG_HEADER, *ORGS], "Agreemnts": [["type", "parties"], ["mou", "A; B"]], "Notes": [["x"]]})
    error = error_of(path)
    (problem,) = error.problems
    assert str(problem).startswith(f"{path}[Agreemnts]: sheet 'Agreemnts' is not read: did you mean 'agreements'?")
    assert len(error.partial) == 2


def test_a_workbook_without_a_known_sheet(tmp_path):
    path = book(tmp_path, {"Sheet1": [ORG_HEADER, *ORGS], "Summary": [["total", 2]]})
    (problem,) = error_of(path).problems
    assert str(problem) == (
        f"{path}: no sheet of records in this workbook (its sheets: 'Sheet1', 'Summary'); name the sheets "
        "organizations, people, programmes, events, agreements, sources"
    )


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04 cut short"], ids=["empty", "text", "cut"])
def test_a_file_that_is_not_a_workbook(tmp_path, content):
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    (problem,) = error_of(path).problems
    assert str(problem).startswith(f"{path}: not a valid Excel workbook (.xlsx): ")
    assert "save it from Excel as 'Excel Workbook (.xlsx)'" in problem.message


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    (problem,) = error_of(path).problems
    assert str(problem).startswith(f"{path}: not a valid Excel workbook (.xlsx): ")


def _dated_book(tmp_path: Path, cells: list[tuple[object, str | None]]) -> list[str]:
    """The ``signed`` dates read from agreements whose signed cell holds each (value, number format)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "agreements"
    sheet.append(["type", "parties", "signed", "source_title"])
    for row, (value, number_format) in enumerate(cells, start=2):
        sheet.append(["loi", "A", value, "T"])
        if number_format:
            sheet.cell(row=row, column=3).number_format = number_format
    path = tmp_path / "dates.xlsx"
    workbook.save(path)
    return [r.data["signed"] for r in read_xlsx(path)]


def test_typed_dates_keep_the_precision_their_format_shows(tmp_path):
    june = dt.datetime(2017, 6, 1)
    assert _dated_book(tmp_path, [
        (june, "mmm yyyy"),        # shows "Jun 2017": a month
        (june, "mmmm\\ yyyy"),     # "June 2017"
        (june, 'yyyy"年"m"月"'),    # "2017年6月"
        (june, "[$-409]mmmm yyyy;@"),
        (june, "yyyy"),            # a year
        (june, "yyyy-mm-dd"),      # a day
        (dt.datetime(2017, 6, 18, 14, 30), "m/d/yyyy h:mm"),
        (dt.date(2020, 9, 18), None),  # openpyxl's default date format shows the day
    ]) == ["2017-06", "2017-06", "2017-06", "2017-06", "2017", "2017-06-01", "2017-06-18", "2020-09-18"]


def test_dates_typed_as_text_or_numbers_stay_as_written(tmp_path):
    assert _dated_book(tmp_path, [("2017-06", None), ("2017", None), (2017, None), (2017.0, None), (" 2020-09-18 ", None)]) == [
        "2017-06", "2017", "2017", "2017", "2020-09-18",
    ]


def test_a_month_typed_as_an_excel_date_loads_as_a_month(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "organizations"
    sheet.append(ORG_HEADER)
    sheet.append(ORGS[0])
    sheet.append(ORGS[1])
    agreements = workbook.create_sheet("agreements")
    agreements.append(["type", "parties", "signed", "source_title", "source_published"])
    agreements.append(["loi", "LINK-J; Kanagawa Prefecture", dt.datetime(2017, 6, 1), "T", dt.datetime(2017, 6, 1)])
    agreements["C2"].number_format = "mmm yyyy"
    agreements["E2"].number_format = "yyyy"
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    ds = load_dataset([path])
    (agreement,) = ds.agreements.values()
    assert (str(agreement.signed), agreement.signed.precision) == ("2017-06", "month")
    assert str(agreement.sources[0].published) == "2017"
    assert agreement.id == "loi-kanagawa-prefecture-link-j-2017-06"


def test_numbers_and_booleans_read_as_text(tmp_path):
    path = book(tmp_path, {"organizations": [
        [*ORG_HEADER, "description", "wikidata"], ["x", 42, "cluster", "JP", True, "Q1"], ["y", 1.5, "cluster", "JP", None, None],
    ]})
    first, second = read_xlsx(path)
    assert (first.data["name"], first.data["description"], second.data["name"]) == ("42", "TRUE", "1.5")
