"""What the map draws: node measures, cuts that say what they cut, countries, lineages, structure.

Everything here works on the organisation graph of
:func:`clusterkg.graph.network.organization_graph` and returns plain graphs and
notes; :mod:`clusterkg.graph.map.render` turns them into the page.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from clusterkg.model.lineage import find_lineages
from clusterkg.model.names import country_name
from clusterkg.model.problems import ClusterKGError

__all__ = [
    "SIZE_METRICS",
    "Cut",
    "annotate_lineages",
    "country_graph",
    "merge_lineages",
    "metric_values",
    "structure_ties",
    "top_cut",
    "top_nodes",
]

#: Names accepted by ``size_by`` (``clusterkg map --size-by``).
SIZE_METRICS = (
    "degree", "weighted-degree", "betweenness", "closeness", "pagerank", "eigenvector",
    "brokerage-total", "brokerage-coordinator", "brokerage-itinerant", "brokerage-boundary-spanner",
    "brokerage-liaison", "effective-size", "constraint",
)


def number(value: Any) -> float:
    """A finite float, or 0.0 for anything else (None, NaN, text)."""
    try:
        result = float(value)
    except (TypeError, ValueError):
        return 0.0
    return result if math.isfinite(result) else 0.0


def metric_values(graph: nx.Graph, name: str = "degree") -> dict[Any, float]:
    """Per-node values of a named measure, for node size.

    ``degree`` (number of partners) is computed here; the others come from
    :mod:`clusterkg.graph.analysis` (centrality, folded Gould-Fernandez
    brokerage by country, Burt's structural holes).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c")])
    >>> metric_values(g, "degree")
    {'a': 2.0, 'b': 1.0, 'c': 1.0}
    """
    if name not in SIZE_METRICS:
        raise ClusterKGError(f"size-by: unknown measure {name!r} (known: {', '.join(SIZE_METRICS)})")
    if name == "degree":
        return {node: float(d) for node, d in graph.degree()}
    column = name.replace("-", "_")
    if name.startswith("brokerage-"):
        from clusterkg.graph.analysis.brokerage import gould_fernandez_folded

        values = gould_fernandez_folded(graph, "country").table[column.removeprefix("brokerage_")]
    elif name in ("effective-size", "constraint"):
        from clusterkg.graph.analysis.structural_holes import structural_holes

        values = structural_holes(graph)[column]
    else:
        from clusterkg.graph.analysis.centrality import centrality

        values = centrality(graph)[column]
    return {node: number(value) for node, value in values.items()}


@dataclass(frozen=True)
class Cut:
    """What a cut kept and what it left out, in words for the page."""

    graph: nx.Graph
    note: str


def _agreements(graph: nx.Graph) -> set:
    return {a for _, _, ids in graph.edges(data="agreements") for a in ids or ()}


def top_cut(graph: nx.Graph, values: Mapping[Any, float], n: int, measure: str = "the measure") -> Cut:
    """The ``n`` nodes with the highest values and the ties among them, and a note saying what went.

    Ties are broken by a second measure, not by name: degree (number of
    partners), then the number of agreements (the sum of edge weights), and
    only then the id. The note names the measure, how many nodes tied at the
    cut, and how many organisations and agreements are not drawn.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edges_from([("a", "b", {"agreements": ["m1"]}), ("a", "c", {"agreements": ["m2"]}),
    ...                   ("c", "d", {"agreements": ["m3"]})])
    >>> cut = top_cut(g, {"a": 2, "b": 1, "c": 2, "d": 1}, 3, "degree")
    >>> sorted(cut.graph.edges())
    [('a', 'b'), ('a', 'c')]
    >>> cut.note
    'top 3 of 4 by degree; 2 tied at 1 at the cut, kept by agreements, then id; not drawn: 1 organisation, 1 agreement'
    """
    if n < 1:
        raise ClusterKGError(f"top: {n} is not a positive number of organisations")
    strength = dict(graph.degree(weight="weight"))

    def key(node):
        return (-number(values.get(node, 0.0)), -graph.degree(node), -number(strength.get(node, 0)), str(node))

    ranked = sorted(graph, key=key)
    kept = _induced(graph, ranked[:n])
    note = f"top {min(n, len(ranked))} of {len(ranked)} by {measure}"
    if n < len(ranked):
        edge = number(values.get(ranked[n - 1], 0.0))
        tied = sum(1 for node in ranked if number(values.get(node, 0.0)) == edge)
        if number(values.get(ranked[n], 0.0)) == edge:
            by = "agreements, then id" if measure == "degree" else "degree, then agreements, then id"
            note += f"; {tied} tied at {_short(edge)} at the cut, kept by {by}"
        lost_orgs = len(ranked) - n
        lost_agreements = len(_agreements(graph) - _agreements(kept))
        note += (f"; not drawn: {lost_orgs} organisation{'s' * (lost_orgs != 1)}, "
                 f"{lost_agreements} agreement{'s' * (lost_agreements != 1)}")
    return Cut(kept, note)


def _induced(graph: nx.Graph, nodes: list) -> nx.Graph:
    """The subgraph on ``nodes`` as a graph of its own (attributes copied as ``copy()`` does), in
    ``graph``'s order: ``graph.subgraph(nodes).copy()`` goes through filtered views, 20 times slower."""
    keep = set(nodes)
    kept = graph.__class__()
    kept.graph.update(graph.graph)
    kept.add_nodes_from((v, data.copy()) for v, data in graph.nodes(data=True) if v in keep)
    adjacency = graph.adj
    done: set = set()
    edges = []
    for u in kept:
        edges.extend((u, v, data.copy()) for v, data in adjacency[u].items() if v in keep and v not in done)
        done.add(u)
    kept.add_edges_from(edges)
    return kept


def _short(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.3g}"


def top_nodes(graph: nx.Graph, values: Mapping[Any, float], n: int) -> nx.Graph:
    """The subgraph of :func:`top_cut`, without its note.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c"), ("c", "d")])
    >>> sorted(top_nodes(g, {"a": 2, "b": 1, "c": 2, "d": 1}, 3).edges())
    [('a', 'b'), ('a', 'c')]
    """
    return top_cut(graph, values, n).graph


def country_label(code: str) -> str:
    return country_name(code, common=True) or code or "(unknown)"


def country_graph(graph: nx.Graph) -> nx.Graph:
    """Countries tied by the agreements between their organisations (``--level country``).

    Nodes are ISO codes with ``name``, ``kind="country"``, ``country`` (the
    code), ``organizations`` (how many) and ``domestic`` (agreements within the
    country, which have no edge: the page says so); an edge per pair of
    countries with at least one agreement between their organisations, with
    the organisation graph's edge attributes summed over agreements: ``weight``
    (distinct agreements), ``agreements``, ``types``, ``first``, ``last``.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_nodes_from([("a", {"country": "JP"}), ("b", {"country": "GB"}), ("c", {"country": "GB"})])
    >>> g.add_edge("a", "b", agreements=["x"], types=["mou"], first="2017", last="2017")
    >>> g.add_edge("a", "c", agreements=["x"], types=["mou"], first="2017", last="2017")
    >>> c = country_graph(g)
    >>> c.edges["JP", "GB"]["weight"], c.nodes["GB"]["organizations"]
    (1, 2)
    """
    countries = nx.Graph()
    members = Counter(data.get("country") or "" for _, data in graph.nodes(data=True))
    for code, count in sorted(members.items()):
        countries.add_node(code, name=country_label(code), kind="country", country=code, region=None,
                           organizations=count, domestic=0)
    pairs: dict[tuple[str, str], dict[str, set]] = {}
    domestic: dict[str, set] = {}
    for a, b, data in graph.edges(data=True):
        ca, cb = graph.nodes[a].get("country") or "", graph.nodes[b].get("country") or ""
        if ca == cb:
            domestic.setdefault(ca, set()).update(data.get("agreements", ()))
            continue
        key = (ca, cb) if ca < cb else (cb, ca)
        entry = pairs.setdefault(key, {"agreements": set(), "types": set(), "dates": set()})
        entry["agreements"].update(data.get("agreements", ()))
        entry["types"].update(data.get("types", ()))
        entry["dates"].update(d for d in (data.get("first"), data.get("last")) if d)
    for code, ids in domestic.items():
        countries.nodes[code]["domestic"] = len(ids)
    for (ca, cb), entry in sorted(pairs.items()):
        dates = sorted(entry["dates"])
        countries.add_edge(ca, cb, weight=len(entry["agreements"]), agreements=sorted(entry["agreements"]),
                           types=sorted(entry["types"]), first=dates[0] if dates else None,
                           last=dates[-1] if dates else None)
    return countries


def domestic_note(countries: nx.Graph) -> str:
    """``"7 agreements within one country are not drawn as ties (JP 7)"``, or ``""``."""
    within = sorted(((code, n) for code, n in countries.nodes(data="domestic") if n),
                    key=lambda item: (-item[1], item[0]))
    if not within:
        return ""
    total = sum(n for _, n in within)
    listed = ", ".join(f"{code or '?'} {n}" for code, n in within[:8]) + (", ..." if len(within) > 8 else "")
    return f"{total} agreement{'s' * (total != 1)} within one country {'are' if total != 1 else 'is'} " \
           f"not drawn as ties ({listed}); the country's label counts them"


def merge_lineages(graph: nx.Graph, organizations: Mapping[str, Any]) -> nx.Graph:
    """One node per lineage: a renamed organisation and its predecessors become its current id.

    The merged node keeps the current organisation's attributes and gains
    ``members`` (every id of the lineage present, oldest first) and ``former``
    (``[{"name", "until"}]``); the edges of its members are merged (agreement
    ids united, ``weight`` their number, ``types`` united, ``first`` / ``last``
    the extremes). A tie between two members of one lineage disappears. Nodes
    of organisations never renamed are untouched.

    Examples
    --------
    >>> from clusterkg.model.records import Organization
    >>> orgs = {"old": Organization(id="old", name="Old", kind="agency", country="GB"),
    ...         "new": Organization(id="new", name="New", kind="agency", country="GB", predecessor="old",
    ...                             renamed="2016"),
    ...         "x": Organization(id="x", name="X", kind="cluster", country="JP")}
    >>> g = nx.Graph()
    >>> g.add_nodes_from(["old", "new", "x"])
    >>> g.add_edge("old", "x", agreements=["a1"], types=["mou"], first="2015", last="2015", weight=1)
    >>> g.add_edge("new", "x", agreements=["a2"], types=["loi"], first="2018", last="2018", weight=1)
    >>> m = merge_lineages(g, orgs)
    >>> sorted(m), m.edges["new", "x"]["agreements"], m.nodes["new"]["former"]
    (['new', 'x'], ['a1', 'a2'], [{'name': 'Old', 'until': '2016'}])
    """
    lineages = find_lineages(dict(organizations))
    moves = {n: lineages[n].current for n in graph if n in lineages and lineages[n].current != n}
    merged = nx.Graph()
    for node, data in graph.nodes(data=True):
        target = moves.get(node, node)
        if target not in merged:
            if target != node and target in organizations:
                org = organizations[target]
                merged.add_node(target, **{**data, "name": org.name, "kind": org.kind, "country": org.country,
                                           "region": org.region})
            else:
                merged.add_node(target, **data)
        elif target == node:
            merged.nodes[target].update(data)
    annotate_lineages(merged, organizations, lineages)
    for a, b, data in graph.edges(data=True):
        u, v = moves.get(a, a), moves.get(b, b)
        if u == v:
            continue
        if not merged.has_edge(u, v):
            merged.add_edge(u, v, **data)
            continue
        old = merged.edges[u, v]
        ids = sorted(set(old.get("agreements", ())) | set(data.get("agreements", ())))
        dates = sorted(d for d in (old.get("first"), old.get("last"), data.get("first"), data.get("last")) if d)
        merged.add_edge(u, v, agreements=ids, weight=len(ids),
                        types=sorted(set(old.get("types", ())) | set(data.get("types", ()))),
                        first=dates[0] if dates else None, last=dates[-1] if dates else None)
    return merged


def annotate_lineages(graph: nx.Graph, organizations: Mapping[str, Any], lineages: Mapping | None = None) -> None:
    """Give each node that stands for a renamed organisation ``members`` (its ids, oldest
    first) and ``former`` (``[{"name", "until"}]``), for the details panel."""
    lineages = lineages if lineages is not None else find_lineages(dict(organizations))
    for node in graph:
        lineage = lineages.get(node)
        if lineage is not None and lineage.renamed and lineage.current == node:
            graph.nodes[node]["members"] = list(lineage.members)
            graph.nodes[node]["former"] = [{"name": f.name, "until": str(f.until) if f.until else None}
                                           for f in lineage.former]


def structure_ties(graph: nx.Graph, organizations: Mapping[str, Any],
                   lineages: Mapping | None = None) -> list[tuple[str, str, str]]:
    """``(child, parent_or_body, "parent" | "member")`` for the parent and membership ties within ``graph``.

    Ids are mapped to their lineage's current id, so a tie to a renamed
    organisation lands on its node. Sorted, without duplicates.
    """
    lineages = lineages if lineages is not None else find_lineages(dict(organizations))
    current = {n: lineage.current for n, lineage in lineages.items()}
    ties = set()
    for org_id, org in organizations.items():
        child = current.get(org_id, org_id)
        if child not in graph:
            continue
        for kind, others in (("parent", [org.parent] if org.parent else []), ("member", org.member_of or [])):
            for other in others:
                target = current.get(other, other)
                if target in graph and target != child:
                    ties.add((child, target, kind))
    return sorted(ties)
