"""Per-backend versions of library queries: ``queries/<backend>/<name>.cypher`` overrides the shared
``queries/<name>.cypher`` on that backend.

The shared files keep to what FalkorDB and Neo4j both run (DESIGN.md section 3). Where
one engine has a much better way (Neo4j: ``allShortestPaths``, full-text indexes), a
file of the same name in the backend's folder replaces the shared one there. It must
declare the same name and parameters, so the runner's checks and the command line stay
the same whichever backend answers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from clusterkg.model.problems import ClusterKGError


def for_backend(query: Any, backend: str | None) -> Any:
    """``query`` (a CypherQuery of the library), or its version for ``backend`` where there is one.

    Examples
    --------
    >>> from clusterkg.graph.queries import get_query
    >>> "allShortestPaths" in for_backend(get_query("shortest_chain"), "neo4j").text
    True
    >>> for_backend(get_query("partners"), "neo4j") is get_query("partners")
    True
    """
    if not backend or query.path is None:
        return query
    variant = _variant(str(Path(query.path).parent / backend / Path(query.path).name))
    if variant is None:
        return query
    if variant.name != query.name or variant.params != query.params:
        raise ClusterKGError(f"{variant.path}: a {backend} version must declare the same name and parameters as "
                             f"{query.path} ({query.name}: {', '.join(p.describe() for p in query.params)})")
    return variant


@lru_cache(maxsize=64)
def _variant(path: str) -> Any:
    from clusterkg.graph.queries import parse_query

    file = Path(path)
    if not file.is_file():
        return None
    return parse_query(file.read_text(encoding="utf-8"), file)
