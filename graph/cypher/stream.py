"""Streaming loads: records in, ``UNWIND $rows`` batches out, in bounded memory.

For Neo4j (and any :class:`~clusterkg.graph.cypher.load.CypherGraph`): the records
come one at a time (from a build's ``records.jsonl``, :func:`iter_records`), become
rows (:func:`~clusterkg.graph.cypher.schema.stream_rows`) and are sent in batches;
nothing holds the whole dataset. Two passes over the records: nodes first, then the
relationships between them (a relationship can name a node of a later record).

Every node and relationship written carries the names of the datasets that loaded it
(``datasets``, a list: a country or a source is shared by every dataset that names it) and
one stamp per dataset (``loads``, ``"DATASET LOAD_ID"``). Once everything is written, what
this dataset loaded before and this load did not write (a record gone from the input, an
agreement's old type) is removed on the server, in transactions of bounded size (``CALL
{ ... } IN TRANSACTIONS`` on Neo4j), instead of being read back and compared in Python:
deleted when this dataset alone had it, otherwise only untagged. Nothing without this
dataset's name is ever touched: another dataset's nodes, or nodes another tool wrote. A
node or relationship that was in the database before a clusterkg load first matched it
(no ``datasets`` list) gets :data:`OTHER` in its list, so no dataset ever deletes it.
Only the project's own properties are set (a missing one set to null, which removes it): a
property another tool added (a GDS score) stays.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from clusterkg.graph.cypher.load import BATCH_SIZE, CypherGraph, Progress, check_keys
from clusterkg.graph.cypher.schema import (
    AGREEMENT_LABELS,
    INDEXED,
    NODE_KEYS,
    NODE_LABELS,
    REL_KEYS,
    REL_TYPES,
    GraphRows,
    RelType,
    stream_rows,
)
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import RECORD_TYPES, Record

#: The list of the datasets that loaded a node or relationship.
DATASET_KEY = "datasets"
#: The list of stamps ``"DATASET LOAD_ID"``, one per dataset: tells this load's nodes and relationships from stale ones.
LOAD_KEY = "loads"
#: In ``datasets`` of what was in the database before a clusterkg load matched it: never deleted.
OTHER = "(other)"
#: The dataset name when none is given (the library's; the command line derives one from the build).
DEFAULT_DATASET = "clusterkg"
_DATASET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]{0,99}")
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


def check_dataset(name: str) -> str:
    """A dataset name: letters, digits and ``_ . : + -``, starting with a letter or digit, at most 100.

    >>> check_dataset("eu-clusters")
    'eu-clusters'
    """
    if not isinstance(name, str) or not _DATASET_NAME.fullmatch(name):
        raise ClusterKGError(f"dataset name {name!r}: use letters, digits and _ . : + - (at most 100, "
                             "starting with a letter or digit)")
    return name


def load_params(dataset: str, load: str) -> dict[str, Any]:
    """The parameters every write and removal statement of one load takes."""
    return {"dataset": dataset, "stamp": f"{dataset} {load}", "prefix": f"{dataset} ", "other": OTHER}


def _tags(var: str) -> list[str]:
    return [f"{var}.{DATASET_KEY} = [x IN coalesce({var}.{DATASET_KEY}, [$other]) WHERE x <> $dataset] + $dataset",
            f"{var}.{LOAD_KEY} = [x IN coalesce({var}.{LOAD_KEY}, []) WHERE NOT x STARTS WITH $prefix] + $stamp"]


def _sets(var: str, keys: tuple[str, ...], offset: int) -> str:
    check_keys(keys)
    return ", ".join([*(f"{var}.{k} = row[{i + offset}]" for i, k in enumerate(keys)), *_tags(var)])


def node_statement(label: str, type_label: str | None = None) -> str:
    """``UNWIND $rows`` of ``[id, value per NODE_KEYS[label]...]``: merge by id, set the project's properties.

    An agreement's type label is set, and any other type label removed, so a changed type
    needs no delete.

    Examples
    --------
    >>> print(node_statement("Country"))  # doctest: +NORMALIZE_WHITESPACE
    UNWIND $rows AS row
    MERGE (n:Country {id: row[0]})
    ON CREATE SET n.datasets = [$dataset]
    SET n.id = row[0], n.code = row[1], n.name = row[2],
      n.datasets = [x IN coalesce(n.datasets, [$other]) WHERE x <> $dataset] + $dataset,
      n.loads = [x IN coalesce(n.loads, []) WHERE NOT x STARTS WITH $prefix] + $stamp
    """
    lines = ["UNWIND $rows AS row", f"MERGE (n:{label} {{id: row[0]}})", f"ON CREATE SET n.{DATASET_KEY} = [$dataset]"]
    if type_label:
        others = sorted(set(AGREEMENT_LABELS.values()) - {type_label})
        lines += [f"REMOVE n:{':'.join(others)}", f"SET n:{type_label}"]
    lines.append(f"SET {_sets('n', NODE_KEYS[label], 0)}")
    return "\n".join(lines)


def rel_statement(rel: RelType) -> str:
    """``UNWIND $rows`` of ``[start id, end id, merge key?, value per REL_KEYS...]``.

    Examples
    --------
    >>> print(rel_statement(RelType("PARTY_TO", "Organization", "Agreement")))  # doctest: +ELLIPSIS
    UNWIND $rows AS row
    MATCH (a:Organization {id: row[0]})
    MATCH (b:Agreement {id: row[1]})
    MERGE (a)-[r:PARTY_TO]->(b)
    ON CREATE SET r.datasets = [$dataset]
    SET r.role = row[2], r.datasets = ..., r.loads = ...
    """
    keys = REL_KEYS.get(rel.type, ())
    merge = f" {{{MERGE_KEY}: row[2]}}" if rel.keys else ""
    offset = 3 if rel.keys else 2
    return "\n".join([
        "UNWIND $rows AS row",
        f"MATCH (a:{rel.start} {{id: row[0]}})",
        f"MATCH (b:{rel.end} {{id: row[1]}})",
        f"MERGE (a)-[r:{rel.type}{merge}]->(b)",
        f"ON CREATE SET r.{DATASET_KEY} = [$dataset]",
        f"SET {_sets('r', keys, offset)}",
    ])


def merge_key(rel: RelType, props: dict[str, Any]) -> str:
    """The keys of a relationship as one text (JSON: unambiguous, and null is ``null``)."""
    return json.dumps([props.get(k) for k in rel.keys], ensure_ascii=False)


def stale_matches() -> list[tuple[str, str, str]]:
    """``(MATCH ... WHERE, variable, action)`` for every label and type: what this dataset loaded before and
    this load did not write; deleted when the dataset alone had it, else untagged."""
    out = []
    for pattern, var, delete in [*((f"(n:{label})", "n", "DETACH DELETE n") for label in NODE_LABELS),
                                 *((f"(:{rel.start})-[r:{rel.type}]->(:{rel.end})", "r", "DELETE r")
                                   for rel in REL_TYPES)]:
        datasets, loads = f"{var}.{DATASET_KEY}", f"{var}.{LOAD_KEY}"
        not_now = f"NOT $stamp IN coalesce({loads}, [])"
        out.append((f"MATCH {pattern} WHERE {datasets} = [$dataset] AND {not_now}", var, delete))
        out.append((f"MATCH {pattern} WHERE $dataset IN {datasets} AND size({datasets}) > 1 AND {not_now}", var,
                    f"SET {datasets} = [x IN {datasets} WHERE x <> $dataset], "
                    f"{loads} = [x IN coalesce({loads}, []) WHERE NOT x STARTS WITH $prefix]"))
    return out


def statements() -> list[str]:
    """Every write statement the streaming loader can send (for the linter)."""
    out = [node_statement(label) for label in NODE_LABELS if label != "Agreement"]
    out += [node_statement("Agreement", t) for t in AGREEMENT_LABELS.values()]
    out += [rel_statement(rel) for rel in REL_TYPES]
    out += [summary_statement(label) for label in ("Organization", "Agreement")]
    return out


def summary_statement(label: str) -> str:
    """Set the summaries of this dataset's ``label`` nodes from ``[id, {key: value}]`` rows (keys as parameters)."""
    return f"UNWIND $rows AS row MATCH (n:{label} {{id: row[0]}}) WHERE $dataset IN n.{DATASET_KEY} SET n += row[1]"


