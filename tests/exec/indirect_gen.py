"""Random modules built around ``call_indirect`` (off-line fuzzing of its specialisation).

:mod:`wasmem.exec.compiler.indirect_inline` inlines a site's few candidate targets (the
element segments' functions of the call's type) behind a test on the loaded element.
smith rarely makes such sites; these modules are made of them: a table filled by active,
passive (``table.init``) and declarative (``ref.func`` + ``table.set``) segments with small
functions of a few shared types (multi-value among them), whose bodies return early,
branch out with values, trap (division, ``unreachable``, memory bounds), throw (caught
around some call sites, uncaught at others), change globals
and memory that the caller has already pushed on its stack, and call indirectly again
(recursion bounded by a global). Callers call through the table in loops, with indices
that may be out of bounds, null, or of another type. :func:`module_text` returns the WAT
of a seed; ``differential_offline.py --sets indirect`` compares it with wasmtime.
"""

from __future__ import annotations

import random

TYPES = [
    ("(param i32) (result i32)", ["i32"], ["i32"]),
    ("(param i32 i64) (result i32)", ["i32", "i64"], ["i32"]),
    ("", [], []),
    ("(param i32) (result i32 i32)", ["i32"], ["i32", "i32"]),
    ("(param i64) (result i64)", ["i64"], ["i64"]),
]
"""(signature, params, results) of the shared function types."""


