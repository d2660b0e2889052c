"use strict";
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#d62728", "#17becf"];
const CHARTS = [
  {title: "Share of all spend by option", series: [["spendShare.A", "A Amazon-like online"], ["spendShare.WS", "WS Walmart-like store"],
    ["spendShare.WO", "WO Walmart-like online"], ["spendShare.OO", "OO other online"], ["spendShare.WP", "WP Walmart-like pickup"]], percent: true},
  {title: "Online spend", series: [["onlineShare", "online share of all spend"], ["amazonShareOfOnline", "Amazon-like share of online"],
    ["walmartShareOfOnline", "Walmart-like share of online"]], percent: true},
  {title: "Groceries", series: [["walmartShareOfGrocery", "Walmart-like share of grocery"], ["onlineShareOfGrocery", "online share of grocery"],
    ["pickupShareOfOnlineGrocery", "pickup's share of online grocery"], ["shippedShareOfOnlineGrocery", "shipped share of online grocery"]], percent: true},
  {title: "Members, share of households", series: [["primeShare", "Prime-like"], ["plusShare", "Walmart+-like"]], percent: true},
  {title: "Price indices (market = 1)", series: [["amazonPriceIndex", "Amazon-like"], ["walmartPriceIndex", "Walmart-like"]], percent: false},
];
let LEVERS = [];
const sides = {};

async function init() {
  const response = await fetch("/api/levers");
  LEVERS = await response.json();
  makeSide("A");
  makeSide("B");
  document.getElementById("compare").addEventListener("change", e => {
    document.getElementById("side-B").classList.toggle("hidden", !e.target.checked);
  });
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function makeSide(name) {
  const side = {name, id: null, ws: null, weeks: [], map: null, running: false, total: 0};
  sides[name] = side;
  const s = el("section", {class: "side" + (name === "B" ? " hidden" : ""), id: "side-" + name});
  s.appendChild(el("h2", {}, "Scenario " + name));
  const form = el("form", {class: "levers", id: "levers-" + name});
  for (const lever of LEVERS) {
    const id = name + "-" + lever.path;
    form.appendChild(el("label", {for: id, title: lever.meaning}, lever.path + (lever.unit ? " (" + lever.unit + ")" : "")));
    let input;
    if (lever.type === "choice" || lever.type === "boolean") {
      input = el("select", {id});
      const options = lever.type === "boolean" ? ["true", "false"] : lever.choices;
      for (const c of options) { const o = el("option", {value: c}, c); if (c === String(lever.value)) o.selected = true; input.appendChild(o); }
    } else {
      input = el("input", {id, type: "text", value: String(lever.value), inputmode: "decimal"});
    }
    input.dataset.path = lever.path;
    input.addEventListener("change", () => reset(side, "the levers changed: press Start for a new run"));
    form.appendChild(input);
    form.appendChild(el("small", {}, lever.meaning + "; " + lever.allowed));
  }
  s.appendChild(form);
  const buttons = el("div", {class: "buttons"});
  const add = (label, handler) => { const b = el("button", {type: "button", id: label.toLowerCase().replace(/ /g, "-") + "-" + name}, label); b.addEventListener("click", handler); buttons.appendChild(b); };
  add("Start", () => start(side));
  add("Pause", () => send(side, "pause"));
  add("Step", () => step(side));
  add("Reset", () => reset(side, ""));
  add("Keep this run", () => keep(side));
  const rate = el("input", {type: "range", min: "1", max: "60", value: "10", id: "rate-" + name, title: "weeks a second"});
  rate.addEventListener("input", () => { send(side, "rate " + rate.value); side.rateLabel.textContent = rate.value + " weeks/s"; });
  buttons.appendChild(rate);
  side.rateLabel = el("span", {}, "10 weeks/s");
  buttons.appendChild(side.rateLabel);
  s.appendChild(buttons);
  side.status = el("div", {class: "status", id: "status-" + name}, "not started");
  side.message = el("div", {class: "message", id: "message-" + name});
  side.kept = el("div", {class: "kept", id: "kept-" + name});
  s.appendChild(side.status); s.appendChild(side.message); s.appendChild(side.kept);
  side.canvas = el("canvas", {class: "map", id: "map-" + name, width: "900", height: "560"});
  s.appendChild(side.canvas);
  s.appendChild(legend());
  side.charts = el("div", {class: "charts", id: "charts-" + name});
  s.appendChild(side.charts);
  side.rate = rate;
  document.getElementById("sides").appendChild(s);
  drawCharts(side);
}

function legend() {
  const l = el("div", {class: "legend"});
  for (const [colour, label] of [["#d62728", "households: mostly urban county"], ["#ff7f0e", "mostly suburban"], ["#2ca02c", "mostly rural"],
    ["#1f4e9c", "Walmart-like store"], ["#9ecae1", "express (3-hour) area"], ["#000", "Amazon-like fulfilment centre"], ["#7b3294", "same-day site"]]) {
    const span = el("span"); const i = el("i"); i.style.background = colour; span.appendChild(i); span.appendChild(document.createTextNode(label)); l.appendChild(span);
  }
  return l;
}

function settings(side) {
  const out = {};
  for (const input of document.querySelectorAll("#levers-" + side.name + " [data-path]")) out[input.dataset.path] = input.value.trim();
  return out;
}

async function open(side) {
  side.message.textContent = "";
  side.status.textContent = "building the country and the burn-in...";
  const response = await fetch("/api/sessions", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({settings: settings(side)})});
  const body = await response.json();
  if (!response.ok) { side.message.textContent = body.error; side.status.textContent = "not started"; return false; }
  side.id = body.id; side.total = body.weeks; side.replicates = body.replicates; side.posterior = body.posterior; side.weeks = [];
  side.command = body.command;
  const map = await fetch("/api/sessions/" + side.id + "/map");
  side.map = await map.json();
  drawMap(side);
  await new Promise((resolve, reject) => {
    const ws = new WebSocket("ws://" + location.host + "/api/sessions/" + side.id + "/stream");
    side.ws = ws;
    ws.onopen = () => { ws.send("open " + side.id); ws.send("rate " + side.rate.value); resolve(); };
    ws.onerror = () => reject(new Error("the stream failed"));
    ws.onmessage = e => receive(side, JSON.parse(e.data));
    ws.onclose = () => { if (side.ws === ws) side.ws = null; };
  });
  return true;
}

