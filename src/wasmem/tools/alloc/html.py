"""A walked heap as one self-contained HTML page (inline CSS and SVG, no scripts, nothing
fetched from the network): a map of the heap, the totals, the free lists, every block."""

from __future__ import annotations

import html

from .heap import Heap

__all__ = ["heap_html"]

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: right; }
th { border-bottom: 1px solid #999; } tr:nth-child(even) td { background: #f4f4f4; }
td.l, th.l { text-align: left; } .used { color: #b03a2e; } .free { color: #1e8449; }
.problem { color: #fff; background: #c0392b; padding: 4px 8px; }
.ok { color: #fff; background: #1e8449; padding: 4px 8px; } code { font-size: 0.95em; }
"""


def _map(heap: Heap, width: int = 1000, height: int = 48) -> str:
    """An SVG strip: the heap from start to end, in-use blocks red, free blocks green."""
    span = max(heap.end - heap.start, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 20}" '
             f'role="img" aria-label="heap map">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ddd"/>']
    for block in heap.blocks:
        x = (block.address - heap.start) / span * width
        w = max(block.size / span * width, 0.6)
        colour = "#c0392b" if block.in_use else "#27ae60"
        state = "in use" if block.in_use else "free"
        parts.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" '
                     f'fill="{colour}" stroke="#fff" stroke-width="0.3"><title>0x{block.address:x}'
                     f' {block.size} bytes {state}</title></rect>')
    parts.append(f'<text x="0" y="{height + 15}" font-size="12">0x{heap.start:x}</text>')
    parts.append(f'<text x="{width}" y="{height + 15}" font-size="12" text-anchor="end">'
                 f'0x{heap.end:x}</text></svg>')
    return "\n".join(parts)


def heap_html(heap: Heap, title: str = "heap", calls: list[str] | None = None,
              limit: int = 5000) -> str:
    """Return the page for ``heap`` (``calls``: lines describing what ran before the walk;
    at most ``limit`` block rows). Raises nothing."""
    e = html.escape
    s = heap.stats
    rows = []
    for block in heap.blocks[:limit]:
        state = "used" if block.in_use else "free"
        rows.append(f'<tr><td>0x{block.address:x}</td><td>{block.size}</td>'
                    f'<td class="l {state}">{state}</td><td>0x{block.payload_start:x}</td>'
                    f'<td>0x{block.payload_end:x}</td></tr>')
    if len(heap.blocks) > limit:
        rows.append(f'<tr><td class="l" colspan="5">... {len(heap.blocks) - limit} more'
                    '</td></tr>')
    lists = "".join(
        f"<tr><td class='l'>{e(name)}</td><td>{len(entries)}</td><td class='l'><code>"
        f"{e(' '.join(hex(a) for a in entries[:12]))}{' ...' if len(entries) > 12 else ''}"
        "</code></td></tr>" for name, entries in heap.free_lists.items() if entries)
    verdict = (f'<p class="problem">check: {e(heap.problems[0])}</p>' if heap.problems
               else '<p class="ok">check: ok</p>')
    ran = "".join(f"<li><code>{e(c)}</code></li>" for c in calls or [])
    totals = (("arena", s.arena), ("in use (payload)", s.in_use), ("free", s.free),
              ("overhead", s.overhead), ("largest free block", s.largest_free),
              ("blocks in use", s.used_blocks), ("free blocks", s.free_blocks))
    stats = "".join(f"<tr><td class='l'>{name}</td><td>{value}</td></tr>"
                    for name, value in totals)
    stats += f"<tr><td class='l'>external fragmentation</td><td>{s.fragmentation:.3f}</td></tr>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>{_STYLE}</style></head><body>
<h1>{e(title)}: {e(heap.allocator)} heap 0x{heap.start:x}-0x{heap.end:x}</h1>
{f'<ul>{ran}</ul>' if ran else ''}
{verdict}
{_map(heap)}
<h2>Totals</h2><table>{stats}</table>
<h2>Free lists</h2><table><tr><th class="l">list</th><th>blocks</th><th class="l">first
addresses</th></tr>{lists}</table>
<h2>Blocks</h2><table><tr><th>address</th><th>size</th><th class="l">state</th>
<th>payload from</th><th>to</th></tr>{''.join(rows)}</table>
</body></html>
"""
