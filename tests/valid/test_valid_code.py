"""Unit tests for code validation on hand-built modules (wasmem.valid.code / ops / stack)."""

from __future__ import annotations

import time

import pytest
from _valid_builders import block, error_of, func_module, op

from wasmem.errors import UnsupportedFeature, ValidationError
from wasmem.syntax import (
    EXNREF,
    EXTERNREF,
    F32,
    F64,
    FUNCREF,
    I32,
    I64,
    V128,
    AbsHeapType,
    ActiveData,
    Catch,
    DataSegment,
    ElementSegment,
    Export,
    ExternKind,
    Function,
    FuncType,
    Global,
    GlobalType,
    Import,
    Limits,
    Memory,
    MemoryType,
    Module,
    PassiveElement,
    RefType,
    Table,
    TableType,
    Tag,
)
from wasmem.valid import validate_module

NONNULL_FUNC = RefType(False, AbsHeapType.FUNC)
MEMORY = (Memory(MemoryType(Limits(1))),)


def valid(module: Module) -> None:
    validate_module(module)


# ---------------------------------------------------------------- messages and fields

def test_error_fields_at_end_of_function() -> None:
    module = func_module((), (I32,), op("i32.const", 1, position=(3, 5)),
                         op("i32.const", 2, position=(4, 5)))
    error = error_of(module)
    assert error.message == "type mismatch at end of function: expected [i32] but found [i32 i32]"
    assert (error.function, error.line, error.column) == ("$f", 9, 9)
    assert str(error) == ("$f (line 9:9): type mismatch at end of function: expected [i32] "
                          "but found [i32 i32]")


def test_error_fields_at_instruction() -> None:
    module = func_module((), (I32,), op("f32.const", 0), op("i32.const", 0),
                         op("i32.add", position=(7, 3)))
    error = error_of(module)
    assert error.message.startswith(
        "type mismatch: instruction requires [i32 i32] but stack has [f32 i32]")
    assert error.instruction == "i32.add"
    assert (error.line, error.column) == (7, 3)


def test_binary_offset_and_unnamed_function() -> None:
    module = Module(types=(FuncType(),),
                    functions=(Function(0, (), (op("drop", position=0x1F),)),),
                    source="m.wasm")
    error = error_of(module)
    assert error.offset == 0x1F and error.function == "func[0]"
    assert str(error).startswith("m.wasm: func[0] (@0x1f): type mismatch")


# ---------------------------------------------------------------- block types

# type 1: [i32 i64] -> [i32 i32]; type 2: [i64] -> []
BLOCK_TYPES = (FuncType((I32, I64), (I32, I32)), FuncType((I64,), ()))
DROP = op("drop")


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ((block("block", None),), True),
        ((block("block", I32, op("i32.const", 1)), DROP), True),
        ((block("block", I32), DROP), False),
        ((op("i32.const", 1), op("i64.const", 2), block("block", 1, DROP, DROP), DROP, DROP),
         False),
        ((op("i32.const", 1), op("i64.const", 2),
          block("block", 1, DROP, op("i32.const", 0)), DROP, DROP), True),
        ((op("i32.const", 1), block("loop", 2, DROP)), False),
        ((op("i64.const", 2), block("loop", 2, DROP)), True),
        ((op("i64.const", 2), block("loop", 2, op("br", 0))), True),
        ((op("i64.const", 2), block("loop", 2, DROP, op("br", 0))), False),
        ((op("i32.const", 0), block("if", I32, op("i32.const", 1)), DROP), False),
        ((op("i32.const", 0), block("if", I32, op("i32.const", 1),
                                    else_body=(op("i32.const", 2),)), DROP), True),
        ((op("i32.const", 0), block("if", I32, op("i32.const", 1),
                                    else_body=(op("i64.const", 2),)), DROP), False),
        ((op("i32.const", 1), op("i64.const", 2), op("i32.const", 0),
          block("if", 1, DROP, op("i32.const", 3)), DROP, DROP), False),
        ((op("i64.const", 2), block("if", 2, DROP)), False),
        ((op("i64.const", 2), op("i32.const", 0), block("if", 2, DROP, else_body=(DROP,))),
         True),
    ],
    ids=["empty", "value-result", "missing-result", "params-wrong-result",
         "params-ok", "loop-params-missing", "loop-params", "loop-branch-params",
         "loop-branch-missing", "if-no-else-result", "if-else", "if-else-mismatch",
         "if-no-else-params", "if-no-condition", "if-else-params"],
)
def test_block_types(body: tuple[object, ...], ok: bool) -> None:
    module = func_module((), (), *body, extra_types=BLOCK_TYPES)  # type: ignore[arg-type]
    if ok:
        valid(module)
    else:
        assert error_of(module).message.startswith("type mismatch")


