"""Drawing helpers shared by the analyst notebooks (matplotlib + networkx).

`short_name` gives a label an analyst recognises (an acronym the records give, else the name cut at a
word); `draw_network` draws a graph with those labels, placing each label where it does not cover one
already placed (most important nodes first) and leaving out the ones that would only overlap.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.transforms import Bbox

#: Colours for a handful of groups (Okabe-Ito), then grey for the rest.
PALETTE = ["#D55E00", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
OTHER = "#BBBBBB"


def short_name(org, limit: int = 22) -> str:
    """An organisation's short label: the shortest all-capital alias (an acronym), else its name cut at a word."""
    acronyms = sorted((a for a in getattr(org, "aliases", ()) or () if a.replace("-", "").replace("*", "").isupper()
                       and 2 <= len(a) <= 12), key=len)
    if acronyms and len(org.name) > limit:
        return acronyms[0]
    if len(org.name) <= limit:
        return org.name
    cut = org.name[:limit].rsplit(" ", 1)[0].rstrip(",;:&-")
    return cut + "…"


def short_names(ds, nodes: Iterable[Hashable]) -> dict[Hashable, str]:
    """The map's label of each node (an acronym or a short alias the records give), else `short_name`."""
    from clusterkg.graph.map.data import short_labels

    graph = nx.Graph()
    graph.add_nodes_from((n, {"name": ds.organizations[n].name if n in ds.organizations else n,
                              "country": ds.organizations[n].country if n in ds.organizations else None})
                         for n in nodes)
    labels = short_labels(graph, ds.organizations)
    return {n: (labels[n] if n in labels and not labels[n].endswith("…") else
                short_name(ds.organizations[n]) if n in ds.organizations else str(n)) for n in graph}


def colours_for(groups: Mapping[Hashable, str], order: list[str] | None = None) -> tuple[dict, dict]:
    """Node -> colour and group -> colour, the most frequent groups first (or in ``order``)."""
    counts: dict[str, int] = {}
    for g in groups.values():
        counts[g] = counts.get(g, 0) + 1
    names = order or sorted(counts, key=lambda g: (-counts[g], g))
    legend = {g: (PALETTE[i] if i < len(PALETTE) else OTHER) for i, g in enumerate(names)}
    return {n: legend.get(g, OTHER) for n, g in groups.items()}, legend


def _overlaps(box, placed) -> bool:
    return any(box.overlaps(other) for other in placed)


def draw_network(graph: nx.Graph, ax, *, labels: Mapping[Hashable, str], colours: Mapping[Hashable, str] | None = None,
                 sizes: Mapping[Hashable, float] | None = None, order: list | None = None, pos=None,
                 max_labels: int = 40, seed: int = 7, edge_width: str | None = "weight", font_size: int = 8):
    """Draw ``graph`` on ``ax`` and label up to ``max_labels`` nodes without overlaps; returns the positions.

    ``order``: the nodes to label, most important first (default: by degree). ``sizes``: marker areas.
    Components are laid out one beside the other (largest first), so small ones do not crowd the big one.
    """
    if pos is None:
        pos = component_layout(graph, seed=seed)
    colours = colours or {}
    sizes = sizes or {n: 40 + 30 * graph.degree(n) for n in graph}
    widths = [0.6 + 0.6 * (d.get(edge_width, 1) - 1) if edge_width else 0.8 for _, _, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#9aa0a6", alpha=0.8)
    nodes = list(graph)
    nx.draw_networkx_nodes(graph, pos, ax=ax, nodelist=nodes, node_size=[sizes.get(n, 40) for n in nodes],
                           node_color=[colours.get(n, OTHER) for n in nodes], edgecolors="white", linewidths=0.6)
    ax.set_axis_off()
    ax.margins(0.08)
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    # Labels keep off the markers too (each marker as a box in display units).
    placed = []
    for node in nodes:
        cx, cy = ax.transData.transform(pos[node])
        half = max(1.0, (sizes.get(node, 40) ** 0.5 / 2 - 1) * figure.dpi / 72)
        placed.append(Bbox.from_extents(cx - half, cy - half, cx + half, cy + half))
    order = order or sorted(graph, key=lambda n: (-graph.degree(n), str(n)))
    shown, done = 0, set()
    for node in order:
        if shown >= max_labels or node not in pos or node in done:
            continue
        done.add(node)
        x, y = pos[node]
        r = sizes.get(node, 40) ** 0.5 / 2 + 1.5  # the marker's radius in points, and a gap
        d = r * 0.75
        for dx, dy, ha, va in ((0, r, "center", "bottom"), (0, -r, "center", "top"), (r, 0, "left", "center"),
                               (-r, 0, "right", "center"), (d, d, "left", "bottom"), (-d, -d, "right", "top"),
                               (d, -d, "left", "top"), (-d, d, "right", "bottom")):
            text = ax.annotate(labels.get(node, str(node)), (x, y), xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize=font_size, zorder=5,
                               bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
            box = text.get_window_extent(renderer).expanded(1.02, 1.05)
            if not _overlaps(box, placed) and ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1):
                placed.append(box)
                shown += 1
                break
            text.remove()
    return pos


def component_layout(graph: nx.Graph, seed: int = 7) -> dict:
    """Each connected component laid out on its own (spring layout), packed in rows, largest first."""
    components = sorted((graph.subgraph(c) for c in nx.connected_components(graph)), key=len, reverse=True)
    pos, x, y, row_height = {}, 0.0, 0.0, 0.0
    def extent(n: int) -> float:
        return max(0.8, 0.8 * n ** 0.7)

    width = 2.2 * extent(len(components[0])) if components else 1.0
    for component in components:
        n = len(component)
        size = extent(n)
        local = (nx.spring_layout(component, seed=seed, k=1.6 / n ** 0.5, iterations=200) if n > 2
                 else {v: ((i - 0.5) * 0.8, 0.0) for i, v in enumerate(component)})
        if x + size > width and x > 0:
            x, y, row_height = 0.0, y - row_height - 0.6, 0.0
        for v, (px, py) in local.items():
            pos[v] = (x + size / 2 + px * size / 2, y - size / 2 + py * size / 2)
        x += size + 0.6
        row_height = max(row_height, size)
    return pos


def legend(ax, entries: Mapping[str, str], **options) -> None:
    """A legend of coloured dots: label -> colour."""
    handles = [plt.Line2D([], [], marker="o", linestyle="", markersize=7, color=c, label=g) for g, c in entries.items()]
    ax.legend(handles=handles, frameon=False, **options)
