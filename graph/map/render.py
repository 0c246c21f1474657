"""The interactive network map: one HTML file that opens offline (DESIGN.md section 5).

:func:`render` draws the organisation graph of
:func:`clusterkg.graph.network.organization_graph` with pyvis and returns the
page; :func:`write_map` saves it; ``clusterkg map`` and ``clusterkg build``
call them. The page holds everything it needs:

* vis-network and its CSS, inlined from the copy the pyvis package ships (no
  CDN, no fonts, no Bootstrap), and a Content-Security-Policy that allows no
  request at all and only the page's own scripts, by hash;
* node size by a metric passed in (a dict or a pandas Series, e.g. a column of
  :func:`clusterkg.graph.analysis.centrality.centrality`), degree otherwise;
  colour by country or kind from a fixed table (a country keeps its colour in
  every map); line style by agreement type, line width by number of agreements;
* a renamed organisation as one node with its former names
  (:func:`~clusterkg.graph.map.cuts.merge_lineages`), parent and membership
  ties as an optional layer;
* a panel on vis-network's DataSet/DataView (not pyvis's ``filter_menu``):
  agreement types, a signing-year range and an "in force on" slider with play,
  countries, search, details docked beside the graph, PNG and CSV export, and
  a link that reopens the same view (its state in the URL fragment).

Every text from the records travels as JSON inside a
``<script type="application/json">`` element (``<``, ``>``, ``&`` and ``'``
written as ``\\uXXXX``) and reaches the page through ``textContent`` only;
a source address becomes a link only when it is http(s).

Graphs above :data:`LAYOUT_THRESHOLD` nodes get their positions from
:func:`clusterkg.graph.map.layout.force_layout` and are drawn with physics off;
above :data:`MAX_NODES` the map keeps the most central and says what it cut.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from clusterkg.graph.map.cuts import (
    SIZE_METRICS,
    annotate_lineages,
    country_graph,
    domestic_note,
    merge_lineages,
    metric_values,
    number,
    structure_ties,
    top_cut,
    top_nodes,
)
from clusterkg.graph.map.data import details, node_and_edge_items, node_info, palette_data, short_labels, type_data
from clusterkg.model.lineage import find_lineages
from clusterkg.model.problems import ClusterKGError

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__all__ = [
    "LAYOUT_THRESHOLD",
    "MAX_NODES",
    "SIZE_METRICS",
    "MapHTML",
    "country_graph",
    "metric_values",
    "render",
    "top_nodes",
    "write_map",
]

#: Above this many nodes, positions are computed in Python and physics is off.
LAYOUT_THRESHOLD = 300
#: Above this many nodes (and without ``top``), the map keeps this many and says so on the page.
MAX_NODES = 5000
#: Details above this many bytes of JSON travel gzip-compressed (base64) and are unpacked by the page.
COMPRESS_ABOVE = 1_000_000
#: The page's own scripts, in order, inlined as one.
APP_SCRIPTS = ("core.js", "panel.js", "layout.js", "share.js")
_ASSETS = Path(__file__).with_name("assets")
# Text that would end or confuse an inline <script>/<style> element.
_BREAKOUT = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


class MapHTML(str):
    """The page as a string; Jupyter shows it inline (in an iframe, so its scripts run apart)."""

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self, quote=True)}" style="width:100%;height:640px;border:0" '
                'title="clusterkg map"></iframe>')


def _page_data(
    graph: nx.Graph, ds: Dataset | None, values: Mapping[Any, float], *, size_by: str, color_by: str,
    level: str, positions: Mapping[Any, tuple[float, float]] | None, title: str, notes: list[str],
    structure: list[tuple[str, str, str]],
) -> tuple[list[dict], list[dict], dict[str, Any], dict[str, Any]]:
    """vis-network's items, the page's data (drawn at once) and the details (read after drawing)."""
    organizations = ds.organizations if ds is not None else {}
    labels = short_labels(graph, organizations) if level == "organization" else {
        node: str(data.get("name") or node) for node, data in graph.nodes(data=True)}
    more = details(graph, ds, level)
    type_of = {entry["id"]: entry.get("type", "other") for entry in more["agreements"]}
    node_items, edge_items, ties = node_and_edge_items(graph, labels, values, positions, level, type_of)
    more["ties"] = ties
    dates = [entry["date"] for entry in more["agreements"] if "date" in entry]
    live = [day for entry in more["agreements"] for day in entry.get("live", ()) if day]
    page = {
        "title": title,
        "notes": notes,
        "level": level,
        "sizeBy": size_by,
        "colorBy": color_by,
        "physics": positions is None,
        "nodes": node_info(graph, ds, values, level),
        "types": type_data(more["agreements"]),
        "years": [int(min(dates)[:4]), int(max(dates)[:4])] if dates else None,
        "months": [min(live)[:7], max(live)[:7]] if live else None,
        "undated": len(more["agreements"]) - len(dates),
        "structure": [list(tie) for tie in structure],
        **palette_data(graph),
    }
    return node_items, edge_items, page, more


#: Node and label sizes in canvas units (vis-network's ``scaling``), from the smallest value to the
#: largest along a square root (so that a hub does not dwarf everything): shared with layout.py, whose
#: label boxes must match what the page draws.
NODE_SIZE = (8, 34)
LABEL_SIZE = (14, 26)


def _vis_options(node_count: int, physics: bool) -> dict[str, Any]:
    large = node_count > LAYOUT_THRESHOLD
    return {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            # drawThreshold: a label drawn smaller than 6 px is noise; maxVisible caps a hub's label.
            "scaling": {"min": NODE_SIZE[0], "max": NODE_SIZE[1],
                        "label": {"enabled": True, "min": LABEL_SIZE[0], "max": LABEL_SIZE[1],
                                  "drawThreshold": 6, "maxVisible": 22}},
            "font": {"face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14,
                     "color": "#1f2937", "strokeWidth": 4, "strokeColor": "#ffffff", "multi": False},
        },
        # Lines dark enough to read on white at the first zoom (lighter on large maps, where they are many).
        "edges": {"smooth": False, "scaling": {"min": 1.5, "max": 7} if not large else {"min": 1, "max": 6},
                  "selectionWidth": 2,
                  "color": {"color": "#6b7280" if large else "#4b5563", "highlight": "#111827", "hover": "#111827",
                            "opacity": 0.8 if large else 1.0, "inherit": False}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "keyboard": False, "multiselect": False},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 70, "avoidOverlap": 0.6},
                    "stabilization": {"enabled": True, "iterations": 400, "fit": True}},
        "layout": {"randomSeed": 7, "improvedLayout": not large},
    }


# --- the page -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and CSS as the pyvis package ships them (its newest copy)."""
    lib = resources.files("pyvis") / "lib"
    folders = sorted((p for p in lib.iterdir() if p.name.startswith("vis-")),
                     key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)))
    if not folders:
        raise ClusterKGError("map: the pyvis package has no vis-network copy (reinstall pyvis)")
    newest = folders[-1]
    return ((newest / "vis-network.min.js").read_text(encoding="utf-8"),
            (newest / "vis-network.css").read_text(encoding="utf-8"))