def test_unknown_block_type_index() -> None:
    module = func_module((), (), block("block", 7))
    assert error_of(module).message.startswith("unknown type 7")


# ---------------------------------------------------------------- unreachable code

@pytest.mark.parametrize(
    ("body", "results", "ok"),
    [
        ((op("unreachable"),), (I32, F64), True),
        ((op("unreachable"), op("i32.add")), (I32,), True),
        ((op("unreachable"), op("i64.const", 0), op("i32.add")), (I32,), False),
        ((op("unreachable"), op("drop"), op("select")), (I64,), True),
        ((op("unreachable"), op("i32.const", 0), op("select")), (I32,), True),
        ((op("unreachable"), op("f32.const", 0), op("i64.const", 0), op("i32.const", 1),
          op("select")), (F32,), False),
        ((op("unreachable"), op("ref.is_null")), (I32,), True),
        ((op("unreachable"), op("ref.as_non_null"), op("drop")), (), True),
        ((op("return"), op("i32.const", 1), op("i32.const", 2)), (I32,), False),
        ((op("br", 0), op("i32.eqz"), op("drop")), (), True),
        ((block("block", None, op("unreachable")), op("i32.const", 1)), (I32,), True),
        ((block("block", I32, op("br", 0)),), (I32,), False),
        ((block("block", I32, op("i32.const", 1), op("br", 0)),), (I32,), True),
        ((op("unreachable"), op("br_table", (0,), 0)), (I32,), True),
    ],
    ids=["any-result", "polymorphic-pop", "bot-vs-i64", "select-bot", "select-bot-i32",
         "select-mismatch", "ref-is-null", "as-non-null", "extra-after-return",
         "after-br", "nested-unreachable", "br-missing-value", "br-value", "br-table"],
)
def test_unreachable_code(body: tuple[object, ...], results: tuple[object, ...],
                          ok: bool) -> None:
    module = func_module((), results, *body)  # type: ignore[arg-type]
    if ok:
        valid(module)
    else:
        assert error_of(module).message.startswith("type mismatch")


# ---------------------------------------------------------------- locals

def test_uninitialized_local() -> None:
    module = func_module((), (), op("local.get", 0), op("drop"), locals_=(NONNULL_FUNC,))
    error = error_of(module)
    assert error.message.startswith("uninitialized local")
    assert error.instruction == "local.get"


def test_local_initialisation_is_tracked_per_block() -> None:
    f = (op("ref.func", 0),)
    exports = (Export("f", ExternKind.FUNC, 0),)
    set_then_get = func_module((), (), *f, op("local.set", 0), op("local.get", 0),
                               op("drop"), locals_=(NONNULL_FUNC,), exports=exports)
    valid(set_then_get)
    inner_only = func_module((), (), block("block", None, *f, op("local.set", 0)),
                             op("local.get", 0), op("drop"), locals_=(NONNULL_FUNC,),
                             exports=exports)
    assert error_of(inner_only).message.startswith("uninitialized local")
    inside = func_module((), (), block("block", None, *f, op("local.tee", 0), op("drop"),
                                       op("local.get", 0), op("drop")),
                         locals_=(NONNULL_FUNC,), exports=exports)
    valid(inside)
    # the then branch's initialisation does not leak into the else branch
    branches = func_module((), (), op("i32.const", 1),
                           block("if", None, *f, op("local.set", 0),
                                 else_body=(op("local.get", 0), op("drop"))),
                           locals_=(NONNULL_FUNC,), exports=exports)
    assert error_of(branches).message.startswith("uninitialized local")


