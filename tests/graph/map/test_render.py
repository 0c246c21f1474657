"""The map page as Python sees it: what goes in, what is escaped, what the build writes.

What the page does in a browser is tested in tests/browser/test_map_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from clusterkg.graph.map import render as cmap
from clusterkg.graph.map.layout import force_layout
from clusterkg.graph.network import organization_graph
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import Agreement, Organization

ROOT = Path(__file__).resolve().parents[3]
XSS_IMG = '<img src=x onerror="window.__pwned=1">'
XSS_SCRIPT = "</script><script>window.__pwned=2</script>"


def _json_block(page: str, element_id: str):
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def _hostile_dataset() -> Dataset:
    ds = Dataset()
    for org_id, name in (("evil-img", XSS_IMG), ("evil-script", XSS_SCRIPT), ("link-j", "LINK-J")):
        ds.organizations[org_id] = Organization(id=org_id, name=name, kind="cluster", country="JP",
                                                names={"ja": "ライフ<b>"})
    agreement = Agreement(id="a1", type="mou", title="<b>bold</b> & 'quoted'", parties=["evil-img", "evil-script"],
                          signed="2019", sources=[{"title": "<script>x</script>", "url": "https://example.org/?a=1&b=<2>"}])
    ds.agreements["a1"] = agreement
    second = Agreement(id="a2", type="loi", parties=["evil-img", "link-j"], signed="2020",
                       sources=[{"title": "release", "url": "https://example.org/r"}])
    # The model refuses a non-http address; one that got in some other way still must not become a link.
    second.sources[0].url = "javascript:window.__pwned=3"
    ds.agreements["a2"] = second
    return ds


def test_sample_page_is_self_contained(sample_dataset):
    page = cmap.render(sample_dataset)
    assert page.startswith("<!DOCTYPE html>")
    # Nothing is loaded from anywhere: no external script, stylesheet, font or image.
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)=", page, re.I)
    for style in re.findall(r"<style>(.*?)</style>", page, re.S):
        assert "@import" not in style and not re.search(r"url\((?!\s*[\"']?data:)", style)
    for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com"):
        assert host not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1).replace("&#39;", "'")
    assert "default-src 'none'" in csp
    # Each executable inline script is allowed by its own hash, nothing else.
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_sample_page_has_every_node_and_edge(sample_dataset):
    graph = organization_graph(sample_dataset)
    page = cmap.render(sample_dataset)
    nodes, edges = _json_block(page, "clusterkg-nodes"), _json_block(page, "clusterkg-edges")
    assert sorted(n["id"] for n in nodes) == sorted(graph.nodes)
    assert sorted(tuple(sorted((e["from"], e["to"]))) for e in edges) == sorted(tuple(sorted(e)) for e in graph.edges)
    data = _json_block(page, "clusterkg-data")
    # 22 agreements in data/agreements.yaml, all two-party: one edge each.
    assert len(data["agreements"]) == 22
    assert data["nodes"]["kanagawa-prefecture"]["names"] == {"ja": "神奈川県"}
    assert data["physics"] is True  # 44 nodes: below the threshold, vis-network lays it out


def test_every_text_from_the_records_is_escaped():
    page = cmap.render(_hostile_dataset())
    for raw in (XSS_IMG, XSS_SCRIPT, "<b>bold</b>", "<script>x</script>", "ライフ<b>"):
        assert raw not in page
    assert page.count("</script>") == 6  # the four JSON blocks and the two scripts, none from the data
    data = _json_block(page, "clusterkg-data")
    assert data["nodes"]["evil-img"]["name"] == XSS_IMG  # the text itself arrives intact
    assert data["nodes"]["evil-script"]["name"] == XSS_SCRIPT
    urls = {a["id"]: [s.get("url") for s in a["sources"]] for a in data["agreements"]}
    assert urls == {"a1": ["https://example.org/?a=1&b=<2>"], "a2": [None]}
    assert "__pwned=3" not in page  # the bad address is dropped, not kept as text


def test_title_is_escaped():
    page = cmap.render(_hostile_dataset(), title=XSS_IMG)
    assert "<title>&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;</title>" in page


def test_metric_passed_in_sets_node_size(sample_dataset):
    graph = organization_graph(sample_dataset)
    metric = pd.Series({node: float(i) for i, node in enumerate(sorted(graph))})
    nodes = _json_block(cmap.render(sample_dataset, graph=graph, metric=metric, size_by="custom"), "clusterkg-nodes")
    assert {n["id"]: n["value"] for n in nodes} == metric.to_dict()


def test_degree_is_the_fallback(sample_dataset):
    nodes = _json_block(cmap.render(sample_dataset, size_by="degree"), "clusterkg-nodes")
    values = {n["id"]: n["value"] for n in nodes}
    # link-j is a party to 14 of the 22 sample MoUs, each with a different partner (data/agreements.yaml).
    assert values["link-j"] == 14.0
    assert values["mitsui-fudosan"] == 0.0


def test_betweenness_comes_from_the_analysis(sample_dataset):
    from clusterkg.graph.analysis.centrality import centrality

    graph = organization_graph(sample_dataset)
    expected = centrality(graph)["betweenness"]
    nodes = _json_block(cmap.render(sample_dataset, size_by="betweenness"), "clusterkg-nodes")
    assert {n["id"]: n["value"] for n in nodes} == pytest.approx(expected.to_dict())


def test_unknown_measure_is_an_error(sample_dataset):
    with pytest.raises(cmap.ClusterKGError, match="size-by: unknown measure 'fame'"):
        cmap.render(sample_dataset, size_by="fame")


def test_top_keeps_the_most_central(sample_dataset):
    nodes = _json_block(cmap.render(sample_dataset, size_by="degree", top=3), "clusterkg-nodes")
    # Degrees by hand from data/agreements.yaml: link-j 14, then cgt-catapult, fbri and kanagawa-prefecture
    # with 2 each; the tie goes to the lower id.
    assert sorted(n["id"] for n in nodes) == ["cgt-catapult", "fbri", "link-j"]


def test_country_level(sample_dataset):
    page = cmap.render(sample_dataset, level="country", size_by="degree")
    nodes = _json_block(page, "clusterkg-nodes")
    countries = sorted({o.country for o in sample_dataset.organizations.values()})
    assert sorted(n["id"] for n in nodes) == countries
    data = _json_block(page, "clusterkg-data")
    assert data["nodes"]["JP"]["name"] == "Japan"
    expected = cmap.country_graph(organization_graph(sample_dataset))
    assert len(_json_block(page, "clusterkg-edges")) == expected.number_of_edges()


def test_country_graph_counts_agreements_once():
    g = nx.Graph()
    g.add_nodes_from([("a", {"country": "JP"}), ("b", {"country": "GB"}), ("c", {"country": "GB"}),
                      ("d", {"country": "JP"})])
    # One three-party agreement x (a, b, c) and a domestic one y (a, d).
    for u, v in (("a", "b"), ("a", "c"), ("b", "c")):
        g.add_edge(u, v, agreements=["x"], types=["mou"], first="2017", last="2017")
    g.add_edge("a", "d", agreements=["y"], types=["loi"], first="2019", last="2019")
    c = cmap.country_graph(g)
    assert [tuple(sorted(e[:2])) + (e[2],) for e in c.edges(data="weight")] == [("GB", "JP", 1)]
    assert c.nodes["JP"]["domestic"] == 1 and c.nodes["GB"]["domestic"] == 1


def test_large_graphs_get_python_positions_and_no_physics():
    ds = Dataset()
    for i in range(cmap.LAYOUT_THRESHOLD + 1):
        ds.organizations[f"o{i}"] = Organization(id=f"o{i}", name=f"Org {i}", kind="company", country="DE")
    for i in range(cmap.LAYOUT_THRESHOLD):
        ds.agreements[f"a{i}"] = Agreement(id=f"a{i}", type="mou", parties=[f"o{i}", f"o{i + 1}"], signed="2020",
                                           sources=[{"title": "t"}])
    page = cmap.render(ds)
    nodes = _json_block(page, "clusterkg-nodes")
    assert all("x" in n and "y" in n for n in nodes)
    assert _json_block(page, "clusterkg-options")["physics"]["enabled"] is False
    assert cmap.render(ds) == page  # the same input, the same file (the build is deterministic)


def test_force_layout_is_deterministic_and_separates_nodes():
    g = nx.gnm_random_graph(400, 900, seed=3)
    g.add_nodes_from(range(400, 410))  # isolates go to the grid below
    pos = force_layout(g, seed=5)
    assert pos == force_layout(g, seed=5)
    coords = {p for p in pos.values()}
    assert len(coords) == len(pos)  # no two nodes on the same spot
    lowest_tied = max(pos[n][1] for n in g if g.degree(n))
    assert all(pos[n][1] > lowest_tied for n in g if not g.degree(n))


def test_repr_html_is_an_iframe(sample_dataset):
    page = cmap.render(sample_dataset)
    shown = page._repr_html_()
    assert shown.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "<script" not in shown


def test_bad_options_are_errors(sample_dataset):
    for option, value in (("color_by", "size"), ("level", "planet"), ("layout", "magic")):
        with pytest.raises(cmap.ClusterKGError, match=option.replace("_", "-")):
            cmap.render(sample_dataset, **{option: value})


def test_build_writes_the_map(tmp_path):
    from clusterkg.pipeline import build, write_map

    ctx = build([ROOT / "tests" / "fixtures" / "csv"], tmp_path, steps=[("map", write_map)])
    assert ctx.written == [tmp_path / "map.html"]
    assert "Life Science Innovation Network Japan" in (tmp_path / "map.html").read_text(encoding="utf-8")


def test_map_command(tmp_path):
    from clusterkg.cli import main

    out = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["map", str(ROOT / "data"), "-o", str(out), "--size-by", "degree",
                                       "--type", "mou", "--level", "country"])
    assert result.exit_code == 0, result.output
    data = _json_block(out.read_text(encoding="utf-8"), "clusterkg-data")
    assert data["level"] == "country" and {t["key"] for t in data["types"]} == {"mou"}
    bad = CliRunner().invoke(main, ["map", str(ROOT / "data"), "-o", str(tmp_path / "x.html"), "--type", "treaty"])
    assert bad.exit_code == 1 and "unknown agreement type 'treaty'" in bad.output



def test_command_offers_every_measure():
    from clusterkg.cli.map import map_command

    option = next(p for p in map_command.params if p.name == "size_by")
    assert tuple(option.type.choices) == cmap.SIZE_METRICS
