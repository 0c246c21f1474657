"""No input makes loading crash: whatever the bytes, ``load_dataset`` returns a
Dataset, and every problem in it names the file it is about.

Two kinds of input: anything at all (bytes, text), which mostly tests the
outer layers (encoding, syntax, headers), and input that looks nearly right
(real section names, columns and field names with random values), which
gets past them into the cells, the model and the resolver.
"""

from __future__ import annotations

import datetime as dt
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


# -- hostile values (issue 16): what validates must also build ---------------------------------------
#
# Values that once got past validation and crashed a later step, or read wrongly: dates and terms the
# calendar cannot count, very long text, control characters, lone surrogates, Unicode line
# separators, integers of thousands of digits, keys given twice, YAML anchors, tags and sets,
# formulas. Whatever comes back, every problem names its file, and every record that validates can
# be written as the build writes it (records.jsonl, read back the same) and as a workbook.

_HOSTILE_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["\x00", "\x07", "\x1b[31m", "\ufffe", "\uffff", "\u2028", "\u2029", "\x85", "\t", "\r\n", "\ud800",
                     "=HYPERLINK(\"http://x\",\"y\")", "-1+2", "@SUM(A1)", "+", "'", "''=x", "0000", "9999-12", "9998-12",
                     "0000-01-01", "2017-02-30", "1000", "P99999Y", "P999999999D", "P1000Y", "P1001Y", "PT99999999H",
                     "P0D", "link-j", "JP", "mou", "cluster"]),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "\u00e9", "\x00", ";", "-"]), st.integers(9_990, 10_010)),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "9"]), st.integers(131_000, 131_100)),
).map(lambda s: s.replace("\ud800", "\\ud800"))  # a lone surrogate travels as its JSON escape
_DATE_TEXT = st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32))
_FIELD_NAMES = st.sampled_from(["id", "name", "kind", "country", "type", "parties", "signed", "term", "end", "start",
                                "title", "notes", "aliases", "sources", "description", "evidence", "record", "url"])


def _json_scalar(value: str) -> str:
    return json.dumps(value).replace("\\\\ud800", "\\ud800")


_RAW_JSON = st.one_of(
    _HOSTILE_TEXT.map(_json_scalar),
    _DATE_TEXT.map(json.dumps),
    st.integers(4_290, 4_310).map(lambda n: "7" * n),  # an integer at the edge of what Python reads
    st.sampled_from(["1e999", "-0", "null", "true", '["a", "b"]', '{"title": "t", "title": "u"}', "[]", "{}"]),
)


@st.composite
def _raw_object(draw, kind: str | None = None) -> str:
    """A JSON object as text, keys possibly given twice, values possibly no JSON library would make."""
    pairs = draw(st.lists(st.tuples(_FIELD_NAMES, _RAW_JSON), max_size=7))
    base = {"organization": [("id", '"x"'), ("name", '"X"'), ("kind", '"cluster"'), ("country", '"JP"')][:draw(st.integers(0, 4))],
            "agreement": [("type", '"mou"'), ("parties", '["a", "b"]'), ("sources", '[{"title": "t"}]')]}
    if kind is not None:
        pairs = [("record", json.dumps(kind)), *base[kind], *pairs] if draw(st.booleans()) else [*base[kind], *pairs]
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in pairs) + "}"


_ORGS_JSON = '{"record": "organization", "id": "a", "name": "A", "kind": "cluster", "country": "JP"}\n' \
             '{"record": "organization", "id": "b", "name": "B", "kind": "cluster", "country": "GB"}\n'


def load_and_write(name: str, content: bytes | str) -> Dataset:
    """:func:`load_one`, then every valid record written as the build writes it, read back the same."""
    ds = load_one(name, content)
    records = [record for _, record in ds.records()]
    if records:
        from clusterkg.loaders.writers import write

        with tempfile.TemporaryDirectory() as tmp:
            write(records, Path(tmp) / "records.jsonl", "jsonl")
            again = load_dataset([Path(tmp) / "records.jsonl"])
            assert again.valid, again.problems
            assert [r for _, r in again.records()] == records
            write(records, Path(tmp) / "book.xlsx", "xlsx")  # the other format that cannot hold everything
    return ds


