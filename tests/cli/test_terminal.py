"""Issue 17, sections 8 and 9 on the command line: tables that fit the terminal, --sort on
`analyze metrics`, and --dayfirst / --monthfirst reaching the date parser."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from clusterkg.cli import main
from clusterkg.cli._common import render

ROOT = Path(__file__).resolve().parents[2]
DATA = str(ROOT / "tests" / "fixtures" / "sample")


def run(*args: str, columns: str | None = None):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": columns})


# -- tables fit the terminal ---------------------------------------------------------------------


def test_metrics_table_fits_80_columns_and_keeps_every_column():
    whole = run("analyze", "metrics", DATA)  # no COLUMNS and no terminal: whole lines
    assert whole.exit_code == 0, whole.output
    header = whole.stdout.splitlines()[0].split()
    assert max(len(line) for line in whole.stdout.splitlines()) > 80
    fitted = run("analyze", "metrics", DATA, columns="80")
    assert fitted.exit_code == 0, fitted.output
    lines = fitted.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    blocks = fitted.stdout.split("\n\n")
    assert len(blocks) > 1
    shown = [name for block in blocks for name in block.splitlines()[0].split()]
    assert set(shown) == set(header)  # nothing left out: the columns go in blocks
    assert all(block.splitlines()[0].split()[0] == header[0] for block in blocks)  # each led by the key
    assert all(block.count("\nlink-j ") == 1 for block in blocks)


def test_long_text_is_cut_only_when_the_table_is_too_wide():
    rows = [{"id": "a", "name": "x" * 60, "n": 1.5}]
    assert "x" * 60 in render(rows, "table", width=200)
    narrow = render(rows, "table", width=50)
    assert "…" in narrow and max(len(line) for line in narrow.splitlines()) <= 50
    assert "x" * 60 in render(rows, "csv", width=50)  # csv and json are never cut


# -- analyze metrics --sort ----------------------------------------------------------------------


def metrics(*args: str) -> list[dict[str, str]]:
    result = run("analyze", "metrics", DATA, "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("args", [("--sort", "-betweenness"), ("--sort", "betweenness", "--desc")])
def test_sort_largest_first(args):
    rows = metrics(*args)
    values = [float(r["betweenness"]) for r in rows]
    assert values == sorted(values, reverse=True) and rows[0]["node"] == "link-j"


def test_sort_smallest_first_and_by_text_and_with_top():
    rows = metrics("--sort", "degree")
    degrees = [float(r["degree"]) for r in rows]
    assert degrees == sorted(degrees)
    names = [r["name"] for r in metrics("--sort", "name")]
    assert names == sorted(names)
    top = metrics("--sort", "-pagerank", "--top", "3")
    assert len(top) == 3 and top[0]["node"] == "link-j"
    nodes = [r["node"] for r in metrics("--sort", "-node")]
    assert nodes == sorted(nodes, reverse=True)


def test_sort_by_an_unknown_column_names_the_columns():
    result = run("analyze", "metrics", DATA, "--sort", "betweeness")
    assert result.exit_code == 1 and "--sort: no column 'betweeness'; columns: name" in result.output
    result = run("analyze", "metrics", DATA, "--desc")
    assert result.exit_code == 2 and "--sort" in result.output


# -- --dayfirst / --monthfirst -------------------------------------------------------------------


def folder(tmp_path: Path) -> Path:
    (tmp_path / "organizations.csv").write_text(
        "id,name,kind,country\nlink-j,LINK-J,Cluster,Japan\nmedcity,MedCity,cluster,UK\n", encoding="utf-8")
    (tmp_path / "agreements.csv").write_text(
        "type,parties,signed,source_title\nmou,LINK-J; MedCity,3/4/2019,t\n", encoding="utf-8")
    return tmp_path


def test_ambiguous_date_refused_on_the_command_line_with_the_way_out(tmp_path):
    result = run("validate", str(folder(tmp_path)))
    assert result.exit_code == 1
    assert "signed: '3/4/2019' could be 3 April or 4 March 2019" in result.stdout and "--dayfirst" in result.stdout
    assert "warning: " in result.stdout and "'UK' read as GB" in result.stdout


@pytest.mark.parametrize(("flag", "expected"), [("--dayfirst", "2019-04-03"), ("--monthfirst", "2019-03-04")])
def test_day_order_reaches_the_parser(tmp_path, flag, expected):
    data = folder(tmp_path)
    result = run("validate", flag, str(data))
    assert result.exit_code == 0, result.output
    result = run("analyze", "timeline", str(data), flag, "--new-ties", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert expected in result.stdout
    assert run("validate", str(data)).exit_code == 1  # not left set for the next command


def test_day_order_options_on_every_command_that_reads_inputs():
    for command in (["validate"], ["build"], ["map"], ["analyze", "metrics"], ["analyze", "centrality"]):
        result = run(*command, "--help")
        assert "--dayfirst" in result.output and "--monthfirst" in result.output, command
    result = run("validate", "--dayfirst", "--monthfirst", DATA)
    assert result.exit_code == 2 and "not both" in result.output
