"""The property graph as CSV files for ``neo4j-admin database import full``.

The fastest way to put a large graph into a new Neo4j database: one node file
per label (header ``id:ID(Organization),:LABEL,name,aliases:string[],...``),
one relationship file per type and pair of labels (``:START_ID(Organization),
:END_ID(Agreement),:TYPE,role``). Each label is its own ID space, so a person
and an organisation may share an id. List values are joined with the unit
separator U+001F (``--array-delimiter=U+001F``), which no text of the records
contains, and texts may span lines (``--multiline-fields=true``).
:func:`write_import` also writes ``schema.cypher``, the constraints and
indexes to create once the import is done, and returns the exact command.
"""

from __future__ import annotations

import csv
import shlex
from pathlib import Path
from typing import Any

from clusterkg.graph.cypher.schema import INDEXED, NODE_LABELS, GraphRows, RelType
from clusterkg.model.problems import ClusterKGError

ARRAY_DELIMITER = "\x1f"


def _type(values: list[Any]) -> str:
    sample = next(v for v in values if v is not None)
    if isinstance(sample, list):
        return "string[]"
    if isinstance(sample, bool):
        return "boolean"
    if isinstance(sample, int):
        return "long"
    return "string"


def _cell(value: Any, where: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if any(ARRAY_DELIMITER in str(v) for v in value):
            raise ClusterKGError(f"{where}: a list value contains the array delimiter U+001F")
        return ARRAY_DELIMITER.join(str(v) for v in value)
    return value


def _columns(rows: list[dict[str, Any]], skip: set[str]) -> list[tuple[str, str]]:
    keys = sorted({k for row in rows for k in row["props"]} - skip)
    return [(k, _type([row["props"].get(k) for row in rows])) for k in keys]


def _write_csv(path: Path, header: list[str], lines: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(lines)


def rel_file(rel: RelType) -> str:
    return f"rels_{rel.type}_{rel.start}_{rel.end}.csv"


def write_import(rows: GraphRows, folder: Path | str, database: str = "neo4j") -> str:
    """Write the CSV files and ``schema.cypher`` into ``folder``; return the import command.

    Examples
    --------
    >>> from clusterkg.graph.cypher.schema import graph_rows
    >>> print(write_import(graph_rows(ds), "import"))  # doctest: +SKIP
    neo4j-admin database import full neo4j --nodes=import/nodes_Organization.csv ...
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    args = ["neo4j-admin", "database", "import", "full", database]
    for label in NODE_LABELS:
        nodes = rows.nodes.get(label)
        if not nodes:
            continue
        columns = _columns(nodes, {"id"})
        header = [f"id:ID({label})", ":LABEL", *(f"{k}:{t}" if t != "string" else k for k, t in columns)]
        lines = [
            [row["id"], ARRAY_DELIMITER.join([label, *row["labels"]]),
             *(_cell(row["props"].get(k), f"{label} {row['id']}") for k, _ in columns)]
            for row in nodes
        ]
        path = folder / f"nodes_{label}.csv"
        _write_csv(path, header, lines)
        args.append(f"--nodes={path}")
    for rel, rels in rows.relationships.items():
        columns = _columns(rels, set())
        header = [f":START_ID({rel.start})", f":END_ID({rel.end})", ":TYPE",
                  *(f"{k}:{t}" if t != "string" else k for k, t in columns)]
        lines = [
            [row["start"], row["end"], rel.type,
             *(_cell(row["props"].get(k), f"{rel.type} {row['start']}->{row['end']}") for k, _ in columns)]
            for row in rels
        ]
        path = folder / rel_file(rel)
        _write_csv(path, header, lines)
        args.append(f"--relationships={path}")
    args += ["--array-delimiter=U+001F", "--multiline-fields=true", "--id-type=string"]
    (folder / "schema.cypher").write_text(schema_statements(), encoding="utf-8")
    return shlex.join(args)


def schema_statements() -> str:
    """The constraints and indexes the loader creates, for after an import (which makes none)."""
    lines = [f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;"
             for label in NODE_LABELS]
    lines += [f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop});"
              for label, props in INDEXED.items() for prop in props]
    return "\n".join(lines) + "\n"
