"""Store-to-load forwarding in straight-line code (frame slots of unoptimised C).

clang at -O0 keeps every C variable in a slot of the stack frame, addressed from a
local that holds the frame pointer: ``i32.store offset=12 (local.get 3) (local.get 24)``
followed soon by ``i32.load offset=12 (local.get 3)``. Each is a ``struct`` call in the
generated code. While the generator translates one straight-line stretch, it remembers
what the last full-width integer store wrote at ``<local> + offset`` when the stored
value was a local or a constant (or which local a full-width load from there was
assigned to, :func:`loaded_into`); a later load of the same width from the same place
reads that local or constant instead of the memory (the store succeeded, so the load
cannot trap, and nothing in between wrote there).

What ends a record:

* a store through another address expression (it may alias), or one overlapping the
  slot through the same one;
* an assignment to the base local or to the stored local (:func:`forget_local`);
* any instruction outside :data:`SLOT_SAFE` (calls, control flow, bulk memory,
  ``memory.grow``), before and after it: everything is forgotten, so records never
  cross a branch, a merge point or a loop header (:func:`.codegen.FunctionCompiler.
  emit_sequence` does this). Only the bodies of ``block`` and ``if``
  (:data:`SLOT_ENTERED`), entered from the code before them alone, start with the
  records of that code (an ``else`` body with those of the code before the ``if``);
  a loop's body and a ``try_table``'s start with none (``.emit_blocks``).

Shared memories are left alone (another thread may write between the two accesses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ...syntax.opcodes import OPCODES, Op
from .stack import Entry, const_entry

__all__ = ["SLOT_ENTERED", "SLOT_SAFE", "Translator", "forget_local", "forget_slots",
           "forwarded_load", "loaded_into", "remember_load", "remember_store"]

_WIDTHS = {"i32.store": ("i32.load", 4, 0xFFFFFFFF), "i64.store": ("i64.load", 8, (1 << 64) - 1)}
"""Stores whose value a same-width load reads back unchanged: store -> (load, size, max)."""
_LOADS = {"i32.load": 4, "i64.load": 8}

_NAMES = ("local.get", "local.set", "local.tee", "global.get", "global.set", "drop",
          "select", "nop", "i32.const", "i64.const", "f32.const", "f64.const", "br_if")


def _slot_safe() -> frozenset[int]:
    """The opcodes of :data:`SLOT_SAFE` (one loop with locals: it runs at import)."""
    names, numeric, access = _NAMES, ("i32.", "i64.", "f32.", "f64."), ("load", "store")
    safe = []
    for key, info in OPCODES.items():
        if info.feature != "core":  # (no SIMD or GC instruction qualifies)
            continue
        name = info.name
        if name in names or (name[:4] in numeric and (
                not info.memory_size or name.split(".")[1].startswith(access))):
            safe.append(key)
    return frozenset(safe)


SLOT_SAFE: frozenset[int] = _slot_safe()
"""Instructions that keep the records: no call, no memory effect but plain loads and
stores (which :func:`remember_store` accounts for), no control flow but ``br_if`` (the
code after it is reached by falling through only; where it branches to is a block's end
or a loop's header, where records are forgotten)."""

SLOT_ENTERED: frozenset[int] = frozenset((Op.BLOCK, Op.IF))
"""Constructs whose bodies start with the records of the code before them."""



if TYPE_CHECKING:  # (a Protocol class costs 0.1 ms to create at import; only the type
    # checker needs it)
    class Translator(Protocol):
        """What these functions use of :class:`.codegen.FunctionCompiler` (named apart so
        that this module does not import the generator)."""

        ctx: Any
        local_prefix: str
        slot_values: dict[tuple[int, str, int], tuple[str, int, str]]
        slot_loads: dict[int, tuple[Entry, tuple[int, str, int], str, int]]
        view_records: dict[tuple[str, str], str]
else:
    Translator = Any


def _is_local(c: Translator, name: str) -> bool:
    """True if ``name`` is a local of the scope being translated (``l3``, ``i2_0``)."""
    prefix = c.local_prefix
    return name.startswith(prefix) and name[len(prefix):].isdigit()


def _base(c: Translator, address: Entry, offset: int) -> tuple[str, int] | None:
    """The record key's (base, offset) of an access, or None when not trackable."""
    if address.const is not None and isinstance(address.const, int):
        return "", address.const + offset
    if _is_local(c, address.expr):
        return address.expr, offset
    return None


def remember_store(c: Translator, name: str, memory: int, address: Entry, offset: int,
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
    elif _is_local(c, value.expr):
        text = value.expr
    else:
        return
    records[(memory, *key)] = (_WIDTHS[name][0], size, text)


def forwarded_load(c: Translator, name: str, memory: int, address: Entry,
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
    return Entry(text, frozenset((text,)), False, None, False, 0, 0,
                 (1 << 8 * record[1]) - 1)


def forget_local(c: Translator, name: str) -> None:
    """Forget the records that read local ``name`` (about to be assigned)."""
    records = c.slot_values
    for key in [k for k, v in records.items() if k[1] == name or v[2] == name]:
        del records[key]


def remember_load(c: Translator, name: str, memory: int, address: Entry, offset: int,
                  entry: Entry) -> None:
    """Note that ``entry`` (just pushed) is load ``name`` at ``address + offset``: if a
    ``local.set`` takes it as it is, the local holds what is there (:func:`loaded_into`)."""
    if name not in _LOADS or c.ctx.memories[memory].shared:
        return
    key = _base(c, address, offset)
    if key is not None:
        c.slot_loads[id(entry)] = (entry, (memory, *key), name, _LOADS[name])


def loaded_into(c: Translator, local: str, value: Entry) -> None:
    """``local`` was just assigned ``value``: remember the slot it was loaded from."""
    pending = c.slot_loads.pop(id(value), None)
    if pending is None or pending[0] is not value or pending[1][1] == local:
        return
    if not _is_local(c, local):
        return
    c.slot_values[pending[1]] = (pending[2], pending[3], local)


def forget_slots(c: Translator) -> None:
    """Forget every record (control flow, a call, a memory instruction not tracked), the
    shifted views selected once too (:mod:`.view_records`)."""
    if c.slot_values:
        c.slot_values.clear()
    if c.slot_loads:
        c.slot_loads.clear()
    if c.view_records:
        c.view_records.clear()
