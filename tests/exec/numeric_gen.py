"""Random modules of dense numeric code in counted loops (not collected by pytest).

Each function ``f0``.. takes ``(param $n i32) (param $p i32)`` (steps, pointer) and runs
a loop of statements over locals of the four number types: assignments of nested
expressions of every numeric operator (f32 and f64 arithmetic, which the translator
rounds through scratch views, ``exec/compiler/f32_scratch.py``; conversions,
reinterpretations, comparisons, shifts, trapping divisions and truncations, ``select``,
``if`` with results, loads at the pointer), stores, ``br_table``s with many entries over
an index written ``x - d`` (``exec/compiler/emit_branches.py``'s offset tables), early
exits and calls of later functions.  The expressions are nested, not split into
locals, so the operands the translator writes side by side are composite (operator
precedence, evaluation order).  NaNs are made canonical where their bits can be seen
(reinterpretations, stores, ``copysign``'s sign, the result), as ``wasm-tools smith
--canonicalize-nans`` does, so wasmtime is an exact oracle.  :func:`calls` picks the
calls; :mod:`pointer_gen`'s ``outcomes`` / ``wasmtime_outcomes`` run them
(``differential_offline.py --sets numeric``).
"""

from __future__ import annotations

import random
from typing import Any

STEPS = [0, 1, 2, 3, 9, 40, 200]
POINTERS = [0, 4, 13, 1000, 65000, 65530, 65536, 70000]
TYPES = ("i32", "i64", "f32", "f64")
LOCALS = {"i32": ("$a", "$a2"), "i64": ("$b", "$b2"), "f32": ("$x", "$x2"),
          "f64": ("$y", "$y2")}
F32_CONSTS = ["0", "-0", "1", "-1.5", "0.1", "3.4028234e38", "-3.4028234e38", "1e-45",
              "1.1754942e-38", "inf", "-inf", "nan", "-nan", "nan:0x200000", "16777217",
              "0x1.000002p+0", "2147483648", "-2147483904", "4294967296", "0.5", "2.5"]
F64_CONSTS = ["0", "-0", "1", "-2.5", "0.1", "1.7976931348623157e308", "5e-324",
              "2.2250738585072014e-308", "inf", "-inf", "nan", "-nan", "nan:0x4000000000000",
              "9007199254740993", "9223372036854775808", "-9223372036854777856",
              "18446744073709551616", "3.4028235677973366e38", "1e-46", "0.5"]
I32_CONSTS = ["0", "1", "-1", "2", "7", "31", "32", "255", "0x7fffffff", "0x80000000",
              "65535", "16777217", "-2147483648"]
I64_CONSTS = ["0", "1", "-1", "63", "64", "0x7fffffffffffffff", "0x8000000000000000",
              "4294967296", "9007199254740993", "-4294967297"]
CONSTS = {"i32": I32_CONSTS, "i64": I64_CONSTS, "f32": F32_CONSTS, "f64": F64_CONSTS}

INT_BINARY = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl",
              "rotr"]
INT_TRAPPING = ["div_s", "div_u", "rem_s", "rem_u"]
INT_COMPARE = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
FLOAT_BINARY = ["add", "sub", "mul", "div", "min", "max", "add", "mul", "sub", "div"]
FLOAT_UNARY = ["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest", "sqrt"]
FLOAT_COMPARE = ["eq", "ne", "lt", "gt", "le", "ge"]


