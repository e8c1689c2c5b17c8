"""The figure of the compiled programs' speed ratios over pwasm, as SVG text written with
the standard library only (no plotting package is needed to run the suite).

One group of horizontal bars per program (and one for the geometric means): for each
size, cold wasmem against cold pwasm and warm wasmem against warm pwasm, on a
logarithmic axis with the parity line (1x) and the 2x target marked.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

from .program_report import COMPILED_TARGET, Rows, program_ratios
from .report import geomean

__all__ = ["SERIES_COLOURS", "ratio_figure", "write_figure"]

SERIES_COLOURS = {("short", "cold"): "#9ecae1", ("short", "warm"): "#3182bd",
                  ("long", "cold"): "#fdae6b", ("long", "warm"): "#e6550d",
                  ("tiny", "cold"): "#c7e9c0", ("tiny", "warm"): "#31a354"}
"""Bar colour per (size, cold/warm)."""

_MODES = (("cold", "wasmem", "pwasm"), ("warm", "wasmem-warm", "pwasm-warm"))
_LEFT, _RIGHT, _TOP, _BAR, _GAP, _WIDTH = 110, 60, 64, 11, 12, 760


def _series(rows: Rows, names: list[str], sizes: tuple[str, ...],
            ) -> list[tuple[str, list[tuple[str, float | None]]]]:
    """``[(group, [(series key, ratio or None), ...]), ...]``, programs then geomean."""
    per: dict[tuple[str, str], dict[str, float]] = {
        (size, mode): program_ratios(rows, size, ours, peer)
        for size in sizes for mode, ours, peer in _MODES}
    groups = [(name, [(f"{size} {mode}", per[size, mode].get(name))
                      for size in sizes for mode, _, _ in _MODES]) for name in names]
    groups.append(("geomean", [(f"{size} {mode}", geomean(list(per[size, mode].values())))
                               for size in sizes for mode, _, _ in _MODES]))
    return groups


def ratio_figure(rows: Rows, names: list[str], sizes: tuple[str, ...], title: str) -> str:
    """Return the SVG document of the ratios (pwasm time / wasmem time) per program."""
    groups = _series(rows, names, sizes)
    values = [v for _, series in groups for _, v in series if v]
    low = min([0.5, *values]) / 1.2
    high = max([COMPILED_TARGET * 2, *values]) * 1.2
    span = math.log(high) - math.log(low)
    plot = _WIDTH - _LEFT - _RIGHT

    def x(value: float) -> float:
        return _LEFT + plot * (math.log(value) - math.log(low)) / span

    per_group = len(groups[0][1]) * _BAR + _GAP
    height = _TOP + len(groups) * per_group + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
           f'viewBox="0 0 {_WIDTH} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{_WIDTH}" height="{height}" fill="white"/>',
           f'<text x="{_WIDTH / 2}" y="16" text-anchor="middle" font-size="13">'
           f'{escape(title)}</text>']
    for i, (key, _) in enumerate(groups[0][1]):  # legend
        size, mode = key.split()
        lx = _LEFT + i * 105
        out.append(f'<rect x="{lx}" y="28" width="12" height="10" '
                   f'fill="{SERIES_COLOURS.get((size, mode), "#999")}"/>')
        out.append(f'<text x="{lx + 16}" y="37">{escape(key)}</text>')
    bottom = height - 32
    tick = 2.0 ** math.floor(math.log2(low))
    while tick <= high:
        if tick >= low:
            tx = x(tick)
            colour, dash = (("#333", "") if tick == 1 else ("#c00", ' stroke-dasharray="4 3"')
                            if tick == COMPILED_TARGET else ("#ddd", ""))
            out.append(f'<line x1="{tx:.1f}" y1="{_TOP - 8}" x2="{tx:.1f}" y2="{bottom}" '
                       f'stroke="{colour}"{dash}/>')
            label = f"{tick:g}x"
            out.append(f'<text x="{tx:.1f}" y="{bottom + 14}" text-anchor="middle">'
                       f'{label}</text>')
        tick *= 2
    out.append(f'<text x="{_LEFT + plot / 2}" y="{bottom + 28}" text-anchor="middle">'
               'pwasm time / wasmem time (log scale; right of 1x: wasmem faster; dashed: '
               f'the {COMPILED_TARGET:g}x target)</text>')
    y = _TOP
    for name, series in groups:
        weight = ' font-weight="bold"' if name == "geomean" else ""
        out.append(f'<text x="{_LEFT - 6}" y="{y + len(series) * _BAR / 2 + 4:.1f}" '
                   f'text-anchor="end"{weight}>{escape(name)}</text>')
        for key, value in series:
            size, mode = key.split()
            if value:
                end = x(value)
                start = x(1.0)
                out.append(f'<rect x="{min(start, end):.1f}" y="{y + 1}" '
                           f'width="{abs(end - start):.1f}" height="{_BAR - 2}" '
                           f'fill="{SERIES_COLOURS.get((size, mode), "#999")}"/>')
                label_x, anchor = (end + 3, "start") if value >= 1 else (end - 3, "end")
                out.append(f'<text x="{label_x:.1f}" y="{y + _BAR - 2}" '
                           f'text-anchor="{anchor}" font-size="9">{value:.2f}</text>')
            else:
                out.append(f'<text x="{x(1.0) + 3:.1f}" y="{y + _BAR - 2}" font-size="9" '
                           'fill="#999">n/a</text>')
            y += _BAR
        y += _GAP
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_figure(path: Path, rows: Rows, names: list[str], sizes: tuple[str, ...],
                 title: str) -> None:
    """Write :func:`ratio_figure` to ``path``.

    Raises:
        OSError: the file cannot be written.
    """
    path.write_text(ratio_figure(rows, names, sizes, title), encoding="utf-8")
