"""The call depth in generated code (exec/compiler/depth.py): what compiled code publishes
for a host function, directly, from an inlined callee or through a table, is the true
depth at every depth (below DEEP, and from DEEP on where the value carries HELD), the
same as the interpreter's."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec import callstack
from wasmem.exec.compiler import depth

SOURCE = """(module
  (import "env" "h" (func $h (param i32)))
  (type $v (func (param i32)))
  (table 1 funcref) (elem (i32.const 0) $h)
  (func $inlined (param i32) (call $h (local.get 0)))
  (func $r (export "r") (param $n i32) (param $how i32)
    (if (i32.eqz (local.get $n))
      (then
        (if (i32.eqz (local.get $how)) (then (call $h (i32.const 0))))
        (if (i32.eq (local.get $how) (i32.const 1)) (then (call $inlined (i32.const 1))))
        (if (i32.eq (local.get $how) (i32.const 2))
          (then (call_indirect (type $v) (i32.const 2) (i32.const 0)))))
      (else (call $r (i32.sub (local.get $n) (i32.const 1)) (local.get $how))))))
"""

NS = (0, 3, callstack.DEEP - 3, callstack.DEEP - 1, callstack.DEEP, callstack.DEEP + 5, 300)


def _depths(tier: str, export: str) -> list[int]:
    seen: list[int] = []
    instance = wasmem.Instance(wasmem.Module(SOURCE),
                               {"env": {"h": lambda how: seen.append(
                                   callstack.counters().depth)}}, tier=tier)
    for n in NS:
        for how in (0, 1, 2):
            instance.exports[export](n, how)
    return seen


def test_published_depths_are_the_interpreters() -> None:
    compiled = _depths("compile", "r")
    assert compiled == _depths("interpret", "r")
    assert max(compiled) > callstack.DEEP + callstack.HELD  # (held values were published)


def test_prologues_and_call_sites_are_python() -> None:
    for weight in (1, 2, 40):
        lines = ["def F0(l0, _d=0):", *depth.prologue(weight),
                 f"    {depth.published(0)}", f"    {depth.published(2)}",
                 f"    return {depth.argument(2)}"]
        compile("\n".join(lines), "<prologue>", "exec")
    with pytest.raises(ValueError):
        depth.argument(depth.MAX_STEP)
