"""How the network changed: yearly snapshots, new ties, and the difference between two dates.

Every snapshot is :func:`clusterkg.graph.network.organization_graph` with
``as_of``: the agreements in force on that day (surely signed by it, not
surely ended; the rule is in :mod:`clusterkg.graph.network`). A year stands for
its last day, 31 December. Every function takes ``lineage`` (default True: a
renamed organisation is one organisation, under its current id) and
``open_ended`` (what a snapshot does with agreements that have no end and no
term), and says how many open-ended agreements each snapshot counted.

* :func:`yearly`: one row per year with the size and shape of the network then;
* :func:`new_ties`: when each pair of organisations first had an agreement;
* :func:`partners_by_year`: one organisation's partners, year by year;
* :func:`compare`: who entered or left between two dates, and who gained or
  lost centrality and brokerage.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from clusterkg.graph.analysis.brokerage import Groups, gould_fernandez_folded
from clusterkg.graph.analysis.centrality import (
    EXACT_THRESHOLD,
    SAMPLE_SIZE,
    betweenness,
)
from clusterkg.graph.analysis.structural_holes import constraint
from clusterkg.graph.network import as_of_day, measured, open_ended_rule, organization_graph, select_agreements
from clusterkg.model.problems import ClusterKGError

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__all__ = ["compare", "new_ties", "partners_by_year", "yearly"]


def _years(ds: Dataset, years: Iterable[int] | None) -> list[int]:
    if years is not None:
        return sorted(set(int(y) for y in years))
    dated = [a.date.year for a in ds.agreements.values() if a.date is not None]
    return list(range(min(dated), max(dated) + 1)) if dated else []


def yearly(
    ds: Dataset,
    *,
    years: Iterable[int] | None = None,
    types: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    groups: Groups = "country",
    lineage: bool = True,
    open_ended: str = "include",
) -> pd.DataFrame:
    """The network at the end of each year.

    Columns: ``signed`` (agreements signed that year, by the year of their
    date), ``in_force`` (agreements in force on 31 December), ``organizations``
    (with at least one tie then), ``ties`` (pairs of organisations with an
    agreement in force), ``new_ties`` and ``lost_ties`` (pairs that were not /
    are no longer tied a year earlier), ``density``, ``components``,
    ``largest_component`` (share of the organisations in it) and
    ``cross_group_ties`` (share of ties between different groups, by default
    between countries), ``open_ended`` (how many of the agreements in force
    have no end and no term) and, unless ``open_ended`` is "include",
    ``open_ended_left_out`` (how many such agreements the rule left out).

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> table = yearly(load_dataset(["tests/fixtures/csv"]))
    >>> table.loc[2020, ["signed", "in_force", "ties", "new_ties"]].astype(int).to_dict()
    {'signed': 1, 'in_force': 2, 'ties': 2, 'new_ties': 1}
    """
    rows = []
    previous: set[tuple] = set()
    chosen = _years(ds, years)
    signed_per_year = pd.Series([a.date.year for a in select_agreements(ds, types=types) if a.date is not None],
                                dtype=int).value_counts()
    rule = open_ended_rule(open_ended)
    keep = dict(types=types, countries=countries, lineage=lineage, open_ended=rule)
    if chosen:
        # Ties in force just before the first year, so its new_ties are new.
        previous = set(organization_graph(ds, as_of=f"{chosen[0] - 1}", **keep).edges)
    for year in chosen:
        g = organization_graph(ds, as_of=str(year), isolates=False, **keep)
        facts = g.graph["snapshot"]
        ties = {tuple(sorted(e)) for e in g.edges}
        previous = {tuple(sorted(e)) for e in previous}
        labels = nx.get_node_attributes(g, groups) if isinstance(groups, str) else None
        cross = (sum(1 for u, v in g.edges if labels.get(u) != labels.get(v)) / len(ties)
                 if ties and labels is not None else float("nan"))
        n = g.number_of_nodes()
        largest = max((len(c) for c in nx.connected_components(g)), default=0)
        rows.append({
            "year": year,
            "signed": int(signed_per_year.get(year, 0)),
            "in_force": len({a for _, _, ids in g.edges(data="agreements") for a in ids}),
            "organizations": n,
            "ties": len(ties),
            "new_ties": len(ties - previous),
            "lost_ties": len(previous - ties),
            "density": nx.density(g) if n > 1 else float("nan"),
            "components": nx.number_connected_components(g),
            "largest_component": largest / n if n else float("nan"),
            "cross_group_ties": cross,
            "open_ended": facts["open_ended_counted"],
            **({} if rule == "include" else {"open_ended_left_out": facts["open_ended_left_out"]}),
        })
        previous = ties
    table = pd.DataFrame(rows).set_index("year") if rows else pd.DataFrame(columns=["year"]).set_index("year")
    table.attrs["open_ended"] = rule
    return table


def new_ties(
    ds: Dataset, *, types: Iterable[str] | None = None, countries: Iterable[str] | None = None, lineage: bool = True
) -> pd.DataFrame:
    """Each pair of organisations with the date of their first agreement.

    Columns: ``first`` (ISO date, at the precision given), ``year``, ``source``,
    ``target``, their countries, ``agreements`` (how many in all); sorted by date.

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> new_ties(load_dataset(["tests/fixtures/csv"]))[["year", "source", "target"]].values.tolist()
    [[2017, 'cgt-catapult', 'link-j'], [2020, 'kanagawa-prefecture', 'link-j']]
    """
    g = organization_graph(ds, types=types, countries=countries, isolates=False, lineage=lineage)
    rows = []
    for u, v, data in g.edges(data=True):
        a, b = sorted((u, v))
        rows.append({
            "first": data["first"],
            "year": int(data["first"][:4]) if data["first"] else None,
            "source": a,
            "target": b,
            "source_country": g.nodes[a]["country"],
            "target_country": g.nodes[b]["country"],
            "agreements": data["weight"],
        })
    table = pd.DataFrame(rows, columns=["first", "year", "source", "target", "source_country", "target_country",
                                        "agreements"])
    table["year"] = table["year"].astype("Int64")
    return table.sort_values(["first", "source", "target"], na_position="last").reset_index(drop=True)


def partners_by_year(ds: Dataset, organization: str, *, years: Iterable[int] | None = None,
                     types: Iterable[str] | None = None, lineage: bool = True,
                     open_ended: str = "include") -> pd.DataFrame:
    """One organisation's partners at the end of each year.

    Columns: ``partners`` (how many), ``countries`` (how many countries they
    are in), ``new`` and ``lost`` (ids of partners gained and lost that year),
    ``agreements`` (its agreements in force) and ``open_ended`` (how many of
    those have no end and no term). With ``lineage`` (the default) a former
    id means the organisation it became, and its agreements under every name
    count.

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> table = partners_by_year(load_dataset(["tests/fixtures/csv"]), "link-j", years=[2017, 2020])
    >>> table["new"].tolist()
    [['cgt-catapult'], ['kanagawa-prefecture']]
    >>> catapult = partners_by_year(load_dataset(["tests/fixtures/sample"]), "cgt-catapult", years=[2015, 2017])
    >>> catapult["new"].tolist()
    [['kanagawa-prefecture'], ['firm']]
    """
    if organization not in ds.organizations:
        raise ClusterKGError(f"{organization}: no organisation with this id")
    keep = dict(types=types, lineage=lineage, open_ended=open_ended_rule(open_ended))
    rows = []
    before: set[str] = set()
    chosen = _years(ds, years)
    if chosen:
        g0 = organization_graph(ds, as_of=str(chosen[0] - 1), **keep)
        node = g0.graph["merged"].get(organization, organization)
        before = set(g0[node])
    for year in chosen:
        g = organization_graph(ds, as_of=str(year), **keep)
        node = g.graph["merged"].get(organization, organization)
        partners = set(g[node])
        agreements = {a for p in partners for a in g.edges[node, p]["agreements"]}
        rows.append({
            "year": year,
            "partners": len(partners),
            "countries": len({g.nodes[p]["country"] for p in partners}),
            "new": sorted(partners - before),
            "lost": sorted(before - partners),
            "agreements": len(agreements),
            "open_ended": sum(ds.agreements[a].expires() is None for a in agreements),
        })
        before = partners
    return pd.DataFrame(rows).set_index("year") if rows else pd.DataFrame(columns=["year"]).set_index("year")


def _snapshot(ds: Dataset, when: Any, groups: Groups, options: dict, **filters: Any) -> tuple[pd.DataFrame, dict]:
    g = organization_graph(ds, as_of=when, **filters)
    table = pd.DataFrame(index=pd.Index(list(g), name="node"))
    table["degree"] = pd.Series(dict(g.degree()), dtype=float)
    # Over the organisations with a tie, as every measure (graph.network.measured).
    table["betweenness"] = betweenness(measured(g), **options).reindex(table.index, fill_value=0.0)
    table["constraint"] = constraint(g)
    folded = gould_fernandez_folded(g, groups, permutations=0).table
    table["brokerage"] = folded["total"]
    table["boundary_spanner"] = folded["boundary_spanner"]
    return table, g.graph["snapshot"]


def _renames(ds: Dataset, nodes: pd.Index, before: Any, after: Any, lineage: bool) -> list[str]:
    """For each node, the renames between the two days that concern it, in words ("" for none)."""
    from clusterkg.model.lineage import find_lineages

    lineages = find_lineages(ds.organizations)
    first, last = as_of_day(before), as_of_day(after)
    texts = []
    for node in nodes:
        found = lineages[node]
        words = []
        for former, new_id in zip(found.former, found.members[1:]):
            if former not in found.renamed_between(first, last) or not (lineage or node in (former.id, new_id)):
                continue
            words.append(f"{former.name} ({former.id}) renamed {ds.organizations[new_id].name} ({new_id}) "
                         f"in {former.until}")
        texts.append("; ".join(words))
    return texts


def compare(
    ds: Dataset,
    before: Any,
    after: Any,
    *,
    types: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    groups: Groups = "country",
    exact_threshold: int = EXACT_THRESHOLD,
    sample_size: int = SAMPLE_SIZE,
    seed: int | None = 0,
    lineage: bool = True,
    open_ended: str = "include",
) -> pd.DataFrame:
    """Who entered, who left, who was renamed, and who gained or lost position between two dates.

    Returns
    -------
    pandas.DataFrame
        One row per organisation with a tie at either date: ``status``
        ("entered", "left", "stayed", or "renamed": there at both dates, and
        renamed in between; with ``lineage=False`` both names of a renamed
        organisation are "renamed"), ``renamed`` (the renames in between, in
        words, else ""), and for ``degree``, ``betweenness``,
        ``constraint``, ``brokerage`` (folded Gould-Fernandez total by
        ``groups``) and ``boundary_spanner``: the value before, after and the
        change (``<measure>_before``, ``<measure>_after``, ``<measure>_change``;
        0 where the organisation had no tie, NaN for its constraint). Sorted by the change in
        betweenness, largest gain first. ``attrs`` gives both days and both
        snapshots' figures (``snapshots``: in force, open-ended counted and left out).

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> diff = compare(load_dataset(["tests/fixtures/csv"]), "2018", "2021")
    >>> row = diff.loc["link-j"]
    >>> row["status"], int(row["degree_before"]), int(row["degree_after"])
    ('stayed', 1, 2)
    >>> diff.loc["kanagawa-prefecture", "status"]
    'entered'

    The Cell Therapy Catapult became the Cell and Gene Therapy Catapult in 2016:

    >>> sample = compare(load_dataset(["tests/fixtures/sample"]), "2015", "2020")
    >>> sample.loc["cgt-catapult", ["status", "renamed"]].tolist()
    ['renamed', 'Cell Therapy Catapult (cell-therapy-catapult) renamed Cell and Gene Therapy Catapult (cgt-catapult) in 2016']
    """
    options = dict(exact_threshold=exact_threshold, sample_size=sample_size, seed=seed)
    keep = dict(types=types, countries=countries, lineage=lineage, open_ended=open_ended_rule(open_ended))
    first, facts_before = _snapshot(ds, before, groups, options, **keep)
    second, facts_after = _snapshot(ds, after, groups, options, **keep)
    active_before = first.index[first["degree"] > 0]
    active_after = second.index[second["degree"] > 0]
    nodes = active_before.union(active_after)
    table = pd.DataFrame(index=pd.Index(nodes, name="node"))
    renamed = np.array(_renames(ds, nodes, before, after, lineage), dtype=object)
    stayed = nodes.isin(active_before) & nodes.isin(active_after)
    table["status"] = np.select(
        [(renamed != "") & (stayed | (not lineage)), stayed, nodes.isin(active_after)],
        ["renamed", "stayed", "entered"], default="left")
    table["renamed"] = renamed
    for measure in first.columns:
        # Without ties an organisation has no constraint at all (NaN), but zero of the rest.
        absent = np.nan if measure == "constraint" else 0.0
        b = first[measure].reindex(nodes).where(nodes.isin(active_before), absent)
        a = second[measure].reindex(nodes).where(nodes.isin(active_after), absent)
        table[f"{measure}_before"] = b.to_numpy()
        table[f"{measure}_after"] = a.to_numpy()
        table[f"{measure}_change"] = (a - b).to_numpy()
    table.attrs.update(before=as_of_day(before).isoformat(), after=as_of_day(after).isoformat(),
                       snapshots=[facts_before, facts_after])
    return table.sort_values(["betweenness_change", "degree_change"], ascending=False, kind="stable")