async function start(side) {
  if (!side.id && !(await open(side))) return;
  side.running = true;
  send(side, "start");
}

async function step(side) {
  if (!side.id && !(await open(side))) return;
  send(side, "step");
}

function send(side, text) { if (side.ws && side.ws.readyState === 1) side.ws.send(text); }

function reset(side, why) {
  if (side.ws) { const ws = side.ws; side.ws = null; ws.close(); }
  if (side.id) fetch("/api/sessions/" + side.id, {method: "DELETE"});
  side.id = null; side.weeks = []; side.running = false;
  side.status.textContent = why || "not started"; side.kept.textContent = "";
  drawCharts(side);
}

async function keep(side) {
  if (!side.id) { side.message.textContent = "start a run first"; return; }
  side.kept.textContent = "finishing the run and writing its files...";
  const response = await fetch("/api/sessions/" + side.id + "/keep", {method: "POST", headers: {"Content-Type": "application/json"}});
  const body = await response.json();
  if (!response.ok) { side.kept.textContent = ""; side.message.textContent = body.error; return; }
  side.kept.textContent = "kept in " + body.folder + "\nrepeat it with: " + body.command;
  side.kept.dataset.folder = body.folder;
}

let pending = new Set();
function receive(side, m) {
  if (m.type === "week") {
    side.weeks.push(m);
    side.status.textContent = "week " + m.week + " of " + side.total + ", " + m.date + (side.replicates > 1 ? " (" + side.replicates + (side.posterior ? " posterior draws)" : " replicates)") : "");
    side.status.dataset.week = m.week;
    side.status.dataset.date = m.date;
    if (m.newHubs.length || m.newSameDay.length) {
      for (const s of m.newHubs) if (side.map.stores[s]) side.map.stores[s][2] = 1;
      for (const p of m.newSameDay) side.map.sameDay.push(p);
      side.mapDirty = true;
    }
    // Stores whose slots bind, by their extra wait (redrawn while any do, and once when none do again).
    if (m.slotWaits.length || (side.map.slotWaits || []).length) { side.map.slotWaits = m.slotWaits; side.mapDirty = true; }
    if (!pending.has(side)) { pending.add(side); requestAnimationFrame(() => { pending.delete(side); drawCharts(side); if (side.mapDirty) { side.mapDirty = false; drawMap(side); } }); }
  } else if (m.type === "done") {
    side.status.textContent = "done: week " + m.week + " of " + side.total; side.running = false;
  } else if (m.type === "error") {
    side.message.textContent = m.error;
  }
}

