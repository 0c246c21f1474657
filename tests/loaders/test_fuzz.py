"""No input makes loading crash: whatever the bytes, ``load_dataset`` returns a
Dataset, and every problem in it names the file it is about.

Two kinds of input: anything at all (bytes, text), which mostly tests the
outer layers (encoding, syntax, headers), and input that looks nearly right
(real section names, columns and field names with random values), which
gets past them into the cells, the model and the resolver.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from clusterkg.loaders import columns
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import COLLECTIONS, RECORD_TYPES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

FILE_NAMES = ["data.yaml", "data.json", "data.jsonl", "organizations.csv", "agreements.csv", "people.csv",
              "events.csv", "sources.csv"]


def load_one(name: str, content: bytes | str) -> Dataset:
    """Load one file holding ``content``; the dataset must come back, and name the file in every problem."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        ds = load_dataset([path])  # anything but a Dataset back (an exception) fails the test
        assert isinstance(ds, Dataset)
        for problem in ds.problems:
            assert problem.location.file == str(path), problem
            assert str(problem).startswith(str(path)), problem
            assert problem.message
        return ds


# -- anything at all -------------------------------------------------------------

_NASTY = st.sampled_from([
    "", "\ufeff", "\x00", "\r", "\n", "\r\n", '"', "'", ",", ";", "\t", "|", "[", "]", "=", "\\", "{", "}",
    ":", "- ", "? ", "&a ", "*a", "!!python/object:os.system", "%YAML 1.1\n", "---\n", "...\n", "#",
    "organizations:", "agreements:", "id,name,kind,country\n", "type,parties,source_title\n", "record",
    '{"record": "agreement"', "null", "true", "1e999", "NaN", "-", "2017-06", "P5Y", "\u2028", "\x85",
])


@settings(max_examples=150, **_SETTINGS)
@given(st.sampled_from(FILE_NAMES), st.lists(st.one_of(st.text(max_size=20), _NASTY), max_size=25).map("".join))
def test_any_text(name, content):
    load_one(name, content)


@settings(max_examples=60, **_SETTINGS)
@given(st.sampled_from(FILE_NAMES), st.binary(max_size=200))
def test_any_bytes(name, content):
    load_one(name, content)


# -- nearly right: documents ---------------------------------------------------------

_FIELDS = sorted({name for cls in RECORD_TYPES.values() for name in cls.model_fields} | {"organization", "role", "on_behalf_of", "title", "person"})
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True), st.text(max_size=12),
    st.sampled_from(["JP", "JP-14", "mou", "cluster", "2017-06", "2017-02-30", "P5Y", "link-j", "https://x.org"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_FIELDS) | st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
_RECORDS = st.dictionaries(st.sampled_from(_FIELDS), _VALUES, max_size=8)
_DOCUMENTS = st.dictionaries(
    st.sampled_from([*COLLECTIONS, "other"]), st.lists(_RECORDS, max_size=3) | _VALUES, max_size=5
)


@settings(max_examples=100, **_SETTINGS)
@given(_DOCUMENTS)
def test_nearly_right_json(document):
    load_one("data.json", json.dumps(document, allow_nan=True))


@settings(max_examples=100, **_SETTINGS)
@given(_DOCUMENTS)
def test_nearly_right_yaml(document):
    import yaml

    load_one("data.yaml", yaml.safe_dump(document, allow_unicode=True))


_KINDS = st.sampled_from([*RECORD_TYPES, "source", "Agreement", ""]) | _VALUES


@settings(max_examples=60, **_SETTINGS)
@given(st.lists(st.builds(lambda kind, record: {"record": kind, **record}, _KINDS, _RECORDS)
                | st.dictionaries(st.sampled_from(_FIELDS), _VALUES, max_size=6), max_size=5))
def test_nearly_right_jsonl(lines):
    load_one("data.jsonl", "\n".join(json.dumps(line) for line in lines))


# -- nearly right: CSV ---------------------------------------------------------------

_CELLS = st.one_of(
    st.text(max_size=15),
    st.lists(st.sampled_from(list(";|[]=\\\"\n, ") + ["ja", "org", "LINK-J", "2017", "x", "\\;", " [a]"]), max_size=8).map("".join),
)


@st.composite
def csv_files(draw) -> tuple[str, str]:
    table = draw(st.sampled_from(list(columns.TABLES.values())))
    names = draw(st.lists(st.sampled_from(table.names), min_size=1, max_size=len(table.names), unique=True))
    required = [options[0] for options in table.required if not set(options) & set(names)]
    header = [*names, *required] if draw(st.booleans()) or not required else names
    rows = draw(st.lists(st.lists(_CELLS, min_size=0, max_size=len(header) + 1), max_size=4))
    out = io.StringIO()
    import csv

    csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows([header, *rows])
    return f"{table.file}.csv", out.getvalue()


@settings(max_examples=150, **_SETTINGS)
@given(csv_files())
def test_nearly_right_csv(file):
    load_one(*file)


# -- Excel: broken workbooks ----------------------------------------------------------


def _workbook_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "organizations"
    book.active.append(["id", "name", "kind", "country"])
    book.active.append(["link-j", "LINK-J", "cluster", "JP"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_BOOK = _workbook_bytes()


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _members(book: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@st.composite
def broken_books(draw) -> bytes:
    how = draw(st.sampled_from(["bytes", "cut", "flip", "member"]))
    if how == "bytes":
        return draw(st.binary(max_size=300))
    if how == "cut":
        return _BOOK[: draw(st.integers(0, len(_BOOK) - 1))]
    if how == "flip":
        data = bytearray(_BOOK)
        for _ in range(draw(st.integers(1, 5))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    members = _members(_BOOK)
    name = draw(st.sampled_from(sorted(members)))
    members[name] = draw(st.binary(max_size=60) | st.just(members[name][: len(members[name]) // 2]))
    return _zip_of(members)


@settings(max_examples=40, **_SETTINGS)
@given(broken_books())
@example(b"")
@example(b"PK\x03\x04")
@example(_zip_of({"hello.txt": b"hi"}))
def test_broken_workbooks(content):
    ds = load_one("book.xlsx", content)
    assert ds.organizations.keys() <= {"link-j"}


@settings(max_examples=25, **_SETTINGS)
@given(st.lists(st.lists(st.one_of(_SCALARS.filter(lambda v: not isinstance(v, float) or v == v), st.datetimes(), st.dates()),
                         max_size=6), max_size=4),
       st.sampled_from(list(columns.TABLES.values())))
def test_any_cells_in_a_workbook(rows, table):
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = table.file
    sheet.append(table.names)
    try:
        for row in rows:
            sheet.append([v if not isinstance(v, int) or abs(v) < 2**53 else str(v) for v in row])
    except IllegalCharacterError:
        return  # openpyxl itself refuses to make such a workbook
    out = io.BytesIO()
    book.save(out)
    load_one("book.xlsx", out.getvalue())


# -- what fuzzing found ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["data.json", "data.jsonl"])
def test_deeply_nested_json_is_an_error_not_a_crash(name):
    ds = load_one(name, "[" * 100_000 + "]" * 100_000)
    assert not ds.valid


def test_deeply_nested_yaml_is_an_error_not_a_crash():
    ds = load_one("data.yaml", "[" * 5000 + "]" * 5000)
    assert not ds.valid


def test_a_list_as_the_kind_of_a_json_line_is_an_error_not_a_crash():
    ds = load_one("data.jsonl", '{"record": []}')
    assert not ds.valid
