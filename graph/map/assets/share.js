/* clusterkg map, part 4 of 4: time sliders and play, zoom buttons, PNG and CSV export, the link that
 * reopens the view (its state in the URL fragment, so it works offline), and start-up. */

// --- time ---------------------------------------------------------------------------------------

var months = [];
function buildTime() {
  var from = document.getElementById("year-from"), to = document.getElementById("year-to");
  var label = document.getElementById("year-label");
  function showYears() { label.textContent = state.from === null ? "no dated agreements" : state.from + " – " + state.to; }
  if (DATA.years) {
    [from, to].forEach(function (input) { input.min = DATA.years[0]; input.max = DATA.years[1]; input.step = 1; });
    from.value = state.from; to.value = state.to;
  } else { from.disabled = true; to.disabled = true; }
  function years(event) {
    var a = parseInt(from.value, 10), b = parseInt(to.value, 10);
    if (a > b) { if (event && event.target === from) { to.value = a; b = a; } else { from.value = b; a = b; } }
    state.from = a; state.to = b;
    showYears();
    applyFilters();
  }
  from.addEventListener("input", years); to.addEventListener("input", years);
  showYears();
  var undated = document.getElementById("include-undated");
  document.getElementById("undated-count").textContent = DATA.undated;
  undated.addEventListener("change", function () { state.undated = undated.checked; applyFilters(); });

  if (DATA.months) {
    var y = parseInt(DATA.months[0].slice(0, 4), 10), m = parseInt(DATA.months[0].slice(5, 7), 10);
    while (true) {
      var month = y + "-" + (m < 10 ? "0" : "") + m;
      months.push(month);
      if (month >= DATA.months[1]) { break; }
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
  }
  var enabled = document.getElementById("live-enabled"), slider = document.getElementById("live-on");
  slider.min = 0; slider.max = Math.max(0, months.length - 1); slider.step = 1; slider.value = slider.max;
  enabled.disabled = slider.disabled = months.length === 0;
  enabled.addEventListener("change", function () { setLive(enabled.checked ? months[parseInt(slider.value, 10)] : null); });
  slider.addEventListener("input", function () { setLive(months[parseInt(slider.value, 10)]); });
  var open = document.getElementById("open-ended");
  if (!Array.prototype.some.call(open.options, function (o) { return o.value === state.open; })) {
    open.appendChild(el("option", { value: state.open }, state.open.replace("assume:", "assume a term of ")));
  }
  open.addEventListener("change", function () { state.open = open.value; applyFilters(); });
  document.getElementById("play").addEventListener("click", function () { if (playing) { stop(); } else { play(); } });
  document.getElementById("play").disabled = months.length === 0;
  showLive();
}

function showLive() {
  var enabled = document.getElementById("live-enabled"), slider = document.getElementById("live-on");
  enabled.checked = state.live !== null;
  if (state.live !== null) { slider.value = Math.max(0, months.indexOf(state.live)); }
  document.getElementById("live-label").textContent = state.live === null ? "any day" : lastDay(state.live);
  document.getElementById("open-ended").value = state.open;
}

function setLive(month) {
  state.live = month && months.indexOf(month) >= 0 ? month : null;
  showLive();
  applyFilters();
}

var playing = null;
function play() {
  // Steps "in force on" through the years (the end of each), from the first to the last.
  if (!months.length) { return; }
  var ends = months.filter(function (m) { return m.slice(5) === "12"; });
  if (!ends.length || ends[ends.length - 1] !== months[months.length - 1]) { ends.push(months[months.length - 1]); }
  var k = state.live === null ? 0 : ends.findIndex(function (m) { return m > state.live; });
  if (k < 0) { k = 0; }
  document.getElementById("play").textContent = "❚❚ pause";
  function step() {
    setLive(ends[k]);
    k += 1;
    if (k >= ends.length) { stop(); }
  }
  step();
  if (playing === null && k < ends.length) { playing = setInterval(step, 900); }
}
function stop() {
  if (playing !== null) { clearInterval(playing); playing = null; }
  document.getElementById("play").textContent = "▶ play";
}

// --- zoom, PNG, CSV -----------------------------------------------------------------------------

function zoom(factor) {
  network.moveTo({ scale: network.getScale() * factor, animation: { duration: 200, easingFunction: "easeInOutQuad" } });
}

function download(name, blob) {
  var url = URL.createObjectURL(blob), a = el("a", { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

function exportPNG() {
  var source = container.querySelector("canvas");
  var canvas = el("canvas"), band = 28;
  canvas.width = source.width; canvas.height = source.height + band;
  var ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, band);
  ctx.fillStyle = "#222222"; ctx.font = "14px system-ui, sans-serif";
  ctx.fillText(DATA.title + " · " + document.getElementById("status").textContent + " · " + timeText(), 8, 19);
  canvas.toBlob(function (blob) { download("clusterkg-map.png", blob); }, "image/png");
}

function timeText() {
  var parts = [];
  if (DATA.years) { parts.push("signed " + state.from + "–" + state.to); }
  if (state.live !== null) { parts.push("in force on " + lastDay(state.live)); }
  return parts.join(", ");
}

function csvCell(value) {
  var text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // a spreadsheet must not read a name as a formula
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}
function agreementsCSV() {
  var rows = [["id", "type", "date", "parties", "countries", "title", "signatories", "term", "status", "sources"]];
  shownAgreements().forEach(function (i) {
    var a = agreements[i];
    var countries = a.parties.map(function (p) { var n = info[memberOf[p] || p]; return n ? n.country : ""; });
    rows.push([a.id, a.type, a.date || "", a.parties.map(function (p) { return info[p] && DATA.level !== "country" ? info[p].name : partyNames[p] || p; }).join("; "),
      countries.join("; "), a.title || "", (a.sig || []).map(function (s) { return s.name + (s.title ? " (" + s.title + ")" : ""); }).join("; "),
      a.term || "", a.status || "", (a.src || []).map(function (s) { return sources[s].url || sources[s].title || ""; }).join(" ")]);
  });
  return "\ufeff" + rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
}
function exportCSV() { download("clusterkg-agreements.csv", new Blob([agreementsCSV()], { type: "text/csv;charset=utf-8" })); }

// --- the link that reopens this view --------------------------------------------------------------

function readFragment() {
  var params = {};
  try {
    new URLSearchParams(location.hash.replace(/^#/, "")).forEach(function (v, k) { params[k] = v; });
  } catch (e) { /* a fragment that is not ours */ }
  return params;
}

var fragmentReady = false;
function writeFragment() {
  if (!fragmentReady) { return; }
  var p = new URLSearchParams();
  if (state.types.size !== typeOrder.length) { p.set("t", Array.from(state.types).sort().join(",")); }
  if (DATA.years && (state.from !== DATA.years[0] || state.to !== DATA.years[1])) { p.set("y", state.from + "-" + state.to); }
  if (!state.undated) { p.set("u", "0"); }
  if (state.live !== null) { p.set("l", state.live); }
  if (state.open !== (DATA.openEnded || "include")) { p.set("o", state.open); }
  var all = countryBoxes.map(function (b) { return b.value; });
  var off = all.filter(function (c) { return !state.countries.has(c); });
  if (off.length) { p.set("c", off.length <= all.length / 2 ? "-" + off.join(",") : all.filter(function (c) { return state.countries.has(c); }).join(",")); }
  if (state.lonely) { p.set("i", "1"); }
  if (state.structure) { p.set("s", "1"); }
  if (state.colorBy !== DATA.colorBy) { p.set("k", state.colorBy); }
  if (state.focus !== null) { p.set("f", state.focus); }
  else if (state.detail && state.detail.kind === "edge") { p.set("e", String(state.detail.id)); }
  var text = p.toString();
  history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
  document.getElementById("share-link").value = location.href;
}

function applyFragment(params) {
  if (params.t !== undefined) {
    state.types = new Set(params.t.split(",").filter(function (t) { return typeInfo[t]; }));
    typeOrder.forEach(function (t) { typeBoxes[t].checked = state.types.has(t); });
  }
  if (params.y && DATA.years) {
    var y = params.y.split("-").map(function (v) { return parseInt(v, 10); });
    if (!isNaN(y[0]) && !isNaN(y[1])) {
      state.from = Math.max(DATA.years[0], Math.min(y[0], y[1])); state.to = Math.min(DATA.years[1], Math.max(y[0], y[1]));
      document.getElementById("year-from").value = state.from; document.getElementById("year-to").value = state.to;
      document.getElementById("year-label").textContent = state.from + " – " + state.to;
    }
  }
  if (params.u === "0") { state.undated = false; document.getElementById("include-undated").checked = false; }
  if (params.o === "include" || params.o === "exclude" || TERM.test(params.o || "")) { state.open = params.o; showLive(); }
  if (params.l && months.indexOf(params.l) >= 0) { state.live = params.l; }
  showLive();
  if (params.c !== undefined) {
    var negate = params.c.charAt(0) === "-", listed = new Set(params.c.replace(/^-/, "").split(","));
    countryBoxes.forEach(function (b) {
      b.checked = negate ? !listed.has(b.value) : listed.has(b.value);
      if (b.checked) { state.countries.add(b.value); } else { state.countries.delete(b.value); }
    });
  }
  if (params.i === "1") { state.lonely = true; document.getElementById("show-lonely").checked = true; }
  if (params.s === "1" && STRUCTURE.length) { state.structure = true; document.getElementById("show-structure").checked = true; }
  applyFilters();
  if (params.f && info[params.f] && nodeShown[params.f]) { focusNode(params.f, true); }
  else if (params.e !== undefined && EDGE_ITEMS[parseInt(params.e, 10)]) { openDetails("edge", parseInt(params.e, 10)); }
}

function buildShare() {
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.4); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(1 / 1.4); });
  document.getElementById("zoom-fit").addEventListener("click", function () { network.fit({ animation: { duration: 200 } }); });
  document.getElementById("export-png").addEventListener("click", exportPNG);
  document.getElementById("export-csv").addEventListener("click", exportCSV);
  var link = document.getElementById("share-link");
  document.getElementById("copy-link").addEventListener("click", function () {
    writeFragment();
    link.hidden = false;
    link.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(location.href).catch(function () { /* selected for copying */ }); }
    document.getElementById("copy-note").textContent = "This address reopens the view (also offline).";
  });
  document.querySelectorAll("input[name=color-by]").forEach(function (radio) {
    radio.checked = radio.value === state.colorBy;
    radio.addEventListener("change", function () { if (radio.checked) { state.colorBy = radio.value; recolor(); } });
  });
}

// --- start --------------------------------------------------------------------------------------

function readDetails() {
  // Large maps carry their details gzip-compressed (base64): read after the first drawing, unpacked
  // by the browser's own DecompressionStream (no request: the bytes are in the page).
  var element = document.getElementById("clusterkg-details");
  if (element.getAttribute("data-encoding") !== "gzip+base64") { return Promise.resolve(JSON.parse(element.textContent)); }
  var text = atob(element.textContent.trim()), bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text().then(JSON.parse);
}

function finishSetup(more) {
  agreements = more.agreements; sources = more.sources; ties = more.ties; partyNames = more.partyNames;
  agreements.forEach(function (a) {
    a.year = a.date ? parseInt(a.date.slice(0, 4), 10) : null;
    a.parties = a.parties || [];
  });
  agreementShown = new Uint8Array(agreements.length).fill(1);
  buildFilters();
  buildTime();
  buildLegend();
  buildSearch();
  buildShare();
  bindNetwork();
  api.panelMs = performance.now();
  setupDone = true;
  if (stabilized) { settled(); }
}

function settled() {
  if (DATA.physics) {
    keepPositions();
    network.redraw();
    if (NODE_ITEMS.length <= 300) { arrange(); }
  }
  fragmentReady = true;
  if (Object.keys(initial).length) { applyFragment(initial); } else { updateStatus(); }
  writeFragment();
  api.ready = true;
  document.body.setAttribute("data-ready", "1");
  document.body.setAttribute("data-settled", "1");
}

var setupDone = false, stabilized = !DATA.physics;
if (DATA.physics) {
  // Once settled the drawing stays put, so filtering does not shake it.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    stabilized = true;
    if (setupDone) { settled(); }
  });
}

api.search = search;
api.applyFilters = applyFilters;
api.focusNode = function (id) { focusNode(id, true); };
api.setLive = setLive;
api.play = play;
api.stop = stop;
api.agreementsCSV = agreementsCSV;
api.declutter = declutter;
network.once("afterDrawing", function () {
  api.firstDrawMs = performance.now();
  document.body.setAttribute("data-drawn", "1");
  setTimeout(function () {
    readDetails().then(finishSetup).catch(function (error) {
      document.getElementById("status").textContent = "The map's details could not be read: " + error;
    });
  }, 0);
});
