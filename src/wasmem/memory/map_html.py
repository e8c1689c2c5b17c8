"""The memory map as one self-contained HTML page (``wasmem map --html``).

No network: CSS, script and the memory's bytes (base64) are inline. The page shows a
legend of region kinds, an overview of 64 KiB pages, a zoomable grid of bytes drawn on a
canvas (only the visible rows are drawn, so large memories stay fast), the regions as a
table, and on hover the address, the bytes there and the region that owns them. With the
counts of a traced run (:class:`.heat.HeatCounter`), the page can switch the grid to a heat
map of reads or of writes (runs of equal counts embedded as ``[start, end, reads, writes]``)
and the hover also shows how often the byte was read and written.
"""

from __future__ import annotations

import base64
import html
import json
from typing import Any

from .heat import HeatCounter
from .regions import KINDS, MapRegion

__all__ = ["COLORS", "MAX_EMBEDDED", "render_page"]

COLORS = {
    "data": "#3b82f6", "passive": "#94a3b8", "stack": "#ef4444", "stack-free": "#fca5a5",
    "heap": "#22c55e", "block": "#f59e0b", "free": "#a3e635", "zeros": "#e5e7eb",
    "other": "#8b5cf6",
}
"""The colour of each region kind (``other``: bytes no region owns)."""

MAX_EMBEDDED = 16 << 20
"""Bytes of a memory embedded and drawn in the page at most (its first ones)."""

_STYLE = """
body{font:14px system-ui,sans-serif;margin:1em;color:#111}
h1{font-size:18px}h2{font-size:16px;margin:1em 0 .3em}
#legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em 1.2em}
#legend .sw{display:inline-block;width:1em;height:1em;margin-right:.3em;vertical-align:-2px;
border:1px solid #0003}
#bar{display:flex;gap:.6em;align-items:center;margin:.5em 0}
#pages{display:flex;flex-wrap:wrap;gap:2px;max-width:100%}
#pages div{width:14px;height:14px;cursor:pointer;border:1px solid #0002}
#view{height:60vh;overflow:auto;border:1px solid #999;position:relative}
#grid{position:sticky;top:0;left:0;display:block}
#info{font-family:monospace;white-space:pre;min-height:3.6em;background:#f8f8f8;padding:.3em}
table{border-collapse:collapse;font-family:monospace}
td,th{padding:1px .6em;border-bottom:1px solid #ddd;text-align:left}
#heatlegend .scale{display:inline-block;width:12em;height:1em;vertical-align:-2px;
border:1px solid #0003}
"""

