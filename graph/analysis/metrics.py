"""Every per-organisation measure in one table: what ``clusterkg build`` writes to metrics.csv.

One row per organisation: its name, country, kind and community, the
centralities, Burt's structural-hole measures and the folded Gould-Fernandez
brokerage counts by group. This is the "full analysis" the benchmark times.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd

from clusterkg.graph.analysis.brokerage import Groups, gould_fernandez_folded
from clusterkg.graph.analysis.centrality import EXACT_THRESHOLD, SAMPLE_SIZE, centrality
from clusterkg.graph.analysis.communities import communities
from clusterkg.graph.analysis.structural_holes import structural_holes
from clusterkg.graph.network import paused_gc

__all__ = ["MEASURE_EXCLUDED", "organization_metrics", "read_metrics"]


def organization_metrics(
    graph: nx.Graph,
    *,
    groups: Groups = "country",
    exact_threshold: int = EXACT_THRESHOLD,
    sample_size: int = SAMPLE_SIZE,
    seed: int | None = 0,
    permutations: int = 0,
) -> pd.DataFrame:
    """Centrality, structural holes, brokerage and community of every organisation.

    Parameters
    ----------
    graph : networkx.Graph
        The organisation graph.
    groups : str, mapping or callable, default "country"
        Groups for brokerage.
    exact_threshold, sample_size, seed
        As in :func:`clusterkg.graph.analysis.centrality.betweenness`; the seed
        also seeds Louvain and the permutations.
    permutations : int, default 0
        Label permutations for the brokerage z-scores (0: counts only).

    Returns
    -------
    pandas.DataFrame
        Index ``node``; columns ``name``, ``country``, ``kind``, ``community``,
        the :data:`~clusterkg.graph.analysis.centrality.MEASURES`,
        ``effective_size``, ``efficiency``, ``constraint``, ``hierarchy``, and
        ``brokerage_<role>`` for each folded role (plus ``_z`` columns when
        ``permutations`` > 0). ``attrs`` records how estimates were made.

    Examples
    --------
    >>> g = nx.Graph([("link-j", "kanagawa"), ("link-j", "medcity")])
    >>> nx.set_node_attributes(g, {"link-j": "JP", "kanagawa": "JP", "medcity": "GB"}, "country")
    >>> table = organization_metrics(g)
    >>> int(table.loc["link-j", "brokerage_boundary_spanner"]), float(table.loc["link-j", "betweenness"])
    (1, 1.0)
    """
    with paused_gc():
        return _organization_metrics(graph, groups, exact_threshold, sample_size, seed, permutations)


def _organization_metrics(graph: nx.Graph, groups: Groups, exact_threshold: int, sample_size: int,
                          seed: int | None, permutations: int) -> pd.DataFrame:
    table = centrality(graph, exact_threshold=exact_threshold, sample_size=sample_size, seed=seed)
    labels = communities(graph, seed=seed)
    table.insert(len([c for c in ("name", "country", "kind") if c in table.columns]), "community", labels)
    holes = structural_holes(graph)
    for column in ("effective_size", "efficiency", "constraint", "hierarchy"):
        table[column] = holes[column]
    folded = gould_fernandez_folded(graph, groups, permutations=permutations, seed=seed).table
    for role in ("coordinator", "itinerant", "boundary_spanner", "liaison", "total"):
        table[f"brokerage_{role}"] = folded[role]
        if permutations:
            table[f"brokerage_{role}_z"] = folded[f"{role}_z"]
    table.attrs["communities"] = dict(labels.attrs)
    table.attrs["brokerage"] = {"groups": groups if isinstance(groups, str) else "custom",
                                "permutations": permutations, "seed": seed if permutations else None}
    return table


#: Columns of a metrics table that are labels or descriptions, not measures.
MEASURE_EXCLUDED = frozenset({"node", "id", "name", "country", "kind", "community", "region"})


def read_metrics(path: Path) -> dict[str, dict[str, float]]:
    """``{organisation id: {measure: value}}`` from a metrics table (first column: the id).

    Cells that are not numbers (a label, an empty cell) are left out, and so
    are the label columns of :data:`MEASURE_EXCLUDED`.
    """
    values: dict[str, dict[str, float]] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            return values
        for row in reader:
            if not row:
                continue
            measures = {}
            for name, cell in zip(header[1:], row[1:]):
                if name in MEASURE_EXCLUDED:
                    continue
                try:
                    measures[name] = float(cell)
                except ValueError:
                    continue
            values[row[0]] = measures
    return values