def test_unknown_local_and_params_are_set() -> None:
    valid(func_module((NONNULL_FUNC,), (), op("local.get", 0), op("drop")))
    assert error_of(func_module((I32,), (), op("local.get", 1), op("drop"))
                    ).message.startswith("unknown local 1")


def test_many_locals_of_few_types() -> None:
    """Locals declared in groups (as -O0 code has thousands) are checked per distinct type,
    yet each keeps its own type and initialisation state, and a bad type among them is
    still reported."""
    many = (I32,) * 3000 + (NONNULL_FUNC,) + (F64,) * 3000
    valid(func_module((), (), op("local.get", 2999), op("drop"),
                      op("local.get", 3001), op("drop"), locals_=many))
    assert error_of(func_module((), (), op("local.get", 3000), op("drop"), locals_=many)
                    ).message.startswith("uninitialized local")
    assert error_of(func_module((), (), op("local.get", 3001), op("i32.eqz"), op("drop"),
                                locals_=many)).message.startswith("type mismatch")
    unknown = RefType(True, 7)
    error = error_of(func_module((), (), locals_=(I32,) * 100 + (unknown,) + (I32,) * 100))
    assert "in the type of a local" in error.message


# ---------------------------------------------------------------- constant expressions

def _global_module(init: tuple[object, ...], value_type: object = I32,
                   imports: tuple[Import, ...] = (),
                   globals_before: tuple[Global, ...] = ()) -> Module:
    return Module(types=(FuncType(),), imports=imports,
                  globals=(*globals_before, Global(GlobalType(value_type), init)))  # type: ignore[arg-type]


IMPORTED_I32 = Import("m", "g", ExternKind.GLOBAL, GlobalType(I32))
IMPORTED_MUT = Import("m", "g", ExternKind.GLOBAL, GlobalType(I32, True))


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (_global_module((op("i32.const", 1),)), None),
        (_global_module((op("i32.const", 1), op("i32.const", 2), op("i32.add"))), None),
        (_global_module((op("i64.const", 1), op("i64.const", 2), op("i64.mul")), I64), None),
        (_global_module((op("i32.const", 1), op("i32.const", 2), op("i32.div_s"))),
         "constant expression required"),
        (_global_module((op("i32.const", 1), op("i32.eqz"))), "constant expression required"),
        (_global_module((op("nop"), op("i32.const", 1))), "constant expression required"),
        (_global_module((block("block", I32, op("i32.const", 1)),)),
         "constant expression required"),
        (_global_module(()), "type mismatch"),
        (_global_module((op("i32.const", 1), op("i32.const", 1))), "type mismatch"),
        (_global_module((op("f32.const", 0),)), "type mismatch"),
        (_global_module((op("global.get", 0),), imports=(IMPORTED_I32,)), None),
        (_global_module((op("global.get", 0),), imports=(IMPORTED_MUT,)),
         "constant expression required"),
        (_global_module((op("global.get", 0),),
                        globals_before=(Global(GlobalType(I32), (op("i32.const", 0),)),)),
         None),
        (_global_module((op("global.get", 0),),
                        globals_before=(Global(GlobalType(I32, True), (op("i32.const", 0),)),)),
         "constant expression required"),
        (_global_module((op("global.get", 1),)), "unknown global 1"),
        (_global_module((op("global.get", 0),)), "unknown global 0"),  # itself
        (_global_module((op("ref.null", AbsHeapType.FUNC),), FUNCREF), None),
        (_global_module((op("ref.null", AbsHeapType.NOFUNC),), FUNCREF), None),
        (_global_module((op("ref.null", AbsHeapType.EXTERN),), FUNCREF), "type mismatch"),
        (_global_module((op("ref.null", AbsHeapType.FUNC),), NONNULL_FUNC), "type mismatch"),
        (_global_module((op("ref.null", 5),), FUNCREF), "unknown type 5"),
        (_global_module((op("v128.const", 0),), V128), None),
    ],
    ids=["const", "add", "i64-mul", "div", "eqz", "nop", "block", "empty", "two-values",
         "wrong-type", "imported-global", "imported-mutable", "earlier-global",
         "earlier-mutable", "later-global", "self", "ref-null", "ref-null-bottom",
         "ref-null-extern", "null-in-nonnull", "ref-null-unknown-type", "v128"],
)
def test_constant_expressions(module: Module, message: str | None) -> None:
    if message is None:
        valid(module)
    else:
        assert error_of(module).message.startswith(message)


