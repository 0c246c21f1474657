"""The property graph in a Cypher database: one small interface, two backends.

* :class:`~clusterkg.graph.cypher.falkor.FalkorGraph` (the default): an embedded
  FalkorDB server that clusterkg starts inside the build folder;
* :class:`~clusterkg.graph.cypher.neo4j.Neo4jGraph`: a Neo4j 5 server, cluster
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

from clusterkg.graph.cypher.schema import (
    AGREEMENT_LABELS,
    INDEXED,
    NODE_LABELS,
    PROPERTY_KEYS,
    REL_TYPES,
    GraphRows,
    RelType,
    graph_rows,
)
from clusterkg.model.dataset import Dataset, gc_paused
from clusterkg.model.problems import ClusterKGError

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

    def write_batches(self, query: str, rows: list[Any], batch_size: int = BATCH_SIZE,
                      params: dict[str, Any] | None = None) -> None:
        """Run ``query`` (which reads ``$rows``, and ``params``) once per batch of ``rows``, each in its own
        transaction."""

    def remove_where(self, match: str, var: str, action: str, params: dict[str, Any]) -> None:
        """Run ``action`` (``DETACH DELETE n``) on what ``match`` finds, in transactions of bounded size."""

    def ensure_schema(self, unique: dict[str, str], indexed: dict[str, tuple[str, ...]]) -> None:
        """Create the uniqueness constraints ``{label: property}`` and indexes, if missing."""

    def save(self) -> None:
        """Make what was written durable (a no-op where every transaction already is)."""

    def close(self) -> None: ...


Progress = Callable[[str], None]


def _columns(rows: list[dict[str, Any]], first: tuple[str, ...] = ()) -> list[str]:
    """The property keys of a group of rows, in a fixed order; each one a key of the schema."""
    keys = [*first, *sorted({k for row in rows for k in row} - set(first))]
    check_keys(keys)
    return keys


class SchemaKeyError(ValueError):
    """A property key that is not in the schema was about to be written into a statement's text."""


def check_keys(keys: Iterable[str]) -> None:
    """Refuse any key not in :data:`~clusterkg.graph.cypher.schema.PROPERTY_KEYS`.

    Keys are written into the statement text (``SET n = {name: row[1]}``), so
    each one must come from the schema, never from input. A real check, not an
    ``assert``, so that ``python -O`` keeps it.

    Examples
    --------
    >>> check_keys(["id", "name"])
    >>> check_keys(["id", "name}) DETACH DELETE n //"])
    Traceback (most recent call last):
    ...
    clusterkg.graph.cypher.load.SchemaKeyError: property key 'name}) DETACH DELETE n //' is not in the graph schema (schema.PROPERTY_KEYS); only schema keys are written into Cypher text
    """
    unknown = sorted(set(keys) - _KEYS)
    if unknown:
        raise SchemaKeyError(
            f"property key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            f"{'are' if len(unknown) > 1 else 'is'} not in the graph schema (schema.PROPERTY_KEYS); "
            "only schema keys are written into Cypher text"
        )


_KEYS = frozenset(PROPERTY_KEYS)


def _map(columns: list[str], offset: int) -> str:
    return "{" + ", ".join(f"{k}: row[{i + offset}]" for i, k in enumerate(columns)) + "}"


def _node_statement(label: str, type_label: str | None, columns: list[str], create: bool = False) -> str:
    """``UNWIND $rows`` of positional rows ``[id, value, ...]`` (shorter to send than maps).

    Labels and keys come from the schema tables, never from input; values come
    in ``$rows``. An agreement's type label is part of the pattern: adding a
    label to existing nodes is slow in FalkorDB, and an agreement whose type
    changed was deleted as stale before this runs (see _remove_stale). ``SET n =
    {...}`` replaces every property; a null in the map sets none. ``create``:
    the label has no node yet, so CREATE gives what MERGE would, faster.
    """
    labels = f"{label}:{type_label}" if type_label else label
    head = f"CREATE (n:{labels})" if create else f"MERGE (n:{labels} {{id: row[0]}})"
    return f"UNWIND $rows AS row\n{head}\nSET n = {_map(columns, 0)}"


def _rel_statement(rel: RelType, columns: list[str], create: bool = False) -> str:
    """``UNWIND $rows`` of positional rows ``[start id, end id, value, ...]``, merged on the type's keys."""
    keys = ", ".join(f"{k}: row[{columns.index(k) + 2}]" for k in rel.keys)
    pattern = f"[r:{rel.type}{' {' + keys + '}' if keys else ''}]"
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{rel.start} {{id: row[0]}})\n"
        f"MATCH (b:{rel.end} {{id: row[1]}})\n"
        f"{'CREATE' if create else 'MERGE'} (a)-{pattern}->(b)\n"
        f"SET r = {_map(columns, 2)}"
    )


