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
  colour by country or kind with a legend; edge width by number of
  agreements and colour by agreement type;
* a panel, written here on vis-network's DataSet/DataView rather than pyvis's
  ``filter_menu``/``select_menu`` (which hide the graph and garble non-ASCII
  names): agreement types, a year range, countries, search, details with
  source links.

Every text from the records travels as JSON inside a
``<script type="application/json">`` element (``<``, ``>``, ``&`` and ``'``
written as ``\\uXXXX``) and reaches the page through ``textContent`` only;
a source address becomes a link only when it is http(s).

Graphs above :data:`LAYOUT_THRESHOLD` nodes get their positions from
:func:`clusterkg.graph.map.layout.force_layout` and are drawn with physics off,
so a few thousand organisations are usable at once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from clusterkg.model.names import country_name
from clusterkg.model.problems import ClusterKGError
from clusterkg.model.vocabulary import AGREEMENT_TYPES

if TYPE_CHECKING:
    from clusterkg.model.dataset import Dataset

__all__ = [
    "LAYOUT_THRESHOLD",
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

#: Names accepted by ``size_by`` (``clusterkg map --size-by``).
SIZE_METRICS = (
    "degree", "weighted-degree", "betweenness", "closeness", "pagerank", "eigenvector",
    "brokerage-total", "brokerage-coordinator", "brokerage-itinerant", "brokerage-boundary-spanner",
    "brokerage-liaison", "effective-size", "constraint",
)

#: Distinct colours for the most frequent groups; the rest share OTHER_COLOR.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f",
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#ffbb78",
    "#aec7e8",
)
OTHER_COLOR = "#bab0ac"
TYPE_COLORS = {key: term.colour for key, term in AGREEMENT_TYPES.items()}
TYPE_LABELS = {key: term.label if key == "loi" else term.short for key, term in AGREEMENT_TYPES.items()}
_LABEL_LENGTH = 32
_ASSETS = Path(__file__).with_name("assets")
_SAFE_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
# Text that would end or confuse an inline <script>/<style> element.
_BREAKOUT = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


class MapHTML(str):
    """The page as a string; Jupyter shows it inline (in an iframe, so its scripts run apart)."""

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self, quote=True)}" style="width:100%;height:640px;border:0" '
                'title="clusterkg map"></iframe>')


# --- what to draw -------------------------------------------------------------------------------


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
    return {node: _number(value) for node, value in values.items()}


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def top_nodes(graph: nx.Graph, values: Mapping[Any, float], n: int) -> nx.Graph:
    """The subgraph of the ``n`` nodes with the highest values and the ties among them.

    Ties are broken by degree, then by id, so that among organisations with a
    value of 0 the connected ones come first.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c"), ("c", "d")])
    >>> sorted(top_nodes(g, {"a": 2, "b": 1, "c": 2, "d": 1}, 3).edges())
    [('a', 'b'), ('a', 'c')]
    """
    if n < 1:
        raise ClusterKGError(f"top: {n} is not a positive number of organisations")
    ranked = sorted(graph, key=lambda node: (-_number(values.get(node, 0.0)), -graph.degree(node), str(node)))
    return graph.subgraph(ranked[:n]).copy()


def _country_name(code: str) -> str:
    return country_name(code, common=True) or code or "(unknown)"


def country_graph(graph: nx.Graph) -> nx.Graph:
    """Countries tied by the agreements between their organisations (``--level country``).

    Nodes are ISO codes with ``name``, ``kind="country"``, ``country`` (the
    code), ``organizations`` (how many) and ``domestic`` (agreements within the
    country); an edge per pair of countries with at least one agreement between
    their organisations, with the organisation graph's edge attributes summed
    over agreements: ``weight`` (distinct agreements), ``agreements``,
    ``types``, ``first``, ``last``.

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
        countries.add_node(code, name=_country_name(code), kind="country", country=code, region=None,
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


# --- the page's data ----------------------------------------------------------------------------


def _palette(values: Iterable[str | None]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Colour per group (most frequent first, ties by name) and the legend's entries."""
    counts = Counter(v or "" for v in values)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    colors: dict[str, str] = {}
    legend: list[dict[str, Any]] = []
    others = 0
    for i, (group, count) in enumerate(ordered):
        if i < len(PALETTE):
            colors[group] = PALETTE[i]
            legend.append({"key": group, "color": PALETTE[i], "count": count})
        else:
            others += count
    if others:
        legend.append({"key": None, "color": OTHER_COLOR, "count": others,
                       "groups": len(ordered) - len(PALETTE)})
    return colors, legend


