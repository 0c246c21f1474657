"""Named SPARQL queries (queries/*.rq) and one runner for rdflib graphs and Oxigraph stores.

A query file starts with a header of comment lines::

    # name: partners
    # doc: The partners of an organisation ...
    #      (a doc may go on over several lines)
    # params: org:organization, since:date
    # lists: partners

Each parameter has a type that says how a value typed by a user becomes an RDF
term: ``organization``, ``agreement``, ``person``, ``programme``, ``event``
(the record's id, a literal the query matches with ``dct:identifier``, so
queries do not depend on the graph's base IRI), ``country`` (an ISO 3166-1 code),
``date`` (``2017``, ``2017-06`` or ``2017-06-18``, typed by its precision),
``integer`` and ``string``. ``lists`` (optional) names the columns that
hold space-separated ids from ``GROUP_CONCAT``; they come back as sorted lists. Values are bound to the query's variables
(rdflib's ``initBindings``, Oxigraph's ``substitutions``), never pasted into
its text, so a value such as ``"} ; DROP ALL ; #`` is only ever data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from clusterkg.graph.rdf.iris import DATATYPE_OF_PRECISION
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import ClusterKGError

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
if not QUERIES_DIR.is_dir():  # installed without the folder mapping: look beside the package
    import clusterkg.queries as _queries

    QUERIES_DIR = Path(_queries.__file__).resolve().parent

PARAM_TYPES = ("organization", "agreement", "person", "programme", "event", "country", "date", "integer", "string")
_RECORD_TYPES = ("organization", "agreement", "person", "programme", "event")
_HEADER = re.compile(r"^#\s*(name|doc|params|lists):\s?(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str


@dataclass(frozen=True)
class NamedQuery:
    """A query from the library: its name, what it answers, its parameters and its text."""

    name: str
    doc: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    #: Columns that hold space-separated ids (GROUP_CONCAT): returned as sorted lists.
    lists: tuple[str, ...] = ()

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


@dataclass
class Result:
    """Columns and rows (each a dict column -> plain Python value, None where unbound)."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


def parse_query(text: str, path: Path | None = None) -> NamedQuery:
    """Read the header of a query file.

    Examples
    --------
    >>> q = parse_query("# name: n\\n# doc: Does a thing\\n#   well.\\n# params: org:organization\\nSELECT ?org {}")
    >>> q.name, q.doc, q.params
    ('n', 'Does a thing well.', (Param(name='org', type='organization'),))
    """
    where = str(path) if path else "query"
    fields: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            current = match.group(1)
            fields[current] = match.group(2).strip()
        elif current == "doc" and line[1:].strip():
            fields["doc"] += " " + line[1:].strip()
    for required in ("name", "doc", "params"):
        if required not in fields:
            raise ClusterKGError(f"{where}: the header has no '# {required}:' line")
    params = []
    for item in filter(None, (p.strip() for p in fields["params"].split(","))):
        name, _, kind = item.partition(":")
        if kind not in PARAM_TYPES or not re.match(r"^[A-Za-z_]\w*$", name):
            raise ClusterKGError(f"{where}: parameter {item!r}: write name:type, the type one of {', '.join(PARAM_TYPES)}")
        if not re.search(r"[?$]" + re.escape(name) + r"\b", text):
            raise ClusterKGError(f"{where}: parameter {name!r} is declared but the query never uses ?{name}")
        params.append(Param(name, kind))
    lists = tuple(filter(None, (c.strip() for c in fields.get("lists", "").split(","))))
    return NamedQuery(fields["name"], fields["doc"], tuple(params), text, path, lists)


@lru_cache(maxsize=4)
def _library(folder: str) -> dict[str, NamedQuery]:
    from clusterkg.graph.queries import named_files

    return named_files(folder, "*.rq", parse_query)


