"""Named Cypher queries (queries/*.cypher) and the one runner that checks their parameters.

A query file starts with a header of comment lines, as the SPARQL files do::

    // name: partners
    // doc: The partners of an organisation ...
    //      (a doc may go on over several lines)
    // params: org:organization, limit:integer=10

Parameter types: ``organization``, ``agreement``, ``person``, ``programme``,
``event`` (a record id), ``country`` (ISO 3166-1 alpha-2, any case), ``date``
(``2017``, ``2017-06`` or ``2017-06-18``: passed as that ISO text, never as a
date object), ``integer`` and ``string``. ``=value`` gives a default. The
runner refuses a missing or unknown parameter and a value of the wrong type
with a message that says which and what the query takes; values reach the
database only as parameters, never pasted into the query text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import ClusterKGError

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
if not QUERIES_DIR.is_dir():  # installed without the folder mapping: look beside the package
    import clusterkg.queries as _queries

    QUERIES_DIR = Path(_queries.__file__).resolve().parent

PARAM_TYPES = ("organization", "agreement", "person", "programme", "event", "country", "date", "integer", "string")
_IDS = ("organization", "agreement", "person", "programme", "event")
_HEADER = re.compile(r"^//\s*(name|doc|params):\s?(.*)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    #: The value when none is given; ``required`` tells a default of None from no default.
    default: Any = None
    required: bool = True

    def describe(self) -> str:
        return f"{self.name} ({self.type}{'' if self.required else f', default {self.default}'})"


@dataclass(frozen=True)
class CypherQuery:
    """A query from the library: its name, what it answers, its parameters and its text."""

    name: str
    doc: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    #: The first line of the doc, as written (``clusterkg query --list``).
    summary: str = ""

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters to send: ``values`` checked against the declaration, defaults added.

        Examples
        --------
        >>> q = parse_query("// name: n\\n// doc: d\\n// params: org:organization, limit:integer=10\\n"
        ...                 "MATCH (o:Organization {id: $org}) RETURN o.id LIMIT $limit")
        >>> q.bind({"org": "link-j"})
        {'org': 'link-j', 'limit': 10}
        >>> q.bind({"org": "link-j", "days": 3})
        Traceback (most recent call last):
        ...
        clusterkg.model.problems.ClusterKGError: query n: unknown parameter days; it takes: org (organization), limit (integer, default 10)
        """
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(declared))
        missing = [p.name for p in self.params if p.required and p.name not in values]
        if unknown or missing:
            what = []
            if unknown:
                what.append(f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
            if missing:
                what.append(f"missing {', '.join(missing)}")
            raise ClusterKGError(f"query {self.name}: {'; '.join(what)}; it takes: {self._takes()}")
        bound = {}
        for param in self.params:
            if param.name in values:
                try:
                    bound[param.name] = check_value(param.type, values[param.name])
                except ValueError as error:
                    raise ClusterKGError(f"query {self.name}: parameter {param.name} ({param.type}): {error}") from None
            else:
                bound[param.name] = param.default
        return bound

    def _takes(self) -> str:
        return ", ".join(p.describe() for p in self.params) or "no parameters"


#: The largest integer parameter: what both FalkorDB and Neo4j take as a count or a LIMIT (a signed 32-bit int).
MAX_INTEGER = 2**31 - 1


def check_value(kind: str, value: Any) -> Any:
    """``value`` as the database should get it for a parameter of type ``kind``; ValueError when it is not one.

    Examples
    --------
    >>> check_value("country", "jp"), check_value("date", dt.date(2020, 9, 18)), check_value("date", "2017-06")
    ('JP', '2020-09-18', '2017-06')
    >>> check_value("integer", "14")
    Traceback (most recent call last):
    ...
    ValueError: expected an integer, got '14' (str)
    """
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r} ({type(value).__name__})")
        if not 0 <= value <= MAX_INTEGER:  # FalkorDB reads a LIMIT of 2**32 as 0: no rows, and no word of why
            raise ValueError(f"{value} is out of range: integer parameters (counts, limits) run from 0 to {MAX_INTEGER:,}")
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            raise ValueError(f"expected a date such as 2017, 2017-06 or 2017-06-18, got a date and time {value!r}")
        if isinstance(value, dt.date):
            return value.isoformat()  # dates travel as ISO text (DESIGN.md section 3)
        if not isinstance(value, str):
            raise ValueError(f"expected a date such as 2017, 2017-06 or 2017-06-18, got {value!r} ({type(value).__name__})")
        return PartialDate.parse(value).isoformat()
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r} ({type(value).__name__})")
    if kind == "country":
        code = value.strip().upper()
        if not _is_country(code):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. JP, GB, DE)")
        return code
    if kind in _IDS and not value.strip():
        raise ValueError(f"expected {kind} id, got an empty text")
    return value


@lru_cache(maxsize=None)
def _is_country(code: str) -> bool:
    import pycountry

    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def from_text(kind: str, text: str) -> Any:
    """A value typed on the command line, converted to the parameter's type."""
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"expected an integer, got {text!r}") from None
    return text


