"""Random straight-line functions full of trapping operands, for trap-order fuzzing.

``wasm-tools smith`` rarely leaves two trapping values pending on the operand stack, so it
did not find the compile tier's trap-order bug (issue 10, defect 7). This generator does:
every function is a random stack program over i32 values where divisions, remainders,
loads, truncations and indirect calls can trap, consumed by every kind of instruction
(drop, local.set/tee, select, global.set, stores, calls, call_indirect, memory.grow,
memory.fill, memory.copy, table.set, table.grow, if, br_if, br_table, return).
:func:`outcomes` runs one on wasmem's tiers (and wasmtime when given an engine) and
returns what each did; :func:`places` the line:column of each trap's frames per tier.
"""

from __future__ import annotations

import random
from typing import Any

import wasmem
from wasmem.exec.invoke import invoke_raw

CONSTANTS = [0, 1, 2, 7, -1, 0x7FFFFFFF, -0x80000000, 65532, 65536, 70000, 0x7FC00000]
PARAMS = [(0, 1, -1), (5, 0, 3), (-0x80000000, -1, 70000), (65535, 3, 0), (7, 2, 1)]

HEADER = """(module
  (type $t (func (param i32) (result i32)))
  (memory (export "memory") 1 2)
  (table $tab 3 funcref)
  (elem (i32.const 0) func $id $neg)
  (global $g (mut i32) (i32.const 0))
  (func $id (param i32) (result i32) (local.get 0))
  (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
  (func $pair (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "g") (result i32) (global.get $g))
  (func (export "f") (param i32 i32 i32) (result i32) (local i32 i32)
"""


def function_body(rng: random.Random, length: int = 24) -> list[str]:
    """A random valid instruction sequence leaving one i32 (flat text form)."""
    code: list[str] = []
    height = 0

    def push() -> None:
        nonlocal height
        kind = rng.random()
        if kind < 0.45:
            code.append(f"i32.const {rng.choice(CONSTANTS)}")
        elif kind < 0.9:
            code.append(f"local.get {rng.randrange(5)}")
        else:
            code.append("global.get $g")
        height += 1

    for _ in range(length):
        if height < 3 or rng.random() < 0.3:
            push()
            continue
        op = rng.choice([
            "i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u", "i32.add", "i32.mul",
            "load", "load8", "trunc", "eqz", "drop", "local.set", "local.tee", "select",
            "global.set", "store", "store8", "call", "call2", "call_indirect", "grow",
            "fill", "if", "br_if", "call_ref_like", "copy", "table.set", "table.grow",
            "br_table", "return",
        ])
        if op in ("br_table", "return") and rng.random() < 0.8:
            op = "drop"  # rarer: the rest of the function is then unreachable
        if op in ("i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u", "i32.add", "i32.mul"):
            code.append(op)
            height -= 1
        elif op == "load":
            code.append(f"i32.load offset={rng.choice([0, 4, 65530])}")
        elif op == "load8":
            code.append("i32.load8_u")
        elif op == "trunc":
            code += ["f32.reinterpret_i32", "i32.trunc_f32_s"]
        elif op == "eqz":
            code.append("i32.eqz")
        elif op == "drop":
            code.append("drop")
            height -= 1
        elif op == "local.set":
            code.append(f"local.set {rng.randrange(5)}")
            height -= 1
        elif op == "local.tee":
            code.append(f"local.tee {rng.randrange(5)}")
        elif op == "select":
            code.append("select")
            height -= 2
        elif op == "global.set":
            code.append("global.set $g")
            height -= 1
        elif op == "store":
            code.append(f"i32.store offset={rng.choice([0, 65534])}")
            height -= 2
        elif op == "store8":
            code.append("i32.store8")
            height -= 2
        elif op == "call":
            code.append("call $id")
        elif op == "call2":
            code.append("call $pair")
            height -= 1
        elif op == "call_indirect":
            code.append("call_indirect (type $t)")
            height -= 1
        elif op == "grow":
            code.append("memory.grow")
        elif op == "fill":
            code.append("memory.fill")
            height -= 3
        elif op == "if":
            code.append("(if (then))")
            height -= 1
        elif op == "br_if":
            code.append("br_if 0")
            height -= 1
        elif op == "copy":
            code.append("memory.copy")
            height -= 3
        elif op == "table.set":  # the index (top) may be out of bounds
            code += ["ref.null func", "table.set $tab"]
            height -= 1
        elif op == "table.grow":  # init, then a delta that may trap
            code += ["ref.null func", f"local.get {rng.randrange(5)}",
                     f"i32.const {rng.choice(CONSTANTS)}", "i32.rem_u", "i32.const 15", "i32.and",
                     "table.grow $tab"]
            height += 1
        elif op == "br_table":
            code.append("br_table 0 0")
            height -= 1
        elif op == "return":
            code.append("return")
            height -= 1
        else:  # a table read that can trap
            code += ["i32.const 3", "i32.and", "table.get $tab", "drop"]
            height -= 1
    while height > 1:
        code.append(rng.choice(["drop", "i32.div_u", "i32.rem_s", "global.set $g",
                                "local.set 3"]))
        height -= 1
    if height == 0:
        code.append("i32.const 0")
    return code


