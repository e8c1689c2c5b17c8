"""The boundary between the host (Python) and WebAssembly code (spec "Embedding / invoke").

Calls from the host go through :func:`invoke_raw` (internal values) or
:func:`invoke` (host values: signed ints, floats, references). Both turn everything
that can escape from running code into wasmem errors: out-of-bounds accesses into the
spec's trap, Python recursion overflow into "call stack exhausted", uncaught Wasm
exceptions into :class:`~wasmem.errors.UncaughtException`.

Host functions called *by* WebAssembly are wrapped by :func:`host_function`, which
converts values both ways and turns a Python exception raised by the host callable
into a Trap naming the function.

Crossings are frequent (WASI calls, callbacks, emscripten's ``invoke_*`` trampolines),
so both directions are typed once per signature rather than per call: the code of an
export's ``__call__`` (:func:`export_call`, used by :class:`wasmem.Function` and
:func:`invoke`) and of a host function's wrapper is generated from the signature, with
the conversions of its value types written inline (an i32 argument is checked and
masked where it stands, an f64 passes as it is) and the full conversion, with its
error, only when the inline test fails. Every check stays; only its cost moves to the
failure path.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from types import FunctionType
from typing import Any

from ..errors import (Exhaustion, InvocationError, Trap, TrapCode, TrapMessage, UncaughtException,
                      WasmError)
from ..runtime.exceptions import WasmThrow
from ..runtime.functions import FunctionInstance
from ..runtime.types import heap_subtype
from ..syntax.types import F32, F64, I32, I64, V128, AbsHeapType, FuncType, RefType, ValType
from .callstack import LOCAL, MAX_CALL_DEPTH, deeper, host_entries, leave_outermost
from .numeric import f32_round
from .sourcelines import remember
from .support import MEMORY_ACCESS_ERRORS

__all__ = [
    "invoke",
    "invoke_raw",
    "host_function",
    "export_call",
    "export_call_source",
    "COMMON_EXPORTS",
    "committed_export_name",
    "COMMON_HOSTS",
    "committed_host_name",
    "host_call_source",
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
        except OverflowError:  # an int beyond the floats: rounds to an infinity
            number = math.inf if value > 0 else -math.inf
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


def _raw_results(function: FunctionInstance, result: Any) -> Any:
    """A function's internal result as :func:`invoke_raw` returns it (None, the value, or
    a tuple)."""
    n = len(function.type.results)
    if n <= 1:
        return None if n == 0 else result
    return tuple(result)


# The body of every entry from the host into WebAssembly (invoke_raw, _export_call_code): count the
# entry in the thread's counters (host re-entry bound, call depth), call, and turn what
# can escape from running code into wasmem errors. ``{call}`` is the call expression.
_ENTRY_BODY = """\
    stack = LOCAL.counters  # this thread's: see .callstack
    entries, depth = stack.entries, stack.depth
    if entries:
        if not stack.max_entries:  # (looked up at the first re-entry: `resource`, 0.2 ms)
            stack.max_entries = host_entries()
        if entries >= stack.max_entries:
            raise Exhaustion(TrapMessage.CALL_STACK_EXHAUSTED)
        if not stack.holding:  # each host re-entry takes about ten Python frames
            deeper(depth)
    stack.entries = entries + 1
    try:
        result = {call}
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
            error.add_note(internal_note())
            raise
        raise _replacing(fault, error) from None
    finally:
        stack.entries, stack.depth = entries, depth
        if not entries and stack.holding:
            leave_outermost()
"""


def note_host_cause(trap: Trap) -> None:
    """:func:`.backtrace.note_host_cause` (imported when a call first traps)."""
    from .backtrace import note_host_cause as note
    note(trap)


def guest_fault(error: BaseException) -> Trap | None:
    """:func:`.faults.guest_fault` (imported when an access first fails)."""
    from .faults import guest_fault as fault
    return fault(error)


def internal_note() -> str:
    """:data:`.faults.INTERNAL_NOTE`, the note on an internal error."""
    from .faults import INTERNAL_NOTE
    return INTERNAL_NOTE


def _entry_namespace() -> dict[str, Any]:
    return {"__name__": __name__,  # the module of the generated functions
            "LOCAL": LOCAL, "Exhaustion": Exhaustion, "TrapMessage": TrapMessage,
            "deeper": deeper, "host_entries": host_entries, "leave_outermost": leave_outermost,
            "Trap": Trap, "WasmError": WasmError, "WasmThrow": WasmThrow,
            "UncaughtException": UncaughtException, "MEMORY_ACCESS_ERRORS": MEMORY_ACCESS_ERRORS,
            "note_host_cause": note_host_cause, "_replacing": _replacing,
            "PASSTHROUGH": PASSTHROUGH, "guest_fault": guest_fault, "internal_note": internal_note,
            "arity_error": arity_error, "to_internal": to_internal, "f32_round": f32_round,
            "_raw_results": _raw_results}


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
    wasm frames are: see :mod:`.backtrace`, imported here as in :func:`note_host_cause`:
    it installs :attr:`Trap.frame_resolver`, without which the trap has no frames)."""
    from . import backtrace  # noqa: F401
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
    target = _Target(function, name)
    return export_call(function.key)(target, *args)