def _rel_key(rel: RelType, start: str, end: str, props: dict[str, Any]) -> tuple:
    return (start, end, *(props.get(k) for k in rel.keys))


def load(graph: CypherGraph, data: Dataset | GraphRows, *, batch_size: int = BATCH_SIZE,
         progress: Progress | None = None,
         node_props: dict[str, dict[str, dict[str, Any]]] | None = None,
         exclusive: bool | None = None) -> dict[str, dict[str, int]]:
    """Write ``data`` into ``graph`` so that the graph holds exactly it; return :func:`counts`.

    Everything else in the graph is deleted, so this is for a graph that holds
    this dataset alone: the embedded graph of a build. A shared server
    (``graph.backend == "neo4j"``) is refused unless ``exclusive=True`` says the
    database is this dataset's alone; :func:`clusterkg.graph.cypher.stream.load_stream`
    loads into a shared database and removes only what its dataset loaded.

    Constraints and indexes come first; then what is in the graph but no
    longer in ``data`` is deleted, and every node and relationship is merged
    by its key (``id``; start, end and the type's keys), its properties
    replaced by the record's. Running it twice leaves the same graph.

    ``node_props`` (``{label: {id: {key: value}}}``) are further properties of
    nodes, beyond the schema's (the build's ``metric_*`` columns): written with
    the nodes by a bulk insert, else by ``SET n += row.props`` batches after
    them (keys travel as parameters, never in the statement text).

    Examples
    --------
    >>> from clusterkg.graph.cypher.falkor import open_embedded
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> with open_embedded("out/falkordb") as graph:  # doctest: +SKIP
    ...     load(graph, load_dataset(["data"]))["nodes"]["Organization"]
    """
    if exclusive is None:
        exclusive = getattr(graph, "backend", None) != "neo4j"
    if not exclusive:
        raise ClusterKGError("load() replaces everything in the database; on a shared Neo4j use load_stream "
                             "(`clusterkg load neo4j`), which removes only what its dataset loaded, or pass "
                             "exclusive=True when the database holds this dataset alone")
    rows = data if isinstance(data, GraphRows) else graph_rows(data)
    say = progress or (lambda message: None)
    node_props = _with_summaries(rows, node_props)
    bulk = getattr(graph, "bulk_create", None)  # a backend's own fast path into a graph not yet there
    if bulk is not None and bulk(_with_props(rows, node_props) if node_props else rows):
        say("created the graph by bulk insert")
        graph.ensure_schema({label: "id" for label in NODE_LABELS}, INDEXED)
        graph.save()
        return counts(graph)
    graph.ensure_schema({label: "id" for label in NODE_LABELS}, INDEXED)
    empty_labels, empty_rels = _remove_stale(graph, rows, batch_size, say)
    for label in NODE_LABELS:
        by_type: dict[str | None, list[dict[str, Any]]] = {}
        for row in rows.nodes.get(label, []):
            by_type.setdefault(row["labels"][0] if row["labels"] else None, []).append(row["props"])
        for type_label, group in sorted(by_type.items(), key=lambda item: item[0] or ""):
            say(f"{len(group)} {type_label or label} nodes")
            columns = _columns(group, ("id",))
            statement = _node_statement(label, type_label, columns, create=label in empty_labels)
            graph.write_batches(statement, [[row.get(k) for k in columns] for row in group], batch_size)
    for label, extra in (node_props or {}).items():
        if extra:
            say(f"further properties of {len(extra)} {label} nodes")
            graph.write_batches(f"UNWIND $rows AS row MATCH (n:{_label(label)} {{id: row.id}}) SET n += row.props",
                                [{"id": node_id, "props": props} for node_id, props in extra.items()], batch_size)
    for rel in REL_TYPES:
        group = rows.relationships.get(rel, [])
        if group:
            say(f"{len(group)} {rel.type} relationships ({rel.start} -> {rel.end})")
            columns = _columns([r["props"] for r in group], rel.keys)
            statement = _rel_statement(rel, columns, create=rel in empty_rels)
            graph.write_batches(statement, [[r["start"], r["end"], *(r["props"].get(k) for k in columns)] for r in group],
                                batch_size)
    graph.save()
    return counts(graph)


