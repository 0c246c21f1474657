"""Hostile input end to end through the command line (issue 16, points 6-13 and 15).

Each hostile value once validated and then crashed the build (or a later command), was lost in
silence, or ran without bound; now ``clusterkg validate`` names its place, and ``clusterkg build
--skip-invalid`` builds around it, so that no later command meets it. The loaders' side of the
same inputs is in test_hostile_input.py; other bad input is in tests/test_bad_input.py, whose
sample files these tests share.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from clusterkg.cli import main

BAD_INPUT = Path(__file__).resolve().parents[1] / "fixtures" / "bad_input"
ORGANIZATIONS = (BAD_INPUT / "organizations.yaml").read_text(encoding="utf-8")
# Lines 2-5 of every agreements.yaml below; a bad record after it starts on line 6.
VALID = (BAD_INPUT / "valid-agreement.txt").read_text(encoding="utf-8")


def agreements(bad: str = "") -> str:
    return "agreements:\n" + VALID + textwrap.indent(textwrap.dedent(bad), "  ")


def make_inputs(folder: Path, files: dict[str, str]) -> Path:
    """00-organizations.yaml, agreements.yaml with one valid agreement, and ``files`` (which may replace it)."""
    folder.mkdir()
    for name, content in {"00-organizations.yaml": ORGANIZATIONS, "agreements.yaml": agreements(), **files}.items():
        (folder / name).write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_no_traceback(result):
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def _one(extra: str) -> str:
    return agreements("- {type: mou, parties: [LINK-J, UCL], sources: [{title: A release}], " + extra + "}\n")


HOSTILE: dict[str, tuple[str, str | bytes, str]] = {
    # name: (file, content, the start of its one problem line, after the folder)
    "year 0": ("agreements.yaml", _one('signed: "0000"'), "agreements.yaml:6: signed: year 0000 out of range"),
    "year 9999": ("agreements.yaml", _one('signed: "9999-12"'), "agreements.yaml:6: signed: year 9999 out of range"),
    "term P99999Y": ("agreements.yaml", _one('signed: "2017", term: P99999Y'),
                     "agreements.yaml:6: term: the term P99999Y is longer than 1000 years"),
    "term P999999999D": ("agreements.yaml", _one('signed: "2017", term: P999999999D'),
                         "agreements.yaml:6: term: the term P999999999D is longer than 1000 years"),
    "name of 131,073 characters": ("zz-long.yaml", ("organizations:\n  - id: long\n    kind: cluster\n    country: JP\n"
                                                    f"    name: {'x' * 131_073}\n"),
                                   "zz-long.yaml:5: name: 131,073 characters long"),
    "NUL in a title": ("agreements.yaml", _one('title: "a\\0b"'),
                       "agreements.yaml:6: title: holds the control character U+0000 at character 2"),
    "key given twice": ("agreements.yaml", agreements("- type: mou\n  parties: [LINK-J, UCL]\n  type: loi\n"
                                                      "  sources: [{title: A release}]\n"),
                        "agreements.yaml:8: type: 'type' is given twice in one mapping (first at line 6)"),
    "integer of 5,000 digits": ("zz-int.json", '{"organizations": [{"id": "x", "name": ' + "1" * 5000 + "}]}",
                                "zz-int.json:1: not valid JSON: an integer of 5,000 digits"),
    "YAML set": ("zz-set.yaml", "agreements:\n  - type: mou\n    parties: !!set {LINK-J, UCL}\n",
                 "zz-set.yaml:3: not valid YAML: a set (!!set) has no order"),
    "nine nested anchors": ("zz-laughs.yaml", "".join(
        f"{k}: &{k} [{', '.join([f'*{p}'] * 9 if p else ['lol'] * 9)}]\n" for p, k in zip(["", *"abcdefgh"], "abcdefghi")),
        "zz-laughs.yaml:8: not valid YAML: aliases repeat the value that starts here"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_validate_refuses_what_the_build_cannot_represent_with_its_place(tmp_path, name):
    file, content, start = HOSTILE[name]
    folder = make_inputs(tmp_path / "in", {file: content})
    result = run("validate", folder)
    assert_no_traceback(result)
    assert result.exit_code == 1
    *lines, summary = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{folder}/{start}"), result.stdout
    assert len(lines[0]) < 1_000
    assert summary.endswith("4 organizations, 0 people, 0 programmes, 0 events, 1 agreement")  # the rest still reads


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """One build (--skip-invalid) of the sample organisations, two awkward but valid ones, and every
    hostile value above in a file of its own: (input folder, build folder, the build's result)."""
    tmp = tmp_path_factory.mktemp("hostile")
    folder = make_inputs(tmp / "in", {
        "zz-awkward.yaml": 'organizations:\n  - {id: formula, name: "=HYPERLINK(\\"http://example.com\\",\\"x\\")", '
                           'kind: cluster, country: JP}\n  - {id: lines, name: "One\\u2028Two\\u2029Three\\x85", '
                           'kind: cluster, country: JP}\n'
                           "agreements:\n  - {type: mou, parties: [formula, lines, LINK-J], signed: '2019', "
                           "sources: [{title: A formula}]}\n",
    })
    for i, (file, content, _) in enumerate(HOSTILE.values()):
        if file == "agreements.yaml":  # each in a file of its own
            file = f"hostile-{i}.yaml"
            content = content.replace("agreements:\n" + VALID, "agreements:\n")
        path = folder / file
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    out = tmp / "out"
    return folder, out, run("build", folder, "-o", out, "--skip-invalid")


def test_skip_invalid_builds_around_every_hostile_value(hostile_build):
    _, out, result = hostile_build
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "records: 6 organization, 0 person, 0 programme, 0 event, 2 agreement" in result.stdout
    rejected = (out / "rejected.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rejected) == len(HOSTILE)
    assert all(len(line) < 20_000 for line in rejected)  # a long value is quoted, not copied whole
    for line in rejected:
        json.loads(line)


@pytest.mark.parametrize("command", [
    ["validate", "{out}"],  # the build's records.jsonl read back: U+2028, U+2029, U+0085 in a name
    ["rdf", "check", "{out}"],
    ["rdf", "export", "{out}", "-o", "{out}/../again.nt"],
    ["map", "{out}", "-o", "{out}/../map.html"],
])
def test_every_later_command_takes_the_build(hostile_build, command):
    _, out, _ = hostile_build
    result = run(*[part.format(out=out) for part in command])
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output


def test_csv_outputs_are_spreadsheet_safe(hostile_build):
    _, out, _ = hostile_build
    assert "formula,\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\"" in (out / "metrics.csv").read_text()
    result = run("query", "find_organization", "-p", "text=HYPERLINK", "--format", "csv", "--graph", out)
    assert result.exit_code == 0, result.output
    # organization, name, country (and what the query adds after them, such as the total)
    assert result.stdout.splitlines()[1].startswith("formula,\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\",JP")


@pytest.mark.parametrize("limit", ["4294967296", "2147483648", "-1"])
def test_integer_query_parameters_are_range_checked(hostile_build, limit):
    # issue 16, point 13: limit=4294967296 returned no rows, without a word (FalkorDB read it as 0)
    _, out, _ = hostile_build
    result = run("query", "most_connected", "-p", "country=JP", "-p", f"limit={limit}", "--graph", out)
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert f"parameter limit (integer): {limit} is out of range: integer parameters (counts, limits) run from 0 " \
           "to 2,147,483,647" in result.output


def test_the_largest_integer_parameter_is_taken(hostile_build):
    _, out, _ = hostile_build
    result = run("query", "most_connected", "-p", "country=JP", "-p", "limit=2147483647", "--graph", out, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 4  # every organisation of JP with a tie


def test_a_file_that_cannot_be_read_is_a_problem(tmp_path, monkeypatch):
    # issue 16, point 10, for files (folders: tests/test_build_folder.py); the tests run as root,
    # who reads every file, so the refusal is simulated
    folder = make_inputs(tmp_path / "in", {})
    locked = folder / "agreements.yaml"
    real = Path.read_bytes

    def read_bytes(self):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    for inputs in ([folder], [locked, folder / "00-organizations.yaml"]):
        result = run("validate", *inputs)
        assert_no_traceback(result)
        assert result.exit_code == 1
        assert f"{locked}: cannot read the file: Permission denied" in result.stdout
        assert result.stdout.strip().endswith("valid: 4 organizations, 0 people, 0 programmes, 0 events, 0 agreements")