def _safe_url(url: Any) -> str | None:
    return url if isinstance(url, str) and _SAFE_URL.match(url) else None


def _agreement_entry(agreement: Any, agreement_id: str) -> dict[str, Any]:
    date = agreement.date if agreement is not None else None
    sources = []
    for source in getattr(agreement, "sources", None) or ():
        sources.append(_present({"title": source.title, "publisher": source.publisher, "url": _safe_url(source.url)}))
    return _present({
        "id": agreement_id,
        "type": getattr(agreement, "type", None) or "other",
        "title": getattr(agreement, "title", None),
        "date": date.isoformat() if date else None,
        "parties": [p.organization for p in getattr(agreement, "parties", None) or ()],
        "sources": sources,
    })


def _present(entry: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is empty: with thousands of records, the page's size is what it carries."""
    return {key: value for key, value in entry.items() if value is not None and value != [] and value != {}}


def _countries_of(graph: nx.Graph) -> set[str]:
    return {data.get("country") or "" for _, data in graph.nodes(data=True)}


def _label(name: str) -> str:
    return name if len(name) <= _LABEL_LENGTH else name[: _LABEL_LENGTH - 1].rstrip() + "…"


def _page_data(
    graph: nx.Graph, ds: Dataset | None, values: Mapping[Any, float], *, size_by: str, color_by: str,
    level: str, positions: Mapping[Any, tuple[float, float]] | None, title: str, subtitle: str,
) -> tuple[list[dict], list[dict], dict[str, Any]]:
    """vis-network node and edge items, and everything else the page shows."""
    agreement_ids = sorted({a for _, _, data in graph.edges(data=True) for a in data.get("agreements", ())})
    index = {a: i for i, a in enumerate(agreement_ids)}
    records = ds.agreements if ds is not None else {}
    agreements = [_agreement_entry(records.get(a), a) for a in agreement_ids]
    organizations = ds.organizations if ds is not None else {}
    party_names = {p: organizations[p].name for entry in agreements for p in entry["parties"] if p in organizations}

    palettes, legends = {}, {}
    for key in ("country", "kind"):
        palettes[key], legends[key] = _palette(data.get(key) for _, data in graph.nodes(data=True))
    for entry in legends["country"]:
        if entry["key"] is not None:
            entry["label"] = f"{_country_name(entry['key'])} ({entry['key']})" if entry["key"] else "(unknown)"

    node_items, node_info = [], {}
    for node, data in graph.nodes(data=True):
        node_id = str(node)
        name = str(data.get("name") or node_id)
        org = organizations.get(node) if level == "organization" else None
        node_info[node_id] = _present({
            "name": name,
            "names": dict(org.names) if org is not None else {},
            "aliases": list(org.aliases) if org is not None else [],
            "kind": data.get("kind"),
            "country": data.get("country") or "",
            "region": data.get("region"),
            "metric": _number(values.get(node, 0.0)),
            "domestic": data.get("domestic"),
            "organizations": data.get("organizations"),
        })
        item = {
            "id": node_id,
            "label": _label(name),
            "value": _number(values.get(node, 0.0)),
            "color": palettes[color_by].get(data.get(color_by) or "", OTHER_COLOR),
        }
        if positions is not None:
            item["x"], item["y"] = (round(v) for v in positions[node])
        node_items.append(item)

    edge_items = []
    for i, (a, b, data) in enumerate(sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))):
        ids = [index[x] for x in data.get("agreements", ())]
        # No colour here: the page colours each edge by its most frequent shown type.
        edge_items.append({"id": f"e{i}", "from": str(a), "to": str(b), "value": len(ids) or data.get("weight", 1),
                           "agreements": ids})

    types_present = Counter(entry["type"] for entry in agreements)
    years = [int(entry["date"][:4]) for entry in agreements if "date" in entry]
    page = {
        "title": title,
        "subtitle": subtitle,
        "level": level,
        "sizeBy": size_by,
        "colorBy": color_by,
        "physics": positions is None,
        "nodes": node_info,
        "agreements": agreements,
        "partyNames": party_names,
        "palettes": palettes,
        "legends": legends,
        "otherColor": OTHER_COLOR,
        "countryNames": {code: _country_name(code) for code in sorted(_countries_of(graph)) if code},
        "types": [{"key": t, "label": TYPE_LABELS[t], "color": TYPE_COLORS[t], "count": types_present[t]}
                  for t in AGREEMENT_TYPES if types_present[t]],
        "years": [min(years), max(years)] if years else None,
        "undated": sum(1 for entry in agreements if "date" not in entry),
    }
    return node_items, edge_items, page