def _inline(text: str, what: str) -> str:
    if _BREAKOUT.search(text):
        raise ClusterKGError(f"map: {what} contains text that would end its inline element")
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def app_script() -> str:
    """The page's scripts (assets/core.js, panel.js, layout.js, share.js) as one, sharing one scope."""
    parts = [(_ASSETS / name).read_text(encoding="utf-8") for name in APP_SCRIPTS]
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "\n})();\n"


def _html(node_items: list[dict], edge_items: list[dict], page: dict[str, Any], more: dict[str, Any],
          options: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup
    from pyvis.network import Network

    vis_js, vis_css = _vis_assets()
    app_css = (_ASSETS / "map.css").read_text(encoding="utf-8")
    scripts = [_inline(vis_js, "vis-network"), _inline(app_script(), "the map's scripts")]
    csp = ("default-src 'none'; script-src " + " ".join(_sha256(s) for s in scripts)
           + "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'")

    net = Network(height="100%", width="100%", cdn_resources="in_line")
    # pyvis's add_node/add_edge check for duplicates by scanning lists (quadratic); the networkx
    # graph has none, so the items go in directly, in the fields pyvis itself keeps.
    net.nodes, net.edges = node_items, edge_items
    net.node_ids = [item["id"] for item in node_items]
    net.node_map = {item["id"]: item for item in node_items}
    net.options = options
    net.set_template_dir(str(_ASSETS), "map.html.j2")
    # Autoescaping on: every {{ }} in the template is escaped unless it is Markup made here.
    net.templateEnv = Environment(loader=FileSystemLoader(str(_ASSETS)), autoescape=select_autoescape(default=True))
    net.templateEnv.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False,
                                                    "separators": (",", ":")}
    from clusterkg import __version__

    details = json.dumps(more, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    packed = None
    if len(details) > COMPRESS_ABOVE:
        packed = base64.b64encode(gzip.compress(details.encode("utf-8"), mtime=0)).decode("ascii")
    net.templateEnv.globals.update(
        page=page, details=more if packed is None else None, packed_details=packed, vis_options=options, csp=csp, version=__version__,
        vis_js=Markup(scripts[0]), app_js=Markup(scripts[1]),
        vis_css=Markup(_inline(vis_css, "vis-network.css")), app_css=Markup(_inline(app_css, "map.css")),
    )
    return net.generate_html(name="map.html")


def render(
    ds: Dataset,
    *,
    graph: nx.Graph | None = None,
    as_of: Any = None,
    types: Iterable[str] | None = None,
    countries: Iterable[str] | None = None,
    size_by: str = "degree",
    metric: Mapping[Any, float] | Any | None = None,
    color_by: str = "country",
    level: str = "organization",
    top: int | None = None,
    layout: str = "auto",
    seed: int = 0,
    title: str | None = None,
    isolates: bool = True,
    lineage: bool = True,
    open_ended: str = "include",
    max_nodes: int | None = MAX_NODES,
) -> MapHTML:
    """The map as one self-contained HTML page.

    Parameters
    ----------
    ds : Dataset
        The records: agreement details, sources and other-language names come from here.
    graph : networkx.Graph, optional
        An organisation graph already made with
        :func:`~clusterkg.graph.network.organization_graph`; by default it is made
        from ``ds`` with ``as_of``, ``types`` and ``countries``.
    as_of, types, countries
        Filters of :func:`~clusterkg.graph.network.organization_graph` (when
        ``graph`` is not given). The page's own filters work within them.
    size_by : str, default "degree"
        Name of the node-size measure (one of :data:`SIZE_METRICS`), shown in the legend.
    metric : dict or pandas.Series, optional
        Node -> value for node size, e.g. ``centrality(g)["betweenness"]``;
        computed from ``size_by`` by :func:`metric_values` when not given.
        Missing or non-finite values count as 0.
    color_by : {"country", "kind"}
        Initial colouring (the page can switch).
    level : {"organization", "country"}
        ``country`` draws :func:`country_graph` of the organisation graph.
    top : int, optional
        Keep the ``top`` nodes with the highest metric and the ties among them.
    layout : {"auto", "python", "browser"}
        ``python``: positions from :func:`~clusterkg.graph.map.layout.force_layout`,
        physics off; ``browser``: vis-network's physics settles the drawing;
        ``auto``: python above :data:`LAYOUT_THRESHOLD` nodes.
    seed : int
        Seed of the Python layout.
    title : str, optional
        Page title.
    isolates : bool, default True
        Keep organisations without any (selected) agreement (when ``graph`` is not given).
        The page hides them until asked, and then shows them in a strip of their own.
    lineage : bool, default True
        Draw a renamed organisation and its predecessors as one node under the
        current name, with its former names (False: one node per record).
    open_ended : str, default "include"
        What "in force on" does with an agreement without end or term, as in
        :func:`~clusterkg.graph.network.organization_graph`: ``include``,
        ``exclude`` or ``assume:P5Y`` (a term in years); the page starts with
        this rule and can switch.
    max_nodes : int or None, default :data:`MAX_NODES`
        Without ``top``, a graph with more nodes keeps the ``max_nodes`` with the
        highest metric, and the page says what was cut. None: no limit.

    Returns
    -------
    MapHTML
        The page (a ``str``); in Jupyter it displays inline.

    Examples
    --------
    >>> from clusterkg.loaders.assemble import load_dataset
    >>> page = render(load_dataset(["tests/fixtures/csv"]), title="Fixture <map>")
    >>> "<title>Fixture &lt;map&gt;</title>" in page, "cdnjs.cloudflare.com" in page
    (True, False)
    """
    from clusterkg.graph.network import organization_graph

    if color_by not in ("country", "kind"):
        raise ClusterKGError(f"color-by: {color_by!r} is not one of country, kind")
    if level not in ("organization", "country"):
        raise ClusterKGError(f"level: {level!r} is not one of organization, country")
    if layout not in ("auto", "python", "browser"):
        raise ClusterKGError(f"layout: {layout!r} is not one of auto, python, browser")
    if graph is None:
        graph = organization_graph(ds, as_of=as_of, types=types, countries=countries, isolates=isolates,
                                   lineage=lineage, open_ended=open_ended)
    organizations = ds.organizations if ds is not None else {}
    # A graph merged by lineage already is annotated after the cut: only the nodes drawn need it.
    annotate = lineage and bool(graph.graph.get("lineage"))
    if lineage and not annotate:
        graph = merge_lineages(graph, organizations)
    notes = []
    if as_of is not None:
        notes.append(f"in force on {as_of}")
    if types:
        notes.append("types: " + ", ".join([types] if isinstance(types, str) else sorted(types)))
    if countries:
        notes.append("countries: " + ", ".join([countries] if isinstance(countries, str) else sorted(countries)))
    if level == "country":
        graph = country_graph(graph)
        note = domestic_note(graph)
        if note:
            notes.append(note)
    if metric is None:
        values = metric_values(graph, size_by)
    else:
        values = {node: number(v) for node, v in (metric.items() if hasattr(metric, "items") else metric)}
    if top is None and max_nodes is not None and graph.number_of_nodes() > max_nodes:
        top = max_nodes
        notes.append(f"{graph.number_of_nodes():,} are too many to draw at once (limit {max_nodes:,})")
    if top is not None:
        cut = top_cut(graph, values, top, size_by)
        graph = cut.graph
        notes.append(cut.note)
    structure = []
    if level == "organization":
        lineages = find_lineages(dict(organizations))
        if annotate:
            annotate_lineages(graph, organizations, lineages)
        structure = structure_ties(graph, organizations, lineages)
    python_layout = layout == "python" or (layout == "auto" and graph.number_of_nodes() > LAYOUT_THRESHOLD)
    positions = _layout(graph, seed, values, level, organizations) if python_layout else None
    default_title = "Agreements between countries" if level == "country" else "Agreements between organisations"
    node_items, edge_items, page, more = _page_data(
        graph, ds, values, size_by=size_by, color_by=color_by, level=level, positions=positions,
        title=title or default_title, notes=notes, structure=structure,
    )
    page["openEnded"] = open_ended
    return MapHTML(_html(node_items, edge_items, page, more, _vis_options(len(node_items), not python_layout)))


def _layout(graph: nx.Graph, seed: int, values: Mapping[Any, float], level: str,
            organizations: Mapping[str, Any]) -> dict:
    from clusterkg.graph.map.layout import force_layout

    return force_layout(graph, seed=seed, boxes=label_boxes(graph, values, level, organizations))


#: The Python layout pushes apart the label boxes of this many organisations, the highest measure first.
LABELLED = 300


def label_boxes(graph: nx.Graph, values: Mapping[Any, float], level: str, organizations: Mapping[str, Any],
                count: int = LABELLED) -> dict[Any, tuple[float, float, float, float]]:
    """Box of the dot and the label under it, ``(left, right, top, bottom)`` around the node, as the
    page draws them (sizes of :func:`_vis_options` along a square root), for the ``count`` nodes with
    the highest measure: their labels must not overlap."""
    labels = short_labels(graph, organizations) if level == "organization" else {
        node: str(data.get("name") or node) for node, data in graph.nodes(data=True)}
    measure = {node: number(values.get(node, 0.0)) for node in graph}
    low, high = (min(measure.values()), max(measure.values())) if measure else (0.0, 0.0)
    chosen = sorted(graph, key=lambda node: (-measure[node], str(node)))[:count]
    boxes = {}
    for node in chosen:
        share = 0.5 if high == low else ((measure[node] - low) / (high - low)) ** 0.5
        radius = NODE_SIZE[0] + share * (NODE_SIZE[1] - NODE_SIZE[0])
        font = LABEL_SIZE[0] + share * (LABEL_SIZE[1] - LABEL_SIZE[0])
        half = max(radius, 0.3 * font * len(labels.get(node) or str(node)) + 4)  # ~0.56 em a character
        boxes[node] = (-half, half, -radius - 2, radius + 4 + 1.2 * font)
    return boxes


def write_map(path: Path | str, ds: Dataset, **options: Any) -> Path:
    """Write :func:`render`'s page to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    try:
        path.write_text(render(ds, **options), encoding="utf-8")
    except OSError as error:
        raise ClusterKGError(f"{path}: cannot write the map: {error.strerror or error}") from None
    return path