function drawMap(side) {
  const m = side.map, c = side.canvas, g = c.getContext("2d");
  const scale = Math.min(c.width / m.widthKm, c.height / m.heightKm);
  const x = v => v * scale, y = v => c.height - v * scale;
  g.fillStyle = "white"; g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = "rgba(158, 202, 225, 0.25)";
  for (const s of m.stores) if (s[2]) { g.beginPath(); g.arc(x(s[0]), y(s[1]), s[3] * scale, 0, 2 * Math.PI); g.fill(); }
  const largest = Math.max(1, ...m.counties.map(k => k[2]));
  const classes = ["rgba(214, 39, 40, 0.6)", "rgba(255, 127, 14, 0.6)", "rgba(44, 160, 44, 0.6)"];
  for (const k of m.counties) { g.fillStyle = classes[k[3]]; g.beginPath(); g.arc(x(k[0]), y(k[1]), Math.max(0.7, 10 * Math.sqrt(k[2] / largest)), 0, 2 * Math.PI); g.fill(); }
  g.fillStyle = "#1f4e9c";
  for (const s of m.stores) g.fillRect(x(s[0]) - 0.7, y(s[1]) - 0.7, 1.4, 1.4);
  // Extra wait up to 12 h, up to 48 h, more: the report's map's classes.
  const slow = m.slotWaits || [];
  for (const [id, h] of slow) {
    const s = m.stores[id]; if (!s) continue;
    g.fillStyle = h <= 12 ? "#fdae6b" : h <= 48 ? "#e6550d" : "#a50f15";
    g.fillRect(x(s[0]) - 1.3, y(s[1]) - 1.3, 2.6, 2.6);
  }
  g.strokeStyle = "#7b3294";
  for (const s of m.sameDay) { g.beginPath(); g.arc(x(s[0]), y(s[1]), 2.5, 0, 2 * Math.PI); g.stroke(); }
  g.fillStyle = "black";
  for (const f of m.fulfillment) { g.beginPath(); g.moveTo(x(f[0]), y(f[1]) - 3); g.lineTo(x(f[0]) + 2.6, y(f[1]) + 1.5); g.lineTo(x(f[0]) - 2.6, y(f[1]) + 1.5); g.fill(); }
  const hubs = m.stores.filter(s => s[2]).length;
  c.dataset.hubs = hubs; c.dataset.sameDay = m.sameDay.length; c.dataset.slotsBind = slow.length;
  g.fillStyle = "#222"; g.font = "13px sans-serif";
  g.fillText(hubs + " of " + m.stores.length + " stores deliver · " + m.sameDay.length + " same-day sites · " + m.fulfillment.length + " fulfilment centres"
    + (slow.length ? " · slots bind at " + slow.length + " (orange to red: extra wait)" : ""), 8, 16);
}

function drawCharts(side) {
  side.charts.innerHTML = "";
  for (const chart of CHARTS) side.charts.appendChild(svgChart(chart, side));
}

