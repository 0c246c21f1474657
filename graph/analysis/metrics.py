"""Every per-organisation measure in one table: what ``clusterkg build`` writes to metrics.csv.

One row per organisation: its name, country, kind and community, the
centralities, Burt's structural-hole measures and the folded Gould-Fernandez
brokerage counts by group. This is the "full analysis" the benchmark times.

Every measure is computed over the organisations with at least one tie
(:func:`clusterkg.graph.network.measured`), whether or not ``graph`` holds
isolates; an isolate keeps its row with 0 for the centralities and brokerage
counts, no community (empty) and no structural-hole measure (NaN: they are
undefined without partners). So ``OUT/metrics.csv`` (every organisation),
``clusterkg analyze metrics`` and ``analyze centrality`` (the network only) and
the map give one value per organisation and measure.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd

from clusterkg.graph.analysis.brokerage import Groups, gould_fernandez_folded
from clusterkg.graph.analysis.centrality import EXACT_THRESHOLD, LABELS, SAMPLE_SIZE, centrality
from clusterkg.graph.analysis.communities import communities
from clusterkg.graph.analysis.structural_holes import structural_holes
from clusterkg.graph.network import measured, organization_graph, paused_gc

__all__ = ["MEASURE_EXCLUDED", "dataset_metrics", "organization_metrics", "read_metrics"]


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
        Index ``node``; columns ``name``, ``former_names`` (when some organisation
        was renamed), ``country``, ``kind``, ``community``,
        the :data:`~clusterkg.graph.analysis.centrality.MEASURES`,
        ``effective_size``, ``efficiency``, ``constraint``, ``hierarchy``, and
        ``brokerage_<role>`` for each folded role (plus ``_z`` columns but for
        the total, which has none, when ``permutations`` > 0). ``attrs``
        records how estimates were made.

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
    network = measured(graph)  # one for every measure: a frozen graph's arrays are made once
    table = centrality(graph, exact_threshold=exact_threshold, sample_size=sample_size, seed=seed, network=network)
    labels = communities(network, seed=seed)
    column = labels.reindex(table.index).astype("Int64")  # an isolate is in no community
    column.attrs = {}
    table.insert(len([c for c in LABELS if c in table.columns]), "community", column)
    holes = structural_holes(graph)
    for name in ("effective_size", "efficiency", "constraint", "hierarchy"):
        table[name] = holes[name]
    folded = gould_fernandez_folded(network, groups, permutations=permutations, seed=seed).table
    for role in ("coordinator", "itinerant", "boundary_spanner", "liaison", "total"):
        table[f"brokerage_{role}"] = folded[role].reindex(table.index, fill_value=0)
        if permutations and role != "total":
            table[f"brokerage_{role}_z"] = folded[f"{role}_z"].reindex(table.index)
    table.attrs["communities"] = dict(labels.attrs)
    table.attrs["brokerage"] = {"groups": groups if isinstance(groups, str) else "custom",
                                "permutations": permutations, "seed": seed if permutations else None}
    return table


def dataset_metrics(ds, *, as_of=None, types=None, countries=None, lineage: bool = True, open_ended: str = "include",
                    isolates: bool = True, groups: Groups = "country", seed: int | None = 0,
                    graph: nx.Graph | None = None, **options) -> pd.DataFrame:
    """:func:`organization_metrics` of the records' organisation graph: what ``OUT/metrics.csv`` holds
    (with the default filters) and what ``clusterkg.metrics`` returns, sorted by id.

    ``as_of``, ``types``, ``countries``, ``lineage``, ``open_ended`` and
    ``isolates`` are :func:`clusterkg.graph.network.organization_graph`'s; the
    rest go to :func:`organization_metrics`. ``attrs["snapshot"]`` holds the
    snapshot's figures when ``as_of`` is given. ``graph``: that organisation graph, already
    made with these filters (the build shares it with the map), instead of making it here.

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> table = dataset_metrics(load_dataset(["tests/fixtures/sample"]))
    >>> table.loc["cgt-catapult", "former_names"], "cell-therapy-catapult" in table.index
    ('formerly Cell Therapy Catapult (until 2016)', False)
    """
    if graph is None:
        graph = organization_graph(ds, as_of=as_of, types=types, countries=countries, isolates=isolates,
                                   lineage=lineage, open_ended=open_ended)
    table = organization_metrics(graph, groups=groups, seed=seed, **options).sort_index()
    table.attrs["ties"] = graph.number_of_edges()
    if "snapshot" in graph.graph:
        table.attrs["snapshot"] = graph.graph["snapshot"]
    return table


#: Columns of a metrics table that are labels or descriptions, not measures.
MEASURE_EXCLUDED = frozenset({"node", "id", "name", "former_names", "country", "kind", "community", "region"})


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
