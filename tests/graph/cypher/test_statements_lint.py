"""Every statement the loaders generate (not only the query files) passes Neo4j's own Cypher 5 linter.

The linter (npm @neo4j-cypher/language-support, run offline under Node by
tools/cypher-lint/lint.mjs, as tests/queries/test_cypher_lint.py runs it) checks syntax,
parameters, functions, and the schema's labels, relationship types and property keys.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from clusterkg.graph.cypher import stream
from clusterkg.graph.cypher.neo4j import removal_statement
from clusterkg.graph.cypher.neo4j_schema import all_statements

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("cypher_lint", ROOT / "tests" / "queries" / "test_cypher_lint.py")
cypher_lint = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cypher_lint)


def _neo4j_removals() -> list[str]:
    # As Neo4jGraph.remove_where builds them for Neo4j 5.23 and later (older servers get the
    # importing WITH, which this linter flags as deprecated).
    return [removal_statement(match, var, action) for match, var, action in stream.stale_matches()]


STATEMENTS = {
    **{f"write{i}": text for i, text in enumerate(stream.statements())},
    **{f"remove{i}": text for i, text in enumerate(_neo4j_removals())},
    **{f"schema{i}": text for i, text in enumerate(all_statements())},
}


def _files(tmp_path: Path) -> list[Path]:
    files = []
    for name, text in STATEMENTS.items():
        params = ", ".join(p for p in ("rows:string", "dataset:string", "stamp:string", "prefix:string", "other:string") if f"${p.split(':')[0]}" in text)
        path = tmp_path / f"{name}.cypher"
        path.write_text(f"// name: {name}\n// doc: generated\n// params: {params}\n{text}\n", encoding="utf-8")
        files.append(path)
    return files


def test_every_generated_statement_passes_neo4j_s_linter(tmp_path):
    files = _files(tmp_path)
    assert len(files) >= 60
    result = cypher_lint.lint(tmp_path, files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"ok: {len(files)} files" in result.stdout


def test_the_linter_would_catch_a_broken_statement(tmp_path):
    bad = tmp_path / "bad.cypher"
    bad.write_text("// name: bad\n// doc: d\n// params: load:string\n"
                   "MATCH (n:Organization) WHERE n.load_id <> $load\nCALL (n) { DETACH DELET n } IN TRANSACTIONS\n",
                   encoding="utf-8")
    result = cypher_lint.lint(tmp_path, [bad])
    assert result.returncode == 1, result.stdout


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_values_never_enter_the_text(name):
    text = STATEMENTS[name]
    assert "'" not in text and '"' not in text


def test_the_neo4j_versions_of_library_queries_pass_the_linter(tmp_path):
    from clusterkg.graph.queries import QUERIES_DIR

    files = sorted((QUERIES_DIR / "neo4j").glob("*.cypher"))
    assert {f.stem for f in files} == {"shortest_chain", "find_organization"}
    result = cypher_lint.lint(tmp_path, files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_backend_version_must_keep_the_name_and_parameters(tmp_path):
    from clusterkg.graph.cypher.variants import for_backend
    from clusterkg.graph.queries import parse_query
    from clusterkg.model.problems import ClusterKGError

    shared = tmp_path / "q.cypher"
    shared.write_text("// name: q\n// doc: d\n// params: org:organization\nMATCH (o {id: $org}) RETURN o.id AS id\n")
    (tmp_path / "neo4j").mkdir()
    (tmp_path / "neo4j" / "q.cypher").write_text("// name: q\n// doc: d\n// params: text:string\n"
                                                  "MATCH (o {id: $text}) RETURN o.id AS id\n")
    query = parse_query(shared.read_text(), shared)
    assert for_backend(query, "falkordb") is query
    with pytest.raises(ClusterKGError, match="must declare the same name and parameters"):
        for_backend(query, "neo4j")