def test_ref_func_in_global_declares_function() -> None:
    init = (op("ref.func", 0),)
    module = func_module((), (), op("ref.func", 0), op("drop"),
                         globals=(Global(GlobalType(FUNCREF), init),))
    valid(module)
    undeclared = func_module((), (), op("ref.func", 0), op("drop"))
    assert error_of(undeclared).message.startswith("undeclared function reference")
    # a non-null (ref func) global may hold ref.func; a typed (ref 0) global too
    valid(func_module((), (), globals=(Global(GlobalType(NONNULL_FUNC), init),
                                       Global(GlobalType(RefType(False, 0)), init))))


def test_table_initialisers() -> None:
    nonnull_table = TableType(Limits(1), NONNULL_FUNC)
    missing = func_module((), (), tables=(Table(nonnull_table),))
    assert error_of(missing).message.startswith("type mismatch")
    with_init = func_module((), (), tables=(Table(nonnull_table, (op("ref.func", 0),)),))
    valid(with_init)
    # table initialisers see imported globals only
    sees_defined = func_module((), (), tables=(Table(TableType(Limits(1), FUNCREF),
                                                     (op("global.get", 0),)),),
                               globals=(Global(GlobalType(FUNCREF),
                                               (op("ref.null", AbsHeapType.FUNC),)),))
    assert error_of(sees_defined).message.startswith("unknown global 0")


# ---------------------------------------------------------------- references, calls, tags

def test_typed_function_references() -> None:
    ref0 = RefType(True, 1)
    exports = (Export("f", ExternKind.FUNC, 0),)
    # type 1 is [i32] -> [i32]
    extra = (FuncType((I32,), (I32,)),)
    call_null = func_module((), (I32,), op("i32.const", 1), op("ref.null", 1),
                            op("call_ref", 1), extra_types=extra)
    valid(call_null)
    wrong_type = func_module((), (I32,), op("i32.const", 1), op("ref.null", 0),
                             op("call_ref", 1), extra_types=extra)
    assert error_of(wrong_type).message.startswith("type mismatch")
    funcref_arg = func_module((), (I32,), op("i32.const", 1),
                              op("ref.null", AbsHeapType.FUNC), op("call_ref", 1),
                              extra_types=extra)
    assert error_of(funcref_arg).message.startswith("type mismatch")
    bottom_arg = func_module((), (I32,), op("i32.const", 1),
                             op("ref.null", AbsHeapType.NOFUNC), op("call_ref", 1),
                             extra_types=extra)
    valid(bottom_arg)
    # ref.func of function 0 has type (ref 0): a subtype of (ref null 0) and (ref func)
    valid(func_module((), (NONNULL_FUNC,), op("ref.func", 0), exports=exports))
    valid(func_module((), (RefType(True, 0),), op("ref.func", 0), exports=exports))
    # function 0 has type 1 ([] -> [(ref null 0)]), so ref.func 0 is not a (ref null 0)
    mismatch = Module(types=(FuncType(), FuncType((), (RefType(True, 0),))),
                      functions=(Function(1, (), (op("ref.func", 0),)),), exports=exports)
    assert error_of(mismatch).message.startswith("type mismatch")
    forward = func_module((), (ref0,), op("ref.func", 0), exports=exports, extra_types=extra)
    assert error_of(forward).message.startswith("unknown type 1")


def test_br_on_null_and_non_null() -> None:
    on_null = func_module((FUNCREF,), (NONNULL_FUNC,),
                          block("block", None, op("local.get", 0), op("br_on_null", 0),
                                op("return")),
                          op("unreachable"))
    valid(on_null)
    non_null = func_module((FUNCREF,), (NONNULL_FUNC,),
                           block("block", NONNULL_FUNC, op("local.get", 0),
                                 op("br_on_non_null", 0), op("unreachable")))
    valid(non_null)
    bad_label = func_module((FUNCREF,), (),
                            block("block", None, op("local.get", 0),
                                  op("br_on_non_null", 0)))
    assert error_of(bad_label).message.startswith("type mismatch")