_SCRIPT = r"""
const MAPS = JSON.parse(document.getElementById('maps').textContent);
const COLORS = JSON.parse(document.getElementById('colors').textContent);
const KIND_IDS = Object.keys(COLORS);
const PAGE = 65536;
const HEAT_COLORS = {reads: [37, 99, 235], writes: [220, 38, 38]};
let zoom = 4, current = 0, bytes = null, owners = null, regions = [];
let mode = 'regions', reads = null, writes = null;
const view = document.getElementById('view'), canvas = document.getElementById('grid');
const spacer = document.getElementById('spacer'), info = document.getElementById('info');
function decode(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
function select(index) {
  const m = MAPS[index]; current = index; regions = m.regions;
  bytes = decode(m.bytes);
  owners = new Uint8Array(m.size).fill(KIND_IDS.indexOf('other'));
  const sorted = regions.filter(r => r.end > r.start).sort((a, b) =>
    (b.kind === 'zeros') - (a.kind === 'zeros') || (b.end - b.start) - (a.end - a.start));
  for (const r of sorted) owners.fill(KIND_IDS.indexOf(r.kind), r.start, Math.min(r.end, m.size));
  reads = writes = null;
  if (m.heat) {  // runs of equal counts: start, end, reads, writes
    reads = new Uint32Array(m.size); writes = new Uint32Array(m.size);
    for (let i = 0; i < m.heat.length; i += 4) {
      const end = Math.min(m.heat[i + 1], m.size);
      if (m.heat[i] < end) { reads.fill(m.heat[i + 2], m.heat[i], end);
        writes.fill(m.heat[i + 3], m.heat[i], end); }
    }
  }
  heatLegend();
  const pages = document.getElementById('pages'); pages.textContent = '';
  for (let p = 0; p * PAGE < m.size; p++) {
    const counts = {};
    for (let a = p * PAGE; a < Math.min(m.size, (p + 1) * PAGE); a += 64) {
      const k = KIND_IDS[owners[a]];
      counts[k] = (counts[k] || 0) + 1;
    }
    const top = Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0];
    const cell = document.createElement('div');
    cell.style.background = COLORS[top]; cell.title = 'page ' + p + ' (0x' + hex(p * PAGE, 8) + ')';
    cell.dataset.page = p; cell.onclick = () => jump(p * PAGE);
    pages.appendChild(cell);
  }
  document.getElementById('shown').textContent = m.size < m.total ?
    'showing the first ' + m.size + ' of ' + m.total + ' bytes' : '';
  layout();
}
function hex(n, width) { return n.toString(16).padStart(width, '0'); }
function columns() {
  let cols = 16;
  while (cols * 2 * zoom <= view.clientWidth - 20 && cols < 256) cols *= 2;
  return cols;
}
function layout() {
  const cols = columns(), rows = Math.ceil(MAPS[current].size / cols);
  canvas.width = cols * zoom; canvas.height = Math.min(view.clientHeight, rows * zoom);
  spacer.style.height = Math.max(0, rows * zoom - canvas.height) + 'px';
  document.getElementById('zoomlevel').textContent = zoom + ' px/byte, ' + cols + ' bytes/row';
  draw();
}
function draw() {
  const ctx = canvas.getContext('2d'), cols = columns(), size = MAPS[current].size;
  const first = Math.floor(view.scrollTop / zoom), rows = Math.ceil(canvas.height / zoom);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const a = (first + r) * cols + c;
      if (a >= size) break;
      if (mode === 'regions' || !reads) {
        ctx.fillStyle = COLORS[KIND_IDS[owners[a]]];
        ctx.globalAlpha = bytes[a] === 0 ? 0.25 : 1;
      } else { ctx.globalAlpha = 1;
        ctx.fillStyle = heatColor((mode === 'reads' ? reads : writes)[a]); }
      ctx.fillRect(c * zoom, r * zoom, zoom, zoom);
      if (a % PAGE === 0) { ctx.globalAlpha = 1; ctx.fillStyle = '#000';
        ctx.fillRect(0, r * zoom, canvas.width, 1); }
    }
  }
  ctx.globalAlpha = 1;
  if (zoom >= 16) {
    ctx.fillStyle = '#000'; ctx.font = (zoom * 0.5) + 'px monospace';
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
      const a = (first + r) * cols + c;
      if (a < bytes.length) ctx.fillText(hex(bytes[a], 2), c * zoom + 2, r * zoom + zoom * 0.7);
    }
  }
}
function heatColor(count) {
  if (!count) return '#f3f4f6';
  const most = MAPS[current].most[mode === 'reads' ? 0 : 1];
  const t = 0.2 + 0.8 * Math.log(1 + count) / Math.log(1 + Math.max(most, 1));
  const [r, g, b] = HEAT_COLORS[mode];
  return 'rgb(' + [r, g, b].map(v => Math.round(255 - (255 - v) * t)).join(',') + ')';
}
function heatLegend() {
  const box = document.getElementById('heatlegend'), m = MAPS[current];
  if (!box) return;
  if (mode === 'regions' || !m.heat) { box.hidden = true; return; }
  const most = m.most[mode === 'reads' ? 0 : 1], [r, g, b] = HEAT_COLORS[mode];
  box.hidden = false;
  box.querySelector('.scale').style.background = 'linear-gradient(to right, rgb(' +
    [r, g, b].map(v => Math.round(255 - (255 - v) * 0.2)).join(',') + '), rgb(' + [r, g, b] + '))';
  box.querySelector('.what').textContent = mode;
  box.querySelector('.most').textContent = most;
}
function setMode(value) {
  mode = value; document.body.dataset.mode = mode;
  const pick = document.getElementById('mode'); if (pick) pick.value = mode;
  heatLegend(); draw();
}
function jump(address) { view.scrollTop = Math.floor(address / columns()) * zoom; draw(); }
function owner(a) {
  const found = regions.filter(r => r.start <= a && a < r.end);
  const named = found.filter(r => r.kind !== 'zeros');
  const pool = named.length ? named : found;
  return pool.sort((x, y) => (x.end - x.start) - (y.end - y.start))[0];
}
function describe(a) {
  const row = a - a % 16, parts = [];
  for (let i = row; i < Math.min(row + 16, bytes.length); i++)
    parts.push(i === a ? '[' + hex(bytes[i], 2) + ']' : hex(bytes[i], 2));
  const o = owner(a);
  return 'address 0x' + hex(a, 8) + ' (' + a + ')  page ' + Math.floor(a / PAGE) +
    '\nbytes at 0x' + hex(row, 8) + ': ' + parts.join(' ') +
    '\nowner: ' + (o ? o.name + ' (' + o.kind + ') 0x' + hex(o.start, 8) + '-0x' + hex(o.end, 8) +
    (o.detail ? ', ' + o.detail : '') : 'none') +
    (reads ? '\nreads ' + reads[a] + ', writes ' + writes[a] : '');
}
canvas.addEventListener('mousemove', e => {
  const box = canvas.getBoundingClientRect(), cols = columns();
  const c = Math.floor((e.clientX - box.left) / zoom), r = Math.floor((e.clientY - box.top) / zoom);
  const a = (Math.floor(view.scrollTop / zoom) + r) * cols + c;
  if (c >= 0 && c < cols && a < MAPS[current].size) info.textContent = describe(a);
});
view.addEventListener('scroll', draw);
window.addEventListener('resize', layout);
function setZoom(z) {
  const cols = columns(), top = Math.floor(view.scrollTop / zoom) * cols;
  zoom = Math.max(1, Math.min(32, z)); layout(); jump(top);
}
document.getElementById('zoomin').onclick = () => setZoom(zoom * 2);
document.getElementById('zoomout').onclick = () => setZoom(zoom / 2);
view.addEventListener('wheel', e => { if (e.ctrlKey) { e.preventDefault();
  setZoom(e.deltaY < 0 ? zoom * 2 : zoom / 2); } }, {passive: false});
document.getElementById('memory').onchange = e => select(+e.target.value);
if (document.getElementById('mode'))
  document.getElementById('mode').onchange = e => setMode(e.target.value);
document.body.dataset.mode = mode;
for (const row of document.querySelectorAll('#regions tr[data-start]'))
  row.onclick = () => { const m = +row.dataset.memory; if (m !== current) {
    document.getElementById('memory').value = m; select(m); } jump(+row.dataset.start); };
function fromHash() {  // page.html#0x400 (or #1024, #0x400/writes): show it, as on hover
  const [where, view] = location.hash.slice(1).split('/');
  if (view === 'reads' || view === 'writes' || view === 'regions') setMode(view);
  const a = parseInt(where);
  if (MAPS.length && a >= 0 && a < MAPS[current].size) { jump(a); info.textContent = describe(a); }
}
window.addEventListener('hashchange', fromHash);
if (MAPS.length) { select(0); fromHash(); }
document.body.dataset.ready = 'yes';
"""


