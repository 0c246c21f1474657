"""`clusterkg build` (the property-graph step), `query`, `export neo4j-import` and `load neo4j`."""

from __future__ import annotations

import csv
import json
import pathlib
import shlex

import pytest
from click.testing import CliRunner

from clusterkg.cli import main
from clusterkg.graph.cypher.neo4j_import import ARRAY_DELIMITER

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "out"
    result = CliRunner().invoke(main, ["build", str(ROOT / "tests" / "fixtures" / "sample"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_build_writes_the_embedded_graph_and_queries_reopen_it(built):
    assert (built / "falkordb" / "graph.rdb").is_file()
    first = run("query", "partners", "-p", "org=kanagawa-prefecture", "--graph", str(built), "--format", "json")
    assert first.exit_code == 0, first.output
    assert [r["partner"] for r in json.loads(first.output)] == ["link-j", "cell-therapy-catapult"]
    # A second query on the same build folder starts the server again on the saved graph.
    second = run("query", "most_connected", "-p", "country=jp", "-p", "limit=1", "--graph", str(built), "--format", "csv")
    assert second.output.splitlines() == ["organization,name,partners,agreements,total",
                                          "link-j,Life Science Innovation Network Japan,14,14,14"]
    table = run("query", "timeline", "-p", "org=kanagawa-prefecture", "--graph", str(built))
    lines = table.output.splitlines()
    assert lines[0].split() == ["date", "agreement", "type", "title", "expires", "partners"]
    assert lines[2].startswith("2015-11 ") and lines[3].rstrip().endswith("link-j")


def test_query_list_shows_names_parameters_and_whole_descriptions():
    result = run("query", "--list")
    assert result.exit_code == 0
    # whole descriptions, not their first line: the hop limit of shortest_chain is in its last words
    from clusterkg.graph.queries import get_query

    for name in ("shortest_chain", "partners"):
        last_words = " ".join(get_query(name).doc.split()[-4:])
        assert last_words in " ".join(result.output.split()), name
    # the same listing as `clusterkg rdf query --list`
    assert "\npartners: The partners of an organisation" in result.output
    assert "    params: org (organization)\n" in result.output
    assert "    params: country (country), limit (integer, default 10)\n" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["partners"], "error: query partners: missing org; it takes: org (organization)"),
    (["partners", "-p", "org=link-j", "-p", "days=3"], "error: query partners: unknown parameter days"),
    (["most_connected", "-p", "country=JP", "-p", "limit=soon"],
     "error: query most_connected: parameter limit (integer): expected an integer, got 'soon'"),
    (["partnerz", "-p", "org=link-j"], "error: no Cypher query named 'partnerz'"),
    (["partners", "-p", "org"], "error: -p 'org': write a parameter as name=value"),
    (["partners", "-p", "org=link-j", "-p", "org=ucl"], "error: -p org: given twice"),
])
def test_query_errors_are_messages(built, args, message):
    result = run("query", *args, "--graph", str(built))
    assert result.exit_code == 1
    assert message in result.output


def test_query_without_a_built_graph(tmp_path):
    result = run("query", "partners", "-p", "org=link-j", "--graph", str(tmp_path))
    assert result.exit_code == 1 and "not a complete build" in result.output and "clusterkg build" in result.output


def test_export_neo4j_import(built, tmp_path):
    folder = tmp_path / "import"
    result = CliRunner().invoke(main, ["export", "neo4j-import", str(folder), "--graph", str(built)])
    assert result.exit_code == 0, result.output
    command = shlex.split(result.stdout.strip())
    assert command[:4] == ["neo4j-admin", "database", "import", "full"] and command[-1] == "neo4j"
    assert "--overwrite-destination=true" in command and "REPLACES the database 'neo4j'" in result.stderr
    assert "--array-delimiter=U+001F" in command and "CREATE DATABASE clusterkg" in result.stderr
    nodes = [a.split("=", 1)[1] for a in command if a.startswith("--nodes=")]
    rels = [a.split("=", 1)[1] for a in command if a.startswith("--relationships=")]
    assert all(pathlib.Path(p).is_file() for p in nodes + rels)
    with open(folder / "nodes_Organization.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["id:ID(Organization)", ":LABEL"] and "aliases:string[]" in rows[0]
    assert len(rows) == 1 + 44
    link_j = dict(zip(rows[0], next(r for r in rows if r[0] == "link-j")))
    assert link_j[":LABEL"] == "Organization" and link_j["aliases:string[]"].split(ARRAY_DELIMITER) == ["LINK-J"]
    with open(folder / "nodes_Agreement.csv", encoding="utf-8", newline="") as handle:
        agreements = {r[0]: r[1] for r in csv.reader(handle)}
    assert agreements["mou-link-j-kanagawa-2020"] == "Agreement" + ARRAY_DELIMITER + "MoU"
    with open(folder / "rels_PARTY_TO_Organization_Agreement.csv", encoding="utf-8", newline="") as handle:
        parties = list(csv.reader(handle))
    assert parties[0] == [":START_ID(Organization)", ":END_ID(Agreement)", ":TYPE", "role"]
    assert len(parties) == 1 + 44 and ["wellcome", "funding-wellcome-ghit-fund-2017", "PARTY_TO", "funder"] in parties
    assert "CREATE CONSTRAINT organization_id IF NOT EXISTS" in (folder / "schema.cypher").read_text()


def test_load_neo4j_says_when_the_server_is_down(built):
    result = run("load", "neo4j", str(built), "--uri", "bolt://127.0.0.1:1", "--password", "x")
    assert result.exit_code == 1
    assert "neo4j at bolt://127.0.0.1:1: cannot reach the server" in result.output


def test_the_embedded_graph_runs_its_own_version_of_a_query(built, monkeypatch):
    # queries/falkordb/shortest_chain.cypher replaces the shared file on FalkorDB, for the command
    # line as for run_query (it once ran the shared text, which the benchmark did not time).
    from clusterkg.graph.cypher.falkor import FalkorGraph

    sent = []
    real_read = FalkorGraph.read
    monkeypatch.setattr(FalkorGraph, "read", lambda self, text, params=None: sent.append(text) or real_read(self, text, params))
    result = run("query", "shortest_chain", "-p", "org=link-j", "-p", "other=medcity", "--graph", str(built))
    assert result.exit_code == 0, result.output
    assert any("allShortestPaths" in text for text in sent)