def library(folder: Path | str = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query in ``folder`` (queries/ by default), by name."""
    return _library(str(folder))


def get_query(name: str, folder: Path | str = QUERIES_DIR) -> NamedQuery:
    queries = library(folder)
    if name not in queries:
        raise ClusterKGError(f"no SPARQL query named {name!r}; known: {', '.join(sorted(queries))}")
    return queries[name]


def check_params(query: NamedQuery, values: Mapping[str, Any]) -> None:
    unknown = sorted(set(values) - set(query.param_names))
    missing = [p for p in query.param_names if p not in values]
    if unknown or missing:
        declared = ", ".join(f"{p.name} ({p.type})" for p in query.params) or "none"
        what = []
        if unknown:
            what.append(f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        if missing:
            what.append(f"missing {', '.join(missing)}")
        raise ClusterKGError(f"query {query.name}: {'; '.join(what)}; it takes: {declared}")


def term_value(param: Param, value: Any) -> tuple[str, str | None]:
    """The RDF term for a parameter value, as ("iri", text) or (lexical, datatype IRI or None).

    Examples
    --------
    >>> term_value(Param("org", "organization"), "link-j")
    ('link-j', None)
    >>> term_value(Param("since", "date"), "2017-06")
    ('2017-06', 'http://www.w3.org/2001/XMLSchema#gYearMonth')
    """
    text = str(value).strip()
    where = f"parameter {param.name}"
    if param.type in _RECORD_TYPES:
        # A record's id, matched against dct:identifier: the queries then work whatever base the graph has.
        return (text, None)
    if param.type == "country":
        code = text.upper()
        if not re.match(r"^[A-Z]{2}$", code):
            raise ClusterKGError(f"{where}: {value!r} is not an ISO 3166-1 alpha-2 country code (JP, GB, DE)")
        return (code, None)
    if param.type == "date":
        try:
            date = PartialDate.parse(text)
        except ValueError as error:
            raise ClusterKGError(f"{where}: {error}") from None
        return (date.isoformat(), DATATYPE_OF_PRECISION[date.precision])
    if param.type == "integer":
        try:
            return (str(int(text)), "http://www.w3.org/2001/XMLSchema#integer")
        except ValueError:
            raise ClusterKGError(f"{where}: {value!r} is not a whole number") from None
    return (str(value), None)


def _rdflib_term(kind: tuple[str, str | None]):
    from rdflib import Literal, URIRef

    first, second = kind
    if first == "iri":
        return URIRef(second)  # type: ignore[arg-type]
    return Literal(first, datatype=URIRef(second) if second else None)


def _oxigraph_term(kind: tuple[str, str | None]):
    import pyoxigraph as ox

    first, second = kind
    if first == "iri":
        return ox.NamedNode(second)
    return ox.Literal(first, datatype=ox.NamedNode(second)) if second else ox.Literal(first)


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
    [{'organization': 'link-j', 'name': 'LINK-J', 'country': 'JP'}]
    """
    named = get_query(query, folder) if isinstance(query, str) else query
    values = dict(values or {})
    check_params(named, values)
    kinds = {p.name: term_value(p, values[p.name]) for p in named.params}
    if _is_oxigraph(target):
        result = _run_oxigraph(named, target, kinds)
    else:
        result = _run_rdflib(named, target, kinds)
    # Queries project their parameters (Oxigraph substitutes only projected variables); drop them.
    result.columns = [c for c in result.columns if c not in kinds]
    result.rows = [{c: row[c] for c in result.columns} for row in result.rows]
    # SPARQL leaves the order inside GROUP_CONCAT open (rdflib and Oxigraph differ): sort it.
    for row in result.rows:
        for column in named.lists:
            if column in row:
                row[column] = sorted(str(row[column] or "").split())
    return result


def _is_oxigraph(target: Any) -> bool:
    return type(target).__module__.startswith("pyoxigraph")


def _run_rdflib(query: NamedQuery, graph: Any, kinds: dict[str, tuple[str, str | None]]) -> Result:
    from rdflib import Literal, Variable

    bindings = {Variable(name): _rdflib_term(kind) for name, kind in kinds.items()}
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


def _run_oxigraph(query: NamedQuery, store: Any, kinds: dict[str, tuple[str, str | None]]) -> Result:
    import pyoxigraph as ox

    substitutions = {ox.Variable(name): _oxigraph_term(kind) for name, kind in kinds.items()}
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
