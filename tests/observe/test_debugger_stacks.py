"""The debugger's operand stacks (``observe/debugger.py``) stay one per closure when the
interpreter's decoder fuses closures by removing one (an access absorbing the ``i32.add``
of its address, a branch absorbing an ``eqz`` and the comparison it tests): each stop
then shows the stack of its own instruction, not that of a neighbour."""

from __future__ import annotations

import wasmem
from wasmem.exec.interpreter.decode import ModuleInfo
from wasmem.exec.interpreter.ops import Const
from wasmem.observe.debugger import _StackDecoder

SOURCE = """(module
  (memory 1)
  (func $f (param $p i32) (param $q i32) (result i32)
    i32.const 5
    local.get $p
    i32.const 4
    i32.add
    i32.load
    i32.const 7
    i32.add
    (block (br_if 0 (i32.eqz (i32.lt_u (local.get $p) (local.get $q)))))
    local.get $q
    i32.add
    i32.add))"""


def _shape(entries: tuple[object, ...]) -> list[object]:
    """Constants by value, registers as "R"."""
    return [e.value if isinstance(e, Const) else "R" for e in entries]


def test_each_closure_keeps_its_own_stack() -> None:
    module = wasmem.Module(SOURCE)
    decoder = _StackDecoder(ModuleInfo.of(module.ast), 0, False)
    decoded = decoder.decode()
    names = [op.make.__name__ for op in decoded.ir]
    assert names[0].endswith("_ac")  # the add is folded into the load
    assert len(decoder.stacks) == len(decoded.ir) == len(decoded.instructions)
    # the fused load keeps the stack before the add it absorbed: [5, $p, 4]
    assert _shape(decoder.stacks[0]) == [5, "R", 4]
    # the add after the load sees [5, loaded, 7], not the load's stack
    assert _shape(decoder.stacks[1]) == [5, "R", 7]
    # the branch that absorbed eqz and lt_u sees [5, sum, $p, $q] (5 in a register since
    # the block; lt_u's operands last), and the add after the block [5, sum, $q]
    branch = next(k for k, op in enumerate(decoded.ir) if op.make.__name__.startswith("s"))
    assert _shape(decoder.stacks[branch]) == ["R", "R", "R", "R"]
    assert _shape(decoder.stacks[branch + 1]) == ["R", "R", "R"]
