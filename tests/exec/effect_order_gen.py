"""Side effects after a pending trap: the first trap in execution order, and nothing after.

The translator keeps pure stack values as Python expressions until something consumes
them; an instruction with a side effect must first run every earlier value that can trap
(issue 10, item 7). Each case is a function that pushes a value that traps (a division by
zero, an out-of-bounds load, a failing float-to-int conversion, a nested remainder), then
runs one side effect (:data:`EFFECTS`: stores, bulk memory and table instructions, grows,
drops of segments, ``global.set``, calls), then uses the value one of four ways
(:data:`TAILS`). After the call traps, ``probe`` reads what the effect would have
changed: it must be what wasmtime reads (the effect did not happen).

    python3 tests/exec/effect_order_gen.py     # every case, every tier (off-line)
"""

from __future__ import annotations

import sys
from typing import Any

EFFECTS: dict[str, tuple[str, str]] = {
    "data.drop": ("(data.drop $d)", "(memory.init $d (i32.const 100) (i32.const 0) "
                  "(i32.const 5)) (i32.load8_u (i32.const 100))"),
    "elem.drop": ("(elem.drop $e)", "(table.init $t $e (i32.const 0) (i32.const 0) "
                  "(i32.const 1)) (i32.const 1)"),
    "global.set": ("(global.set $g (i32.const 5))", "(global.get $g)"),
    "table.set": ("(table.set $t (i32.const 1) (ref.func $h))",
                  "(ref.is_null (table.get $t (i32.const 1)))"),
    "table.grow": ("(drop (table.grow $t (ref.null func) (i32.const 2)))", "(table.size $t)"),
    "table.fill": ("(table.fill $t (i32.const 0) (ref.func $h) (i32.const 2))",
                   "(ref.is_null (table.get $t (i32.const 1)))"),
    "table.copy": ("(table.copy $t $t (i32.const 2) (i32.const 3) (i32.const 1))",
                   "(ref.is_null (table.get $t (i32.const 2)))"),
    "table.init": ("(table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1))",
                   "(ref.is_null (table.get $t (i32.const 0)))"),
    "memory.grow": ("(drop (memory.grow (i32.const 1)))", "(memory.size)"),
    "i32.store": ("(i32.store (i32.const 8) (i32.const 77))", "(i32.load (i32.const 8))"),
    "memory.fill": ("(memory.fill (i32.const 8) (i32.const 9) (i32.const 4))",
                    "(i32.load (i32.const 8))"),
    "memory.copy": ("(memory.copy (i32.const 8) (i32.const 0) (i32.const 4))",
                    "(i32.load (i32.const 8))"),
    "memory.init": ("(memory.init $d (i32.const 8) (i32.const 0) (i32.const 4))",
                    "(i32.load (i32.const 8))"),
    "call": ("(call $side)", "(global.get $g)"),
    "call_indirect": ("(call_indirect (type $v) (i32.const 3))", "(global.get $g)"),
    "local.set": ("(local.set 0 (i32.const 0)) (global.set $g (local.get 0))",
                  "(global.get $g)"),
}
"""Effect -> (its instructions, the probe's body reading what it changes)."""

PENDING = {
    "div": "(i32.div_u (i32.const 1) (local.get 0))",
    "load": "(i32.load (i32.add (local.get 0) (i32.const 65536)))",
    "trunc": "(i32.trunc_f32_s (f32.convert_i32_u (i32.sub (local.get 0) (i32.const 1))))",
    "nested": "(i32.add (i32.const 3) (i32.rem_s (i32.const 7) (local.get 0)))",
}
"""Values that trap when ``f`` is called with 0."""

TAILS = {
    "drop": "{p} {e} (drop) (i32.const 0)",
    "use": "{p} {e} (i32.const 1) (i32.add)",
    "block": "(block (result i32) {p} {e})",
    "if": "{p} {e} (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))) "
          "(i32.add)",
}
"""How ``f`` goes on after the effect."""

CASES = [(e, p, t) for e in EFFECTS for p in PENDING for t in TAILS]


def module_text(effect: str, pending: str, tail: str) -> str:
    """The module of one case: exports ``f`` (traps when called with 0) and ``probe``."""
    instructions, probe = EFFECTS[effect]
    body = TAILS[tail].format(p=PENDING[pending], e=instructions)
    return f"""(module (memory 1 4) (data $d "hello") (table $t 4 10 funcref)
  (elem $e func $h) (elem (i32.const 3) func $side)
  (type $v (func))
  (global $g (mut i32) (i32.const 1))
  (func $h)
  (func $side (global.set $g (i32.const 9)))
  (func (export "f") (param i32) (result i32) {body})
  (func (export "probe") (result i32) {probe}))"""


_NAMES = {"OUT_OF_BOUNDS_MEMORY_ACCESS": "MEMORY_OUT_OF_BOUNDS",
          "INTEGER_DIVIDE_BY_ZERO": "INTEGER_DIVISION_BY_ZERO",
          "INVALID_CONVERSION_TO_INTEGER": "BAD_CONVERSION_TO_INTEGER",
          "OUT_OF_BOUNDS_TABLE_ACCESS": "TABLE_OUT_OF_BOUNDS"}


def outcomes(text: str, tier: str) -> list[Any]:
    """``f(0)``'s trap (wasmtime's name) or result, then ``probe()``'s, in one tier."""
    import wasmem

    instance = wasmem.Instance(wasmem.Module(text), tier=tier)
    out: list[Any] = []
    for name, args in (("f", (0,)), ("probe", ())):
        try:
            out.append(instance.exports[name](*args))
        except wasmem.Trap as exc:
            out.append(_NAMES.get(exc.code.name, exc.code.name))
    return out


def wasmtime_outcomes(text: str) -> list[Any]:
    """:func:`outcomes` in wasmtime."""
    import wasmtime

    store = wasmtime.Store()
    exports = wasmtime.Instance(store, wasmtime.Module(store.engine, text), []).exports(store)
    out: list[Any] = []
    for name, args in (("f", (0,)), ("probe", ())):
        try:
            out.append(exports[name](store, *args))
        except wasmtime.Trap as exc:
            out.append(str(exc.trap_code).rsplit(".", 1)[-1])
    return out


def main() -> int:
    """Run every case in every tier; print the differences; 1 if any."""
    bad = 0
    for case in CASES:
        text = module_text(*case)
        expected = wasmtime_outcomes(text)
        for tier in ("compile", "tiered", "interpret"):
            got = outcomes(text, tier)
            if got != expected:
                bad += 1
                print(*case, tier, "ours", got, "wasmtime", expected)
    print(f"{len(CASES) * 3 - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