def module_text(seed: int) -> str:
    """The module for ``seed``: :data:`HEADER` plus one random exported function ``f``."""
    rng = random.Random(seed)
    body = "\n".join(f"    {line}" for line in function_body(rng, rng.randint(8, 40)))
    return f"{HEADER}{body}))\n"


def _outcome(run: Any) -> tuple[Any, ...]:
    try:
        return ("ok", run())
    except wasmem.Trap as exc:
        return ("trap", exc.code.name)


def outcomes(text: str, wasmtime_engine: Any = None) -> dict[str, list[tuple[Any, ...]]]:
    """Per engine, for each argument triple of :data:`PARAMS`: the result or trap code of
    ``f``, then the global and a checksum of memory (so side effects are compared too)."""
    module = wasmem.Module(text)
    results: dict[str, list[tuple[Any, ...]]] = {}
    for tier in ("compile", "interpret"):
        rows = []
        for args in PARAMS:
            instance = wasmem.Instance(module, tier=tier)
            f = instance._instance.exports["f"]
            ours = _outcome(lambda f=f, args=args: invoke_raw(f, [a & 0xFFFFFFFF for a in args]))
            memory = instance.exports["memory"]
            data = memory.read(0, memory.size_bytes)
            rows.append((*ours, instance.exports["g"]() & 0xFFFFFFFF, hash(bytes(data))))
        results[tier] = rows
    if wasmtime_engine is not None:
        results["wasmtime"] = _wasmtime_outcomes(text, wasmtime_engine)
    return results


def places(text: str) -> dict[str, list[Any]]:
    """Per wasmem tier (interpreter, compiler), for each argument triple of
    :data:`PARAMS`: the trap code and the (line, column) of each of its frames, or None
    (one call on a fresh instance): the backtrace must name the same instructions."""
    module = wasmem.Module(text)
    found: dict[str, list[Any]] = {}
    for tier in ("interpret", "compile"):
        rows: list[Any] = []
        for args in PARAMS:
            try:
                wasmem.Instance(module, tier=tier).exports["f"](*args)
                rows.append(None)
            except wasmem.Trap as exc:
                rows.append((exc.code.name, [(f.line, f.column) for f in exc.frames]))
        found[tier] = rows
    return found


_WASMTIME_NAMES = {
    "INTEGER_DIVISION_BY_ZERO": "INTEGER_DIVIDE_BY_ZERO",
    "MEMORY_OUT_OF_BOUNDS": "OUT_OF_BOUNDS_MEMORY_ACCESS",
    "TABLE_OUT_OF_BOUNDS": "OUT_OF_BOUNDS_TABLE_ACCESS",
    "INDIRECT_CALL_TO_NULL": "UNINITIALIZED_ELEMENT",
    "BAD_SIGNATURE": "INDIRECT_CALL_TYPE_MISMATCH",
}


def _wasmtime_outcomes(text: str, engine: Any) -> list[tuple[Any, ...]]:
    import wasmtime

    module = wasmtime.Module(engine, text)
    rows = []
    for args in PARAMS:
        store = wasmtime.Store(engine)
        store.set_limits(table_elements=10_000_000, memory_size=1 << 30)  # as wasmem's caps
        instance = wasmtime.Instance(store, module, [])
        exports = instance.exports(store)
        try:
            row: tuple[Any, ...] = ("ok", exports["f"](store, *args) & 0xFFFFFFFF)
        except wasmtime.Trap as exc:
            name = exc.trap_code.name if exc.trap_code is not None else str(exc)
            row = ("trap", _WASMTIME_NAMES.get(name, name))
        memory = exports["memory"]
        data = memory.read(store, 0, memory.data_len(store))
        rows.append((*row, exports["g"](store) & 0xFFFFFFFF, hash(bytes(data))))
    return rows
