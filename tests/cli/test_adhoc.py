"""`clusterkg query --cypher TEXT` and `--file PATH`: the analyst's own read-only Cypher (issue 17, section 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from clusterkg.cli import main
from clusterkg.graph.adhoc import adhoc_values, used_parameters
from clusterkg.model.problems import ClusterKGError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "sample"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("adhoc") / "build"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def run(*args: str):
    return CliRunner().invoke(main, ["query", *args])


def test_text_with_parameters_answers_from_the_build(built):
    # The sample has 19 Japanese organisations (data/README.md of the sample, by hand).
    result = run("--graph", str(built), "--format", "csv", "--cypher",
                 "MATCH (o:Organization {country: $c}) RETURN count(o) AS n", "-p", "c=JP")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "19"]


def test_a_file_works_like_the_text(built, tmp_path):
    query = tmp_path / "mine.cypher"
    query.write_text("// my own\nMATCH (o:Organization) WHERE o.id = $org RETURN o.name AS name\n")
    result = run("--graph", str(built), "--format", "json", "--file", str(query), "-p", "org=link-j")
    assert result.exit_code == 0, result.output
    assert '"Life Science Innovation Network Japan"' in result.output


@pytest.mark.parametrize("args, message", [
    (["--cypher", "MATCH (o:Organization {country: $c}) RETURN o.name"], "the query uses $c: give -p c=VALUE"),
    (["--cypher", "MATCH (o) RETURN o.name LIMIT $n", "-p", "n=1", "-p", "m=2"], "-p m: the query does not use $m"),
    (["--cypher", "CREATE (:Organization {id: $x})", "-p", "x=new"], "would change the graph; queries here are read-only"),
    (["--cypher", "MATCH (o) DETACH DELETE o"], "would change the graph"),
    (["--cypher", "   "], "the query is empty"),
])
def test_mistakes_and_writes_are_refused_in_words(built, args, message):
    result = run("--graph", str(built), *args)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_a_write_left_nothing_behind(built):
    run("--graph", str(built), "--cypher", "CREATE (:Organization {id: 'intruder'})")
    result = run("--graph", str(built), "--format", "csv", "--cypher",
                 "MATCH (o:Organization {id: $id}) RETURN count(o) AS n", "-p", "id=intruder")
    assert result.output.splitlines() == ["n", "0"]


def test_a_name_and_a_text_together_are_a_usage_error(built):
    result = run("partners", "--graph", str(built), "--cypher", "RETURN 1")
    assert result.exit_code == 2 and "give one of NAME, --text TEXT or --file PATH" in result.output


SPARQL_JAPANESE = """PREFIX schema: <https://schema.org/>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?id WHERE { ?o schema:address/schema:addressCountry $c ; dct:identifier ?id }  # $not_a_parameter
ORDER BY ?id"""


def test_sparql_text_and_file_answer_like_the_cypher(built, tmp_path):
    # The same 19 Japanese organisations as the Cypher above: both forms hold one graph.
    cypher = run("--graph", str(built), "--format", "csv", "--text",
                 "MATCH (o:Organization {country: $c}) RETURN o.id AS id ORDER BY id", "-p", "c=JP")
    query = tmp_path / "japanese.rq"
    query.write_text(SPARQL_JAPANESE)
    sparql = run("--sparql", "--graph", str(built), "--format", "csv", "--file", str(query), "-p", "c=JP")
    assert sparql.exit_code == 0, sparql.output
    assert sparql.output.splitlines() == cypher.output.splitlines()
    assert len(cypher.output.splitlines()) == 1 + 19


@pytest.mark.parametrize("text, message", [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "updates are not run here"),
    ("SELECT ?o WHERE { ?o ?p $x }", "the query uses $x: give -p x=VALUE"),
])
def test_sparql_updates_and_missing_values_are_refused(built, text, message):
    result = run("--sparql", "--graph", str(built), "--text", text)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_values_stay_parameters_even_when_they_look_like_cypher():
    hostile = "x'}) DETACH DELETE n //"
    assert adhoc_values("RETURN $v", {"v": hostile}) == {"v": hostile}
    assert used_parameters("RETURN '$not_a_parameter', \"$nor\" /* $this */ // $or this") == []
    with pytest.raises(ClusterKGError, match="query uses"):
        adhoc_values("RETURN $a", {})


def test_both_query_languages_end_a_table_with_its_row_count(built):
    # LINK-J has 14 partners in the sample (its 14 MoUs of the seed, by hand); csv and json stay pure data.
    cypher = run("partners", "-p", "org=link-j", "--graph", str(built))
    sparql = run("partners", "--sparql", "-p", "org=link-j", "--graph", str(built))
    assert cypher.output.splitlines()[-1] == sparql.output.splitlines()[-1] == "(14 rows)"
    as_csv = run("partners", "-p", "org=link-j", "--graph", str(built), "--format", "csv")
    assert "rows)" not in as_csv.output and len(as_csv.output.splitlines()) == 1 + 14