class _Batches:
    """Rows waiting to be sent, by statement; a statement's rows go when it has ``size``."""

    def __init__(self, graph: CypherGraph, size: int, params: dict[str, Any]):
        self.graph, self.size, self.params = graph, size, params
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
                self.graph.write_batches(key, rows, self.size, params=self.params)
                self.sent += len(rows)


def node_row(label: str, row: dict[str, Any]) -> list[Any]:
    return [row["props"].get(k) for k in NODE_KEYS[label]]


def rel_row(rel: RelType, row: dict[str, Any]) -> list[Any]:
    head = [row["start"], row["end"], *([merge_key(rel, row["props"])] if rel.keys else [])]
    return head + [row["props"].get(k) for k in REL_KEYS.get(rel.type, ())]


def load_stream(graph: CypherGraph, records: Callable[[], Iterable[Record]], *, batch_size: int = BATCH_SIZE,
                progress: Progress | None = None, load_id: str | None = None,
                dataset: str = DEFAULT_DATASET) -> dict[str, dict[str, int]]:
    """Write the records that ``records()`` yields (called twice) into ``graph`` as dataset ``dataset``, so
    that this dataset's part of the graph holds exactly them; return the counts per label and type of the
    dataset, read back from the graph. Nodes and relationships of other datasets, or that other tools wrote,
    are never removed.

    Examples
    --------
    >>> from clusterkg.graph.cypher.neo4j import Neo4jGraph
    >>> with Neo4jGraph.from_env() as graph:  # doctest: +SKIP
    ...     load_stream(graph, lambda: iter_records("out/records.jsonl"))
    """
    say = progress or (lambda message: None)
    params = load_params(check_dataset(dataset), load_id or uuid.uuid4().hex)
    graph.ensure_schema({label: "id" for label in NODE_LABELS}, INDEXED)
    batches = _Batches(graph, batch_size, params)
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
    slim = GraphRows()  # what the summaries are worked out from: a few fields of three kinds of row
    for kind, what, row in stream_rows(records()):
        if kind == "rel":
            batches.add(rel_statements[what], rel_row(what, row))
            if what.type in _SUMMARY_RELATIONSHIPS:
                slim.relationships.setdefault(what, []).append({"start": row["start"], "end": row["end"]})
        elif what in _SUMMARY_NODE_KEYS:
            keep = {k: row["props"][k] for k in _SUMMARY_NODE_KEYS[what] if k in row["props"]}
            slim.nodes.setdefault(what, []).append({"id": row["id"], "props": keep})
    batches.flush()
    say(f"{batches.sent - nodes} relationships written")
    _write_summaries(graph, slim, batch_size, params)
    del slim
    say("organisation and agreement summaries written (what inactive_since, most_connected and the "
        "country queries read)")
    for match, var, action in stale_matches():
        graph.remove_where(match, var, action, params)
    say(f"removed what dataset {dataset} no longer has")
    graph.save()
    return dataset_counts(graph, dataset)


