"""The property graph in a Cypher database: one small interface, two backends.

* :class:`~clusterkg.graph.falkor.FalkorGraph` (the default): an embedded
  FalkorDB server that clusterkg starts inside the build folder;
* :class:`~clusterkg.graph.neo4j_backend.Neo4jGraph`: a Neo4j 5 server, cluster
  or Aura, through the official driver.

Both take the same statements: :func:`load` writes :func:`graph_rows` with
``UNWIND $rows ... MERGE`` batches, so loading the same records twice changes
nothing, a changed record is updated, and one that is gone from the input is
deleted (with its relationships) on the next load. Values always travel as
parameters, never in the query text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from clusterkg.graph.property_graph import (
    AGREEMENT_LABELS,
    INDEXED,
    NODE_LABELS,
    REL_TYPES,
    GraphRows,
    RelType,
    graph_rows,
)
from clusterkg.loaders.dataset import Dataset

#: Rows per ``UNWIND`` batch: large enough to amortise a round trip, small
#: enough for one Neo4j transaction to stay light.
BATCH_SIZE = 5000


class CypherGraph(Protocol):
    """What the loader and the query runner need from a backend."""

    #: ``"falkordb"`` or ``"neo4j"``, for messages.
    backend: str

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only query; one dict per record, keys in RETURN order."""

    def write(self, query: str, params: dict[str, Any] | None = None) -> None:
        """Run one write statement."""

    def write_batches(self, query: str, rows: list[dict[str, Any]], batch_size: int = BATCH_SIZE) -> None:
        """Run ``query`` (which reads ``$rows``) once per batch of ``rows``, each in its own transaction."""

    def ensure_schema(self, unique: dict[str, str], indexed: dict[str, tuple[str, ...]]) -> None:
        """Create the uniqueness constraints ``{label: property}`` and indexes, if missing."""

    def save(self) -> None:
        """Make what was written durable (a no-op where every transaction already is)."""

    def close(self) -> None: ...


Progress = Callable[[str], None]


def _node_statement(label: str, type_label: str | None) -> str:
    # Labels come from the schema tables, never from input; values come in $rows.
    text = f"UNWIND $rows AS row\nMERGE (n:{label} {{id: row.id}})\nSET n = row.props"
    if label == "Agreement":
        # An agreement whose type changed loses its old type label.
        text += "\nREMOVE n:" + ":".join(AGREEMENT_LABELS.values())
        if type_label:
            text += f"\nSET n:{type_label}"
    return text


def _rel_statement(rel: RelType) -> str:
    keys = ", ".join(f"{k}: row.props.{k}" for k in rel.keys)
    pattern = f"[r:{rel.type}{' {' + keys + '}' if keys else ''}]"
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{rel.start} {{id: row.start}})\n"
        f"MATCH (b:{rel.end} {{id: row.end}})\n"
        f"MERGE (a)-{pattern}->(b)\n"
        "SET r = row.props"
    )


def _rel_key(rel: RelType, start: str, end: str, props: dict[str, Any]) -> tuple:
    return (start, end, *(props.get(k) for k in rel.keys))


def load(graph: CypherGraph, data: Dataset | GraphRows, *, batch_size: int = BATCH_SIZE,
         progress: Progress | None = None) -> dict[str, dict[str, int]]:
    """Write ``data`` into ``graph`` so that the graph holds exactly it; return :func:`counts`.

    Constraints and indexes come first; then what is in the graph but no
    longer in ``data`` is deleted, and every node and relationship is merged
    by its key (``id``; start, end and the type's keys), its properties
    replaced by the record's. Running it twice leaves the same graph.

    Examples
    --------
    >>> from clusterkg.graph.falkor import open_embedded
    >>> from clusterkg.loaders.dataset import load_dataset
    >>> with open_embedded("out/falkordb") as graph:  # doctest: +SKIP
    ...     load(graph, load_dataset(["data"]))["nodes"]["Organization"]
    """
    rows = data if isinstance(data, GraphRows) else graph_rows(data)
    say = progress or (lambda message: None)
    graph.ensure_schema({label: "id" for label in NODE_LABELS}, INDEXED)
    _remove_stale(graph, rows, batch_size, say)
    for label in NODE_LABELS:
        by_type: dict[str | None, list[dict[str, Any]]] = {}
        for row in rows.nodes.get(label, []):
            by_type.setdefault(row["labels"][0] if row["labels"] else None, []).append(row)
        for type_label, group in sorted(by_type.items(), key=lambda item: item[0] or ""):
            say(f"{len(group)} {type_label or label} nodes")
            graph.write_batches(_node_statement(label, type_label), group, batch_size)
    for rel in REL_TYPES:
        group = rows.relationships.get(rel, [])
        if group:
            say(f"{len(group)} {rel.type} relationships ({rel.start} -> {rel.end})")
            graph.write_batches(_rel_statement(rel), group, batch_size)
    graph.save()
    return counts(graph)


