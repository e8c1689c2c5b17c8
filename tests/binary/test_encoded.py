"""EncodedFunction: bodies kept as bytes by ``decode_module(lazy_bodies=True)``."""

from __future__ import annotations

import copy
import pickle

import pytest

import wasmem
from wasmem.binary import decode_module
from wasmem.binary.encoded import EncodedFunction
from wasmem.errors import DecodeError
from wasmem.syntax import Function

TEXT = """(module
  (memory 1)
  (func $f (export "f") (param i32) (result i32) (local i64)
    (block (result i32) (if (result i32) (local.get 0)
      (then (i32.load offset=4 (local.get 0))) (else (i32.const -1)))))
  (func $g (export "g") (result i32) (call $f (i32.const 8))))"""


@pytest.fixture(scope="module")
def data() -> bytes:
    return wasmem.Module(TEXT).to_bytes()


def test_lazy_functions_equal_the_eager_ones(data: bytes) -> None:
    eager = decode_module(data)
    lazy = decode_module(data, lazy_bodies=True)
    assert all(isinstance(f, EncodedFunction) and not f.is_decoded for f in lazy.functions)
    assert lazy.functions[1] == eager.functions[1]  # decodes one body
    assert lazy.functions[1].is_decoded and not lazy.functions[0].is_decoded
    assert eager.functions[0] == lazy.functions[0]  # either side of ==
    assert lazy == eager
    assert hash(lazy.functions[0]) == hash(eager.functions[0])
    for a, b in zip(lazy.functions, eager.functions):
        assert (a.type_index, a.locals, a.position, a.end_position) == \
            (b.type_index, b.locals, b.position, b.end_position)


def test_the_body_is_decoded_once(data: bytes) -> None:
    function = decode_module(data, lazy_bodies=True).functions[0]
    assert function.body is function.body


def test_pickle_and_copy_give_a_plain_function(data: bytes) -> None:
    function = decode_module(data, lazy_bodies=True).functions[0]
    for clone in (pickle.loads(pickle.dumps(function)), copy.deepcopy(function)):
        assert type(clone) is Function
        assert clone == function


def test_repr_names_the_byte_range(data: bytes) -> None:
    function = decode_module(data, lazy_bodies=True).functions[0]
    start, end = function.encoded[1:]
    assert repr(function).endswith(f"encoded=bytes[{start}:{end}])")


def test_a_malformed_body_raises_when_decoded() -> None:
    data = bytearray(wasmem.Module("(module (func (nop)))").to_bytes())
    data[data.rindex(0x01)] = 0xFF  # nop -> an illegal opcode
    function = decode_module(bytes(data), lazy_bodies=True).functions[0]
    with pytest.raises(DecodeError, match="illegal opcode ff"):
        function.body  # noqa: B018
    with pytest.raises(DecodeError, match="illegal opcode ff"):
        wasmem.Module(bytes(data))


def test_module_from_bytes_keeps_bodies_encoded_until_called(data: bytes) -> None:
    module = wasmem.Module(data)
    f, g = module.ast.functions
    instance = wasmem.Instance(module)
    assert not f.is_decoded and not g.is_decoded
    assert instance.exports["g"]() == 0
    assert not g.is_decoded  # the interpreter runs its first calls from the bytes
    assert wasmem.Instance(module, tier="compile").exports["g"]() == 0
    assert g.is_decoded  # translating it needs the tree


def test_dataclasses_replace_gives_a_function_with_the_new_body(data: bytes) -> None:
    import dataclasses

    from wasmem.syntax import Instruction
    from wasmem.syntax.opcodes import Op

    function = decode_module(data, lazy_bodies=True).functions[1]
    body = (Instruction(Op.I32_CONST, (5,)),)
    changed = dataclasses.replace(function, body=body)
    assert changed.body == body and changed.is_decoded
    assert changed.type_index == function.type_index and changed.locals == function.locals
    same = dataclasses.replace(function)
    assert same == function