class _Function:
    """One function ``f{index}`` of a module of ``count`` functions."""

    def __init__(self, rng: random.Random, index: int, count: int) -> None:
        self.rng, self.index, self.count = rng, index, count
        self.traps = rng.random() < 0.5  # whether trapping operators appear at all

    # ------------------------------------------------------------------ expressions
    def canonical(self, t: str, expr: str) -> str:
        """``expr`` with a NaN made the canonical NaN (its bits are about to be seen)."""
        if t in ("i32", "i64"):
            return expr
        temp = "$cf" if t == "f32" else "$cd"
        return (f"(select ({t}.const nan) (local.tee {temp} {expr}) "
                f"({t}.ne (local.get {temp}) (local.get {temp})))")

    def address(self, depth: int) -> str:
        """An address near the pointer parameter."""
        rng = self.rng
        if rng.random() < 0.5:
            return "(local.get $p)"
        return f"(i32.add (local.get $p) (i32.and {self.expr('i32', depth + 1)} (i32.const 0xff)))"

    def leaf(self, t: str) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.5:
            return f"(local.get {rng.choice(LOCALS[t])})"
        if r < 0.8:
            return f"({t}.const {rng.choice(CONSTS[t])})"
        if r < 0.9:
            return f"(global.get $g{t})"
        return f"({t}.load offset={rng.choice([0, 1, 8, 100])} (local.get $p))"

    def expr(self, t: str, depth: int = 0) -> str:
        """An expression of type ``t``."""
        rng = self.rng
        if depth > 4 or rng.random() < 0.2 + depth * 0.1:
            return self.leaf(t)
        d = depth + 1
        r = rng.random()
        if r < 0.06:
            return (f"(select {self.expr(t, d)} {self.expr(t, d)} {self.expr('i32', d)})")
        if r < 0.1:
            return (f"(if (result {t}) {self.expr('i32', d)} (then {self.expr(t, d)}) "
                    f"(else {self.expr(t, d)}))")
        if r < 0.13:
            return f"({t}.load offset={rng.choice([0, 2, 16])} {self.address(d)})"
        if r < 0.16:
            return f"(local.tee {rng.choice(LOCALS[t])} {self.expr(t, d)})"
        if t in ("f32", "f64"):
            return self.float_expr(t, d, r)
        return self.int_expr(t, d, r)

    def float_expr(self, t: str, d: int, r: float) -> str:
        rng = self.rng
        other = "f64" if t == "f32" else "f32"
        if r < 0.6:
            return f"({t}.{rng.choice(FLOAT_BINARY)} {self.expr(t, d)} {self.expr(t, d)})"
        if r < 0.65:
            return f"({t}.copysign {self.expr(t, d)} {self.canonical(t, self.expr(t, d))})"
        if r < 0.77:
            return f"({t}.{rng.choice(FLOAT_UNARY)} {self.expr(t, d)})"
        if r < 0.82:
            name = "demote_f64" if t == "f32" else "promote_f32"
            return f"({t}.{name} {self.expr(other, d)})"
        if r < 0.95:
            src = rng.choice(("i32", "i64"))
            return f"({t}.convert_{src}_{rng.choice('su')} {self.expr(src, d)})"
        src = "i32" if t == "f32" else "i64"
        return f"({t}.reinterpret_{src} {self.expr(src, d)})"

    def int_expr(self, t: str, d: int, r: float) -> str:
        rng = self.rng
        if r < 0.5:
            return f"({t}.{rng.choice(INT_BINARY)} {self.expr(t, d)} {self.expr(t, d)})"
        if r < 0.54 and self.traps:
            return f"({t}.{rng.choice(INT_TRAPPING)} {self.expr(t, d)} {self.expr(t, d)})"
        if r < 0.6:
            return f"({t}.{rng.choice(['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s'])} " \
                   f"{self.expr(t, d)})"
        if r < 0.7:
            src = rng.choice(("f32", "f64"))
            trunc = "trunc" if self.traps and rng.random() < 0.3 else "trunc_sat"
            return f"({t}.{trunc}_{src}_{rng.choice('su')} {self.expr(src, d)})"
        if r < 0.76:
            src = "f32" if t == "i32" else "f64"
            return f"({t}.reinterpret_{src} {self.canonical(src, self.expr(src, d))})"
        if t == "i64":
            if r < 0.85:
                return f"(i64.extend_i32_{rng.choice('su')} {self.expr('i32', d)})"
            return f"(i64.{rng.choice(['add', 'xor', 'sub'])} {self.expr(t, d)} {self.expr(t, d)})"
        if r < 0.8:
            return f"(i32.wrap_i64 {self.expr('i64', d)})"
        if r < 0.87:
            src = rng.choice(("f32", "f64"))
            return f"({src}.{rng.choice(FLOAT_COMPARE)} {self.expr(src, d)} {self.expr(src, d)})"
        if r < 0.95:
            src = rng.choice(("i32", "i64"))
            return f"({src}.{rng.choice(INT_COMPARE)} {self.expr(src, d)} {self.expr(src, d)})"
        src = rng.choice(("i32", "i64"))
        return f"({src}.eqz {self.expr(src, d)})"

    # ------------------------------------------------------------------ statements
    def statement(self, depth: int) -> str:
        rng = self.rng
        r = rng.random()
        t = rng.choice(TYPES)
        if r < 0.55 or depth > 2:
            return f"(local.set {rng.choice(LOCALS[t])} {self.expr(t)})"
        if r < 0.67:
            offset = rng.choice([0, 4, 8, 32])
            value = self.canonical(t, self.expr(t))
            return f"({t}.store offset={offset} {self.address(0)} {value})"
        if r < 0.72:
            return f"(br_if $exit {self.expr('i32', 2)})"
        if r < 0.8:
            return (f"(if {self.expr('i32', 1)} (then {self.statements(depth + 1, 2)}) "
                    f"(else {self.statements(depth + 1, 2)}))")
        if r < 0.9:
            return self.switch(depth)
        if self.index + 1 < self.count:
            callee = rng.randrange(self.index + 1, self.count)
            return (f"(local.set $b (i64.xor (local.get $b) (call $f{callee} "
                    f"(i32.and {self.expr('i32', 2)} (i32.const 3)) (local.get $p))))")
        return f"(global.set $gf64 {self.expr('f64', 1)})"

    def statements(self, depth: int, most: int) -> str:
        return " ".join(self.statement(depth) for _ in range(self.rng.randint(1, most)))

    def switch(self, depth: int) -> str:
        """Nested blocks left by one ``br_table`` of many entries, index ``x - d``."""
        rng = self.rng
        labels = rng.randint(2, 5)
        entries = rng.randint(1, 120)
        targets = " ".join(str(rng.randrange(labels)) for _ in range(entries))
        index = self.expr("i32", 2)
        if rng.random() < 0.7:
            index = f"(i32.sub {index} (i32.const {rng.randint(1, 64)}))"
        text = f"(br_table {targets} {rng.randrange(labels)} {index})"
        for _ in range(labels):
            text = f"(block {text}) {self.statements(depth + 1, 2)}"
        return text

    def text(self) -> str:
        """The function's WAT."""
        rng = self.rng
        body = " ".join(self.statement(0) for _ in range(rng.randint(2, 7)))
        result = ("(i64.xor (i64.xor (local.get $b) (i64.extend_i32_u (local.get $a))) "
                  "(i64.xor (i64.reinterpret_f64 " + self.canonical("f64", "(local.get $y)")
                  + ") (i64.extend_i32_u (i32.reinterpret_f32 "
                  + self.canonical("f32", "(local.get $x)") + "))))")
        return (f"(func $f{self.index} (export \"f{self.index}\") (param $n i32) (param $p i32) "
                "(result i64) (local $a i32) (local $a2 i32) (local $b i64) (local $b2 i64) "
                "(local $x f32) (local $x2 f32) (local $y f64) (local $y2 f64) (local $cf f32) "
                "(local $cd f64) (local $i i32)\n"
                "  (local.set $a (local.get $p))"
                f" (local.set $x (f32.const {rng.choice(F32_CONSTS)}))"
                f" (local.set $y (f64.const {rng.choice(F64_CONSTS)}))"
                " (local.set $b (i64.const 5))\n"
                f"  (block $exit (loop $top {body}\n"
                "    (br_if $top (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))"
                " (local.get $n)))))\n"
                f"  {result})")


