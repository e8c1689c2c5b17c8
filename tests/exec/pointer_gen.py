"""Random modules whose functions access memory at pointer parameters plus offsets.

The translator tests a pointer parameter's alignment once at a function's entry and runs
an aligned body or a general one (``entry_alignment._parameter_facts``); loads and stores of
unknown alignment index shifted views. smith seldom makes such functions; these modules
are made of them: functions ``(param i32 i32) (result i64)`` loading and storing every
width at ``param + offset`` (offsets up to the memory's end, with and without alignment
hints), under ``if``s on the pointer's low bits, in counted loops, calling later functions
with the pointers moved by 0-4 bytes. In some functions the pointers never change (the
entry test applies); in the others they are moved by odd amounts mid-body and in loops.
:func:`calls` picks the calls (aligned, unaligned and out-of-bounds pointers, a
``memory.grow`` among them); :func:`outcomes` runs them in one wasmem tier,
:func:`wasmtime_outcomes` in wasmtime, for comparison.
"""

from __future__ import annotations

import random
from typing import Any

LOADS = [("i32.load", "i32", 4), ("i64.load", "i64", 8), ("f64.load", "f64", 8),
         ("f32.load", "f32", 4), ("i32.load16_u", "i32", 2), ("i64.load32_s", "i64", 4),
         ("i32.load8_s", "i32", 1), ("i64.load16_s", "i64", 2)]
STORES = [("i32.store", "i32", 4), ("i64.store", "i64", 8), ("f64.store", "f64", 8),
          ("i32.store16", "i32", 2), ("i64.store32", "i64", 4)]
WIDEN = {"i32": "i64.extend_i32_u", "i64": "", "f32": "i32.reinterpret_f32 i64.extend_i32_u",
         "f64": "i64.reinterpret_f64"}
"""Instructions turning a loaded value into the i64 the function accumulates."""
POINTERS = [0, 1, 2, 3, 5, 7, 100, 4000, 65530, 65533, 131070]
SECONDS = [0, 1, 2, 3, 8, 13, 65535]


class _Function:
    """The body of one function; ``fixed``: its parameters never change."""

    def __init__(self, rng: random.Random, index: int, count: int) -> None:
        self.rng, self.index, self.count = rng, index, count
        self.fixed = rng.random() < 0.6

    def constant(self, t: str) -> str:
        v = self.rng.choice([0, 1, 0x7F, 0x1234, 0x7FFFFFFF, 0xDEADBEEF])
        return {"i32": f"i32.const {v}", "i64": f"i64.const {v}", "f32": "f32.const 1.5",
                "f64": f"f64.const {v}.25"}[t]

    def statement(self, depth: int) -> str:
        rng = self.rng
        k = rng.random()
        if self.fixed and (0.55 <= k < 0.65 or 0.88 <= k < 0.92):
            k = rng.random() * 0.55
        p = rng.choice("01")
        offset = rng.choice([0, 1, 2, 3, 4, 7, 8, 12, 16, 65530])
        if k < 0.35:
            op, t, n = rng.choice(LOADS)
            hint = rng.choice(["", f" align={min(n, rng.choice([1, 2, 4, 8]))}"])
            return (f"local.get 2 local.get {p} {op} offset={offset}{hint} {WIDEN[t]} "
                    "i64.xor local.set 2")
        if k < 0.55:
            op, t, _n = rng.choice(STORES)
            return f"local.get {p} {self.constant(t)} {op} offset={offset}"
        if k < 0.65:
            step = rng.choice([1, 2, 3, 4, 8, -1, -4])
            return f"local.get {p} i32.const {step} i32.add local.set {p}"
        if k < 0.72 and depth < 3:
            body = self.statements(depth + 1, 1, 4)
            step = "" if self.fixed else \
                f"local.get {p} i32.const {rng.choice([1, 3, 4, 5, 8])} i32.add local.set {p} "
            return ("(block (loop local.get 3 i32.const 1 i32.sub local.tee 3 "
                    "i32.const 0 i32.le_s br_if 1 "
                    f"{body} {step}br 0))")
        if k < 0.8 and depth < 3:
            then, otherwise = self.statements(depth + 1, 1, 3), self.statements(depth + 1, 0, 3)
            return f"local.get {p} i32.const 3 i32.and (if (then {then}) (else {otherwise}))"
        if k < 0.88 and self.index + 1 < self.count:
            callee = rng.randint(self.index + 1, self.count - 1)
            other = "1" if p == "0" else "0"
            return (f"local.get 2 local.get {p} i32.const {rng.randint(0, 4)} i32.add "
                    f"local.get {other} call {callee} i64.xor local.set 2")
        if k < 0.92:
            return (f"local.get {p} i32.const {rng.randint(1, 3)} i32.add local.tee {p} "
                    f"i32.load8_u offset={offset} drop")
        return "local.get 2 i64.const 1 i64.rotl local.set 2"

    def statements(self, depth: int, least: int, most: int) -> str:
        return " ".join(self.statement(depth) for _ in range(self.rng.randint(least, most)))

    def text(self) -> str:
        return (f'(func (export "f{self.index}") (param i32 i32) (result i64) (local i64 i32) '
                f"i32.const 6 local.set 3 {self.statements(0, 2, 14)} local.get 2)")


