"""Run the named SPARQL queries (queries/*.rq) on rdflib graphs and Oxigraph stores.

The files, their headers and the check of parameter values are
:mod:`clusterkg.graph.queries`' (one loader for Cypher and SPARQL). Here each
checked value becomes an RDF literal: a record id (``organization`` ...) a plain
literal the query matches with ``dct:identifier``, so queries do not depend on
the graph's base IRI; a ``country`` its ISO code; a ``date`` a literal typed by
its precision (``xsd:gYearMonth`` for ``2017-06``); an ``integer`` an
``xsd:integer``; a ``string`` a plain literal. Values are bound to the query's
variables (rdflib's ``initBindings``, Oxigraph's ``substitutions``), never
pasted into its text, so a value such as ``"} ; DROP ALL ; #`` is only ever data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterkg.graph import queries as _queries
from clusterkg.graph.queries import QUERIES_DIR, NamedQuery, Param, parse_query  # noqa: F401 - the API
from clusterkg.graph.rdf.iris import DATATYPE_OF_PRECISION
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import ClusterKGError

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
#: Joins the items of a ``# sequences:`` column (a control character no name holds).
SEQUENCE_SEPARATOR = "\x1f"


@dataclass
class Result:
    """Columns and rows (each a dict column -> plain Python value, None where unbound)."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Term:
    """A parameter's RDF literal: its text and datatype IRI (None for a plain literal)."""

    lexical: str
    datatype: str | None = None


def library(folder: Path | str = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named SPARQL query in ``folder`` (queries/ by default), by name."""
    return _queries.library(folder, "sparql")


def get_query(name: str, folder: Path | str = QUERIES_DIR) -> NamedQuery:
    return _queries.get_query(name, folder, "sparql")


def check_params(query: NamedQuery, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` checked against the query's declaration (see :meth:`NamedQuery.bind`), defaults added."""
    return query.bind(values)


def term_value(param: Param, value: Any) -> Term:
    """The RDF literal for a checked parameter value.

    Examples
    --------
    >>> term_value(Param("org", "organization"), "link-j")
    Term(lexical='link-j', datatype=None)
    >>> term_value(Param("since", "date"), "2017-06")
    Term(lexical='2017-06', datatype='http://www.w3.org/2001/XMLSchema#gYearMonth')
    """
    if param.type == "date":
        return Term(value, DATATYPE_OF_PRECISION[PartialDate.parse(value).precision])
    if param.type == "integer":
        return Term(str(value), XSD_INTEGER)
    return Term(str(value))


def _rdflib_term(term: Term):
    from rdflib import Literal, URIRef

    return Literal(term.lexical, datatype=URIRef(term.datatype) if term.datatype else None)


def _oxigraph_term(term: Term):
    import pyoxigraph as ox

    return ox.Literal(term.lexical, datatype=ox.NamedNode(term.datatype)) if term.datatype else ox.Literal(term.lexical)


def run(
    query: NamedQuery | str,
    target: Any,
    values: Mapping[str, Any] | None = None,
    *,
    folder: Path | str = QUERIES_DIR,
) -> Result:
    """Run a named query on an rdflib ``Graph`` or a ``pyoxigraph.Store``, with parameter values.

    Examples
    --------
    >>> from clusterkg.model.records import Organization
    >>> from clusterkg.graph.rdf import to_graph
    >>> g = to_graph([Organization(id="link-j", name="LINK-J", kind="cluster", country="JP")])
    >>> run("find_organization", g, {"text": "link"}).rows
    [{'organization': 'link-j', 'name': 'LINK-J', 'country': 'JP', 'total': 1}]
    """
    named = get_query(query, folder) if isinstance(query, str) else query
    bound = named.bind(dict(values or {}))
    terms = {p.name: term_value(p, bound[p.name]) for p in named.params if p.name != named.limit}
    if _is_oxigraph(target):
        result = _run_oxigraph(named, target, terms)
    else:
        result = _run_rdflib(named, target, terms)
    # Queries project their parameters (Oxigraph substitutes only projected variables); drop them.
    result.columns = [c for c in result.columns if c not in terms]
    result.rows = [{c: row[c] for c in result.columns} for row in result.rows]
    if named.limit is not None:
        # A query that keeps the first rows says how many there were (the Cypher twins' total column).
        total = len(result.rows)
        result.rows = [{**row, "total": total} for row in result.rows[: max(bound[named.limit], 0)]]
        if "total" not in result.columns:
            result.columns.append("total")
    for row in result.rows:
        for column, value in row.items():
            # SPARQL engines differ on aggregates over unbound values, so queries aggregate "" for
            # "none" (partners' first and last date, say); it comes back as None, as Cypher's null does.
            if value == "":
                row[column] = None
        # SPARQL leaves the order inside GROUP_CONCAT open (rdflib and Oxigraph differ): sort it.
        for column in named.lists:
            if column in row:
                row[column] = sorted(str(row[column] or "").split())
        for column in named.sequences:
            if column in row:
                row[column] = str(row[column]).split(SEQUENCE_SEPARATOR) if row[column] else []
    return result


def _is_oxigraph(target: Any) -> bool:
    return type(target).__module__.startswith("pyoxigraph")


def _run_rdflib(query: NamedQuery, graph: Any, terms: dict[str, Term]) -> Result:
    from rdflib import Literal, Variable

    bindings = {Variable(name): _rdflib_term(term) for name, term in terms.items()}
    result = graph.query(query.text, initBindings=bindings)
    columns = [str(v) for v in result.vars or []]
    rows = []
    for row in result:
        item = {}
        for column, value in zip(columns, row):
            if value is None:
                item[column] = None
            elif isinstance(value, Literal):
                item[column] = _python(str(value), str(value.datatype) if value.datatype else None)
            else:
                item[column] = str(value)
        rows.append(item)
    return Result(columns, rows)


def _run_oxigraph(query: NamedQuery, store: Any, terms: dict[str, Term]) -> Result:
    import pyoxigraph as ox

    substitutions = {ox.Variable(name): _oxigraph_term(term) for name, term in terms.items()}
    solutions = store.query(query.text, substitutions=substitutions)
    columns = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        item = {}
        for column in columns:
            value = solution[column]
            if value is None:
                item[column] = None
            elif isinstance(value, ox.Literal):
                item[column] = _python(value.value, value.datatype.value)
            else:
                item[column] = value.value
        rows.append(item)
    return Result(columns, rows)


_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#positiveInteger": int,
    "http://www.w3.org/2001/XMLSchema#long": int,
    "http://www.w3.org/2001/XMLSchema#int": int,
    "http://www.w3.org/2001/XMLSchema#decimal": float,
    "http://www.w3.org/2001/XMLSchema#double": float,
}