def _vis_options(node_count: int, physics: bool) -> dict[str, Any]:
    large = node_count > LAYOUT_THRESHOLD
    return {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "scaling": {"min": 6, "max": 40, "label": {"enabled": True, "min": 12, "max": 20,
                                                        "drawThreshold": 7, "maxVisible": 20}},
            "font": {"face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13,
                     "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {"smooth": False, "scaling": {"min": 1, "max": 8}, "selectionWidth": 2,
                  "color": {"inherit": False}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "keyboard": False, "multiselect": False},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.3},
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


def _html(node_items: list[dict], edge_items: list[dict], page: dict[str, Any], options: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup
    from pyvis.network import Network

    vis_js, vis_css = _vis_assets()
    app_js = (_ASSETS / "map.js").read_text(encoding="utf-8")
    app_css = (_ASSETS / "map.css").read_text(encoding="utf-8")
    scripts = [_inline(vis_js, "vis-network"), _inline(app_js, "map.js")]
    csp = ("default-src 'none'; script-src " + " ".join(_sha256(s) for s in scripts)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'")

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

    net.templateEnv.globals.update(
        page=page, vis_options=options, csp=csp, version=__version__,
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
        graph = organization_graph(ds, as_of=as_of, types=types, countries=countries, isolates=isolates)
    if level == "country":
        graph = country_graph(graph)
    if metric is None:
        values = metric_values(graph, size_by)
    else:
        values = {node: _number(v) for node, v in (metric.items() if hasattr(metric, "items") else metric)}
    notes = []
    if as_of is not None:
        notes.append(f"in force on {as_of}")
    if types:
        notes.append("types: " + ", ".join([types] if isinstance(types, str) else sorted(types)))
    if countries:
        notes.append("countries: " + ", ".join([countries] if isinstance(countries, str) else sorted(countries)))
    if top is not None:
        notes.append(f"top {top} by {size_by} of {graph.number_of_nodes()}")
        graph = top_nodes(graph, values, top)
    python_layout = layout == "python" or (layout == "auto" and graph.number_of_nodes() > LAYOUT_THRESHOLD)
    positions = _layout(graph, seed) if python_layout else None
    default_title = "Agreements between countries" if level == "country" else "Agreements between organisations"
    node_items, edge_items, page = _page_data(
        graph, ds, values, size_by=size_by, color_by=color_by, level=level, positions=positions,
        title=title or default_title, subtitle="; ".join(notes),
    )
    return MapHTML(_html(node_items, edge_items, page, _vis_options(len(node_items), not python_layout)))


def _layout(graph: nx.Graph, seed: int) -> dict:
    from clusterkg.graph.map.layout import force_layout

    return force_layout(graph, seed=seed)


def write_map(path: Path | str, ds: Dataset, **options: Any) -> Path:
    """Write :func:`render`'s page to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    try:
        path.write_text(render(ds, **options), encoding="utf-8")
    except OSError as error:
        raise ClusterKGError(f"{path}: cannot write the map: {error.strerror or error}") from None
    return path
