"""NetworkX projections of the agreement records (DESIGN.md section 3).

Agreements are records, not edges. This module is the one place where they
become graphs, so every consumer (the analysis, the map) sees the same network:

* :func:`bipartite_graph`: organisations (``bipartite=0``) and agreements
  (``bipartite=1``), an edge for each party of each agreement;
* :func:`organization_graph`: its projection onto organisations, one edge per
  pair of organisations that are parties to at least one common agreement,
  with ``weight`` = the number of such agreements, ``agreements`` (sorted ids),
  ``types`` (sorted agreement types), and ``first`` / ``last`` (ISO strings of
  the earliest and latest signing date, at the precision the source gave).

Both take the same filters:

``as_of``
    A snapshot: only agreements in force on that day. The rule, because dates
    may be partial ("June 2017"):

    - an agreement counts as *signed by* the day only when it surely was: every
      day its date can mean is on or before the day (``2017-06`` is signed by
      2017-06-30, not by 2017-06-15). Its date is the signing date, else the
      announcement, else the start (:attr:`Agreement.date`); an undated
      agreement is in no snapshot;
    - it has *ended* only when it surely has: every day its ``end`` can mean is
      before the day (the end day itself is still in force). Without an
      ``end``, a ``term`` (``P3Y``) counted from the start (else the date) ends
      it once even the latest reading of that start plus the term is past; an
      agreement that another agreement *renews* or *supersedes* ends when that
      one is surely signed. ``status`` is not used: it says how things stand
      when the record was written, not on the day asked about.

    ``as_of`` may be a :class:`datetime.date`, an ISO string or a
    :class:`~clusterkg.model.dates.PartialDate`; a partial one means its last
    day (``"2017"`` = as of 2017-12-31).
``types``
    Agreement types to keep (``["mou", "loi"]``); unknown types are an error.
``countries``
    ISO country codes; only organisations in them are kept (an agreement between
    a Japanese, a British and a US party gives, for ``["JP", "GB"]``, the JP-GB
    edge only).
``open_ended``
    What a snapshot does with an *open-ended* agreement, one with no ``end``
    and no ``term`` (:meth:`Agreement.expires` is None): ``"include"`` (the
    default) counts it as in force for ever; ``"exclude"`` leaves it out of
    every snapshot; ``"assume:P5Y"`` gives it that term, counted as a written
    term is (from the start, else the date). Every snapshot graph says in
    ``graph.graph["snapshot"]`` how many open-ended agreements it counted and
    how many the rule left out (:func:`describe_snapshot` says it in words).
``lineage``
    ``True`` (the default): a chain of renames is one organisation over time
    (:mod:`clusterkg.model.lineage`), one node under the current id and name,
    with ``former_names`` ("formerly Cell Therapy Catapult (until 2016)"); an
    agreement with the old organisation is a tie of the lineage. ``False``
    keeps each identity as the records have it. Either way every node carries
    ``lineage`` (the id of its lineage's current organisation), so a consumer
    can tell a predecessor from a stranger; ``graph.graph["merged"]`` maps each
    former id to the node that stands for it.

Every organisation that passes the country filter is a node, with or without
agreements (pass ``isolates=False`` to keep only those with one).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from clusterkg.graph.asof import (
    OPEN_ENDED_RULES,
    _select,
    as_of_day,
    describe_snapshot,
    in_force,
    open_ended_rule,
    select_agreements,
    snapshot,
)
from clusterkg.model.dataset import gc_paused
from clusterkg.model.lineage import find_lineages
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import Agreement

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__all__ = [
    "GROUP_ATTRIBUTES",
    "OPEN_ENDED_RULES",
    "as_of_day",
    "bipartite_graph",
    "describe_snapshot",
    "in_force",
    "measured",
    "open_ended_rule",
    "organization_graph",
    "select_agreements",
    "snapshot",
]

#: Node attributes that group organisations for brokerage and mixing tables.
GROUP_ATTRIBUTES = ("country", "region", "kind")

def _check_countries(countries: Iterable[str] | None) -> frozenset[str] | None:
    if countries is None:
        return None
    if isinstance(countries, str):
        countries = [countries]
    from clusterkg.model.countries import country_code  # ISO codes and English names ("Japan", "UK")

    try:
        return frozenset(country_code(c)[0] for c in countries)
    except ValueError as error:
        raise ClusterKGError(f"countries: {error}") from None


class _Identities:
    """Which node stands for each organisation id: its lineage's current id, or itself."""

    def __init__(self, ds: Dataset, lineage: bool, countries: frozenset[str] | None):
        self.lineages = find_lineages(ds.organizations)
        self.lineage = lineage
        self.node_of: dict[str, str] = {}
        for org_id, found in self.lineages.items():
            node = found.current if lineage else org_id
            org = ds.organizations[node]
            if countries is None or org.country in countries:
                self.node_of[org_id] = node

    def merged(self) -> dict[str, str]:
        """Former id -> the node that stands for it (only ids that are not nodes themselves)."""
        return {org_id: node for org_id, node in self.node_of.items() if org_id != node}

    def add_nodes(self, graph: nx.Graph, ds: Dataset, **extra: Any) -> None:
        for node in sorted(set(self.node_of.values())):
            org = ds.organizations[node]
            found = self.lineages[node]
            former = found.former_names() if found.current == node else ""
            graph.add_node(node, name=org.name, kind=org.kind, country=org.country, region=org.region,
                           former_names=former, lineage=found.current, **extra)
        graph.graph.update(lineage=self.lineage, merged=self.merged())

    def parties(self, agreement: Agreement) -> list[str]:
        """The nodes of an agreement's parties, each once, sorted."""
        return sorted({self.node_of[p.organization] for p in agreement.parties if p.organization in self.node_of})