def _with_summaries(rows: GraphRows, node_props: dict[str, dict[str, dict[str, Any]]] | None
                    ) -> dict[str, dict[str, dict[str, Any]]]:
    """``node_props`` with the organisations' summaries (agreement and partner counts, last day: what
    inactive_since and most_connected read, see :mod:`~clusterkg.graph.cypher.summaries`) added."""
    from clusterkg.graph.cypher.summaries import agreement_summaries, organization_summaries

    merged = dict(node_props or {})
    with gc_paused():  # many small dicts that stay alive, no cycles: the collector would go over them again and again
        for label, summaries in (("Organization", organization_summaries(rows)), ("Agreement", agreement_summaries(rows))):
            given = merged.get(label, {})
            merged[label] = {node: {**summary, **given.get(node, {})} for node, summary in summaries.items()}
            for node, props in given.items():
                merged[label].setdefault(node, props)
    return merged


def _label(label: str) -> str:
    if label not in NODE_LABELS:
        raise SchemaKeyError(f"label {label!r} is not in the graph schema")
    return label


def _with_props(rows: GraphRows, node_props: dict[str, dict[str, dict[str, Any]]]) -> GraphRows:
    """``rows`` with ``node_props`` added to its nodes' properties (the rows given are not changed)."""
    nodes = dict(rows.nodes)
    with gc_paused():
        return GraphRows(_merged(nodes, node_props), rows.relationships)


def _merged(nodes: dict[str, list[dict[str, Any]]], node_props: dict[str, dict[str, dict[str, Any]]]
            ) -> dict[str, list[dict[str, Any]]]:
    for label, extra in node_props.items():
        _label(label)
        if extra:
            nodes[label] = [{**row, "props": {**row["props"], **extra[row["id"]]}} if row["id"] in extra else row
                            for row in nodes.get(label, [])]
    return nodes


def _remove_stale(graph: CypherGraph, rows: GraphRows, batch_size: int,
                  say: Progress) -> tuple[set[str], set[RelType]]:
    """Delete the nodes and relationships that ``rows`` no longer has (a record removed from the input).

    Returns the labels and relationship types of which the graph then has none.
    """
    empty_labels: set[str] = set()
    empty_rels: set[RelType] = set()
    for label in NODE_LABELS:
        # A node is stale when its record is gone, or when its labels changed (an agreement's type).
        present = graph.read(f"MATCH (n:{label}) RETURN n.id AS id, labels(n) AS labels")
        if not present:  # the usual first load: nothing to compare
            empty_labels.add(label)
            continue
        wanted = {row["id"]: sorted([label, *row["labels"]]) for row in rows.nodes.get(label, [])}
        stale = [{"id": r["id"]} for r in present if wanted.get(r["id"]) != sorted(r["labels"])]
        if len(stale) == len(present):
            empty_labels.add(label)
        if stale:
            say(f"removing {len(stale)} {label} nodes no longer in the input")
            graph.write_batches(f"UNWIND $rows AS row\nMATCH (n:{label} {{id: row.id}})\nDETACH DELETE n", stale, batch_size)
    for rel in REL_TYPES:
        keys = "".join(f", r.{k} AS {k}" for k in rel.keys)
        present = graph.read(f"MATCH (a:{rel.start})-[r:{rel.type}]->(b:{rel.end}) RETURN a.id AS start, b.id AS end{keys}")
        if not present:
            empty_rels.add(rel)
            continue
        wanted = {_rel_key(rel, r["start"], r["end"], r["props"]) for r in rows.relationships.get(rel, [])}
        stale = [r for r in present if _rel_key(rel, r["start"], r["end"], r) not in wanted]
        if len(stale) == len(present):
            empty_rels.add(rel)
        if stale:
            say(f"removing {len(stale)} {rel.type} relationships no longer in the input")
            match = " AND ".join(f"r.{k} = row.{k}" for k in rel.keys)
            graph.write_batches(
                f"UNWIND $rows AS row\nMATCH (a:{rel.start} {{id: row.start}})-[r:{rel.type}]->(b:{rel.end} {{id: row.end}})\n"
                + (f"WHERE {match}\n" if match else "") + "DELETE r",
                stale, batch_size,
            )
    return empty_labels, empty_rels


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
        "nodes": sorted(({"labels": sorted(n["labels"]), "props": dict(sorted(n["props"].items()))} for n in nodes),
                        key=key),
        "relationships": sorted(({**r, "props": dict(sorted(r["props"].items()))} for r in rels), key=key),
    }


def iter_batches(rows: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]
