"""Streaming loads: records in, ``UNWIND $rows`` batches out, in bounded memory.

For Neo4j (and any :class:`~clusterkg.graph.cypher.load.CypherGraph`): the records
come one at a time (from a build's ``records.jsonl``, :func:`iter_records`), become
rows (:func:`~clusterkg.graph.cypher.schema.stream_rows`) and are sent in batches;
nothing holds the whole dataset. Two passes over the records: nodes first, then the
relationships between them (a relationship can name a node of a later record).

Every node and relationship written is stamped with this load's ``load_id``; once
everything is written, what does not carry the stamp (a record gone from the input,
an agreement's old type) is deleted on the server, in transactions of bounded size
(``CALL { ... } IN TRANSACTIONS`` on Neo4j), instead of being read back and compared
in Python. Only the project's own properties are set (a missing one set to null,
which removes it): a property another tool added (a GDS score) stays.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from clusterkg.graph.cypher.load import BATCH_SIZE, CypherGraph, Progress, check_keys, counts
from clusterkg.graph.cypher.schema import (
    AGREEMENT_LABELS,
    INDEXED,
    NODE_KEYS,
    NODE_LABELS,
    REL_KEYS,
    REL_TYPES,
    RelType,
    stream_rows,
)
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import RECORD_TYPES, Record

#: The property that tells this load's nodes and relationships from stale ones.
LOAD_KEY = "load_id"
#: On a relationship type with keys (SIGNED, HOLDS_POST): the keys as one text, never null,
#: for MERGE (Neo4j refuses to merge on a null property value).
MERGE_KEY = "merge_key"


def iter_records(path: Path | str) -> Iterator[Record]:
    """The records of a build's ``records.jsonl``, one line at a time.

    The file is the build's own output (validated and resolved), so each line is only
    parsed, not resolved again; a line that is not a record is an error naming the line.
    """
    from pydantic import ValidationError

    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise ClusterKGError(f"{path}: cannot read: {error.strerror or error}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                kind = data.pop("record")
                yield RECORD_TYPES[kind].model_validate(data)
            except (ValueError, KeyError, TypeError, AttributeError, ValidationError) as error:
                first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                raise ClusterKGError(f"{path}:{number}: not a record as `clusterkg build` writes them ({first})") from None


def _sets(var: str, keys: tuple[str, ...], offset: int) -> str:
    check_keys(keys)
    return ", ".join([*(f"{var}.{k} = row[{i + offset}]" for i, k in enumerate(keys)), f"{var}.{LOAD_KEY} = $load"])


def node_statement(label: str, type_label: str | None = None) -> str:
    """``UNWIND $rows`` of ``[id, value per NODE_KEYS[label]...]``: merge by id, set the project's properties.

    An agreement's type label is set, and any other type label removed, so a changed type
    needs no delete.

    Examples
    --------
    >>> print(node_statement("Country"))
    UNWIND $rows AS row
    MERGE (n:Country {id: row[0]})
    SET n.id = row[0], n.code = row[1], n.name = row[2], n.load_id = $load
    """
    lines = ["UNWIND $rows AS row", f"MERGE (n:{label} {{id: row[0]}})"]
    if type_label:
        others = sorted(set(AGREEMENT_LABELS.values()) - {type_label})
        lines += [f"REMOVE n:{':'.join(others)}", f"SET n:{type_label}"]
    lines.append(f"SET {_sets('n', NODE_KEYS[label], 0)}")
    return "\n".join(lines)


def rel_statement(rel: RelType) -> str:
    """``UNWIND $rows`` of ``[start id, end id, merge key?, value per REL_KEYS...]``.

    Examples
    --------
    >>> print(rel_statement(RelType("PARTY_TO", "Organization", "Agreement")))
    UNWIND $rows AS row
    MATCH (a:Organization {id: row[0]})
    MATCH (b:Agreement {id: row[1]})
    MERGE (a)-[r:PARTY_TO]->(b)
    SET r.role = row[2], r.load_id = $load
    """
    keys = REL_KEYS.get(rel.type, ())
    merge = f" {{{MERGE_KEY}: row[2]}}" if rel.keys else ""
    offset = 3 if rel.keys else 2
    return "\n".join([
        "UNWIND $rows AS row",
        f"MATCH (a:{rel.start} {{id: row[0]}})",
        f"MATCH (b:{rel.end} {{id: row[1]}})",
        f"MERGE (a)-[r:{rel.type}{merge}]->(b)",
        f"SET {_sets('r', keys, offset)}",
    ])


def merge_key(rel: RelType, props: dict[str, Any]) -> str:
    """The keys of a relationship as one text (JSON: unambiguous, and null is ``null``)."""
    return json.dumps([props.get(k) for k in rel.keys], ensure_ascii=False)


def stale_matches() -> list[tuple[str, str, str]]:
    """``(MATCH ... WHERE, variable, action)`` for every label and type: what has not this load's stamp."""
    out = [(f"MATCH (n:{label}) WHERE n.{LOAD_KEY} IS NULL OR n.{LOAD_KEY} <> $load", "n", "DETACH DELETE n")
           for label in NODE_LABELS]
    out += [(f"MATCH (:{rel.start})-[r:{rel.type}]->(:{rel.end}) WHERE r.{LOAD_KEY} IS NULL OR r.{LOAD_KEY} <> $load",
             "r", "DELETE r") for rel in REL_TYPES]
    return out


