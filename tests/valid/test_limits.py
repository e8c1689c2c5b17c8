"""Implementation limits (wasmem.syntax.limits): refused in the decoder, the binary fast
path and the validator, each with a message naming the limit; modules at a limit load.

Issue 10 defect 5: a 16,000-param block type used by 16,000 nested blocks took 9 s to
load; it is now refused at once, and what stays allowed validates in linear time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import wasmem
from wasmem.binary import decode as decode_module_file
from wasmem.binary.decode import decode_module
from wasmem.errors import DecodeError, ValidationError
from wasmem.syntax import limits
from wasmem.syntax.instructions import Instruction
from wasmem.syntax.module import (
    ActiveElement,
    ElementSegment,
    Export,
    Function,
    Global,
    Import,
    Module,
)
from wasmem.syntax.opcodes import Op
from wasmem.syntax.types import FUNCREF, I32, ExternKind, FuncType, GlobalType
from wasmem.load import load_binary
from wasmem.valid import validate_module

ROOT = Path(__file__).resolve().parents[2]


def leb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def section(section_id: int, body: bytes) -> bytes:
    return bytes([section_id]) + leb(len(body)) + body


HEADER = b"\x00asm\x01\x00\x00\x00"
LIMIT = re.compile(r"(too many [a-z_ ]+|[a-z ]+ too large): (\d+) > (\d+) \(implementation limit\)")


def check_message(message: str, what: str, count: int, limit: int) -> None:
    match = LIMIT.fullmatch(message)
    assert match, message
    assert what in match.group(1)
    assert (int(match.group(2)), int(match.group(3))) == (count, limit)


def function_module(params: int, results: int, body: bytes, locals_: bytes = b"\x00") -> bytes:
    ftype = b"\x60" + leb(params) + b"\x7f" * params + leb(results) + b"\x7f" * results
    entry = locals_ + body
    return (HEADER + section(1, b"\x01" + ftype) + section(3, b"\x01\x00")
            + section(10, b"\x01" + leb(len(entry)) + entry))


# ---------------------------------------------------------------- the issue's reproducer

def test_issue_reproducer_is_refused_at_once() -> None:
    n = 16_000
    body = b"\x00" + b"\x02\x00" * n + b"\x0b" * n + b"\x0b"
    with pytest.raises(DecodeError) as info:
        wasmem.Module(function_module(n, n, body))
    check_message(info.value.message, "params", n, limits.MAX_PARAMS)
    assert info.value.offset == 14  # the params count of type 0


def test_text_reproducer_is_refused_by_validation() -> None:
    params = " ".join(["i32"] * 16_000)
    source = f"(module (type (func (param {params}) (result {params}))))"
    with pytest.raises(ValidationError) as info:
        wasmem.Module(source)
    check_message(info.value.message, "params", 16_000, limits.MAX_PARAMS)


def test_block_types_at_the_limit_still_load() -> None:
    n = limits.MAX_PARAMS
    body = b"\x00" + b"\x02\x00" * 2000 + b"\x0b" * 2000 + b"\x0b"
    module = wasmem.Module(function_module(n, n, body))
    assert len(module.ast.functions) == 1


# ---------------------------------------------------------------- binary: DecodeError

def _types(count: int) -> bytes:
    return HEADER + section(1, leb(count) + b"\x60\x00\x00" * count)


def _results(count: int) -> bytes:
    return HEADER + section(1, b"\x01\x60\x00" + leb(count) + b"\x7f" * count)


def _locals(count: int) -> bytes:
    return function_module(0, 0, b"\x0b", locals_=b"\x01" + leb(count) + b"\x7f")


def _br_table(count: int) -> bytes:
    body = b"\x02\x40\x41\x00\x0e" + leb(count) + b"\x00" * count + b"\x00\x0b\x0b"
    return function_module(0, 0, body)


def _exports(count: int) -> bytes:
    return HEADER + section(7, leb(count) + b"\x01a\x00\x00" * count)


def _imports(count: int) -> bytes:
    return HEADER + section(2, leb(count) + b"\x01m\x01n\x03\x7f\x00" * count)


def _datas(count: int) -> bytes:
    return HEADER + section(11, leb(count) + b"\x01\x00" * count)


def _data_count(count: int) -> bytes:
    return HEADER + section(12, leb(count))


def _element_segments(count: int) -> bytes:
    return HEADER + section(9, leb(count) + b"\x01\x00\x00" * count)


def _segment_elements(count: int) -> bytes:
    return HEADER + section(9, b"\x01\x01\x00" + leb(count) + b"\x00" * count)


def _name(count: int) -> bytes:
    return HEADER + section(0, leb(count) + b"n" * count)


def _functions(count: int) -> bytes:
    return HEADER + section(1, b"\x01\x60\x00\x00") + section(3, leb(count) + b"\x00" * count)


def _globals(count: int) -> bytes:
    return HEADER + section(6, leb(count) + b"\x7f\x00\x41\x00\x0b" * count)


BINARY_CASES = [
    ("types", _types, limits.MAX_TYPES),
    ("results", _results, limits.MAX_RESULTS),
    ("locals", _locals, limits.MAX_LOCALS),
    ("br_table targets", _br_table, limits.MAX_BR_TABLE_TARGETS),
    ("exports", _exports, limits.MAX_EXPORTS),
    ("imports", _imports, limits.MAX_IMPORTS),
    ("data segments", _datas, limits.MAX_DATA_SEGMENTS),
    ("data segments", _data_count, limits.MAX_DATA_SEGMENTS),
    ("element segments", _element_segments, limits.MAX_ELEMENT_SEGMENTS),
    ("elements in a segment", _segment_elements, limits.MAX_SEGMENT_ELEMENTS),
    ("name length", _name, limits.MAX_NAME_BYTES),
    ("functions", _functions, limits.MAX_FUNCTIONS),
    ("globals", _globals, limits.MAX_GLOBALS),
]


@pytest.mark.parametrize(("what", "build", "limit"), BINARY_CASES,
                         ids=[f"{c[1].__name__[1:]}" for c in BINARY_CASES])
def test_binary_over_the_limit_is_a_decode_error(what: str, build, limit: int) -> None:  # type: ignore[no-untyped-def]
    data = build(limit + 1)
    for load in (decode_module, load_binary, wasmem.Module):
        with pytest.raises(DecodeError) as info:
            load(data)
        check_message(info.value.message, what, limit + 1, limit)


@pytest.mark.parametrize(("build", "limit"), [
    (_results, limits.MAX_RESULTS), (_locals, limits.MAX_LOCALS),
    (_br_table, limits.MAX_BR_TABLE_TARGETS), (_datas, limits.MAX_DATA_SEGMENTS),
    (_name, limits.MAX_NAME_BYTES), (_exports, 1000)], ids=lambda v: getattr(v, "__name__", ""))
def test_binary_at_the_limit_passes_the_limit_checks(build, limit: int) -> None:  # type: ignore[no-untyped-def]
    try:
        load_binary(build(limit))
    except (DecodeError, ValidationError) as error:  # other rules may still apply
        assert "implementation limit" not in error.message


def test_function_body_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode_module_file, "MAX_FUNCTION_SIZE", 10)
    data = function_module(0, 0, b"\x01" * 9 + b"\x0b")  # size 11 with the locals byte
    with pytest.raises(DecodeError) as info:
        decode_module(data)
    check_message(info.value.message, "function body size", 11, 10)
    decode_module(function_module(0, 0, b"\x01" * 8 + b"\x0b"))


def test_module_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode_module_file, "MAX_MODULE_SIZE", 8)
    with pytest.raises(DecodeError) as info:
        wasmem.Module(HEADER + b"\x00\x01\x00")
    check_message(info.value.message, "module size", 11, 8)


# ---------------------------------------------------------------- any module: ValidationError

def _fn(type_index: int = 0, locals_: int = 0) -> Function:
    return Function(type_index, (I32,) * locals_, ())


AST_CASES = [
    ("types", lambda n: Module(types=(FuncType(),) * n), limits.MAX_TYPES),
    ("functions", lambda n: Module(
        types=(FuncType(),), imports=(Import("m", "f", ExternKind.FUNC, 0),),
        functions=(_fn(),) * (n - 1)), limits.MAX_FUNCTIONS),
    ("imports", lambda n: Module(
        types=(FuncType(),), imports=(Import("m", "f", ExternKind.FUNC, 0),) * n),
     limits.MAX_IMPORTS),
    ("exports", lambda n: Module(
        types=(FuncType(),), functions=(_fn(),),
        exports=tuple(Export(str(i), ExternKind.FUNC, 0) for i in range(n))),
     limits.MAX_EXPORTS),
    ("globals", lambda n: Module(globals=(
        Global(GlobalType(I32, False), (Instruction(Op.I32_CONST, (0,)),)),) * n),
     limits.MAX_GLOBALS),
    ("params", lambda n: Module(types=(FuncType((I32,) * n),)), limits.MAX_PARAMS),
    ("results", lambda n: Module(types=(FuncType((), (I32,) * n),)), limits.MAX_RESULTS),
    ("locals", lambda n: Module(types=(FuncType((I32,) * 10),), functions=(_fn(0, n - 10),)),
     limits.MAX_LOCALS),
    ("elements in a segment", lambda n: Module(
        types=(FuncType(),), functions=(_fn(),),
        elements=(ElementSegment(FUNCREF, ((Instruction(Op.REF_FUNC, (0,)),),) * n,
                                 ActiveElement(0, (Instruction(Op.I32_CONST, (0,)),))),)),
     limits.MAX_SEGMENT_ELEMENTS),
    ("name length", lambda n: Module(
        types=(FuncType(),), functions=(_fn(),),
        exports=(Export("é" * (n // 2 + 1), ExternKind.FUNC, 0),)), limits.MAX_NAME_BYTES),
]


@pytest.mark.parametrize(("what", "build", "limit"), AST_CASES, ids=[c[0] for c in AST_CASES])
def test_any_module_over_the_limit_is_a_validation_error(what: str, build, limit: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        validate_module(build(limit + 1))
    message = info.value.message
    if what == "name length":  # "é" is two bytes: the count is the encoded length
        assert message.startswith("name length too large: ") and "> 100000" in message
    else:
        check_message(message, what, limit + 1, limit)


def test_text_br_table_over_the_limit() -> None:
    labels = " ".join(["0"] * (limits.MAX_BR_TABLE_TARGETS + 2))  # targets and default
    with pytest.raises(ValidationError) as info:
        wasmem.Module(f"(module (func (block (br_table {labels} (i32.const 0)))))")
    check_message(info.value.message, "br_table targets", limits.MAX_BR_TABLE_TARGETS + 1,
                  limits.MAX_BR_TABLE_TARGETS)
    assert info.value.instruction == "br_table"


def test_text_locals_count_parameters() -> None:
    params = " ".join(["i32"] * 10)
    source = (f"(module (func (param {params}) (local {' '.join(['i32'] * 49_991)})))")
    with pytest.raises(ValidationError) as info:
        wasmem.Module(source)
    check_message(info.value.message, "locals", 50_001, limits.MAX_LOCALS)


def test_declared_huge_table_is_still_valid() -> None:
    wasmem.Module("(module (table 0xffff_ffff funcref))")


def test_every_limit_is_documented_with_its_value() -> None:
    page = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    section_text = page.split("## Module limits", 1)[1]
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip()
            for line in section_text.splitlines() if line.startswith("| ") and "---" not in line}
    for what, value in limits.MODULE_LIMITS.items():
        name = what.split(" (")[0]
        assert name in rows, what
        assert f"{value:,}" in rows[name], (what, rows[name])
