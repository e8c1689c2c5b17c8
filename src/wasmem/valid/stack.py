"""Operand, control and initialisation stacks of code validation.

This is the data structure of the spec appendix "Validation Algorithm": a value
stack of types (with :data:`~wasmem.valid.types.BOT` for unknown operands of a
polymorphic stack), a control stack of frames (one per entered block, plus the
function's implicit outermost block) and the stack of locals initialised so far.
:mod:`wasmem.valid.ops` implements the instructions on top of it and
:mod:`wasmem.valid.code` drives it over a function body.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NoReturn

from ..errors import ValidationError
from ..syntax.instructions import Block, Instruction, Position
from ..syntax.opcodes import OPCODES, Op
from ..syntax.types import FuncType, RefType, ValType
from .context import Context, make_error
from .types import BOT, BOT_HEAP, StackType, check_val_type, match_val_type, types_string

__all__ = ["FUNCTION_FRAME", "CodeChecker", "Frame", "instruction_name"]

FUNCTION_FRAME = -1
"""Frame kind of the outermost frame (a function body or a constant expression)."""

_FRAME_WHAT = {
    Op.BLOCK: "block",
    Op.LOOP: "loop",
    Op.IF: "if",
    Op.TRY_TABLE: "try_table",
}

_EMPTY: tuple[ValType, ...] = ()


def instruction_name(opcode: int) -> str:
    """Return the text name of an opcode key (``select`` for typed select)."""
    if opcode == Op.SELECT_T:
        return "select"
    info = OPCODES.get(opcode)
    return info.name if info is not None else f"<opcode {opcode:#x}>"


class Frame:
    """A control frame: one entered block (spec appendix ``ctrl_frame``).

    ``labels`` are the label types a branch to this frame passes (the start types for
    ``loop``, the end types otherwise); ``iterator`` walks the instructions still to be
    checked in the current branch of the block.
    """

    __slots__ = (
        "block",
        "end_types",
        "height",
        "in_else",
        "init_height",
        "iterator",
        "kind",
        "labels",
        "start_types",
        "unreachable",
    )

    def __init__(self, kind: int, start_types: tuple[ValType, ...],
                 end_types: tuple[ValType, ...], height: int, init_height: int,
                 block: Block | None, body: Sequence[Instruction]) -> None:
        self.kind = kind
        self.start_types = start_types
        self.end_types = end_types
        self.labels = start_types if kind == Op.LOOP else end_types
        self.height = height
        self.init_height = init_height
        self.unreachable = False
        self.block = block
        self.iterator: Iterator[Instruction] = iter(body)
        self.in_else = False


class CodeChecker:
    """State of validating one function body or constant expression.

    Attributes:
        context: the module context.
        vals: operand stack (value types, or ``BOT``).
        ctrls: control stack; ``ctrls[-1]`` is the innermost frame.
        local_types: types of parameters and locals.
        local_set: initialisation status of each local.
        inits: indices of locals set since the start of the function (spec ``inits``).
        returns: the function's result types.
        function: the function's display name, or its index (the name is then made by
            the first error that needs it), for errors; None for constant expressions.
        end_what: how to call the outermost frame in messages ("function", ...).
        end_position: where the outermost frame ends.
    """

    __slots__ = (
        "context",
        "ctrls",
        "end_position",
        "end_what",
        "file",
        "function",
        "inits",
        "local_set",
        "local_types",
        "returns",
        "types",
        "vals",
    )

    def __init__(self, context: Context, local_types: list[ValType], local_set: list[bool],
                 returns: tuple[ValType, ...], function: str | int | None, end_what: str,
                 end_position: Position) -> None:
        self.context = context
        self.types = context.types
        self.vals: list[StackType] = []
        self.ctrls: list[Frame] = []
        self.local_types = local_types
        self.local_set = local_set
        self.inits: list[int] = []
        self.returns = returns
        self.function = function
        self.end_what = end_what
        self.end_position = end_position
        self.file = context.file

    # ------------------------------------------------------------ errors

    def fail(self, message: str, ins: Instruction | None,
             position: Position = None, instruction: str | None = None) -> NoReturn:
        """Raise a ValidationError at ``ins`` (or ``position``) inside this code."""
        if ins is not None:
            if position is None:
                position = ins.position
            if instruction is None:
                instruction = instruction_name(ins.opcode)
        function = self.function
        if isinstance(function, int):  # a function's index: its name is made here
            function = self.context.function_name(function)
        raise make_error(message, position, file=self.file, function=function,
                         instruction=instruction)

    def located(self, error: ValidationError, ins: Instruction) -> NoReturn:
        """Re-raise an unplaced error (from :mod:`wasmem.valid.types`) at ``ins``."""
        self.fail(error.message, ins)

    def mismatch(self, expected: Sequence[object], ins: Instruction) -> NoReturn:
        """Raise "type mismatch: instruction requires [..] but stack has [..]"."""
        vals = self.vals
        frame = self.ctrls[-1]
        start = max(frame.height, len(vals) - len(expected))
        name = instruction_name(ins.opcode)
        self.fail(f"type mismatch: instruction requires {types_string(expected)} "
                  f"but stack has {types_string(vals[start:])} ({name})", ins)

    # ------------------------------------------------------------ operand stack

    def matches(self, actual: object, expected: object) -> bool:
        """True if ``actual`` matches ``expected`` in this module's types."""
        return actual is expected or match_val_type(actual, expected, self.types)

    def pop_vals(self, expected: Sequence[ValType], ins: Instruction) -> list[StackType]:
        """Pop operands matching ``expected`` (last one on top); return the actual types."""
        n = len(expected)
        if n == 0:
            return []
        vals = self.vals
        frame = self.ctrls[-1]
        start = len(vals) - n
        if start >= frame.height:
            actual = vals[start:]
            if n > 2 and actual == list(expected):  # the common case, at C speed
                del vals[start:]
                return actual
            for a, e in zip(actual, expected):
                if a is not e and not match_val_type(a, e, self.types):
                    self.mismatch(expected, ins)
            del vals[start:]
            return actual
        if not frame.unreachable:
            self.mismatch(expected, ins)
        actual = vals[frame.height:]
        missing = n - len(actual)
        for a, e in zip(actual, expected[missing:]):
            if a is not e and not match_val_type(a, e, self.types):
                self.mismatch(expected, ins)
        del vals[frame.height:]
        return [BOT] * missing + actual

    def pop_any(self, ins: Instruction) -> StackType:
        """Pop one operand of any type (``BOT`` from a polymorphic stack)."""
        vals = self.vals
        frame = self.ctrls[-1]
        if len(vals) > frame.height:
            return vals.pop()
        if frame.unreachable:
            return BOT
        self.fail(f"type mismatch: instruction requires an operand but stack has [] "
                  f"({instruction_name(ins.opcode)})", ins)

    def pop_ref(self, ins: Instruction) -> RefType:
        """Pop a reference operand; ``(ref bot)`` from a polymorphic stack."""
        vals = self.vals
        frame = self.ctrls[-1]
        if len(vals) > frame.height:
            actual = vals[-1]
            if isinstance(actual, RefType):
                vals.pop()
                return actual
            if actual is BOT:
                vals.pop()
                return RefType(False, BOT_HEAP)  # type: ignore[arg-type]
            self.fail(f"type mismatch: instruction requires a reference type but stack has "
                      f"[{actual}] ({instruction_name(ins.opcode)})", ins)
        if frame.unreachable:
            return RefType(False, BOT_HEAP)  # type: ignore[arg-type]
        self.fail(f"type mismatch: instruction requires a reference type but stack has [] "
                  f"({instruction_name(ins.opcode)})", ins)

    def set_unreachable(self) -> None:
        """Mark the rest of the current block unreachable: the stack becomes polymorphic."""
        frame = self.ctrls[-1]
        del self.vals[frame.height:]
        frame.unreachable = True

    # ------------------------------------------------------------ context look-ups

    def label(self, depth: int, ins: Instruction) -> Frame:
        """Return the frame a branch of relative ``depth`` targets ("unknown label")."""
        ctrls = self.ctrls
        if not 0 <= depth < len(ctrls):
            self.fail(f"unknown label {depth}: only {len(ctrls)} label"
                      f"{' is' if len(ctrls) == 1 else 's are'} in scope", ins)
        return ctrls[-1 - depth]

    def func_type(self, type_index: object, ins: Instruction) -> FuncType:
        """Return the function type with ``type_index`` ("unknown type")."""
        types = self.types.types
        if isinstance(type_index, int) and 0 <= type_index < len(types):
            return types[type_index]
        self.fail(f"unknown type {type_index}: the module defines {len(types)} type"
                  f"{'' if len(types) == 1 else 's'}", ins)

    def lookup(self, items: Sequence[object], index: object, what: str,
               ins: Instruction) -> object:
        """Return ``items[index]`` or raise "unknown <what> N"."""
        if isinstance(index, int) and 0 <= index < len(items):
            return items[index]
        count = len(items)
        self.fail(f"unknown {what} {index}: the module has {count} "
                  f"{what}{'' if count == 1 else 's'}", ins)

    # ------------------------------------------------------------ blocks

    def block_type(self, block_type: object, ins: Instruction
                   ) -> tuple[tuple[ValType, ...], tuple[ValType, ...]]:
        """Resolve a block type to ``(params, results)`` (spec "Block Types")."""
        if block_type is None:
            return _EMPTY, _EMPTY
        if isinstance(block_type, int) and not isinstance(block_type, bool):
            func_type = self.func_type(block_type, ins)
            return func_type.params, func_type.results
        try:
            check_val_type(block_type, len(self.types))
        except ValidationError as error:
            self.located(error, ins)
        return _EMPTY, (block_type,)  # type: ignore[return-value]

    def push_frame(self, kind: int, params: tuple[ValType, ...],
                   results: tuple[ValType, ...], block: Block | None,
                   body: Sequence[Instruction]) -> None:
        """Enter a block whose parameters have been popped already (spec ``push_ctrl``)."""
        self.ctrls.append(Frame(kind, params, results, len(self.vals), len(self.inits),
                                block, body))
        self.vals.extend(params)

    def check_frame_end(self, frame: Frame, what: str, position: Position) -> None:
        """Check the stack at the end of ``frame`` holds exactly its end types; clear it.

        Also resets the locals initialised inside the frame (spec ``pop_ctrl``).
        """
        vals = self.vals
        expected = frame.end_types
        height = frame.height
        available = len(vals) - height
        n = len(expected)
        ok = available == n or (available < n and frame.unreachable)
        if ok and available == n and n > 2 and vals[height:] == list(expected):
            pass  # the common case, compared at C speed
        elif ok:
            skip = n - available
            for a, e in zip(vals[height:], expected[skip:]):
                if a is not e and not match_val_type(a, e, self.types):
                    ok = False
                    break
        if not ok:
            found = types_string(vals[height:])
            self.fail(f"type mismatch at end of {what}: expected {types_string(expected)} "
                      f"but found {found}", None, position, "end")
        del vals[height:]
        inits = self.inits
        if len(inits) > frame.init_height:
            local_set = self.local_set
            while len(inits) > frame.init_height:
                local_set[inits.pop()] = False

    def end_sequence(self) -> None:
        """Handle the end of the innermost frame's instructions (``else`` or ``end``)."""
        frame = self.ctrls[-1]
        block = frame.block
        if block is None:
            self.check_frame_end(frame, self.end_what, self.end_position)
            self.ctrls.pop()
            return
        what = _FRAME_WHAT.get(frame.kind, "block")
        if frame.kind == Op.IF and not frame.in_else:
            has_else = bool(block.else_body) or block.else_position is not None
            if has_else:
                position = block.else_position or block.end_position or block.position
            else:
                position = block.end_position or block.position
            self.check_frame_end(frame, "if branch", position)
            frame.in_else = True
            frame.unreachable = False
            frame.iterator = iter(block.else_body)
            self.vals.extend(frame.start_types)
            return
        if frame.kind == Op.IF:
            if block.else_body or block.else_position is not None:
                what = "else branch"
            else:
                what = "if without else (the missing else passes its inputs through)"
        self.check_frame_end(frame, what, block.end_position or block.position)
        self.ctrls.pop()
        self.vals.extend(frame.end_types)
