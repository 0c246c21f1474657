/* clusterkg map, part 1 of 4 (core.js, panel.js, layout.js, share.js, inlined as one script in one scope):
 * the data, the network, and the filters (types, signing years, "in force on", countries).
 * Every text that comes from the records reaches the page through textContent (never innerHTML);
 * an address becomes a link only when it is http(s). window.clusterMap exposes the state to tests. */

function readJSON(id) { return JSON.parse(document.getElementById(id).textContent); }
function el(tag, attrs, text) {
  var node = document.createElement(tag);
  if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  return node;
}
var SAFE_URL = /^https?:\/\/[^\s\/]+/i;
var FADED = "#e4e4e4";
var STRUCTURE_STYLE = { color: { color: "#8b5cf6", highlight: "#6d28d9", hover: "#6d28d9", opacity: 0.9 },
  arrows: { to: { enabled: true, scaleFactor: 0.5 } }, smooth: { enabled: true, type: "curvedCW", roundness: 0.25 },
  width: 1, dashes: false };

var DATA = readJSON("clusterkg-data");
var OPTIONS = readJSON("clusterkg-options");
var NODE_ITEMS = readJSON("clusterkg-nodes");
var EDGE_ITEMS = readJSON("clusterkg-edges");
var info = DATA.nodes;
var typeInfo = {}, typeOrder = DATA.types.map(function (t) { typeInfo[t.key] = t; return t.key; });
var agreements = [], sources = [], ties = [], partyNames = {};  // the details block, read after drawing

// Static structure: which edges touch which node, and nodes with no agreement at all.
var edgesOf = {}, labelOf = {}, memberOf = {};
NODE_ITEMS.forEach(function (n) {
  edgesOf[n.id] = []; labelOf[n.id] = n.label.split("\n")[0];
  (info[n.id].members || []).forEach(function (m) { memberOf[m] = n.id; });
});
EDGE_ITEMS.forEach(function (e) { edgesOf[e.from].push(e); edgesOf[e.to].push(e); });
function isolated(id) { return edgesOf[id].length === 0; }

var state = {
  types: new Set(typeOrder),
  from: DATA.years ? DATA.years[0] : null,
  to: DATA.years ? DATA.years[1] : null,
  undated: true,
  live: null,        // "YYYY-MM": only agreements in force on that month's last day
  open: DATA.openEnded || "include",  // agreements with no end or term: include, exclude, assume:P5Y
  countries: new Set(NODE_ITEMS.map(function (n) { return info[n.id].country; })),
  lonely: false,     // show organisations without a shown agreement
  structure: false,  // parent and membership ties
  colorBy: DATA.colorBy,
  focus: null,
  detail: null       // {kind: "node" | "edge", id}
};
var initial = readFragment();
if (initial.k === "country" || initial.k === "kind") { state.colorBy = initial.k; }

function nodeColor(id) {
  var group = info[id][state.colorBy] || "";
  return DATA.palettes[state.colorBy][group] || DATA.otherColor;
}
NODE_ITEMS.forEach(function (n) { n.color = nodeColor(n.id); });

var agreementShown = new Uint8Array(0);
var nodeShown = {}, edgeShown = {}, edgeDashes = {};
NODE_ITEMS.forEach(function (n) { nodeShown[n.id] = !isolated(n.id); });
EDGE_ITEMS.forEach(function (e) { edgeShown[e.id] = true; edgeDashes[e.id] = JSON.stringify(e.dashes || false) + "|" + e.value; });

var nodes = new vis.DataSet(NODE_ITEMS);
var edges = new vis.DataSet(EDGE_ITEMS);
var nodeView = new vis.DataView(nodes, { filter: function (n) { return nodeShown[n.id] === true; } });
var edgeView = new vis.DataView(edges, { filter: function (e) { return edgeShown[e.id] === true; } });
var container = document.getElementById("graph");
// Sizes (node and label) grow with the square root of the measure: a hub stands out without dwarfing
// the rest, and the labels of mid-sized organisations stay legible at the first zoom.
OPTIONS.nodes.scaling.customScalingFunction = function (min, max, total, value) {
  return max === min ? 0.5 : Math.sqrt(Math.max(0, (value - min) / (max - min)));
};
var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, OPTIONS);
var api = {
  network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state,
  data: DATA, ready: false, firstDrawMs: null, panelMs: null
};
window.clusterMap = api;

// --- filters ----------------------------------------------------------------------------------

