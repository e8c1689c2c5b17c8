"""``wasmem.TrapCode``: every trap says why, the same way in both tiers.

Each trap message of the spec test suite's ``assert_trap``/``assert_exhaustion`` maps to
its own code (none falls back to ``HOST_ERROR``), and real programs that trap for each
reason give that code in the compile tier and the interpreter.
"""

from __future__ import annotations

import re

import pytest

import wasmem
from _data import SPEC_SUITE
from wasmem import TrapCode
from wasmem.errors import Exhaustion, FuelExhausted, Trap, UncaughtException

SUITE = SPEC_SUITE

SPEC_MESSAGES = {
    "unreachable": TrapCode.UNREACHABLE,
    "integer divide by zero": TrapCode.INTEGER_DIVIDE_BY_ZERO,
    "integer overflow": TrapCode.INTEGER_OVERFLOW,
    "invalid conversion to integer": TrapCode.BAD_CONVERSION_TO_INTEGER,
    "out of bounds memory access": TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS,
    "out of bounds table access": TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS,
    "undefined element": TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS,
    "uninitialized element": TrapCode.UNINITIALIZED_ELEMENT,
    "uninitialized element 2": TrapCode.UNINITIALIZED_ELEMENT,
    "indirect call type mismatch": TrapCode.INDIRECT_CALL_TYPE_MISMATCH,
    "null reference": TrapCode.NULL_REFERENCE,
    "null function reference": TrapCode.NULL_FUNCTION_REFERENCE,
    "null structure reference": TrapCode.NULL_STRUCTURE_REFERENCE,
    "null array reference": TrapCode.NULL_ARRAY_REFERENCE,
    "null i31 reference": TrapCode.NULL_I31_REFERENCE,
    "out of bounds array access": TrapCode.OUT_OF_BOUNDS_ARRAY_ACCESS,
    "cast failure": TrapCode.CAST_FAILURE,
    "unaligned atomic": TrapCode.UNALIGNED_ATOMIC,
    "call stack exhausted": TrapCode.CALL_STACK_EXHAUSTED,
}


def suite_trap_messages() -> set[str]:
    """The expected message of every assert_trap / assert_exhaustion in the spec suite."""
    messages: set[str] = set()
    start = re.compile(r"\(assert_(?:trap|exhaustion)\b")
    for path in SUITE.rglob("*.wast"):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in start.finditer(text):
            i, depth, last = match.end(), 1, None
            while depth and i < len(text):
                ch = text[i]
                if ch == '"':
                    j = i + 1
                    while text[j] != '"':
                        j += 2 if text[j] == "\\" else 1
                    last, i = text[i + 1:j], j + 1
                    continue
                if text.startswith(";;", i):
                    i = text.index("\n", i)
                    continue
                depth += ch == "("
                depth -= ch == ")"
                i += 1
            if last is not None:
                messages.add(last)
    return messages


def test_every_spec_trap_message_has_its_own_code() -> None:
    messages = suite_trap_messages()
    assert len(messages) >= 15
    for message in messages:
        code = TrapCode.for_message(message)
        assert code is not TrapCode.HOST_ERROR, message
        assert SPEC_MESSAGES.get(message) is code, message


def test_codes_of_the_exception_classes() -> None:
    assert Trap("integer divide by zero").code is TrapCode.INTEGER_DIVIDE_BY_ZERO
    assert Trap("uninitialized element 7").code is TrapCode.UNINITIALIZED_ELEMENT
    assert Trap("unreachable code").code is TrapCode.HOST_ERROR  # not the spec's message
    assert Trap("my own failure").code is TrapCode.HOST_ERROR
    assert Trap("x", code=TrapCode.UNREACHABLE).code is TrapCode.UNREACHABLE
    assert FuelExhausted().code is TrapCode.FUEL_EXHAUSTED
    assert Exhaustion("call stack exhausted").code is TrapCode.CALL_STACK_EXHAUSTED
    assert Exhaustion("out of memory").code is TrapCode.RESOURCE_EXHAUSTED
    assert UncaughtException(None, ()).code is TrapCode.UNCAUGHT_EXCEPTION
    assert wasmem.TrapCode is TrapCode


