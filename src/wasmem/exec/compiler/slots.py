"""Store-to-load forwarding in straight-line code (frame slots of unoptimised C).

clang at -O0 keeps every C variable in a slot of the stack frame, addressed from a
local that holds the frame pointer: ``i32.store offset=12 (local.get 3) (local.get 24)``
followed soon by ``i32.load offset=12 (local.get 3)``. Each is a ``struct`` call in the
generated code. While the generator translates one straight-line stretch, it remembers
what the last full-width integer store wrote at ``<local> + offset`` when the stored
value was a local or a constant; a later load of the same width from the same place
reads that local or constant instead of the memory (the store succeeded, so the load
cannot trap, and nothing in between wrote there).

What ends a record:

* a store through another address expression (it may alias), or one overlapping the
  slot through the same one;
* an assignment to the base local or to the stored local (:func:`forget_local`);
* any instruction outside :data:`SLOT_SAFE` (calls, control flow, bulk memory,
  ``memory.grow``), before and after it: everything is forgotten, so records never
  cross a branch, a merge point or a loop header (:func:`.codegen.FunctionCompiler.
  emit_sequence` does this).

Shared memories are left alone (another thread may write between the two accesses).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...syntax.opcodes import OPCODES, OpClass
from .stack import Entry, const_entry

if TYPE_CHECKING:
    from .codegen import FunctionCompiler

__all__ = ["SLOT_SAFE", "forget_local", "forwarded_load", "remember_store"]

_WIDTHS = {"i32.store": ("i32.load", 4, 0xFFFFFFFF), "i64.store": ("i64.load", 8, (1 << 64) - 1)}
"""Stores whose value a same-width load reads back unchanged: store -> (load, size, max)."""

_NAMES = ("local.get", "local.set", "local.tee", "global.get", "global.set", "drop",
          "select", "nop", "i32.const", "i64.const", "f32.const", "f64.const")

SLOT_SAFE: frozenset[int] = frozenset(
    key for key, info in OPCODES.items()
    if info.name in _NAMES or (info.classes & OpClass.NUMERIC and info.memory_size == 0)
    or (info.memory_size and info.name.split(".")[1].startswith(("load", "store"))
        and "atomic" not in info.name and "lane" not in info.name))
"""Instructions that keep the records: no control flow, no call, no memory effect but
plain loads and stores (which :func:`remember_store` accounts for)."""

_LOCAL = re.compile(r"(?:l|i\d+_)\d+")


def _base(c: FunctionCompiler, address: Entry, offset: int) -> tuple[str, int] | None:
    """The record key's (base, offset) of an access, or None when not trackable."""
    if address.const is not None and isinstance(address.const, int):
        return "", address.const + offset
    if _LOCAL.fullmatch(address.expr) and address.expr.startswith(c.local_prefix):
        return address.expr, offset
    return None


def remember_store(c: FunctionCompiler, name: str, memory: int, address: Entry, offset: int,
                   value: Entry, size: int) -> None:
    """Account for the store ``name`` of ``value`` at ``address + offset`` (``size``
    bytes) just emitted: forget what it may overwrite, remember what it wrote."""
    records = c.slot_values
    key = _base(c, address, offset)
    if records:
        if key is None:
            records.clear()
        else:
            for old in [k for k in records if k[0] == memory]:
                _m, base, at = old
                if base != key[0] or (at < key[1] + size and key[1] < at + records[old][1]):
                    del records[old]
    if key is None or name not in _WIDTHS or c.ctx.memories[memory].shared:
        return
    if value.const is not None and isinstance(value.const, int):
        text = str(value.const & _WIDTHS[name][2])
    elif _LOCAL.fullmatch(value.expr) and value.expr.startswith(c.local_prefix):
        text = value.expr
    else:
        return
    records[(memory, *key)] = (_WIDTHS[name][0], size, text)


def forwarded_load(c: FunctionCompiler, name: str, memory: int, address: Entry,
                   offset: int) -> Entry | None:
    """The entry standing for load ``name`` at ``address + offset`` if a remembered store
    wrote there, else None."""
    key = _base(c, address, offset)
    if key is None:
        return None
    record = c.slot_values.get((memory, *key))
    if record is None or record[0] != name:
        return None
    text = record[2]
    if text.isdigit():
        return const_entry(int(text))
    return Entry(text, frozenset((text,)), lo=0, hi=(1 << 8 * record[1]) - 1)


def forget_local(c: FunctionCompiler, name: str) -> None:
    """Forget the records that read local ``name`` (about to be assigned)."""
    records = c.slot_values
    for key in [k for k, v in records.items() if k[1] == name or v[2] == name]:
        del records[key]
