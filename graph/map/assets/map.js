/* clusterkg map: filters, search, legend and details on vis-network's DataSet/DataView.
 * Every text that comes from the records is put into the page with textContent (never innerHTML),
 * and an address becomes a link only when it is http(s). window.clusterMap exposes the state to tests. */
(function () {
  "use strict";

  function readJSON(id) { return JSON.parse(document.getElementById(id).textContent); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function swatch(color, line) {
    var s = el("span", { "class": line ? "swatch line" : "swatch" });
    s.style.background = color;
    return s;
  }
  var SAFE_URL = /^https?:\/\/[^\s\/]+/i;
  var FADED = "#e4e4e4";
  // The same colour when selected or hovered: vis-network would otherwise turn a chosen edge grey.
  function edgeColor(color, opacity) { return { color: color, highlight: color, hover: color, opacity: opacity || 0.75 }; }

  var DATA = readJSON("clusterkg-data");
  var OPTIONS = readJSON("clusterkg-options");
  var NODE_ITEMS = readJSON("clusterkg-nodes");
  var EDGE_ITEMS = readJSON("clusterkg-edges");
  var info = DATA.nodes;
  var agreements = DATA.agreements;
  var typeColor = {};
  DATA.types.forEach(function (t) { typeColor[t.key] = t.color; });
  var typeOrder = DATA.types.map(function (t) { return t.key; });
  agreements.forEach(function (a) {
    a.year = a.date ? parseInt(a.date.slice(0, 4), 10) : null;
    a.sources = a.sources || [];
    a.parties = a.parties || [];
  });

  // Static structure: which edges touch which node, each edge's agreements.
  var edgesOf = {};
  NODE_ITEMS.forEach(function (n) { edgesOf[n.id] = []; });
  EDGE_ITEMS.forEach(function (e) { edgesOf[e.from].push(e); edgesOf[e.to].push(e); });

  var state = {
    types: new Set(typeOrder),
    from: DATA.years ? DATA.years[0] : null,
    to: DATA.years ? DATA.years[1] : null,
    undated: true,
    countries: new Set(NODE_ITEMS.map(function (n) { return info[n.id].country; })),
    hideLonely: false,
    colorBy: DATA.colorBy,
    focus: null,
    pinned: false
  };
  var agreementShown = new Uint8Array(agreements.length);
  var nodeShown = {};
  var edgeShown = {};
  var edgeLook = {};  // edge id -> "count|type" last drawn, to update only what changes
  NODE_ITEMS.forEach(function (n) { nodeShown[n.id] = true; });

  EDGE_ITEMS.forEach(function (e) {
    var counts = {}, best = null;
    e.agreements.forEach(function (i) { counts[agreements[i].type] = (counts[agreements[i].type] || 0) + 1; });
    typeOrder.forEach(function (t) { if (counts[t] && (best === null || counts[t] > counts[best])) { best = t; } });
    e.color = edgeColor(typeColor[best] || DATA.otherColor);
  });
  var nodes = new vis.DataSet(NODE_ITEMS);
  var edges = new vis.DataSet(EDGE_ITEMS);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return nodeShown[n.id] === true; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return edgeShown[e.id] === true; } });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, OPTIONS);
  var api = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    state: state, data: DATA, ready: false, firstDrawMs: null
  };
  window.clusterMap = api;

  // --- filters ------------------------------------------------------------------------------

  function agreementPasses(a) {
    if (!state.types.has(a.type)) { return false; }
    if (a.year === null || a.year === undefined) { return state.undated; }
    return (state.from === null || a.year >= state.from) && (state.to === null || a.year <= state.to);
  }

  function mainType(ids) {
    var counts = {}, best = null;
    ids.forEach(function (i) { if (agreementShown[i]) { counts[agreements[i].type] = (counts[agreements[i].type] || 0) + 1; } });
    typeOrder.forEach(function (t) { if (counts[t] && (best === null || counts[t] > counts[best])) { best = t; } });
    return best;
  }

  function applyFilters() {
    agreements.forEach(function (a, i) { agreementShown[i] = agreementPasses(a) ? 1 : 0; });
    var degree = {}, changes = [];
    NODE_ITEMS.forEach(function (n) { degree[n.id] = 0; });
    EDGE_ITEMS.forEach(function (e) {
      var count = 0;
      if (state.countries.has(info[e.from].country) && state.countries.has(info[e.to].country)) {
        e.agreements.forEach(function (i) { count += agreementShown[i]; });
      }
      edgeShown[e.id] = count > 0;
      if (count > 0) {
        degree[e.from] += 1; degree[e.to] += 1;
        var type = mainType(e.agreements), look = count + "|" + type;
        if (edgeLook[e.id] !== undefined && edgeLook[e.id] !== look) {
          changes.push({ id: e.id, value: count, color: edgeColor(typeColor[type]) });
        }
        edgeLook[e.id] = look;
      }
    });
    NODE_ITEMS.forEach(function (n) {
      nodeShown[n.id] = state.countries.has(info[n.id].country) && (!state.hideLonely || degree[n.id] > 0);
    });
    if (changes.length) { edges.update(changes); }
    nodeView.refresh();
    edgeView.refresh();
    if (state.focus !== null && !nodeShown[state.focus]) { unfocus(); }
    else if (state.focus !== null) { highlight(state.focus); }
    updateStatus();
  }

  function shownAgreementCount() {
    var seen = new Uint8Array(agreements.length), total = 0;
    EDGE_ITEMS.forEach(function (e) {
      if (!edgeShown[e.id]) { return; }
      e.agreements.forEach(function (i) { if (agreementShown[i] && !seen[i]) { seen[i] = 1; total += 1; } });
    });
    return total;
  }

  function updateStatus() {
    var noun = DATA.level === "country" ? "countries" : "organisations";
    document.getElementById("status").textContent =
      nodeView.length + " " + noun + " · " + edgeView.length + " links · " + shownAgreementCount() + " agreements shown";
  }

  function checkbox(container, color, label, count, checked, onChange, line) {
    var row = el("label");
    var box = el("input", { type: "checkbox" });
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    row.appendChild(box);
    if (color) { row.appendChild(swatch(color, line)); }
    row.appendChild(el("span", null, label));
    row.appendChild(el("span", { "class": "count" }, count));
    container.appendChild(row);
    return box;
  }

  function buildFilters() {
    var typesBox = document.getElementById("filter-types");
    DATA.types.forEach(function (t) {
      var box = checkbox(typesBox, t.color, t.label, t.count, true, function (on) {
        if (on) { state.types.add(t.key); } else { state.types.delete(t.key); }
        applyFilters();
      }, true);
      box.value = t.key;
    });

    var from = document.getElementById("year-from"), to = document.getElementById("year-to");
    if (DATA.years) {
      [from, to].forEach(function (input) { input.min = DATA.years[0]; input.max = DATA.years[1]; });
      from.value = DATA.years[0]; to.value = DATA.years[1];
    } else { from.disabled = true; to.disabled = true; }
    function years() {
      var a = parseInt(from.value, 10), b = parseInt(to.value, 10);
      state.from = isNaN(a) ? null : a; state.to = isNaN(b) ? null : b;
      applyFilters();
    }
    from.addEventListener("change", years); to.addEventListener("change", years);
    var undated = document.getElementById("include-undated");
    document.getElementById("undated-count").textContent = DATA.undated;
    undated.addEventListener("change", function () { state.undated = undated.checked; applyFilters(); });

    var countryBox = document.getElementById("filter-countries");
    var byCountry = {};
    NODE_ITEMS.forEach(function (n) { var c = info[n.id].country; byCountry[c] = (byCountry[c] || 0) + 1; });
    var boxes = [];
    Object.keys(byCountry).sort().forEach(function (code) {
      var box = checkbox(countryBox, null, countryLabel(code), byCountry[code], true, function (on) {
        if (on) { state.countries.add(code); } else { state.countries.delete(code); }
        applyFilters();
      });
      box.value = code;
      boxes.push(box);
    });
    function all(on) {
      boxes.forEach(function (box) { box.checked = on; if (on) { state.countries.add(box.value); } else { state.countries.delete(box.value); } });
      applyFilters();
    }
    document.getElementById("countries-all").addEventListener("click", function () { all(true); });
    document.getElementById("countries-none").addEventListener("click", function () { all(false); });
    var lonely = document.getElementById("hide-lonely");
    lonely.addEventListener("change", function () { state.hideLonely = lonely.checked; applyFilters(); });
  }

  // --- colour and legend --------------------------------------------------------------------

  function countryLabel(code) {
    if (!code) { return "(unknown)"; }
    var name = DATA.countryNames[code];
    return name && name !== code ? name + " (" + code + ")" : code;
  }

  function nodeColor(id) {
    var group = info[id][state.colorBy] || "";
    return DATA.palettes[state.colorBy][group] || DATA.otherColor;
  }

  function buildLegend() {
    var list = document.getElementById("legend-colors");
    list.textContent = "";
    DATA.legends[state.colorBy].forEach(function (entry) {
      var li = el("li");
      li.appendChild(swatch(entry.color));
      var label = entry.key === null ? "other (" + entry.groups + ")" : (entry.label || entry.key || "(unknown)");
      li.appendChild(el("span", null, label));
      li.appendChild(el("span", { "class": "count" }, entry.count));
      list.appendChild(li);
    });
    var values = NODE_ITEMS.map(function (n) { return info[n.id].metric; });
    var low = values.length ? Math.min.apply(null, values) : 0, high = values.length ? Math.max.apply(null, values) : 0;
    document.getElementById("legend-size").textContent =
      "Node size: " + DATA.sizeBy + " (" + round(low) + " to " + round(high) + ").";
  }

  function round(x) { return Math.abs(x) >= 100 || x === Math.round(x) ? String(Math.round(x)) : x.toPrecision(3); }

  function recolor() {
    nodes.update(NODE_ITEMS.map(function (n) { return { id: n.id, color: nodeColor(n.id) }; }));
    buildLegend();
    if (state.focus !== null) { highlight(state.focus); }
  }

  // --- highlight partners -------------------------------------------------------------------

  var faded = { nodes: [], edges: [] };
  function clearHighlight() {
    if (faded.nodes.length) {
      nodes.update(faded.nodes.map(function (id) { return { id: id, color: nodeColor(id), font: { color: "#222222" } }; }));
    }
    if (faded.edges.length) {
      edges.update(faded.edges.map(function (id) {
        var e = edges.get(id), type = mainType(e.agreements) || (agreements[e.agreements[0]] || {}).type;
        return { id: id, color: edgeColor(typeColor[type] || DATA.otherColor) };
      }));
    }
    faded = { nodes: [], edges: [] };
  }
  function highlight(id) {
    clearHighlight();
    var keep = {};
    keep[id] = true;
    edgesOf[id].forEach(function (e) { if (edgeShown[e.id]) { keep[e.from] = true; keep[e.to] = true; } });
    NODE_ITEMS.forEach(function (n) { if (!keep[n.id]) { faded.nodes.push(n.id); } });
    EDGE_ITEMS.forEach(function (e) { if (e.from !== id && e.to !== id) { faded.edges.push(e.id); } });
    nodes.update(faded.nodes.map(function (n) { return { id: n, color: FADED, font: { color: "#aaaaaa" } }; }));
    edges.update(faded.edges.map(function (e) { return { id: e, color: edgeColor(FADED, 0.5) }; }));
  }
  function unfocus() {
    state.focus = null;
    clearHighlight();
    network.unselectAll();
    hideCard(true);
  }

  // --- details card -------------------------------------------------------------------------

  var card = document.getElementById("card");
  function sourceItem(src) {
    var li = el("li");
    if (src.url && SAFE_URL.test(src.url)) {
      var a = el("a", { href: src.url, target: "_blank", rel: "noopener noreferrer" }, src.title || src.url);
      li.appendChild(a);
    } else {
      li.appendChild(el("span", null, src.title || "(untitled source)"));
    }
    if (src.publisher) { li.appendChild(document.createTextNode(" (" + src.publisher + ")")); }
    return li;
  }
  function partyName(id) {
    if (info[id] && DATA.level !== "country") { return info[id].name; }
    return DATA.partyNames[id] || id;
  }
  function agreementItem(i, exclude) {
    var a = agreements[i];
    var li = el("li", { "class": agreementShown[i] ? "shown" : "filtered" });
    var badge = el("span", { "class": "badge" }, (DATA.types.filter(function (t) { return t.key === a.type; })[0] || { label: a.type }).label);
    badge.style.background = typeColor[a.type] || DATA.otherColor;
    li.appendChild(badge);
    li.appendChild(el("b", null, a.date || "undated"));
    li.appendChild(document.createTextNode(" " + (a.title || a.id)));
    var partners = a.parties.filter(function (p) { return exclude.indexOf(p) < 0; }).map(partyName);
    if (partners.length) { li.appendChild(el("div", null, "with " + partners.join(", "))); }
    if (a.sources.length) {
      var list = el("ul", { "class": "sources" });
      a.sources.forEach(function (src) { list.appendChild(sourceItem(src)); });
      li.appendChild(list);
    }
    return li;
  }
  function agreementList(ids, exclude) {
    var wrap = el("div");
    var sorted = ids.slice().sort(function (x, y) {
      return (agreementShown[y] - agreementShown[x]) || String(agreements[y].date || "").localeCompare(String(agreements[x].date || ""));
    });
    var shown = sorted.filter(function (i) { return agreementShown[i]; }).length;
    wrap.appendChild(el("h4", null, "Agreements: " + shown + " shown of " + ids.length));
    var list = el("ul", { "class": "agreements" });
    var limit = 40;
    sorted.slice(0, limit).forEach(function (i) { list.appendChild(agreementItem(i, exclude)); });
    wrap.appendChild(list);
    if (sorted.length > limit) { wrap.appendChild(el("p", { "class": "note" }, "and " + (sorted.length - limit) + " more")); }
    return wrap;
  }
  function nodeCard(id) {
    var n = info[id], box = el("div");
    box.appendChild(el("h3", null, n.name));
    Object.keys(n.names || {}).sort().forEach(function (lang) {
      box.appendChild(el("div", { "class": "other-name", lang: lang }, n.names[lang]));
    });
    if (n.aliases && n.aliases.length) { box.appendChild(el("div", { "class": "note" }, "also: " + n.aliases.join(", "))); }
    var dl = el("dl");
    function row(term, value) { if (value !== null && value !== undefined && value !== "") { dl.appendChild(el("dt", null, term)); dl.appendChild(el("dd", null, value)); } }
    row("Kind", n.kind);
    row("Country", countryLabel(n.country));
    row("Region", n.region);
    if (n.organizations !== null && n.organizations !== undefined) { row("Organisations", n.organizations); }
    if (n.domestic !== null && n.domestic !== undefined) { row("Domestic agreements", n.domestic); }
    row(DATA.sizeBy, round(n.metric));
    var partners = edgesOf[id].filter(function (e) { return edgeShown[e.id]; }).length;
    row("Partners shown", partners + " of " + edgesOf[id].length);
    box.appendChild(dl);
    var ids = [], seen = {};
    edgesOf[id].forEach(function (e) { e.agreements.forEach(function (i) { if (!seen[i]) { seen[i] = true; ids.push(i); } }); });
    box.appendChild(agreementList(ids, DATA.level === "country" ? [] : [id]));
    return box;
  }
  function edgeCard(edgeId) {
    var e = edges.get(edgeId), box = el("div");
    box.appendChild(el("h3", null, info[e.from].name + " – " + info[e.to].name));
    box.appendChild(agreementList(e.agreements, DATA.level === "country" ? [] : [e.from, e.to]));
    return box;
  }
  function showCard(content, point, pinned) {
    card.textContent = "";
    if (pinned) {
      var close = el("button", { type: "button", "class": "close", "aria-label": "close" }, "×");
      close.addEventListener("click", function () { unfocus(); });
      card.appendChild(close);
    }
    card.appendChild(content);
    card.hidden = false;
    state.pinned = !!pinned;
    var panel = document.getElementById("panel").offsetWidth;
    var x = point ? point.x : container.clientWidth / 2, y = point ? point.y : container.clientHeight / 2;
    var left = Math.min(panel + x + 14, panel + container.clientWidth - card.offsetWidth - 8);
    var top = Math.min(y + 14, container.clientHeight - card.offsetHeight - 8);
    card.style.left = Math.max(panel + 4, left) + "px";
    card.style.top = Math.max(4, top) + "px";
  }
  function hideCard(force) {
    if (state.pinned && !force) { return; }
    card.hidden = true;
    state.pinned = false;
  }

  network.on("hoverNode", function (p) { if (!state.pinned) { showCard(nodeCard(p.node), p.pointer.DOM, false); } });
  network.on("blurNode", function () { hideCard(false); });
  network.on("hoverEdge", function (p) { if (!state.pinned) { showCard(edgeCard(p.edge), p.pointer.DOM, false); } });
  network.on("blurEdge", function () { hideCard(false); });
  // vis-network sends no blur event when the pointer leaves the canvas straight from a node.
  container.addEventListener("mouseleave", function () { hideCard(false); });
  network.on("click", function (p) {
    if (p.nodes.length) { focusNode(p.nodes[0], p.pointer.DOM, false); }
    else if (p.edges.length) { clearHighlight(); state.focus = null; showCard(edgeCard(p.edges[0]), p.pointer.DOM, true); }
    else { unfocus(); }
  });

  function focusNode(id, point, move) {
    state.focus = id;
    network.selectNodes([id]);
    highlight(id);
    if (move) { network.focus(id, { scale: 1.2, animation: { duration: 300, easingFunction: "easeInOutQuad" } }); }
    showCard(nodeCard(id), point, true);
  }

  // --- search -------------------------------------------------------------------------------

  function fold(text) { return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim(); }
  var searchIndex = NODE_ITEMS.map(function (n) {
    var i = info[n.id];
    var names = [i.name, n.id].concat(i.aliases || [], Object.keys(i.names || {}).map(function (k) { return i.names[k]; }));
    return { id: n.id, names: names.map(fold) };
  });
  function search(query) {
    var q = fold(query), result = document.getElementById("search-result");
    if (!q) { result.textContent = ""; return null; }
    var tests = [
      function (name) { return name === q; },
      function (name) { return name.indexOf(q) === 0; },
      function (name) { return name.indexOf(q) >= 0; }
    ];
    var found = null, hidden = null;
    for (var t = 0; t < tests.length && found === null; t++) {
      for (var k = 0; k < searchIndex.length; k++) {
        if (searchIndex[k].names.some(tests[t])) {
          if (nodeShown[searchIndex[k].id]) { found = searchIndex[k].id; break; }
          if (hidden === null) { hidden = searchIndex[k].id; }
        }
      }
    }
    if (found === null) {
      result.textContent = hidden !== null ? info[hidden].name + " is hidden by the filters" : "Nothing matches \u201c" + query + "\u201d";
      return null;
    }
    result.textContent = "Found: " + info[found].name;
    focusNode(found, null, true);
    return found;
  }
  api.search = search;
  api.applyFilters = applyFilters;
  api.focusNode = function (id) { focusNode(id, null, true); };

  function buildSearch() {
    var input = document.getElementById("search"), list = document.getElementById("search-names");
    var fragment = document.createDocumentFragment();
    NODE_ITEMS.forEach(function (n) { var option = el("option"); option.value = info[n.id].name; fragment.appendChild(option); });
    list.appendChild(fragment);
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") { search(input.value); } });
    input.addEventListener("change", function () { search(input.value); });
    document.getElementById("search-go").addEventListener("click", function () { search(input.value); });
  }

  // --- start --------------------------------------------------------------------------------

  document.querySelectorAll("input[name=color-by]").forEach(function (radio) {
    radio.addEventListener("change", function () { if (radio.checked) { state.colorBy = radio.value; recolor(); } });
  });
  buildFilters();
  buildLegend();
  buildSearch();
  applyFilters();
  function settled() { api.settled = true; document.body.setAttribute("data-settled", "1"); }
  if (DATA.physics) {
    // Once settled the drawing stays put, so filtering does not shake it.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      settled();
    });
  } else { settled(); }
  network.once("afterDrawing", function () {
    api.ready = true;
    api.firstDrawMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  });
})();
