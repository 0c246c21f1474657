"""Input a hostile (or unlucky) user can write, read by the loaders (issue 16, points 6-12, 15).

Each test is the repro of a probe that once crashed a later step, lost a value in
silence or ran without bound; now each gives a problem with its file, line and
field, and the other records (and files) are still read. The same inputs end to
end through the command line are in test_hostile_cli.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterkg.loaders.assemble import load_dataset
from clusterkg.loaders.csvfiles import spreadsheet_safe, spreadsheet_text
from clusterkg.loaders.documents import read_jsonl
from clusterkg.loaders.writers import write
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import Organization

ORGS = """\
organizations:
  - {id: a, name: A, kind: cluster, country: JP}
  - {id: b, name: B, kind: cluster, country: GB}
"""


def load(tmp_path: Path, files: dict[str, str | bytes]) -> Dataset:
    """Load ``files`` (and two valid organisations in orgs.yaml) from one folder."""
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, content in {"orgs.yaml": ORGS, **files}.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(textwrap.dedent(content), encoding="utf-8", newline="")
    return load_dataset([folder])


def problems(ds: Dataset, folder: Path) -> list[str]:
    return [str(p).removeprefix(f"{folder}/") for p in ds.problems]


def agreement(extra: str) -> str:
    return "agreements:\n  - {type: mou, parties: [a, b], sources: [{title: t}], " + extra + "}\n"


# -- point 6: what the build cannot represent ----------------------------------------------------

@pytest.mark.parametrize(("extra", "field", "words"), [
    ('signed: "0000"', "signed", "year 0000 out of range in '0000': dates run from 1000 to 9998"),
    ('signed: "9999-12"', "signed", "year 9999 out of range"),
    ("signed: 0000-01-01", "signed", "year 0000 out of range"),  # a YAML date Python cannot make
    ("signed: 0999-01-01", "signed", "year 0999 out of range"),  # a YAML date Python can make
    ('signed: "2017", term: P99999Y', "term", "the term P99999Y is longer than 1000 years"),
    ('signed: "2017", term: P999999999D', "term", "the term P999999999D is longer than 1000 years"),
    ('signed: "9998", term: P2Y', "term", "the term P2Y from 9998 ends after the year 9999"),
    ('signed: "2017", term: P' + "9" * 5000 + "D", "term", "expected an ISO 8601 duration"),
])
def test_dates_and_terms_the_build_cannot_count_are_refused_with_the_place(tmp_path, extra, field, words):
    ds = load(tmp_path, {"ag.yaml": agreement(extra)})
    (problem,) = ds.problems
    assert str(problem).startswith(f"{tmp_path}/in/ag.yaml:2: {field}: {words}")
    assert len(ds.organizations) == 2 and not ds.agreements


def test_the_last_dates_that_are_taken_give_an_expiry(tmp_path):
    ds = load(tmp_path, {"ag.yaml": agreement('signed: "9998-12", term: P1M')})
    assert ds.valid and next(iter(ds.agreements.values())).expires().isoformat() == "9999-01-30"  # from the last day of the month


def test_a_name_too_long_for_the_builds_own_csv_is_refused(tmp_path):
    ds = load(tmp_path, {"long.yaml": "organizations:\n  - id: c\n    kind: cluster\n    country: JP\n"
                                      f"    name: {'x' * 131_073}\n"})
    (problem,) = ds.problems
    assert str(problem) == (f"{tmp_path}/in/long.yaml:5: name: 131,073 characters long; at most 10,000 are allowed "
                            "(in organization c)")


def test_free_text_may_be_longer_than_a_name(tmp_path):
    ds = load(tmp_path, {"ag.yaml": agreement(f"notes: {'n' * 50_000}")})
    assert ds.valid
    ds = load(tmp_path, {"ag.yaml": agreement(f"notes: {'n' * 100_001}")})
    assert [p.field for p in ds.problems] == ["notes"] and "at most 100,000" in ds.problems[0].message


# -- point 7: characters no output can carry --------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "place"), [
    ("ag.yaml", agreement('notes: "a\\0b"'), "ag.yaml:2: notes: holds the control character U+0000 at character 2"),
    ("ag.yaml", agreement('title: "\\e[31m"'), "ag.yaml:2: title: holds the control character U+001B at character 1"),
    ("ag.yaml", agreement('title: "x\\uFFFE"'), "ag.yaml:2: title: holds the non-character U+FFFE at character 2"),
    ("ag.json", ('{"agreements": [\n {"type": "mou", "parties": ["a", "b"], "sources": [{"title": "t"}],\n'
                 '  "title": "\\ud800"}]}'), "ag.json:3: title: holds a lone surrogate"),
    ("ag.jsonl", '{"record": "organization", "id": "c", "name": "C\\u0007", "kind": "cluster", "country": "JP"}\n',
     "ag.jsonl:1: name: holds the control character U+0007"),
    ("organizations.csv", "id,name,kind,country\nc,C\x00,cluster,JP\n",
     "organizations.csv:2: name: holds the control character U+0000"),
])
def test_control_characters_are_refused_at_validation_with_the_place(tmp_path, name, content, place):
    ds = load(tmp_path, {name: content})
    assert str(ds.problems[0]).removeprefix(f"{tmp_path}/in/").startswith(place), ds.problems
    assert len(ds.organizations) == 2


def test_tabs_and_line_breaks_are_text(tmp_path):
    ds = load(tmp_path, {"ag.yaml": agreement('notes: "one\\tcolumn\\r\\nand a line"')})
    assert ds.valid


# -- point 8: JSON Lines split at \n only -------------------------------------------------------------

def test_jsonl_keeps_unicode_line_separators_inside_text(tmp_path):
    path = tmp_path / "r.jsonl"
    name = "Line\u2028Para\u2029Next\x85End"
    path.write_text(json.dumps({"record": "organization", "id": "c", "name": name, "kind": "cluster",
                                "country": "JP"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (raw,) = read_jsonl(path)
    assert raw.data["name"] == name


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"
                              + "".join(map(chr, [*range(9), 11, 12, *range(14, 32)]))),
                min_size=1, max_size=30).map(str.strip).filter(bool)


@settings(max_examples=100, deadline=None)
@given(name=_TEXT, aliases=st.lists(_TEXT, max_size=3, unique=True), notes=_TEXT)
def test_records_jsonl_round_trips_any_text(tmp_path_factory, name, aliases, notes):
    # the records.jsonl of a build, and `load neo4j` / `export neo4j-import` / a rebuild read it back
    org = Organization(id="c", name=name, aliases=aliases, description=notes, kind="cluster", country="JP")
    path = tmp_path_factory.mktemp("jsonl") / "records.jsonl"
    write([org], path, "jsonl")
    ds = load_dataset([path])
    assert ds.valid, ds.problems
    assert ds.organizations["c"] == org


# -- point 9: integers Python will not read -------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "place"), [
    ("big.yaml", "organizations:\n  - id: c\n    name: " + "1" * 5000 + "\n", "big.yaml:3: not valid YAML: an integer of 5,000 digits"),
    ("big.json", '{"organizations": [\n {"id": "c",\n  "name": ' + "1" * 5000 + "}]}",
     "big.json:3: not valid JSON: an integer of 5,000 digits"),
    ("big.jsonl", '{"record": "organization", "id": "c", "name": "C", "kind": "cluster", "country": "JP"}\n'
                  '{"record": "organization", "id": "d", "name": ' + "1" * 5000 + "}\n",
     "big.jsonl:2: not valid JSON: an integer of 5,000 digits"),
])
def test_an_integer_of_more_than_4300_digits_is_a_message_and_the_rest_still_reads(tmp_path, name, content, place):
    ds = load(tmp_path, {name: content})
    assert problems(ds, tmp_path / "in") == [place + ": at most 4,300 are read (quote it if it is text)"]
    assert set(ds.organizations) >= {"a", "b"}  # the other file is read
    if name.endswith(".jsonl"):
        assert "c" in ds.organizations  # and the other lines of this one


# -- point 11: keys given twice, formulas, sets ----------------------------------------------------

def test_keys_given_twice_are_reported_with_their_lines(tmp_path):
    ds = load(tmp_path, {
        "dup.yaml": """\
            agreements:
              - type: mou
                parties: [a, b]
                signed: "2017"
                signed: "2018"
                sources: [{title: t, title: u}]
            """,
        "dup.json": '{"organizations": [{"id": "c", "name": "C", "kind": "cluster",\n "country": "JP", "name": "D"}]}',
        "dup.jsonl": '{"record": "organization", "id": "e", "id": "f", "name": "E", "kind": "cluster", "country": "JP"}\n',
    })
    assert problems(ds, tmp_path / "in") == [
        "dup.json:2: name: 'name' is given twice in one mapping (first at line 1); only one would be read: keep one",
        "dup.jsonl:1: id: 'id' is given twice in one mapping; only one would be read: keep one",
        "dup.yaml:5: signed: 'signed' is given twice in one mapping (first at line 4); only one would be read: keep one",
        "dup.yaml:6: sources[0].title: 'title' is given twice in one mapping; only one would be read: keep one",
    ]
    assert set(ds.organizations) == {"a", "b"} and not ds.agreements


def test_a_section_given_twice_is_reported(tmp_path):
    ds = load(tmp_path, {"dup.yaml": "organizations:\n  - {id: c, name: C, kind: cluster, country: JP}\n"
                                     "organizations:\n  - {id: d, name: D, kind: cluster, country: JP}\n"})
    assert problems(ds, tmp_path / "in") == [
        "dup.yaml:3: 'organizations' is given twice in one mapping (first at line 1); only one would be read: keep one"]


def test_yaml_merge_keys_are_no_duplicates(tmp_path):
    ds = load(tmp_path, {"merge.yaml": """\
        agreements:
          - &base {type: mou, parties: [a, b], sources: [{title: t}], signed: "2017"}
          - <<: *base
            signed: "2018"
        """})
    assert ds.valid and len(ds.agreements) == 2


def test_a_yaml_set_is_refused(tmp_path):
    ds = load(tmp_path, {"set.yaml": "agreements:\n  - type: mou\n    parties: !!set {a, b}\n"})
    assert problems(ds, tmp_path / "in") == [
        ("set.yaml:3: not valid YAML: a set (!!set) has no order, so what is built from it would change from run "
         "to run; write a list")]


def test_a_formula_without_a_saved_value_is_reported(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "organizations"
    sheet.append(["id", "name", "kind", "country"])
    sheet.append(["c", "=UPPER(A2)", "cluster", "JP"])  # openpyxl saves formulas without their values
    sheet.append(["d", "D", "cluster", "JP"])
    book.save(tmp_path / "book.xlsx")
    ds = load_dataset([tmp_path / "book.xlsx"])
    assert str(ds.problems[0]) == (
        f"{tmp_path}/book.xlsx[organizations]:2: name: holds a formula with no value saved with it ('=UPPER(A2)'): "
        "the program that wrote the workbook did not compute it; open and save the workbook in Excel or "
        "LibreOffice, or type the value (in organization c)")
    assert set(ds.organizations) == {"d"}


# -- point 12: bounded resources --------------------------------------------------------------------

LAUGHS = "".join(  # nine nested anchors, 9**9 strings once expanded: 637 bytes, as in the issue
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9 if p else ['lol'] * 9)}]\n"
    for p, k in zip(["", *"abcdefgh"], "abcdefghi")
) + "agreements: [*i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i, *i]\n"
LAUGHS += "#" * (636 - len(LAUGHS)) + "\n"


def peak_rss_mb(script: str) -> float:
    """The peak resident memory (MB) of a fresh Python running ``script``, as that process reports it.

    Read inside the child from /proc/self/status (VmHWM, the high-water mark of its own memory
    map). Neither RUSAGE_CHILDREN in the test process (the largest child the whole run has
    waited for) nor the child's RUSAGE_SELF will do: Linux keeps ru_maxrss across exec, so a
    child forked from a large pytest process starts with pytest's size.
    """
    report = ("\nfor line in open('/proc/self/status'):\n"
              "    if line.startswith('VmHWM:'):\n"
              "        print('peak-kb', line.split()[1])")
    done = subprocess.run([sys.executable, "-c", script + report], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    kilobytes = int(done.stdout.strip().splitlines()[-1].split()[-1])
    return kilobytes / 1024


def test_nine_nested_anchors_are_refused_quickly_and_in_little_memory(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    assert len(LAUGHS) == 637
    ds = load_dataset([path])
    (problem,) = ds.problems
    assert str(problem).startswith(f"{path}:9: not valid YAML: aliases repeat the value that starts here")
    assert "at most 100,000 may be repeated; write the values out" in str(problem)
    peak = peak_rss_mb(f"from clusterkg.loaders.assemble import load_dataset; load_dataset([{str(path)!r}])")
    assert peak < 500


def test_an_alias_loop_is_refused(tmp_path):
    ds = load(tmp_path, {"loop.yaml": "agreements: &x [*x]\n"})
    assert problems(ds, tmp_path / "in") == ["loop.yaml:1: not valid YAML: an alias refers to the value that holds it (a loop)"]


def test_a_few_aliases_are_fine(tmp_path):
    ds = load(tmp_path, {"alias.yaml": """\
        agreements:
          - {type: mou, parties: [a, b], signed: "2017", sources: &src [{title: One release}]}
          - {type: loi, parties: [a, b], signed: "2017", sources: *src}
        """})
    assert ds.valid and len(ds.agreements) == 2


def test_messages_quote_values_cut_short(tmp_path):
    ds = load(tmp_path, {"ag.yaml": agreement(f"id: {'X' * 200_000}, type: {'t' * 200_000}")})
    assert ds.problems and all(len(str(p)) < 1_500 for p in ds.problems), [len(str(p)) for p in ds.problems]


HOSTILE_MB = {  # inputs just under 1 MB that once ran long or large
    "many unknown fields.yaml": lambda: "agreements:\n" + "".join(
        f"  - {{type: mou, parties: [a, b], {', '.join(f'f{i}_{j}: v' for j in range(50))}}}\n" for i in range(1_300)),
    "one long name.yaml": lambda: "organizations:\n  - {id: c, kind: cluster, country: JP, name: " + "x" * 1_000_000 + "}\n",
    "deep lists.json": lambda: '{"agreements": ' + "[" * 400_000 + "]" * 400_000 + "}",
    "many records.jsonl": lambda: "".join(
        json.dumps({"record": "agreement", "type": "mou", "parties": ["a", "b"], "signed": f"{2000 + i % 20}",
                    "sources": [{"title": f"release {i}"}]}) + "\n" for i in range(7_000)),
    "agreements.csv": lambda: "type,parties,source_title\n" + "mou,a;b,=HYPERLINK(\"x\")\n" * 40_000,
    "long cell.csv": lambda: "id,name,kind,country\n" + "c," + "y" * 1_000_000 + ",cluster,JP\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_MB))
def test_any_input_under_a_megabyte_validates_in_bounded_memory(tmp_path, name):
    # The time (under 5 s each) is measured by benchmarks/hostile_inputs.py, not asserted here.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "orgs.yaml").write_text(ORGS, encoding="utf-8")
    file = folder / name.replace(" ", "-")
    if name == "long cell.csv":
        file = folder / "organizations.csv"
    file.write_text(HOSTILE_MB[name](), encoding="utf-8")
    assert file.stat().st_size < 1_100_000
    script = (f"from clusterkg.loaders.assemble import load_dataset; ds = load_dataset([{str(folder)!r}]); "
              "print(len(ds.problems), sum(len(str(p)) for p in ds.problems))")
    assert peak_rss_mb(script) < 500


# -- point 15: CSV cells a spreadsheet would run -------------------------------------------------------

@given(st.text(max_size=20) | st.sampled_from(["=1+1", "-5", "-x", "+3", "@SUM(A1)", "\tx", "\rx", "'=x", "''", "'", "-inf"]))
def test_spreadsheet_safe_cells_read_back_as_written(cell):
    safe = spreadsheet_safe(cell)
    assert spreadsheet_text(safe) == cell
    if safe[:1] in ("=", "+", "-", "@", "\t", "\r"):
        float(safe)  # only a number may start so


def test_the_csv_writer_neutralises_formulas_and_reads_them_back(tmp_path):
    org = Organization(id="c", name='=HYPERLINK("http://example.com","click")', aliases=["-5", "@x", "'=y"],
                       kind="cluster", country="JP")
    write([org], tmp_path, "csv")
    text = (tmp_path / "organizations.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://example.com"",""click"")"' in text and ",'-5; @x; '=y," in text
    ds = load_dataset([tmp_path])
    assert ds.organizations["c"] == org


def test_a_hand_written_negative_number_is_not_touched(tmp_path):
    assert spreadsheet_safe("-0.25") == "-0.25" and spreadsheet_text("-0.25") == "-0.25"
    assert spreadsheet_safe("@home") == "'@home" and spreadsheet_text("'@home") == "@home"


def test_a_workbook_that_unpacks_a_hundred_times_its_size_is_not_read(tmp_path, monkeypatch):
    import zipfile

    from clusterkg.loaders import excel

    monkeypatch.setattr(excel, "UNPACKED_FLOOR", 1_000_000)  # the real floor is 50 MB: a smaller bomb will do
    book = openpyxl.Workbook()
    book.active.title = "organizations"
    book.active.append(["id", "name", "kind", "country"])
    book.save(tmp_path / "plain.xlsx")
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as plain, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name in plain.namelist():
            data = plain.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>" * 60_000
                                    + b"</sheetData>")
            bomb.writestr(name, data)
    ds = load_dataset([path])
    (problem,) = ds.problems
    assert str(problem).startswith(f"{path}: not read: this workbook of ") and "times its size" in str(problem)


def test_closest_names_are_searched_for_the_first_300_unknown_names_only(tmp_path):
    # a fuzzy search over every known name each: a file of unknown names took minutes
    rows = "".join(f"mou,a; Unknown {i},2019,Release {i}\n" for i in range(400))
    ds = load(tmp_path, {"agreements.csv": "type,parties,signed,source_title\n" + rows})
    messages = [p.message for p in ds.problems]
    assert len(messages) == 400 and all(m.startswith("unknown organisation 'Unknown ") for m in messages)
    assert sum("; closest known: " in m for m in messages) == 300
