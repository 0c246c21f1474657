"""Neo4j's schema for the property graph: uniqueness constraints, range indexes and the full-text
index of organisation names, as Neo4j 5 statements (schema statements are per backend, DESIGN.md
section 3).

Used by :meth:`Neo4jGraph.ensure_schema <clusterkg.graph.cypher.neo4j.Neo4jGraph.ensure_schema>`,
which creates only what ``SHOW CONSTRAINTS`` / ``SHOW INDEXES`` do not list, and written as
``schema.cypher`` by the neo4j-admin export.
"""

from __future__ import annotations

from typing import Any

from clusterkg.graph.cypher.schema import INDEXED, NODE_LABELS

#: The full-text index that the Neo4j version of find_organization reads.
FULLTEXT_INDEX = "organization_names"
FULLTEXT_LABEL = "Organization"
#: Name, aliases and other-language names (the last two are lists of strings, which a full-text index takes).
FULLTEXT_PROPERTIES = ("name", "aliases", "names")


def constraint_statement(label: str, prop: str) -> str:
    return f"CREATE CONSTRAINT {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"


def index_statement(label: str, prop: str) -> str:
    return f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


def fulltext_statement() -> str:
    props = ", ".join(f"n.{p}" for p in FULLTEXT_PROPERTIES)
    return f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{FULLTEXT_LABEL}) ON EACH [{props}]"


def all_statements(unique: dict[str, str] | None = None,
                   indexed: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Every schema statement, constraints first.

    Examples
    --------
    >>> all_statements({"Country": "id"}, {})[0]
    'CREATE CONSTRAINT country_id IF NOT EXISTS FOR (n:Country) REQUIRE n.id IS UNIQUE'
    """
    unique = {label: "id" for label in NODE_LABELS} if unique is None else unique
    indexed = INDEXED if indexed is None else indexed
    return [*(constraint_statement(label, prop) for label, prop in unique.items()),
            *(index_statement(label, prop) for label, props in indexed.items() for prop in props),
            fulltext_statement()]


def missing_statements(unique: dict[str, str], indexed: dict[str, tuple[str, ...]],
                       constraints: list[dict[str, Any]], indexes: list[dict[str, Any]]) -> list[str]:
    """The statements of :func:`all_statements` whose constraint or index is not listed yet.

    ``constraints`` and ``indexes`` are rows of ``SHOW CONSTRAINTS`` / ``SHOW INDEXES``
    (``type``, ``labelsOrTypes``, ``properties``; indexes also ``name``). A uniqueness
    constraint comes with its own range index, which counts as that index too.

    Examples
    --------
    >>> shown = [{"type": "UNIQUENESS", "labelsOrTypes": ["Country"], "properties": ["id"]}]
    >>> missing_statements({"Country": "id", "Region": "id"}, {}, shown, [{"name": "organization_names",
    ...     "type": "FULLTEXT", "labelsOrTypes": ["Organization"], "properties": ["name"]}])
    ['CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE']
    """
    have_unique = {(tuple(row.get("labelsOrTypes") or ()), tuple(row.get("properties") or ()))
                   for row in constraints if str(row.get("type", "")).upper() in {"UNIQUENESS", "NODE_KEY",
                                                                                    "NODE_PROPERTY_UNIQUENESS"}}
    have_range = {(tuple(row.get("labelsOrTypes") or ()), tuple(row.get("properties") or ()))
                  for row in indexes if str(row.get("type", "")).upper() == "RANGE"} | have_unique
    names = {row.get("name") for row in indexes}
    out = [constraint_statement(label, prop) for label, prop in unique.items()
           if ((label,), (prop,)) not in have_unique]
    out += [index_statement(label, prop) for label, props in indexed.items() for prop in props
            if ((label,), (prop,)) not in have_range]
    if FULLTEXT_INDEX not in names:
        out.append(fulltext_statement())
    return out
