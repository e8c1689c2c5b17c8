"""Emitters of memory instructions: loads, stores, ``memory.size/grow/fill/copy/init``.

Loads and stores at addresses known to be aligned index a typed view of the memory's
buffer (``V32_0[a >> 2]``); others pick one of its shifted views by the address's low
bits (``V32U_0[a & 3][a >> 2]``: the list :meth:`~wasmem.memory.linear.LinearMemory.
bind_shifted_views` binds; two subscripts, about a quarter cheaper than a :mod:`struct`
call in CPython 3.11, and no test). Accesses without a view (bytes, sign-extending
loads, ``f32``) are ``struct`` calls or byte subscripts. An out-of-bounds access
raises from the view or ``struct`` (an ``IndexError``/``struct.error`` that the
boundary turns into the spec's trap, see :mod:`wasmem.exec.faults`). Each
function takes the :class:`~.codegen.FunctionCompiler` as its first argument ``c``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...syntax.instructions import Instruction
from ...syntax.opcodes import BY_NAME, OPCODES, Imm
from ...memory.access import (F32_VIEW_CODE, MEMORY_ACCESSES, load_expression,
                              signed_view_code, store_statement, view_code, view_name)
from . import f32_scratch
from .signed_loads import LoadEntry
from .slots import forwarded_load, remember_load, remember_store
from .stack import Entry
from .view_records import selected_views

if TYPE_CHECKING:
    from .codegen import FunctionCompiler

__all__ = ["HANDLERS", "VIEW_CODES"]

Handler = Callable[["FunctionCompiler", Instruction], None]

def _view_entry(name: str) -> tuple[str, int, int | None] | None:
    """For an access with an aligned fast path through a typed view: ``(view code,
    access size, mask the stored value needs or None)``."""
    code = view_code(name)
    if code is None:
        return None
    access = MEMORY_ACCESSES[name]
    mask = (1 << access.kind.bits) - 1 if access.narrow and not access.load else None
    return code, access.kind.size, mask


_VIEWS = {name: entry for name, access in MEMORY_ACCESSES.items()
          if access.load and (entry := _view_entry(name)) is not None}
"""Loads with an aligned fast path: name -> (view code, access size, None)."""
_STORE_VIEWS = {name: entry for name, access in MEMORY_ACCESSES.items()
                if not access.load and (entry := _view_entry(name)) is not None}
"""Stores with an aligned fast path: name -> (view code, access size, value mask)."""
_SIGNED_VIEWS = {name: (code, access.kind.size,
                        (1 << access.value_bits) - 1 if access.narrow else None)
                 for name, access in MEMORY_ACCESSES.items()
                 if (code := signed_view_code(name)) is not None}
"""Integer loads whose two's complement value a signed view reads: name -> (view code,
access size, mask giving the load's own (unsigned) value from it, or None when the
unsigned view gives that)."""
VIEW_CODES = {code: view_name(code) for code, _size, _mask in
              {*_VIEWS.values(), *_STORE_VIEWS.values(), *_SIGNED_VIEWS.values()}}
"""View type codes and the namespace prefix compiled code uses for them."""
F32_VIEW_NAME = view_name(F32_VIEW_CODE)
"""The prefix of the f32 views (``VF32_0``, shifted: ``VF32U_0``), for values not NaN."""


_LOAD_HI: dict[str, int] = {
    name: (1 << access.kind.bits) - 1 for name, access in MEMORY_ACCESSES.items()
    if access.load and not access.kind.signed}
"""Loads of unsigned integers: the largest value they can give."""


def _view_index(address: Entry, offset: int, shift: int, where: str) -> str:
    """Index into a typed view for an aligned access at ``address + offset``."""
    scaled = address.scaled
    if scaled is not None and scaled[1] == shift:
        base, _k, mask = scaled
        index = base if mask is None else f"({base} & {mask})"
        return f"{index} + {offset >> shift}" if offset else index
    if not offset and not address.depth:
        return f"{where} >> {shift}"
    return f"({where}) >> {shift}"


def _aligned(address: Entry, offset: int, size: int) -> bool:
    """True if ``address + offset`` is known to be a multiple of ``size``."""
    return address.align % size == 0 and offset % size == 0


def effective_address(c: FunctionCompiler, address: Entry, offset: int) -> str:
    if not offset:
        return address.expr
    if address.const is not None:
        return str(address.const + offset)
    return f"{address.expr} + {offset}"


_LOAD_TEXTS: dict[tuple[str, int], tuple[str, str]] = {}
"""Per load and memory: the text of :func:`load_expression` before and after the address."""


def _load_text(name: str, memory: int, where: str) -> str:
    """``load_expression(name, f"M{memory}", where)``, from text made once per load."""
    parts = _LOAD_TEXTS.get((name, memory))
    if parts is None:
        before, after = load_expression(name, f"M{memory}", "\0").split("\0")
        parts = _LOAD_TEXTS[name, memory] = (before, after)
    return parts[0] + where + parts[1]


def op_load(c: FunctionCompiler, ins: Instruction) -> None:
    info = OPCODES[ins.opcode]
    _align, offset, memory = ins.immediates
    address = c.stack.pop()
    if c.slot_values:
        forwarded = forwarded_load(c, info.name, memory, address, offset)
        if forwarded is not None:  # what a store just wrote there (see .slots)
            c.stack.push(forwarded)
            return
    where = effective_address(c, address, offset)
    view = _VIEWS.get(info.name)
    signed = _SIGNED_VIEWS.get(info.name)
    read: tuple[Callable[..., str], tuple[object, ...]] | str | None = None
    if signed is not None:
        code, size, signed_mask = signed
        if signed_mask is not None:  # a sign-extending load: the signed view, masked
            read = _view_read(VIEW_CODES[code], memory, address, offset, size, where, c)
            view = None
            text = f"({read} & {signed_mask})"
        else:  # (its text made only if a signed consumer asks: see .signed_loads)
            read = (_view_read, (VIEW_CODES[code], memory, address, offset, size, where))
    if view is not None:
        code, size, _mask = view
        text = _view_read(VIEW_CODES[code], memory, address, offset, size, where, c)
    elif read is None:
        text = _load_text(info.name, memory, where)
        if info.name == "f32.load" and f32_scratch.f32_scratch_exact() and not address.impure:
            # through the f32 view; a NaN (whose bits the view's conversion may change)
            # is read again by the call, at the address again (pure)
            view_read = _view_read(F32_VIEW_NAME, memory, address, offset, 4, where)
            text = f"(_r if (_r := {view_read}) == _r else {text})"
    hi = _LOAD_HI.get(info.name)
    if read is None:
        entry = Entry(text, address.refs, True, None, False, address.depth + 1,
                      None if hi is None else 0, hi)
    else:
        entry = LoadEntry(text, address.refs, True, None, False, address.depth + 1,
                          None if hi is None else 0, hi)
        entry.read = read
        sites = c.stack.sites
        entry.site = None if sites is None else (sites.function, sites.position,
                                                 sites.outer)
    c.stack.push(entry)
    remember_load(c, info.name, memory, address, offset, entry)


def _view_read(prefix: str, memory: int, address: Entry, offset: int, size: int,
               where: str, c: FunctionCompiler | None = None) -> str:
    """The read of the view ``prefix`` (``V32``: ``V32_0`` if the address is known
    aligned, else the shifted views ``V32U_0``) at ``address + offset`` (text ``where``;
    with ``c``, the shifted view selected once per base local, :mod:`.view_records`)."""
    shift = size.bit_length() - 1
    if _aligned(address, offset, size):
        return f"{prefix}_{memory}[{_view_index(address, offset, shift, where)}]"
    if not address.depth:  # (.simple, inline)
        return _shifted(f"{prefix}U_{memory}", address, offset, shift, c, memory)
    # (the address once: a walrus name no other load's text can interleave)
    return f"{prefix}U_{memory}[(_m := {where}) & {size - 1}][_m >> {shift}]"


def op_store(c: FunctionCompiler, ins: Instruction) -> None:
    info = OPCODES[ins.opcode]
    _align, offset, memory = ins.immediates
    view = _STORE_VIEWS.get(info.name)
    size = view[1] if view is not None else info.memory_size
    address, value = c.stack.items[-2], c.stack.items[-1]
    if (address.impure and value.impure
            and (info.memory_size == 1 or (view is not None
                                           and _aligned(address, offset, size)))):
        # `m[a] = v` evaluates v before a: keep the spec's order of traps
        c.stack.materialize(len(c.stack) - 2)
    if info.name == "f32.store" and f32_scratch.f32_scratch_exact() \
            and not c.stack.items[-1].simple:
        c.stack.materialize(len(c.stack) - 1)  # (impure entries below it, first)
    value = c.stack.pop()
    address = c.stack.pop()
    c.stack.flush_impure()
    remember_store(c, info.name, memory, address, offset, value, info.memory_size)
    address_text = effective_address(c, address, offset)
    fits = value.hi is not None and value.hi < 1 << 8 * info.memory_size
    text = value.expr
    if value.raw is not None and not fits and MEMORY_ACCESSES[info.name].narrow:
        # an unreduced chain is exact modulo the value's width, so modulo the narrower
        # access's too: the store's own mask reduces it (one mask, not two)
        text = value.raw
    if view is None:
        statement = store_statement(info.name, f"M{memory}", address_text, text, fits)
        if (info.name == "f32.store" and f32_scratch.f32_scratch_exact() and value.simple
                and (address.simple or _aligned(address, offset, 4))):
            # through the f32 view; a NaN is written again by the call, which keeps
            # its bits (the view's store traps first if the access is out of bounds)
            if _aligned(address, offset, 4):
                index = _view_index(address, offset, 2, address_text)
                target = f"{F32_VIEW_NAME}_{memory}[{index}]"
            else:
                target = _shifted(f"{F32_VIEW_NAME}U_{memory}", address, offset, 2)
            statement = f"{target} = {text}; {text} == {text} or {statement}"
        c.emit(statement)
        return
    code, size, mask = view
    name = f"{VIEW_CODES[code]}_{memory}"
    shift = size.bit_length() - 1
    v = text if mask is None or fits else f"{text} & {mask}"
    if _aligned(address, offset, size):
        c.emit(f"{name}[{_view_index(address, offset, shift, address_text)}] = {v}")
        return
    if address.depth:  # (not .simple, inline)
        # named first: evaluated before the value, as the spec orders them (Python
        # evaluates an assignment's value before its target)
        temp = c.new_temp()
        c.emit(f"{temp} = {address_text}")
        address, offset = Entry(temp, frozenset((temp,))), 0
    views = f"{VIEW_CODES[code]}U_{memory}"
    c.emit(f"{_shifted(views, address, offset, shift, c, memory)} = {v}")


def _shifted(views: str, address: Entry, offset: int, shift: int,
             c: FunctionCompiler | None = None, memory: int = 0) -> str:
    """The item of the shifted views ``views`` (a list, see the module's docstring) at
    ``address + offset``, ``address`` a variable or a literal (with ``c``: the view
    selected once per base local, :mod:`.view_records`)."""
    mask = (1 << shift) - 1
    if address.const is not None:
        at = int(address.const) + offset
        return f"{views}[{at & mask}][{at >> shift}]"
    base = address.expr
    if offset & mask:
        return f"{views}[({base} + {offset}) & {mask}][({base} + {offset}) >> {shift}]"
    index = f"({base} >> {shift}) + {offset >> shift}" if offset else f"{base} >> {shift}"
    if c is None:
        return f"{views}[{base} & {mask}][{index}]"
    return f"{selected_views(c, views, memory, address, mask)}[{index}]"


def op_memory_size(c: FunctionCompiler, ins: Instruction) -> None:
    memory = ins.immediates[0]
    limit = 1 << 48 if c.ctx.memory64(memory) else 1 << 16
    c.stack.push(Entry(f"(len(M{memory}) >> 16)", frozenset(), True, None, False, 1,
                       lo=0, hi=limit))


def address_mask(c: FunctionCompiler, memory: int) -> str:
    return "0xFFFFFFFFFFFFFFFF" if c.ctx.memory64(memory) else "0xFFFFFFFF"


def op_memory_grow(c: FunctionCompiler, ins: Instruction) -> None:
    memory = ins.immediates[0]
    delta = c.stack.pop()
    c.stack.flush_impure()
    c.assign_result(f"MEM{memory}.grow({delta.expr}) & {address_mask(c, memory)}")


def op_memory_fill(c: FunctionCompiler, ins: Instruction) -> None:
    memory = ins.immediates[0]
    d, v, n = c.stack.pop_n(3)
    c.stack.flush_impure()
    c.emit(f"MEM{memory}.fill({d.expr}, {v.expr}, {n.expr})")


def op_memory_copy(c: FunctionCompiler, ins: Instruction) -> None:
    destination, source = ins.immediates
    d, s, n = c.stack.pop_n(3)
    c.stack.flush_impure()
    other = "" if destination == source else f", MEM{source}"
    c.emit(f"MEM{destination}.copy({d.expr}, {s.expr}, {n.expr}{other})")


def op_memory_init(c: FunctionCompiler, ins: Instruction) -> None:
    data, memory = ins.immediates
    d, s, n = c.stack.pop_n(3)
    c.stack.flush_impure()
    c.emit(f"MEM{memory}.init({d.expr}, DATA[{data}], {s.expr}, {n.expr})")


def op_data_drop(c: FunctionCompiler, ins: Instruction) -> None:
    c.stack.flush_impure()  # a pending trap comes first: the segment stays
    c.emit(f"DATA[{ins.immediates[0]}] = b''")


def _accesses() -> dict[int, Handler]:
    """The loads' and stores' emitters by opcode key (a loop with locals: an enum member
    looked up per row cost 0.15 us each, at import)."""
    memarg = Imm.MEMARG
    return {key: op_load if info.results else op_store for key, info in OPCODES.items()
            if info.imm is memarg and info.feature == "core"}


HANDLERS: dict[int, Handler] = {
    **_accesses(),
    **{BY_NAME[name].key: handler for name, handler in {
        "memory.size": op_memory_size, "memory.grow": op_memory_grow,
        "memory.fill": op_memory_fill, "memory.copy": op_memory_copy,
        "memory.init": op_memory_init, "data.drop": op_data_drop,
    }.items()}}
"""Emitters of this family by opcode key."""
