"""The boundary between the host (Python) and WebAssembly code (spec "Embedding / invoke").

Calls from the host go through :func:`invoke_raw` (internal values) or
:func:`invoke` (host values: signed ints, floats, references). Both turn everything
that can escape from running code into wasmem errors: out-of-bounds accesses into the
spec's trap, Python recursion overflow into "call stack exhausted", uncaught Wasm
exceptions into :class:`~wasmem.errors.UncaughtException`.

Host functions called *by* WebAssembly are wrapped by :func:`host_function`, which
converts values both ways and turns a Python exception raised by the host callable
into a Trap naming the function.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import Exhaustion, InvocationError, Trap, TrapMessage, UncaughtException, WasmError
from ..runtime.exceptions import WasmThrow
from ..runtime.functions import FunctionInstance
from ..runtime.types import heap_subtype
from ..syntax.types import F32, F64, I32, I64, V128, AbsHeapType, FuncType, RefType, ValType
from .backtrace import note_host_cause
from .callstack import LOCAL, MAX_CALL_DEPTH, deeper, host_entries, leave_outermost
from .numeric import f32_round
from .faults import INTERNAL_NOTE, guest_fault
from .support import MEMORY_ACCESS_ERRORS

__all__ = [
    "invoke",
    "invoke_raw",
    "host_function",
    "to_internal",
    "to_host",
    "CALL_DEPTH_LIMIT",
]

PASSTHROUGH = "_wasmem_passthrough"
"""Attribute set (True) on an exception raised by an observer's callback
(:mod:`wasmem.observe`): :func:`invoke_raw` lets it through as it is."""

CALL_DEPTH_LIMIT = MAX_CALL_DEPTH
"""WebAssembly calls allowed at once in one thread (see :mod:`.callstack`)."""


def to_internal(t: ValType, value: Any) -> Any:
    """Convert a host value to the internal representation of type ``t``.

    Integers (``int``, ``bool`` or anything with ``__index__``) from ``-2**(N-1)`` to
    ``2**N - 1`` are accepted for iN and wrapped to N bits; floats and ints for f32/f64;
    for references, ``None`` is null, function references must be wasmem functions
    (of the right type when ``t`` is a closed typed reference), ``externref`` takes any
    Python object.

    Raises:
        InvocationError: if the value does not fit the type.
    """
    if t is I32 or t is I64:
        bits = 32 if t is I32 else 64
        if not isinstance(value, int):
            try:
                value = operator.index(value)
            except TypeError:
                raise InvocationError(f"expected an integer for {t}, "
                                      f"got {type(value).__name__}") from None
        if not -(1 << (bits - 1)) <= value < (1 << bits):
            raise InvocationError(f"{value} does not fit in {t}")
        return int(value) & ((1 << bits) - 1)
    if t is F32 or t is F64:
        if not isinstance(value, (int, float)):
            kind = type(value)
            try:  # numbers of other libraries (numpy): __index__ or __float__, not text
                if not hasattr(kind, "__index__") and not hasattr(kind, "__float__"):
                    raise TypeError
                value = operator.index(value) if hasattr(kind, "__index__") else float(value)
            except (TypeError, ValueError):
                raise InvocationError(f"expected a number for {t}, "
                                      f"got {kind.__name__}") from None
        try:
            number = float(value)
        except OverflowError:
            number = math.copysign(math.inf, value)
        return f32_round(number) if t is F32 else number
    if t is V128:
        if not isinstance(value, int) or not 0 <= value < (1 << 128):
            raise InvocationError("expected a 128-bit unsigned integer for v128")
        return value
    if isinstance(t, RefType):
        unwrap = getattr(value, "_function_instance", None)
        if unwrap is not None:
            value = unwrap
        if value is None:
            if not t.nullable:
                raise InvocationError(f"null is not a value of {t}")
            return None
        return _reference(t, value)
    raise InvocationError(f"unsupported value type {t}")


def _reference(t: RefType, value: Any) -> Any:
    """Check a non-null host value against reference type ``t``; return it.

    Raises:
        InvocationError: a value that is not a reference of that type (a function
        reference that is not a wasmem function, a function of another type, a host
        value for a type that has no host values).
    """
    heap = t.heap_type
    if heap is AbsHeapType.EXTERN:
        return value  # any host value
    if heap is AbsHeapType.FUNC or not isinstance(heap, AbsHeapType):  # typed: (ref $t)
        if not isinstance(value, FunctionInstance):
            raise InvocationError(f"expected a wasmem function (or None) for {t}, "
                                  f"got {type(value).__name__}")
        if isinstance(heap, FuncType) and not heap_subtype(value.key, heap):
            raise InvocationError(f"function {value.name or ''} of type {value.type} "
                                  f"is not a {t}")
        return value
    if heap is AbsHeapType.EXN and isinstance(value, WasmThrow):
        return value
    raise InvocationError(f"a {type(value).__name__} is not a value of {t}")


def to_host(t: ValType, value: Any) -> Any:
    """Convert an internal value of type ``t`` to what the host sees (signed ints)."""
    if t is I32:
        value = int(value)
        return value - ((value & 0x80000000) << 1)
    if t is I64:
        value = int(value)
        return value - ((value & 0x8000000000000000) << 1)
    return value


def _results(ft: FuncType, result: Any, convert: bool) -> Any:
    n = len(ft.results)
    if n == 0:
        return None
    if n == 1:
        return to_host(ft.results[0], result) if convert else result
    if convert:
        return tuple(to_host(t, v) for t, v in zip(ft.results, result))
    return tuple(result)


def invoke_raw(function: FunctionInstance, args: Sequence[Any]) -> Any:
    """Call ``function`` with internal values; return None, one value or a tuple.

    Raises:
        InvocationError: wrong number of arguments.
        Trap: any trap (including FuelExhausted, Exhaustion, UncaughtException).
        WasmError: other wasmem errors raised by host functions.
    """
    if len(args) != len(function.type.params):
        raise arity_error(function.name, function.type, len(args))
    stack = LOCAL.counters  # this thread's: see .callstack
    entries, depth = stack.entries, stack.depth
    if entries:
        if entries >= stack.max_entries:
            raise Exhaustion(TrapMessage.CALL_STACK_EXHAUSTED)
        if not stack.holding:  # each host re-entry takes about ten Python frames
            deeper(depth)
    elif not stack.max_entries:
        stack.max_entries = host_entries()
    stack.entries = entries + 1
    try:
        result = function.call(*args)
    except Trap as trap:
        if not entries:
            note_host_cause(trap)
        raise
    except WasmError:
        raise
    except WasmThrow as thrown:
        raise _replacing(UncaughtException(thrown.tag, thrown.values), thrown) from None
    except (RecursionError, MemoryError, *MEMORY_ACCESS_ERRORS) as error:
        if getattr(error, PASSTHROUGH, False):
            raise  # an observer's callback raised it (wasmem.observe): not a trap
        if isinstance(error, RecursionError):
            raise _replacing(Exhaustion(TrapMessage.CALL_STACK_EXHAUSTED), error) from None
        if isinstance(error, MemoryError):
            raise _replacing(Exhaustion("out of memory"), error) from None
        fault = guest_fault(error)  # the guest's own access, or else wasmem's bug
        if fault is None:
            error.add_note(INTERNAL_NOTE)
            raise
        raise _replacing(fault, error) from None
    finally:
        stack.entries, stack.depth = entries, depth
        if not entries and stack.holding:
            leave_outermost()
    return _results(function.type, result, convert=False)


def arity_error(name: str | None, function_type: FuncType, given: int) -> InvocationError:
    """Return the error for a call with ``given`` arguments, e.g. ``fadd expects 2
    arguments (i32, i32), got 1``."""
    params = function_type.params
    noun = "argument" if len(params) == 1 else "arguments"
    types = f" ({', '.join(map(str, params))})" if params else ""
    return InvocationError(f"{name or 'function'} expects {len(params)} {noun}{types}, "
                           f"got {given}")



def _replacing(trap: Trap, error: BaseException) -> Trap:
    """``trap``, keeping the traceback of the Python exception it stands for (where the
    wasm frames are: see :mod:`.backtrace`)."""
    trap.wasm_traceback = error.__traceback__
    return trap


def invoke(function: FunctionInstance, args: Sequence[Any], *,
           name: str | None = None) -> Any:
    """Call ``function`` with host values (ints, floats, references); return host values.

    ``name`` is what the caller called the function (an export name), for messages;
    by default the function's own name.

    Raises:
        InvocationError: wrong number or type of arguments.
        Trap: any trap.
    """
    params = function.type.params
    if len(args) != len(params):
        raise arity_error(name or function.name, function.type, len(args))
    internal = [to_internal(t, a) for t, a in zip(function.key.params, args)]
    result = invoke_raw(function, internal)
    n = len(function.type.results)
    if n == 0:
        return None
    if n == 1:
        return to_host(function.type.results[0], result)
    return tuple(to_host(t, v) for t, v in zip(function.type.results, result))


def host_function(ft: FuncType, key: FuncType, fn: Callable[..., Any], *, name: str = "",
                  raw: bool = False) -> FunctionInstance:
    """Wrap a Python callable as a WebAssembly function of type ``ft``.

    The callable receives host values (signed ints, floats) unless ``raw``, and returns
    None, one value or a sequence of values. Wasm errors it raises pass through; any
    other exception becomes a Trap that names the function.
    """
    params, results = ft.params, key.results  # results checked against closed types
    label = name or getattr(fn, "__name__", "host function")

    def call(*args: Any) -> Any:
        host_args = args if raw else [to_host(t, a) for t, a in zip(params, args)]
        try:
            out = fn(*host_args)
        except (WasmError, WasmThrow, RecursionError):
            raise
        except Exception as exc:  # the host's own bug: report it as a trap
            raise Trap(f"host function {label} raised {type(exc).__name__}: {exc}") from exc
        if raw:
            return out
        return _host_results(results, out, label)

    return FunctionInstance(ft, key, call, name=label, host=fn)


def _host_results(results: tuple[ValType, ...], out: Any, label: str) -> Any:
    """Check and convert what a host function returned.

    Raises:
        Trap: a result of the wrong type or count ("returned a bad result").
    """
    n = len(results)
    try:
        if n == 0:
            if out is not None:
                raise InvocationError(f"expected no result, got {type(out).__name__}")
            return None
        if n == 1:
            if isinstance(out, (tuple, list)) and len(out) == 1:
                out = out[0]
            return to_internal(results[0], out)
        if not isinstance(out, (tuple, list)) or len(out) != n:
            raise InvocationError(f"expected {n} results")
        return tuple(to_internal(t, v) for t, v in zip(results, out))
    except InvocationError as exc:
        raise Trap(f"host function {label} returned a bad result: {exc.message}") from None
