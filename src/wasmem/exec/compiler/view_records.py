"""Shifted views selected once per base local in straight-line code.

An access of unknown alignment through a local ``p`` (a pointer loaded from memory, a
parameter not tested at entry) reads ``V32U_0[p & 3][(p >> 2) + k]`` (see
:mod:`.emit_memory`): the list of shifted views is indexed by the address's low bits at
every access. Compiled C reads and writes several fields through one pointer in a row
(``p->left``, ``p->right``, ``p->key``), so while the generator translates one
straight-line stretch it selects the view once, at the first such access through ``p``::

    V32U_0_l1_4 = V32U_0[l1 & 3]
    ... V32U_0_l1_4[(l1 >> 2) + 3] ... V32U_0_l1_4[(l1 >> 2) + 4] ...

(four bytecodes less at each later access, two more at the first: a record is made only
where the straight-line code after the access reads the local again, :func:`_used_again`;
the selection cannot trap, so emitting it before the access, even before accesses that
end up not evaluated, changes nothing).

A record ends where the selected view could stop being the one the list holds or the
local could change, as the frame-slot records of :mod:`.slots` do: an assignment to the
local (:func:`forget_views`), and every instruction outside :data:`.slots.SLOT_SAFE`
(calls, even of functions that write no memory: ``memory.grow`` replaces the list's
views; control flow: records never cross a merge point or a loop header); ``block`` and
``if`` bodies start with the records of the code before them. A record's variable is
fresh (numbered) and assigned once, and every access text that uses it also reads the
local, so an access still on the symbolic stack is emitted before the local changes.
Shared memories are left alone (another thread may grow them between two accesses).

The name says what it holds (``<views>_<local>_<n>``), so that :mod:`wasmem.exec.faults`
can tell the address of an access that traps: ``(local & mask) + (index << shift)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...syntax.opcodes import OPCODES, Op
from .slots import SLOT_SAFE, _is_local
from .stack import Entry

if TYPE_CHECKING:
    from .codegen import FunctionCompiler
else:
    FunctionCompiler = Any

__all__ = ["forget_views", "selected_views"]


def selected_views(c: FunctionCompiler, views: str, memory: int, address: Entry,
                   mask: int) -> str:
    """The text of ``views[address & mask]`` for an access at ``address`` (plus an
    offset that is a multiple of ``mask + 1``): a record's variable when ``address`` is
    a local of the function being translated (assigned now if there is none), else the
    subscript itself. Raises nothing."""
    name = address.expr
    if (address.depth or address.const is not None or not _is_local(c, name)
            or c.ctx.memories[memory].shared):
        return f"{views}[{name} & {mask}]"
    key = (views, name)
    found: str | None = c.view_records.get(key)
    if found is None:
        if not _used_again(c, int(name[len(c.local_prefix):]), mask + 1):
            return f"{views}[{name} & {mask}]"
        c.view_count += 1
        found = f"{views}_{name}_{c.view_count}"
        c.emit(f"{found} = {views}[{name} & {mask}]")
        c.view_records[key] = found
    return found


def forget_views(c: FunctionCompiler, name: str) -> None:
    """Forget the records of local ``name`` (about to be assigned). Raises nothing."""
    records = c.view_records
    for key in [key for key in records if key[1] == name]:
        del records[key]


LOOKAHEAD = 64
"""How many instructions after an access :func:`_used_again` looks at."""

_WIDE_LOADS = {key: info.memory_size for key, info in OPCODES.items()
               if info.feature == "core" and (info.memory_size or 0) > 1 and ".load" in info.name}
"""Loads of two bytes or more (through a shifted view when not known aligned): their
sizes."""
_WIDE_STORES = {key: info.memory_size for key, info in OPCODES.items()
                if info.feature == "core" and (info.memory_size or 0) > 1
                and ".store" in info.name}
"""Stores of two bytes or more: their sizes."""
_PUSH_ONE = frozenset((Op.LOCAL_GET, Op.GLOBAL_GET, Op.I32_CONST, Op.I64_CONST,
                       Op.F32_CONST, Op.F64_CONST))
"""Instructions that push one value and pop none."""


def _arities() -> dict[int, tuple[int, int]]:
    """``(operands popped, results pushed)`` of each instruction of :data:`SLOT_SAFE`."""
    known = {Op.LOCAL_SET: (1, 0), Op.LOCAL_TEE: (1, 1), Op.GLOBAL_SET: (1, 0),
             Op.DROP: (1, 0), Op.BR_IF: (1, 0), Op.SELECT: (3, 1), Op.NOP: (0, 0)}
    table: dict[int, tuple[int, int]] = {}
    for key in SLOT_SAFE:
        info = OPCODES[key]
        if key in _PUSH_ONE:
            table[key] = (0, 1)
        elif key in known:
            table[key] = known[key]
        elif ".load" in info.name:
            table[key] = (1, 1)
        elif ".store" in info.name:
            table[key] = (2, 0)
        elif info.params is not None and info.results is not None:
            table[key] = (len(info.params), len(info.results))
    return table


_ARITY = _arities()
"""What :func:`_used_again` knows of each instruction's effect on the operand stack (an
instruction of :data:`SLOT_SAFE` missing here ends its look-ahead)."""


_PLAIN, _GET, _SET, _LOAD, _STORE = range(5)
"""Kinds of instruction in :data:`_STEPS`."""


def _steps() -> dict[int, tuple[int, int, bool, int]]:
    """What :func:`_used_again` does at each instruction of :data:`_ARITY`: its kind
    (``_GET``/``_SET``: ``local.get``, or ``local.set``/``local.tee``; ``_LOAD`` /
    ``_STORE``: of :data:`_WIDE_LOADS` / :data:`_WIDE_STORES`; else ``_PLAIN``), the
    operands it pops, whether it pushes a result (every instruction of :data:`SLOT_SAFE`
    pushes one at most), and the access's size."""
    table: dict[int, tuple[int, int, bool, int]] = {}
    for key, (pops, pushes) in _ARITY.items():
        kind, size = _PLAIN, 0
        if key == Op.LOCAL_GET:
            kind = _GET
        elif key in (Op.LOCAL_SET, Op.LOCAL_TEE):
            kind = _SET
        elif key in _WIDE_LOADS:
            kind, size = _LOAD, _WIDE_LOADS[key]
        elif key in _WIDE_STORES:
            kind, size = _STORE, _WIDE_STORES[key]
        table[key] = (kind, pops, pushes == 1, size)
    return table


