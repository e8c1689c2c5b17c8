"""Decoding a function for the interpreter straight from its validated bytes.

:class:`~.decode.FunctionDecoder` walks the body's instruction tree, which
:class:`~wasmem.binary.encoded.EncodedFunction` decodes from the binary on first use: one
:class:`~wasmem.syntax.instructions.Instruction` per instruction, about as costly as the
interpreter's decoding itself, and kept alive as long as the module. A short run decodes
hundreds of functions it never translates, so their trees are never needed.
:class:`StreamDecoder` reads the body's bytes in one pass instead and gives the same
handlers a reused cursor in place of each instruction; ``end`` and ``else`` close the
structures the tree would have nested. The program is the same, closure for closure
(the tree's decoder and this one share everything but the walk).

What the program records per closure is then the instruction's byte offset (its
position: backtraces and trap offsets need no tree); :attr:`DecodedFunction.instructions`
(instrumentation) and the loops the tiered mode enters compiled (:class:`LoopAt`) are
found in the tree, decoded then, by those positions.

Only bodies that a validated binary module keeps encoded, not yet decoded, and decoded
without fuel take this path (:func:`decode`); the rest, and the debugger, walk the tree.
"""

from __future__ import annotations

from typing import Any

from ...binary.decode_code import read_immediates
from ...binary.decode_types import DecodeContext
from ...binary.encoded import EncodedFunction
from ...binary.layout import BLOCK, I32, INDEX, MEMARG, NONE, PREFIXED, SINGLE
from ...binary.reader import Reader
from ...errors import UnsupportedFeature
from ...syntax.instructions import Block, Expr, Instruction
from ...syntax.opcodes import OPCODES, STRUCTURED, Op
from .decode import DecodedFunction, FunctionDecoder, ModuleInfo, _Frame
from .ops import Const, Label, op_copy as _op_copy, op_set_const as _op_set_const

__all__ = ["LoopAt", "StreamDecoder", "decode"]

_END = Op.END
_ELSE = Op.ELSE


class _Cursor:
    """The instruction being decoded, as the handlers read it (one per decoder)."""

    __slots__ = ("immediates", "opcode", "position")

    def __init__(self) -> None:
        self.opcode = 0
        self.immediates: tuple[Any, ...] = ()
        self.position = 0


class LoopAt:
    """A loop of a body decoded from its bytes, named by its byte offset (``position``);
    :meth:`block` finds its node in the body's tree."""

    __slots__ = ("position",)

    def __init__(self, position: int) -> None:
        self.position = position

    def block(self, body: Expr) -> Block:
        """The ``loop`` node at :attr:`position` in ``body``.

        Raises:
            LookupError: if ``body`` has no loop there (not the body it came from).
        """
        pending: list[tuple[Instruction, ...]] = [body]
        while pending:
            for ins in pending.pop():
                if isinstance(ins, Block):
                    if ins.position == self.position and ins.opcode == Op.LOOP:
                        return ins
                    pending.append(ins.body)
                    pending.append(ins.else_body)
        raise LookupError(f"no loop at offset {self.position}")

    def __repr__(self) -> str:
        return f"LoopAt({self.position})"


def _skip_immediates(data: bytes, pos: int, layout: int, reader: Reader,
                     context: DecodeContext) -> int:
    """The offset after the immediates of an instruction of ``layout`` at ``pos``."""
    if layout == NONE:
        return pos
    if layout == INDEX or layout == I32:
        while data[pos] & 0x80:
            pos += 1
        return pos + 1
    reader.pos = pos
    read_immediates(reader, layout, context)
    return reader.pos


def _leb128(data: bytes, pos: int, signed: bool = False) -> tuple[int, int]:
    """The LEB128 number at ``pos`` (well-formed) and the offset after it."""
    result = 0
    shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return (result - (1 << shift) if signed and byte & 0x40 else result), pos


_MASK32 = 0xFFFF_FFFF
_MASK64 = 0xFFFF_FFFF_FFFF_FFFF
_EMPTY_BLOCK_TYPE = 0x40
_list_delitem = list.__delitem__  # (the symbolic stack's own keeps ``low``: kept here)
_list_pop = list.pop
_NO_BLOCK_TYPE: tuple[Any, ...] = (None,)

Row = tuple[int, int, Any]  # (opcode key, immediate layout, handler or None)

_LOCAL_GET = Op.LOCAL_GET  # (single-byte opcodes: the key is the byte)
_LOCAL_SET, _LOCAL_TEE, _BR_IF = Op.LOCAL_SET, Op.LOCAL_TEE, Op.BR_IF
_BLOCK = Op.BLOCK
_I32_CONST = Op.I32_CONST
_I64_CONST = Op.I64_CONST
_TABLES: dict[int, list[Row | None]] = {}
_SMALL32 = tuple(Const(b - 0x80 & _MASK32 if b >= 0x40 else b) for b in range(0x80))
_SMALL64 = tuple(Const(b - 0x80 & _MASK64 if b >= 0x40 else b) for b in range(0x80))
"""The constants of one LEB128 byte, by that byte (``i32.const``, ``i64.const``): shared
by every program (a :class:`~.ops.Const` is never changed)."""