def statements() -> list[str]:
    """Every write statement the streaming loader can send (for the linter)."""
    out = [node_statement(label) for label in NODE_LABELS if label != "Agreement"]
    out += [node_statement("Agreement", t) for t in AGREEMENT_LABELS.values()]
    out += [rel_statement(rel) for rel in REL_TYPES]
    return out


class _Batches:
    """Rows waiting to be sent, by statement; a statement's rows go when it has ``size``."""

    def __init__(self, graph: CypherGraph, size: int, load: str):
        self.graph, self.size, self.load = graph, size, load
        self.pending: dict[str, list[list[Any]]] = {}
        self.sent = 0

    def add(self, statement: str, row: list[Any]) -> None:
        rows = self.pending.setdefault(statement, [])
        rows.append(row)
        if len(rows) >= self.size:
            self.flush(statement)

    def flush(self, statement: str | None = None) -> None:
        for key in [statement] if statement else list(self.pending):
            rows = self.pending.pop(key, [])
            if rows:
                self.graph.write_batches(key, rows, self.size, params={"load": self.load})
                self.sent += len(rows)


def node_row(label: str, row: dict[str, Any]) -> list[Any]:
    return [row["props"].get(k) for k in NODE_KEYS[label]]


def rel_row(rel: RelType, row: dict[str, Any]) -> list[Any]:
    head = [row["start"], row["end"], *([merge_key(rel, row["props"])] if rel.keys else [])]
    return head + [row["props"].get(k) for k in REL_KEYS.get(rel.type, ())]


def load_stream(graph: CypherGraph, records: Callable[[], Iterable[Record]], *, batch_size: int = BATCH_SIZE,
                progress: Progress | None = None, load_id: str | None = None) -> dict[str, dict[str, int]]:
    """Write the records that ``records()`` yields (called twice) into ``graph``, so that it holds
    exactly them; return the counts per label and type read back from the graph.

    Examples
    --------
    >>> from clusterkg.graph.cypher.neo4j import Neo4jGraph
    >>> with Neo4jGraph.from_env() as graph:  # doctest: +SKIP
    ...     load_stream(graph, lambda: iter_records("out/records.jsonl"))
    """
    say = progress or (lambda message: None)
    load = load_id or uuid.uuid4().hex
    graph.ensure_schema({label: "id" for label in NODE_LABELS}, INDEXED)
    batches = _Batches(graph, batch_size, load)
    statements_by_type = {t: node_statement("Agreement", t) for t in AGREEMENT_LABELS.values()}
    plain = {label: node_statement(label) for label in NODE_LABELS}
    for kind, what, row in stream_rows(records()):
        if kind == "node":
            statement = statements_by_type[row["labels"][0]] if what == "Agreement" else plain[what]
            batches.add(statement, node_row(what, row))
    batches.flush()
    say(f"{batches.sent} nodes written")
    nodes = batches.sent
    rel_statements = {rel: rel_statement(rel) for rel in REL_TYPES}
    for kind, what, row in stream_rows(records()):
        if kind == "rel":
            batches.add(rel_statements[what], rel_row(what, row))
    batches.flush()
    say(f"{batches.sent - nodes} relationships written")
    for match, var, action in stale_matches():
        graph.remove_where(match, var, action, {"load": load})
    say("removed what is no longer in the input")
    graph.save()
    return counts(graph)
