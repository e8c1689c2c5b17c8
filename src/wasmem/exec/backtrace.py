"""WebAssembly backtraces of traps (:attr:`wasmem.Trap.frames`), found after the fact.

Nothing is recorded while code runs. When a trap's frames are first asked for, the
Python traceback it carries is walked, innermost first, and each Python frame that runs
WebAssembly is turned into :class:`~wasmem.errors.Frame` objects:

* generated code of the compiling tier (its namespace holds the tier under
  :data:`~.compiler.tier.TIER_KEY`; the code object is named ``F<index>``): the line
  number and the failing Python instruction's columns are looked up in the function's
  line table (:mod:`.compiler.lines`), which also yields the frames of inlined callees;
* the interpreter's run loop (:func:`.interpreter._entry`): its ``pc`` local indexes the
  decoded function's ``positions``.

Host frames between them are skipped. A trap that replaced a Python exception at the
host boundary (recursion overflow, out-of-bounds index) keeps that exception's traceback
in ``wasm_traceback``; it is walked below the trap's own.
"""

from __future__ import annotations

import functools
import re
import sys
import types
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

from ..errors import Frame, Trap, format_frames
from ..runtime.instances import ModuleInstance
from ..syntax.instructions import Position
from ..syntax.module import Module
from ..syntax.types import ExternKind
from .tier_names import TIER_KEY, UNALIGNED

if TYPE_CHECKING:
    from .tier_names import NamespaceTier

__all__ = ["trap_frames", "note_host_cause", "python_frames", "frames_of_traceback", "make_frame"]

def _line_of(code: types.CodeType, text: str) -> int:
    """The line number of the first source line of ``code`` containing ``text``, or -1."""
    import inspect  # only when a trap's frames are asked for
    try:
        lines, first = inspect.getsourcelines(code)
    except (OSError, TypeError):
        return -1
    return next((first + k for k, line in enumerate(lines) if text in line), -1)


_GENERATED = re.compile(r"F(\d+)\Z")
_INTERPRETER = __name__.rpartition(".")[0] + ".interpreter"


@functools.lru_cache(maxsize=1)
def _run_loop() -> tuple[AbstractSet[types.CodeType], int]:
    """The interpreter's run loops (``interpreter.RUN_LOOPS``) and the general one's line
    that calls a tail-called non-interpreted function (a frame stopped there has been
    replaced by its callee, ``return_call``, and is not shown). Only asked once the
    interpreter is imported: it is imported lazily, and no interpreted frame exists
    before."""
    interpreter = sys.modules[_INTERPRETER]
    return interpreter.RUN_LOOPS, _line_of(interpreter._run.__code__,
                                           "callstack.spread(len(args))")
_REPLACERS = tuple(__name__.rpartition(".")[0] + name for name in (".tiering", ".exits"))


@functools.lru_cache(maxsize=1)
def _entry_fuel_line() -> int:
    """The line of the general run loop that raises when a function's entry charge
    finds too little fuel (asked once the interpreter is imported, as :func:`_run_loop`)."""
    return _line_of(sys.modules[_INTERPRETER]._run.__code__, "support.out_of_fuel")


def python_frames(tb: types.TracebackType | None) -> list[tuple[types.FrameType, int, int]]:
    """``(frame, lasti, lineno)`` of a traceback, outermost first."""
    out = []
    while tb is not None:
        out.append((tb.tb_frame, tb.tb_lasti, tb.tb_lineno))
        tb = tb.tb_next
    return out


def trap_frames(trap: Trap) -> list[Frame]:
    """The wasm frames of ``trap``, innermost first (see the module docstring)."""
    entries = python_frames(trap.__traceback__) + python_frames(trap.wasm_traceback)
    return frames_of_traceback(entries)


def frames_of_traceback(entries: list[tuple[types.FrameType, int, int]]) -> list[Frame]:
    """Turn Python frames (outermost first) into wasm frames (innermost first)."""
    frames: list[Frame] = []
    run_loops = _run_loop()[0] if _INTERPRETER in sys.modules else frozenset()
    replacing = {module.replace_stack.__code__ for module in map(sys.modules.get, _REPLACERS)
                 if module is not None}  # (a loop-only continuation's too: .exits)
    replaced = False  # the interpreted activation continued in compiled code (tiering)
    unaligned = -1  # the function of the frame just listed, if it ran untested (see there)
    seen: set[int] = set()  # a frame that caught the exception and raised it again
    # appears once more, further out: one activation, listed at its innermost entry
    for frame, lasti, lineno in reversed(entries):
        if id(frame) in seen:
            continue
        seen.add(id(frame))
        code = frame.f_code
        if code in replacing:
            replaced = True
            continue
        if code in run_loops:
            if not replaced:
                frames.extend(_interpreted(frame.f_locals, lineno))
            replaced = False
            continue
        match = _GENERATED.match(code.co_name)
        if match is None:
            continue
        tier = frame.f_globals.get(TIER_KEY)
        if tier is not None and _is_compiling_tier(tier):
            index = int(match.group(1))
            if index == unaligned and not code.co_filename.endswith(UNALIGNED):
                unaligned = -1  # its test at entry called the frame just listed
                continue
            unaligned = index if code.co_filename.endswith(UNALIGNED) else -1
            frames.extend(_compiled(tier, index, code, lasti, lineno))
    return frames


