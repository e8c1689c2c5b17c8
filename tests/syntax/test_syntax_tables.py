"""The abstract syntax (wasmem.syntax): the opcode table, type spellings, module limits."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from wasmem.syntax.limits import MAX_LOCALS, MODULE_LIMITS, limit_message
from wasmem.syntax.opcodes import (
    BRANCHES,
    BY_NAME,
    CALLS,
    CONSTANT_INSTRUCTIONS,
    OPCODES,
    PREFIXES,
    STRUCTURED,
    TAIL_CALLS,
    TERMINATORS,
    Imm,
    Op,
    OpClass,
    of_class,
    opcode_bytes,
    prefixed,
)
from wasmem.syntax.types import (
    EXNREF,
    EXTERNREF,
    F32,
    F64,
    FUNCREF,
    I32,
    I64,
    V128,
    AbsHeapType,
    ExternKind,
    FuncType,
    Limits,
    MemoryType,
    RefType,
    TableType,
    default_bits,
    is_num,
    is_ref,
    val_type_name,
)


def test_every_row_is_found_by_its_key_and_its_name() -> None:
    assert len(OPCODES) == len(BY_NAME) > 400
    for key, info in OPCODES.items():
        assert info.key == key and BY_NAME[info.name] is info
        byte, sub = opcode_bytes(key)
        if sub is None:
            assert key == byte < 0x100 and byte not in PREFIXES
        else:
            assert byte in PREFIXES and prefixed(byte, sub) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [("unreachable", 0x00), ("i32.add", 0x6A), ("memory.init", 0xFC0008),
     ("v128.const", 0xFD000C), ("i64.load32_u", 0x35), ("f64.store", 0x39)],
)
def test_keys_are_the_binary_encoding(name: str, key: int) -> None:
    assert BY_NAME[name].key == key


def test_memory_rows_carry_their_access() -> None:
    load = BY_NAME["i64.load16_s"]
    assert load.imm is Imm.MEMARG and load.memory_size == 2 and load.signed
    assert load.memory_type is I64 and load.natural_alignment == 1
    assert BY_NAME["i32.load"].natural_alignment == 2
    assert not BY_NAME["i32.load8_u"].signed
    store = BY_NAME["f32.store"]
    assert store.memory_size == 4 and store.memory_type is F32 and store.results == ()
    assert BY_NAME["v128.load"].memory_size == 16 and BY_NAME["v128.load"].feature == "simd"


def test_fixed_signatures() -> None:
    add = BY_NAME["i32.add"]
    assert (add.params, add.results) == ((I32, I32), (I32,))
    convert = BY_NAME["f64.convert_i64_u"]
    assert (convert.params, convert.results) == ((I64,), (F64,))
    assert BY_NAME["local.get"].params is None  # depends on the function's locals
    assert OPCODES[Op.I32_ADD] is add


def test_type_spellings() -> None:
    assert [str(t) for t in (I32, I64, F32, F64, V128)] == ["i32", "i64", "f32", "f64", "v128"]
    assert (str(FUNCREF), str(EXTERNREF), str(EXNREF)) == ("funcref", "externref", "exnref")
    assert str(RefType(False, AbsHeapType.FUNC)) == "(ref func)"
    assert val_type_name(RefType(True, 3)) == "(ref null 3)"
    assert str(RefType(True, AbsHeapType.NOFUNC)) == "nullfuncref"
    assert str(FuncType((I32, F64), (I64,))) == "[i32 f64] -> [i64]"
    assert str(FuncType()) == "[] -> []"
    assert str(ExternKind.MEMORY) == "memory" and int(ExternKind.TAG) == 4


def test_type_predicates_and_defaults() -> None:
    assert is_num(I32) and not is_num(V128) and not is_num(FUNCREF)
    assert is_ref(EXTERNREF) and not is_ref(I64)
    assert default_bits(I64) == 0 and default_bits(F32) == 0.0 and default_bits(V128) == 0
    assert default_bits(FUNCREF) is None
    assert MemoryType(Limits(1), I64).is64 and not MemoryType(Limits(1)).is64
    assert TableType(Limits(0), FUNCREF, I64).is64
    assert FuncType((I32,), ()) == FuncType((I32,), ())
    assert hash(FuncType((I32,), ())) == hash(FuncType((I32,), ()))


def test_limit_messages() -> None:
    assert limit_message("locals", 60_000, MAX_LOCALS) == (
        "too many locals: 60000 > 50000 (implementation limit)")
    assert limit_message("function body size", 9, 8) == (
        "function body size too large: 9 > 8 (implementation limit)")
    assert MODULE_LIMITS["locals"] == MAX_LOCALS
    assert all(value > 0 for value in MODULE_LIMITS.values())


def _names(keys: frozenset[int]) -> set[str]:
    return {OPCODES[key].name for key in keys}


def test_opcode_classes_are_the_specs() -> None:
    assert _names(STRUCTURED) == {"block", "loop", "if", "try_table"}
    assert _names(BRANCHES) == {"br", "br_if", "br_table", "br_on_null", "br_on_non_null",
                                "br_on_cast", "br_on_cast_fail"}
    assert _names(TERMINATORS) == {"unreachable", "br", "br_table", "return", "throw",
                                   "throw_ref", "return_call", "return_call_indirect",
                                   "return_call_ref"}
    assert _names(CALLS - TAIL_CALLS) == {"call", "call_indirect", "call_ref"}
    assert _names(TAIL_CALLS) == {"return_call", "return_call_indirect", "return_call_ref"}
    assert _names(CONSTANT_INSTRUCTIONS) == {
        "i32.const", "i64.const", "f32.const", "f64.const", "v128.const", "ref.null",
        "ref.func", "global.get", "i32.add", "i32.sub", "i32.mul", "i64.add", "i64.sub",
        "i64.mul"}
    assert OpClass.CALL | OpClass.TERMINATOR in BY_NAME["return_call"].classes
    assert of_class(OpClass.BRANCH | OpClass.TERMINATOR) == {Op.BR, Op.BR_TABLE}
    assert not BY_NAME["i32.div_s"].classes


def _class_sets() -> dict[frozenset[str], str]:
    """Every class set and every difference or intersection of two, by member names."""
    named = {"STRUCTURED": STRUCTURED, "BRANCHES": BRANCHES, "TERMINATORS": TERMINATORS,
             "CALLS": CALLS, "TAIL_CALLS": TAIL_CALLS, "CONSTANTS": CONSTANT_INSTRUCTIONS}
    found: dict[frozenset[str], str] = {}
    for a, first in named.items():
        found[frozenset(_names(first))] = a
        for b, second in named.items():
            found.setdefault(frozenset(_names(first - second)), f"{a} - {b}")
            found.setdefault(frozenset(_names(first & second)), f"{a} & {b}")
    return {names: how for names, how in found.items() if len(names) >= 2}


def _displays(tree: ast.AST) -> Iterator[tuple[int, frozenset[str]]]:
    """Set, tuple and list displays of ``Op.NAME`` keys or of string names."""
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Set, ast.Tuple, ast.List)) or len(node.elts) < 2:
            continue
        names: set[str] = set()
        for element in node.elts:
            if (isinstance(element, ast.Attribute) and isinstance(element.value, ast.Name)
                    and element.value.id == "Op" and element.attr in vars(Op)):
                names.add(OPCODES[getattr(Op, element.attr)].name)
            elif isinstance(element, ast.Constant) and isinstance(element.value, str):
                names.add(element.value)
            else:
                break
        else:
            yield node.lineno, frozenset(names)


def redeclared_classes(source: str) -> list[str]:
    """Where ``source`` spells out one of the table's opcode classes."""
    classes = _class_sets()
    return [f"line {line}: {classes[names]}" for line, names in _displays(ast.parse(source))
            if names in classes]


def test_the_redeclaration_finder_finds_redeclarations() -> None:
    assert redeclared_classes("S = {Op.BLOCK, Op.LOOP, Op.IF, Op.TRY_TABLE}") == [
        "line 1: STRUCTURED"]
    assert redeclared_classes('N = ("block", "if", "loop", "try_table")') == [
        "line 1: STRUCTURED"]
    assert redeclared_classes("C = frozenset({Op.CALL, Op.CALL_INDIRECT, Op.CALL_REF})")
    assert not redeclared_classes("X = (Op.MEMORY_GROW, Op.I32_CONST, Op.I64_CONST)")


def test_no_module_redeclares_an_opcode_class() -> None:
    import wasmem
    root = Path(wasmem.__file__).parent
    found = [f"{path.relative_to(root)} {where}" for path in sorted(root.rglob("*.py"))
             if path.name != "opcodes.py"
             for where in redeclared_classes(path.read_text(encoding="utf-8"))]
    assert not found, "derive these from wasmem.syntax.opcodes:\n" + "\n".join(found)