_STEPS = _steps()
""":data:`_ARITY` as :func:`_used_again` reads it, one look-up an instruction."""


def _used_again(c: FunctionCompiler, index: int, size: int) -> bool:
    """Whether the straight-line code after the instruction being translated accesses
    memory through local ``index`` again before anything that ends a record: a load or
    a store of ``size`` bytes (through the same views) at an offset that is a multiple
    of ``size``, whose address is a ``local.get`` of it, read there or already on the
    operand stack (``p->n += 1`` reads through the address the store takes later); only
    then does selecting the view once pay (a record used once costs a statement more
    than the subscript it replaces).

    Follows the operand stack: which of its values are ``local.get index`` (True), from
    the symbolic stack the access being translated left (its operands already taken,
    its result not yet pushed). Raises nothing."""
    body, at = c.sequence, c.sequence_at
    name = f"{c.local_prefix}{index}"
    stack = [entry.expr == name and not entry.depth and entry.const is None
             for entry in c.stack.items]
    if at < len(body) and body[at].opcode in _WIDE_LOADS:
        stack.append(False)  # (the result of the load being translated)
    steps = _STEPS
    for ins in body[at + 1:at + 1 + LOOKAHEAD]:
        step = steps.get(ins.opcode)
        if step is None:  # (outside SLOT_SAFE: the record would end)
            return False
        kind, pops, pushes, width = step
        if kind:
            if kind == _GET:
                stack.append(ins.immediates[0] == index)
                continue
            if kind == _SET:
                if ins.immediates[0] == index:
                    return False
            elif width == size and not ins.immediates[1] % size:
                if kind == _LOAD:
                    if stack and stack[-1]:
                        return True
                elif len(stack) > 1 and stack[-2]:
                    return True
        if pops:
            del stack[max(0, len(stack) - pops):]
        if pushes:
            stack.append(False)
    return False
