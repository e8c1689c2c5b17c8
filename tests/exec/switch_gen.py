"""Random modules of dispatch loops: a ``br_table`` switch inside a counted loop.

Compilers turn a C ``switch`` in a ``for``/``while`` (an interpreter's dispatch, a state
machine) into a loop holding nested blocks left by one ``br_table``; each case's code
ends in a ``br`` to the end of the switch (``break``), to the loop (``continue``), out
of the loop, in a ``return`` or falls into the next case. The translator lowers such
switches specially (``exec/compiler/landings.py``'s range trees, ``tails.py``'s copies of
short landings followed by ``continue``): these modules are made of them, with cases of
straight code, conditional exits, nested blocks and ``if``s, loads and stores at a
pointer parameter (some out of bounds), overlapping ``memory.copy``, division traps and
calls of later functions. Functions ``f0``.. take ``(param $n i32) (param $p i32)``
(steps, pointer) and return an i64 mixing every local; :func:`calls` picks the calls,
and :mod:`pointer_gen`'s ``outcomes`` / ``wasmtime_outcomes`` run them.
"""

from __future__ import annotations

import random
from typing import Any

STEPS = [0, 1, 2, 7, 40, 300]
POINTERS = [0, 3, 8, 1001, 65000, 65533, 65535, 131000]


