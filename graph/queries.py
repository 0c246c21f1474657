"""Named queries as files (queries/*.cypher and queries/*.rq): one loader and one parameter check.

A query file starts with a header of comment lines (``//`` in Cypher, ``#`` in SPARQL)::

    // name: partners
    // doc: The partners of an organisation ...
    //      (a doc may go on over several lines)
    // params: org:organization, limit:integer=10

Parameter types: ``organization``, ``agreement``, ``person``, ``programme``,
``event`` (a record id; the command line and :mod:`clusterkg` also take a name, see
:mod:`clusterkg.loaders.names_index`), ``country`` (ISO 3166-1 alpha-2 in any case, or an
English name: ``Japan``, ``United Kingdom``, :func:`clusterkg.model.countries.country_code`),
``date`` (``2017``, ``2017-06`` or ``2017-06-18``: passed as that ISO text, never as a date
object), ``integer`` and ``string``.
``=value`` gives a default. In both languages a parameter is written
``$name`` in the query text (SPARQL reads ``$name`` as the variable ``?name``),
so the loader can hold the header and the text to each other: every
``$name`` is declared and every declared name is used.

SPARQL files may say more (the runner in :mod:`clusterkg.graph.rdf.sparql`
does it): ``# lists: parties`` (columns of space-separated ids from
``GROUP_CONCAT``, returned as sorted lists), ``# sequences: chain`` (columns
joined with U+001F, returned as lists in their order) and ``# limit: limit``
(an integer parameter that caps the rows, as SPARQL cannot take ``LIMIT $x``).

:meth:`NamedQuery.bind` refuses a missing or unknown parameter and a value of
the wrong type with a message that says which and what the query takes;
values reach the database only as parameters, never pasted into the query text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
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
RECORD_TYPES = ("organization", "agreement", "person", "programme", "event")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_USED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Language:
    """What differs between the two query languages: the file suffix, the comment and the header fields."""

    name: str
    suffix: str
    comment: str
    fields: tuple[str, ...]


CYPHER = Language("Cypher", ".cypher", "//", ("name", "doc", "params"))
SPARQL = Language("SPARQL", ".rq", "#", ("name", "doc", "params", "lists", "sequences", "limit"))
LANGUAGES = {"cypher": CYPHER, "sparql": SPARQL}


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
class NamedQuery:
    """A query from the library: its name, what it answers, its parameters and its text."""

    name: str
    doc: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None
    #: The first line of the doc, as written (``clusterkg query --list``).
    summary: str = ""
    language: str = "cypher"
    #: SPARQL: columns of space-separated ids, returned as sorted lists.
    lists: tuple[str, ...] = ()
    #: SPARQL: columns joined with U+001F, returned as lists in order.
    sequences: tuple[str, ...] = ()
    #: SPARQL: the integer parameter that caps the number of rows.
    limit: str | None = None

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

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
                what.append(f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(map(str, unknown))}")
            if missing:
                what.append(f"missing {', '.join(missing)}")
            raise ClusterKGError(f"query {self.name}: {'; '.join(what)}; it takes: {self.takes()}")
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

    def takes(self) -> str:
        """The parameters, as messages name them."""
        return ", ".join(p.describe() for p in self.params) or "no parameters"


#: The name this class had when only Cypher used it.
CypherQuery = NamedQuery


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
    >>> check_value("country", "Japan"), check_value("country", "United Kingdom")
    ('JP', 'GB')
    >>> check_value("country", "ZZ")
    Traceback (most recent call last):
    ...
    ValueError: 'ZZ' is not an ISO 3166-1 alpha-2 country code (e.g. JP, GB, DE) or a country's English name (Japan, United Kingdom)
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
    if "\x00" in value:
        # No database takes it whole (FalkorDB's query text ends at a NUL): refused, not cut short.
        raise ValueError(f"{value!r} holds a NUL character (\\x00), which no query can take")
    if kind == "country":
        from clusterkg.model.countries import country_code  # codes and English names: Japan, United Kingdom, UK

        return country_code(value)[0]
    if kind in RECORD_TYPES and not value.strip():
        raise ValueError(f"expected {kind} id, got an empty text")
    return value


def from_text(kind: str, text: str) -> Any:
    """A value typed on the command line, converted to the parameter's type."""
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"expected an integer, got {text!r}") from None
    return text


