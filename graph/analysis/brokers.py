"""Who brokers between two groups, in counts and in words.

An *open pair* is two organisations with no agreement between them but a
partner in common; each common partner *connects* the pair (it can introduce
one to the other). :func:`brokers_between` takes the open pairs with one
organisation on each side (Japan and Europe, say), and ranks the partners that
connect them:

``pairs``
    open pairs between the two sides this organisation connects;
``share``
    ``pairs`` divided by all the open pairs between the two sides;
``sole``
    of its pairs, those that no other organisation connects (without it, the
    two would have no partner in common);
``sentence``
    the same in words: "LINK-J connects 49 of the 52 open Japan–Europe pairs
    (94%), 40 of them alone".

These are the plain counts behind Gould and Fernandez's roles
(:mod:`.brokerage`): every open pair a broker connects is one of its
coordinator, itinerant, boundary-spanner or liaison pairs, by the groups of the
three. Counts need no null model; whether a count is more than chance would
give is what the z-scores of :mod:`.brokerage` ask.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("kobe", "link-j"), ("osaka", "link-j"), ("link-j", "medcity"), ("link-j", "biom"),
...               ("osaka", "biom"), ("biom", "medcity")])
>>> nx.set_node_attributes(g, {"kobe": "JP", "osaka": "JP", "link-j": "JP", "medcity": "GB", "biom": "DE"},
...                        "country")
>>> nx.set_node_attributes(g, {n: n.upper() for n in g}, "name")
>>> table = brokers_between(g, "JP", "Europe")
>>> table[["pairs", "sole"]].to_dict("index")
{'link-j': {'pairs': 3, 'sole': 2}, 'biom': {'pairs': 1, 'sole': 0}}
>>> print(table.loc["link-j", "sentence"])
LINK-J connects 3 of the 3 open Japan–Europe pairs (100%), 2 of them alone.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import networkx as nx
import pandas as pd

from clusterkg.graph.analysis.groups import Side, node_groups, side
from clusterkg.model.problems import ClusterKGError

__all__ = ["brokers_across", "brokers_between", "group_pairs", "open_pairs"]

_COLUMNS = ["name", "country", "group", "pairs", "share", "sole", "sentence"]


def open_pairs(graph: nx.Graph, first: set, second: set | None = None) -> dict[tuple, list]:
    """Open pairs (a, c) with a in ``first`` and c in ``second`` (default: any node not in ``first``),
    each with the organisations that connect it.

    Examples
    --------
    >>> g = nx.Graph([("a", "v"), ("v", "c"), ("a", "w"), ("w", "c"), ("a", "c2")])
    >>> open_pairs(g, {"a"}, {"c", "c2"})
    {('a', 'c'): ['v', 'w']}
    """
    if second is not None and first & second:
        raise ClusterKGError("the two sides overlap: an organisation cannot be on both sides")
    found: dict[tuple, list] = {}
    for v in graph:
        neighbours = graph[v]
        left = [n for n in neighbours if n in first]
        if not left:
            continue
        right = [n for n in neighbours if (n in second if second is not None else n not in first)]
        for a in left:
            ties = graph[a]
            for c in right:
                if c != a and c not in ties:
                    found.setdefault((a, c), []).append(v)
    return found


def _label(graph: nx.Graph, node: Hashable) -> str:
    return str(graph.nodes[node].get("name") or node)


def _rank(graph: nx.Graph, pairs: dict[tuple, list], what: str, group: Mapping[Hashable, str],
          top: int | None) -> pd.DataFrame:
    """One row per organisation that connects some of ``pairs``: counts, share, sole, sentence."""
    counts: dict[Hashable, list[int]] = {}
    for via in pairs.values():
        for v in via:
            counts.setdefault(v, [0, 0])[0] += 1
        if len(via) == 1:
            counts[via[0]][1] += 1
    total = len(pairs)
    rows = []
    for v, (count, sole) in counts.items():
        sentence = f"{_label(graph, v)} connects {count} of the {total} {what} ({count / total:.0%})"
        sentence += f", {sole} of them alone." if sole else "; each of them has another broker too."
        rows.append({"broker": v, "name": graph.nodes[v].get("name"), "country": graph.nodes[v].get("country"),
                     "group": group[v], "pairs": count, "share": count / total, "sole": sole, "sentence": sentence})
    table = pd.DataFrame(rows, columns=["broker", *_COLUMNS])
    table = table.sort_values(["pairs", "sole", "broker"], ascending=[False, False, True], kind="stable")
    table = table.set_index("broker")
    return table.head(top) if top is not None else table


def brokers_between(
    graph: nx.Graph,
    between: str | Side,
    and_: str | Side | None = None,
    *,
    groups: str | Mapping[str, object] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """The organisations that connect open pairs between two sides, most pairs first.

    Parameters
    ----------
    graph : networkx.Graph
        The organisation graph; nodes need a ``country``.
    between, and_ : str
        Each side: a group named in ``groups``, a continent or world region
        ("Europe", "Eastern Asia"), or ISO country codes ("JP", "GB,DE").
        Without ``and_``, the other side is every organisation not in ``between``.
    groups : str or mapping, optional
        Your own groups (``"Japan=JP; Europe=GB,DE,FR"``), see :mod:`.groups`.
    top : int, optional
        Keep the first ``top`` brokers.

    Returns
    -------
    pandas.DataFrame
        Index ``broker`` (organisation id); columns ``name``, ``country``,
        ``group`` (its side: the ``between`` label, the ``and_`` label or
        "(neither)"), ``pairs``, ``share``, ``sole`` and ``sentence`` (module
        docstring). Only organisations that connect at least one pair; ties
        in ``pairs`` broken by ``sole``, then by id. ``attrs``: ``between``,
        ``and``, ``open_pairs`` (all open pairs between the sides) and
        ``summary`` (a sentence about them).
    """
    one = between if isinstance(between, Side) else side(between, groups)
    other = None if and_ is None else (and_ if isinstance(and_, Side) else side(and_, groups))
    country = {n: graph.nodes[n].get("country") for n in graph}
    first = {n for n in graph if country[n] in one.countries}
    second = None if other is None else {n for n in graph if country[n] in other.countries}
    if other is not None and one.countries & other.countries:
        raise ClusterKGError(f"{one.label!r} and {other.label!r} share countries "
                             f"({', '.join(sorted(one.countries & other.countries))}); give two separate sides")
    other_label = other.label if other is not None else f"outside {one.label}"
    pairs = open_pairs(graph, first, second)
    what = f"open {one.label}–{other.label} pairs" if other is not None else f"open pairs between {one.label} and " \
        "the rest"
    group = {v: one.label if v in first else (other_label if (second is None or v in second) else "(neither)")
             for v in graph}
    table = _rank(graph, pairs, what, group, top)
    total = len(pairs)
    summary = (f"{total} {what}: organisations with no agreement between them but a partner in common"
               if total else f"no {what}: every {one.label} organisation with a partner in common with one "
               f"{'in ' + other.label if other is not None else 'elsewhere'} already has an agreement with it")
    table.attrs.update(between=one.label, **{"and": other_label}, open_pairs=total, summary=summary)
    return table


def group_pairs(graph: nx.Graph, labels: Mapping[Hashable, str]) -> dict[tuple, list]:
    """Open pairs whose two organisations are in different groups (``labels``: node -> group)."""
    found: dict[tuple, list] = {}
    for v in graph:
        neighbours = list(graph[v])
        for i, a in enumerate(neighbours):
            ties = graph[a]
            for c in neighbours[i + 1:]:
                if labels[a] != labels[c] and c not in ties:
                    found.setdefault((a, c) if str(a) < str(c) else (c, a), []).append(v)
    return found


def brokers_across(graph: nx.Graph, by: str = "country", *, groups: str | Mapping[str, object] | None = None,
                   top: int | None = None) -> pd.DataFrame:
    """Like :func:`brokers_between`, for the open pairs between any two different groups.

    Examples
    --------
    >>> g = nx.Graph([("kobe", "link-j"), ("link-j", "medcity"), ("link-j", "osaka")])
    >>> nx.set_node_attributes(g, {"kobe": "JP", "osaka": "JP", "link-j": "JP", "medcity": "GB"}, "country")
    >>> brokers_across(g).loc["link-j", "sentence"]
    'link-j connects 2 of the 2 open pairs between different groups (by country) (100%), 2 of them alone.'
    """
    labels = node_groups(graph, by, groups)
    pairs = group_pairs(graph, labels)
    what = "open pairs between different groups " + ("(yours)" if groups is not None else f"(by {by})")
    table = _rank(graph, pairs, what, labels, top)
    total = len(pairs)
    table.attrs.update(between=None, **{"and": None}, open_pairs=total,
                       summary=f"{total} {what}: organisations with no agreement between them but a partner in common")
    return table
