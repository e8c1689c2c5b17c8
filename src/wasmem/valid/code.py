"""Validation of code: function bodies and constant expressions.

Spec "Validation / Instructions", "Validation / Modules / Functions", "Constant
Expressions", following the algorithm of the spec appendix "Validation Algorithm":
one pass over the instructions with an operand stack and a control stack
(:mod:`wasmem.valid.stack`). Function bodies are trees of nested
:class:`~wasmem.syntax.instructions.Block` nodes; they are walked with an explicit
stack of iterators (one per control frame), never recursively, so nesting depth is
bounded by memory only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..errors import UnsupportedFeature, ValidationError
from ..syntax.instructions import Block, Expr, Position
from ..syntax.module import Function
from ..syntax.opcodes import CONSTANT_INSTRUCTIONS, OPCODES, STRUCTURED, Op
from ..syntax.types import NumType, ValType, VecType
from .context import Context, make_error
from .ops import BINARY, HANDLERS, NULLARY, SIMPLE, UNARY, enter_block
from .stack import FUNCTION_FRAME, CodeChecker, Frame, instruction_name
from .types import check_val_type, is_defaultable

__all__ = ["CONSTANT_OPCODES", "BodyChecker", "validate_const_expr", "validate_function"]

BodyChecker = Callable[[CodeChecker, Function, bool], bool]
"""A hook that may check a function body in another form than a tree (the loading layer
checks bodies still in their binary encoding, :mod:`wasmem.load.encoded`). It is called
with the checker (holding the function's outer frame), the function and whether the
module has a data count section, and returns True if it checked the body (raising if
the body is invalid), False to let the tree be checked."""

_BLOCK_OPS = STRUCTURED


_PLAIN = frozenset((NumType, VecType))
"""The classes of the value types that are always valid and have a default value."""

CONSTANT_OPCODES = CONSTANT_INSTRUCTIONS
"""Instructions allowed in constant expressions (spec "Constant Expressions", Wasm 3.0
with extended constants; the GC ones are not supported)."""


def _run(c: CodeChecker) -> None:
    """Check instructions until the outermost frame has ended."""
    vals = c.vals
    ctrls = c.ctrls
    binary = BINARY
    unary = UNARY
    nullary = NULLARY
    simple = SIMPLE
    handlers = HANDLERS
    block_ops = _BLOCK_OPS
    while ctrls:
        frame = ctrls[-1]
        height = frame.height
        for ins in frame.iterator:
            op = ins.opcode
            sig2 = binary.get(op)
            if sig2 is not None:
                if len(vals) - 2 >= height and vals[-1] is sig2[1] and vals[-2] is sig2[0]:
                    del vals[-1]
                    vals[-1] = sig2[2]
                else:
                    c.pop_vals((sig2[0], sig2[1]), ins)
                    vals.append(sig2[2])
                continue
            sig1 = unary.get(op)
            if sig1 is not None:
                if len(vals) > height and vals[-1] is sig1[0]:
                    vals[-1] = sig1[1]
                else:
                    c.pop_vals((sig1[0],), ins)
                    vals.append(sig1[1])
                continue
            result = nullary.get(op)
            if result is not None:
                vals.append(result)
                continue
            handler = handlers.get(op)
            if handler is not None:
                handler(c, ins)
                continue
            if op in block_ops:
                if not isinstance(ins, Block):
                    c.fail(f"malformed {instruction_name(op)}: no body", ins)
                enter_block(c, ins)
                break
            sig = simple.get(op)
            if sig is not None:
                c.pop_vals(sig[0], ins)
                vals.extend(sig[1])
                continue
            c.fail(f"unknown instruction (opcode key {op:#x})", ins)
        else:
            c.end_sequence()


def _distinct(values: Sequence[ValType]) -> Iterable[ValType]:
    """``values`` without repeats, in order of first appearance (all of them, in order, if
    one cannot be hashed: the check then reports it as it would one by one)."""
    try:
        return dict.fromkeys(values)
    except TypeError:
        return values


def validate_function(context: Context, index: int, function: Function,
                      has_data_count: bool = True,
                      check_body: BodyChecker | None = None) -> None:
    """Validate one defined function (spec "Functions").

    ``index`` is its index in the function index space (for messages). ``check_body``,
    if given, may check the body itself (see :data:`BodyChecker`); ``has_data_count``
    tells it whether the module has a data count section.

    Raises:
        ValidationError: with ``function``, ``instruction`` and the position set.
        UnsupportedFeature: "gc" for GC instructions.
    """
    types = context.types.types
    type_index = function.type_index
    if not (isinstance(type_index, int) and 0 <= type_index < len(types)):
        raise make_error(f"unknown type {type_index}: the module defines {len(types)} "
                         f"type{'' if len(types) == 1 else 's'}", function.position,
                         file=context.file, function=context.function_name(index))
    func_type = types[type_index]
    local_types: list[ValType] = list(func_type.params)
    local_set = [True] * len(local_types)
    declared = function.locals
    defaultable: dict[ValType, bool] = {}
    for t in _distinct(declared):  # each distinct type checked once (-O0: thousands)
        if t.__class__ in _PLAIN:  # a number or vector type: valid, with a default
            defaultable[t] = True
            continue
        try:
            check_val_type(t, len(types))
        except ValidationError as error:
            raise make_error(f"{error.message} (in the type of a local)", function.position,
                             file=context.file, function=context.function_name(index)
                             ) from None
        defaultable[t] = is_defaultable(t)
    local_types.extend(declared)
    local_set.extend(map(defaultable.__getitem__, declared))
    # (the function's name, for messages, is made by the first error that needs it)
    checker = CodeChecker(context, local_types, local_set, func_type.results, index,
                          "function", function.end_position or function.position)
    if check_body is not None:
        checker.ctrls.append(Frame(FUNCTION_FRAME, (), func_type.results, 0, 0, None, ()))
        if check_body(checker, function, has_data_count):
            return
        checker.ctrls.clear()
    checker.ctrls.append(Frame(FUNCTION_FRAME, (), func_type.results, 0, 0, None,
                               function.body))
    _run(checker)


def validate_const_expr(context: Context, expr: Expr, expected: ValType, what: str,
                        position: Position) -> None:
    """Validate a constant expression of type ``expected`` (spec "Constant Expressions").

    ``context`` must hold only the globals the expression may see; ``what`` names the
    expression in messages ("global initializer", "data segment offset", ...) and
    ``position`` is where its owner starts.

    Raises:
        ValidationError: "constant expression required" for a non-constant instruction
            or a ``global.get`` of a mutable global, "unknown global", "type mismatch", ...
        UnsupportedFeature: "gc" for GC instructions.
    """
    for ins in expr:
        op = ins.opcode
        info = OPCODES.get(op)
        if info is not None and info.feature == "gc":
            raise UnsupportedFeature("gc", f"{info.name}: GC instructions are not supported",
                                     file=context.file)
        if op not in CONSTANT_OPCODES:
            raise make_error(f"constant expression required: {instruction_name(op)} is not "
                             f"allowed in a {what}", ins.position or position,
                             file=context.file, instruction=instruction_name(op))
        if op == Op.GLOBAL_GET:
            index = ins.immediates[0]
            globals_ = context.globals
            if not (isinstance(index, int) and 0 <= index < len(globals_)):
                raise make_error(
                    f"unknown global {index}: a {what} can only use imported globals and "
                    f"earlier immutable globals ({len(globals_)} visible here)",
                    ins.position or position, file=context.file, instruction="global.get")
            if globals_[index].mutable:
                raise make_error(
                    f"constant expression required: global {index} is mutable, so "
                    f"global.get {index} is not constant", ins.position or position,
                    file=context.file, instruction="global.get")
    checker = CodeChecker(context, [], [], (expected,), None, what, position)
    checker.ctrls.append(Frame(FUNCTION_FRAME, (), (expected,), 0, 0, None, expr))
    _run(checker)
