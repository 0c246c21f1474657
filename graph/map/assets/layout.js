/* clusterkg map, part 3 of 4: a drawing that reads at first sight.
 * After vis-network's physics has settled (small maps only; large ones come laid out from Python):
 * overlapping labels are pushed apart, then the connected components are packed, the largest in the
 * middle at full size and the small ones close around it (the same rule as Python's
 * clusterkg.graph.map.layout.pack), and the view is fitted. Dash patterns keep their on-screen length
 * at every zoom, so a line style reads as its legend sample does. */

var PACK_GAP = 28;  // canvas units between packed components

function labelBoxes(ids) {
  // Each node's box (dot and label) relative to its position, in canvas units, and its position.
  var pos = network.getPositions(ids), boxes = {};
  ids.forEach(function (id) {
    var b = network.getBoundingBox(id), p = pos[id];
    boxes[id] = { x: p.x, y: p.y, l: b.left - p.x - 3, r: b.right - p.x + 3, t: b.top - p.y - 2, b: b.bottom - p.y + 2 };
  });
  return boxes;
}

function componentOf(ids) {
  // Connected components of the shown nodes through agreement ties (union-find): node id -> root id.
  var parent = {};
  ids.forEach(function (id) { parent[id] = id; });
  function find(x) { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
  EDGE_ITEMS.forEach(function (e) {
    if (parent[e.from] !== undefined && parent[e.to] !== undefined) {
      var a = find(e.from), b = find(e.to);
      if (a !== b) { parent[a] = b; }
    }
  });
  var of = {};
  ids.forEach(function (id) { of[id] = find(id); });
  return of;
}

function separate(ids, boxes, group) {
  // Push apart nodes whose boxes overlap (within one component when `group` is given).
  var moved = false;
  for (var round = 0; round < 120; round++) {
    var any = false;
    for (var i = 0; i < ids.length; i++) {
      var a = boxes[ids[i]];
      for (var j = i + 1; j < ids.length; j++) {
        if (group && group[ids[i]] !== group[ids[j]]) { continue; }
        var c = boxes[ids[j]];
        var dx = Math.min(a.x + a.r, c.x + c.r) - Math.max(a.x + a.l, c.x + c.l);
        var dy = Math.min(a.y + a.b, c.y + c.b) - Math.max(a.y + a.t, c.y + c.t);
        if (dx <= 0 || dy <= 0) { continue; }
        any = true;
        if (dy <= dx) { var sy = (a.y <= c.y ? -1 : 1) * (dy / 2 + 1); a.y += sy; c.y -= sy; }
        else { var sx = (a.x <= c.x ? -1 : 1) * (dx / 2 + 1); a.x += sx; c.x -= sx; }
      }
    }
    if (!any) { break; }
    moved = true;
  }
  return moved;
}

function packBoxes(sizes, aspect, gap) {
  // Top-left corners for boxes [w, h]: the first (the largest component) centred at (0, 0), each
  // next one (largest first) at the free place beside a placed box that keeps the whole smallest,
  // measured as max(half-width / aspect, half-height): a compact block about `aspect` wide for 1 tall.
  var placed = [[-sizes[0][0] / 2, -sizes[0][1] / 2, sizes[0][0] / 2, sizes[0][1] / 2]];
  var out = [[placed[0][0], placed[0][1]]], half = [sizes[0][0] / 2, sizes[0][1] / 2];
  function free(l, t, r, b) {
    for (var i = 0; i < placed.length; i++) {
      var p = placed[i];
      if (l < p[2] + gap && r > p[0] - gap && t < p[3] + gap && b > p[1] - gap) { return false; }
    }
    return true;
  }
  for (var k = 1; k < sizes.length; k++) {
    var w = sizes[k][0], h = sizes[k][1], best = null;
    for (var i = 0; i < placed.length; i++) {
      var p = placed[i];
      var spots = [[p[2] + gap, p[1]], [p[2] + gap, p[3] - h], [p[0] - gap - w, p[1]], [p[0] - gap - w, p[3] - h],
        [p[0], p[1] - gap - h], [p[2] - w, p[1] - gap - h], [p[0], p[3] + gap], [p[2] - w, p[3] + gap]];
      for (var j = 0; j < spots.length; j++) {
        var x = spots[j][0], y = spots[j][1];
        var hx = Math.max(half[0], Math.abs(x), Math.abs(x + w)), hy = Math.max(half[1], Math.abs(y), Math.abs(y + h));
        var cx = x + w / 2, cy = y + h / 2;
        var cost = Math.max(hx / aspect, hy) * 1e6 + (cx * cx / (aspect * aspect) + cy * cy);
        if ((best === null || cost < best[2]) && free(x, y, x + w, y + h)) { best = [x, y, cost]; }
      }
    }
    placed.push([best[0], best[1], best[0] + w, best[1] + h]);
    out.push([best[0], best[1]]);
    half = [Math.max(half[0], Math.abs(best[0]), Math.abs(best[0] + w)), Math.max(half[1], Math.abs(best[1]), Math.abs(best[1] + h))];
  }
  return out;
}

function packComponents(ids, boxes, group) {
  var members = {};
  ids.forEach(function (id) { (members[group[id]] = members[group[id]] || []).push(id); });
  var comps = Object.keys(members).map(function (root) {
    var l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    members[root].forEach(function (id) {
      var x = boxes[id];
      l = Math.min(l, x.x + x.l); r = Math.max(r, x.x + x.r); t = Math.min(t, x.y + x.t); b = Math.max(b, x.y + x.b);
    });
    return { ids: members[root], l: l, t: t, w: r - l, h: b - t };
  });
  if (comps.length < 2) { return false; }
  comps.sort(function (a, b) { return b.ids.length - a.ids.length || b.w * b.h - a.w * a.h || (a.ids[0] < b.ids[0] ? -1 : 1); });
  var aspect = Math.max(0.5, Math.min(3, container.clientWidth / Math.max(1, container.clientHeight)));
  var corners = packBoxes(comps.map(function (c) { return [c.w, c.h]; }), aspect, PACK_GAP);
  comps.forEach(function (c, k) {
    var dx = corners[k][0] - c.l, dy = corners[k][1] - c.t;
    c.ids.forEach(function (id) { boxes[id].x += dx; boxes[id].y += dy; });
  });
  return true;
}

function arrange() {
  // Labels apart within each component, components packed, labels apart once more, then fit.
  var ids = nodeView.getIds().filter(function (id) { return !isolated(id); });
  if (!ids.length) { return false; }
  var boxes = labelBoxes(ids), group = componentOf(ids);
  separate(ids, boxes, group);
  packComponents(ids, boxes, group);
  separate(ids, boxes, null);
  nodes.update(ids.map(function (id) { return { id: id, x: boxes[id].x, y: boxes[id].y }; }));
  network.fit();
  return true;
}

function declutter() {
  // Push apart nodes whose label boxes overlap (canvas units, so it holds at every zoom).
  var ids = nodeView.getIds(), boxes = labelBoxes(ids);
  var moved = separate(ids, boxes, null);
  if (moved) { nodes.update(ids.map(function (id) { return { id: id, x: boxes[id].x, y: boxes[id].y }; })); }
  return moved;
}

// Dashes in screen pixels: vis-network draws them in canvas units, so zoomed out to fit a map
// a dashed line looked solid. The drawing context scales each pattern by 1 / zoom.
network.on("beforeDrawing", function (ctx) {
  if (ctx.clusterkgDashes) { return; }
  var setLineDash = ctx.setLineDash;
  ctx.setLineDash = function (pattern) {
    var scale = network.getScale() || 1;
    return setLineDash.call(this, (pattern || []).map(function (d) { return d / scale; }));
  };
  ctx.clusterkgDashes = true;
});

api.declutter = declutter;
api.arrange = arrange;
api.packBoxes = packBoxes;
