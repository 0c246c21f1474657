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
XSS_FORMULA = '=HYPERLINK("https://example.org/x","<b>click</b>")'

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
    sample = load_dataset([ROOT / "tests" / "fixtures" / "sample"])
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


def connected(graph) -> list[str]:
    return sorted(n for n in graph if graph.degree(n))


def test_sample_map_opens_offline_without_isolates(sample, ds, tmp_path):
    graph = organization_graph(ds)  # 43 nodes: Cell Therapy Catapult is the CGT Catapult's lineage
    assert sample.errors == []
    assert sample.blocked == [] and all(url.startswith("file://") for url in sample.requests)
    assert len(sample.requests) == 1  # the file itself, nothing else
    # Organisations without any agreement are hidden by default (16 of 43 on the sample).
    assert sample.js("() => clusterMap.nodeView.getIds().sort()") == connected(graph)
    assert sample.js(DRAWN) == [27, graph.number_of_edges()]
    assert sample.js(VISIBLE_PAIRS) == pairs(graph)
    assert sample.page.text_content("#status") == "27 organisations · 22 links · 22 agreements shown"
    assert sample.page.text_content("#status-hidden") == "16 organisations without a shown agreement are hidden"
    sample.page.check("#show-lonely")
    assert sample.js(DRAWN) == [43, 22]
    # ... in a strip of their own, below everything that has a tie.
    positions = sample.js("() => clusterMap.network.getPositions()")
    lowest_tied = max(positions[n]["y"] for n in connected(graph))
    assert all(positions[n]["y"] > lowest_tied for n in graph if not graph.degree(n))
    folder = Path(os.environ.get("CLUSTERKG_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    sample.page.screenshot(path=str(folder / "map-sample.png"))


OVERLAPS = """() => {
  const net = clusterMap.network, ids = clusterMap.nodeView.getIds(), boxes = ids.map(id => net.getBoundingBox(id));
  const hits = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top))
      hits.push([ids[i], ids[j]]);
  }
  return hits;
}"""


def test_labels_are_short_and_do_not_overlap(sample):
    assert sample.js("() => clusterMap.nodes.get('link-j').label") == "LINK-J"
    assert sample.js(OVERLAPS) == []


def test_unchecking_a_type_hides_exactly_its_edges(sample, ds):
    sample.page.uncheck('#filter-types input[value="mou"]')
    others = sorted({a.type for a in ds.agreements.values()} - {"mou"})
    assert sample.js(VISIBLE_PAIRS) == pairs(organization_graph(ds, types=others))
    # Organisations left without a shown agreement go too, unless asked for.
    assert sample.js("() => clusterMap.nodeView.getIds().sort()") == connected(organization_graph(ds, types=others))
    sample.page.check("#show-lonely")
    assert sample.js("() => clusterMap.nodeView.length") == organization_graph(ds).number_of_nodes()
    sample.page.uncheck("#show-lonely")
    sample.page.check('#filter-types input[value="mou"]')
    assert sample.js(VISIBLE_PAIRS) == pairs(organization_graph(ds))


SET_RANGE = """([id, value]) => {
  const input = document.getElementById(id);
  input.value = String(value);
  input.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def test_year_range_hides_agreements_outside_it(sample, ds):
    sample.js(SET_RANGE, ["year-from", 2017])
    sample.js(SET_RANGE, ["year-to", 2018])
    assert sample.page.text_content("#year-label") == "2017 – 2018"
    sample.page.uncheck("#include-undated")
    kept = [a for a in ds.agreements.values() if a.date is not None and 2017 <= a.date.year <= 2018]
    graph, ids = organization_graph(ds), {a.id for a in kept}
    expected = sorted("|".join(sorted((u, v))) for u, v, found in graph.edges(data="agreements") if ids & set(found))
    assert sample.js(VISIBLE_PAIRS) == expected
    assert sample.page.text_content("#status").endswith(f"{len(kept)} agreements shown")
    sample.page.check("#include-undated")
    undated = [a for a in ds.agreements.values() if a.date is None]
    assert len(sample.js(VISIBLE_PAIRS)) == len(expected) + len(undated)


def test_in_force_slider_and_play(sample, ds):
    from clusterkg.graph.network import select_agreements

    for month in ("2016-06", "2018-12", "2020-09"):
        sample.js("(m) => clusterMap.setLive(m)", month)
        assert sample.js(VISIBLE_PAIRS) == pairs(organization_graph(ds, as_of=month)), month
        count = len(select_agreements(ds, as_of=month))
        assert sample.page.text_content("#status").endswith(f"{count} agreements shown")
    assert sample.page.text_content("#live-label") == "2020-09-30"
    sample.page.select_option("#open-ended", "exclude")
    assert sample.js(VISIBLE_PAIRS) == pairs(organization_graph(ds, as_of="2020-09", open_ended="exclude"))
    sample.page.select_option("#open-ended", "assume:P3Y")
    assert sample.js(VISIBLE_PAIRS) == pairs(organization_graph(ds, as_of="2020-09", open_ended="assume:P3Y"))
    # The slider itself, moved as a user would.
    sample.js(SET_RANGE, ["live-on", 0])
    first = sample.js("() => clusterMap.state.live")
    assert sample.page.text_content("#live-label").startswith(first)
    sample.page.click("#play")
    sample.page.wait_for_timeout(1000)
    assert sample.js("() => clusterMap.state.live") > first
    assert sample.page.text_content("#play").endswith("pause")
    sample.page.click("#play")
    assert sample.page.text_content("#play").endswith("play")
    sample.page.uncheck("#live-enabled")
    assert sample.js(VISIBLE_PAIRS) == pairs(organization_graph(ds))


def test_country_filter(sample, ds):
    sample.page.uncheck('#filter-countries input[value="US"]')
    keep = sorted({o.country for o in ds.organizations.values()} - {"US"})
    expected = organization_graph(ds, countries=keep)
    assert sample.js("() => clusterMap.nodeView.getIds().sort()") == connected(expected)
    assert sample.js(VISIBLE_PAIRS) == pairs(expected)
    sample.page.click("#countries-none")
    assert sample.js(DRAWN) == [0, 0]
    sample.page.click("#countries-all")
    assert sample.js(DRAWN) == [27, 22]


def test_search_finds_and_focuses_an_alias(sample):
    sample.page.fill("#search", "LINK-J")
    sample.page.press("#search", "Enter")
    assert sample.js("() => clusterMap.network.getSelectedNodes()") == ["link-j"]
    sample.page.wait_for_timeout(500)  # the 300 ms camera move
    centre = sample.js("() => clusterMap.network.getViewPosition()")
    node = sample.js("() => clusterMap.network.getPositions(['link-j'])['link-j']")
    assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1
    assert sample.page.locator("#details h3").text_content() == "Life Science Innovation Network Japan"
    assert sample.page.text_content("#search-result") == "Found: Life Science Innovation Network Japan"
    sample.page.fill("#search", "Cell Therapy Catapult")  # a former name finds the lineage
    sample.page.press("#search", "Enter")
    assert sample.js("() => clusterMap.network.getSelectedNodes()") == ["cgt-catapult"]
    assert sample.page.text_content("#details .former") == "formerly Cell Therapy Catapult (until 2016)"
    sample.page.fill("#search", "no such cluster")
    sample.page.press("#search", "Enter")
    assert "Nothing matches" in sample.page.text_content("#search-result")


def test_details_are_docked_beside_the_graph_and_follow_the_filters(sample, ds):
    x, y = sample.js(NODE_POINT, "kanagawa-prefecture")
    sample.page.mouse.move(x, y)
    assert sample.page.locator("#tip").text_content() == "Kanagawa Prefecture · Japan (JP)"
    sample.page.mouse.click(x, y)
    details = sample.page.locator("#details")
    details.wait_for(state="visible", timeout=5_000)
    box = details.bounding_box()
    x, y = sample.js(NODE_POINT, "kanagawa-prefecture")  # the graph narrowed; the node is still in view
    assert not (box["x"] <= x <= box["x"] + box["width"])
    for partner in organization_graph(ds)["kanagawa-prefecture"]:
        px, _ = sample.js(NODE_POINT, partner)
        assert px < box["x"], partner  # the panel hides no partner
    assert details.locator("h3").text_content() == "Kanagawa Prefecture"
    assert details.locator('[lang="ja"]').text_content() == "神奈川県"
    links = details.locator("a").evaluate_all("links => links.map(a => [a.href, a.target, a.rel])")
    expected = {s.url for a in ds.agreements.values()
                if {"kanagawa-prefecture"} & {p.organization for p in a.parties} for s in a.sources if s.url}
    assert {href for href, _, _ in links} == expected and len(links) == len(expected)  # each source once
    assert all(target == "_blank" and rel == "noopener noreferrer" for _, target, rel in links)
    heads = details.locator(".agreement-head").all_text_contents()
    assert any(h.startswith("MoUCell Therapy Catapult – Kanagawa Prefecture2015-11") for h in heads), heads
    assert "Signed by" in details.text_content()
    total = len(organization_graph(ds).edges("kanagawa-prefecture"))
    assert details.locator(".agreements-count").text_content() == f"Agreements: {total} shown of {total}"
    sample.page.uncheck('#filter-types input[value="mou"]')  # the panel follows
    shown = sum(1 for a in ds.agreements.values() if a.type != "mou"
                and "kanagawa-prefecture" in {p.organization for p in a.parties})
    assert details.locator(".agreements-count").text_content() == f"Agreements: {shown} shown of {total}"
    assert details.locator(".hidden-note").count() == (1 if shown == 0 else 0)
    sample.page.check('#filter-types input[value="mou"]')
    sample.page.keyboard.press("Escape")
    details.wait_for(state="hidden", timeout=5_000)
    assert sample.js("() => clusterMap.nodes.get().filter(n => n.color === '#e4e4e4').length") == 0


def test_click_highlights_partners_and_close_button(sample, ds):
    x, y = sample.js(NODE_POINT, "fbri")
    sample.page.mouse.click(x, y)
    partners = set(organization_graph(ds)["fbri"])
    colours = sample.js("() => Object.fromEntries(clusterMap.nodes.get().map(n => [n.id, n.color]))")
    faded = {node for node, colour in colours.items() if colour == "#e4e4e4"}
    assert faded == set(organization_graph(ds)) - partners - {"fbri"}
    sample.page.click("#details-close")
    assert sample.page.locator("#details").is_hidden()
    assert sample.js("() => clusterMap.nodes.get().filter(n => n.color === '#e4e4e4').length") == 0


def test_legend_follows_the_colouring(sample, ds):
    countries = {o.country for o in ds.organizations.values()}
    kinds = {kind for _, kind in organization_graph(ds).nodes(data="kind")}
    from clusterkg.graph.map.data import colours

    own = {c for c in countries if c in colours()["countries"]}  # the rest share the neutral grey, one row
    assert sample.page.locator("#legend-colors li").count() == len(own) + (len(countries) > len(own))
    assert "Japan (JP)" in sample.page.text_content("#legend-colors")
    sample.page.check('input[name="color-by"][value="kind"]')
    assert sample.page.locator("#legend-colors li").count() == len(kinds)
    assert "betweenness" in sample.page.text_content("#legend-size")
    assert "Letter of intent" in sample.page.text_content("#legend-lines")


def test_country_colours_are_the_same_in_maps_of_different_data(open_map, ds):
    from clusterkg.graph.map.data import colours

    small = Dataset()
    for org_id, country in (("a", "GB"), ("b", "JP"), ("c", "US"), ("d", "US"), ("e", "US")):
        small.organizations[org_id] = Organization(id=org_id, name=org_id, kind="cluster", country=country)
    small.agreements["x"] = Agreement(id="x", type="mou", parties=["a", "b"], signed="2019", sources=[{"title": "t"}])
    small.agreements["y"] = Agreement(id="y", type="mou", parties=["c", "d", "e", "a"], signed="2019",
                                      sources=[{"title": "t"}])
    seen = []
    for data, gb, jp in ((ds, "cgt-catapult", "link-j"), (small, "a", "b")):
        opened = open_map(render(data), name=f"map-{len(seen)}.html")
        seen.append(opened.js("([g, j]) => [clusterMap.nodes.get(g).color, clusterMap.nodes.get(j).color]", [gb, jp]))
    assert seen[0] == seen[1] == [colours()["countries"]["GB"], colours()["countries"]["JP"]]


def test_permalink_restores_the_view_after_reload(sample, ds):
    sample.page.uncheck('#filter-types input[value="mou"]')
    sample.js("(m) => clusterMap.setLive(m)", "2019-12")
    sample.page.uncheck('#filter-countries input[value="DE"]')
    focus = sample.js("() => clusterMap.nodeView.getIds().sort()[0]")
    sample.js("(id) => clusterMap.focusNode(id)", focus)
    sample.page.click("#copy-link")
    link = sample.page.input_value("#share-link")
    assert "#" in link and f"f={focus}" in link and "l=2019-12" in link
    before = sample.js(VISIBLE_PAIRS)
    sample.page.goto("about:blank")
    sample.page.goto(link)
    sample.page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)
    assert sample.js(VISIBLE_PAIRS) == before
    assert sample.js("() => [clusterMap.state.live, [...clusterMap.state.types].includes('mou'), "
                     "clusterMap.state.countries.has('DE'), clusterMap.state.focus]") == ["2019-12", False, False, focus]
    assert sample.page.is_checked('#filter-countries input[value="GB"]')
    assert not sample.page.is_checked('#filter-types input[value="mou"]')
    assert sample.page.locator("#details h3").text_content() == ds.organizations[focus].name
    assert sample.js("() => clusterMap.network.getSelectedNodes()") == [focus]


def test_png_and_csv_exports(sample, ds, tmp_path):
    with sample.page.expect_download() as png:
        sample.page.click("#export-png")
    target = tmp_path / "map.png"
    png.value.save_as(target)
    assert png.value.suggested_filename == "clusterkg-map.png"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000
    sample.page.uncheck('#filter-types input[value="mou"]')
    with sample.page.expect_download() as csv_download:
        sample.page.click("#export-csv")
    target = tmp_path / "agreements.csv"
    csv_download.value.save_as(target)
    import csv

    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r["id"] for r in rows) == sorted(a.id for a in ds.agreements.values() if a.type != "mou")
    assert {r["type"] for r in rows} == {a.type for a in ds.agreements.values()} - {"mou"}


def test_japanese_names_render_as_unicode(sample):
    assert sample.js("() => document.characterSet") == "UTF-8"
    sample.js("() => clusterMap.search('神奈川県')")
    assert sample.page.locator('#details [lang="ja"]').text_content() == "神奈川県"
    assert "?" not in sample.page.locator("#details h3").text_content()


def _hostile() -> Dataset:
    ds = Dataset()
    for org_id, name in (("evil-img", XSS_IMG), ("evil-script", XSS_SCRIPT), ("plain", "Plain Cluster"),
                         ("formula", XSS_FORMULA)):
        ds.organizations[org_id] = Organization(id=org_id, name=name, kind="cluster", country="JP")
    ds.organizations["plain"] = Organization(id="plain", name="Plain Cluster", kind="cluster", country="JP",
                                             aliases=[XSS_IMG], predecessor="formula", renamed="2018")
    ds.agreements["a1"] = Agreement(id="a1", type="mou", title=XSS_IMG, parties=["evil-img", "evil-script"],
                                    signed="2019", sources=[{"title": XSS_SCRIPT, "url": "https://example.org/a"}])
    second = Agreement(id="a2", type="loi", parties=["evil-img", "plain"], signed="2020",
                       sources=[{"title": "release", "url": "https://example.org/b"}])
    second.sources[0].url = "javascript:window.__pwned=3"  # past the model's own check
    ds.agreements["a2"] = second
    ds.agreements["a3"] = Agreement(id="a3", type="moc", parties=["formula", "evil-script"], signed="2016",
                                    signatories=[{"name": XSS_IMG, "title": XSS_SCRIPT, "on_behalf_of": "formula"}],
                                    sources=[{"title": XSS_FORMULA}])
    return ds


@pytest.mark.parametrize("bypass_csp", [True, False], ids=["escaping-alone", "with-csp"])
def test_hostile_names_are_shown_as_text_and_run_nothing(open_map, bypass_csp, tmp_path):
    # With the CSP bypassed, only the escaping stands between the names and the page.
    opened = open_map(render(_hostile(), title=XSS_IMG), bypass_csp=bypass_csp)
    page = opened.page
    for org_id, name in (("evil-img", XSS_IMG), ("evil-script", XSS_SCRIPT)):
        page.evaluate("(id) => clusterMap.focusNode(id)", org_id)
        assert page.locator("#details h3").text_content() == name
        assert page.evaluate("(id) => clusterMap.nodes.get(id).label", org_id) == name[:23].rstrip() + "…"
    page.evaluate("() => clusterMap.focusNode('evil-img')")
    hrefs = page.locator("#details a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["https://example.org/a"]  # the javascript: address is no link
    assert XSS_SCRIPT in page.text_content("#details")  # the source title, as text
    assert XSS_IMG in page.text_content("#details .title")  # the agreement title, as text
    page.evaluate("() => clusterMap.focusNode('evil-script')")
    details = page.text_content("#details")
    assert f"Signed by {XSS_IMG}, {XSS_SCRIPT}" in details and XSS_FORMULA in details  # signatory, former name
    page.evaluate("() => clusterMap.focusNode('plain')")
    assert page.text_content("#details .former") == f"formerly {XSS_FORMULA} (until 2018)"
    assert XSS_IMG in page.text_content("#details")  # the alias
    # The tooltip, the title, the notes, the slider labels and the legend: text too.
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)  # the camera move of the last focus
    x, y = page.evaluate("""(id) => { const net = clusterMap.network, p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('graph').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
                         "evil-img")
    page.mouse.move(x, y)
    assert page.text_content("#tip").startswith(XSS_IMG)
    assert page.text_content("#map-title") == XSS_IMG
    page.evaluate("(m) => clusterMap.setLive(m)", "2019-12")
    assert page.text_content("#live-label") == "2019-12-31" and page.text_content("#year-label") == "2016 – 2020"
    # The CSV export: names as text, and no cell a spreadsheet would run as a formula.
    page.evaluate("() => clusterMap.setLive(null)")
    with page.expect_download() as download:
        page.click("#export-csv")
    download.value.save_as(tmp_path / "hostile.csv")
    import csv

    rows = list(csv.DictReader((tmp_path / "hostile.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {r["id"] for r in rows} == {"a1", "a2", "a3"}
    row = next(r for r in rows if r["id"] == "a3")
    assert row["parties"].startswith("Plain Cluster; ") is False  # the party as signed: the formula name
    assert row["parties"] == f"'{XSS_FORMULA}; {XSS_SCRIPT}" and row["sources"] == f"'{XSS_FORMULA}"
    assert next(r for r in rows if r["id"] == "a1")["title"] == XSS_IMG
    page.wait_for_timeout(200)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img, b').length") == 0
    assert opened.dialogs == [] and opened.errors == []
    assert page.title() == XSS_IMG


def test_country_level_map(open_map, ds):
    opened = open_map(render(ds, level="country", size_by="degree"))
    countries = sorted({o.country for o in ds.organizations.values()})
    assert opened.js("() => clusterMap.nodeView.getIds().sort()") == countries
    assert opened.errors == []
    assert opened.page.text_content("#status") == f"{len(countries)} countries · 4 links · 15 agreements shown"
    # Seven Japan-Japan agreements have no tie to draw: the page says so, and Japan's label counts them.
    assert "7 agreements within one country are not drawn" in opened.page.text_content("#map-notes")
    assert opened.js("() => clusterMap.nodes.get('JP').label") == "Japan\n+7 within"


def test_generated_map_opens_with_python_layout(open_map, tmp_path):
    from clusterkg.synthetic.generate import generate, write_generated

    write_generated(generate(800, 1600, seed=1), tmp_path / "generated", "csv")
    ds = load_dataset([tmp_path / "generated"])
    graph = organization_graph(ds)
    opened = open_map(render(ds, size_by="degree"))
    assert opened.js("() => clusterMap.data.physics") is False
    assert opened.js(DRAWN) == [len(connected(graph)), graph.number_of_edges()]
    assert opened.errors == [] and opened.blocked == []


def test_compressed_details_are_read_by_the_page(open_map, ds, monkeypatch):
    from clusterkg.graph.map import render as cmap

    monkeypatch.setattr(cmap, "COMPRESS_ABOVE", 0)  # large maps only, normally
    html = cmap.render(ds, size_by="degree")
    assert 'data-encoding="gzip+base64"' in html
    opened = open_map(html)
    assert opened.errors == []
    assert opened.page.text_content("#status") == "27 organisations · 22 links · 22 agreements shown"
    opened.js("() => clusterMap.focusNode('link-j')")
    assert opened.page.locator("#details .agreements-count").text_content() == "Agreements: 14 shown of 14"
