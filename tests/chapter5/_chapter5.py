"""Shared helpers of the chapter 5 tests: where the examples are, and loading them."""

from __future__ import annotations

from pathlib import Path

from _data import CHAPTER_TEXT, ROOT

import wasmem

EXAMPLES = ROOT / "src" / "wasmem" / "examples" / "chapter5"
AS_PRINTED = EXAMPLES / "as_printed"
CHAPTER = CHAPTER_TEXT

NAMES = [
    "01-memory-basics", "02-memory-layout", "03-memory-grow", "04-loads", "05-stores",
    "06-bulk-memory", "07-static-data", "08-passive-data", "09-alignment",
    "10-performance", "11-heap-allocator", "12-pool-allocator",
]
"""The twelve listings of the chapter, in order."""

FUEL = 20_000_000


def load(name: str, *, fuel: int | None = FUEL, folder: Path = EXAMPLES) -> wasmem.Instance:
    """Instantiate ``folder/name.wat`` through the public API (text parser included)."""
    return wasmem.Instance(wasmem.Module.from_file(folder / f"{name}.wat"), fuel=fuel)
