"""neo4j-admin import files: read back by a parser that follows the manual's header rules, and the commands.

The parser below implements what the Neo4j 5 operations manual says of import headers
(tools/neo4j-admin/neo4j-admin-import, "CSV header format"): ``name:ID(space)`` names the
ID space and stores ``name`` as a property; ``:LABEL`` holds labels split by the array
delimiter; ``:START_ID(space)`` / ``:END_ID(space)`` refer to IDs of those spaces; ``:TYPE``;
``name:type`` for typed columns (``long``, ``boolean``, ``string[]``, ...), arrays split by
the array delimiter; an empty unquoted field is no value. It is this test's own reading of
the manual, not neo4j-admin.
"""

from __future__ import annotations

import csv
import shlex
from pathlib import Path

import pytest
from clusterkg.graph.cypher.neo4j_import import ARRAY_DELIMITER, write_import
from clusterkg.graph.cypher.schema import graph_rows
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import Agreement, Organization

ROOT = Path(__file__).resolve().parents[3]


def _convert(kind: str, text: str):
    if kind.endswith("[]"):
        return [_convert(kind[:-2], part) for part in text.split(ARRAY_DELIMITER)]
    if kind in ("long", "int", "short", "byte"):
        return int(text)
    if kind == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    assert kind == "string", kind
    return text


def read_import(args: list[str]):
    """Nodes ``{(space, id): (labels, props)}`` and relationships ``[(type, start key, end key, props)]``."""
    nodes, rels = {}, []
    for arg in args:
        option, _, path = arg.partition("=")
        if option not in ("--nodes", "--relationships"):
            continue
        assert Path(path).is_absolute(), path
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            for line in reader:
                props, labels, ids = {}, [], {}
                for column, text in zip(header, line, strict=True):
                    name, _, kind = column.partition(":")
                    kind, _, space = kind.partition("(")
                    space = space.rstrip(")")
                    if kind in ("ID", "START_ID", "END_ID"):
                        ids[kind] = (space, text)
                        if kind == "ID" and name:
                            props[name] = text
                    elif kind == "LABEL":
                        labels = text.split(ARRAY_DELIMITER)
                    elif kind == "TYPE":
                        ids["TYPE"] = text
                    elif text != "":
                        props[name] = _convert(kind or "string", text)
                if option == "--nodes":
                    assert ids["ID"] not in nodes, f"duplicate id {ids['ID']}"
                    nodes[ids["ID"]] = (sorted(labels), props)
                else:
                    rels.append((ids["TYPE"], ids["START_ID"], ids["END_ID"], props))
    for _, start, end, _ in rels:
        assert start in nodes and end in nodes, (start, end)  # every end is a node of its ID space
    return nodes, rels


def _expected(ds):
    rows = graph_rows(ds)
    nodes = {(label, r["id"]): (sorted([label, *r["labels"]]), r["props"]) for label, rs in rows.nodes.items() for r in rs}
    rels = sorted((rel.type, (rel.start, r["start"]), (rel.end, r["end"]), r["props"])
                  for rel, rs in rows.relationships.items() for r in rs)
    return nodes, rels


def test_the_files_read_back_as_the_graph(tmp_path):
    ds = load_dataset([ROOT / "tests" / "fixtures" / "sample"])
    files = write_import((r for _, r in ds.records()), tmp_path / "import")
    args = shlex.split(files.commands("neo4j")["replace"])
    nodes, rels = read_import(args)
    want_nodes, want_rels = _expected(ds)
    assert nodes == want_nodes
    assert sorted(rels, key=repr) == sorted(want_rels, key=repr)


def _odd(name: str) -> Dataset:
    ds = Dataset()
    ds.organizations["a"] = Organization(id="a", name=name, aliases=['"quoted", and, commas'], kind="cluster",
                                         country="JP")
    ds.organizations["b"] = Organization(id="b", name="B", kind="cluster", country="GB")
    ds.agreements["x"] = Agreement(id="x", type="mou", parties=["a", "b"], signed="2020-06",
                                   sources=[{"title": "t", "url": "https://example.org/x"}])
    return ds


@pytest.mark.parametrize("name, multiline", [("plain", False), ("two\nlines", True), ("cr\rtoo", True)])
def test_multiline_fields_only_when_a_value_spans_lines(tmp_path, name, multiline):
    ds = _odd(name)
    files = write_import((r for _, r in ds.records()), tmp_path)
    args = shlex.split(files.commands()["replace"])
    assert ("--multiline-fields=true" in args) is multiline
    nodes, _ = read_import(args)
    assert nodes == _expected(ds)[0]


def test_the_three_routes(tmp_path):
    ds = _odd("plain")
    files = write_import((r for _, r in ds.records()), tmp_path / "rel" / "import")
    commands = files.commands("neo4j")
    replace = shlex.split(commands["replace"])
    assert replace[:4] == ["neo4j-admin", "database", "import", "full"] and replace[-1] == "neo4j"
    assert "--overwrite-destination=true" in replace
    assert all(Path(a.split("=", 1)[1]).is_absolute() for a in replace if a.startswith(("--nodes=", "--relationships=")))
    new = commands["new"].splitlines()
    assert "--overwrite-destination=true" not in new[0] and "CREATE DATABASE neo4j" in new[1]
    aura = [shlex.split(line) for line in commands["aura"].splitlines()]
    assert aura[1][:4] == ["neo4j-admin", "database", "dump", "neo4j"]
    assert aura[2][:4] == ["neo4j-admin", "database", "upload", "neo4j"]
    assert any(a.startswith("--to-uri=neo4j+s://") for a in aura[2])
    assert "CREATE FULLTEXT INDEX organization_names" in (tmp_path / "rel" / "import" / "schema.cypher").read_text()