def parse_query(text: str, path: Path | None = None) -> CypherQuery:
    """A query file's header and text.

    Examples
    --------
    >>> q = parse_query("// name: n\\n// doc: Does a thing\\n//   well.\\n// params: org:organization\\n"
    ...                 "MATCH (o:Organization {id: $org}) RETURN o.name AS name")
    >>> q.name, q.doc, q.params[0]
    ('n', 'Does a thing well.', Param(name='org', type='organization', default=None, required=True))
    """
    where = str(path) if path else "query"
    fields: dict[str, str] = {}
    current = None
    summary = ""
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        match = _HEADER.match(line)
        if match:
            current = match.group(1)
            fields[current] = match.group(2).strip()
            if current == "doc":
                summary = fields["doc"]
        elif current == "doc" and line[2:].strip():
            fields["doc"] += " " + line[2:].strip()
    for required in ("name", "doc", "params"):
        if required not in fields:
            raise ClusterKGError(f"{where}: the header has no '// {required}:' line")
    params = []
    for item in filter(None, (p.strip() for p in fields["params"].split(","))):
        name, _, kind = item.partition(":")
        kind, has_default, default = kind.partition("=")
        name, kind = name.strip(), kind.strip()
        if kind not in PARAM_TYPES or not _NAME.match(name):
            raise ClusterKGError(f"{where}: parameter {item!r}: write name:type, the type one of {', '.join(PARAM_TYPES)}")
        if not re.search(r"\$" + re.escape(name) + r"\b", text):
            raise ClusterKGError(f"{where}: parameter {name!r} is declared but the query never uses ${name}")
        value = None
        if has_default:
            try:
                value = check_value(kind, from_text(kind, default.strip()))
            except ValueError as error:
                raise ClusterKGError(f"{where}: parameter {name!r}: default: {error}") from None
        params.append(Param(name, kind, value, not has_default))
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text))
    undeclared = sorted(used - {p.name for p in params})
    if undeclared:
        raise ClusterKGError(f"{where}: the query uses ${', $'.join(undeclared)} but does not declare it in '// params:'")
    return CypherQuery(fields["name"], fields["doc"], tuple(params), text, path, summary)


def named_files(folder: Path | str, pattern: str, parse) -> dict[str, Any]:
    """Every query file of ``folder`` matching ``pattern``, parsed, by its declared name (unique)."""
    queries: dict[str, Any] = {}
    for path in sorted(Path(folder).glob(pattern)):
        query = parse(path.read_text(encoding="utf-8"), path)
        if query.name in queries:
            raise ClusterKGError(f"{path}: query name {query.name!r} is also used by {queries[query.name].path}")
        queries[query.name] = query
    return queries


@lru_cache(maxsize=4)
def _library(folder: str) -> dict[str, CypherQuery]:
    return named_files(folder, "*.cypher", parse_query)


def library(folder: Path | str = QUERIES_DIR) -> dict[str, CypherQuery]:
    """Every named Cypher query in ``folder`` (queries/ by default), by name.

    Examples
    --------
    >>> "partners" in library()
    True
    """
    return _library(str(folder))


def get_query(name: str, folder: Path | str = QUERIES_DIR) -> CypherQuery:
    queries = library(folder)
    if name not in queries:
        raise ClusterKGError(f"no Cypher query named {name!r}; known: {', '.join(sorted(queries))}")
    return queries[name]


def run_query(graph: Any, name: str, params: Mapping[str, Any] | None = None, *,
              folder: Path | str = QUERIES_DIR) -> list[dict[str, Any]]:
    """Run the named query on a :class:`~clusterkg.graph.cypher.load.CypherGraph`; one dict per row.

    Examples
    --------
    >>> from clusterkg.graph.cypher.falkor import open_embedded
    >>> with open_embedded("out/falkordb") as graph:  # doctest: +SKIP
    ...     rows = run_query(graph, "partners", {"org": "kanagawa-prefecture"})
    >>> sorted({r["partner"] for r in rows})  # doctest: +SKIP
    ['cell-therapy-catapult', 'link-j']
    """
    query = get_query(name, folder)
    from clusterkg.graph.cypher.variants import for_backend  # queries/<backend>/NAME.cypher, where there is one

    return graph.read(for_backend(query, getattr(graph, "backend", None)).text, query.bind(params or {}))


def cli_params(query: CypherQuery, pairs: Sequence[str]) -> dict[str, Any]:
    """``key=value`` pairs from the command line, converted to the declared types."""
    types = {p.name: p.type for p in query.params}
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ClusterKGError(f"-p {pair!r}: write -p name=value")
        if key in values:
            raise ClusterKGError(f"-p {key}: given twice")
        try:
            values[key] = from_text(types[key], text) if key in types else text
        except ValueError as error:
            raise ClusterKGError(f"query {query.name}: parameter {key} ({types[key]}): {error}") from None
    return values
