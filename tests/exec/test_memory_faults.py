"""Guest memory faults are traps with their real access; wasmem's own errors are not.

Also: an exception at any point of ``memory.grow`` (call-stack exhaustion at the depth
limit) leaves the instance usable, in both tiers.
"""

from __future__ import annotations

from typing import Any

import pytest

import wasmem
from wasmem.exec import support
from wasmem.memory.linear import LinearMemory

TIERS = ["compile", "interpret", "tiered"]
PAGE = 65536

ACCESSES = """(module
  (memory 1) (memory $two 2)
  (func (export "nested") (param i32) (result i32)
    (i32.add (i32.load8_u offset=3 (local.get 0)) (i32.load (i32.load offset=1 (local.get 0)))))
  (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "store8") (param i32 i32) (i32.store8 offset=7 (local.get 0) (local.get 1)))
  (func (export "f32_load") (param i32) (result f32) (f32.load (local.get 0)))
  (func (export "f32_store") (param i32) (f32.store (local.get 0) (f32.const 1)))
  (func (export "i64_load") (param i32) (result i64) (i64.load offset=8 (local.get 0)))
  (func (export "i64_store") (param i32) (i64.store (local.get 0) (i64.const 1)))
  (func (export "load16_s") (param i32) (result i32) (i32.load16_s (local.get 0)))
  (func (export "two_load") (param i32) (result i32) (i32.load $two (local.get 0)))
  (func (export "in_loop") (param i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get 0))))
      (local.set 0 (i32.add (local.get 0) (i32.const 4096)))
      (br_if $l (i32.ne (local.get 0) (i32.const 0))))
    (local.get $s)))"""

CASES = [
    ("nested", [PAGE - 3], (PAGE, 1)),
    ("nested", [PAGE - 4], (PAGE - 3, 4)),
    ("nested", [PAGE - 5], None),
    ("store16", [PAGE - 1, 1], (PAGE - 1, 2)),
    ("store16", [PAGE, 1], (PAGE, 2)),
    ("store8", [PAGE - 7, 1], (PAGE, 1)),
    ("f32_load", [PAGE - 3], (PAGE - 3, 4)),
    ("f32_store", [PAGE - 2], (PAGE - 2, 4)),
    ("i64_load", [PAGE - 8], (PAGE, 8)),
    ("i64_load", [PAGE - 7], (PAGE + 1, 8)),
    ("i64_store", [-1], (2 ** 32 - 1, 8)),
    ("load16_s", [PAGE - 1], (PAGE - 1, 2)),
    ("two_load", [2 * PAGE - 2], (2 * PAGE - 2, 4)),
    ("in_loop", [0], (PAGE, 4)),
]


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("name, args, fault", CASES, ids=[f"{c[0]}-{c[1][0]}" for c in CASES])
def test_trap_reports_the_real_access(tier: str, name: str, args: list[int],
                                      fault: tuple[int, int] | None) -> None:
    instance = wasmem.Instance(wasmem.Module(ACCESSES), tier=tier)
    if fault is None:
        instance.exports[name](*args)
        return
    with pytest.raises(wasmem.Trap, match="out of bounds memory access") as info:
        instance.exports[name](*args)
    error: Any = info.value
    size = 2 * PAGE if name == "two_load" else PAGE
    assert (error.address, error.length, error.size) == (*fault, size)


@pytest.mark.parametrize("name, args, fault", CASES, ids=[f"{c[0]}-{c[1][0]}" for c in CASES])
def test_traps_agree_with_wasmtime(name: str, args: list[int],
                                   fault: tuple[int, int] | None) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    config = wasmtime.Config()
    config.wasm_multi_memory = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    binary = wasmem.Module(ACCESSES).to_bytes()
    theirs = wasmtime.Instance(store, wasmtime.Module(engine, binary), []).exports(store)[name]
    if fault is None:
        theirs(store, *args)
        return
    with pytest.raises(wasmtime.Trap) as info:
        theirs(store, *args)
    assert "out of bounds memory access" in str(info.value)


