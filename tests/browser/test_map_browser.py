"""The map in a real browser: offline, filters, search, details, escaping.

Expected numbers come from the same records through Python
(:func:`organization_graph` with the matching filters), so the page and the
projection API must agree.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from clusterkg.graph.map.render import render
from clusterkg.graph.network import organization_graph
from clusterkg.loaders.assemble import load_dataset
from clusterkg.model.dataset import Dataset
from clusterkg.model.records import Agreement, Organization

ROOT = Path(__file__).resolve().parents[2]
XSS_IMG = '<img src=x onerror="window.__pwned=1">'
XSS_SCRIPT = "</script><script>window.__pwned=2</script>"

VISIBLE_PAIRS = """() => clusterMap.edgeView.get().map(e => [e.from, e.to].sort().join('|')).sort()"""
DRAWN = """() => [clusterMap.network.body.nodeIndices.length, clusterMap.network.body.edgeIndices.length]"""
NODE_POINT = """(id) => {
  const net = clusterMap.network, p = net.canvasToDOM(net.getPositions([id])[id]);
  const r = document.getElementById('graph').getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
}"""


def pairs(graph) -> list[str]:
    return sorted("|".join(sorted(edge)) for edge in graph.edges)


@pytest.fixture(scope="module")
def ds():
    sample = load_dataset([ROOT / "data"])
    assert sample.valid, sample.problems[:3]
    return sample


@pytest.fixture(scope="module")
def sample_html(ds):
    return render(ds, size_by="betweenness")


@pytest.fixture
def sample(open_map, sample_html):
    opened = open_map(sample_html)
    opened.page.wait_for_selector("body[data-settled]", state="attached", timeout=60_000)
    return opened


def test_sample_map_opens_offline_with_every_node_and_edge(sample, ds, tmp_path):
    graph = organization_graph(ds)
    assert sample.errors == []
    assert sample.blocked == [] and all(url.startswith("file://") for url in sample.requests)
    assert len(sample.requests) == 1  # the file itself, nothing else
    assert sample.js("() => [clusterMap.nodeView.length, clusterMap.edgeView.length]") == [
        graph.number_of_nodes(), graph.number_of_edges()]
    assert sample.js(DRAWN) == [graph.number_of_nodes(), graph.number_of_edges()]  # 44 and 22
    assert sample.js(VISIBLE_PAIRS) == pairs(graph)
    assert sample.page.text_content("#status") == "44 organisations · 22 links · 22 agreements shown"
    folder = Path(os.environ.get("CLUSTERKG_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    sample.page.screenshot(path=str(folder / "map-sample.png"))
    print(f"screenshot: {folder / 'map-sample.png'}")


def test_unchecking_a_type_hides_exactly_its_edges(sample, ds):
    sample.page.uncheck('#filter-types input[value="mou"]')
    others = sorted({a.type for a in ds.agreements.values()} - {"mou"})
    assert sample.js(VISIBLE_PAIRS) == pairs(organization_graph(ds, types=others))
    # Nodes stay (only their ties go) unless asked to hide the lonely ones.
    assert sample.js("() => clusterMap.nodeView.length") == len(ds.organizations)
    sample.page.check("#hide-lonely")
    expected = organization_graph(ds, types=others, isolates=False)
    assert sample.js("() => clusterMap.nodeView.getIds().sort()") == sorted(expected.nodes)
    sample.page.uncheck("#hide-lonely")
    sample.page.check('#filter-types input[value="mou"]')
    assert sample.js(VISIBLE_PAIRS) == pairs(organization_graph(ds))


def test_year_range_hides_agreements_outside_it(sample, ds):
    sample.page.fill("#year-from", "2017")
    sample.page.fill("#year-to", "2018")
    sample.page.press("#year-to", "Enter")
    sample.page.dispatch_event("#year-from", "change")
    sample.page.uncheck("#include-undated")
    kept = [a for a in ds.agreements.values() if a.date is not None and 2017 <= a.date.year <= 2018]
    expected = sorted({"|".join(sorted(p.organization for p in a.parties)) for a in kept})
    assert sample.js(VISIBLE_PAIRS) == expected
    status = sample.page.text_content("#status")
    assert status.endswith(f"{len(kept)} agreements shown")
    # Undated agreements come back with their checkbox.
    sample.page.check("#include-undated")
    undated = [a for a in ds.agreements.values() if a.date is None]
    assert len(sample.js(VISIBLE_PAIRS)) == len(expected) + len(undated)


def test_country_filter(sample, ds):
    sample.page.uncheck('#filter-countries input[value="US"]')
    keep = sorted({o.country for o in ds.organizations.values()} - {"US"})
    expected = organization_graph(ds, countries=keep)
    assert sample.js("() => clusterMap.nodeView.getIds().sort()") == sorted(expected.nodes)
    assert sample.js(VISIBLE_PAIRS) == pairs(expected)
    sample.page.click("#countries-none")
    assert sample.js(DRAWN) == [0, 0]
    sample.page.click("#countries-all")
    assert sample.js(DRAWN) == [44, 22]


def test_search_finds_and_focuses_an_alias(sample):
    sample.page.fill("#search", "LINK-J")
    sample.page.press("#search", "Enter")
    assert sample.js("() => clusterMap.network.getSelectedNodes()") == ["link-j"]
    sample.page.wait_for_timeout(500)  # the 300 ms camera move
    centre = sample.js("() => clusterMap.network.getViewPosition()")
    node = sample.js("() => clusterMap.network.getPositions(['link-j'])['link-j']")
    assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1
    card = sample.page.locator("#card")
    assert card.is_visible()
    assert card.locator("h3").text_content() == "Life Science Innovation Network Japan"
    assert sample.page.text_content("#search-result") == "Found: Life Science Innovation Network Japan"
    sample.page.fill("#search", "no such cluster")
    sample.page.press("#search", "Enter")
    assert "Nothing matches" in sample.page.text_content("#search-result")


def test_hover_shows_details_with_source_links(sample, ds):
    x, y = sample.js(NODE_POINT, "kanagawa-prefecture")
    sample.page.mouse.move(x, y)
    card = sample.page.locator("#card")
    card.wait_for(state="visible", timeout=5_000)
    assert card.locator("h3").text_content() == "Kanagawa Prefecture"
    assert card.locator('[lang="ja"]').text_content() == "神奈川県"
    links = card.locator("a").evaluate_all("links => links.map(a => [a.href, a.target, a.rel])")
    expected = {s.url for a in ds.agreements.values() if "kanagawa-prefecture" in [p.organization for p in a.parties]
                for s in a.sources if s.url}
    assert {href for href, _, _ in links} == expected
    assert all(target == "_blank" and rel == "noopener noreferrer" for _, target, rel in links)
    sample.page.mouse.move(5, 890)  # over the panel: the card goes
    card.wait_for(state="hidden", timeout=5_000)


def test_click_highlights_partners(sample, ds):
    x, y = sample.js(NODE_POINT, "fbri")
    sample.page.mouse.click(x, y)
    partners = set(organization_graph(ds)["fbri"])
    colours = sample.js("() => Object.fromEntries(clusterMap.nodes.get().map(n => [n.id, n.color]))")
    faded = {node for node, colour in colours.items() if colour == "#e4e4e4"}
    assert faded == set(ds.organizations) - partners - {"fbri"}
    assert sample.page.locator("#card button.close").is_visible()  # a click pins the card
    sample.page.click("#card button.close")
    colours = sample.js("() => clusterMap.nodes.get().filter(n => n.color === '#e4e4e4').length")
    assert colours == 0


def test_legend_follows_the_colouring(sample, ds):
    countries = {o.country for o in ds.organizations.values()}
    kinds = {o.kind for o in ds.organizations.values()}
    assert sample.page.locator("#legend-colors li").count() == len(countries)
    assert "Japan (JP)" in sample.page.text_content("#legend-colors")
    sample.page.check('input[name="color-by"][value="kind"]')
    assert sample.page.locator("#legend-colors li").count() == len(kinds)
    assert "betweenness" in sample.page.text_content("#legend-size")


def test_japanese_names_render_as_unicode(sample):
    assert sample.js("() => document.characterSet") == "UTF-8"
    sample.js("() => clusterMap.search('神奈川県')")
    assert sample.page.locator('#card [lang="ja"]').text_content() == "神奈川県"
    assert "?" not in sample.page.locator("#card h3").text_content()


def _hostile() -> Dataset:
    ds = Dataset()
    for org_id, name in (("evil-img", XSS_IMG), ("evil-script", XSS_SCRIPT), ("plain", "Plain Cluster")):
        ds.organizations[org_id] = Organization(id=org_id, name=name, kind="cluster", country="JP")
    ds.agreements["a1"] = Agreement(id="a1", type="mou", title=XSS_IMG, parties=["evil-img", "evil-script"],
                                    signed="2019", sources=[{"title": XSS_SCRIPT, "url": "https://example.org/a"}])
    second = Agreement(id="a2", type="loi", parties=["evil-img", "plain"], signed="2020",
                       sources=[{"title": "release", "url": "https://example.org/b"}])
    second.sources[0].url = "javascript:window.__pwned=3"  # past the model's own check
    ds.agreements["a2"] = second
    return ds


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping-alone", "with-csp"])
def test_hostile_names_are_shown_as_text_and_run_nothing(open_map, bypass_csp):
    # With the CSP bypassed, only the escaping stands between the names and the page.
    opened = open_map(render(_hostile(), title=XSS_IMG), bypass_csp=bypass_csp)
    page = opened.page
    for org_id, name in (("evil-img", XSS_IMG), ("evil-script", XSS_SCRIPT)):
        page.evaluate("(id) => clusterMap.focusNode(id)", org_id)
        assert page.locator("#card h3").text_content() == name
        assert page.evaluate("(id) => clusterMap.nodes.get(id).label", org_id) == name[:31].rstrip() + "…"
    page.evaluate("() => clusterMap.focusNode('evil-img')")
    hrefs = page.locator("#card a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["https://example.org/a"]  # the javascript: address is no link
    assert XSS_SCRIPT in page.text_content("#card")  # the source title, as text
    page.wait_for_timeout(200)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert opened.dialogs == [] and opened.errors == []
    assert page.title() == XSS_IMG


def test_country_level_map(open_map, ds):
    opened = open_map(render(ds, level="country", size_by="degree"))
    countries = sorted({o.country for o in ds.organizations.values()})
    assert opened.js("() => clusterMap.nodeView.getIds().sort()") == countries
    assert opened.errors == []
    assert opened.page.text_content("#status").startswith(f"{len(countries)} countries")


def test_generated_map_opens_with_python_layout(open_map, tmp_path):
    from clusterkg.synthetic.generate import generate, write_generated

    write_generated(generate(800, 1600, seed=1), tmp_path / "generated", "csv")
    ds = load_dataset([tmp_path / "generated"])
    graph = organization_graph(ds)
    opened = open_map(render(ds, size_by="degree"))
    assert opened.js("() => clusterMap.data.physics") is False
    assert opened.js(DRAWN) == [graph.number_of_nodes(), graph.number_of_edges()]
    assert opened.errors == [] and opened.blocked == []