function svgChart(chart, side) {
  const W = 640, H = 244, L = 52, R = 12, T = 26, B = 58;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 " + W + " " + H); svg.setAttribute("class", "chart");
  svg.dataset.points = side.weeks.length;
  const text = (x, y, s, anchor, size) => { const t = document.createElementNS(ns, "text"); t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("font-size", size || 11); t.setAttribute("text-anchor", anchor || "start"); t.textContent = s; svg.appendChild(t); };
  text(W / 2, 16, chart.title, "middle", 13);
  const weeks = side.weeks, total = Math.max(side.total || 1, 2);
  let lo = Infinity, hi = -Infinity;
  for (const w of weeks) for (const r of w.replicates) for (const [key] of chart.series) { lo = Math.min(lo, r[key]); hi = Math.max(hi, r[key]); }
  if (!isFinite(lo)) { lo = 0; hi = chart.percent ? 1 : 1.2; }
  if (chart.percent) lo = Math.min(lo, 0);
  const pad = (hi - lo) * 0.08 || 0.05; hi += pad; if (!chart.percent) lo -= pad;
  const px = w => L + (w - 1) / (total - 1) * (W - L - R), py = v => H - B - (v - lo) / (hi - lo) * (H - T - B);
  const axis = document.createElementNS(ns, "path"); axis.setAttribute("d", "M" + L + " " + T + "V" + (H - B) + "H" + (W - R)); axis.setAttribute("stroke", "#333"); axis.setAttribute("fill", "none"); svg.appendChild(axis);
  for (let k = 0; k <= 4; k++) { const v = lo + (hi - lo) * k / 4; text(L - 4, py(v) + 4, chart.percent ? (100 * v).toFixed(1) + " %" : v.toFixed(3), "end"); }
  text((L + W - R) / 2, H - B + 27, "week (of " + total + ")", "middle");
  // A date axis: each calendar year (quarter, for runs under 60 weeks) from its first week, dated from run.start.
  if (weeks.length && weeks[0].date) {
    const day = 86400000, start = Date.parse(weeks[0].date + "T00:00:00Z") - 7 * day * (weeks[0].week - 1);
    const yearly = total > 60;
    let last = null;
    for (let w = 1; w <= total; w++) {
      const d = new Date(start + 7 * day * (w - 1));
      const key = yearly ? String(d.getUTCFullYear()) : "Q" + (Math.floor(d.getUTCMonth() / 3) + 1) + " " + d.getUTCFullYear();
      if (key === last) continue;
      last = key;
      const tick = document.createElementNS(ns, "path"); tick.setAttribute("d", "M" + px(w) + " " + (H - B) + "v4"); tick.setAttribute("stroke", "#333"); svg.appendChild(tick);
      const t = document.createElementNS(ns, "text"); t.setAttribute("x", px(w)); t.setAttribute("y", H - B + 14); t.setAttribute("font-size", 10);
      t.setAttribute("text-anchor", "middle"); t.setAttribute("class", "date-tick"); t.textContent = key; svg.appendChild(t);
    }
  }
  chart.series.forEach(([key, label], i) => {
    const colour = COLOURS[i % COLOURS.length];
    if (weeks.length && weeks[0].replicates.length > 1) {
      const upper = weeks.map(w => [px(w.week), py(Math.max(...w.replicates.map(r => r[key])))]);
      const lower = weeks.map(w => [px(w.week), py(Math.min(...w.replicates.map(r => r[key])))]).reverse();
      const band = document.createElementNS(ns, "polygon");
      band.setAttribute("points", upper.concat(lower).map(p => p.join(",")).join(" ")); band.setAttribute("fill", colour); band.setAttribute("fill-opacity", "0.18"); band.setAttribute("class", "band");
      svg.appendChild(band);
    }
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", weeks.map(w => px(w.week) + "," + py(w.replicates.reduce((a, r) => a + r[key], 0) / w.replicates.length)).join(" "));
    line.setAttribute("fill", "none"); line.setAttribute("stroke", colour); line.setAttribute("stroke-width", "1.8"); line.setAttribute("class", "line");
    svg.appendChild(line);
    const x0 = L + 4 + (i % 2) * 290, y0 = H - 18 + Math.floor(i / 2) * 13;
    const sw = document.createElementNS(ns, "rect"); sw.setAttribute("x", x0); sw.setAttribute("y", y0 - 8); sw.setAttribute("width", 12); sw.setAttribute("height", 4); sw.setAttribute("fill", colour); svg.appendChild(sw);
    text(x0 + 16, y0 - 3, label + (weeks.length ? ": " + (chart.percent ? (100 * weeks[weeks.length - 1].replicates.reduce((a, r) => a + r[key], 0) / weeks[weeks.length - 1].replicates.length).toFixed(2) + " %" : (weeks[weeks.length - 1].replicates[0][key]).toFixed(4)) : ""), "start", 10);
  });
  return svg;
}

init();