@settings(max_examples=100, **_SETTINGS)
@given(st.lists(_raw_object("organization"), max_size=3), st.lists(_raw_object("agreement"), max_size=3))
def test_hostile_json(organizations, agreements):
    text = '{"organizations": [{"id": "a", "name": "A", "kind": "cluster", "country": "JP"}, ' \
           '{"id": "b", "name": "B", "kind": "cluster", "country": "GB"}' + "".join(", " + o for o in organizations) + \
           '],\n "agreements": [' + ",\n".join(agreements) + "]}"
    load_and_write("data.json", text)


@settings(max_examples=100, **_SETTINGS)
@given(st.lists(_raw_object("organization") | _raw_object("agreement") | _HOSTILE_TEXT, max_size=5))
def test_hostile_jsonl(lines):
    load_and_write("data.jsonl", _ORGS_JSON + "\n".join(lines))


_YAML_SCALARS = st.one_of(
    _HOSTILE_TEXT.map(lambda s: json.dumps(s).replace("\\\\ud800", "\\ud800")),  # a JSON string is a YAML string
    _DATE_TEXT,  # unquoted: a YAML date, or text when Python has no such day
    st.integers(4_290, 4_310).map(lambda n: "7" * n),
    st.sampled_from(["!!set {a, b}", "!!binary aGVsbG8=", "!!omap [a: 1]", "!!python/object:os.system x", "*a",
                     "&a [1, 2]", "!!int 12", "!!timestamp 0000-01-01", "1:30:00", "0x1F", "~", "NO", "yes", ".inf",
                     "[*a, *a, *a]", "{<<: *a}", "!!str 7", "!custom x"]),
)


@st.composite
def _yaml_documents(draw) -> str:
    lines = ["organizations:", "  - {id: a, name: A, kind: cluster, country: JP}",
             "  - {id: b, name: B, kind: cluster, country: GB}"]
    if draw(st.booleans()):  # nested anchors: each repeats the one before nine times
        depth = draw(st.integers(1, 9))
        lines[:0] = [f"x{k}: &x{k} [{', '.join([f'*x{k - 1}'] * 9 if k else ['v'] * 9)}]" for k in range(depth)]
    lines.append("agreements:")
    for _ in range(draw(st.integers(0, 3))):
        lines.append("  - type: mou\n    parties: [a, b]\n    sources: [{title: t}]")
        for key, value in draw(st.lists(st.tuples(_FIELD_NAMES, _YAML_SCALARS), max_size=5)):
            lines.append(f"    {key}: {value}")
    return "\n".join(lines) + "\n"


@settings(max_examples=100, **_SETTINGS)
@given(_yaml_documents())
def test_hostile_yaml(text):
    load_and_write("data.yaml", text)


_CSV_CELLS = st.one_of(_HOSTILE_TEXT, _DATE_TEXT, st.sampled_from(["a; b", "a;b;a", "link-j [host]", "ja=名前", "\\;"]))


@settings(max_examples=100, **_SETTINGS)
@given(st.sampled_from(["organizations", "agreements"]), st.lists(st.lists(_CSV_CELLS, min_size=4, max_size=5), max_size=4))
def test_hostile_csv(table, rows):
    import csv

    header = {"organizations": ["id", "name", "kind", "country", "aliases"],
              "agreements": ["type", "parties", "signed", "term", "source_title"]}[table]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    load_and_write(f"{table}.csv", out.getvalue().replace("\\ud800", "\ud800").encode("utf-8", "surrogatepass"))


@settings(max_examples=100, **_SETTINGS)
@given(st.sampled_from(["organizations", "agreements"]),
       st.lists(st.lists(st.one_of(_HOSTILE_TEXT, st.sampled_from(["=1+1", "=A2", "=UPPER(\"x\")", "=NOW()", "=1/0"]),
                                   st.integers(-(2**53), 2**53), st.floats(allow_nan=False),
                                   st.datetimes(min_value=dt.datetime(1900, 3, 1))),
                         min_size=4, max_size=5), max_size=4))
def test_hostile_workbook(table, rows):
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    header = {"organizations": ["id", "name", "kind", "country", "aliases"],
              "agreements": ["type", "parties", "signed", "term", "source_title"]}[table]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = table
    sheet.append(header)
    try:
        for row in rows:
            sheet.append(row)  # text starting with '=' is a formula, saved without a value
    except IllegalCharacterError:
        return  # openpyxl itself refuses to make such a workbook
    out = io.BytesIO()
    book.save(out)
    load_and_write("book.xlsx", out.getvalue())
