"""Seeing memory: hexdumps, maps of what is in use, snapshots and diffs.

All functions read through :class:`~wasmem.memory.linear.LinearMemory` and never write.
"""

from __future__ import annotations

from dataclasses import dataclass

from .linear import PAGE_SIZE, LinearMemory

__all__ = ["hexdump", "Region", "regions", "memory_map", "Snapshot", "Change", "diff"]


def hexdump(memory: LinearMemory, address: int = 0, length: int = 256, *, width: int = 16,
            skip_zero_lines: bool = False) -> str:
    """Return a ``hexdump -C`` style dump of ``length`` bytes from ``address``.

    The range is clipped to the memory; lines of zeros are folded into ``*`` when
    ``skip_zero_lines``. Raises nothing.
    """
    size = memory.size_bytes
    start = max(0, min(address, size))
    end = max(start, min(address + length, size))
    data = bytes(memory.data[start:end])
    lines: list[str] = []
    folded = False
    base = start - start % width
    for line_start in range(base, end, width):
        lo = max(line_start, start)
        hi = min(line_start + width, end)
        chunk = data[lo - start:hi - start]
        if skip_zero_lines and not any(chunk) and lo == line_start and hi - lo == width:
            if not folded:
                lines.append("*")
                folded = True
            continue
        folded = False
        cells = []
        for k in range(width):
            a = line_start + k
            cells.append(f"{data[a - start]:02x}" if lo <= a < hi else "  ")
        half = width // 2
        hexpart = " ".join(cells[:half]) + "  " + " ".join(cells[half:])
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        pad = " " * (lo - line_start)
        lines.append(f"{line_start:08x}  {hexpart}  |{pad}{text}|")
    if not lines:
        return f"(empty range 0x{address:x}..0x{address + length:x} of a "\
               f"{size}-byte memory)"
    return "\n".join(lines)


@dataclass(frozen=True)
class Region:
    """A run of bytes that are in use (not zero), or of zeros."""

    start: int
    end: int
    used: bool

    @property
    def size(self) -> int:
        """Bytes in the region."""
        return self.end - self.start


def regions(memory: LinearMemory, *, granularity: int = 16, gap: int = 64) -> list[Region]:
    """Split memory into used (non-zero) and empty regions.

    Works on ``granularity``-byte blocks; empty stretches shorter than ``gap`` bytes
    between used blocks count as used. Raises nothing.
    """
    data = memory.data
    size = len(data)
    used_blocks: list[tuple[int, int]] = []
    zero_block = bytes(granularity)
    # scan page by page first: skipping all-zero pages is fast (C compare)
    zero_page = bytes(PAGE_SIZE)
    for page_start in range(0, size, PAGE_SIZE):
        page = data[page_start:page_start + PAGE_SIZE]
        if page == zero_page[:len(page)]:
            continue
        for offset in range(0, len(page), granularity):
            if page[offset:offset + granularity] != zero_block[:len(page) - offset]:
                start = page_start + offset
                end = min(start + granularity, size)
                if used_blocks and start - used_blocks[-1][1] < gap:
                    used_blocks[-1] = (used_blocks[-1][0], end)
                else:
                    used_blocks.append((start, end))
    out: list[Region] = []
    cursor = 0
    for start, end in used_blocks:
        if start > cursor:
            out.append(Region(cursor, start, False))
        out.append(Region(start, end, True))
        cursor = end
    if cursor < size:
        out.append(Region(cursor, size, False))
    return out


def memory_map(memory: LinearMemory, *, labels: dict[int, str] | None = None,
               granularity: int = 16) -> str:
    """Return a readable map of the memory: size, limits and used/empty regions.

    ``labels`` maps addresses to names (e.g. data segments, heap start) shown beside the
    region that contains them.
    """
    maximum = memory.type.limits.max
    head = (f"memory: {memory.pages} page(s) = {memory.size_bytes} bytes"
            f" ({'no maximum' if maximum is None else f'max {maximum} pages'}"
            f"{', 64-bit addresses' if memory.is64 else ''})")
    lines = [head]
    marks = sorted((labels or {}).items())
    for region in regions(memory, granularity=granularity):
        names = [n for a, n in marks if region.start <= a < region.end]
        kind = "used " if region.used else "empty"
        note = f"  <- {', '.join(names)}" if names else ""
        lines.append(f"  0x{region.start:08x}-0x{region.end:08x}  {kind} "
                     f"{_human(region.size):>9}{note}")
    return "\n".join(lines)


def _human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


class Snapshot:
    """A copy of a memory's bytes at one moment, to diff against later."""

    def __init__(self, memory: LinearMemory) -> None:
        self.memory = memory
        self.data = bytes(memory.data)


@dataclass(frozen=True)
class Change:
    """A changed byte range: ``before`` and ``after`` hold the bytes of the range
    (``before`` is empty past the snapshot's end, after a grow)."""

    start: int
    before: bytes
    after: bytes

    @property
    def end(self) -> int:
        """One past the last changed byte."""
        return self.start + len(self.after)


def diff(snapshot: Snapshot, memory: LinearMemory | None = None, *, block: int = 64,
         merge_gap: int = 8) -> list[Change]:
    """Return the byte ranges that differ between ``snapshot`` and the memory now.

    Compares ``block``-byte blocks first (fast), then narrows each changed block to its
    exact bytes; nearby changes (closer than ``merge_gap``) are merged. Raises nothing.
    """
    current = memory if memory is not None else snapshot.memory
    old = snapshot.data
    new = bytes(current.data)
    changes: list[tuple[int, int]] = []
    limit = max(len(old), len(new))
    for start in range(0, limit, block):
        a = old[start:start + block]
        b = new[start:start + block]
        if a == b:
            continue
        n = max(len(a), len(b))
        k = 0
        while k < n:
            if k < len(a) and k < len(b) and a[k] == b[k]:
                k += 1
                continue
            first = k
            while k < n and not (k < len(a) and k < len(b) and a[k] == b[k]):
                k += 1
            lo, hi = start + first, start + k
            if changes and lo - changes[-1][1] <= merge_gap:
                changes[-1] = (changes[-1][0], hi)
            else:
                changes.append((lo, hi))
    return [Change(lo, old[lo:hi], new[lo:hi]) for lo, hi in changes]
