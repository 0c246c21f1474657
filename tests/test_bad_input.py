"""Bad input, end to end through the command line (issue 2, point 5).

Every kind of broken input gets the same three checks: ``clusterkg validate``
prints each problem as ``file:line: field: what is wrong`` at the right place
(rows for CSV and Excel) and a summary, and exits 1; ``clusterkg build`` refuses
it and writes nothing; ``clusterkg build --skip-invalid`` builds from the valid
records, lists the rejected ones with their reasons in OUT/rejected.jsonl and
loses nothing valid. Never a traceback. Line numbers are counted by hand in the
texts below.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from clusterkg.cli import main

BAD_INPUT = Path(__file__).resolve().parents[0] / "fixtures" / "bad_input"
ORGANIZATIONS = (BAD_INPUT / "organizations.yaml").read_text(encoding="utf-8")
# Lines 2-5 of every agreements.yaml below; a bad record after it starts on line 6.
VALID = (BAD_INPUT / "valid-agreement.txt").read_text(encoding="utf-8")


def agreements(bad: str = "") -> str:
    return "agreements:\n" + VALID + textwrap.indent(textwrap.dedent(bad), "  ")


AGREEMENTS_CSV_HEADER = "id,type,parties,signed,end,source_title,source_publisher\n"
CSV_ROW = "a1,mou,LINK-J; Kanagawa Prefecture,2020-09-18,,LINK-J and Kanagawa sign,LINK-J\n"


def workbook(*sheets: tuple[str, list[list]]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(path)

    return make


ORG_COLUMNS = ["id", "name", "aliases", "kind", "country"]
AGREEMENT_COLUMNS = ["id", "type", "parties", "signed", "source_title"]


@dataclass
class Case:
    """Files (besides 00-organizations.yaml, and agreements.yaml with one valid agreement,
    unless replaced), the problems expected as (place, field, words in the message), and
    what stays valid."""

    files: dict[str, str | bytes | Callable[[Path], None]]
    problems: list[tuple[str, str | None, str]]
    organizations: int = 4
    agreements: int = 1
    rejected: int = 0  # rejected records; file-level problems are counted from `problems`
    file_level: int = 0


CASES: dict[str, Case] = {
    "bad YAML": Case(
        {"agreements.yaml": agreements("""\
            - type: mou
              parties: [LINK-J, Kanagawa Prefecture
              signed: "2017"
            """)},
        [("agreements.yaml:8", None, "not valid YAML")],
        agreements=0, file_level=1,  # a file that cannot be parsed gives no records
    ),
    "YAML not in UTF-8": Case(
        {"agreements.yaml": agreements("""\
            - type: mou
              parties: [LINK-J, Kanagawa Prefecture]
              signed: "2015-11"
              sources: [{title: Coopération, publisher: Région}]
            """).encode("latin-1")},
        [("agreements.yaml:9", None, "not UTF-8 text (byte 0xe9")],
        agreements=0, file_level=1,
    ),
    "CSV not in UTF-8": Case(
        {"agreements.csv": (AGREEMENTS_CSV_HEADER + CSV_ROW
                            + "a2,mou,LINK-J; Kanagawa,2021,,Coopération régionale,Région\n").encode("cp1252")},
        [("agreements.csv:3", None, "not UTF-8 text (byte 0xe9")],
        agreements=1, file_level=1,
    ),
    "truncated CSV": Case(
        {"agreements.csv": AGREEMENTS_CSV_HEADER + CSV_ROW + 'a2,mou,"LINK-J; Kanag'},
        [("agreements.csv:3", None, "is not closed by the end of the file")],
        agreements=2, file_level=1,  # the rows before the cut are kept
    ),
    "empty Excel sheet": Case(
        {"book.xlsx": workbook(
            ("organizations", [ORG_COLUMNS, ["one-nucleus", "One Nucleus", "", "cluster", "GB"]]),
            ("agreements", []),
        )},
        [("book.xlsx[agreements]", None, "sheet 'agreements' is empty")],
        organizations=5, file_level=1,  # the other sheet is still read
    ),
    "duplicate id": Case(
        {"zz-more.yaml": """\
            organizations:
              - {id: link-j, name: Link Japan Inc., kind: company, country: US}
            """},
        [("zz-more.yaml:2", "id", "duplicate id 'link-j': a different organization has it at {dir}/00-organizations.yaml:2")],
        rejected=1,
    ),
    "duplicate id in CSV rows": Case(
        {"agreements.csv": AGREEMENTS_CSV_HEADER + CSV_ROW
         + "a1,loi,LINK-J; Kanagawa Prefecture,2020-09-18,,Another release,LINK-J\n"},
        [("agreements.csv:3", "id", "duplicate id 'a1': a different agreement has it at {dir}/agreements.csv:2")],
        agreements=2, rejected=1,
    ),
    "party listed twice": Case(
        {"agreements.yaml": agreements("""\
            - type: mou
              parties: [LINK-J, LINK-J, Kanagawa Prefecture]
              sources: [{title: A release}]
            """)},
        [("agreements.yaml:7", "parties[1]", "'LINK-J' is listed twice")],
        rejected=1,
    ),
    "party listed twice by id and alias": Case(
        {"agreements.yaml": agreements("""\
            - type: mou
              parties: [kanagawa-prefecture, LINK-J, Kanagawa]
              sources: [{title: A release}]
            - type: mou
              parties: [link-j, 神奈川県, Life Science Innovation Network Japan]
              sources: [{title: Another release}]
            """)},
        [
            ("agreements.yaml:7", "parties[2]",
             "'Kanagawa' is listed twice: it is the same organisation (kanagawa-prefecture) as 'kanagawa-prefecture'"),
            ("agreements.yaml:10", "parties[2]",
             "'Life Science Innovation Network Japan' is listed twice: it is the same organisation (link-j) as 'link-j'"),
        ],
        rejected=2,
    ),
    "end before signing": Case(
        {"agreements.yaml": agreements("""\
            - type: mou
              parties: [LINK-J, Kanagawa Prefecture]
              signed: "2020-09-18"
              term: P5Y
              end: "2020-08"
              sources: [{title: A release}]
            """)},
        [("agreements.yaml:10", "end", "2020-08 is before the signing date 2020-09-18")],
        rejected=1,
    ),
    "unknown party": Case(
        {"agreements.yaml": agreements("""\
            - type: mou
              parties: [LINK-J, Kanagawa Pref]
              sources: [{title: A release}]
            """)},
        [("agreements.yaml:7", "parties[1]",
          "unknown organisation 'Kanagawa Pref'; closest known: 'Kanagawa' (kanagawa-prefecture), ")],
        rejected=1,
    ),
    "unknown party in an Excel row": Case(
        {"book.xlsx": workbook(
            ("Notes", [["anything"]]),  # other sheets are left alone
            ("agreements", [
                AGREEMENT_COLUMNS,
                ["x1", "mou", "LINK-J; Kanagawa Prefecture", "2019", "Release"],
                [],  # a blank row keeps its number
                ["x2", "mou", "LINK-J; Kanagawa Pref", "2019", "Release"],
            ]),
        )},
        [("book.xlsx[agreements]:4", "parties[1]", "unknown organisation 'Kanagawa Pref'; closest known: 'Kanagawa' (kanagawa-prefecture), ")],
        agreements=2, rejected=1,
    ),
    "ambiguous name": Case(
        {"agreements.yaml": agreements("""\
            - type: collaboration
              parties: [Kanagawa, UCL]
              sources: [{title: A release}]
            """)},
        [("agreements.yaml:7", "parties[1]",
          "'UCL' is ambiguous: it names 'University College London' (ucl), 'Université catholique de Louvain' (uclouvain)")],
        rejected=1,
    ),
    "invalid country code": Case(
        {"zz-more.yaml": """\
            organizations:
              - id: one-nucleus
                name: One Nucleus
                kind: cluster
                country: Narnia
            """},
        [("zz-more.yaml:5", "country", "'Narnia' is not an ISO 3166-1 alpha-2 country code")],
        rejected=1,
    ),
    "invalid country code in a CSV row": Case(
        {"organizations.csv": "id,name,kind,country\none-nucleus,One Nucleus,cluster,GB\nmedcity,MedCity,cluster,EN\n"},
        [("organizations.csv:3", "country", "'EN' is not an ISO 3166-1 alpha-2 country code")],
        organizations=5, rejected=1,
    ),
    "unknown agreement type": Case(
        {"agreements.yaml": agreements("""\
            - type: treaty
              parties: [LINK-J, Kanagawa Prefecture]
              sources: [{title: A release}]
            """)},
        [("agreements.yaml:6", "type", "'mou', 'loi', 'moc', 'collaboration'")],
        rejected=1,
    ),
    "agreement without a source": Case(
        {"agreements.yaml": agreements("""\
            - type: mou
              parties: [LINK-J, Kanagawa Prefecture]
              signed: "2016"
            - type: mou
              parties: [LINK-J, Kanagawa Prefecture]
              signed: "2017"
              sources: []
            """)},
        [
            ("agreements.yaml:6", "sources", "required field is missing"),
            ("agreements.yaml:12", "sources", "at least 1 item"),
        ],
        rejected=2,
    ),
    "three bad records": Case(
        {"agreements.yaml": agreements("""\
            - type: mou
              parties: [LINK-J, Kanagawa Pref]
              sources: [{title: One}]
            - type: mou
              parties: [LINK-J, UCL]
              sources: [{title: Two}]
            - type: mou
              parties: [LINK-J, Kanagawa Prefecture]
              signed: "2021-03"
              end: "2020"
              sources: [{title: Three}]
            """)},
        [
            ("agreements.yaml:7", "parties[1]", "unknown organisation 'Kanagawa Pref'"),
            ("agreements.yaml:10", "parties[1]", "'UCL' is ambiguous"),
            ("agreements.yaml:15", "end", "2020 is before the signing date 2021-03"),
        ],
        rejected=3,
    ),
}


def make_inputs(folder: Path, case: Case) -> Path:
    folder.mkdir()
    files: dict = {"00-organizations.yaml": ORGANIZATIONS, "agreements.yaml": agreements(), **case.files}
    for name, content in files.items():
        path = folder / name
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_no_traceback(result):
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def expected_lines(folder: Path, case: Case) -> list[tuple[str, str]]:
    """(the start every line must have, words it must hold) for each expected problem."""
    out = []
    for place, field_, words in case.problems:
        start = f"{folder}/{place}: " + (f"{field_}: " if field_ else "")
        out.append((start, words.format(dir=folder)))
    return out


def matches(lines: list[str], folder: Path, case: Case) -> None:
    """Each expected problem is on exactly one line, and there is no other."""
    expected = expected_lines(folder, case)
    assert len(lines) == len(expected), "\n".join(lines)
    for start, words in expected:
        hits = [line for line in lines if line.startswith(start) and words in line]
        assert len(hits) == 1, f"{start}...{words} not in:\n" + "\n".join(lines)


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request, tmp_path):
    case = CASES[request.param]
    return case, make_inputs(tmp_path / "in", case)


def test_validate_prints_every_problem_at_its_place_and_a_summary(case):
    case, folder = case
    result = run("validate", folder)
    assert_no_traceback(result)
    assert result.exit_code == 1
    *lines, summary = result.stdout.strip().splitlines()
    matches(lines, folder, case)
    n = len(case.problems)
    assert summary.startswith(f"invalid: {n} problem{'s' * (n != 1)} in {case.rejected} rejected record")
    if case.file_level:
        assert f"{case.file_level} file-level problem" in summary
    assert summary.endswith(f"valid: {case.organizations} organization{'s' * (case.organizations != 1)}, "
                            f"0 people, 0 programmes, 0 events, {case.agreements} agreement"
                            f"{'s' * (case.agreements != 1)}")


def test_validate_json_gives_the_same_places(case):
    case, folder = case
    result = run("validate", folder, "--format", "json")
    assert_no_traceback(result)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert len(problems) == len(case.problems)
    for problem in problems:
        assert problem["file"].startswith(str(folder)) and problem["message"]


def test_build_refuses_and_writes_nothing(case, tmp_path):
    case, folder = case
    out = tmp_path / "out"
    result = run("build", folder, "-o", out)
    assert_no_traceback(result)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == f"error: {len(case.problems)} problem{'s' * (len(case.problems) != 1)} in the input; nothing was written"
    matches([line for line in lines[:-1] if line.startswith(str(folder))], folder, case)
    assert not out.exists()
    assert result.stdout == ""


def test_build_skip_invalid_keeps_every_valid_record(case, tmp_path):
    case, folder = case
    out = tmp_path / "out"
    result = run("build", folder, "-o", out, "--skip-invalid")
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    matches([line for line in result.stderr.splitlines() if line.startswith(str(folder))], folder, case)
    assert f"skipped {case.rejected} invalid record" in result.stderr

    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    counts = Counter(r["record"] for r in records)
    assert counts == Counter({"organization": case.organizations, "agreement": case.agreements}) - Counter()
    assert f"records: {case.organizations} organization, 0 person, 0 programme, 0 event, {case.agreements} agreement" \
        in result.stdout

    rejected = [json.loads(line) for line in (out / "rejected.jsonl").read_text(encoding="utf-8").splitlines()]
    file_level = [r for r in rejected if "record" not in r]
    by_record = [r for r in rejected if "record" in r]
    assert len(file_level) == case.file_level and len(by_record) == case.rejected
    for entry in file_level:
        assert entry["file"].startswith(str(folder)) and entry["problems"]
    for entry in by_record:
        assert entry["location"].startswith(str(folder))
        assert entry["record"] in {"organization", "agreement"} and isinstance(entry["data"], dict)
        assert entry["problems"]
    # every reason printed is in the file, with the record it belongs to
    reasons = [p for entry in rejected for p in entry["problems"]]
    matches(reasons, folder, case)


def test_skip_invalid_rejected_records_carry_their_data(tmp_path):
    folder = make_inputs(tmp_path / "in", CASES["three bad records"])
    out = tmp_path / "out"
    assert run("build", folder, "-o", out, "--skip-invalid").exit_code == 0
    rejected = [json.loads(line) for line in (out / "rejected.jsonl").read_text(encoding="utf-8").splitlines()]
    by_place = {r["location"]: r for r in rejected}
    assert sorted(by_place) == [f"{folder}/agreements.yaml:{n}" for n in (12, 6, 9)]  # sorted as text
    assert [by_place[f"{folder}/agreements.yaml:{n}"]["data"]["sources"] for n in (6, 9, 12)] == [
        [{"title": t}] for t in ("One", "Two", "Three")
    ]
    # as written, to be fixed and loaded again
    assert by_place[f"{folder}/agreements.yaml:6"]["data"]["parties"] == ["LINK-J", "Kanagawa Pref"]
    (agreement,) = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()
                    if json.loads(line)["record"] == "agreement"]
    assert agreement["id"] == "mou-kanagawa-prefecture-link-j-2020-09-18"


def test_every_problem_of_one_record_is_reported(tmp_path):
    # issue 2, point 2: "validation that reports every problem of a record, not only the first"
    folder = make_inputs(tmp_path / "in", Case({"agreements.yaml": agreements("""\
        - type: mou
          parties: [LINK-J, LINK-J]
          signed: "2020-09-18"
          end: "2020-08"
          sources: []
        """)}, []))
    result = run("validate", folder)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    for place in ("agreements.yaml:7: parties[1]: 'LINK-J' is listed twice",
                  "agreements.yaml:9: end: 2020-08 is before the signing date 2020-09-18",
                  "agreements.yaml:10: sources: "):
        assert any(line.startswith(f"{folder}/{place}") for line in lines), result.stdout
    assert lines[-1].startswith("invalid: 3 problems in 1 rejected record")


def test_problems_are_listed_in_input_order(tmp_path):
    # Dataset.problems: "file-level first, then by record in input order"
    folder = make_inputs(tmp_path / "in", CASES["three bad records"])
    (folder / "zz-more.yaml").write_text(textwrap.dedent(CASES["invalid country code"].files["zz-more.yaml"]))
    (folder / "broken.yaml").write_text(textwrap.dedent(CASES["bad YAML"].files["agreements.yaml"]))
    result = run("validate", folder)
    places = [line.split(": ")[0].removeprefix(f"{folder}/") for line in result.stdout.splitlines()[:-1]]
    assert places == ["broken.yaml:8", "agreements.yaml:7", "agreements.yaml:10", "agreements.yaml:15",
                      "zz-more.yaml:5"]


def test_valid_input_exits_0(tmp_path):
    folder = make_inputs(tmp_path / "in", Case({
        "agreements.csv": AGREEMENTS_CSV_HEADER + CSV_ROW,
        "book.xlsx": workbook(
            ("organizations", [ORG_COLUMNS, ["one-nucleus", "One Nucleus", "", "cluster", "GB"]]),
            ("agreements", [AGREEMENT_COLUMNS, ["on-1", "mou", "One Nucleus; LINK-J", "2017-12", "Release"]]),
        ),
    }, []))
    result = run("validate", folder)
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "valid: 5 organizations, 0 people, 0 programmes, 0 events, 3 agreements"
    out = tmp_path / "out"
    result = run("build", folder, "-o", out)
    assert result.exit_code == 0, result.output
    assert not (out / "rejected.jsonl").exists()
    assert len((out / "records.jsonl").read_text().splitlines()) == 8


def test_a_folder_with_several_broken_files_reports_them_all(tmp_path):
    folder = make_inputs(tmp_path / "in", Case({
        name: content for key in ("bad YAML", "CSV not in UTF-8", "empty Excel sheet", "invalid country code")
        for name, content in CASES[key].files.items()
    }, []))
    result = run("validate", folder)
    assert_no_traceback(result)
    assert result.exit_code == 1
    text = result.stdout
    for place in ("agreements.yaml:8: not valid YAML", "agreements.csv:3: not UTF-8", "book.xlsx[agreements]: sheet",
                  "zz-more.yaml:5: country: 'Narnia'"):
        assert f"{folder}/{place}" in text
    assert text.strip().splitlines()[-1].startswith("invalid: 4 problems in 1 rejected record; 3 file-level problems")


@pytest.mark.parametrize("command", ["validate", "build"])
def test_no_traceback_in_a_fresh_process(tmp_path, command):
    # the CliRunner tests share one interpreter; a fresh one imports the modules anew
    folder = make_inputs(tmp_path / "in", CASES["three bad records"])
    args = [sys.executable, "-m", "clusterkg", command, str(folder)]
    if command == "build":
        args += ["-o", str(tmp_path / "out")]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    assert f"{folder}/agreements.yaml:10: parties[1]: 'UCL' is ambiguous" in done.stdout + done.stderr
