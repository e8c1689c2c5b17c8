"""Every row of the one opcode table has a handler in every phase.

Phases and how each is asked:

* binary encoder and decoder: an instruction with sample immediates, alone in a function
  (inside a ``block``, so label 0 exists), is encoded and decoded back equal;
* text printer and parser: the same module printed and parsed back equal;
* tree validator (``valid/code.py``): the row is in one of its dispatch tables
  (``BINARY``, ``UNARY``, ``NULLARY``, ``SIMPLE``, ``HANDLERS``) or is structured;
* byte validator (``valid/encoded.py``): its dispatch entry has an action;
* compile tier: the row has an emitter in ``FunctionCompiler.HANDLERS`` or is structured
  (the code generator's block code);
* interpreter: the row has a decoder handler or is structured (the decoder's frames).

Rows a phase does not support by design are listed in :data:`NOT_HANDLED`, and the list
is exact: a new row without a handler fails, and so does a stale exemption. The last
tests remove one handler per phase (monkeypatching its table) and check that the
phase's check then reports that row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from wasmem.binary import decode_code, decode_module, encode_code, encode_module
from wasmem.errors import WasmError
from wasmem.exec.compiler.codegen import FunctionCompiler
from wasmem.exec.interpreter import handlers as interpreter_handlers
from wasmem.syntax.instructions import Block, Catch, Instruction
from wasmem.syntax.module import Module
from wasmem.syntax.opcodes import BY_NAME, OPCODES, STRUCTURED, Imm, OpInfo, opcode_bytes
from wasmem.syntax.types import I32, AbsHeapType, RefType
from wasmem.text import instructions as text_instructions
from wasmem.text import parse_module, print_module
from wasmem.text import printer as text_printer
from wasmem.load import encoded as byte_validator
from wasmem.valid import ops as valid_ops

_TEMPLATE = parse_module("""(module
  (type (func)) (func (type 0)) (table 1 funcref) (memory 1)
  (global (mut i32) (i32.const 0)) (tag (type 0)) (elem func 0) (data "x"))""")

_ANY = RefType(True, AbsHeapType.ANY)


def _sample_immediates(info: OpInfo) -> tuple[Any, ...]:
    """Immediates of the right shape for ``info`` (see :mod:`wasmem.syntax.instructions`)."""
    kind = info.imm
    if kind is Imm.REF_TYPE:  # ref.test and ref.cast: non-null; the _null rows: nullable
        return (RefType(info.name.endswith("_null"), AbsHeapType.ANY),)
    if kind in (Imm.MEMARG, Imm.MEMARG_LANE):
        return (info.natural_alignment, 4, 0, *((1,) if kind is Imm.MEMARG_LANE else ()))
    samples: dict[Imm, tuple[Any, ...]] = {
        Imm.NONE: (), Imm.LABEL: (0,), Imm.BR_TABLE: ((0, 0), 0), Imm.CALL_INDIRECT: (0, 0),
        Imm.I32: (0xFFFFFFFE,), Imm.I64: (5,), Imm.F32: (0x3FC00000,),
        Imm.F64: (0x3FF8000000000000,), Imm.HEAP_TYPE: (AbsHeapType.FUNC,),
        Imm.SELECT_T: ((I32,),), Imm.V128: (0x0102030405060708090A0B0C0D0E0F10,),
        Imm.LANE: (1,), Imm.SHUFFLE: (tuple(range(0, 32, 2)),),
        Imm.BR_ON_CAST: (0, _ANY, _ANY), Imm.TYPE_SIZE: (0, 2),
    }
    if kind in samples:
        return samples[kind]
    if kind in (Imm.FUNC, Imm.TYPE, Imm.LOCAL, Imm.GLOBAL, Imm.TABLE, Imm.MEMORY, Imm.DATA,
                Imm.ELEM, Imm.TAG):
        return (0,)
    return (0, 0)  # the two-index kinds


def sample(info: OpInfo) -> Instruction:
    """One instruction of row ``info``; blocks are empty."""
    if info.imm is Imm.BLOCK:
        return Block(info.key, (None,))
    if info.imm is Imm.TRY_TABLE:
        return Block(info.key, (None, (Catch(2, None, 0), Catch(0, 0, 0))))
    return Instruction(info.key, _sample_immediates(info))


def _module_of(ins: Instruction) -> Module:
    body = (Block(BY_NAME["block"].key, (None,), body=(ins,)),)
    function = dataclasses.replace(_TEMPLATE.functions[0], body=body)
    return dataclasses.replace(_TEMPLATE, functions=(function,))


def _round_trip(ins: Instruction, there: Callable[[Module], Any],
                back: Callable[[Any], Module]) -> str | None:
    """None if ``ins`` goes there and back equal, else what went wrong."""
    module = _module_of(ins)
    try:
        again = back(there(module))
    except (WasmError, LookupError, TypeError, ValueError) as error:
        return f"{type(error).__name__}: {error}"
    if again.functions[0].body != module.functions[0].body:
        return f"came back as {again.functions[0].body!r}"
    return None


def binary_codec(info: OpInfo) -> str | None:
    return _round_trip(sample(info), encode_module, decode_module)


def text_format(info: OpInfo) -> str | None:
    return _round_trip(sample(info), print_module, parse_module)


def tree_validator(info: OpInfo) -> str | None:
    key = info.key
    tables = (valid_ops.BINARY, valid_ops.UNARY, valid_ops.NULLARY, valid_ops.SIMPLE,
              valid_ops.HANDLERS)
    return None if key in STRUCTURED or any(key in table for table in tables) \
        else "no entry in valid.ops"


def byte_validator_entry(info: OpInfo) -> str | None:
    byte, sub = opcode_bytes(info.key)
    entry = (byte_validator._SINGLE[byte] if sub is None  # (prefixed: classified at use)
             else byte_validator._prefixed(byte, sub) if byte in byte_validator._PREFIXED
             else None)
    if entry is None:
        return "no dispatch entry"
    _, _, action, signature = entry
    if action == byte_validator._SIMPLE and signature is None:
        return "no action"
    return None


def compile_tier(info: OpInfo) -> str | None:
    return None if info.key in STRUCTURED or info.key in FunctionCompiler.HANDLERS \
        else "no emitter"


def interpreter(info: OpInfo) -> str | None:
    return None if info.key in STRUCTURED or info.key in interpreter_handlers.HANDLERS \
        else "no handler"


PHASES: dict[str, Callable[[OpInfo], str | None]] = {
    "binary encoder/decoder": binary_codec,
    "text printer/parser": text_format,
    "tree validator": tree_validator,
    "byte validator": byte_validator_entry,
    "compile tier": compile_tier,
    "interpreter": interpreter,
}

_GC = frozenset(info.name for info in OPCODES.values() if info.feature == "gc")
_SIMD = frozenset(info.name for info in OPCODES.values() if info.feature == "simd")
_GC_WITH_IMMEDIATES = frozenset(info.name for info in OPCODES.values()
                                if info.feature == "gc" and info.imm is not Imm.NONE)

NOT_HANDLED: dict[str, frozenset[str]] = {
    "binary encoder/decoder": frozenset(),
    # the parser rejects GC instructions with immediates as unsupported
    # (UnsupportedFeature "gc"); those without (ref.eq, i31.get_s, ...) parse
    "text printer/parser": _GC_WITH_IMMEDIATES,
    # both validators have a row for every GC instruction: it raises UnsupportedFeature
    "tree validator": frozenset(),
    "byte validator": frozenset(),
    # functions with SIMD instructions run on the interpreter (the compiler declines them)
    "compile tier": _GC | _SIMD,
    "interpreter": _GC,
}
"""Rows a phase leaves unhandled by design, by text name."""


def unhandled(phase: str) -> dict[str, str]:
    """Text name -> why, for the rows ``phase`` does not handle."""
    check = PHASES[phase]
    return {info.name: why for info in OPCODES.values() if (why := check(info)) is not None}


@pytest.mark.parametrize("phase", PHASES)
def test_every_opcode_has_a_handler(phase: str) -> None:
    missing = unhandled(phase)
    expected = NOT_HANDLED[phase]
    new = {name: why for name, why in missing.items() if name not in expected}
    assert not new, f"{phase}: rows without a handler: {new}"
    stale = expected - set(missing)
    assert not stale, f"{phase}: handled now, drop the exemption: {sorted(stale)}"


def test_the_samples_cover_every_immediate_kind() -> None:
    assert {info.imm for info in OPCODES.values()} == set(Imm)
    assert sum(1 for _ in OPCODES) > 450


_ADD = BY_NAME["i32.add"]
_SIZE = BY_NAME["memory.size"]


def test_a_removed_interpreter_handler_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(interpreter_handlers.HANDLERS, _ADD.key)
    assert set(unhandled("interpreter")) - NOT_HANDLED["interpreter"] == {"i32.add"}


def test_a_removed_emitter_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(FunctionCompiler.HANDLERS, _ADD.key)
    assert set(unhandled("compile tier")) - NOT_HANDLED["compile tier"] == {"i32.add"}


def test_a_removed_tree_validator_rule_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    for table in (valid_ops.BINARY, valid_ops.UNARY, valid_ops.NULLARY, valid_ops.SIMPLE,
                  valid_ops.HANDLERS):
        if _SIZE.key in table:
            monkeypatch.delitem(table, _SIZE.key)
    assert set(unhandled("tree validator")) == {"memory.size"}


def test_a_removed_byte_validator_entry_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    single = list(byte_validator._SINGLE)
    single[_SIZE.key] = None
    monkeypatch.setattr(byte_validator, "_SINGLE", single)
    assert set(unhandled("byte validator")) == {"memory.size"}


def test_a_removed_encoder_entry_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(encode_code._OPCODES, _ADD.key)
    assert binary_codec(_ADD) is not None
    assert binary_codec(_SIZE) is None


def test_a_removed_decoder_entry_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    single = list(decode_code.SINGLE)
    single[_ADD.key] = None
    monkeypatch.setattr(decode_code, "SINGLE", single)
    assert binary_codec(_ADD) is not None
    assert binary_codec(_SIZE) is None


def test_a_removed_printer_case_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    original = text_printer._immediates

    def without_memarg(kind: Imm, imm: tuple[Any, ...], natural: int) -> list[str]:
        if kind is Imm.MEMARG:
            raise KeyError(kind)
        return original(kind, imm, natural)

    monkeypatch.setattr(text_printer, "_immediates", without_memarg)
    assert text_format(BY_NAME["i64.load32_u"]) is not None
    assert text_format(_ADD) is None


def test_a_removed_parser_name_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    by_name = dict(text_instructions.BY_NAME)
    del by_name["i32.add"]
    monkeypatch.setattr(text_instructions, "BY_NAME", by_name)
    assert text_format(_ADD) is not None
    assert text_format(_SIZE) is None
