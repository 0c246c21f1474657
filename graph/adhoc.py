"""Your own queries, Cypher or SPARQL: a text and ``-p`` values checked against the ``$names`` it uses.

Library queries declare their parameters; an ad-hoc query does not, so the
names are read from the text (outside string literals, IRIs and comments) and
every one must be given, and nothing else: a typo in a name is an error, never
a silent empty answer. In SPARQL too a parameter is written ``$name`` (the
same variable as ``?name``; the library's .rq files keep ``?`` for variables
and ``$`` for parameters). Values stay parameters. The engines run the text
read-only: FalkorDB's GRAPH.RO_QUERY, a Neo4j read transaction, and for SPARQL
a query call that takes no updates, so a text that writes is refused by the
engine itself.

Examples
--------
>>> used_parameters("MATCH (o:Organization {id: $org}) WHERE o.name <> '$x' RETURN o.name LIMIT $limit")
['limit', 'org']
>>> used_parameters('SELECT ?n WHERE { ?o <http://x/$no> ?n . FILTER(?n = $name) } # $nor', "sparql")
['name']
>>> adhoc_values("RETURN $n, $name", {"n": "5", "name": "LINK-J"})
{'n': 5, 'name': 'LINK-J'}
"""

from __future__ import annotations

import re

from clusterkg.model.problems import ClusterKGError

# String literals, quoted names, IRIs and comments, which may hold a "$", by language.
_NOT_CODE = {
    "cypher": re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.S),
    "sparql": re.compile(r"""'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>|#[^\n]*""",
                         re.S),
}
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_INTEGER = re.compile(r"^-?\d{1,18}$")


def used_parameters(text: str, language: str = "cypher") -> list[str]:
    """The ``$names`` a Cypher or SPARQL text uses, sorted."""
    return sorted(set(_PARAMETER.findall(_NOT_CODE[language].sub(" ", text))))


def _typed(value: str) -> object:
    """``-p`` text as the value a query compares with: whole numbers as integers, true/false as booleans."""
    if _INTEGER.match(value):
        return int(value)
    if value in {"true", "false"}:
        return value == "true"
    return value


def adhoc_values(text: str, given: dict[str, str], language: str = "cypher") -> dict[str, object]:
    """The parameters for an ad-hoc query: every ``$name`` it uses given, nothing more.

    Raises
    ------
    ClusterKGError
        Naming the parameters that are used but not given, or given but not used.
    """
    if not text.strip():
        raise ClusterKGError("the query is empty")
    used = used_parameters(text, language)
    missing = [name for name in used if name not in given]
    if missing:
        raise ClusterKGError(f"the query uses {', '.join('$' + m for m in missing)}: give "
                             + " ".join(f"-p {m}=VALUE" for m in missing))
    unused = sorted(set(given) - set(used))
    if unused:
        known = ", ".join("$" + u for u in used) or "no parameters"
        raise ClusterKGError(f"-p {unused[0]}: the query does not use ${unused[0]} (it uses {known})")
    return {name: _typed(given[name]) for name in used}
