"""The property graph as CSV files for ``neo4j-admin database import full``, written as the records stream.

The fastest way to put a large graph into Neo4j: one node file per label (header
``id:ID(Organization),:LABEL,name,aliases:string[],...``), one relationship file per type
and pair of labels (``:START_ID(Organization),:END_ID(Agreement),:TYPE,role``). Each label
is its own ID space, so a person and an organisation may share an id. The columns are
fixed by the schema (:data:`~clusterkg.graph.cypher.schema.NODE_KEYS`), so rows are written
as they come, one record at a time. List values are joined with the unit separator U+001F
(``--array-delimiter=U+001F``), which no text of the records may contain;
``--multiline-fields=true`` (which the manual warns can slow an import severely) is passed
only when a value holds a line break. :func:`write_import` also writes ``schema.cypher``
(the constraints and indexes to create once the import is done) and returns the commands.
"""

from __future__ import annotations

import csv
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterkg.graph.cypher.neo4j_schema import all_statements
from clusterkg.graph.cypher.schema import NODE_KEYS, NODE_LABELS, REL_KEYS, REL_TYPES, RelType, stream_rows
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Record

ARRAY_DELIMITER = "\x1f"
#: neo4j-admin's type of each property that is not a string.
TYPES: dict[str, str] = {
    "aliases": "string[]", "names": "string[]", "scope": "string[]", "activities": "string[]",
    "named_only": "boolean", "day_from": "long", "day_to": "long", "expires_day": "long",
}


def _column(key: str) -> str:
    kind = TYPES.get(key)
    return f"{key}:{kind}" if kind else key


def node_header(label: str) -> list[str]:
    """``id:ID(label)``, ``:LABEL`` and every other property of the label, typed."""
    return [f"id:ID({label})", ":LABEL", *(_column(k) for k in NODE_KEYS[label] if k != "id")]


def rel_header(rel: RelType) -> list[str]:
    return [f":START_ID({rel.start})", f":END_ID({rel.end})", ":TYPE", *(_column(k) for k in REL_KEYS.get(rel.type, ()))]


def rel_file(rel: RelType) -> str:
    return f"rels_{rel.type}_{rel.start}_{rel.end}.csv"


@dataclass
class ImportFiles:
    """What :func:`write_import` wrote: the files by label and type, and whether a value spans lines."""

    folder: Path
    nodes: dict[str, Path] = field(default_factory=dict)
    relationships: dict[RelType, Path] = field(default_factory=dict)
    multiline: bool = False
    rows: int = 0

    def import_args(self, database: str) -> list[str]:
        """``neo4j-admin database import full`` for ``database``, paths absolute (neo4j-admin reads a
        relative file argument as a pattern)."""
        args = ["neo4j-admin", "database", "import", "full"]
        args += [f"--nodes={path.resolve()}" for path in self.nodes.values()]
        args += [f"--relationships={path.resolve()}" for path in self.relationships.values()]
        args += ["--array-delimiter=U+001F", "--id-type=string"]
        if self.multiline:
            args.append("--multiline-fields=true")
        return args

    def commands(self, database: str = "neo4j") -> dict[str, str]:
        """The three routes, as shell commands: ``replace`` (the database exists: stop it, overwrite it),
        ``new`` (Enterprise: import under a new name, then CREATE DATABASE), ``aura``
        (import locally, dump, upload)."""
        base = self.import_args(database)
        dumps = (self.folder / "dumps").resolve()
        replace = shlex.join([*base, "--overwrite-destination=true", database])
        return {
            "replace": replace,
            "new": shlex.join([*base, database]) + f"\n# then, in cypher-shell -d system: CREATE DATABASE {database}",
            "aura": "\n".join([
                replace,
                shlex.join(["neo4j-admin", "database", "dump", database, f"--to-path={dumps}"]),
                shlex.join(["neo4j-admin", "database", "upload", database, f"--from-path={dumps}",
                            "--to-uri=neo4j+s://YOUR-INSTANCE.databases.neo4j.io", "--overwrite-destination=true"]),
            ]),
        }


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


def _spans_lines(cells: list[Any]) -> bool:
    return any(isinstance(c, str) and ("\n" in c or "\r" in c) for c in cells)


def write_import(records: Iterable[Record], folder: Path | str) -> ImportFiles:
    """Write the CSV files and ``schema.cypher`` into ``folder`` as ``records`` stream by.

    Examples
    --------
    >>> files = write_import(iter_records("out/records.jsonl"), "import")  # doctest: +SKIP
    >>> print(files.commands()["replace"])  # doctest: +SKIP
    neo4j-admin database import full --nodes=/abs/import/nodes_Organization.csv ... --overwrite-destination=true neo4j
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = ImportFiles(folder)
    handles: dict[Any, Any] = {}
    writers: dict[Any, Any] = {}

    def writer(key: Any, path: Path, header: list[str]) -> Any:
        if key not in writers:
            handle = handles[key] = path.open("w", encoding="utf-8", newline="")
            writers[key] = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
            writers[key].writerow(header)
        return writers[key]

    try:
        for kind, what, row in stream_rows(records):
            if kind == "node":
                where = f"{what} {row['id']}"
                cells = [row["id"], ARRAY_DELIMITER.join([what, *row["labels"]]),
                         *(_cell(row["props"].get(k), where) for k in NODE_KEYS[what] if k != "id")]
                path = out.nodes.setdefault(what, folder / f"nodes_{what}.csv")
                writer(what, path, node_header(what)).writerow(cells)
            else:
                where = f"{what.type} {row['start']}->{row['end']}"
                cells = [row["start"], row["end"], what.type,
                         *(_cell(row["props"].get(k), where) for k in REL_KEYS.get(what.type, ()))]
                path = out.relationships.setdefault(what, folder / rel_file(what))
                writer(what, path, rel_header(what)).writerow(cells)
            out.multiline = out.multiline or _spans_lines(cells)
            out.rows += 1
    finally:
        for handle in handles.values():
            handle.close()
    # Files in the schema's order, so the command reads the same every time.
    out.nodes = {label: out.nodes[label] for label in NODE_LABELS if label in out.nodes}
    out.relationships = {rel: out.relationships[rel] for rel in REL_TYPES if rel in out.relationships}
    (folder / "schema.cypher").write_text(schema_statements(), encoding="utf-8")
    return out


def schema_statements() -> str:
    """The constraints and indexes the loader creates, for after an import (which makes none)."""
    return "".join(f"{statement};\n" for statement in all_statements())
