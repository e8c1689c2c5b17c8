"""``call_indirect`` specialised on its likely targets (``exec/compiler/indirect_inline.py``).

The few small functions of the call's type that element segments refer to are inlined
behind a test of the table element's ``call``; every other element (another function,
a host function, another instance's function, one still on the interpreter, one
instrumented) takes the general path. Results, traps, trap messages, backtraces and
depth limits must be those of the interpreter.
"""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec import callstack
from wasmem.exec.compiler.indirect_inline import MAX_TARGETS, targets_of_type
from wasmem.exec.compiler.tier import CompiledModule
from wasmem.syntax.types import I32

NOPS = "nop " * 50  # too large to inline

SOURCE = f"""(module
 (type $cmp (func (param i32 i32) (result i32)))
 (type $one (func (param i32) (result i32)))
 (type $many (func (result i32)))
 (import "host" "add" (func $host (type $cmp)))
 (import "peer" "mul" (func $other (type $cmp)))
 (memory (export "memory") 1)
 (table $t 8 funcref)
 (elem (table $t) (i32.const 1) func $less $order $host)
 (elem (table $t) (i32.const 4) func $down $big1 $big2)
 (elem declare func $other)
 ;; two small functions of type $cmp: both inlined where $cmp is called
 (func $less (param i32 i32) (result i32) local.get 0 local.get 1 i32.lt_s)
 (func $order (param i32 i32) (result i32)
   local.get 0 i32.load local.get 1 i32.load i32.sub
   local.tee 0 i32.eqz if (result i32) i32.const 0 return else local.get 0 end
   i32.const 100 local.get 1 i32.div_s i32.add)
 ;; type $one has four functions, one small: its sites test that one
 (func $down (param i32) (result i32) local.get 0 i32.eqz if (result i32) i32.const 0
   else local.get 0 i32.const 1 i32.sub i32.const 4 call_indirect $t (type $one)
   i32.const 1 i32.add end)
 (func $big1 (param i32) (result i32) {NOPS} local.get 0)
 (func $big2 (param i32) (result i32) {NOPS} local.get 0)
 (func (export "cmp") (param i32 i32 i32) (result i32)
   local.get 0 local.get 1 local.get 2 call_indirect $t (type $cmp))
 (func (export "sum") (param i32 i32 i32) (result i32)
   ;; a value below the arguments survives both paths
   local.get 0 local.get 1 i32.mul
   local.get 0 local.get 1 local.get 2 call_indirect $t (type $cmp)
   i32.add)
 (func (export "set") (param i32) (table.set $t (local.get 0) (ref.func $other)))
 (func (export "down") (param i32) (result i32)
   local.get 0 i32.const 4 call_indirect $t (type $one))
 MANY (elem declare func ELEMS)
 (func (export "many") (param i32) (result i32)
   local.get 0 call_indirect $t (type $many))
 (func (export "one_as_cmp") (param i32) (result i32)
   local.get 0 local.get 0 i32.const 4 call_indirect $t (type $cmp)))
""".replace("MANY", " ".join(
    f"(func $m{k} (type $many) i32.const {k})" for k in range(MAX_TARGETS + 1))).replace(
    "ELEMS", " ".join(f"$m{k}" for k in range(MAX_TARGETS + 1)))

PEER = """(module (func (export "mul") (param i32 i32) (result i32)
  local.get 0 local.get 1 i32.mul))"""


def make(tier: str | None = "compile") -> wasmem.Instance:
    """An instance with -5 and 9 at addresses 0 and 4 (what ``$order`` compares)."""
    imports = {"host": {"add": wasmem.Function(lambda a, b: (a + b) & 0xFFFFFFFF,
                                               [I32, I32], [I32])}}
    options = {"tier": tier} if tier else {}
    imports["peer"] = {"mul": wasmem.Instance(wasmem.Module(PEER), **options).exports["mul"]}
    instance = wasmem.Instance(wasmem.Module(SOURCE), imports=imports, **options)
    memory = instance.exports["memory"]
    memory.write(0, (-5 & 0xFFFFFFFF).to_bytes(4, "little"))
    memory.write(4, (9).to_bytes(4, "little"))
    return instance


def outcome(call, *args: int) -> object:
    """The result, or the trap's class, message and frames (index, line, column)."""
    try:
        result = call(*args)
    except wasmem.Trap as trap:
        where = [(frame.function_index, frame.line, frame.column) for frame in trap.frames]
        return trap.__class__.__name__, str(trap), where
    return result


CASES = [("cmp", (1, 2, 1)), ("cmp", (2, 1, 1)), ("cmp", (0, 4, 2)), ("cmp", (4, 0, 2)),
         ("cmp", (0, 0, 2)), ("cmp", (3, 4, 3)), ("cmp", (3, 4, 0)), ("cmp", (3, 4, 8)),
         ("cmp", (3, 4, 4)), ("cmp", (65535, 4, 2)), ("sum", (3, 5, 1)),
         ("sum", (7, 9, 3)), ("sum", (7, 9, 2)), ("down", (50,)), ("one_as_cmp", (3,)),
         ("many", (4,)), ("many", (1,))]