def _json(value: Any) -> str:
    return json.dumps(value).replace("</", "<\\/")


def render_page(mapped: list[tuple[int, Any, list[MapRegion]]], *, title: str = "",
                heat: HeatCounter | None = None) -> str:
    """The page for ``[(memory index, LinearMemory, regions)]``; ``heat`` adds the heat
    view of reads and writes. Raises nothing."""
    maps = []
    rows = []
    for index, memory, regions in mapped:
        data = bytes(memory.data[:MAX_EMBEDDED])
        maps.append({"index": index, "size": len(data), "total": memory.size_bytes,
                     "bytes": base64.b64encode(data).decode("ascii"),
                     "regions": [{"start": r.start, "end": r.end, "kind": r.kind,
                                  "name": r.name, "detail": r.detail} for r in regions]})
        if heat is not None:
            segments = [s for s in heat.segments(index) if s.start < len(data)]
            maps[-1]["heat"] = [n for s in segments
                                for n in (s.start, min(s.end, len(data)), s.reads, s.writes)]
            maps[-1]["most"] = [max((s.reads for s in segments), default=0),
                                max((s.writes for s in segments), default=0)]
        for r in regions:
            span = ("-", "-") if r.kind == "passive" else (f"0x{r.start:08x}", f"0x{r.end:08x}")
            rows.append(f'<tr data-kind="{r.kind}" data-memory="{index}" '
                        f'data-start="{r.start}" data-end="{r.end}"><td>{index}</td>'
                        f"<td>{span[0]}</td><td>{span[1]}</td><td>{r.size}</td>"
                        f'<td><span class="sw" style="background:{COLORS[r.kind]}"></span>'
                        f"{r.kind}</td><td>{html.escape(r.name)}</td>"
                        f"<td>{html.escape(r.detail)}</td></tr>")
    legend = "".join(f'<li data-kind="{kind}"><span class="sw" style="background:'
                     f'{COLORS[kind]}"></span><b>{kind}</b>: {html.escape(text)}</li>'
                     for kind, text in [*KINDS.items(), ("other", "owned by no region")])
    options = "".join(f'<option value="{k}">memory {index} ({m.pages} pages)</option>'
                      for k, (index, m, _r) in enumerate(mapped))
    heat_bar = heat_legend = ""
    if heat is not None:
        heat_bar = ('<label>show <select id="mode"><option value="regions">regions</option>'
                    '<option value="reads">reads</option><option value="writes">writes'
                    '</option></select></label>')
        heat_legend = ('<p id="heatlegend" hidden><b class="what"></b> per byte: 0 '
                       '<span class="scale"></span> <span class="most"></span> '
                       '(log scale; grey: never)</p>\n')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>wasmem memory map</title>
<style>{_STYLE}</style></head>
<body>
<h1>wasmem memory map <small>({html.escape(title)})</small></h1>
<ul id="legend">{legend}</ul>
<p>Pale cells are zero bytes. Hover the grid for an address; click a page or a region to
jump there; zoom with the buttons or Ctrl + wheel.</p>
<div id="bar"><select id="memory">{options}</select>
<button id="zoomout">&minus;</button><button id="zoomin">+</button>
{heat_bar}<span id="zoomlevel"></span> <span id="shown"></span></div>
{heat_legend}<div id="pages"></div>
<div id="info">hover the grid</div>
<div id="view"><canvas id="grid"></canvas><div id="spacer"></div></div>
<h2>Regions</h2>
<table id="regions"><tr><th>memory</th><th>start</th><th>end</th><th>size</th><th>kind</th>
<th>name</th><th>detail</th></tr>{''.join(rows)}</table>
<script type="application/json" id="maps">{_json(maps)}</script>
<script type="application/json" id="colors">{_json(COLORS)}</script>
<script>{_SCRIPT}</script>
</body></html>
"""
