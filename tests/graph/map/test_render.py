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
from clusterkg.graph.map import cuts
from clusterkg.graph.map import render as cmap
from clusterkg.graph.map.data import colours, short_labels
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
    assert len(scripts) == 2  # vis-network, and the map's core.js + panel.js + share.js as one
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_sample_page_has_every_node_and_edge(sample_dataset):
    graph = organization_graph(sample_dataset)  # lineages: Cell Therapy Catapult is the CGT Catapult's node
    assert "cell-therapy-catapult" not in graph and len(sample_dataset.organizations) == 44
    page = cmap.render(sample_dataset)
    nodes, edges = _json_block(page, "clusterkg-nodes"), _json_block(page, "clusterkg-edges")
    assert sorted(n["id"] for n in nodes) == sorted(graph.nodes)
    assert sorted(tuple(sorted((e["from"], e["to"]))) for e in edges) == sorted(tuple(sorted(e)) for e in graph.edges)
    data = _json_block(page, "clusterkg-data")
    more = _json_block(page, "clusterkg-details")
    # 22 agreements in data/agreements.yaml, all two-party: one edge each.
    assert len(more["agreements"]) == 22 and len(more["ties"]) == len(edges)
    assert data["nodes"]["kanagawa-prefecture"]["names"] == {"ja": "神奈川県"}
    assert data["nodes"]["cgt-catapult"]["former"] == [{"name": "Cell Therapy Catapult", "until": "2016"}]
    assert data["physics"] is True  # 44 nodes: below the threshold, vis-network lays it out


def test_every_text_from_the_records_is_escaped():
    page = cmap.render(_hostile_dataset())
    for raw in (XSS_IMG, XSS_SCRIPT, "<b>bold</b>", "<script>x</script>", "ライフ<b>"):
        assert raw not in page
    assert page.count("</script>") == 7  # the five JSON blocks and the two scripts, none from the data
    data = _json_block(page, "clusterkg-data")
    assert data["nodes"]["evil-img"]["name"] == XSS_IMG  # the text itself arrives intact
    assert data["nodes"]["evil-script"]["name"] == XSS_SCRIPT
    more = _json_block(page, "clusterkg-details")
    urls = {a["id"]: [more["sources"][i].get("url") for i in a["src"]] for a in more["agreements"]}
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
    page = cmap.render(sample_dataset, size_by="degree", top=3)
    nodes = _json_block(page, "clusterkg-nodes")
    # Degrees by hand from data/agreements.yaml: link-j 14, cgt-catapult 3 (with its former name's
    # partner Kanagawa), then fbri and kanagawa-prefecture with 2 each and one agreement per partner;
    # that tie goes to the lower id, and the page says so. Of the 22 agreements only LINK-J - FBRI
    # lies within the three.
    assert sorted(n["id"] for n in nodes) == ["cgt-catapult", "fbri", "link-j"]
    notes = _json_block(page, "clusterkg-data")["notes"]
    assert notes == ["top 3 of 43 by degree; 2 tied at 2 at the cut, kept by agreements, then id; "
                     "not drawn: 40 organisations, 21 agreements"]


def test_top_breaks_ties_by_degree_not_by_name():
    # Both have a measure of 0; "a-hub" comes first by name but "z-hub" has more partners.
    g = nx.Graph([("z-hub", "p1"), ("z-hub", "p2"), ("a-hub", "p3")])
    values = {"z-hub": 0.0, "a-hub": 0.0, "p1": 1.0, "p2": 1.0, "p3": 1.0}
    cut = cuts.top_cut(g, values, 4, "betweenness")
    assert "z-hub" in cut.graph and "a-hub" not in cut.graph
    assert cut.note.startswith("top 4 of 5 by betweenness; 2 tied at 0 at the cut, kept by degree")


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
    result = CliRunner().invoke(main, ["map", str(ROOT / "tests" / "fixtures" / "sample"), "-o", str(out), "--size-by", "degree",
                                       "--type", "mou", "--level", "country"])
    assert result.exit_code == 0, result.output
    data = _json_block(out.read_text(encoding="utf-8"), "clusterkg-data")
    assert data["level"] == "country" and {t["key"] for t in data["types"]} == {"mou"}
    bad = CliRunner().invoke(main, ["map", str(ROOT / "tests" / "fixtures" / "sample"), "-o", str(tmp_path / "x.html"), "--type", "treaty"])
    assert bad.exit_code == 1 and "unknown agreement type 'treaty'" in bad.output