def test_exceptions() -> None:
    tag_type = FuncType((I32,), ())
    tags = (Tag(1),)
    throw = func_module((), (), op("i32.const", 1), op("throw", 0),
                        extra_types=(tag_type,), tags=tags)
    valid(throw)
    wrong = func_module((), (), op("i64.const", 1), op("throw", 0),
                        extra_types=(tag_type,), tags=tags)
    assert error_of(wrong).message.startswith(
        "type mismatch: instruction requires [i32] but stack has [i64]")
    assert error_of(func_module((), (), op("throw", 0))).message.startswith("unknown tag 0")
    catching = func_module((), (I32,),
                           block("block", I32,
                                 block("try_table", None, op("i32.const", 1), op("throw", 0),
                                       catches=(Catch(0, 0, 0),)),
                                 op("i32.const", 2)),
                           extra_types=(tag_type,), tags=tags)
    valid(catching)
    catch_ref = func_module((), (I32, EXNREF),
                            block("block", 2,
                                  block("try_table", None, catches=(Catch(1, 0, 0),)),
                                  op("unreachable")),
                            extra_types=(tag_type, FuncType((), (I32, EXNREF))), tags=tags)
    valid(catch_ref)
    mismatch = func_module((), (),
                           block("block", None,
                                 block("try_table", None, catches=(Catch(0, 0, 0),))),
                           extra_types=(tag_type,), tags=tags)
    assert error_of(mismatch).message.startswith("type mismatch")
    result_tag = Module(types=(FuncType((), (I32,)),), tags=(Tag(0),))
    assert error_of(result_tag).message.startswith("non-empty tag result type")
    throw_ref = func_module((EXTERNREF,), (), op("local.get", 0), op("throw_ref"))
    assert error_of(throw_ref).message.startswith("type mismatch")


def test_tail_calls() -> None:
    valid(func_module((), (I32,), op("return_call", 1),
                      functions=(Function(1, (), (op("i32.const", 0),)),),
                      extra_types=(FuncType((), (I32,)),)))
    mismatch = func_module((), (I32,), op("return_call", 1),
                           functions=(Function(1, (), (op("i64.const", 0),)),),
                           extra_types=(FuncType((), (I64,)),))
    assert error_of(mismatch).message.startswith("type mismatch")


def test_gc_instruction_is_unsupported() -> None:
    module = func_module((), (), op("i32.const", 0), op("ref.i31"), op("drop"))
    with pytest.raises(UnsupportedFeature) as info:
        validate_module(module)
    assert info.value.feature == "gc"


# ---------------------------------------------------------------- memories, tables, SIMD

