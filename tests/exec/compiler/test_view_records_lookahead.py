"""``exec/compiler/view_records._used_again``: the look-ahead stepped with one table
look-up an instruction (``_STEPS``) answers as the walk it replaced (kept here as the
definition) on any straight-line code, operand stack, local and access size."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wasmem.exec.compiler import view_records
from wasmem.exec.compiler.slots import SLOT_SAFE
from wasmem.exec.compiler.stack import Entry
from wasmem.syntax.instructions import Instruction
from wasmem.syntax.opcodes import OPCODES, Op

_KEY = {info.name: key for key, info in OPCODES.items()}
_MEMARG = st.tuples(st.integers(0, 3), st.sampled_from([0, 1, 2, 4, 6, 8, 12, 16, 20]),
                    st.just(0))
_LOCAL = st.tuples(st.integers(0, 2))
_IMMEDIATES: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "local.get": _LOCAL, "local.set": _LOCAL, "local.tee": _LOCAL,
    "i32.const": st.tuples(st.integers(0, 9)), "i32.add": st.just(()),
    "i32.eqz": st.just(()), "drop": st.just(()), "select": st.just(()),
    "br_if": st.tuples(st.integers(0, 2)), "nop": st.just(()),
    "global.set": st.tuples(st.just(0)), "global.get": st.tuples(st.just(0)),
    "i32.load": _MEMARG, "i64.load": _MEMARG, "i32.load16_u": _MEMARG,
    "i32.load8_u": _MEMARG, "f64.load": _MEMARG, "i32.store": _MEMARG,
    "i64.store": _MEMARG, "i32.store16": _MEMARG, "i32.store8": _MEMARG,
    "f32.store": _MEMARG,
    # outside SLOT_SAFE: the look-ahead ends there
    "call": st.tuples(st.just(0)), "memory.grow": st.tuples(st.just(0)),
}
_WEIGHTED = sorted(_IMMEDIATES) + ["local.get"] * 8 + ["i32.load", "i32.store"] * 3


@st.composite
def _instruction(draw: st.DrawFn) -> Instruction:
    name = draw(st.sampled_from(_WEIGHTED))
    return Instruction(_KEY[name], draw(_IMMEDIATES[name]))


def _definition(c: Any, index: int, size: int) -> bool:
    """The walk as it was before ``_STEPS`` (each instruction tested against the
    arity table, ``local.get``, ``local.set``/``tee``, the loads, then the stores)."""
    body, at = c.sequence, c.sequence_at
    name = f"{c.local_prefix}{index}"
    stack = [entry.expr == name and not entry.depth and entry.const is None
             for entry in c.stack.items]
    if at < len(body) and body[at].opcode in view_records._WIDE_LOADS:
        stack.append(False)
    arity, loads, stores = view_records._ARITY, view_records._WIDE_LOADS, \
        view_records._WIDE_STORES
    for k in range(at + 1, min(len(body), at + 1 + view_records.LOOKAHEAD)):
        ins = body[k]
        op = ins.opcode
        effect = arity.get(op)
        if effect is None:
            return False
        if op == Op.LOCAL_GET:
            stack.append(ins.immediates[0] == index)
            continue
        if op in (Op.LOCAL_SET, Op.LOCAL_TEE) and ins.immediates[0] == index:
            return False
        if op in loads:
            if stack and stack[-1] and loads[op] == size and not ins.immediates[1] % size:
                return True
        elif op in stores:
            if (len(stack) > 1 and stack[-2] and stores[op] == size
                    and not ins.immediates[1] % size):
                return True
        pops, pushes = effect
        if pops:
            del stack[max(0, len(stack) - pops):]
        if pushes:
            stack.extend([False] * pushes)
    return False


_ENTRIES = st.sampled_from([Entry("l0"), Entry("l1"), Entry("l2"), Entry("t1"),
                            Entry("(l1 + 4)", depth=1), Entry("3", const=3)])


@settings(max_examples=600, deadline=None)
@given(st.lists(_instruction(), max_size=90), st.integers(0, 89),
       st.lists(_ENTRIES, max_size=5), st.integers(0, 2), st.sampled_from([2, 4, 8]))
def test_stepped_look_ahead_answers_as_the_walk(body: list[Instruction], at: int,
                                               items: list[Entry], index: int,
                                               size: int) -> None:
    c = SimpleNamespace(sequence=tuple(body), sequence_at=min(at, len(body)),
                        local_prefix="l", stack=SimpleNamespace(items=items))
    assert view_records._used_again(c, index, size) == _definition(c, index, size)  # type: ignore[arg-type]


def test_the_table_covers_what_the_walk_steps_over() -> None:
    # every instruction the walk steps over is in the table, and pushes one value at most
    assert set(view_records._STEPS) == set(view_records._ARITY)
    assert set(view_records._ARITY) <= SLOT_SAFE
    assert all(pushes <= 1 for _, pushes in view_records._ARITY.values())