class _Function:
    """One dispatch-loop function ``f{index}`` of a module of ``count`` functions."""

    def __init__(self, rng: random.Random, index: int, count: int) -> None:
        self.rng, self.index, self.count = rng, index, count
        self.cases = rng.randint(3, 14)

    def i32(self) -> str:
        """An i32 expression over the locals."""
        rng = self.rng
        leaf = rng.choice(["(local.get $pc)", "(local.get $t)", "(local.get $u)",
                           f"(i32.const {rng.choice([0, 1, 2, 3, 7, 255, -1, 65536])})",
                           "(local.get $n)"])
        if rng.random() < 0.5:
            return leaf
        op = rng.choice(["i32.add", "i32.sub", "i32.xor", "i32.and", "i32.or", "i32.mul",
                         "i32.shl", "i32.shr_u", "i32.rotl"])
        return f"({op} {leaf} (i32.const {rng.randint(-3, 40)}))"

    def address(self) -> str:
        """An address near the pointer parameter (sometimes past the memory's end)."""
        mask = self.rng.choice([15, 255, 1023, 65535])
        return f"(i32.add (local.get $p) (i32.and {self.i32()} (i32.const {mask})))"

    def statement(self) -> str:
        """One straight statement (it may trap)."""
        rng = self.rng
        kind = rng.randrange(11)
        if kind == 0:
            return f"(local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u {self.i32()})))"
        if kind == 1:
            return f"(local.set $t {self.i32()})"
        if kind == 2:
            return f"(local.set $pc {self.i32()})"
        if kind == 3:
            store = rng.choice(["i32.store", "i32.store8", "i32.store16"])
            return f"({store} offset={rng.choice([0, 1, 4, 13])} {self.address()} {self.i32()})"
        if kind == 4:
            return f"(i64.store {self.address()} (local.get $acc))"
        if kind == 5:
            load = rng.choice(["i32.load", "i32.load8_u", "i32.load16_s"])
            return f"(local.set $u ({load} offset={rng.choice([0, 2, 8])} {self.address()}))"
        if kind == 6:
            return (f"(memory.copy {self.address()} {self.address()} "
                    f"(i32.and {self.i32()} (i32.const 31)))")
        if kind == 7:
            divide = rng.choice(["i32.div_u", "i32.rem_s", "i32.div_s"])
            divisor = rng.choice(["(local.get $u)", "(i32.or (local.get $u) (i32.const 1))"])
            return f"(local.set $t ({divide} {self.i32()} {divisor}))"
        if kind == 8 and self.index + 1 < self.count:
            callee = rng.randrange(self.index + 1, self.count)
            return (f"(local.set $acc (i64.xor (local.get $acc) (call $f{callee} "
                    f"(i32.and {self.i32()} (i32.const 3)) (i32.add (local.get $p) "
                    f"(i32.const {rng.choice([0, 1, 4, 64])})))))")
        if kind == 9:
            return f"(global.set $g (i64.add (global.get $g) (i64.extend_i32_s {self.i32()})))"
        return f"(local.set $u (i32.add (local.get $u) {self.i32()}))"

    def straight(self, low: int, high: int) -> str:
        return " ".join(self.statement() for _ in range(self.rng.randint(low, high)))

    def case(self, label: int) -> str:
        """The code after ``(block $c{label} ...)``: a case and how it ends."""
        rng = self.rng
        parts = [self.straight(0, 3)]
        kind = rng.randrange(9)
        if kind == 0:
            parts.append("(br $after)")
        elif kind == 1:
            parts.append("(br $top)")
        elif kind == 2:
            parts.append(f"(br_if $after {self.i32()}) {self.straight(1, 2)} (br $after)")
        elif kind == 3:
            parts.append(f"(br_if $exit {self.i32()})")  # else falls into the next case
        elif kind == 4:
            parts.append(f"(return (i64.add (local.get $acc) (i64.extend_i32_u {self.i32()})))")
        elif kind == 5:
            parts.append(f"(block $in (br_if $in {self.i32()}) {self.straight(1, 2)} "
                         f"(br_if $after {self.i32()})) (br $top)")
        elif kind == 6:
            parts.append(f"(if {self.i32()} (then {self.straight(0, 1)} (br $after)) "
                         f"(else {self.straight(1, 2)}))")
        elif kind == 7:
            parts.append(f"(if {self.i32()} (then (br $top)))")
        # kind 8: falls through into the next case
        return " ".join(parts)

    def text(self) -> str:
        rng = self.rng
        cases = self.cases
        table = " ".join(f"$c{rng.randrange(cases)}" if rng.random() < 0.3 else f"$c{k % cases}"
                         for k in range(rng.randint(cases, cases + 4)))
        selector = rng.choice(["(local.get $pc)", "(i32.and (local.get $pc) (i32.const 7))",
                               "(i32.load8_u (local.get $p))", "(local.get $t)"])
        switch = f"(br_table {table} $c{rng.randrange(cases)} {selector})"
        for k in range(cases):
            switch = f"(block $c{k} {switch}) {self.case(k)}"
        tail = self.straight(0, 3)
        ending = rng.choice(["(br $top)", "(br $top)", f"(br_if $top {self.i32()})"])
        return (f'(func $f{self.index} (export "f{self.index}") (param $n i32) (param $p i32) '
                "(result i64) (local $pc i32) (local $t i32) (local $u i32) (local $acc i64) "
                f"(local.set $pc (i32.const {rng.randrange(cases)})) "
                "(block $exit (loop $top "
                "(br_if $exit (i32.eqz (local.get $n))) "
                "(local.set $n (i32.sub (local.get $n) (i32.const 1))) "
                f"(block $after {switch}) {tail} {ending})) "
                "(i64.add (local.get $acc) (i64.extend_i32_u (i32.xor (local.get $pc) "
                "(i32.xor (local.get $t) (local.get $u))))))")


def module_text(seed: int) -> str:
    """The WAT of one module: functions ``f0``.., a memory ``m`` of 2 pages (at most 3),
    a global ``$g`` (exported as ``g``), and ``grow`` (``memory.grow`` by one page)."""
    rng = random.Random(seed)
    count = rng.randint(1, 4)
    functions = " ".join(_Function(rng, i, count).text() for i in range(count))
    return ('(module (memory (export "m") 2 3) (global $g (export "g") (mut i64) '
            f'(i64.const 0)) {functions} '
            '(func (export "grow") (result i32) i32.const 1 memory.grow) '
            '(func (export "global") (result i64) global.get $g))')


def calls(seed: int, text: str) -> list[tuple[Any, ...]]:
    """Ten calls ``(name, steps, pointer)``, one ``("grow",)`` and ``("global",)`` last."""
    rng = random.Random(seed * 37)
    count = text.count('(export "f')
    made: list[tuple[Any, ...]] = [(f"f{rng.randrange(count)}", rng.choice(STEPS),
                                    rng.choice(POINTERS)) for _ in range(10)]
    made.insert(rng.randrange(10), ("grow",))
    made.append(("global",))
    return made
