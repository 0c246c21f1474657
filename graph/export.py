"""The organisation network as GEXF or GraphML, for Gephi, Cytoscape, yEd and friends.

Written by networkx's own writers (:func:`networkx.write_gexf`,
:func:`networkx.write_graphml`) from
:func:`clusterkg.graph.network.organization_graph`: nodes are organisations
(one per lineage, under the current name) with ``name``, ``country``, ``kind``,
``region``, ``former_names`` and the centrality measures of
:func:`clusterkg.graph.analysis.centrality.centrality`; edges carry
``agreements`` (how many), ``types`` (``;``-separated), ``first`` and ``last``
(signing dates as the sources give them) and ``ids``.

In GEXF each edge is also a time interval, so Gephi's timeline works: it
starts on the first day its first agreement surely was signed and ends on the
last day any of its agreements is in force (by :meth:`Agreement.expires`, the
rule of ``--as-of``); an edge with an open-ended agreement has no end. GraphML
has no time intervals; the same days are plain ``start`` / ``end`` attributes.
Every value from the records is written as XML text by the writers, which
escape it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from clusterkg.model.problems import ClusterKGError

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__all__ = ["FORMATS", "export_graph", "write_network"]

FORMATS = ("gexf", "graphml")


def _interval(graph: nx.Graph, ds: Dataset, ids: list[str]) -> tuple[str | None, str | None]:
    starts, ends, open_ended = [], [], False
    for agreement_id in ids:
        agreement = ds.agreements.get(agreement_id)
        if agreement is None or agreement.date is None:
            continue
        starts.append(agreement.date.latest())
        end = agreement.expires()
        if end is None:
            open_ended = True
        else:
            ends.append(end)
    start = min(starts).isoformat() if starts else None
    end = None if open_ended or not ends or start is None else max(ends).isoformat()
    return start, end


def export_graph(ds: Dataset, *, metrics: bool = True, **filters: Any) -> nx.Graph:
    """The organisation graph with attributes every writer accepts (no None, no lists).

    ``filters`` go to :func:`~clusterkg.graph.network.organization_graph`
    (``as_of``, ``types``, ``countries``, ``isolates``, ``lineage``, ...).

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> g = export_graph(load_dataset(["tests/fixtures/csv"]))
    >>> e = g.edges["link-j", "cgt-catapult"]
    >>> e["agreements"], e["types"], e["start"]
    (1, 'loi', '2017-06-30')
    """
    from clusterkg.graph.network import organization_graph

    graph = organization_graph(ds, **filters)
    out = nx.Graph(name="clusterkg organisation network")
    table = None
    if metrics and graph.number_of_nodes():
        from clusterkg.graph.analysis.centrality import centrality

        table = centrality(graph)
    for node, data in graph.nodes(data=True):
        attrs = {"label": str(data.get("name") or node)}
        for key in ("name", "country", "kind", "region", "former_names"):
            if data.get(key):
                attrs[key] = str(data[key])
        if table is not None:
            for column in ("degree", "weighted_degree", "betweenness", "closeness", "pagerank", "eigenvector"):
                if column in table.columns:
                    value = float(table.at[node, column])
                    attrs[column] = value if math.isfinite(value) else 0.0
        out.add_node(str(node), **attrs)
    for a, b, data in graph.edges(data=True):
        ids = list(data.get("agreements", ()))
        attrs: dict[str, Any] = {"agreements": len(ids), "weight": float(len(ids) or data.get("weight", 1)),
                                 "types": ";".join(data.get("types", ())), "ids": ";".join(ids)}
        for key in ("first", "last"):
            if data.get(key):
                attrs[key] = str(data[key])
        start, end = _interval(graph, ds, ids)
        if start:
            attrs["start"] = start
        if end:
            attrs["end"] = end
        out.add_edge(str(a), str(b), **attrs)
    return out


def write_network(path: Path | str, ds: Dataset, fmt: str | None = None, **options: Any) -> Path:
    """Write :func:`export_graph` to ``path`` as GEXF 1.2 or GraphML (``fmt``, else the file's suffix)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ClusterKGError(f"{path}: unknown network format {fmt!r} (known: {', '.join(FORMATS)})")
    graph = export_graph(ds, **options)
    try:
        if fmt == "gexf":
            nx.write_gexf(graph, path, version="1.2draft")
        else:
            nx.write_graphml(graph, path, named_key_ids=True)
    except OSError as error:
        raise ClusterKGError(f"{path}: cannot write: {error.strerror or error}") from None
    return path
