"""`clusterkg query --sparql` and `clusterkg load sparql`: the SPARQL side under the shared commands."""

import json
from pathlib import Path

from click.testing import CliRunner

from clusterkg.cli import main

ROOT = Path(__file__).parents[2]


def test_query_sparql_runs_on_the_build_folders_rdf(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(ROOT / "tests" / "fixtures" / "sample"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["query", "--sparql", "partners", "-p", "org=link-j", "--graph", str(out),
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    partners = {row["partner"] for row in json.loads(result.output)}
    assert len(partners) == 14 and "kanagawa-prefecture" in partners  # LINK-J's 14 MoU partners (data/README.md)


def test_query_sparql_without_a_build_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["query", "--sparql", "partners", "-p", "org=link-j", "--graph", str(tmp_path)])
    assert result.exit_code == 1 and "no graph.nt here" in result.output


def test_load_sparql_is_the_push_command():
    result = CliRunner().invoke(main, ["load", "sparql", "--help"])
    assert result.exit_code == 0 and "--endpoint" in result.output