@pytest.mark.parametrize(
    ("body", "memories", "message"),
    [
        ((op("i32.const", 0), op("i32.load", 2, 0, 0), op("drop")), MEMORY, None),
        ((op("i32.const", 0), op("i32.load", 3, 0, 0), op("drop")), MEMORY,
         "alignment must not be larger than natural"),
        ((op("i32.const", 0), op("i32.load8_u", 1, 0, 0), op("drop")), MEMORY,
         "alignment must not be larger than natural"),
        ((op("i32.const", 0), op("i32.load", 0, 1 << 32, 0), op("drop")), MEMORY,
         "offset out of range"),
        ((op("i64.const", 0), op("i32.load", 0, 1 << 32, 0), op("drop")),
         (Memory(MemoryType(Limits(1), I64)),), None),
        ((op("i32.const", 0), op("i32.load", 0, 0, 0), op("drop")),
         (Memory(MemoryType(Limits(1), I64)),), "type mismatch"),
        ((op("i32.const", 0), op("i32.load", 0, 0, 1), op("drop")), MEMORY, "unknown memory 1"),
        ((op("memory.size", 0), op("drop")), (), "unknown memory 0"),
        ((op("i64.const", 0), op("i32.const", 0), op("i32.const", 0), op("memory.copy", 1, 0)),
         (*MEMORY, Memory(MemoryType(Limits(1), I64))), None),
        ((op("i64.const", 0), op("i64.const", 0), op("i64.const", 0), op("memory.copy", 1, 0)),
         (*MEMORY, Memory(MemoryType(Limits(1), I64))), "type mismatch"),
        ((op("i32.const", 0), op("i32.const", 0), op("i32.const", 0), op("memory.init", 0, 0)),
         MEMORY, "unknown data segment 0"),
        ((op("data.drop", 0),), MEMORY, "unknown data segment 0"),
        ((op("v128.const", 0), op("i8x16.extract_lane_s", 16), op("drop")), (),
         "invalid lane index"),
        ((op("v128.const", 0), op("f64x2.extract_lane", 1), op("drop")), (), None),
        ((op("v128.const", 0), op("v128.const", 0), op("i8x16.shuffle", (0,) * 15 + (32,)),
          op("drop")), (), "invalid lane index"),
        ((op("i32.const", 0), op("v128.const", 0), op("v128.load64_lane", 3, 0, 0, 2),
          op("drop")), MEMORY, "invalid lane index"),
        ((op("i32.const", 0), op("v128.const", 0), op("v128.store32_lane", 2, 0, 0, 3)),
         MEMORY, None),
    ],
    ids=["load", "align", "align-packed", "offset", "offset64", "address-type",
         "unknown-memory-1", "no-memory", "copy-mixed", "copy-mixed-wrong", "init-no-data",
         "drop-no-data", "lane", "lane-ok", "shuffle", "load-lane", "store-lane"],
)
def test_memory_instructions(body: tuple[object, ...], memories: tuple[Memory, ...],
                             message: str | None) -> None:
    module = func_module((), (), *body, memories=memories)  # type: ignore[arg-type]
    if message is None:
        valid(module)
    else:
        assert error_of(module).message.startswith(message)


def test_table_instructions() -> None:
    tables = (Table(TableType(Limits(1), FUNCREF)), Table(TableType(Limits(1), EXTERNREF, I64)))
    valid(func_module((), (), op("i64.const", 0), op("table.get", 1), op("drop"),
                      tables=tables))
    assert error_of(func_module((), (), op("i32.const", 0), op("table.get", 1), op("drop"),
                                tables=tables)).message.startswith("type mismatch")
    assert error_of(func_module((), (), op("i32.const", 0), op("i32.const", 0),
                                op("i32.const", 0), op("table.copy", 0, 1),
                                tables=tables)).message.startswith("type mismatch")
    elems = (ElementSegment(EXTERNREF, (), PassiveElement()),)
    assert error_of(func_module((), (), op("i32.const", 0), op("i32.const", 0),
                                op("i32.const", 0), op("table.init", 0, 0),
                                tables=tables, elements=elems)).message.startswith(
        "type mismatch")
    assert error_of(func_module((), (), op("elem.drop", 1), elements=elems)
                    ).message.startswith("unknown elem segment 1")
    call = func_module((), (), op("i64.const", 0), op("call_indirect", 0, 1), tables=tables)
    assert error_of(call).message.startswith("type mismatch")


def test_global_set_immutable() -> None:
    globals_ = (Global(GlobalType(I32), (op("i32.const", 0),)),)
    module = func_module((), (), op("i32.const", 1), op("global.set", 0), globals=globals_)
    assert error_of(module).message.startswith("immutable global")


def test_select() -> None:
    valid(func_module((), (I32,), op("i32.const", 1), op("i32.const", 2), op("i32.const", 0),
                      op("select")))
    untyped_ref = func_module((FUNCREF,), (FUNCREF,), op("local.get", 0), op("local.get", 0),
                              op("i32.const", 0), op("select"))
    assert error_of(untyped_ref).message.startswith("type mismatch")
    valid(func_module((FUNCREF,), (FUNCREF,), op("local.get", 0), op("local.get", 0),
                      op("i32.const", 0), op("select_t", (FUNCREF,))))
    arity = func_module((), (), op("select_t", ()))
    assert error_of(arity).message.startswith("invalid result arity")


# ---------------------------------------------------------------- module-level rules