@pytest.mark.parametrize("tier", TIERS)
def test_wasmem_bug_in_a_memory_helper_is_not_a_trap(tier: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_fill(self: LinearMemory, address: int, value: int, length: int) -> None:
        raise IndexError("a bug inside wasmem")

    monkeypatch.setattr(LinearMemory, "fill", broken_fill)
    instance = wasmem.Instance(wasmem.Module("""(module (memory 1)
      (func (export "f") (memory.fill (i32.const 0) (i32.const 1) (i32.const 4))))"""),
                               tier=tier)
    with pytest.raises(IndexError, match="a bug inside wasmem") as info:
        instance.exports["f"]()
    assert not isinstance(info.value, wasmem.WasmError)


def test_compiled_access_raising_while_in_bounds_is_not_a_trap(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An accessor failing for an address that is in bounds is wasmem's bug."""
    def broken_f32(buffer: Any, offset: int) -> float:
        raise IndexError("broken accessor")

    # (an f32 load of a NaN still calls an accessor, to keep its bits: the other loads
    # index typed views)
    monkeypatch.setitem(support.STRUCTS, "UF32", broken_f32)
    instance = wasmem.Instance(wasmem.Module("""(module (memory 1)
      (data (i32.const 9) "\\00\\00\\c0\\7f")
      (func (export "f") (param i32) (result f32) (f32.load (local.get 0))))"""),
        tier="compile")
    with pytest.raises(IndexError, match="broken accessor") as info:
        instance.exports["f"](9)
    assert not isinstance(info.value, wasmem.WasmError)
    assert any("internal error" in note for note in getattr(info.value, "__notes__", []))
    monkeypatch.undo()
    instance = wasmem.Instance(wasmem.Module("""(module (memory 1)
      (func (export "f") (param i32) (result i32) (i32.load (local.get 0))))"""))
    with pytest.raises(wasmem.Trap):
        instance.exports["f"](PAGE - 2)  # the same access is a trap when the guest is at fault


GROW_AT_DEPTH = """(module
  (memory (export "memory") 1)
  (func $r (export "r") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (memory.grow (i32.const 1)))
      (else (call $r (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size)))"""


@pytest.mark.parametrize("tier", TIERS)
def test_exhaustion_inside_memory_grow_leaves_instance_usable(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(GROW_AT_DEPTH), tier=tier,
                               max_memory_bytes=1 << 30)
    exports = instance.exports
    low, high = 0, 200_000  # r(low) returns, r(high) exhausts the call stack
    try:
        exports["r"](high)
        pytest.skip("no call-depth limit reached")
    except wasmem.Exhaustion:
        pass
    while high - low > 1:
        middle = (low + high) // 2
        try:
            exports["r"](middle)
            low = middle
        except wasmem.Exhaustion:
            high = middle
    for depth in range(max(0, low - 3), low + 4):
        try:
            exports["r"](depth)
        except wasmem.Exhaustion:
            pass
        pages = exports["size"]()
        assert pages == exports["memory"].size
        last = pages * PAGE - 4
        exports["store"](last, 0x5A5A)
        assert exports["load"](last) == 0x5A5A
        assert exports["memory"].read(last, 2) == b"\x5a\x5a"


FUZZ_SEEDS = list(range(int(__import__("os").environ.get("WASMEM_FAULT_SEEDS", "12"))))


@pytest.mark.parametrize("seed", FUZZ_SEEDS)
def test_generated_modules_fault_alike_in_both_tiers(seed: int) -> None:
    """``wasm-tools smith`` modules: every export called on both tiers; no Python error
    escapes and out-of-bounds traps name the same access (a longer run: more seeds)."""
    differential = pytest.importorskip("wasm_differential")
    import random

    from wasmem.exec.invoke import invoke_raw
    from wasmem.runtime.functions import FunctionInstance

    binary = differential.generate("memory64", seed)
    if binary is None:
        pytest.skip("smith made no module from these bytes")
    module = wasmem.Module(binary)
    try:
        compiled, interpreted = (wasmem.Instance(module, tier=tier, fuel=20_000)
                                 for tier in TIERS[:2])
    except wasmem.WasmError:
        pytest.skip("the module traps while instantiating")
    rng = random.Random(seed)
    for name, function in compiled._instance.exports.items():
        if not isinstance(function, FunctionInstance):
            continue
        drawn = [differential.argument(rng, t) for t in function.type.params]
        if not all(usable and value is not None for value, _, usable in drawn):
            continue
        args = [value for value, _, _ in drawn]
        outcomes: list[tuple[object, ...]] = []
        for callee in (function, interpreted._instance.exports[name]):
            try:
                invoke_raw(callee, list(args))
                outcomes.append(("ok",))
            except wasmem.Trap as trap:
                outcomes.append((trap.message, getattr(trap, "address", None),
                                 getattr(trap, "length", None), getattr(trap, "size", None)))
            except wasmem.WasmError as error:
                outcomes.append((type(error).__name__,))
        assert outcomes[0] == outcomes[1], (name, args)


@pytest.mark.parametrize("expression, fault", [
    pytest.param("U32(M0, F1(65534))[0]", (65534, 4, PAGE), id="struct-message"),
    pytest.param("M0[F1(65536)]", (-1, 1, PAGE), id="index-unknown-address"),
    pytest.param("M0[l0 + 2]", (PAGE, 1, PAGE), id="evaluated"),
])
def test_fault_of_an_access_whose_address_calls_a_function(
        expression: str, fault: tuple[int, int, int]) -> None:
    """An address that calls a function is not evaluated again (the call could have
    effects): struct's message gives the access, else the address is reported as -1."""
    import linecache

    from wasmem.exec.faults import guest_fault
    from wasmem.syntax.types import I32, Limits, MemoryType

    memory = LinearMemory(MemoryType(Limits(1, 2), I32))
    calls: list[int] = []

    def effect(value: int) -> int:
        calls.append(value)
        return value

    namespace: dict[str, Any] = {"MEM0": memory, "F1": effect, **support.STRUCTS}
    memory.bind(namespace, "M0")
    source = f"def F0(l0):\n    return {expression}\n"
    filename = f"<wasm test F0 {expression}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    with pytest.raises(Exception) as info:  # IndexError or struct.error
        namespace["F0"](65534)
    trap = guest_fault(info.value)
    assert trap is not None
    assert (trap.address, trap.length, trap.size) == fault
    assert len(calls) <= 1  # the address was not computed a second time


def test_fault_of_a_function_whose_file_name_another_module_reused() -> None:
    """Found by the off-line fuzzer after the merges: two modules' translations share a
    file name (``<wasm module F0 f>``), so :mod:`linecache` held the other one's source
    and the fault was reported as an internal error instead of the guest's access."""
    load = '(i32.add (i32.const 1) (i32.load (local.get 0)))'
    plain = '(i32.add (i32.const 2) (local.get 0))'
    template = '(module (memory 1) (func (export "f") (param i32) (result i32) {}))'
    loading = wasmem.Instance(wasmem.Module(template.format(load), cache_dir=False))
    loading.exports["f"](0)
    other = wasmem.Instance(wasmem.Module(template.format(plain), cache_dir=False))
    other.exports["f"](0)  # its source now sits under the same file name
    with pytest.raises(wasmem.Trap) as caught:
        loading.exports["f"](70000)
    assert (caught.value.message, caught.value.address, caught.value.length) == (
        "out of bounds memory access", 70000, 4)
