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

Every organisation that passes the country filter is a node, with or without
agreements (pass ``isolates=False`` to keep only those with one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from clusterkg.model.dataset import gc_paused
from clusterkg.model.dates import PartialDate
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.records import AGREEMENT_TYPES, Agreement

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__all__ = [
    "GROUP_ATTRIBUTES",
    "as_of_day",
    "bipartite_graph",
    "in_force",
    "organization_graph",
    "select_agreements",
]

#: Node attributes that group organisations for brokerage and mixing tables.
GROUP_ATTRIBUTES = ("country", "region", "kind")



def as_of_day(value: Any) -> dt.date:
    """The day a snapshot is taken: a date as is, a partial date's last day.

    Examples
    --------
    >>> as_of_day("2017-06")
    datetime.date(2017, 6, 30)
    >>> as_of_day(dt.date(2020, 1, 2))
    datetime.date(2020, 1, 2)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return PartialDate.parse(value).latest()
    except ValueError as error:
        raise ClusterKGError(f"as_of: {error}") from None


def _surely_ended(agreement: Agreement, day: dt.date) -> bool:
    last = agreement.expires()
    return last is not None and last < day


def in_force(agreement: Agreement, day: dt.date, successors: dict[str, list[Agreement]] | None = None) -> bool:
    """True when ``agreement`` was surely signed by ``day`` and had not surely ended.

    ``successors`` maps an agreement id to the agreements that renew or
    supersede it (see :func:`select_agreements`); a successor surely signed by
    ``day`` ends it.

    Examples
    --------
    >>> from clusterkg.model.records import Agreement
    >>> a = Agreement(type="mou", parties=["a", "b"], signed="2017-06", term="P3Y",
    ...               sources=[{"title": "t"}])
    >>> in_force(a, dt.date(2017, 6, 15)), in_force(a, dt.date(2017, 6, 30))
    (False, True)
    >>> in_force(a, dt.date(2020, 6, 29)), in_force(a, dt.date(2020, 6, 30))
    (True, False)
    """
    date = agreement.date
    if date is None or date.latest() > day:
        return False
    if _surely_ended(agreement, day):
        return False
    for successor in (successors or {}).get(agreement.id or "", ()):
        if successor.date is not None and successor.date.latest() <= day:
            return False
    return True


def _check_types(types: Iterable[str] | None) -> frozenset[str] | None:
    if types is None:
        return None
    if isinstance(types, str):
        types = [types]
    wanted = frozenset(t.strip().lower() for t in types)
    unknown = sorted(wanted - set(AGREEMENT_TYPES))
    if unknown:
        raise ClusterKGError(f"types: unknown agreement type {', '.join(map(repr, unknown))} "
                             f"(known: {', '.join(AGREEMENT_TYPES)})")
    return wanted


def _check_countries(countries: Iterable[str] | None) -> frozenset[str] | None:
    if countries is None:
        return None
    if isinstance(countries, str):
        countries = [countries]
    return frozenset(c.strip().upper() for c in countries)


def select_agreements(ds: Dataset, *, as_of: Any = None, types: Iterable[str] | None = None) -> list[Agreement]:
    """The agreements that pass the date and type filters, sorted by id.

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> ds = load_dataset(["tests/fixtures/csv"])
    >>> [a.id for a in select_agreements(ds, as_of="2020-12-31")]  # doctest: +ELLIPSIS
    ['loi-cgt-catapult-link-j-2017-06', 'mou-link-j-kanagawa-2020']
    >>> [a.id for a in select_agreements(ds, as_of="2017-06-15")]
    []
    """
    wanted = _check_types(types)
    agreements = [a for a in ds.agreements.values() if wanted is None or a.type in wanted]
    if as_of is not None:
        day = as_of_day(as_of)
        successors: dict[str, list[Agreement]] = {}
        for agreement in ds.agreements.values():
            for earlier in (agreement.renews, agreement.supersedes):
                if earlier is not None:
                    successors.setdefault(earlier, []).append(agreement)
        agreements = [a for a in agreements if in_force(a, day, successors)]
    return sorted(agreements, key=lambda a: a.id or "")


def _organization_nodes(graph: nx.Graph, ds: Dataset, countries: frozenset[str] | None, **extra: Any) -> None:
    for org_id in sorted(ds.organizations):
        org = ds.organizations[org_id]
        if countries is None or org.country in countries:
            graph.add_node(org_id, name=org.name, kind=org.kind, country=org.country, region=org.region, **extra)


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

    Returns
    -------
    networkx.Graph
        Nodes are organisation ids with ``name``, ``kind``, ``country``,
        ``region``; an edge per pair of co-parties with ``weight`` (number of
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
    """
    with paused_gc():
        return _organization_graph(ds, as_of, types, _check_countries(countries), isolates)


def _organization_graph(ds: Dataset, as_of: Any, types: Iterable[str] | None, wanted_countries: frozenset[str] | None,
                        isolates: bool) -> nx.Graph:
    graph = nx.Graph()
    _organization_nodes(graph, ds, wanted_countries)
    # Agreements come sorted by id, so each edge's list of ids is sorted as built.
    edges: dict[tuple[str, str], list[tuple[str, str, tuple | None, str | None]]] = {}
    known = set(graph)
    for agreement in select_agreements(ds, as_of=as_of, types=types):
        parties = sorted({p.organization for p in agreement.parties} & known)
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
) -> nx.Graph:
    """Organisations and agreements as two kinds of node, an edge for each party.

    Same filters as :func:`organization_graph`. Organisation nodes carry
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
    with paused_gc():
        return _bipartite_graph(ds, as_of, types, _check_countries(countries), isolates)


def _bipartite_graph(ds: Dataset, as_of: Any, types: Iterable[str] | None, wanted_countries: frozenset[str] | None,
                     isolates: bool) -> nx.Graph:
    graph = nx.Graph()
    _organization_nodes(graph, ds, wanted_countries, bipartite=0, node_type="organization")
    for agreement in select_agreements(ds, as_of=as_of, types=types):
        parties = [p for p in agreement.parties if p.organization in graph]
        if not parties:
            continue
        if agreement.id in graph:
            raise ClusterKGError(f"{agreement.id}: an organisation has the same id as this agreement")
        graph.add_node(
            agreement.id, bipartite=1, node_type="agreement", type=agreement.type, title=agreement.title,
            date=agreement.date.isoformat() if agreement.date else None,
        )
        for party in parties:
            graph.add_edge(party.organization, agreement.id, role=party.role)
    if not isolates:
        graph.remove_nodes_from([n for n, d in graph.degree() if d == 0])
    return graph