def test_the_compiled_module_inlines_the_two_comparators() -> None:
    module = wasmem.Module(SOURCE).ast
    compiled = CompiledModule.of(module)
    context = compiled.context
    cmp_type, one_type, many_type = 0, 1, 2
    assert targets_of_type(context, cmp_type, 40) == (2, 3)  # $less, $order (not imports)
    assert targets_of_type(context, one_type, 40) == (4,)  # $down (the others: large)
    assert targets_of_type(context, many_type, 40) == ()  # too many: general
    assert MAX_TARGETS >= 3  # ($down and the two large ones)
    exported = {e.name: e.index for e in module.exports}
    source = compiled.source(exported["cmp"])
    assert source is not None and " is F2:" in source and " is F3:" in source
    down = compiled.source(exported["down"])
    assert down is not None and " is F4:" in down
    many = compiled.source(exported["many"])
    assert many is not None and " is F" not in many


@pytest.mark.parametrize("tier", ["compile", None], ids=["compile", "default"])
@pytest.mark.parametrize("name, args", CASES)
def test_same_outcome_as_the_interpreter(name: str, args: tuple[int, ...],
                                         tier: str | None) -> None:
    ours, interpreted = make(tier), make("interpret")
    for _ in range(3):  # (the default tier translates on a later call)
        assert outcome(ours.exports[name], *args) == \
            outcome(interpreted.exports[name], *args)


@pytest.mark.parametrize("args, message", [((4, 0, 2), "divide by zero"),
                                           ((65535, 4, 2), "out of bounds")])
def test_a_trap_in_an_inlined_target_has_its_frame(args: tuple[int, ...],
                                                   message: str) -> None:
    with pytest.raises(wasmem.Trap) as info:
        make().exports["cmp"](*args)
    assert message in str(info.value)
    assert [f.function_name for f in info.value.frames][1:] == ["cmp"]
    assert info.value.frames[0].function_name == "order"


def test_other_elements_take_the_general_path() -> None:
    instance = make()
    assert instance.exports["cmp"](1, 2, 1) == 1  # inlined $less
    assert instance.exports["cmp"](6, 7, 3) == 13  # the host function
    instance.exports["set"](1)  # another instance's function
    assert instance.exports["cmp"](6, 7, 1) == 42
    instance.exports["set"](2)
    assert instance.exports["cmp"](3, 4, 2) == 12  # not $order any more


def test_depth_limit_unchanged_through_inlined_targets() -> None:
    """``$r`` calls ``$s`` through the table, ``$s`` calls ``$r``: with ``$s`` inlined
    into ``$r`` each Python call stands for two WebAssembly calls; the deepest
    recursion that returns must be the interpreter's (within the 1-3 frames that a
    depth check at every other call can be off by)."""
    module = wasmem.Module(RECURSION)
    limits = []
    for tier in ("compile", "interpret"):
        run = wasmem.Instance(module, tier=tier).exports["r"]
        assert run(500) == 500
        fits, fails = 1, callstack.MAX_CALL_DEPTH
        while fails - fits > 1:
            probe = (fits + fails) // 2
            try:
                run(probe)
            except wasmem.Exhaustion:
                fails = probe
            else:
                fits = probe
        limits.append(fits)
    assert abs(limits[0] - limits[1]) <= 3, limits
    source = CompiledModule.of(module.ast).source(0)
    assert source is not None and " is F1:" in source


RECURSION = """(module
 (type $s (func (param i32) (result i32)))
 (table 1 funcref) (elem (i32.const 0) $s)
 (func $r (export "r") (param i32) (result i32)
   local.get 0 i32.eqz if (result i32) i32.const 0
   else local.get 0 i32.const 1 i32.sub i32.const 0 call_indirect (type $s) end)
 (func $s (param i32) (result i32) local.get 0 call $r i32.const 1 i32.add))
"""


WATCHED = """(module
 (type $cmp (func (param i32 i32) (result i32)))
 (import "host" "arm" (func $arm))
 (memory (export "memory") 1)
 (table 2 funcref) (elem (i32.const 0) $order)
 (func $order (param i32 i32) (result i32)
   local.get 0 i32.load local.get 1 i32.load i32.sub)
 (func (export "run") (param i32) (result i32)
   call $arm
   i32.const 0 i32.const 4 local.get 0 call_indirect (type $cmp)))
"""


def test_a_watchpoint_set_while_the_caller_runs_sees_the_target() -> None:
    """Compiled code already running when a watchpoint is set calls the target's
    instrumented code from then on (the test is on the element's ``call``, which
    instrumentation rebinds), so the target's loads are reported."""
    seen: list[object] = []
    armed: list[object] = []
    box: dict[str, wasmem.Instance] = {}

    def arm() -> None:
        if box.get("armed"):
            armed.append(box["instance"].watch(0, 8, kind="read", callback=seen.append))

    imports = {"host": {"arm": wasmem.Function(arm, [], [])}}
    instance = wasmem.Instance(wasmem.Module(WATCHED), imports=imports, tier="compile")
    box["instance"] = instance
    assert instance.exports["run"](0) == 0  # translated, inlined, nothing watched
    box["armed"] = instance  # (any true value)
    assert instance.exports["run"](0) == 0
    assert len(seen) == 2  # the two loads of $order
    for handle in armed:
        handle.remove()  # type: ignore[attr-defined]