def test_module_rules() -> None:
    start = Module(types=(FuncType((I32,), ()),), functions=(Function(0, (), ()),), start=0)
    assert error_of(start).message.startswith("start function")
    duplicate = func_module((), (), exports=(Export("a", ExternKind.FUNC, 0),
                                             Export("a", ExternKind.FUNC, 0)))
    assert error_of(duplicate).message.startswith("duplicate export name")
    unknown = func_module((), (), exports=(Export("m", ExternKind.MEMORY, 0),))
    assert error_of(unknown).message.startswith("unknown memory 0")
    data = Module(datas=(DataSegment(b"", ActiveData(0, (op("i32.const", 0),))),))
    assert error_of(data).message.startswith("unknown memory 0")
    data64 = Module(memories=(Memory(MemoryType(Limits(1), I64)),),
                    datas=(DataSegment(b"", ActiveData(0, (op("i32.const", 0),))),))
    assert error_of(data64).message.startswith("type mismatch")
    data_global = Module(memories=MEMORY,
                         globals=(Global(GlobalType(I32), (op("i32.const", 0),)),),
                         datas=(DataSegment(b"", ActiveData(0, (op("global.get", 0),))),))
    valid(data_global)
    bad_import = Module(imports=(Import("m", "f", ExternKind.FUNC, 3),))
    error = error_of(bad_import)
    assert error.message.startswith("unknown type 3") and '"m" "f"' in error.message


# ---------------------------------------------------------------- robustness

def test_deep_nesting_is_iterative() -> None:
    depth = 100_000
    inner = op("nop")
    for _ in range(depth):
        inner = block("block", None, inner)
    started = time.perf_counter()
    valid(func_module((), (), inner))
    assert time.perf_counter() - started < 10
    bad = op("br", depth + 1)  # depth blocks plus the function: depth + 1 labels
    for _ in range(depth):
        bad = block("block", None, bad)
    assert error_of(func_module((), (), bad)).message.startswith("unknown label")


@pytest.mark.parametrize(
    "body",
    [
        (op("local.get", -1),),
        (op("call", 1 << 40),),
        (block("block", 1 << 64),),
        (op("ref.null", -3),),
        (op("br_table", (5, 1 << 70), 0),),
        (op("global.get", -1),),
        (op("i32.const", 0), op("i32.load", 1 << 70, 0, 0)),
        (op("v128.const", 0), op("i8x16.extract_lane_u", -1)),
    ],
    ids=["negative-local", "huge-function", "huge-block-type", "negative-heap", "br-table",
         "negative-global", "huge-align", "negative-lane"],
)
def test_nonsense_immediates_are_validation_errors(body: tuple[object, ...]) -> None:
    module = func_module((), (), *body, memories=MEMORY)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        validate_module(module)


def test_const_types_and_f32_f64() -> None:
    valid(func_module((), (F32, F64, I64), op("f32.const", 0), op("f64.const", 0),
                      op("i64.const", 0)))



@pytest.mark.parametrize(("table", "message"), [
    # a switch's table repeats depths; each is checked once, and the first failing one
    # (in table order) is the one reported, from the text (tree validator) and from the
    # binary (fused validator)
    ("0 0 1 0 0 1 0", None),
    ("0 0 1 0 5 0 7 0", "unknown label 5"),
    ("0 0 2 0 2 1 0", "br_table target 2 expects [i64]"),
    ("0 0 1 1 0 7 2 0", "unknown label 7"),
    ("0 0 1 1 0 2 7 0", "br_table target 2 expects [i64]"),
])
def test_br_table_targets_checked_once_in_order(table: str, message: str | None) -> None:
    import wasmem
    from wasmem.binary import encode_module
    from wasmem.text import parse_module

    text = (f"(module (func (result i64) (block (result i64) (block (block (br_table "
            f"{table} (i32.const 0)))) (i64.const 1)) (drop) (i64.const 2)))")
    for source in (text, encode_module(parse_module(text))):
        if message is None:
            wasmem.Module(source)
            continue
        with pytest.raises(ValidationError) as caught:
            wasmem.Module(source)
        assert message in str(caught.value)