def module_text(seed: int) -> str:
    """The WAT of one module: functions ``f0``.., a memory ``m`` of 1 page (at most 3)
    with some data, globals ``$gi32``.. and an export ``grow``."""
    rng = random.Random(seed)
    count = rng.randint(1, 4)
    functions = "\n".join(_Function(rng, i, count).text() for i in range(count))
    return ("(module (memory (export \"m\") 1 3)\n"
            " (data (i32.const 0) \"\\01\\02\\03\\04\\ff\\ff\\7f\\7f"
            "\\00\\00\\c0\\7f\\00\\00\\80\\ff\")\n"
            " (global $gi32 (mut i32) (i32.const 3)) (global $gi64 (mut i64) (i64.const -9))\n"
            " (global $gf32 (mut f32) (f32.const 1.5)) (global $gf64 (mut f64) (f64.const -0.25))\n"
            " (func (export \"grow\") (result i32) (memory.grow (i32.const 1)))\n"
            f"{functions})")


def calls(seed: int, text: str) -> list[tuple[Any, ...]]:
    """Eight calls ``(name, steps, pointer)`` and one ``("grow",)``."""
    rng = random.Random(seed * 31)
    count = text.count("(func $f")
    made: list[tuple[Any, ...]] = [(f"f{rng.randrange(count)}", rng.choice(STEPS),
                                    rng.choice(POINTERS)) for _ in range(8)]
    made.insert(rng.randrange(8), ("grow",))
    return made
