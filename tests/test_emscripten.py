"""wasmem.emscripten: the host half of Emscripten-style setjmp/longjmp.

The hand-written module below does what LLVM's Emscripten setjmp/longjmp lowering emits
(``clang -mllvm -enable-emscripten-sjlj``): a guarded call through ``env.invoke_ii``,
then a look at ``__THREW__``/``__threwValue`` (globals set by the exported ``setThrew``).
The Lua tests run the real thing: Lua 5.4 built that way (bench/c/lua_sjlj), whose
errors are longjmps; their checksums come from pwasm, an independent engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import wasmem
from wasmem.emscripten import Emscripten, Longjmp, instantiate, needs_emscripten
from wasmem.wasi import WasiConfig

LOWERED = """(module
  (import "env" "invoke_ii" (func $invoke_ii (param i32 i32) (result i32)))
  (import "env" "emscripten_longjmp" (func $longjmp (param i32 i32)))
  (import "env" "setTempRet0" (func $set_temp (param i32)))
  (import "env" "getTempRet0" (func $get_temp (result i32)))
  (memory (export "memory") 1)
  (global $sp (export "__stack_pointer") (mut i32) (i32.const 4096))
  (global $threw (mut i32) (i32.const 0))
  (global $threw_value (mut i32) (i32.const 0))
  (table (export "__indirect_function_table") 4 funcref)
  (elem (i32.const 1) $jumper $two)
  (func (export "setThrew") (param i32 i32)
    (if (i32.eqz (global.get $threw))
      (then (global.set $threw (local.get 0)) (global.set $threw_value (local.get 1)))))
  ;; takes 16 bytes of stack; longjmps to jmp_buf 100 with value x unless x is 0
  (func $jumper (param $x i32) (result i32)
    (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))
    (if (local.get $x) (then (call $longjmp (i32.const 100) (local.get $x)) (unreachable)))
    (global.set $sp (i32.add (global.get $sp) (i32.const 16)))
    (i32.const 7))
  (func $two (param i32 i32) (result i32) (local.get 0))
  ;; a call of a function that called setjmp: 100000 * jmp_buf + value after a longjmp
  (func (export "guarded") (param $x i32) (result i32) (local $r i32)
    (global.set $threw (i32.const 0))
    (local.set $r (call $invoke_ii (i32.const 1) (local.get $x)))
    (if (global.get $threw)
      (then (return (i32.add (i32.mul (global.get $threw) (i32.const 1000))
                             (global.get $threw_value)))))
    (local.get $r))
  (func (export "nested") (param $x i32) (result i32)
    (call $invoke_ii (i32.const 1) (call $invoke_ii (i32.const 1) (local.get $x))))
  (func (export "unguarded") (param i32) (result i32) (call $jumper (local.get 0)))
  (func (export "call_index") (param i32 i32) (result i32)
    (call $invoke_ii (local.get 0) (local.get 1)))
  (func (export "caught") (param i32) (result i32)
    (block $handler (try_table (catch_all $handler) (return (call $jumper (local.get 0)))))
    (i32.const -1))
  (func (export "temp") (param i32) (result i32) (call $set_temp (local.get 0)) (call $get_temp))
  (func (export "sp") (result i32) (global.get $sp)))"""

TIERS = ("compile", "interpret")


@pytest.fixture(scope="module")
def lowered() -> wasmem.Module:
    return wasmem.Module(LOWERED, cache_dir=False)


@pytest.mark.parametrize("tier", TIERS)
def test_a_call_without_longjmp_returns_its_result(lowered: wasmem.Module, tier: str) -> None:
    instance = instantiate(lowered, tier=tier)
    assert instance.exports.guarded(0) == 7
    assert instance.emscripten.invokes == 1 and instance.emscripten.longjmps == 0


@pytest.mark.parametrize("tier", TIERS)
def test_a_longjmp_unwinds_to_the_trampoline(lowered: wasmem.Module, tier: str) -> None:
    instance = instantiate(lowered, tier=tier)
    assert instance.exports.guarded(5) == 100005  # jmp_buf 100, value 5
    assert instance.exports.sp() == 4096  # the stack pointer restored
    assert instance.exports.guarded(-2) == 100000 - 2
    assert instance.exports.guarded(0) == 7
    assert instance.emscripten.longjmps == 2 and instance.emscripten.invokes == 3


@pytest.mark.parametrize("tier", TIERS)
def test_trampolines_nest(lowered: wasmem.Module, tier: str) -> None:
    instance = instantiate(lowered, tier=tier)
    # the inner longjmp is caught by the inner trampoline (result 0), then jumper(0) = 7
    assert instance.exports.nested(3) == 7
    assert instance.emscripten.longjmps == 1 and instance.exports.sp() == 4096


@pytest.mark.parametrize("tier", TIERS)
def test_an_uncaught_longjmp_is_a_trap_with_frames(lowered: wasmem.Module, tier: str) -> None:
    instance = instantiate(lowered, tier=tier)
    with pytest.raises(Longjmp) as caught:
        instance.exports.unguarded(4)
    trap = caught.value
    assert isinstance(trap, wasmem.Trap) and trap.code is wasmem.TrapCode.HOST_ERROR
    assert "longjmp with no setjmp" in str(trap)
    assert [frame.function_name for frame in trap.frames][:2] == ["jumper", "unguarded"]


@pytest.mark.parametrize("tier", TIERS)
def test_wasm_exception_handlers_do_not_catch_a_longjmp(lowered: wasmem.Module,
                                                          tier: str) -> None:
    instance = instantiate(lowered, tier=tier)
    assert instance.exports.caught(0) == 7
    with pytest.raises(Longjmp):  # a trap, not a thrown tag: catch_all does not see it
        instance.exports.caught(1)


@pytest.mark.parametrize("tier", TIERS)
def test_the_table_element_is_checked_as_call_indirect_does(lowered: wasmem.Module,
                                                            tier: str) -> None:
    instance = instantiate(lowered, tier=tier)
    with pytest.raises(wasmem.Trap, match="uninitialized element 0"):
        instance.exports.call_index(0, 1)
    with pytest.raises(wasmem.Trap, match="indirect call type mismatch"):
        instance.exports.call_index(2, 1)
    with pytest.raises(wasmem.Trap, match="undefined element") as caught:
        instance.exports.call_index(9, 1)
    assert caught.value.code is wasmem.TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS
    assert instance.exports.call_index(1, 0) == 7


def test_temp_ret0_is_a_cell(lowered: wasmem.Module) -> None:
    instance = instantiate(lowered)
    assert instance.exports.temp(-5) == -5
    assert instance.emscripten.temp_ret0 == 0xFFFFFFFB  # raw: the i32 as stored


def test_imports_are_made_for_what_the_module_imports(lowered: wasmem.Module) -> None:
    sjlj = Emscripten(lowered)
    assert sorted(sjlj.imports) == ["emscripten_longjmp", "getTempRet0", "invoke_ii",
                                    "setTempRet0"]
    assert needs_emscripten(lowered)
    assert not needs_emscripten(wasmem.Module("(module)", cache_dir=False))


def test_an_env_entry_of_the_caller_wins(lowered: wasmem.Module) -> None:
    instance = instantiate(lowered, {"env": {"getTempRet0": lambda: 41}})
    assert instance.exports.temp(3) == 41


def test_a_trampoline_before_bind_is_a_link_error(lowered: wasmem.Module) -> None:
    sjlj = Emscripten(lowered)
    instance = wasmem.Instance(lowered, {"env": sjlj.imports})
    with pytest.raises(wasmem.LinkError, match="bind"):
        instance.exports.guarded(0)
    sjlj.bind(instance)
    assert instance.exports.guarded(0) == 7


def test_missing_exports_are_link_errors() -> None:
    module = wasmem.Module('(module (import "env" "invoke_v" (func (param i32))))',
                           cache_dir=False)
    with pytest.raises(wasmem.LinkError, match="__indirect_function_table"):
        instantiate(module)
    bad = wasmem.Module('(module (import "env" "invoke_v" (func (param f32))))',
                        cache_dir=False)
    with pytest.raises(wasmem.LinkError, match="table index"):
        Emscripten(bad)
    temp_only = wasmem.Module('(module (import "env" "getTempRet0" (func (result i32)))'
                              ' (import "env" "_emscripten_throw_longjmp" (func)))',
                              cache_dir=False)
    assert needs_emscripten(temp_only) and instantiate(temp_only).emscripten.invokes == 0
    odd = wasmem.Module('(module (import "env" "getTempRet0" (func (result i64))))',
                        cache_dir=False)
    with pytest.raises(wasmem.LinkError, match="getTempRet0 is imported as"):
        Emscripten(odd)


THROW_STYLE = """(module
  (import "env" "invoke_vi" (func $invoke_vi (param i32 i32)))
  (import "env" "_emscripten_throw_longjmp" (func $throw))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 2048))
  (global $threw (mut i32) (i32.const 0))
  (table (export "__indirect_function_table") 2 funcref)
  (elem (i32.const 1) $jump)
  (func (export "stackSave") (result i32) (global.get $sp))
  (func (export "stackRestore") (param i32) (global.set $sp (local.get 0)))
  (func (export "setThrew") (param i32 i32)
    (if (i32.eqz (global.get $threw)) (then (global.set $threw (local.get 0)))))
  (func $jump (param i32)  ;; C's emscripten_longjmp: setThrew, then the host throws
    (global.set $sp (i32.const 16))
    (global.set $threw (local.get 0))
    (call $throw))
  (func (export "run") (param $target i32) (result i32)
    (global.set $threw (i32.const 0))
    (call $invoke_vi (i32.const 1) (local.get $target))
    (global.get $threw))
  (func (export "argc") (result i32)
    (drop (call $sizes (i32.const 0) (i32.const 4))) (i32.load (i32.const 0)))
  (func (export "sp") (result i32) (global.get $sp)))"""


def test_throw_style_and_stack_calls_compose_with_wasi() -> None:
    module = wasmem.Module(THROW_STYLE, cache_dir=False)
    instance = instantiate(module, wasi=WasiConfig(args=["prog", "a", "b"]))
    assert instance.exports.run(77) == 77
    assert instance.exports.sp() == 2048  # restored through stackRestore
    assert instance.exports.argc() == 3


LUA = Path(__file__).resolve().parents[1] / "bench" / "c" / "lua_sjlj" / "lua_sjlj.wasm"


@pytest.fixture(scope="module")
def lua() -> wasmem.Module:
    return wasmem.Module(LUA.read_bytes(), cache_dir=False)


@pytest.mark.parametrize(("script", "expected", "longjmps"), [
    (0, 3614376006, 0),   # strings
    (3, 2948604622, 0),   # objects with metatables
    (4, 444162899, 12),   # errors: pcall/error, each error a longjmp
])
def test_lua_with_setjmp_longjmp(lua: wasmem.Module, script: int, expected: int,
                                 longjmps: int) -> None:
    instance = instantiate(lua)
    assert instance.exports.run(script, 3) & 0xFFFFFFFF == expected
    assert instance.emscripten.longjmps == longjmps


def test_wasmem_run_provides_the_trampolines(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from wasmem.cli import main
    command = THROW_STYLE.replace(
        '(import "wasi_snapshot_preview1" "args_sizes_get"',
        '(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))\n'
        '  (import "wasi_snapshot_preview1" "args_sizes_get"')
    command = command[:command.rstrip().rindex(")")] + (
        '\n  (func (export "_start") (call $exit (call $run_ (i32.const 42)))))')
    command = command.replace('(func (export "run")', '(func $run_ (export "run")')
    path = tmp_path / "sjlj.wat"
    path.write_text(command)
    assert main(["run", str(path)]) == 42  # WASI command: its exit status
    assert main(["run", str(path), "--invoke", "run", "9"]) == 0
    assert capsys.readouterr().out == "9\n"


EDGES = """(module
  (import "env" "invoke_vi" (func $invoke_vi (param i32 i32)))
  (import "env" "invoke_ii" (func $invoke_ii (param i32 i32) (result i32)))
  (tag $oops (param i32))
  (memory 1)
  (global (export "__stack_pointer") (mut i32) (i32.const 1024))
  (table (export "__indirect_function_table") 4 funcref)
  (elem (i32.const 1) $recurse $throws $load)
  (func (export "setThrew") (param i32 i32))
  (func $recurse (param $n i32)
    (if (local.get $n)
      (then (call $invoke_vi (i32.const 1) (i32.sub (local.get $n) (i32.const 1))))))
  (func $throws (param $v i32) (throw $oops (local.get $v)))
  (func $load (param $a i32) (result i32) (i32.load (local.get $a)))
  (func (export "recurse") (param i32) (call $invoke_vi (i32.const 1) (local.get 0)))
  (func (export "load") (param i32) (result i32) (call $invoke_ii (i32.const 3) (local.get 0)))
  ;; a wasm exception passes through the trampoline, as through JavaScript's invoke_*
  (func (export "catches") (param $v i32) (result i32)
    (block $h (result i32)
      (try_table (catch $oops $h) (call $invoke_vi (i32.const 2) (local.get $v)))
      (i32.const -1))))"""


@pytest.mark.parametrize("tier", TIERS)
def test_traps_and_exceptions_of_the_callee(tier: str) -> None:
    instance = instantiate(wasmem.Module(EDGES, cache_dir=False), tier=tier)
    assert instance.exports.catches(9) == 9
    with pytest.raises(wasmem.Trap, match="out of bounds memory access") as caught:
        instance.exports.load(65535)
    assert caught.value.code is wasmem.TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS
    assert instance.exports.load(0) == 0
    instance.exports.recurse(50)
    with pytest.raises(wasmem.Exhaustion, match="call stack exhausted"):
        instance.exports.recurse(1_000_000)
    instance.exports.recurse(50)  # still usable


def _wasmtime_run(script: int, n: int) -> tuple[int, int]:
    """Run the Lua module on wasmtime (the oracle) with trampolines written for its API;
    return (checksum, longjmps caught)."""
    wasmtime = pytest.importorskip("wasmtime")
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    module = wasmtime.Module(engine, LUA.read_bytes())

    class Jump(Exception):
        pass

    box: dict[str, object] = {}
    temp, caught = [0], [0]

    def invoke_vii(index: int, a: int, b: int) -> None:
        saved = box["sp"].value(store)  # type: ignore[attr-defined]
        try:
            box["table"].get(store, index)(store, a, b)  # type: ignore[attr-defined]
        except Jump:
            caught[0] += 1
            box["sp"].set_value(store, saved)  # type: ignore[attr-defined]
            box["setThrew"](store, 1, 0)  # type: ignore[operator]

    def longjmp(target: int, value: int) -> None:
        box["setThrew"](store, target, value)  # type: ignore[operator]
        raise Jump()

    hosts = {"invoke_vii": invoke_vii, "emscripten_longjmp": longjmp,
             "setTempRet0": lambda v: temp.__setitem__(0, v), "getTempRet0": lambda: temp[0]}
    instance = wasmtime.Instance(store, module, [wasmtime.Func(store, imp.type, hosts[imp.name])
                                                 for imp in module.imports])
    exports = instance.exports(store)
    box.update(sp=exports["__stack_pointer"], table=exports["__indirect_function_table"],
               setThrew=exports["setThrew"])
    return exports["run"](store, script, n) & 0xFFFFFFFF, caught[0]


@pytest.mark.parametrize("script", [1, 2, 4])
def test_lua_agrees_with_wasmtime(lua: wasmem.Module, script: int) -> None:
    expected = _wasmtime_run(script, 8)
    instance = instantiate(lua)
    assert (instance.exports.run(script, 8) & 0xFFFFFFFF,
            instance.emscripten.longjmps) == expected