def _remove_stale(graph: CypherGraph, rows: GraphRows, batch_size: int, say: Progress) -> None:
    """Delete the nodes and relationships that ``rows`` no longer has (a record removed from the input)."""
    for label in NODE_LABELS:
        wanted = {row["id"] for row in rows.nodes.get(label, [])}
        present = [r["id"] for r in graph.read(f"MATCH (n:{label}) RETURN n.id AS id")]
        stale = [{"id": i} for i in present if i not in wanted]
        if stale:
            say(f"removing {len(stale)} {label} nodes no longer in the input")
            graph.write_batches(f"UNWIND $rows AS row\nMATCH (n:{label} {{id: row.id}})\nDETACH DELETE n", stale, batch_size)
    for rel in REL_TYPES:
        wanted = {_rel_key(rel, r["start"], r["end"], r["props"]) for r in rows.relationships.get(rel, [])}
        keys = "".join(f", r.{k} AS {k}" for k in rel.keys)
        present = graph.read(f"MATCH (a:{rel.start})-[r:{rel.type}]->(b:{rel.end}) RETURN a.id AS start, b.id AS end{keys}")
        stale = [r for r in present if _rel_key(rel, r["start"], r["end"], r) not in wanted]
        if stale:
            say(f"removing {len(stale)} {rel.type} relationships no longer in the input")
            match = " AND ".join(f"r.{k} = row.{k}" for k in rel.keys)
            graph.write_batches(
                f"UNWIND $rows AS row\nMATCH (a:{rel.start} {{id: row.start}})-[r:{rel.type}]->(b:{rel.end} {{id: row.end}})\n"
                + (f"WHERE {match}\n" if match else "") + "DELETE r",
                stale, batch_size,
            )


def counts(graph: CypherGraph) -> dict[str, dict[str, int]]:
    """Node counts per label and relationship counts per type in ``graph``, for the labels
    and types of the schema; the same shape as :meth:`GraphRows.counts`.
    """
    labels = [*NODE_LABELS, *AGREEMENT_LABELS.values()]
    nodes = {label: graph.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"] for label in labels}
    types = sorted({rel.type for rel in REL_TYPES})
    relationships = {t: graph.read(f"MATCH ()-[r:{t}]->() RETURN count(r) AS n")[0]["n"] for t in types}
    return {
        "nodes": {k: v for k, v in sorted(nodes.items()) if v},
        "relationships": {k: v for k, v in sorted(relationships.items()) if v},
    }


def properties(graph: CypherGraph) -> dict[str, Any]:
    """Every node's and relationship's properties, as sorted plain data: two graphs hold the
    same facts exactly when this is equal (used to check that loads are idempotent).
    """
    nodes = graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = graph.read("MATCH (a)-[r]->(b) RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props")

    def key(item: dict[str, Any]) -> str:
        return repr(sorted((k, repr(v)) for k, v in item.items()))

    return {
        "nodes": sorted(({"labels": sorted(n["labels"]), "props": dict(n["props"])} for n in nodes), key=key),
        "relationships": sorted(({**r, "props": dict(r["props"])} for r in rels), key=key),
    }


def iter_batches(rows: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]