def parse_query(text: str, path: Path | str | None = None, language: str | None = None) -> NamedQuery:
    """A query file's header and text; the language from ``language``, else the file's suffix,
    else the header's comment mark.

    Examples
    --------
    >>> q = parse_query("// name: n\\n// doc: Does a thing\\n//   well.\\n// params: org:organization\\n"
    ...                 "MATCH (o:Organization {id: $org}) RETURN o.name AS name")
    >>> q.name, q.doc, q.params[0], q.language
    ('n', 'Does a thing well.', Param(name='org', type='organization', default=None, required=True), 'cypher')
    >>> parse_query("# name: n\\n# doc: d\\n# params: org:organization\\nSELECT $org ?x {}").language
    'sparql'
    """
    path = Path(path) if path is not None else None
    if language is None:
        if path is not None and path.suffix in (CYPHER.suffix, SPARQL.suffix):
            language = "cypher" if path.suffix == CYPHER.suffix else "sparql"
        else:
            language = "cypher" if text.lstrip().startswith("//") else "sparql"
    lang = LANGUAGES[language]
    where = str(path) if path else "query"
    header = re.compile(rf"^{re.escape(lang.comment)}\s*({'|'.join(lang.fields)}):\s?(.*)$")
    fields: dict[str, str] = {}
    current = None
    summary = ""
    for line in text.splitlines():
        if not line.startswith(lang.comment):
            if line.strip() or not fields:
                break
            continue
        match = header.match(line)
        if match:
            current = match.group(1)
            fields[current] = match.group(2).strip()
            if current == "doc":
                summary = fields["doc"]
        elif current == "doc" and line[len(lang.comment):].strip():
            fields["doc"] += " " + line[len(lang.comment):].strip()
        else:
            current = None  # a plain comment ends the doc
    for required in ("name", "doc", "params"):
        if required not in fields:
            raise ClusterKGError(f"{where}: the header has no '{lang.comment} {required}:' line")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(lang.comment))
    limit = fields.get("limit", "").strip() or None
    params = []
    for item in filter(None, (p.strip() for p in fields["params"].split(","))):
        name, _, kind = item.partition(":")
        kind, has_default, default = kind.partition("=")
        name, kind = name.strip(), kind.strip()
        if kind not in PARAM_TYPES or not _NAME.match(name):
            raise ClusterKGError(f"{where}: parameter {item!r}: write name:type, the type one of {', '.join(PARAM_TYPES)}")
        if name != limit and not re.search(r"\$" + re.escape(name) + r"\b", body):
            raise ClusterKGError(f"{where}: parameter {name!r} is declared but the query never uses ${name}")
        value = None
        if has_default:
            try:
                value = check_value(kind, from_text(kind, default.strip()))
            except ValueError as error:
                raise ClusterKGError(f"{where}: parameter {name!r}: default: {error}") from None
        params.append(Param(name, kind, value, not has_default))
    declared = {p.name for p in params}
    undeclared = sorted(set(_USED.findall(body)) - declared)
    if undeclared:
        raise ClusterKGError(f"{where}: the query uses ${', $'.join(undeclared)} but does not declare it in "
                             f"'{lang.comment} params:'")
    if limit is not None and not any(p.name == limit and p.type == "integer" for p in params):
        raise ClusterKGError(f"{where}: '# limit: {limit}' names no integer parameter")
    return NamedQuery(fields["name"], fields["doc"], tuple(params), text, path, summary, language,
                      _names(fields.get("lists", "")), _names(fields.get("sequences", "")), limit)


def _names(text: str) -> tuple[str, ...]:
    return tuple(filter(None, (c.strip() for c in text.split(","))))


def named_files(folder: Path | str, pattern: str, parse=parse_query) -> dict[str, Any]:
    """Every query file of ``folder`` matching ``pattern``, parsed, by its declared name (unique)."""
    queries: dict[str, Any] = {}
    for path in sorted(Path(folder).glob(pattern)):
        query = parse(path.read_text(encoding="utf-8"), path)
        if query.name in queries:
            raise ClusterKGError(f"{path}: query name {query.name!r} is also used by {queries[query.name].path}")
        queries[query.name] = query
    return queries


@lru_cache(maxsize=8)
def _library(folder: str, language: str) -> dict[str, NamedQuery]:
    return named_files(folder, "*" + LANGUAGES[language].suffix, parse_query)


def library(folder: Path | str = QUERIES_DIR, language: str = "cypher") -> dict[str, NamedQuery]:
    """Every named query of one language in ``folder`` (queries/ by default), by name.

    Examples
    --------
    >>> "partners" in library() and "partners" in library(language="sparql")
    True
    """
    return _library(str(folder), language)


def get_query(name: str, folder: Path | str = QUERIES_DIR, language: str = "cypher") -> NamedQuery:
    """The named query, or an error that names the known ones (the closest first)."""
    queries = library(folder, language)
    if name not in queries:
        import difflib

        close = difflib.get_close_matches(name, list(queries), n=3)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise ClusterKGError(f"no {LANGUAGES[language].name} query named {name!r}; {hint}"
                             f"known: {', '.join(sorted(queries))}")
    return queries[name]


def run_query(graph: Any, name: str, params: Mapping[str, Any] | None = None, *,
              folder: Path | str = QUERIES_DIR) -> list[dict[str, Any]]:
    """Run the named Cypher query on a :class:`~clusterkg.graph.cypher.load.CypherGraph`; one dict per row.

    Examples
    --------
    >>> from clusterkg.graph.cypher.falkor import open_embedded
    >>> with open_embedded("out/falkordb") as graph:  # doctest: +SKIP
    ...     rows = run_query(graph, "partners", {"org": "kanagawa-prefecture"})
    >>> [r["partner"] for r in rows]  # doctest: +SKIP
    ['link-j', 'cell-therapy-catapult']
    """
    query = get_query(name, folder)
    from clusterkg.graph.cypher.variants import for_backend  # queries/<backend>/NAME.cypher, where there is one

    return graph.read(for_backend(query, getattr(graph, "backend", None)).text, query.bind(params or {}))
