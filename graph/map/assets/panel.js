/* clusterkg map, part 2 of 4: legend, highlight, the details panel beside the graph, search, hover. */

function round(x) { return Math.abs(x) >= 100 || x === Math.round(x) ? String(Math.round(x)) : x.toPrecision(3); }

function buildLegend() {
  var list = document.getElementById("legend-colors");
  list.textContent = "";
  var counts = {};
  NODE_ITEMS.forEach(function (n) { var g = info[n.id][state.colorBy] || ""; counts[g] = (counts[g] || 0) + 1; });
  // Countries without a colour of their own share the neutral grey: one row names them all.
  var neutral = [], neutralCount = 0;
  Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); }).forEach(function (key) {
    var colour = DATA.palettes[state.colorBy][key] || DATA.otherColor;
    if (state.colorBy === "country" && colour === DATA.otherColor) { neutral.push(countryLabel(key)); neutralCount += counts[key]; return; }
    var li = el("li"), dot = el("span", { "class": "swatch" });
    dot.style.background = colour;
    li.appendChild(dot);
    var label = state.colorBy === "country" ? countryLabel(key) : (DATA.kindNames[key] || key || "(unknown)");
    li.appendChild(el("span", null, label));
    li.appendChild(el("span", { "class": "count" }, counts[key]));
    list.appendChild(li);
  });
  if (neutral.length) {
    var li = el("li", { "class": "neutral" }), dot = el("span", { "class": "swatch" });
    dot.style.background = DATA.otherColor;
    li.appendChild(dot);
    li.appendChild(el("span", null, (neutral.length === 1 ? "" : "grey: ") + neutral.join(", ")));
    li.appendChild(el("span", { "class": "count" }, neutralCount));
    list.appendChild(li);
  }
  var lines = document.getElementById("legend-lines");
  lines.textContent = "";
  DATA.types.forEach(function (t) {
    var li = el("li");
    li.appendChild(lineSample(t.line));
    li.appendChild(el("span", null, t.name));
    lines.appendChild(li);
  });
  if (STRUCTURE.length) {
    li = el("li");
    li.appendChild(lineSample([], STRUCTURE_STYLE.color.color, true));
    li.appendChild(el("span", null, "parent or membership (not an agreement)"));
    lines.appendChild(li);
  }
  var values = NODE_ITEMS.map(function (n) { return info[n.id].metric || 0; });
  var low = values.length ? Math.min.apply(null, values) : 0, high = values.length ? Math.max.apply(null, values) : 0;
  document.getElementById("legend-size").textContent =
    "Node size: " + DATA.sizeBy + " (" + round(low) + " to " + round(high) + "). Line width: agreements shown.";
}

function recolor() {
  nodes.update(NODE_ITEMS.map(function (n) { return { id: n.id, color: nodeColor(n.id) }; }));
  buildLegend();
  if (state.focus !== null) { highlight(state.focus); }
  writeFragment();
}

// --- highlight partners -------------------------------------------------------------------------

var faded = { nodes: [], edges: [] };
function clearHighlight() {
  if (faded.nodes.length) {
    nodes.update(faded.nodes.map(function (id) { return { id: id, color: nodeColor(id), font: { color: "#222222" } }; }));
  }
  if (faded.edges.length) { edges.update(faded.edges.map(function (id) { return { id: id, color: null }; })); }
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
  edges.update(faded.edges.map(function (e) { return { id: e, color: { color: FADED, highlight: FADED, hover: FADED, opacity: 0.5 } }; }));
}
function unfocus() {
  state.focus = null;
  clearHighlight();
  network.unselectAll();
  closeDetails();
}

// --- the details panel --------------------------------------------------------------------------

var details = document.getElementById("details"), detailsBody = document.getElementById("details-body");

function partyName(id) {
  // A node's short label; a former name as it was when signed; else the name the records give.
  if (DATA.level !== "country" && info[id]) { return labelOf[id]; }
  return partyNames[id] || id;
}
function typeLabel(type) { return (typeInfo[type] || { label: type }).label; }

function sourceItem(src, number) {
  var li = el("li", { value: String(number) });
  if (src.url && SAFE_URL.test(src.url)) {
    li.appendChild(el("a", { href: src.url, target: "_blank", rel: "noopener noreferrer" }, src.title || src.url));
  } else {
    li.appendChild(el("span", null, src.title || "(untitled source)"));
  }
  if (src.publisher) { li.appendChild(document.createTextNode(" (" + src.publisher + ")")); }
  return li;
}

