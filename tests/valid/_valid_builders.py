"""Small helpers to build abstract-syntax modules by hand for validator tests."""

from __future__ import annotations

from wasmem.errors import ValidationError
from wasmem.syntax import (
    BY_NAME,
    Block,
    Catch,
    Function,
    FuncType,
    Instruction,
    Module,
    Names,
    ValType,
)
from wasmem.syntax.instructions import BlockType, Position
from wasmem.valid import validate_module


def op(name: str, *immediates: object, position: Position = None) -> Instruction:
    """An instruction by text name (``select_t`` for typed select)."""
    return Instruction(BY_NAME[name].key, tuple(immediates), position)


def block(name: str, block_type: BlockType, *body: Instruction,
          else_body: tuple[Instruction, ...] = (), catches: tuple[Catch, ...] = (),
          position: Position = None, end_position: Position = None) -> Block:
    """A structured instruction: ``block``, ``loop``, ``if`` or ``try_table``."""
    immediates: tuple[object, ...] = (block_type,)
    if name == "try_table":
        immediates = (block_type, catches)
    return Block(BY_NAME[name].key, immediates, position, body=tuple(body),
                 else_body=else_body, end_position=end_position)


def func_module(params: tuple[ValType, ...], results: tuple[ValType, ...],
                *body: Instruction, locals_: tuple[ValType, ...] = (),
                extra_types: tuple[FuncType, ...] = (), **fields: object) -> Module:
    """A module whose function 0 has type ``params -> results`` and ``body``.

    ``extra_types`` come after the function's type (index 1 onwards); other keyword
    arguments are passed to :class:`Module`.
    """
    types = (FuncType(params, results), *extra_types)
    function = Function(0, locals_, tuple(body), position=(1, 1), end_position=(9, 9))
    functions = (function, *fields.pop("functions", ()))  # type: ignore[arg-type]
    names = fields.pop("names", Names(functions={0: "f"}))
    return Module(types=types, functions=functions, names=names, **fields)  # type: ignore[arg-type]


def error_of(module: Module) -> ValidationError:
    """Validate ``module`` and return the ValidationError it must raise."""
    try:
        validate_module(module)
    except ValidationError as error:
        return error
    raise AssertionError("module unexpectedly valid")