def _is_compiling_tier(tier: object) -> bool:
    from .tier_names import NamespaceTier  # loaded already: the tier ran this code
    return isinstance(tier, NamespaceTier)


def _compiled(tier: NamespaceTier, index: int, code: types.CodeType, lasti: int,
              lineno: int) -> list[Frame]:
    instance = tier.instance
    table = tier.line_table_for(index, code)
    site = None
    if table is not None:
        from .compiler.lines import SiteRecorder
        site = SiteRecorder.lookup(table, lineno, _columns(code, lasti))
    if site is None:
        return [make_frame(instance, index, None)]
    return [make_frame(instance, function, position) for function, position in site]


@functools.lru_cache(maxsize=4096)
def _columns(code: types.CodeType, lasti: int) -> tuple[int | None, int | None]:
    """The column span of the Python instruction at ``lasti`` (cached: a deep recursion
    stops at the same few instructions thousands of times)."""
    if lasti >= 0:
        for k, (_line, _end, start, end) in enumerate(code.co_positions()):
            if k == lasti // 2:
                return (start, end)
    return (None, None)


def _interpreted(values: dict[str, Any], lineno: int) -> list[Frame]:
    owner = getattr(values.get("code"), "owner", None)  # what runs (after a return_call,
    if owner is not None:                              # not the frame's state and index)
        state, index = owner[0](), owner[1]
    else:
        state = values.get("other", values.get("state"))
        index = values.get("other_index", values.get("index"))
    if not isinstance(state, sys.modules[_INTERPRETER].InstanceCode) \
            or not isinstance(index, int):
        return []
    pc = values.get("pc")
    if lineno == _run_loop()[1] or pc == 0:
        return []  # replaced by the function it tail-called (or handed on, pc 0)
    position: Position = None
    if isinstance(pc, int) and pc > 0 and lineno != _entry_fuel_line():
        # (out of fuel at the entry: the function's own position, as compiled code gives)
        decoded = state.module.functions.get((index, state.instance.fuel is not None))
        if decoded is not None and pc <= len(decoded.positions):
            position = decoded.positions[pc - 1]
    return [make_frame(state.instance, index, position)]


def make_frame(instance: ModuleInstance, index: int, position: Position) -> Frame:
    """The :class:`Frame` of function ``index`` of ``instance`` at ``position`` (the
    function's own position when None)."""
    module = instance.module
    function = _function(module, index)
    if position is None and function is not None:
        position = function.position
    line = column = offset = function_offset = None
    if isinstance(position, tuple):
        line, column = position
    elif isinstance(position, int):
        offset = position
        start = _body_start(function)
        if start is not None and start <= offset:
            function_offset = offset - start
    return Frame(index, function_name(module, index), module.names.module, line, column,
                 offset, function_offset)


def _body_start(function: Any) -> int | None:
    """Where a binary function's code entry starts after its size field (its locals):
    what wasmtime's ``func_offset`` counts from. None for text functions."""
    entry = getattr(function, "position", None)
    if not isinstance(entry, int):
        return None
    encoded = getattr(function, "encoded", None)
    if encoded is not None and encoded[0]:  # the module's bytes: skip the size's LEB128
        data = encoded[0]
        pos = entry
        while pos < len(data) and data[pos] & 0x80:
            pos += 1
        return pos + 1
    end = getattr(function, "end_position", None)  # the final ``end``: the body's last byte
    if not isinstance(end, int):
        return None
    for width in range(1, 6):  # the size field's width, written minimally
        size = end + 1 - entry - width
        if size >= 0 and max(1, -(-size.bit_length() // 7)) == width:
            return entry + width
    return None


def _function(module: Module, index: int) -> Any:
    imported = len(module.imports_of(ExternKind.FUNC))
    if imported <= index < imported + len(module.functions):
        return module.functions[index - imported]
    return None


def function_name(module: Module, index: int) -> str | None:
    """The function's ``$id`` or name-section name, else its first export name, else
    None."""
    name = module.names.functions.get(index)
    if name is not None:
        return name
    for export in module.exports:
        if export.kind == ExternKind.FUNC and export.index == index:
            return export.name
    return None


def note_host_cause(trap: Trap) -> None:
    """If ``trap`` stands for a Python exception a host function raised (its
    ``__cause__``), give that exception the wasm frames too: as ``wasm_frames`` and as a
    note (:meth:`BaseException.add_note`) holding the backtrace. Never raises."""
    cause = trap.__cause__
    if cause is None or isinstance(cause, Trap) or hasattr(cause, "wasm_frames"):
        return
    try:
        frames = trap.frames
        cause.wasm_frames = frames  # type: ignore[attr-defined]
        if frames:
            cause.add_note(format_frames(frames))
    except Exception:  # an exception refusing attributes keeps only its own traceback
        return


Trap.frame_resolver = trap_frames