class _Target:
    """What :func:`export_call`'s methods call: a function and the name it was called by."""

    __slots__ = ("_function_instance", "_label")

    def __init__(self, function: FunctionInstance, label: str | None) -> None:
        self._function_instance = function
        self._label = label


def host_function(ft: FuncType, key: FuncType, fn: Callable[..., Any], *, name: str = "",
                  raw: bool = False) -> FunctionInstance:
    """Wrap a Python callable as a WebAssembly function of type ``ft``.

    The callable receives host values (signed ints, floats) unless ``raw``, and returns
    None, one value or a sequence of values. Wasm errors it raises pass through; any
    other exception becomes a Trap that names the function (the exception is its
    ``__cause__``, with its traceback); a result of the wrong type or count is a Trap
    ("returned a bad result"). The wrapper is generated once for the signature
    (:func:`_host_call_factory`): conversions inline, results checked by a cheap test, the
    full check only when that test fails.
    """
    label = name or getattr(fn, "__name__", "host function")
    results = key.results  # results are checked against closed types

    def bad(out: Any) -> Any:
        return _host_results(results, out, label)

    make = _host_call_factory(_shape(ft.params), "" if raw else _shape(results), raw)
    return FunctionInstance(ft, key, make(fn, label, bad), name=label, host=fn)


def _host_raised(label: str, exc: Exception) -> Trap:
    """The trap standing for an exception a host function raised (made without the
    constructor's chain: this is on the path of every host exception unwinding wasm)."""
    message = f"host function {label} raised {type(exc).__name__}: {exc}"
    trap = Trap.__new__(Trap, message)
    trap.message, trap.code = message, TrapCode.HOST_ERROR
    trap.file = trap.line = trap.column = trap.offset = None
    return trap


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
            # a one-element sequence stands for its element, except where the sequence
            # itself is a value (an externref holds any Python object)
            if isinstance(out, (tuple, list)) and len(out) == 1 and not (
                    isinstance(results[0], RefType)
                    and results[0].heap_type is AbsHeapType.EXTERN):
                out = out[0]
            return to_internal(results[0], out)
        if not isinstance(out, (tuple, list)) or len(out) != n:
            raise InvocationError(f"expected {n} results")
        return tuple(to_internal(t, v) for t, v in zip(results, out))
    except InvocationError as exc:
        raise Trap(f"host function {label} returned a bad result: {exc.message}") from None


# ------------------------------------------------------------- typed entries
# The conversions of one value, written into the generated code: ``i`` i32, ``I`` i64,
# ``f`` f32, ``F`` f64, ``o`` any other type (the generic to_internal/to_host).
_SHAPES: dict[Any, str] = {I32: "i", I64: "I", F32: "f", F64: "F"}

_TO_INTERNAL = {
    "i": ("    if {a}.__class__ is int and -2147483648 <= {a} <= 4294967295:\n"
          "        {a} &= 4294967295\n"
          "    else:\n        {a} = to_internal(T[{k}], {a})\n"),
    "I": ("    if {a}.__class__ is int and -9223372036854775808 <= {a} <= 18446744073709551615:\n"
          "        {a} &= 18446744073709551615\n"
          "    else:\n        {a} = to_internal(T[{k}], {a})\n"),
    "f": "    {a} = f32_round({a}) if {a}.__class__ is float else to_internal(T[{k}], {a})\n",
    "F": "    if {a}.__class__ is not float:\n        {a} = to_internal(T[{k}], {a})\n",
    "o": "    {a} = to_internal(T[{k}], {a})\n",
}

_TO_HOST = {"i": "({v} - (({v} & 2147483648) << 1))",
            "I": "({v} - (({v} & 9223372036854775808) << 1))"}

# What a host function returned: the common case checked and converted inline, anything
# else to ``bad`` (_host_results: the full conversion, or the "bad result" trap).
_HOST_RESULT = {
    "": "    if out is None:\n        return None\n",
    "i": ("    if out.__class__ is int and -2147483648 <= out <= 4294967295:\n"
          "        return out & 4294967295\n"),
    "I": ("    if out.__class__ is int and -9223372036854775808 <= out <= 18446744073709551615:\n"
          "        return out & 18446744073709551615\n"),
    "f": "    if out.__class__ is float:\n        return f32_round(out)\n",
    "F": "    if out.__class__ is float:\n        return out\n",
}