def measured(graph: nx.Graph) -> nx.Graph:
    """The organisations a measure is computed over: those with at least one tie.

    Every measure in :mod:`clusterkg.graph.analysis` that depends on the size of
    the network (betweenness, closeness, PageRank, Louvain's order of visits,
    the permutation and random-graph nulls of brokerage) is computed over this
    subgraph, so a graph with isolates (the build's, the map's) and one without
    (``isolates=False``, the analyze commands') give the same values. Isolates
    are reported beside it, not inside it (docs/analysis.md, "Which
    organisations a measure is computed over").

    Examples
    --------
    >>> g = nx.Graph([("a", "b")]); g.add_node("c")
    >>> sorted(measured(g))
    ['a', 'b']
    """
    adjacency = graph._adj
    if all(adjacency.values()):
        return graph
    if graph.is_directed() or graph.is_multigraph():
        return graph.subgraph([n for n in graph if graph.degree(n) > 0])
    # What graph.subgraph(tied) shows, made a graph of its own: the same node and neighbour
    # order, the same attribute dicts (shared, as the view shares them). The measures walk it
    # many times, and a filtered view costs a check per node and neighbour at every step.
    tied = graph.__class__()
    tied.graph = graph.graph
    for node, partners in adjacency.items():
        if partners:
            tied._node[node] = graph._node[node]
            tied._adj[node] = partners  # every partner is tied too
    return nx.freeze(tied)  # read-only, as the view was


#: the loaders' pause of the cyclic garbage collector, for building graphs of millions of edges
paused_gc = gc_paused


def _edge_data(facts: list[tuple[str, str, tuple | None, str | None]]) -> dict[str, Any]:
    dated = [(key, iso) for _, _, key, iso in facts if key is not None]
    return {
        "weight": len(facts),
        "agreements": [f[0] for f in facts],
        "types": sorted({f[1] for f in facts}),
        "first": min(dated)[1] if dated else None,
        "last": max(dated)[1] if dated else None,
    }


def organization_graph(
    ds: Dataset,
    *,
    as_of: Any = None,
    types: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    isolates: bool = True,
    lineage: bool = True,
    open_ended: str = "include",
) -> nx.Graph:
    """Organisations joined by the agreements they are parties to.

    Parameters
    ----------
    ds : Dataset
        Loaded records (:func:`clusterkg.loaders.assemble.load_dataset`).
    as_of : date, str or PartialDate, optional
        Keep only agreements in force on that day (rule in the module docstring).
    types : iterable of str, optional
        Agreement types to keep.
    countries : iterable of str, optional
        Keep only organisations in these ISO countries.
    isolates : bool, default True
        Keep organisations without any (selected) agreement as nodes.
    lineage : bool, default True
        One node per lineage (a chain of renames), under the current id;
        False keeps predecessor and successor apart.
    open_ended : {"include", "exclude", "assume:<duration>"}, default "include"
        What an as-of snapshot does with agreements that have no end and no term.

    Returns
    -------
    networkx.Graph
        Nodes are organisation ids with ``name``, ``kind``, ``country``,
        ``region``, ``former_names`` ("" when never renamed) and ``lineage``;
        ``graph.graph`` holds ``lineage``, ``merged`` (former id -> node) and,
        for a snapshot, ``snapshot`` (see :func:`snapshot`); an edge per pair of co-parties with ``weight`` (number of
        agreements), ``agreements`` (sorted ids), ``types`` (sorted), ``first``
        and ``last`` (ISO dates of the earliest and latest signing; None when
        none of its agreements is dated). An agreement with k parties gives a
        clique of k(k-1)/2 edges.

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> ds = load_dataset(["tests/fixtures/csv"])
    >>> g = organization_graph(ds)
    >>> g.edges["link-j", "kanagawa-prefecture"]["weight"]
    1
    >>> g.edges["link-j", "cgt-catapult"]["first"]
    '2017-06'
    >>> organization_graph(ds, as_of="2018").number_of_edges()
    1

    On the sample data the Cell Therapy Catapult (renamed in 2016) and its
    successor are one node, and the 2015 Kanagawa MoU is a tie of that node:

    >>> sample = load_dataset(["tests/fixtures/sample"])
    >>> g = organization_graph(sample)
    >>> "cell-therapy-catapult" in g, g.nodes["cgt-catapult"]["former_names"]
    (False, 'formerly Cell Therapy Catapult (until 2016)')
    >>> g.has_edge("cgt-catapult", "kanagawa-prefecture"), g.graph["merged"]
    (True, {'cell-therapy-catapult': 'cgt-catapult'})
    >>> split = organization_graph(sample, lineage=False)
    >>> split.has_edge("cell-therapy-catapult", "kanagawa-prefecture"), split.nodes["cell-therapy-catapult"]["lineage"]
    (True, 'cgt-catapult')
    """
    rule = open_ended_rule(open_ended)
    with paused_gc():
        return _organization_graph(ds, as_of, types, _check_countries(countries), isolates, lineage, rule)