class _Gen:
    """The generator state of one module."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"indirect/{seed}")
        self.table_size = self.rng.choice([4, 8, 12])
        self.funcs: list[tuple[int, str]] = []  # (type index, text)

    def const(self, t: str) -> str:
        r = self.rng
        v = r.choice([0, 1, 2, 7, -1, 255, 0x7FFFFFFF, r.randrange(-1000, 1000)])
        return f"({t}.const {v})"

    def expr(self, t: str, params: list[str], depth: int) -> str:
        """An expression of type ``t`` over the parameters ``params``."""
        r = self.rng
        choices = ["const", "local"] * 2 + (["bin", "bin", "if", "block", "load", "global",
                                             "call", "div"] if depth > 0 else [])
        kind = r.choice(choices)
        locals_of_t = [i for i, p in enumerate(params) if p == t]
        if kind == "local" and locals_of_t:
            return f"(local.get {r.choice(locals_of_t)})"
        if kind in ("const", "local"):
            return self.const(t)
        d = depth - 1
        if kind == "bin":
            op = r.choice(["add", "sub", "mul", "xor", "shl", "rotl", "and"])
            return f"({t}.{op} {self.expr(t, params, d)} {self.expr(t, params, d)})"
        if kind == "div":
            op = r.choice(["div_s", "div_u", "rem_s"])
            return f"({t}.{op} {self.expr(t, params, d)} {self.expr(t, params, d)})"
        if kind == "if":
            return (f"(if (result {t}) {self.cond(params, d)} (then {self.expr(t, params, d)})"
                    f" (else {self.expr(t, params, d)}))")
        if kind == "block":
            return (f"(block (result {t}) (drop (br_if 0 {self.expr(t, params, d)} "
                    f"{self.cond(params, d)})) {self.expr(t, params, d)})")
        if kind == "load":
            address = self.address(params, d)
            return f"({t}.load {address})"
        if kind == "global":
            value = "(global.get $g)"
            return value if t == "i32" else f"(i64.extend_i32_s {value})"
        # kind == "call": an indirect call of type 0 (bounded by the global $fuel)
        call = (f"(call_indirect (type 0) {self.expr('i32', params, d)} "
                f"{self.index(params, d)})")
        inner = (f"(if (result i32) (i32.gt_s (global.get $fuel) (i32.const 0)) (then "
                 f"(global.set $fuel (i32.sub (global.get $fuel) (i32.const 1))) {call}) "
                 f"(else {self.const('i32')}))")
        return inner if t == "i32" else f"(i64.extend_i32_u {inner})"

    def cond(self, params: list[str], depth: int) -> str:
        t = self.rng.choice(["i32", "i64"]) if "i64" in params else "i32"
        op = self.rng.choice(["eq", "ne", "lt_s", "gt_u"])
        return f"({t}.{op} {self.expr(t, params, depth)} {self.expr(t, params, depth)})"

    def address(self, params: list[str], depth: int) -> str:
        inner = self.expr("i32", params, depth)
        if self.rng.random() < 0.8:
            return f"(i32.and {inner} (i32.const 0xfff8))"
        return inner

    def index(self, params: list[str], depth: int) -> str:
        """A table index: mostly in bounds."""
        inner = self.expr("i32", params, depth)
        if self.rng.random() < 0.85:
            return f"(i32.rem_u {inner} (i32.const {self.table_size}))"
        return inner

    def statements(self, params: list[str], depth: int) -> str:
        r = self.rng
        out = []
        for _ in range(r.randint(0, 3)):
            kind = r.choice(["gset", "store", "return", "trap", "drop", "throw"])
            if kind == "gset":
                out.append(f"(global.set $g {self.expr('i32', params, depth)})")
            elif kind == "store":
                out.append(f"(i32.store {self.address(params, depth)} "
                           f"{self.expr('i32', params, depth)})")
            elif kind == "return":
                out.append(f"(if {self.cond(params, depth)} (then (return "
                           f"{' '.join(self.expr(t, params, depth) for t in self.results)})))")
            elif kind == "trap":
                out.append(f"(if {self.cond(params, depth)} (then unreachable))")
            elif kind == "throw":  # (caught by the callers that catch, else uncaught)
                out.append(f"(if {self.cond(params, depth)} (then (throw $e "
                           f"{self.expr('i32', params, depth)})))")
            else:
                out.append(f"(drop {self.expr('i32', params, depth)})")
        return " ".join(out)

    def function(self, type_index: int) -> str:
        _sig, params, results = TYPES[type_index]
        self.results = results
        body = self.statements(params, 2)
        values = " ".join(self.expr(t, params, 3) for t in results)
        return f"(func $f{len(self.funcs)} (type {type_index}) {body} {values})"

    def caller(self, number: int, type_indices: list[int]) -> str:
        """An exported caller: a loop of indirect calls of one type, results folded into
        an accumulator, with globals/memory already pushed below each call."""
        r = self.rng
        ti = r.choice(type_indices)
        _sig, params, results = TYPES[ti]
        args = " ".join(self.expr(t, ["i32", "i32", "i32"] if t == "i32" else [], 1)
                        if t == "i32" else f"(i64.extend_i32_s {self.expr('i32', ['i32'], 1)})"
                        for t in params)
        index = (f"(i32.rem_u (i32.add (local.get 1) (local.get 2)) "
                 f"(i32.const {self.table_size + r.choice([0, 0, 0, 2])}))")
        call = f"(call_indirect (type {ti}) {args} {index})"
        pushed = r.choice(["(global.get $g)", "(i32.load (i32.const 16))", "(local.get 2)",
                           "(i32.const 3)"])
        if results == ["i32"]:
            value = f"(i32.add {pushed} {call})"
        elif results == ["i64"]:
            value = f"(i32.add {pushed} (i32.wrap_i64 {call}))"
        elif results == ["i32", "i32"]:
            value = f"(i32.add {pushed} (i32.sub {call}))"
        else:
            value = f"(block (result i32) {call} {pushed})"
        if r.random() < 0.5:  # an exception thrown by a target lands here
            value = (f"(block $h (result i32) (try_table (result i32) (catch $e $h) "
                     f"{value}))")
        return (f"(func (export \"call{number}\") (param i32 i32) (result i32) (local i32) "
                f"(global.set $fuel (i32.const {r.choice([0, 3, 20])})) "
                f"(loop $l (local.set 2 (i32.add (i32.mul (local.get 2) (i32.const 31)) {value})) "
                f"(local.set 1 (i32.add (local.get 1) (i32.const 1))) "
                f"(br_if $l (i32.lt_u (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) "
                f"(i32.const {r.choice([3, 6, 10])})))) (local.get 2))")

    def module(self) -> str:
        r = self.rng
        type_indices = [0, *r.sample(range(1, len(TYPES)), r.randint(1, 3))]
        for _ in range(r.randint(2, 7)):
            ti = r.choice(type_indices)
            self.funcs.append((ti, self.function(ti)))
        names = [f"$f{i}" for i in range(len(self.funcs))]
        active = [r.choice(names) for _ in range(r.randint(1, self.table_size))]
        offset = r.randrange(0, self.table_size - len(active) + 1)
        passive = r.sample(names, r.randint(1, len(names)))
        declared = r.sample(names, r.randint(1, len(names)))
        callers = [self.caller(k, type_indices) for k in range(r.randint(1, 4))]
        types = " ".join(f"(type (func {sig}))" for sig, _p, _r in TYPES)
        return (f"(module {types} (tag $e (param i32)) (memory 1) "
                f"(global $g (mut i32) (i32.const 5)) "
                f"(global $fuel (mut i32) (i32.const 0)) "
                f"(table {self.table_size} {self.table_size} funcref) "
                + " ".join(text for _ti, text in self.funcs)
                + f" (elem (i32.const {offset}) func {' '.join(active)})"
                + f" (elem $p func {' '.join(passive)})"
                + f" (elem declare func {' '.join(declared)})"
                + " (func (export \"init\") (param i32 i32) (table.init $p "
                  f"(i32.rem_u (local.get 0) (i32.const {self.table_size})) (i32.const 0) "
                  f"(i32.rem_u (local.get 1) (i32.const {len(passive) + 1}))))"
                + " (func (export \"set\") (param i32) (table.set (i32.rem_u (local.get 0) "
                  f"(i32.const {self.table_size})) (ref.func {r.choice(declared)})))"
                + " (func (export \"clear\") (param i32) (table.set (i32.rem_u (local.get 0) "
                  f"(i32.const {self.table_size})) (ref.null func)))"
                + " " + " ".join(callers) + ")")


def module_text(seed: int) -> str:
    """The WAT of the module of ``seed``."""
    return _Gen(seed).module()
