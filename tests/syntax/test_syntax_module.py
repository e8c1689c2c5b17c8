"""Modules and instructions in abstract syntax (wasmem.syntax.module, .instructions,
.building)."""

from __future__ import annotations

import gc

import pytest

from wasmem.syntax.building import collector_paused, without_collector
from wasmem.syntax.instructions import Block, Instruction
from wasmem.syntax.module import (
    Export,
    Function,
    Import,
    Module,
    Names,
    instruction_count,
)
from wasmem.syntax.opcodes import Op
from wasmem.syntax.types import F64, I32, ExternKind, FuncType, GlobalType

TYPES = (FuncType((I32,), (I32,)), FuncType((), (F64,)))


def _module(**fields: object) -> Module:
    imports = (Import("env", "g", ExternKind.GLOBAL, GlobalType(I32)),
               Import("env", "f", ExternKind.FUNC, 1))
    functions = (Function(0, (), ()), Function(1, (), ()))
    return Module(types=TYPES, imports=imports, functions=functions, **fields)  # type: ignore[arg-type]


def test_function_index_space_starts_with_imports() -> None:
    module = _module()
    assert [i.name for i in module.imports_of(ExternKind.FUNC)] == ["f"]
    assert module.function_type(0) == TYPES[1]  # the import
    assert module.function_type(1) == TYPES[0]
    assert module.function_type(2) == TYPES[1]
    with pytest.raises(IndexError):
        module.function_type(3)


def test_function_names_for_messages() -> None:
    exports = (Export("run", ExternKind.FUNC, 1), Export("again", ExternKind.FUNC, 1),
               Export("mem", ExternKind.MEMORY, 2), Export("two words", ExternKind.FUNC, 2))
    module = _module(exports=exports, names=Names(functions={0: "imported", 2: "tab\there"}))
    assert module.function_name(0) == "$imported"
    assert module.function_name(1) == "run"  # the first export name
    assert module.function_name(2) == "$tab\\there"  # escaped, one line
    assert _module(exports=exports).function_name(2) == "two words"
    assert _module(exports=(Export("", ExternKind.FUNC, 1),)).function_name(1) == "''"
    assert module.function_name(7) == "func[7]"


def test_module_names_for_generated_file_names() -> None:
    assert _module().module_name() == "module"
    assert _module(names=Names(module="lib")).module_name() == "lib"
    # a name section may say anything: compile() refuses a file name with a NUL
    assert _module(names=Names(module="a\x00b\n")).module_name() == "a\\x00b\\n"


def test_a_module_named_with_a_nul_is_translated() -> None:
    import wasmem
    from wasmem.binary.encode import encode_module
    module = wasmem.Module("(module (func (export \"f\") (result i32) (local $i i32)"
                           " (loop $l (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i)"
                           " (i32.const 1))) (i32.const 50)))) (local.get $i)))")
    name = b"evil\x00name"  # a name section with the module's name (lengths < 128)
    content = b"\x04name\x00" + bytes([len(name) + 1, len(name)]) + name
    named = wasmem.Module(encode_module(module.ast) + b"\x00" + bytes([len(content)]) + content)
    assert named.ast.names.module == "evil\x00name"
    for tier in ("compile", "tiered"):  # (the suite runs translations strict: no fallback)
        assert wasmem.Instance(named, tier=tier).exports.f() == 50


def test_positions_and_names_are_not_part_of_equality() -> None:
    a = Instruction(Op.I32_ADD, (), position=(1, 2))
    b = Instruction(Op.I32_ADD, (), position=(3, 4))
    assert a == b and hash(a) == hash(b)
    assert Instruction(Op.I32_CONST, (1,)) != Instruction(Op.I32_CONST, (2,))
    assert _module(names=Names(module="x")) == _module()


def test_instruction_count_includes_nested_bodies() -> None:
    const = Instruction(Op.I32_CONST, (1,))
    inner = Block(Op.BLOCK, (None,), body=(const, const))
    branch = Block(Op.IF, (None,), body=(inner,), else_body=(const,))
    assert instruction_count((const, branch)) == 6
    assert instruction_count(()) == 0
    assert branch.block_type is None


def test_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()

    @without_collector
    def probe(x: int) -> tuple[int, bool]:
        return x, gc.isenabled()

    assert probe(3) == (3, False) and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
