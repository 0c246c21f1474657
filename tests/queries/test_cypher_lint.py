"""Every queries/*.cypher file is valid Neo4j Cypher 5 and keeps to the shared dialect.

Neo4j's own linter (the npm package @neo4j-cypher/language-support, run offline
under Node by tools/cypher-lint/lint.mjs) checks syntax, the declared
parameters, Neo4j's built-in functions, and the labels, relationship types and
property keys of graph/property_graph.py. scripts/system-deps installs it; with
CI=1 a missing Node or linter fails these tests instead of skipping them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from clusterkg.graph.cypher.schema import lint_schema
from clusterkg.graph.queries import QUERIES_DIR

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "tools" / "cypher-lint"
FILES = sorted(QUERIES_DIR.glob("*.cypher"))


def _node() -> str:
    node = shutil.which("node")
    installed = (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir()
    if node and installed:
        return node
    why = "node is not installed" if not node else "the linter is not installed (npm ci --prefix tools/cypher-lint)"
    if os.environ.get("CI"):
        pytest.fail(f"{why}; scripts/system-deps installs it")
    pytest.skip(why)


def lint(tmp_path: Path, files: list[Path]) -> subprocess.CompletedProcess:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(lint_schema()), encoding="utf-8")
    return subprocess.run([_node(), str(LINTER / "lint.mjs"), "--schema", str(schema), *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def test_every_query_file_passes_neo4j_s_linter(tmp_path):
    assert len(FILES) >= 11
    result = lint(tmp_path, FILES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"ok: {len(FILES)} files" in result.stdout


def test_the_linter_catches_what_it_should(tmp_path):
    # The check is only worth something if it fails: a typo in a label, a property, a function,
    # an undeclared parameter and a syntax error each give a diagnostic.
    bad = tmp_path / "bad.cypher"
    bad.write_text("// name: bad\n// doc: d\n// params: org:organization\n"
                   "MATCH (o:Organisation {id: $org})-[:PARTY_TOO]->(a) WHERE a.nmae = $other\n"
                   "RETURN falkordb.fn(a) AS x, o RETRN\n", encoding="utf-8")
    result = lint(tmp_path, [bad])
    assert result.returncode == 1
    for expected in ("Label Organisation is not present", "Relationship type PARTY_TOO is not present",
                     "nmae is not present", "Parameter $other is not defined", "Function falkordb.fn is not present",
                     "Invalid input 'RETRN'"):
        assert expected in result.stdout, result.stdout


# What both FalkorDB and Neo4j run (DESIGN.md section 3); the linter accepts all of these, so they
# are checked here by pattern.
FORBIDDEN = {
    r"shortestPath\s*\(": "no shortestPath(): a bounded variable-length path with ORDER BY length(p) LIMIT 1",
    r"(?i)\bEXISTS\s*\{": "no EXISTS {} subquery: a pattern predicate or OPTIONAL MATCH + count",
    r"(?i)\bCOUNT\s*\{": "no COUNT {} subquery: OPTIONAL MATCH + count",
    r"elementId\s*\(": "no elementId(): use the id property",
    r"datetime\s*\(": "no datetime(): dates are ISO strings",
    r"\[[^\]]*\*\s*\]|\*\s*\.\.\s*\]|\*\s*\d+\s*\.\.\s*\]": "variable-length paths need an upper bound",
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_query_keeps_to_the_shared_dialect(path):
    body = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("//"))
    for pattern, rule in FORBIDDEN.items():
        assert not re.search(pattern, body), f"{path.name}: {rule}"
    # Two pattern parts over the same label could bind the same node: each such query says `<>`.
    if re.search(r"<-\[:PARTY_TO\]-\((\w+):Organization", body):
        assert "<>" in body, f"{path.name}: add WHERE a <> b where two parts can bind one node"
    # Whole nodes are not returned: scalars and maps only.
    returned = body.split("RETURN", 1)[1]
    assert not re.search(r"RETURN\s+\w+\s*(,|$)", "RETURN" + returned.split("\n")[0]), path.name