#: The rows :mod:`~clusterkg.graph.cypher.summaries` reads, and the properties it reads of them.
_SUMMARY_NODE_KEYS = {"Organization": ("country", "name", "aliases", "names"), "Agreement": ("day_to", "date")}
_SUMMARY_RELATIONSHIPS = frozenset({"PARTY_TO", "RENEWS", "SUPERSEDES"})


def _write_summaries(graph: CypherGraph, slim: GraphRows, batch_size: int, params: dict[str, Any]) -> None:
    """The per-organisation and per-agreement summaries the batch loader writes, on the streamed graph too.

    Worked out from the slim rows (ids, countries, names, dates and who is party to what: a fraction
    of the records) and set with ``SET n += row.props``: keys travel as parameters.
    """
    from clusterkg.graph.cypher.summaries import agreement_summaries, organization_summaries

    for label, summaries in (("Organization", organization_summaries(slim)), ("Agreement", agreement_summaries(slim))):
        rows = [[node, props] for node, props in summaries.items()]  # positional, as every batch here
        graph.write_batches(summary_statement(label), rows, batch_size, params=params)


def dataset_counts(graph: CypherGraph, dataset: str) -> dict[str, dict[str, int]]:
    """Node counts per label and relationship counts per type of one dataset in ``graph``."""
    labels = [*NODE_LABELS, *AGREEMENT_LABELS.values()]
    where = f"WHERE $dataset IN n.{DATASET_KEY}"
    nodes = {label: graph.read(f"MATCH (n:{label}) {where} RETURN count(n) AS n", {"dataset": dataset})[0]["n"]
             for label in labels}
    types = sorted({rel.type for rel in REL_TYPES})
    rels = {t: graph.read(f"MATCH ()-[r:{t}]->() WHERE $dataset IN r.{DATASET_KEY} RETURN count(r) AS n",
                          {"dataset": dataset})[0]["n"] for t in types}
    return {"nodes": {k: v for k, v in sorted(nodes.items()) if v},
            "relationships": {k: v for k, v in sorted(rels.items()) if v}}