def _python(lexical: str, datatype: str | None) -> Any:
    convert = _NUMERIC.get(datatype or "")
    if convert is not None:
        try:
            return convert(lexical)
        except ValueError:
            return lexical
    return lexical


def select(target: Any, text: str) -> Result:
    """Run a fixed query text (no parameters) on an rdflib graph or an Oxigraph store.

    For the project's own constant queries (counts); user values go through :func:`run`.
    """
    query = NamedQuery("internal", "", (), text)
    if _is_oxigraph(target):
        return _run_oxigraph(query, target, {})
    return _run_rdflib(query, target, {})


def run_text(text: str, target: Any, values: Mapping[str, Any]) -> Result:
    """Run a SPARQL query of the user's own (not from the library), its ``$names`` bound to ``values``.

    Values become literals: integers ``xsd:integer``, booleans ``xsd:boolean``,
    anything else a plain literal. Only queries run (SELECT, ASK); the query
    calls of both engines parse no update, so a text that writes is refused.
    """
    terms = {}
    for name, value in values.items():
        if isinstance(value, bool):
            terms[name] = Term("true" if value else "false", "http://www.w3.org/2001/XMLSchema#boolean")
        elif isinstance(value, int):
            terms[name] = Term(str(value), XSD_INTEGER)
        else:
            terms[name] = Term(str(value))
    if _is_oxigraph(target) and terms:
        text = _projecting(text, list(terms))
    query = NamedQuery("query", "", (), text, language="sparql")
    try:
        result = _run_oxigraph(query, target, terms) if _is_oxigraph(target) else _run_rdflib(query, target, terms)
    except ClusterKGError:
        raise
    except Exception as error:  # each engine has its own parse and evaluation errors
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        hint = ""
        if terms and ("projection" in first or "unbound" in first):
            hint = ("; Oxigraph binds a parameter only where the SELECT projects it: with aggregates, "
                    "bind it in a subquery that projects it")
        raise ClusterKGError(f"the SPARQL query could not run (queries only; updates are not run here): "
                             f"{first}{hint}") from None
    result.columns = [c for c in result.columns if c not in terms]
    result.rows = [{c: row.get(c) for c in result.columns} for row in result.rows]
    return result


_SELECT = re.compile(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?(?!\*)", re.I)


def _projecting(text: str, names: list[str]) -> str:
    """The query with its parameters added to its first projection (Oxigraph binds only projected variables).

    Only variable names, checked identifiers, go into the text; their values stay substitutions.
    A query that projects ``*`` already projects them.

    >>> _projecting("SELECT ?o WHERE { ?o ?p $id }", ["id"])
    'SELECT $id ?o WHERE { ?o ?p $id }'
    """
    return _SELECT.sub(lambda m: m.group(0) + "".join(f"${name} " for name in names), text, count=1)
