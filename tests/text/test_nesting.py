"""Deep nesting and long literals in the text format (issue 10 defect 6).

400 nested blocks or 500 nested folded ``i32.add`` used to raise RecursionError, and
literals of more than 4,300 digits Python's ValueError. Nesting is now limited only by
MAX_NESTING (a ParseError beyond it); literals of any length are exact or "constant out
of range". Deep bodies go through parse -> validate -> both tiers -> print -> parse.
"""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.binary.encode import encode_module
from wasmem.syntax.limits import MAX_NESTING
from wasmem.text import instructions as text_instructions
from wasmem.text.literals import OutOfRange, float_bits, int_bits, parse_uint
from wasmem.text.printer import print_module

ROOT = Path(__file__).resolve().parents[2]
TIERS = ("interpret", "compile")


def run_both_tiers(source: str, *args: int) -> list[object]:
    module = wasmem.Module(source)
    return [wasmem.Instance(module, tier=tier).exports["f"](*args) for tier in TIERS]


# ---------------------------------------------------------------- the reproducers

def test_400_nested_blocks() -> None:
    n = 400
    source = '(module (func (export "f") ' + "(block " * n + ")" * n + "))"
    assert run_both_tiers(source) == [None, None]


def test_500_nested_folded_adds() -> None:
    n = 500
    source = ('(module (func (export "f") (result i32) ' + "(i32.add (i32.const 1) " * n
              + "(i32.const 2)" + ")" * n + "))")
    assert run_both_tiers(source) == [502, 502]


@pytest.mark.parametrize("shape", ["folded", "flat"])
def test_10000_levels_through_every_phase(shape: str) -> None:
    n = 10_000
    if shape == "folded":
        body = ("(block (result i32) (i32.add (i32.const 1) " * n + "(i32.const 0)"
                + "))" * n)
    else:
        body = "block (result i32) i32.const 1 " * n + "i32.const 0 " + "i32.add end " * n
    source = f'(module (func (export "f") (result i32) {body}))'
    module = wasmem.Module(source)
    assert [wasmem.Instance(module, tier=t).exports["f"]() for t in TIERS] == [n, n]
    printed = print_module(module.ast)
    assert len(printed) < 40 * len(source)  # indentation is capped: no quadratic text
    again = wasmem.Module(printed)
    assert encode_module(again.ast) == encode_module(module.ast)  # == would recurse
    assert wasmem.Instance(again).exports["f"]() == n


def test_nesting_beyond_the_limit_is_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_NESTING >= 10_000
    monkeypatch.setattr(text_instructions, "MAX_NESTING", 300)
    ok = '(module (func ' + "(block " * 300 + ")" * 300 + "))"
    wasmem.Module(ok)
    for source in ['(module (func ' + "(block " * 301 + ")" * 301 + "))",
                   '(module (func ' + "block " * 301 + "end " * 301 + "))",
                   '(module (func (result i32) ' + "(i32.eqz " * 301 + "(i32.const 0)"
                   + ")" * 301 + "))"]:
        with pytest.raises(wasmem.ParseError) as info:
            wasmem.Module(source)
        assert "nesting too deep: more than 300" in info.value.message
        assert "implementation limit" in info.value.message


def test_errors_inside_deep_nesting_keep_their_position() -> None:
    n = 3000
    source = '(module (func ' + "(block " * n + "(nop) (i32.bogus)" + ")" * n + "))"
    with pytest.raises(wasmem.ParseError) as info:
        wasmem.Module(source)
    assert "unknown operator i32.bogus" in info.value.message
    assert info.value.column == source.index("i32.bogus") + 1


def test_labels_resolve_across_deep_nesting() -> None:
    n = 2000
    source = ('(module (func (export "f") (result i32) (block $out (result i32) '
              + "(block " * n + "(br $out (i32.const 42))" + ")" * n + " (i32.const 0))))")
    assert run_both_tiers(source) == [42, 42]


# A layer wraps an i32 expression E and gives (source prefix, suffix, value update).
LAYERS = {
    "block": ("(block (result i32) ", ")", lambda v: v),
    "loop": ("(loop (result i32) ", ")", lambda v: v),
    "if": ("(if (result i32) (local.get 0) (then ", ") (else (i32.const 7)))", lambda v: v),
    "add": ("(i32.add (i32.const 3) ", ")", lambda v: (v + 3) & 0xFFFFFFFF),
    "sub": ("(i32.sub ", " (i32.const 5))", lambda v: (v - 5) & 0xFFFFFFFF),
    "flat": ("(block (result i32) block (result i32) ", " end)", lambda v: v),
    "br": ("(block (result i32) (br 0 ", "))", lambda v: v),
    "tee": ("(local.tee 1 ", ")", lambda v: v),
}


