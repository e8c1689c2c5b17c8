"""What the interpreter's decoder keeps while it decodes (`exec/interpreter/decode_state.py`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import wasmem
from wasmem.exec.interpreter.decode_state import ModuleInfo, SymbolicStack, default_value
from wasmem.exec.interpreter.ops import Const
from wasmem.syntax.types import F32, F64, FUNCREF, I32, I64

BASE = 10

edits = st.lists(st.one_of(
    st.tuples(st.just("append"), st.integers(0, 40)),
    st.tuples(st.just("pop"), st.just(0)),
    st.tuples(st.just("del"), st.integers(0, 5)),
    st.tuples(st.just("set"), st.integers(0, 40)),
    st.tuples(st.just("const"), st.integers(0, 40)),
    st.tuples(st.just("raise"), st.just(0))), max_size=60)


@given(edits)
def test_every_position_below_low_holds_its_own_register(steps: list[tuple[str, int]]) -> None:
    stack = SymbolicStack(BASE)
    for kind, value in steps:
        if kind == "append":
            stack.append(value)
        elif kind == "pop" and stack:
            stack.pop()
        elif kind == "del" and stack:
            del stack[min(value, len(stack) - 1):]
        elif kind in ("set", "const") and stack:
            stack[value % len(stack)] = Const(value) if kind == "const" else value
        elif kind == "raise":  # what materialize_all does: every position its own register
            stack[:] = range(BASE, BASE + len(stack))
            stack.low = len(stack)
        assert stack.low <= len(stack)
        for position in range(stack.low):
            assert stack[position] == BASE + position


def test_default_values_by_type() -> None:
    assert default_value(I32) == 0 and default_value(I64) == 0
    assert default_value(F32) == 0.0 and isinstance(default_value(F64), float)
    assert default_value(FUNCREF) is None


def test_module_info_counts_imported_functions_first() -> None:
    module = wasmem.Module("""(module
      (import "m" "f" (func (param i32)))
      (func (result i64) i64.const 1))""")
    info = ModuleInfo.of(module.ast)
    assert info.imported_functions == 1
    assert [len(t.params) for t in info.function_types] == [1, 0]
