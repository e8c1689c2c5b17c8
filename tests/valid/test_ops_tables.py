"""The validator's opcode tables (``wasmem.valid.ops``), built in one pass at import,
against their definitions read straight from the opcode table."""

from __future__ import annotations

from wasmem.syntax.opcodes import OPCODES, Imm
from wasmem.valid import ops

_FIXED = (Imm.NONE, Imm.I32, Imm.I64, Imm.F32, Imm.F64, Imm.V128)


def test_simple_is_every_fixed_signature_outside_gc() -> None:
    expected = {key: (info.params, info.results) for key, info in OPCODES.items()
                if info.params is not None and info.results is not None
                and info.imm in _FIXED and info.feature != "gc"}
    assert ops.SIMPLE == expected
    assert list(ops.SIMPLE) == list(expected)  # (the opcode table's order)


def test_binary_unary_nullary_split_simple_by_arity() -> None:
    binary = {key: (p[0], p[1], r[0]) for key, (p, r) in ops.SIMPLE.items()
              if len(r) == 1 and len(p) == 2}
    unary = {key: (p[0], r[0]) for key, (p, r) in ops.SIMPLE.items()
             if len(r) == 1 and len(p) == 1}
    nullary = {key: r[0] for key, (p, r) in ops.SIMPLE.items() if len(r) == 1 and not p}
    assert (ops.BINARY, ops.UNARY, ops.NULLARY) == (binary, unary, nullary)
    assert binary and unary and nullary


def test_handlers_chosen_by_feature_and_immediates() -> None:
    by_imm = {Imm.MEMARG_LANE: "_lane_memory", Imm.LANE: "_lane", Imm.SHUFFLE: "_shuffle"}
    for key, info in OPCODES.items():
        handler = ops.HANDLERS.get(key)
        if info.imm is Imm.MEMARG:
            assert handler is not None
            assert handler.__name__ == ("_load" if info.results else "_store"), info.name
        elif info.imm in by_imm:
            assert handler is not None and handler.__name__ == by_imm[info.imm], info.name
        elif info.feature == "gc":
            assert handler is ops.gc_unsupported, info.name
        if key in ops.SIMPLE:
            assert info.feature != "gc"
