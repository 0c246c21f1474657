"""The command line, through click's CliRunner, and once as a real process."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from clusterkg.cli import main

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
organizations:
  - {id: link-j, name: Life Science Innovation Network Japan, aliases: [LINK-J], kind: cluster, country: JP}
  - {id: kanagawa-prefecture, name: Kanagawa Prefecture, kind: government, country: JP, region: JP-14}
agreements:
  - type: mou
    parties: [LINK-J, Kanagawa Prefecture]
    signed: "2020-09-18"
    sources: [{title: A release, publisher: LINK-J}]
"""

BAD = """\
agreements:
  - type: mou
    parties: [LINK-J, Kanagawa Pref]
    sources: [{title: Another release}]
"""


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"clusterkg {name}" in readme, name


def test_validate_valid(inputs):
    result = run("validate", inputs)
    assert result.exit_code == 0
    assert result.stdout.strip() == "valid: 2 organizations, 0 people, 0 programmes, 0 events, 1 agreement"


def test_validate_reports_file_line_field_and_exits_1(inputs):
    (inputs / "bad.yaml").write_text(BAD, encoding="utf-8")
    result = run("validate", inputs)
    assert result.exit_code == 1
    first, summary = result.stdout.strip().splitlines()
    assert re.match(rf"^{re.escape(str(inputs / 'bad.yaml'))}:3: parties\[1\]: unknown organisation 'Kanagawa Pref'", first)
    assert summary.startswith("invalid: 1 problem in 1 rejected record")
    problems = json.loads(run("validate", inputs, "--format", "json").stdout)
    assert problems[0]["line"] == 3 and problems[0]["field"] == "parties[1]"


def test_build_writes_records_and_summary(inputs, tmp_path):
    out = tmp_path / "out"
    result = run("build", inputs, "-o", out)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["record"] for line in lines] == ["organization", "organization", "agreement"]
    assert lines[2]["id"] == "mou-kanagawa-prefecture-link-j-2020-09-18"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["agreements_by_year"] == {"2020": 1}
    assert "agreements by type: mou 1" in result.stdout
    # the normalised records load again and give the same records
    again = tmp_path / "again"
    assert run("build", out / "records.jsonl", "-o", again).exit_code == 0
    assert (again / "records.jsonl").read_text() == (out / "records.jsonl").read_text()


def test_build_refuses_invalid_input_and_writes_nothing(inputs, tmp_path):
    (inputs / "bad.yaml").write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", inputs, "-o", out)
    assert result.exit_code == 1
    assert "bad.yaml:3: parties[1]" in result.stderr
    assert not out.exists()


def test_build_skip_invalid_keeps_the_valid_records(inputs, tmp_path):
    (inputs / "bad.yaml").write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", inputs, "-o", out, "--skip-invalid")
    assert result.exit_code == 0
    (rejected,) = [json.loads(line) for line in (out / "rejected.jsonl").read_text().splitlines()]
    assert rejected["record"] == "agreement" and "Kanagawa Pref" in rejected["problems"][0]
    assert rejected["data"]["sources"] == [{"title": "Another release"}]
    assert len((out / "records.jsonl").read_text().splitlines()) == 3
    # fixing the input and building again removes the stale list of rejects
    (inputs / "bad.yaml").unlink()
    assert run("build", inputs, "-o", out).exit_code == 0
    assert not (out / "rejected.jsonl").exists()


def test_user_mistakes_are_messages_not_tracebacks(tmp_path):
    result = run("validate", tmp_path / "nowhere.yaml")
    assert result.exit_code == 1 and "no such file or folder" in result.stdout
    blocker = tmp_path / "file"
    blocker.write_text("x")
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    result = run("build", good, "-o", blocker / "out")
    assert result.exit_code == 1 and "cannot create the output folder" in result.stderr
    assert "Traceback" not in result.output


def test_python_dash_m_runs_the_same_command(inputs):
    done = subprocess.run([sys.executable, "-m", "clusterkg", "validate", str(inputs)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("valid: 2 organizations")