def _table(handlers: dict[int, Any]) -> list[Row | None]:
    """Per first byte: ``(key, layout, handler)``; None for ``end``, ``else`` and the
    prefixes."""
    table = _TABLES.get(id(handlers))
    if table is None:
        table = _TABLES[id(handlers)] = [
            None if entry is None else (*entry, handlers.get(entry[0])) for entry in SINGLE]
    return table


class StreamDecoder(FunctionDecoder):
    """Decodes one function from its body's bytes; see the module docstring."""

    function: EncodedFunction

    def loop_reference(self, block: Any) -> Any:
        return LoopAt(block.position)

    def decode(self) -> DecodedFunction:
        """Decode the body. Raises UnsupportedFeature as :func:`~.decode.decode_function`."""
        data, pos, end = self.function.encoded
        reader = Reader(data, pos)
        reader.end = end
        context = DecodeContext()
        table = _table(self.handlers)
        handler_of = self.handlers.get
        structured = STRUCTURED
        cursor = _Cursor()
        head = _Cursor()  # the block instruction being entered
        stack = self.stack
        local_refs = self.local_refs
        frames = self.frames
        labels = self.labels
        depth = 0  # open structures
        self.frames.append(_Frame("func", Label(0), 0, 0, len(self.type.results)))
        while True:
            position = pos
            byte = data[pos]
            pos += 1
            if byte == _LOCAL_GET and data[pos] < 0x80:
                # local.get and integer constants emit nothing: handlers._local_get
                # and handlers._const, written out (the tests compare the programs)
                index = data[pos]
                pos += 1
                self.instruction = position  # type: ignore[assignment]
                height = len(stack)
                refs = local_refs.get(index)
                if refs is None:
                    local_refs[index] = [height]
                else:
                    refs.append(height)
                stack.append(index)
                if height >= self.max_height:
                    self.max_height = height + 1
                continue
            if byte == _I32_CONST or byte == _I64_CONST:
                value = data[pos]
                if value < 0x80:  # (one shared Const per one-byte constant)
                    pos += 1
                    self.instruction = position  # type: ignore[assignment]
                    height = len(stack)
                    stack.append((_SMALL32 if byte == _I32_CONST else _SMALL64)[value])
                    if height >= self.max_height:
                        self.max_height = height + 1
                    continue
                if data[pos + 1] < 0x80:
                    following = data[pos + 1]
                    value = (value & 0x7F) | following << 7
                    pos += 2
                    if following & 0x40:
                        value -= 0x4000
                elif data[pos + 2] < 0x80:  # (code points, offsets of a data segment)
                    following = data[pos + 2]
                    value = (value & 0x7F) | (data[pos + 1] & 0x7F) << 7 | following << 14
                    pos += 3
                    if following & 0x40:
                        value -= 0x20_0000
                else:
                    value, pos = _leb128(data, pos, True)
                self.instruction = position  # type: ignore[assignment]
                height = len(stack)
                stack.append(Const(value & (_MASK32 if byte == _I32_CONST else _MASK64)))
                if height >= self.max_height:
                    self.max_height = height + 1
                continue
            if (byte == _LOCAL_SET or byte == _LOCAL_TEE) and data[pos] < 0x80:
                # handlers._local_set, written out
                index = data[pos]
                pos += 1
                self.instruction = position  # type: ignore[assignment]
                entry = _list_pop(stack)
                height = len(stack)
                if height < stack.low:
                    stack.low = height
                if isinstance(entry, Const):
                    if index in local_refs:  # (else spilling it finds nothing to do)
                        self.spill_local(index)
                    self.emit_plain(_op_set_const, index, (entry.value,))
                elif entry != index:
                    if index in local_refs:
                        self.spill_local(index)
                    if (self.last == len(self.makes) - 1 and entry >= self.base
                            and self.dests[-1] == entry):  # self.redirectable(entry)
                        self.dests[-1] = index  # (the op computing it writes the local)
                        self.last = -1
                    else:
                        self.emit_plain(_op_copy, index, (entry,))
                if byte == _LOCAL_TEE:  # push_entry of a local, written out
                    height = len(stack)
                    refs = local_refs.get(index)
                    if refs is None:
                        local_refs[index] = [height]
                    else:
                        refs.append(height)
                    stack.append(index)
                    if height >= self.max_height:
                        self.max_height = height + 1
                continue
            if byte == _BR_IF and data[pos] < 0x80 and not frames[-1 - data[pos]].arity:
                # handlers._br_if of a branch carrying no values, written out
                label = frames[-1 - data[pos]].label
                pos += 1
                self.instruction = position  # type: ignore[assignment]
                entry = _list_pop(stack)
                if len(stack) < stack.low:
                    stack.low = len(stack)
                self.branch_on(entry, label, negate=False)
                continue
            if byte == _BLOCK and data[pos] == _EMPTY_BLOCK_TYPE:
                # a block without values (what enter does for it, written out: nested
                # blocks are most of a big switch's code)
                pos += 1
                self.instruction = position  # type: ignore[assignment]
                if stack.low != len(stack):
                    self.materialize_all()
                frames.append(_Frame("block", Label(), len(stack), 0, 0))
                if self.cuts is not None:  # (enter's, written out)
                    frames[-1].cut = self.cuts[position] = [0, 0, 0]
                depth += 1
                continue
            row = table[byte]
            if row is None:
                if byte == _END:
                    if not depth:
                        self.end_function()
                        break
                    depth -= 1
                    frame = frames[-1]
                    if frame.kind == "block" and not frame.results:
                        # end_block of a block without values, written out
                        del frames[-1]
                        label = frame.label
                        label.pc = len(self.makes) + 1  # (bind)
                        labels.append(label)
                        self.last = -1
                        h0 = frame.h0  # (reset_stack: nothing above h0)
                        if h0 < stack.low:
                            stack.low = h0
                        _list_delitem(stack, slice(h0, None))
                        self.unreachable = False
                        if frame.cut is not None and not h0:  # (end_block's)
                            frame.cut[2] = label.pc
                        continue
                    self.end_block()
                    continue
                if byte == _ELSE:
                    if data[pos] != _END:  # (an empty else-arm is no else-arm)
                        self.end_then()
                    continue
                reader.pos = pos
                key, layout = PREFIXED[byte][reader.u32()]
                pos = reader.pos
                handler = handler_of(key)
            else:
                key, layout, handler = row
            # the commonest immediates read here (the bytes are valid: no checks)
            if layout == NONE:
                immediates: tuple[Any, ...] = ()
            elif layout == INDEX:
                value = data[pos]
                if value < 0x80:
                    pos += 1
                elif data[pos + 1] < 0x80:
                    value = (value & 0x7F) | data[pos + 1] << 7
                    pos += 2
                else:
                    value, pos = _leb128(data, pos)
                immediates = (value,)
            elif layout == MEMARG and data[pos] < 0x40:  # (no memory index)
                offset = data[pos + 1]
                if offset < 0x80:
                    immediates = (data[pos], offset, 0)
                    pos += 2
                elif data[pos + 2] < 0x80:
                    immediates = (data[pos], (offset & 0x7F) | data[pos + 2] << 7, 0)
                    pos += 3
                else:
                    offset, after = _leb128(data, pos + 1)
                    immediates = (data[pos], offset, 0)
                    pos = after
            elif layout == BLOCK and data[pos] == _EMPTY_BLOCK_TYPE:
                immediates = _NO_BLOCK_TYPE
                pos += 1
            else:
                reader.pos = pos
                immediates = read_immediates(reader, layout, context)
                pos = reader.pos
            self.instruction = position  # type: ignore[assignment]
            if handler is not None:
                cursor.opcode = key
                cursor.immediates = immediates
                cursor.position = position
                handler(self, cursor)  # type: ignore[arg-type]
                if self.unreachable:
                    pos = self._skip(data, pos, reader, context)
                continue
            if key in structured:
                head.opcode = key
                head.immediates = immediates
                head.position = position
                self.enter(head)  # type: ignore[arg-type]
                depth += 1
                continue
            info = OPCODES.get(key)
            raise UnsupportedFeature(
                info.feature if info else "unknown",
                f"instruction {info.name if info else hex(key)} is not "
                f"supported by the interpreter")
        return self.result(None)

    def result(self, body: Expr | None) -> DecodedFunction:
        decoded = super().result(body)
        # what was recorded per closure is its instruction's position
        decoded._positions = decoded._instructions  # type: ignore[assignment]
        decoded._instructions = None
        decoded._function = self.function
        return decoded

    def _skip(self, data: bytes, pos: int, reader: Reader, context: DecodeContext) -> int:
        """Skip the unreachable rest of the current instruction sequence: return the
        offset of the ``end`` or ``else`` that closes it."""
        single = SINGLE
        depth = 0
        while True:
            byte = data[pos]
            entry = single[byte]
            if entry is None:
                if byte == _END:
                    if not depth:
                        return pos
                    depth -= 1
                    pos += 1
                    continue
                if byte == _ELSE:
                    if not depth:
                        return pos
                    pos += 1
                    continue
                reader.pos = pos + 1
                entry = PREFIXED[byte][reader.u32()]
                pos = reader.pos
            else:
                pos += 1
            key, layout = entry
            if key in STRUCTURED:
                depth += 1
            pos = _skip_immediates(data, pos, layout, reader, context)


def decode(info: ModuleInfo, index: int) -> DecodedFunction | None:
    """Decode defined function ``index`` from its bytes, without fuel; None if its body
    is not kept encoded (or is decoded already: walking the tree is cheaper then).

    Raises:
        UnsupportedFeature: for instructions the interpreter does not run (GC).
    """
    function = info.module.functions[index - info.imported_functions]
    if type(function) is not EncodedFunction or function.is_decoded \
            or not function.encoded[0]:
        return None
    decoder = StreamDecoder(info, index, False)
    try:
        return decoder.decode()
    finally:  # the decoder and its Program refer to each other: freed now, not collected
        decoder.ir = None  # type: ignore[assignment]


FunctionDecoder.from_bytes = decode
