"""Mutated text never escapes as a Python exception: parse, validate and instantiate
end in a wasmem error or succeed (hypothesis over token-level mutations of real modules)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasmem.errors import WasmError
from wasmem.exec.instantiate import instantiate
from wasmem.text import parse_module
from wasmem.valid import validate_module

SEEDS = [
    """(module (memory 1 2) (data (i32.const 8) "abc")
      (func $f (export "f") (param $p i32) (result i32) (local $t i64)
        (block $b (result i32)
          (loop $l (br_if $b (i32.eqz (local.get $p)) (i32.const 1))
            (local.set $p (i32.sub (local.get $p) (i32.const 1))) (br $l))
          i32.const 0)
        (i32.load8_u offset=8 align=1) (memory.grow (i32.const 1)) drop))""",
    """(module (type $t (func (param i32) (result i32)))
      (table $tab 2 funcref) (elem (i32.const 0) func $g $g)
      (global $g0 (mut i64) (i64.const -1))
      (func $g (type $t) local.get 0 i32.const 2 i32.mul)
      (func (export "h") (result i32) (call_indirect (type $t) (i32.const 3) (i32.const 1)))
      (func (export "k") (result f64) (f64.const 0x1.8p3) (f64.sqrt) ))""",
    """(module (memory 1) (data $d "hello")
      (func (export "i") (memory.init $d (i32.const 0) (i32.const 0) (i32.const 5))
        (data.drop $d) (memory.copy (i32.const 1) (i32.const 0) (i32.const 4))
        (memory.fill (i32.const 0) (i32.const 255) (i32.const 2)))
      (func (param i32) (result i32 i32) (if (result i32 i32) (local.get 0)
        (then (i32.const 1) (i32.const 2)) (else (i32.const 3) (i32.const 4)))))""",
]
TOKENS = ["(", ")", "i32.const", "0", "-1", "$f", "$b", "block", "end", "br 0", "loop", "if",
          "local.get 0", "drop", "\"x\"", "(;", ";)", ";;", "0x", "nan:0x1", "offset=4",
          "align=2", "(func)", "(memory 0)", "(i32.load (i32.const 0))", "else", "then",
          "(result i32)", "(param i32)", "memory.grow", "\\", "\"\\u{110000}\"", "(@x)"]


def pieces(text: str) -> list[str]:
    return re.findall(r"\s+|[()]|\"[^\"]*\"|[^\s()\"]+", text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    parts = pieces(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(parts)))
        action = draw(st.sampled_from(["delete", "insert", "replace", "swap"]))
        if action == "delete" and where < len(parts):
            del parts[where]
        elif action == "insert":
            parts.insert(where, " " + draw(st.sampled_from(TOKENS)) + " ")
        elif action == "replace" and where < len(parts):
            parts[where] = draw(st.sampled_from(TOKENS))
        elif action == "swap" and where + 1 < len(parts):
            parts[where], parts[where + 1] = parts[where + 1], parts[where]
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_text_only_raises_wasm_errors(text: str) -> None:
    try:
        module = parse_module(text)
        validate_module(module)
        instance = instantiate(module, lambda imp: None)
        del instance
    except WasmError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("()$\"\\;@ \n0x1.pe-+_abimnu{}")), max_size=60))
def test_random_characters_only_raise_parse_errors(text: str) -> None:
    try:
        parse_module(text)
    except WasmError:
        pass