function agreementItem(i, cited) {
  var a = agreements[i];
  var li = el("li", { "class": agreementShown[i] ? "shown" : "filtered" });
  var head = el("div", { "class": "agreement-head" });
  var badge = el("span", { "class": "badge" }, typeLabel(a.type));
  badge.style.background = (typeInfo[a.type] || {}).colour || DATA.otherColor;
  head.appendChild(badge);
  head.appendChild(el("span", { "class": "parties" }, a.parties.map(partyName).join(" – ")));
  head.appendChild(el("span", { "class": "date" }, a.date || "undated"));
  li.appendChild(head);
  if (a.title) { li.appendChild(el("div", { "class": "title" }, a.title)); }
  var facts = [];
  if (a.sig && a.sig.length) {
    facts.push("Signed by " + a.sig.map(function (s) {
      return (s.name || "?") + (s.title ? ", " + s.title : "") + (s["for"] ? " (for " + partyName(s["for"]) + ")" : "");
    }).join("; "));
  }
  if (a.term) { facts.push("Term " + a.term.replace(/^P/, "").replace("Y", " years").replace("M", " months")); }
  if (a.end) { facts.push("ends " + a.end); }
  if (a.status) { facts.push(a.status); }
  facts.forEach(function (f) { li.appendChild(el("div", { "class": "fact" }, f)); });
  if (a.src && a.src.length) {
    li.appendChild(el("div", { "class": "cites" }, "Sources " + a.src.map(function (s) {
      if (cited.index[s] === undefined) { cited.index[s] = cited.list.length + 1; cited.list.push(s); }
      return "[" + cited.index[s] + "]";
    }).join(" ")));
  }
  return li;
}

function agreementList(ids, box) {
  var sorted = ids.slice().sort(function (x, y) {
    return (agreementShown[y] - agreementShown[x]) || String(agreements[y].date || "").localeCompare(String(agreements[x].date || ""));
  });
  var shown = sorted.filter(function (i) { return agreementShown[i]; }).length;
  box.appendChild(el("h4", { "class": "agreements-count" }, "Agreements: " + shown + " shown of " + ids.length));
  var list = el("ul", { "class": "agreements" }), cited = { index: {}, list: [] }, limit = 40;
  sorted.slice(0, limit).forEach(function (i) { list.appendChild(agreementItem(i, cited)); });
  box.appendChild(list);
  if (sorted.length > limit) { box.appendChild(el("p", { "class": "note" }, "and " + (sorted.length - limit) + " more")); }
  if (cited.list.length) {
    box.appendChild(el("h4", null, "Sources"));
    var ol = el("ol", { "class": "sources" });
    cited.list.forEach(function (s, k) { ol.appendChild(sourceItem(sources[s], k + 1)); });
    box.appendChild(ol);
  }
}

function nodeDetails(id, box) {
  var n = info[id];
  box.appendChild(el("h3", null, n.name));
  if (!nodeShown[id]) { box.appendChild(el("p", { "class": "note hidden-note" }, "Not on the map with the current filters.")); }
  if (n.former && n.former.length) {
    box.appendChild(el("div", { "class": "former" }, "formerly " + n.former.map(function (f) {
      return f.name + (f.until ? " (until " + f.until + ")" : "");
    }).join("; ")));
  }
  Object.keys(n.names || {}).sort().forEach(function (lang) {
    box.appendChild(el("div", { "class": "other-name", lang: lang }, n.names[lang]));
  });
  if (n.aliases && n.aliases.length) { box.appendChild(el("div", { "class": "note" }, "also: " + n.aliases.join(", "))); }
  var dl = el("dl");
  function row(term, value) { if (value !== null && value !== undefined && value !== "") { dl.appendChild(el("dt", null, term)); dl.appendChild(el("dd", null, value)); } }
  row("Kind", DATA.kindNames[n.kind] || n.kind);
  row("Country", countryLabel(n.country));
  row("Region", n.region);
  if (n.parent) { row("Part of", info[memberOf[n.parent] || n.parent] ? info[memberOf[n.parent] || n.parent].name : partyNames[n.parent] || n.parent); }
  if (n.memberOf && n.memberOf.length) {
    row("Member of", n.memberOf.map(function (m) { var t = memberOf[m] || m; return info[t] ? info[t].name : partyNames[m] || m; }).join(", "));
  }
  row("Organisations", n.organizations);
  if (n.domestic) { row("Within the country", n.domestic + " agreements (not drawn as ties)"); }
  row(DATA.sizeBy, round(n.metric || 0));
  var partners = edgesOf[id].filter(function (e) { return edgeShown[e.id]; }).length;
  row("Partners shown", partners + " of " + edgesOf[id].length);
  box.appendChild(dl);
  var ids = [], seen = {};
  edgesOf[id].forEach(function (e) { ties[e.id].forEach(function (i) { if (!seen[i]) { seen[i] = true; ids.push(i); } }); });
  agreementList(ids, box);
}