def _organization_graph(ds: Dataset, as_of: Any, types: Iterable[str] | None, wanted_countries: frozenset[str] | None,
                        isolates: bool, lineage: bool, rule: str) -> nx.Graph:
    graph = nx.Graph()
    identities = _Identities(ds, lineage, wanted_countries)
    identities.add_nodes(graph, ds)
    # Agreements come sorted by id, so each edge's list of ids is sorted as built.
    edges: dict[tuple[str, str], list[tuple[str, str, tuple | None, str | None]]] = {}
    selected, facts = _select(ds, as_of, types, rule)
    if facts is not None:
        graph.graph["snapshot"] = facts
    for agreement in selected:
        parties = identities.parties(agreement)
        if len(parties) < 2:
            continue
        date = agreement.date
        facts = (agreement.id, agreement.type, date.sort_key() if date else None, date.isoformat() if date else None)
        for i, a in enumerate(parties):
            for b in parties[i + 1:]:
                edges.setdefault((a, b), []).append(facts)
    graph.add_edges_from((a, b, _edge_data(facts)) for (a, b), facts in edges.items())
    if not isolates:
        graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    return graph


def bipartite_graph(
    ds: Dataset,
    *,
    as_of: Any = None,
    types: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    isolates: bool = True,
    lineage: bool = True,
    open_ended: str = "include",
) -> nx.Graph:
    """Organisations and agreements as two kinds of node, an edge for each party.

    Same filters and ``lineage`` as :func:`organization_graph` (with lineages,
    a party that was renamed later is the lineage's node). Organisation nodes carry
    ``bipartite=0``, ``node_type="organization"``, ``name``, ``kind``,
    ``country``, ``region``; agreement nodes ``bipartite=1``,
    ``node_type="agreement"``, ``type``, ``title``, ``date`` (ISO, or None).
    Each edge carries the party's ``role`` (or None). An agreement node is kept
    when at least one of its parties is.

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> ds = load_dataset(["tests/fixtures/csv"])
    >>> b = bipartite_graph(ds)
    >>> sorted(b["mou-link-j-kanagawa-2020"])
    ['kanagawa-prefecture', 'link-j']
    >>> b.edges["link-j", "mou-link-j-kanagawa-2020"]["role"]
    'coordinator'
    """
    rule = open_ended_rule(open_ended)
    with paused_gc():
        return _bipartite_graph(ds, as_of, types, _check_countries(countries), isolates, lineage, rule)


def _bipartite_graph(ds: Dataset, as_of: Any, types: Iterable[str] | None, wanted_countries: frozenset[str] | None,
                     isolates: bool, lineage: bool, rule: str) -> nx.Graph:
    graph = nx.Graph()
    identities = _Identities(ds, lineage, wanted_countries)
    identities.add_nodes(graph, ds, bipartite=0, node_type="organization")
    selected, facts = _select(ds, as_of, types, rule)
    if facts is not None:
        graph.graph["snapshot"] = facts
    node_of = identities.node_of
    for agreement in selected:
        parties = [p for p in agreement.parties if p.organization in node_of]
        if not parties:
            continue
        if agreement.id in graph:
            raise ClusterKGError(f"{agreement.id}: an organisation has the same id as this agreement")
        graph.add_node(
            agreement.id, bipartite=1, node_type="agreement", type=agreement.type, title=agreement.title,
            date=agreement.date.isoformat() if agreement.date else None,
        )
        for party in parties:
            node = node_of[party.organization]
            if not graph.has_edge(node, agreement.id):  # two former names of one lineage: one tie
                graph.add_edge(node, agreement.id, role=party.role)
    if not isolates:
        graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    return graph