@settings(max_examples=5, deadline=None)
@given(st.lists(st.sampled_from(sorted(LAYERS)), min_size=1, max_size=60),
       st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_deep_nesting_property(pattern: list[str], repeat: int, seed: int) -> None:
    layers = (pattern * repeat)[:1500]
    prefix, suffix, value = [], [], seed
    for name in layers:  # innermost first
        before, after, update = LAYERS[name]
        prefix.append(before)
        suffix.append(after)
        value = update(value)
    value -= (value & 0x80000000) << 1  # exports give i32 results signed
    expr = "".join(reversed(prefix)) + f"(i32.const {seed})" + "".join(suffix)
    source = (f'(module (func (export "f") (param i32) (result i32) (local i32) {expr}))')
    module = wasmem.Module(source)
    results = [wasmem.Instance(module, tier=t).exports["f"](1) for t in TIERS]
    assert results == [value, value]
    again = wasmem.Module(print_module(module.ast))
    assert encode_module(again.ast) == encode_module(module.ast)
    assert wasmem.Instance(again, tier="compile").exports["f"](1) == value


# ---------------------------------------------------------------- literals of any length

def test_5000_digit_integer_is_out_of_range() -> None:
    for constant in ("i32.const", "i64.const"):
        for digits in ("1" * 5000, "-" + "9" * 5000, "1_" * 4999 + "1"):
            with pytest.raises(wasmem.ParseError) as info:
                wasmem.Module(f"(module (func (drop ({constant} {digits}))))")
            assert info.value.message == "constant out of range"


def test_long_integers_with_leading_zeros_are_exact() -> None:
    assert int_bits("0" * 10_000 + "42", 32) == 42
    assert int_bits("-" + "0" * 10_000 + "1", 64) == 2**64 - 1
    assert parse_uint("0" * 5000 + "7") == 7
    assert run_both_tiers('(module (func (export "f") (result i32) (i32.const '
                          + "0" * 6000 + "123)))") == [123, 123]


def test_long_unsigned_immediates_are_out_of_range() -> None:
    with pytest.raises(wasmem.ParseError) as info:
        wasmem.Module("(module (memory " + "9" * 5000 + "))")
    assert "constant out of range" in info.value.message
    with pytest.raises(wasmem.ParseError):
        wasmem.Module("(module (memory 1) (func (drop (i32.load offset=" + "9" * 5000
                      + " (i32.const 0)))))")


def f64_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


@pytest.mark.parametrize("text", [
    "1" * 5000 + "e-4990",
    "0." + "0" * 5000 + "1" + "e5000",
    "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264"
    "991818081799618989828234772285886546332835517796989819938739800539093906315035659515570"
    "226392290858392449105184435931802849936536152500319370457678249219365623669863658480757"
    "001585769269903706311928279558551332927834338409351978015531246597263579574622766465272"
    "827220056374006485499977096599470454020828166226237857393450736339007967761930577506740"
    "176324673600968951340535537458516661134223766678604162159680461914467291840300530057530"
    "849048765391711386591646239524912623653881879636239373280423891018672348497668235089863"
    "388587925628302755995657524455507255189313690836254779186948667994968324049705821028513"
    "185451396213837722826145437693412532098591327667236328125" + "0" * 3000 + "1e-324",
    "9" * 4400 + "." + "9" * 4400 + "e-4400",
])
def test_long_float_literals_round_exactly(text: str) -> None:
    assert float_bits(text, 64) == f64_bits(float(text))  # Python's float() has no digit cap


@pytest.mark.parametrize(("text", "bits"), [
    ("1e-" + "9" * 5000, 0),
    ("0x1p-" + "9" * 5000, 0),
    ("-1e-" + "1" * 5000, 1 << 63),
    ("0." + "0" * 5000 + "1", 0),
    ("1e+" + "0" * 5000 + "1", f64_bits(10.0)),
])
def test_float_exponents_of_any_length(text: str, bits: int) -> None:
    assert float_bits(text, 64) == bits


@pytest.mark.parametrize("text", ["1e" + "9" * 5000, "0x1p" + "1" * 5000, "1" * 5000,
                                  "1" * 5000 + ".5", "0x" + "f" * 5000 + ".0"])
def test_huge_float_literals_are_out_of_range(text: str) -> None:
    with pytest.raises(OutOfRange):
        float_bits(text, 64)
    with pytest.raises(wasmem.ParseError) as info:
        wasmem.Module(f"(module (func (drop (f64.const {text}))))")
    assert info.value.message == "constant out of range"


def test_cli_reports_a_parse_error_not_an_internal_error(tmp_path: Path) -> None:
    path = tmp_path / "long.wat"
    path.write_text("(module (func (drop (i32.const " + "1" * 5000 + "))))")
    done = subprocess.run([sys.executable, "-m", "wasmem", "validate", str(path)],
                          capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""})
    assert done.returncode != 0
    assert "constant out of range" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
