"""The text parser: abbreviations, names, and errors with line:column."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.errors import ParseError, UnsupportedFeature
from wasmem.script import commands as c
from wasmem.syntax.module import ActiveData, ActiveElement, PassiveData
from wasmem.syntax.types import I32, I64, ExternKind, FuncType
from wasmem.text import parse_module, parse_script


def test_inline_abbreviations() -> None:
    module = parse_module("""
      (module $m
        (import "env" "f" (func $f (param i32)))
        (global $c (import "env" "c") i64)
        (func $g (export "g") (export "g2") (param $x i32) (result i32) (local.get $x))
        (memory $mem (export "memory") (data "abc" "\\01\\u{e9}"))
        (table $t funcref (elem $g $f))
      )""")
    assert [e.name for e in module.exports] == ["g", "g2", "memory"]
    assert module.types == (FuncType((I32,), ()), FuncType((I32,), (I32,)))
    assert module.memories[0].type.limits.min == 1
    assert module.datas[0].data == b"abc\x01\xc3\xa9"
    assert isinstance(module.datas[0].mode, ActiveData)
    assert isinstance(module.elements[0].mode, ActiveElement)
    assert module.tables[0].type.limits.min == 2
    assert [i.kind for i in module.imports] == [ExternKind.FUNC, ExternKind.GLOBAL]
    assert module.imports[1].desc.value_type is I64  # type: ignore[union-attr]
    assert module.names.module == "m"
    assert module.names.functions == {0: "f", 1: "g"}
    assert module.names.locals[1] == {0: "x"}


def test_bare_fields_and_forward_references() -> None:
    module = parse_module("(func (call $later)) (func $later) (data $d \"x\")")
    assert len(module.functions) == 2
    assert module.functions[0].body[0].immediates == (1,)
    assert isinstance(module.datas[0].mode, PassiveData)


def test_labels_resolve_to_depths() -> None:
    module = parse_module("""(func
        (block $outer (loop $inner (br_if $outer (i32.const 1)) (br $inner))))""")
    outer = module.functions[0].body[0]
    loop = outer.body[0]  # type: ignore[attr-defined]
    assert loop.body[1].immediates == (1,)  # br_if $outer from inside the loop
    assert loop.body[2].immediates == (0,)


def test_exec_of_parsed_module() -> None:
    instance = wasmem.Instance(wasmem.Module("""
      (module (func (export "f") (param i64) (result i64)
        local.get 0 i64.const -1 i64.mul))"""))
    assert instance.exports["f"](5) == -5


@pytest.mark.parametrize(("source", "message", "line", "column"), [
    ("(module\n  (func (call $nope)))", "unknown function $nope", 2, 15),
    ("(module\n  (func (i32.const 0x1_0000_0000) drop))", "constant out of range", 2, 20),
    ("(module (func $f) (func $f))", "duplicate func $f", 1, 25),
    ("(module (func (i32.load align=3 (i32.const 0)) drop))", "alignment", 1, 25),
    ("(module (func block $a end $b))", "mismatching label", 1, 28),
    ("(module (func) (import \"a\" \"b\" (func)))", "import after function", 1, 16),
    ("(module (func (i32.frob)))", "unknown operator i32.frob", 1, 16),
    ("(module (func (br $x)))", "unknown label $x", 1, 19),
    ("(module\n (memory 1)\n (func (memory.init $segment_index (i32.const 0) (i32.const 0) "
     "(i32.const 0))))", "unknown data segment $segment_index", 3, 21),
    ("(module (func", "unclosed parenthesis", 1, 9),
    ("(module (data \"\\q\"))", "illegal escape", 1, 16),
    ("(module (func (; never closed", "unclosed comment", 1, 15),
    ("(module (func (export \"\\ff\")))", "malformed UTF-8 encoding", 1, 23),
    ("(module (func)) extra", "unexpected token extra", 1, 17),
])
def test_errors_point_at_the_token(source: str, message: str, line: int, column: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_module(source, file="m.wat")
    error = info.value
    assert error.message.startswith(message)
    assert (error.line, error.column) == (line, column)
    assert error.file == "m.wat"


def test_gc_types_are_unsupported_not_crashes() -> None:
    with pytest.raises(UnsupportedFeature) as info:
        parse_module("(module (type (struct)))")
    assert info.value.feature == "gc"


def test_script_commands() -> None:
    script = parse_script("""
      (module $a (func (export "f") (result f32) (f32.const nan)))
      (register "a" $a)
      (assert_return (invoke $a "f") (f32.const nan:canonical))
      (assert_trap (invoke "f" (i32.const 1)) "unreachable")
      (assert_malformed (module quote "(func") "unexpected end")
      (assert_invalid (module binary "\\00asm" "\\01\\00\\00\\00") "x")
      (assert_return (invoke "g") (either (i32.const 1) (i32.const 2)) (ref.null func))
    """, file="s.wast")
    kinds = [type(cmd) for cmd in script]
    assert kinds == [c.ModuleCommand, c.Register, c.AssertReturn, c.AssertTrap,
                     c.AssertMalformed, c.AssertInvalid, c.AssertReturn]
    module = script[0]
    assert isinstance(module, c.ModuleCommand) and module.name == "a"
    assert isinstance(module.source, c.TextModule) and module.source.line == 2
    assert script[2].results[0].nan.kind == "canonical"  # type: ignore[union-attr]
    assert script[5].source.data == b"\x00asm\x01\x00\x00\x00"  # type: ignore[union-attr]


def test_module_errors_point_into_the_script() -> None:
    script = parse_script('\n\n   (module (func (i32.const x)))', file="s.wast")
    source = script[0].source  # type: ignore[union-attr]
    from wasmem.text import parse_module_source
    with pytest.raises(ParseError) as info:
        parse_module_source(source, file="s.wast")
    assert (info.value.line, info.value.column) == (3, 29)
