"""Instrumented code for traces: the interpreter's linked program with memory accesses
wrapped, and calls wrapped to report arguments and results.

Instrumented code is a separate :class:`~wasmem.exec.interpreter.InstanceCode` (its own
linked closures, never stored on the instance), built only while a trace is active: the
decoded functions it links are those of the ordinary interpreter (decoding does not
depend on instrumentation), and the compiler's translations, in memory or on disk, are
never touched. The uninstrumented code pays nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import WasmError
from ..exec import interpreter
from ..exec.interpreter import memory as mem_ops
from ..exec.backtrace import make_frame
from ..exec.interpreter import FunctionCode, InstanceCode
from ..exec.interpreter.inline import CALLS
from ..exec.invoke import to_host
from ..runtime.instances import ModuleInstance
from ..syntax.instructions import Instruction
from ..syntax.opcodes import OPCODES
from ..syntax.types import F32, F64, I32, I64, ExternKind, ValType
from .events import TraceEvent
from .host import HostAccesses

__all__ = ["Sink", "TracedCode", "traced_call"]

Sink = Callable[[TraceEvent], None]

_LOADS = frozenset(mem_ops.LOADS.values()) | frozenset(
    f for name, f in mem_ops.SIMD_MEMORY.items() if "load" in name)
_STORES = frozenset(mem_ops.STORES.values()) | frozenset(
    f for name, f in mem_ops.SIMD_MEMORY.items() if "store" in name)
_STORES_CONST = frozenset(mem_ops.STORES_CONST.values())
_FORMS = mem_ops.ADDRESSED_FORMS  # loads and stores with a folded address
_DIRECT_CALLS = frozenset(factory for (kind, _count), factory in CALLS.items()
                          if kind == "direct")
_BULK = {mem_ops.op_memory_fill: "fill", mem_ops.op_memory_copy: "copy",
         mem_ops.op_memory_init: "init", mem_ops.op_memory_grow: "grow"}


class TracedCode(InstanceCode):
    """Linked code of one instance whose memory instructions report to ``sink``
    (when ``memory``); ``depth`` is the trace's current call depth (shared with the
    call wrappers)."""

    def __init__(self, instance: ModuleInstance, sink: Sink, memory: bool,
                 depth: list[int], old: bool = False,
                 wants: Callable[[int, int, int], bool] | None = None,
                 calls: bool = False) -> None:
        super().__init__(instance)
        self.calls = calls  # report calls to imported functions
        self.wants = wants or _always  # wants(memory, address, size): report a load/store?
        self.sink = sink
        self.memory = memory
        self.depth = depth
        self.old = old  # record the bytes writes replace (and the bytes bulk ops write)
        self.host = HostAccesses(instance.memories, sink, self.wants, depth) \
            if memory and instance.memories else None  # what imported functions access

    def build(self, index: int) -> FunctionCode:
        """Link function ``index`` as the interpreter does, then wrap its memory
        instructions (before the code is published: no call runs it half wrapped).

        Raises:
            UnsupportedFeature: if the function uses instructions the interpreter lacks.
        """
        code = super().build(index)
        if not self.memory and not self.calls:
            return code
        decoded = self.module.function(index, self.instance.fuel is not None)
        for pc, (op, ins) in enumerate(zip(decoded.ir, decoded.instructions), 1):
            if ins is None:
                continue
            if op.make in _DIRECT_CALLS:
                wrapped = self.wrap_import_call(code.ops[pc], op.dest, op.args, index,
                                                decoded.positions[pc - 1])
            elif self.memory:
                wrapped = self.wrap(code.ops[pc], op.make, op.dest, op.args, ins, index,
                                    decoded.positions[pc - 1])
            else:
                wrapped = None
            if wrapped is not None:
                code.ops[pc] = wrapped
        return code

    def wrap(self, run: Any, make: Any, dest: int, args: tuple[Any, ...], ins: Instruction,
             index: int, position: Any) -> Any:
        """A closure that runs ``run`` and reports the access, or None for other ops."""
        info = OPCODES[ins.opcode]
        frame = make_frame(self.instance, index, position)
        sink, depth, peek, wants = self.sink, self.depth, self.peek, self.wants
        common: dict[str, Any] = dict(function_index=index, function_name=frame.function_name,
                      line=frame.line, column=frame.column, offset=frame.offset,
                      instruction=info.name)
        kind, form = _FORMS.get(make, (None, ""))
        if make in _LOADS or kind == "":
            memory, address_of = args[0], mem_ops.address_reader(form, args)
            size, vt = info.memory_size, info.memory_type or I32
            result_type = info.results[0] if info.results else vt

            shift = args[4] * size * 8 if len(args) > 4 else -1  # a lane load: its lane
            mask = (1 << (size * 8)) - 1

            def load(R: list[Any]) -> int:
                target = address_of(R)  # before: the result may reuse its register
                nxt: int = run(R)
                if wants(memory, target, size):
                    value = R[dest]
                    value = (value >> shift) & mask if shift >= 0 \
                        else to_host(result_type, value)
                    sink(TraceEvent("load", depth=depth[0], memory=memory, address=target,
                                    size=size, value=value, **common))
                return nxt
            return load
        if make in _STORES or make in _STORES_CONST or kind in ("r", "c"):
            memory, value = args[0], args[3]
            address_of = mem_ops.address_reader(form, args)
            size, vt = info.memory_size, info.memory_type or I32
            constant = make in _STORES_CONST or kind == "c"
            if len(args) > 4 and kind is None:  # a lane store: the lane of the vector operand
                lane = args[4]

                def stored(R: list[Any]) -> Any:
                    return (R[value] >> (lane * size * 8)) & ((1 << (size * 8)) - 1)
            else:
                def stored(R: list[Any]) -> Any:
                    return _stored(vt, size, value if constant else R[value])

            def store(R: list[Any]) -> int:
                target = address_of(R)
                if not wants(memory, target, size):
                    return run(R)  # type: ignore[no-any-return]
                shown = stored(R)
                before = peek(memory, target, size)
                nxt: int = run(R)
                sink(TraceEvent("store", depth=depth[0], memory=memory, address=target,
                                size=size, value=shown, old=before, **common))
                return nxt
            return store
        kind = _BULK.get(make)
        if kind is None:
            return None
        return _bulk(kind, run, dest, args, sink, depth, common, peek)

    def wrap_import_call(self, run: Any, dest: int, args: tuple[Any, ...], index: int,
                         position: Any) -> Any:
        """A closure that runs a direct call and, if it calls an imported function,
        reports the call, its return or its trap (at the call instruction's place) and
        the accesses the host function makes to memory (:mod:`.host`); None for calls
        of defined functions (their own wrappers report them)."""
        target, count, registers = args[0], args[1], args[2:]
        imports = self.instance.module.imports_of(ExternKind.FUNC)
        host, calls = self.host, self.calls
        if target >= len(imports) or not (calls or host is not None):
            return None
        function = self.instance.functions[target]
        params, results = function.type.params, function.type.results
        frame = make_frame(self.instance, index, position)
        name = self.instance.module.names.functions.get(target) or \
            f"{imports[target].module}.{imports[target].name}"
        sink, depth = self.sink, self.depth
        common: dict[str, Any] = dict(function_index=target, function_name=name,
                                      line=frame.line, column=frame.column,
                                      offset=frame.offset)
        where: dict[str, Any] = dict(common, function_index=index,
                                     function_name=frame.function_name,
                                     instruction=f"call {imports[target].module}."
                                                 f"{imports[target].name}")

        def run_host(R: list[Any]) -> int:
            if host is None:
                return run(R)  # type: ignore[no-any-return]
            previous = host.enter(where)
            try:
                return run(R)  # type: ignore[no-any-return]
            finally:
                host.leave(previous)  # raises what an observer raised meanwhile

        if not calls:
            return run_host

        def call(R: list[Any]) -> int:
            depth[0] += 1
            level = depth[0]
            try:
                sink(TraceEvent("call", depth=level, args=tuple(
                    to_host(t, R[a]) for t, a in zip(params, registers)), **common))
                try:
                    nxt: int = run_host(R)
                except Exception as exc:
                    message = getattr(exc, "message", None) or type(exc).__name__
                    sink(TraceEvent("trap", depth=level, message=message, **common))
                    raise
                sink(TraceEvent("return", depth=level, results=tuple(
                    to_host(t, v) for t, v in zip(results, R[dest:dest + count])),
                    **common))
                return nxt
            finally:
                depth[0] = level - 1
        return call

    @property
    def peek(self) -> Callable[[int, int, int], bytes | None]:
        """``peek(memory, address, size)``: the bytes there, when recording old bytes
        (None otherwise, or when out of bounds: the instruction then traps)."""
        if not self.old:
            return _no_peek
        memories = self.instance.memories

        def peek(memory: int, address: int, size: int) -> bytes | None:
            try:
                return memories[memory].read(address, size)
            except (WasmError, IndexError, OverflowError, ValueError):
                return None
        return peek


def _stored(t: ValType, size: int, value: Any) -> Any:
    """The stored value as the host sees it: the bytes written, as type ``t``."""
    if t is I32 or t is I64:
        value &= (1 << (size * 8)) - 1
        return to_host(t, value) if size * 8 == (32 if t is I32 else 64) else value
    if t is F32 or t is F64:
        return value
    return value


def _no_peek(memory: int, address: int, size: int) -> None:
    return None


def _always(memory: int, address: int, size: int) -> bool:
    return True


def _bulk(kind: str, run: Any, dest: int, args: tuple[Any, ...], sink: Sink,
          depth: list[int], common: dict[str, Any],
          peek: Callable[[int, int, int], bytes | None]) -> Any:
    """Wrap memory.fill/copy/init/grow: one event for the range they touch."""
    if kind == "grow":
        memory, delta = args

        def grow(R: list[Any]) -> int:
            pages = R[delta]
            nxt: int = run(R)
            old = R[dest]
            sink(TraceEvent("grow", depth=depth[0], memory=memory, size=pages,
                            value=-1 if old in (0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF) else old,
                            **common))
            return nxt
        return grow
    if kind == "fill":
        memory, address, value, length = args

        def fill(R: list[Any]) -> int:
            start, byte, count = R[address], R[value] & 0xFF, R[length]
            before = peek(memory, start, count)
            nxt: int = run(R)
            sink(TraceEvent("fill", depth=depth[0], memory=memory, address=start,
                            size=count, value=byte, old=before, **common))
            return nxt
        return fill
    source_memory: int | None = None
    if kind == "copy":
        memory, source_memory, destination, source, length = args
    else:  # init: (data index, memory, destination, source, length)
        _data, memory, destination, source, length = args

    def bulk(R: list[Any]) -> int:
        start, origin, count = R[destination], R[source], R[length]
        before = peek(memory, start, count)
        nxt: int = run(R)
        sink(TraceEvent(kind, depth=depth[0], memory=memory, address=start, size=count,
                        source=origin, old=before, value=peek(memory, start, count),
                        source_memory=source_memory, **common))
        return nxt
    return bulk


def traced_call(state: TracedCode, index: int, calls: bool) -> Callable[..., Any]:
    """The instrumented callable of defined function ``index``: it runs on ``state``'s
    code and, when ``calls``, reports the call, its return or its trap."""
    entry = interpreter._entry(state, index)
    if state.host is not None:
        entry = state.host.reentered(entry)
    instance = state.instance
    function = instance.functions[index]
    params, results = function.type.params, function.type.results
    frame = make_frame(instance, index, None)
    sink, depth = state.sink, state.depth
    common: dict[str, Any] = dict(function_index=index, function_name=frame.function_name,
                  line=frame.line, column=frame.column, offset=frame.offset)

    def call(*args: Any) -> Any:
        depth[0] += 1
        level = depth[0]
        try:
            if calls:
                sink(TraceEvent("call", depth=level, args=tuple(
                    to_host(t, a) for t, a in zip(params, args)), **common))
            try:
                result = entry(*args)
            except Exception as exc:
                if calls:
                    message = getattr(exc, "message", None) or type(exc).__name__
                    sink(TraceEvent("trap", depth=level, message=message, **common))
                raise
            if calls:
                values = () if not results else (result,) if len(results) == 1 \
                    else tuple(result)
                sink(TraceEvent("return", depth=level, results=tuple(
                    to_host(t, v) for t, v in zip(results, values)), **common))
            return result
        finally:
            depth[0] = level - 1
    return call