_shapes: dict[Any, str] = {}  # a tuple of types -> its shape (a module's imports share few)


def _shape(types: Sequence[ValType]) -> str:
    shape = _shapes.get(types) if type(types) is tuple else None
    if shape is None:
        shape = "".join(_SHAPES.get(t, "o") if not isinstance(t, RefType) else "o"
                        for t in types)
        if type(types) is tuple and len(_shapes) < 4096:
            _shapes[types] = shape
    return shape


def _to_host(code: str, value: str) -> str:
    return _TO_HOST.get(code, "{v}").format(v=value)


_codes: dict[tuple[str, str, str], Any] = {}


def _compiled(key: tuple[str, str, str], source: str) -> Any:
    code = _codes.get(key)
    if code is None:
        filename = f"<wasmem boundary {key[0]} {key[1]}->{key[2]}>"
        remember(filename, source)
        code = _codes[key] = compile(source, filename, "exec")
    return code


def _bind(code: Any, name: str, **names: Any) -> Any:
    namespace = _entry_namespace()
    namespace.update(names)
    exec(code, namespace)
    return namespace[name]


_host_factories: dict[tuple[str, str, bool], Callable[..., Any]] = {}


def _host_call_factory(params: str, results: str, raw: bool) -> Callable[..., Any]:
    """``make(fn, label, bad)``, returning the wrapper of host functions of one signature:
    ``call(a0, ...)`` with internal values, calling ``fn`` with host values (internal
    ones if ``raw``). Generated and compiled once per signature (committed for those of
    :data:`COMMON_HOSTS`)."""
    key = (params, results, raw)
    make = _host_factories.get(key)
    if make is not None:
        return make
    if key in COMMON_HOSTS:
        make = _committed_entry(_hosts_module, committed_host_name(*key), "make",
                                _host_raised=_host_raised)
    if make is None:
        code = _compiled(("host" + ("-raw" if raw else ""), params, results),
                         host_call_source(params, results, raw))
        make = _bind(code, "make", _host_raised=_host_raised)
    _host_factories[key] = make
    return make


COMMON_HOSTS = (("", "", False), ("i", "", False), ("i", "i", False), ("ii", "", False),
                ("ii", "i", False), ("iii", "i", False), ("iiii", "i", False))
"""Host function signatures ``(params, results, raw)`` whose wrapper factory is committed
in :mod:`.boundary_hosts` (as :data:`COMMON_EXPORTS` in :mod:`.boundary_common`)."""


def committed_host_name(params: str, results: str, raw: bool) -> str:
    """The name of the committed ``make`` of a signature of :data:`COMMON_HOSTS`."""
    return f"host__{params}__{results}" + ("__raw" if raw else "")


def _hosts_module() -> Any:
    from . import boundary_hosts
    return boundary_hosts


def _committed_entry(load: Callable[[], Any], name: str, as_name: str, **names: Any) -> Any:
    """Function ``name`` of a committed module of entries (``load()`` imports it), named
    ``as_name`` and bound as :func:`_bind` binds a compiled one (``names`` added to its
    globals), or None if the module or the function is missing (then it is compiled)."""
    try:
        module = load()
    except ImportError:  # (deleted to be written again: see .boundary_regenerate)
        return None
    function = getattr(module, name, None)
    if function is None:
        return None
    namespace = _entry_namespace()
    namespace.update(names)
    code = function.__code__.replace(co_name=as_name, co_qualname=as_name)
    return FunctionType(code, namespace, as_name)


def host_call_source(params: str, results: str, raw: bool) -> str:
    """The source of ``make(fn, label, bad)`` for host functions of one signature
    (:func:`_host_call_factory`)."""
    names = [f"a{k}" for k in range(len(params))]
    args = names if raw else [_to_host(c, a) for c, a in zip(params, names)]
    body = (f"def call({', '.join(names)}):\n"
            "    try:\n"
            f"        out = fn({', '.join(args)})\n"
            "    except (WasmError, WasmThrow, RecursionError):\n"
            "        raise\n"
            "    except Exception as exc:  # the host's own bug: report it as a trap\n"
            "        raise _host_raised(label, exc) from exc\n")
    if raw:
        body += "    return out\n"
    else:
        body += _HOST_RESULT.get(results, "") + "    return bad(out)\n"
    return ("def make(fn, label, bad):\n"
            + "".join("    " + line for line in body.splitlines(True))
            + "    return call\n")


def _export_call_code(params: str, results: str) -> Any:
    """The compiled ``__call__(self, *args)`` of exported functions of one signature:
    ``self`` has ``_function_instance`` and ``_label`` (:class:`wasmem.Function`)."""
    return _compiled(("export", params, results), export_call_source(params, results))