function edgeDetails(edgeId, box) {
  var e = EDGE_ITEMS[edgeId];
  box.appendChild(el("h3", null, info[e.from].name + " – " + info[e.to].name));
  agreementList(ties[e.id], box);
}

function refreshDetails() {
  if (!state.detail) { return; }
  var box = el("div");
  if (state.detail.kind === "node") { nodeDetails(state.detail.id, box); } else { edgeDetails(state.detail.id, box); }
  detailsBody.textContent = "";
  detailsBody.appendChild(box);
}
function openDetails(kind, id) {
  state.detail = { kind: kind, id: id };
  details.hidden = false;
  refreshDetails();
  network.redraw();
}
function closeDetails() {
  if (details.hidden && !state.detail) { return; }
  state.detail = null;
  details.hidden = true;
  detailsBody.textContent = "";
  writeFragment();
}

function focusNode(id, move) {
  if (!info[id]) { return; }
  state.focus = id;
  if (!nodeShown[id]) { clearHighlight(); network.unselectAll(); openDetails("node", id); writeFragment(); return; }
  network.selectNodes([id]);
  highlight(id);
  if (move) { network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 300, easingFunction: "easeInOutQuad" } }); }
  openDetails("node", id);
  writeFragment();
}

var tip = document.getElementById("tip");
function showTip(text, point) {
  tip.textContent = text;
  tip.hidden = false;
  tip.style.left = Math.min(point.x + 12, container.clientWidth - tip.offsetWidth - 4) + "px";
  tip.style.top = Math.max(4, point.y - tip.offsetHeight - 10) + "px";
}
function hideTip() { tip.hidden = true; }

function bindNetwork() {
  network.on("hoverNode", function (p) {
    var n = info[p.node];
    showTip(n.name + (n.country ? " · " + countryLabel(n.country) : ""), p.pointer.DOM);
  });
  network.on("blurNode", hideTip);
  network.on("hoverEdge", function (p) {
    var e = EDGE_ITEMS[p.edge];
    if (!e) { var s = STRUCTURE[parseInt(String(p.edge).slice(1), 10)]; if (s) { showTip(info[s.from].name + (s.structure === "parent" ? " is part of " : " is a member of ") + info[s.to].name, p.pointer.DOM); } return; }
    var ids = ties[e.id].filter(function (i) { return agreementShown[i]; });
    showTip(labelOf[e.from] + " – " + labelOf[e.to] + ": " + ids.length + " agreement" + (ids.length === 1 ? "" : "s"), p.pointer.DOM);
  });
  network.on("blurEdge", hideTip);
  container.addEventListener("mouseleave", hideTip);
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) { focusNode(p.nodes[0], false); }
    else if (p.edges.length && EDGE_ITEMS[p.edges[0]]) { clearHighlight(); state.focus = null; openDetails("edge", p.edges[0]); writeFragment(); }
    else { unfocus(); }
  });
  document.getElementById("details-close").addEventListener("click", unfocus);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { unfocus(); } });
}

// --- search -------------------------------------------------------------------------------------

function fold(text) { return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim(); }
var searchIndex = null;
function search(query) {
  var q = fold(query), result = document.getElementById("search-result");
  if (!q) { result.textContent = ""; return null; }
  if (searchIndex === null) {
    searchIndex = NODE_ITEMS.map(function (n) {
      var i = info[n.id];
      var names = [i.name, n.id, labelOf[n.id]].concat(i.aliases || [], (i.former || []).map(function (f) { return f.name; }),
        Object.keys(i.names || {}).map(function (k) { return i.names[k]; }));
      return { id: n.id, names: names.map(fold) };
    });
  }
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
  focusNode(found, true);
  return found;
}

function buildSearch() {
  var input = document.getElementById("search"), list = document.getElementById("search-names");
  var fragment = document.createDocumentFragment();
  NODE_ITEMS.forEach(function (n) { var option = el("option"); option.value = info[n.id].name; fragment.appendChild(option); });
  list.appendChild(fragment);
  input.addEventListener("keydown", function (event) { if (event.key === "Enter") { search(input.value); } });
  input.addEventListener("change", function () { search(input.value); });
  document.getElementById("search-go").addEventListener("click", function () { search(input.value); });
}