def test_command_offers_every_measure():
    from clusterkg.cli.map import map_command

    option = next(p for p in map_command.params if p.name == "size_by")
    assert tuple(option.type.choices) == cmap.SIZE_METRICS


# --- issue 13: stable colours, line styles, labels, details, time, honest cuts ---------------------


def _two_country_dataset(extra: str) -> Dataset:
    ds = Dataset()
    for org_id, country in (("a", "JP"), ("b", "GB"), (extra, extra.upper()[:2])):
        ds.organizations[org_id] = Organization(id=org_id, name=f"Org {org_id}", kind="cluster", country=country)
    ds.agreements["x"] = Agreement(id="x", type="mou", parties=["a", "b"], signed="2020", sources=[{"title": "t"}])
    ds.agreements["y"] = Agreement(id="y", type="loi", parties=["a", extra], signed="2021", sources=[{"title": "t"}])
    return ds


def test_a_country_keeps_its_colour_in_every_map():
    # Different data, different country ranks: Japan and the UK keep their colours regardless.
    one = _json_block(cmap.render(_two_country_dataset("us")), "clusterkg-data")["palettes"]["country"]
    two = _json_block(cmap.render(_two_country_dataset("de")), "clusterkg-data")["palettes"]["country"]
    assert one["JP"] == two["JP"] == colours()["countries"]["JP"] == "#D55E00"
    assert one["GB"] == two["GB"] == colours()["countries"]["GB"]
    assert one["US"] != two["DE"]
    table = colours()["countries"]
    # The sixteen most frequent countries of the field have colours of their own; every other
    # country shares the neutral grey (graph/map/palette.py says how the table was made).
    from clusterkg.graph.map.palette import FIELD_ORDER, pick

    assert table == pick() and len(table) == len(FIELD_ORDER) == 16
    assert len(set(table.values())) == 16 and colours()["other"] not in table.values()
    assert one.get("XK", colours()["other"]) == colours()["other"]


def test_agreement_types_are_told_apart_by_line_style_not_country_colours(sample_dataset):
    page = cmap.render(sample_dataset)
    data = _json_block(page, "clusterkg-data")
    lines = {t["key"]: tuple(t["line"]) for t in data["types"]}
    assert lines["mou"] == () and len(set(lines.values())) == len(lines)  # one style per type shown
    edges = _json_block(page, "clusterkg-edges")
    assert all("color" not in e for e in edges)  # one neutral colour for every agreement line
    loi = next(a for a in sample_dataset.agreements.values() if a.type == "loi")
    pair = sorted(p.organization for p in loi.parties)
    pair = ["cgt-catapult" if p == "cell-therapy-catapult" else p for p in pair]
    edge = next(e for e in edges if sorted((e["from"], e["to"])) == sorted(pair))
    assert edge["dashes"] == [10, 5]
    assert _json_block(page, "clusterkg-options")["edges"]["color"]["color"] == "#4b5563"  # dark enough on white at the first zoom


def test_labels_are_the_shortest_unambiguous_name(sample_dataset):
    nodes = {n["id"]: n["label"] for n in _json_block(cmap.render(sample_dataset), "clusterkg-nodes")}
    assert nodes["link-j"] == "LINK-J"
    assert nodes["cgt-catapult"] == "CGT Catapult"
    assert nodes["kanagawa-prefecture"] == "Kanagawa Prefecture"
    assert all(len(label) <= 24 for label in nodes.values())
    g = nx.Graph()
    g.add_nodes_from([("a", {"name": "Same Name", "country": "JP"}), ("b", {"name": "Same Name", "country": "GB"})])
    assert short_labels(g, {}) == {"a": "Same Name (JP)", "b": "Same Name (GB)"}


def test_details_list_signatories_and_each_source_once(sample_dataset):
    more = _json_block(cmap.render(sample_dataset), "clusterkg-details")
    entry = next(a for a in more["agreements"] if a["id"] == "mou-cell-therapy-catapult-kanagawa-2015")
    assert {s["name"] for s in entry["sig"]} == {p.name for p in sample_dataset.people.values()
                                                 if p.id in ("yuji-kuroiwa", "keith-thompson")}
    assert more["partyNames"]["cell-therapy-catapult"] == "Cell Therapy Catapult"  # the name as signed
    keys = [(s.get("title"), s.get("publisher"), s.get("url")) for s in more["sources"]]
    assert len(keys) == len(set(keys))  # the table holds each source once
    cited = sum(len(a.get("src", ())) for a in more["agreements"])
    assert len(more["sources"]) < cited  # some sources back several agreements


