"""Whom to approach next: organisations two steps away, ranked, with the reason.

A candidate is an organisation that has no agreement with the given one but
shares at least one partner with it. Renames count: a candidate is never the
organisation itself under another name (its predecessor or successor), never
an organisation it already has an agreement with under another name, and is
always named by its current identity (a partner's tie to a former name is a
tie to the organisation that name became). The graph
says which nodes are one lineage in their ``lineage`` attribute (set by
:func:`clusterkg.graph.network.organization_graph`; a node without it is its
own lineage). Candidates are ranked by the
Adamic-Adar index: each shared partner z adds ``1 / ln(degree(z))``, so a
partner that knows few others counts for more than a hub that knows everyone
(introductions through a small, close partner are likelier to happen).

References
----------
.. [1] Adamic, L. A. and Adar, E. (2003). Friends and neighbors on the Web.
   *Social Networks* 25(3), 211-230.
.. [2] Liben-Nowell, D. and Kleinberg, J. (2007). The link-prediction problem
   for social networks. *JASIST* 58(7), 1019-1031.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import networkx as nx
import pandas as pd

from clusterkg.model.problems import ClusterKGError

__all__ = ["suggest_partners"]

_COLUMNS = ["candidate", "name", "country", "kind", "score", "shared", "reason"]


def _as_set(values: str | Iterable[str] | None, upper: bool = False) -> set[str] | None:
    if values is None:
        return None
    values = [values] if isinstance(values, str) else list(values)
    return {v.upper() if upper else v for v in values}


def suggest_partners(
    graph: nx.Graph,
    organization: Hashable,
    *,
    top: int | None = 10,
    countries: str | Iterable[str] | None = None,
    kinds: str | Iterable[str] | None = None,
    names: int = 3,
) -> pd.DataFrame:
    """Organisations two steps from ``organization`` with no agreement with it, best first.

    Parameters
    ----------
    graph : networkx.Graph
        The organisation graph (:func:`clusterkg.graph.network.organization_graph`).
    organization : str
        The organisation id to suggest partners for.
    top : int or None, default 10
        How many to return (None: all).
    countries, kinds : str or iterable of str, optional
        Keep only candidates in these countries / of these kinds.
    names : int, default 3
        How many shared partners the reason names before "and N more".

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate``, ``name``, ``country``, ``kind``, ``score``
        (Adamic-Adar), ``shared`` (number of shared partners) and ``reason``
        ("shares 2 partners: LINK-J, MedCity"). Ties in score are broken by
        more shared partners, then by id.

    References
    ----------
    .. [1] Adamic, L. A. and Adar, E. (2003). Friends and neighbors on the Web.
       *Social Networks* 25(3), 211-230.

    Examples
    --------
    >>> g = nx.Graph([("kobe", "link-j"), ("link-j", "medcity"), ("kobe", "biom"), ("biom", "medcity")])
    >>> nx.set_node_attributes(g, {"kobe": "JP", "link-j": "JP", "medcity": "GB", "biom": "DE"}, "country")
    >>> nx.set_node_attributes(g, {"link-j": "LINK-J", "biom": "BioM"}, "name")
    >>> suggest_partners(g, "kobe")[["candidate", "shared", "reason"]].values.tolist()
    [['medcity', 2, 'shares 2 partners: BioM, LINK-J']]
    """
    if organization not in graph:
        raise ClusterKGError(f"{organization}: no organisation with this id in the graph")
    wanted_countries = _as_set(countries, upper=True)
    wanted_kinds = _as_set(kinds)
    lineage = {n: graph.nodes[n].get("lineage", n) for n in graph}
    partners = set(graph[organization])
    # Itself and its partners, under any of their names.
    excluded = {lineage[organization]} | {lineage[p] for p in partners}
    shared: dict[Hashable, list[Hashable]] = {}
    for partner in partners:
        for candidate in graph[partner]:
            candidate = lineage[candidate]  # a former name stands for the current one
            if candidate in excluded or candidate not in graph:
                continue  # the organisation itself or a partner already, under any name
            via = shared.setdefault(candidate, [])
            if partner not in via:
                via.append(partner)
    rows = []
    for candidate, via in shared.items():
        data = graph.nodes[candidate]
        if wanted_countries is not None and data.get("country") not in wanted_countries:
            continue
        if wanted_kinds is not None and data.get("kind") not in wanted_kinds:
            continue
        score = sum(1 / math.log(graph.degree(z)) for z in via)
        label = sorted(str(graph.nodes[z].get("name") or z) for z in via)
        listed = ", ".join(label[:names]) + (f" and {len(label) - names} more" if len(label) > names else "")
        noun = "partner" if len(via) == 1 else "partners"
        rows.append({
            "candidate": candidate,
            "name": data.get("name"),
            "country": data.get("country"),
            "kind": data.get("kind"),
            "score": score,
            "shared": len(via),
            "reason": f"shares {len(via)} {noun}: {listed}",
        })
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table = table.sort_values(["score", "shared", "candidate"], ascending=[False, False, True], kind="stable")
    if top is not None:
        table = table.head(top)
    return table.reset_index(drop=True)