function lastDay(month) {  // "2020-06" -> "2020-06-30"
  var y = parseInt(month.slice(0, 4), 10), m = parseInt(month.slice(5, 7), 10);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
var TERM = /^assume:P(?:(\d+)Y)?(?:(\d+)M)?$/;
function termEnd(day, rule) {  // the last day of an assumed term ("assume:P5Y") counted from `day`
  var t = TERM.exec(rule) || [], years = parseInt(t[1] || "0", 10), monthsMore = parseInt(t[2] || "0", 10);
  var y = parseInt(day.slice(0, 4), 10), m = parseInt(day.slice(5, 7), 10), d = parseInt(day.slice(8, 10), 10);
  return new Date(Date.UTC(y + years, m - 1 + monthsMore, d - 1)).toISOString().slice(0, 10);
}

function inForce(a, day) {
  var live = a.live;
  if (!live || live[0] > day) { return false; }
  var last = live[1];
  if (last === null || last === undefined) {
    if (state.open === "exclude") { return false; }
    if (TERM.test(state.open)) { last = termEnd(live[2] || live[0], state.open); }
  }
  return !last || last >= day;
}

function agreementPasses(a) {
  if (!state.types.has(a.type)) { return false; }
  if (a.year === null) { return state.undated && state.live === null; }
  if ((state.from !== null && a.year < state.from) || (state.to !== null && a.year > state.to)) { return false; }
  return state.live === null || inForce(a, lastDay(state.live));
}

function mainType(ids) {
  var counts = {}, best = null;
  ids.forEach(function (i) { if (agreementShown[i]) { counts[agreements[i].type] = (counts[agreements[i].type] || 0) + 1; } });
  typeOrder.forEach(function (t) { if (counts[t] && (best === null || counts[t] > counts[best])) { best = t; } });
  return best;
}

var placedStrip = false;
function placeStrip() {
  // Organisations with no agreement at all go in a strip of their own under the drawing.
  var alone = NODE_ITEMS.filter(function (n) { return isolated(n.id); });
  if (placedStrip || !alone.length || !DATA.physics) { placedStrip = true; return; }
  var placed = nodes.get({ filter: function (n) { return !isolated(n.id) && typeof n.x === "number"; } });
  var left = Infinity, right = -Infinity, bottom = 0;
  placed.forEach(function (n) { left = Math.min(left, n.x); right = Math.max(right, n.x); bottom = Math.max(bottom, n.y); });
  if (!placed.length) { left = 0; right = 600; }
  var columns = Math.max(1, Math.floor((right - left) / 170) + 1);
  nodes.update(alone.map(function (n, i) {
    return { id: n.id, x: left + (i % columns) * 170, y: bottom + 120 + Math.floor(i / columns) * 60 };
  }));
  placedStrip = true;
}

function keepPositions() {
  // A node hidden by a filter leaves the network; its item keeps where it was, so it comes back there.
  var pos = network.getPositions();
  nodes.update(Object.keys(pos).map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
}
network.on("dragEnd", function (p) { if (p.nodes.length) { keepPositions(); } });

function applyFilters() {
  agreements.forEach(function (a, i) { agreementShown[i] = agreementPasses(a) ? 1 : 0; });
  var degree = {}, changes = [];
  NODE_ITEMS.forEach(function (n) { degree[n.id] = 0; });
  EDGE_ITEMS.forEach(function (e) {
    var count = 0;
    if (state.countries.has(info[e.from].country) && state.countries.has(info[e.to].country)) {
      ties[e.id].forEach(function (i) { count += agreementShown[i]; });
    }
    edgeShown[e.id] = count > 0;
    if (count > 0) {
      degree[e.from] += 1; degree[e.to] += 1;
      var type = mainType(ties[e.id]), dashes = type && typeInfo[type].line.length ? typeInfo[type].line : false;
      var key = JSON.stringify(dashes) + "|" + count;
      if (edgeDashes[e.id] !== key) { changes.push({ id: e.id, dashes: dashes, value: count }); edgeDashes[e.id] = key; }
    }
  });
  if (state.lonely) { placeStrip(); }
  NODE_ITEMS.forEach(function (n) {
    nodeShown[n.id] = state.countries.has(info[n.id].country) && (state.lonely || degree[n.id] > 0);
  });
  STRUCTURE.forEach(function (s) { edgeShown[s.id] = state.structure && nodeShown[s.from] && nodeShown[s.to]; });
  if (changes.length) { edges.update(changes); }
  nodeView.refresh();
  edgeView.refresh();
  if (state.focus !== null && !nodeShown[state.focus]) { clearHighlight(); network.unselectAll(); }
  else if (state.focus !== null) { highlight(state.focus); }
  updateStatus();
  refreshDetails();
  writeFragment();
}

function shownAgreements() {
  var seen = new Uint8Array(agreements.length), list = [];
  EDGE_ITEMS.forEach(function (e) {
    if (!edgeShown[e.id]) { return; }
    ties[e.id].forEach(function (i) { if (agreementShown[i] && !seen[i]) { seen[i] = 1; list.push(i); } });
  });
  return list.sort(function (a, b) { return a - b; });
}

function updateStatus() {
  var noun = DATA.level === "country" ? "countries" : "organisations";
  var hidden = 0;
  NODE_ITEMS.forEach(function (n) { if (!nodeShown[n.id] && state.countries.has(info[n.id].country)) { hidden += 1; } });
  var links = 0;
  EDGE_ITEMS.forEach(function (e) { links += edgeShown[e.id] ? 1 : 0; });
  document.getElementById("status").textContent =
    (nodeView.length) + " " + noun + " · " + links + " links · " + shownAgreements().length + " agreements shown";
  document.getElementById("status-hidden").textContent = hidden ?
    hidden + " " + noun + " without a shown agreement are hidden" : "";
}

function checkbox(box, mark, label, count, checked, onChange) {
  var row = el("label");
  var input = el("input", { type: "checkbox" });
  input.checked = checked;
  input.addEventListener("change", function () { onChange(input.checked); });
  row.appendChild(input);
  if (mark) { row.appendChild(mark); }
  row.appendChild(el("span", null, label));
  if (count !== null) { row.appendChild(el("span", { "class": "count" }, count)); }
  box.appendChild(row);
  return input;
}

function lineSample(dashes, color, arrow) {
  // A short line drawn as the map draws it: solid, or the type's dash pattern.
  // The page draws dash patterns in screen pixels at every zoom (layout.js), so the sample is the line.
  var canvas = el("canvas", { width: "36", height: "10", "class": "line-sample", "aria-hidden": "true" });
  var ctx = canvas.getContext("2d");
  ctx.strokeStyle = color || "#4b5563"; ctx.lineWidth = 2;
  ctx.setLineDash(dashes && dashes.length ? dashes : []);
  ctx.beginPath(); ctx.moveTo(1, 5); ctx.lineTo(arrow ? 30 : 35, 5); ctx.stroke();
  if (arrow) { ctx.setLineDash([]); ctx.fillStyle = color; ctx.beginPath(); ctx.moveTo(35, 5); ctx.lineTo(29, 1); ctx.lineTo(29, 9); ctx.fill(); }
  return canvas;
}

var countryBoxes = [], typeBoxes = {};
function buildFilters() {
  var typesBox = document.getElementById("filter-types");
  DATA.types.forEach(function (t) {
    typeBoxes[t.key] = checkbox(typesBox, lineSample(t.line), t.label, t.count, true, function (on) {
      if (on) { state.types.add(t.key); } else { state.types.delete(t.key); }
      applyFilters();
    });
    typeBoxes[t.key].value = t.key;
    typeBoxes[t.key].parentNode.title = t.name;
  });
  var countryBox = document.getElementById("filter-countries");
  var byCountry = {};
  NODE_ITEMS.forEach(function (n) { var c = info[n.id].country; byCountry[c] = (byCountry[c] || 0) + 1; });
  // Most frequent first (the colours of their own come first too); the ISO code, the name on hover.
  Object.keys(byCountry).sort(function (a, b) { return byCountry[b] - byCountry[a] || (a < b ? -1 : 1); }).forEach(function (code) {
    var dot = el("span", { "class": "swatch" });
    dot.style.background = DATA.palettes.country[code] || DATA.otherColor;
    var box = checkbox(countryBox, dot, code || "?", byCountry[code], true, function (on) {
      if (on) { state.countries.add(code); } else { state.countries.delete(code); }
      applyFilters();
    });
    box.value = code;
    box.parentNode.title = countryLabel(code);
    countryBoxes.push(box);
  });
  function all(on) {
    countryBoxes.forEach(function (box) { box.checked = on; if (on) { state.countries.add(box.value); } else { state.countries.delete(box.value); } });
    applyFilters();
  }
  document.getElementById("countries-all").addEventListener("click", function () { all(true); });
  document.getElementById("countries-none").addEventListener("click", function () { all(false); });
  var lonely = document.getElementById("show-lonely");
  var alone = NODE_ITEMS.filter(function (n) { return isolated(n.id); }).length;
  document.getElementById("lonely-count").textContent = alone;
  lonely.addEventListener("change", function () { state.lonely = lonely.checked; applyFilters(); });
  var structure = document.getElementById("show-structure");
  document.getElementById("structure-count").textContent = STRUCTURE.length;
  structure.disabled = STRUCTURE.length === 0;
  structure.addEventListener("change", function () { state.structure = structure.checked; applyFilters(); });
}

function countryLabel(code) {
  if (!code) { return "(unknown)"; }
  var name = DATA.countryNames[code];
  return name && name !== code ? name + " (" + code + ")" : code;
}

// Parent and membership ties: a layer of their own, drawn curved with an arrow, never counted as agreements.
var STRUCTURE = DATA.structure.map(function (s, i) {
  var item = { id: "s" + i, from: s[0], to: s[1], structure: s[2] };
  Object.keys(STRUCTURE_STYLE).forEach(function (k) { item[k] = STRUCTURE_STYLE[k]; });
  edgeShown[item.id] = false;
  return item;
});
if (STRUCTURE.length) { edges.add(STRUCTURE); }