def test_in_force_days_follow_the_as_of_rule(sample_dataset):
    import datetime as dt

    from clusterkg.graph.network import select_agreements

    more = _json_block(cmap.render(sample_dataset), "clusterkg-details")
    for day in ("2016-06-30", "2018-12-31", "2020-09-30", "2026-01-31"):
        expected = {a.id for a in select_agreements(sample_dataset, as_of=day)}
        shown = {a["id"] for a in more["agreements"] if "live" in a and a["live"][0] <= day
                 and (a["live"][1] is None or a["live"][1] >= day)}
        assert shown == expected, day
    dated = [a for a in more["agreements"] if "live" in a]
    assert len(dated) == 20 and all(dt.date.fromisoformat(a["live"][0]) for a in dated)  # 2 are undated


def test_country_level_says_what_it_does_not_draw(sample_dataset):
    page = cmap.render(sample_dataset, level="country", size_by="degree")
    notes = _json_block(page, "clusterkg-data")["notes"]
    assert notes == ["7 agreements within one country are not drawn as ties (JP 7); the country's label counts them"]
    japan = next(n for n in _json_block(page, "clusterkg-nodes") if n["id"] == "JP")
    assert japan["label"] == "Japan\n+7 within"


def test_large_graphs_are_cut_with_a_note():
    ds = Dataset()
    for i in range(40):
        ds.organizations[f"o{i:02}"] = Organization(id=f"o{i:02}", name=f"Org {i}", kind="company", country="DE")
    for i in range(1, 40):
        ds.agreements[f"a{i}"] = Agreement(id=f"a{i}", type="mou", parties=["o00", f"o{i:02}"], signed="2020",
                                           sources=[{"title": "t"}])
    page = cmap.render(ds, size_by="degree", max_nodes=10)
    assert len(_json_block(page, "clusterkg-nodes")) == 10
    notes = _json_block(page, "clusterkg-data")["notes"]
    assert notes[0] == "40 are too many to draw at once (limit 10)"
    assert notes[1].startswith("top 10 of 40 by degree") and notes[1].endswith("not drawn: 30 organisations, 30 agreements")
    assert len(_json_block(cmap.render(ds, max_nodes=None), "clusterkg-nodes")) == 40


def test_parent_and_membership_ties_are_a_layer(sample_dataset):
    data = _json_block(cmap.render(sample_dataset), "clusterkg-data")
    assert ["keio-iab", "keio-university", "parent"] in data["structure"]
    assert ["fbri", "kobe-biomedical-innovation-cluster", "member"] in data["structure"]
    assert data["nodes"]["ucla"]["parent"] == "university-of-california"


def test_lineage_can_be_kept_apart(sample_dataset):
    nodes = _json_block(cmap.render(sample_dataset, lineage=False), "clusterkg-nodes")
    assert {"cell-therapy-catapult", "cgt-catapult"} <= {n["id"] for n in nodes}


def test_merge_lineages_of_a_graph_made_without_them(sample_dataset):
    split = organization_graph(sample_dataset, lineage=False)
    merged = cuts.merge_lineages(split, sample_dataset.organizations)
    assert sorted(merged) == sorted(organization_graph(sample_dataset))
    assert merged.edges["cgt-catapult", "kanagawa-prefecture"]["agreements"] == \
        organization_graph(sample_dataset).edges["cgt-catapult", "kanagawa-prefecture"]["agreements"]


def test_map_command_cut_and_open_ended(tmp_path):
    from clusterkg.cli import main

    out = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["map", str(ROOT / "data"), "-o", str(out), "--size-by", "degree",
                                       "--max-nodes", "20", "--open-ended", "exclude", "--no-lineage"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    data = _json_block(page, "clusterkg-data")
    assert data["openEnded"] == "exclude" and len(_json_block(page, "clusterkg-nodes")) == 20
    from clusterkg.loaders.assemble import load_dataset

    total = len(load_dataset([ROOT / "data"]).organizations)  # no lineage: one node per record
    assert data["notes"][0] == f"{total} are too many to draw at once (limit 20)"
    bad = CliRunner().invoke(main, ["map", str(ROOT / "data"), "-o", str(out), "--open-ended", "forever"])
    assert bad.exit_code == 1 and "'forever' is not a rule" in bad.output