def module_text(seed: int) -> str:
    """The WAT of one module: functions ``f0``.. (see the module docstring), a memory
    ``m`` of 1 page (at most 2) and ``grow`` (``memory.grow`` by one page)."""
    rng = random.Random(seed)
    count = rng.randint(1, 5)
    functions = " ".join(_Function(rng, i, count).text() for i in range(count))
    return (f'(module (memory (export "m") 1 2) {functions} '
            '(func (export "grow") (result i32) i32.const 1 memory.grow))')


def calls(seed: int, text: str) -> list[tuple[Any, ...]]:
    """Eight calls ``(name, pointer, pointer)`` of the functions and one ``("grow",)``."""
    rng = random.Random(seed * 31)
    count = text.count("(func ") - 1
    made: list[tuple[Any, ...]] = [(f"f{rng.randrange(count)}", rng.choice(POINTERS),
                                    rng.choice(SECONDS)) for _ in range(8)]
    made.insert(rng.randrange(8), ("grow",))
    return made


def outcomes(text: str, made: list[tuple[Any, ...]], tier: str) -> list[Any]:
    """Each call's ``("ok", result)`` or ``("trap", wasmtime's trap code name)`` in one
    wasmem tier, then the memory's bytes."""
    import wasmem

    names = {"OUT_OF_BOUNDS_MEMORY_ACCESS": "MEMORY_OUT_OF_BOUNDS",
             "INTEGER_DIVIDE_BY_ZERO": "INTEGER_DIVISION_BY_ZERO",
             "CALL_STACK_EXHAUSTED": "STACK_OVERFLOW"}
    instance = wasmem.Instance(wasmem.Module(text), tier=tier)
    results: list[Any] = []
    for name, *args in made:
        try:
            results.append(("ok", instance.exports[name](*args) & 0xFFFFFFFFFFFFFFFF))
        except wasmem.Trap as exc:
            results.append(("trap", names.get(exc.code.name, exc.code.name)))
    memory = instance.exports["m"]
    results.append(memory.read(0, memory.size_bytes))
    return results


def wasmtime_outcomes(text: str, made: list[tuple[Any, ...]]) -> list[Any]:
    """:func:`outcomes` in wasmtime."""
    import wasmtime

    store = wasmtime.Store()
    exports = wasmtime.Instance(store, wasmtime.Module(store.engine, text), []).exports(store)
    results: list[Any] = []
    for name, *args in made:
        try:
            results.append(("ok", exports[name](store, *args) & 0xFFFFFFFFFFFFFFFF))
        except wasmtime.Trap as exc:
            results.append(("trap", str(exc.trap_code).rsplit(".", 1)[-1]))
    memory = exports["m"]
    results.append(bytes(memory.read(store, 0, memory.data_len(store))))
    return results