COMMON_EXPORTS = (("", ""), ("", "i"), ("i", ""), ("i", "i"), ("ii", ""), ("ii", "i"),
                  ("iii", "i"), ("i", "F"))
"""Export signatures (shapes of :func:`_shape`) whose ``__call__`` is committed, written by
``python -m wasmem.exec.boundary_regenerate`` into :mod:`.boundary_common` (compiling
one costs about 0.45 ms at a process's first call of that signature)."""


def committed_export_name(params: str, results: str) -> str:
    """The name of the committed ``__call__`` of a signature of :data:`COMMON_EXPORTS`."""
    return f"export__{params}__{results}"


def _committed_export(params: str, results: str, types: Sequence[ValType]) -> Any:
    """The ``__call__`` of a :data:`COMMON_EXPORTS` signature from its committed code, bound
    as :func:`_bind` binds a compiled one, or None (another signature, or the module
    missing: then it is compiled)."""
    if (params, results) not in COMMON_EXPORTS:
        return None
    return _committed_entry(_exports_module, committed_export_name(params, results),
                            "__call__", T=types)


def _exports_module() -> Any:
    from . import boundary_common
    return boundary_common


def export_call_source(params: str, results: str) -> str:
    """The source of the ``__call__(self, *args)`` of exported functions of one signature
    (:func:`export_call`; ``params`` and ``results`` as :func:`_shape` writes them)."""
    names = [f"a{k}" for k in range(len(params))]
    call = f"function.call({', '.join(names)})"
    source = ("def __call__(self, *args):\n"
              f"    if len(args) != {len(params)}:\n"
              "        function = self._function_instance\n"
              "        raise arity_error(self._label or function.name, function.type, len(args))\n")
    if names:
        source += f"    {', '.join(names)}{',' if len(names) == 1 else ''} = args\n"
    for k, (code, a) in enumerate(zip(params, names)):
        source += _TO_INTERNAL[code].format(a=a, k=k)
    source += "    function = self._function_instance\n"
    source += _ENTRY_BODY.format(call=call)
    if not results:
        source += "    return None\n"
    elif len(results) == 1:
        source += f"    return {_to_host(results, 'result')}\n"
    else:
        values = ", ".join(_to_host(c, f"result[{k}]") for k, c in enumerate(results))
        source += f"    return ({values})\n"
    return source


_export_calls: dict[FuncType, Callable[..., Any]] = {}


def export_call(key: FuncType) -> Callable[..., Any]:
    """A ``__call__(self, *args)`` method calling ``self._function_instance`` (of closed
    type ``key``) with host values and returning host values, as :func:`invoke` does,
    with the conversions for ``key``'s types written inline (generated once per
    signature).

    The method raises what :func:`invoke` raises: InvocationError (wrong number or type
    of arguments, naming ``self._label``), Trap.
    """
    method = _export_calls.get(key)
    if method is None:
        if len(_export_calls) > 4096:  # closed types of many modules: keep it bounded
            _export_calls.clear()
        params, results = _shape(key.params), _shape(key.results)
        method = _committed_export(params, results, key.params)
        if method is None:
            method = _bind(_export_call_code(params, results), "__call__", T=key.params)
        _export_calls[key] = method
    return method


_INVOKE_RAW_SOURCE = ("def invoke_raw(function, args):\n"
                      "    if len(args) != len(function.type.params):\n"
                      "        raise arity_error(function.name, function.type, len(args))\n"
                      + _ENTRY_BODY.format(call="function.call(*args)")
                      + "    return _raw_results(function, result)\n")

_invoke_raw_entry: Callable[[FunctionInstance, Sequence[Any]], Any] | None = None
"""The compiled entry of :func:`invoke_raw`, made at its first call (compiling it costs
half a millisecond that a process calling only exports never needs)."""


def invoke_raw(function: FunctionInstance, args: Sequence[Any]) -> Any:
    """Call ``function`` with internal values; return None, one value or a tuple.

    Internal values: an i32 or i64 result of translated code may be a Python bool (a
    comparison's value; ``True == 1``); the public calls (``instance.exports.f(...)``)
    and :class:`wasmem.UncaughtException`'s payload give ``int``.

    Raises:
        InvocationError: wrong number of arguments.
        Trap: any trap (including FuelExhausted, Exhaustion, UncaughtException).
        WasmError: other wasmem errors raised by host functions.
    """
    global _invoke_raw_entry
    entry = _invoke_raw_entry
    if entry is None:
        entry = _invoke_raw_entry = _bind(
            _compiled(("invoke_raw", "", ""), _INVOKE_RAW_SOURCE), "invoke_raw")
    return entry(function, args)