PROGRAMS = {
    TrapCode.UNREACHABLE: "(func (export \"f\") unreachable)",
    TrapCode.INTEGER_DIVIDE_BY_ZERO:
        "(func (export \"f\") (drop (i64.rem_u (i64.const 1) (i64.const 0))))",
    TrapCode.INTEGER_OVERFLOW:
        "(func (export \"f\") (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))",
    TrapCode.BAD_CONVERSION_TO_INTEGER:
        "(func (export \"f\") (drop (i64.trunc_f64_u (f64.const nan))))",
    TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS:
        "(memory 1) (func (export \"f\") (drop (i64.load (i32.const 65530))))",
    TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS:
        "(table 1 funcref) (func (export \"f\") (drop (table.get 0 (i32.const 5))))",
    TrapCode.UNINITIALIZED_ELEMENT:
        "(type $t (func)) (table 1 funcref) "
        "(func (export \"f\") (call_indirect (type $t) (i32.const 0)))",
    TrapCode.INDIRECT_CALL_TYPE_MISMATCH:
        "(type $t (func (param i32))) (table funcref (elem $g)) (func $g) "
        "(func (export \"f\") (call_indirect (type $t) (i32.const 1) (i32.const 0)))",
    TrapCode.NULL_REFERENCE:
        "(func (export \"f\") (drop (ref.as_non_null (ref.null func))))",
    TrapCode.NULL_FUNCTION_REFERENCE:
        "(type $t (func)) (func (export \"f\") (call_ref $t (ref.null $t)))",
    TrapCode.NULL_EXCEPTION_REFERENCE:
        "(func (export \"f\") (throw_ref (ref.null exn)))",
    TrapCode.UNCAUGHT_EXCEPTION: "(tag $e) (func (export \"f\") (throw $e))",
    TrapCode.CALL_STACK_EXHAUSTED: "(func $f (export \"f\") (call $f))",
    TrapCode.HOST_ERROR:
        "(import \"env\" \"h\" (func $h)) (func (export \"f\") (call $h))",
}


def _failing_host() -> None:
    raise ValueError("the host failed")


@pytest.mark.parametrize("tier", ["compile", "interpret"])
@pytest.mark.parametrize("code", list(PROGRAMS), ids=[c.name for c in PROGRAMS])
def test_both_tiers_set_the_code(tier: str, code: TrapCode) -> None:
    module = wasmem.Module(f"(module {PROGRAMS[code]})")
    instance = wasmem.Instance(module, {"env": {"h": _failing_host}}, tier=tier)
    with pytest.raises(wasmem.Trap) as caught:
        instance.exports["f"]()
    assert caught.value.code is code, caught.value


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_fuel_and_resource_codes(tier: str) -> None:
    looping = wasmem.Module('(module (func (export "f") (loop (br 0))))')
    with pytest.raises(wasmem.FuelExhausted) as caught:
        wasmem.Instance(looping, fuel=1000, tier=tier).exports["f"]()
    assert caught.value.code is TrapCode.FUEL_EXHAUSTED
    big = wasmem.Module("(module (memory 100))")
    with pytest.raises(wasmem.ResourceLimitError) as too_big:  # a limit, not a trap
        wasmem.Instance(big, max_memory_pages=10, tier=tier)
    assert too_big.value.cap == "max_memory_pages"
    assert not isinstance(too_big.value, wasmem.Trap)


def test_out_of_bounds_classes_keep_their_code_whatever_the_message() -> None:
    from wasmem.memory.linear import OutOfBounds
    from wasmem.runtime.tables import TableOutOfBounds

    assert OutOfBounds(70000, 4, 65536).code is TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS
    assert TableOutOfBounds().code is TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS
    assert OutOfBounds.default_code is TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_comparison_as_call_indirect_index(tier: str) -> None:
    """Found by the differential fuzzer (base seed 6322): the compile tier keeps a
    comparison's result as a Python bool, and the trap said "uninitialized element True"
    (so its code was HOST_ERROR). The index is a number in both tiers now."""
    text = ('(module (type $t (func)) (table 2 funcref) (func (export "c") (param i32) '
            '(call_indirect (type $t) (i32.eqz (local.get 0)))))')
    instance = wasmem.Instance(wasmem.Module(text), tier=tier)
    with pytest.raises(wasmem.Trap) as caught:
        instance.exports["c"](0)
    assert caught.value.message == "uninitialized element 1"
    assert caught.value.code is TrapCode.UNINITIALIZED_ELEMENT


def test_a_frame_with_a_line_break_in_its_names_stays_one_line() -> None:
    """Module and function names come from the module (its name section): unprintable
    characters in them are escaped, so each frame of a backtrace is one line."""
    from wasmem.errors import Frame, format_frames
    frames = [Frame(3, "f\nx", "mod\x00ule", 1, 2), Frame(0, "é", "m", offset=0x1f)]
    text = format_frames(frames)
    assert text.splitlines() == ["wasm backtrace:", "  0: mod\\x00ule!f\\nx at 1:2",
                                 "  1: m!é at @0x1f"]


@pytest.mark.parametrize("tier", ["compile", "tiered", "interpret"])
def test_uncaught_exception_values_are_ints(tier: str) -> None:
    """The payload of an uncaught exception is the host's to read: translated code
    computes a comparison's i32 (and its extension to i64) as a Python bool, which the
    payload showed (``(True, True)`` where the interpreter gave ``(1, 1)``)."""
    text = ('(module (tag $e (param i32 i64 i32)) (func (export "c") (param i32)\n'
            '  (throw $e (i32.eqz (local.get 0)) (i64.extend_i32_u (i32.eqz (local.get 0)))\n'
            '    (i32.ne (local.get 0) (local.get 0)))))')
    instance = wasmem.Instance(wasmem.Module(text), tier=tier)
    for _ in range(3):  # (the tiered mode translates after its budgets)
        with pytest.raises(UncaughtException) as caught:
            instance.exports["c"](0)
        values = caught.value.values
        assert values == (1, 1, 0) and [type(v) for v in values] == [int, int, int]
