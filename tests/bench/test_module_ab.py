"""Smoke tests of ``bench/module_ab.py`` (two wasmem trees' ``Module()`` alternated in one
process, pwasm beside them) and of the dropped prototype ``bench/validate_runs.py``
(whole bodies checked with C-speed tools): each prints its table; the prototype never
accepts a body the exact validator rejects. No timing is asserted (the numbers live in
``bench/STARTUP.md``)."""

from __future__ import annotations

import importlib.util
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import wasmem
from wasmem.binary import decode_module
from wasmem.valid import validate_module

ROOT = Path(__file__).resolve().parents[2]
COMPILED = ROOT / "bench" / "c" / "independent"


def _run(script: str, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args], capture_output=True,
        text=True, env=env, timeout=300, check=True).stdout


def test_module_ab_prints_both_trees_and_pwasm() -> None:
    pytest.importorskip("pwasm")
    out = _run("module_ab.py", "--reference", str(ROOT / "src"), "--rounds", "2",
               str(COMPILED / "hashes.wasm"), str(COMPILED / "lz.wasm"))
    for name in ("hashes", "lz"):
        assert re.search(rf"\| {name} \| [0-9.]+ \|( [0-9.]+ \|){{6}}", out), out
    assert re.search(r"geomean reference / this: [0-9.]+", out), out


def test_validate_runs_prints_what_it_settles() -> None:
    out = _run("validate_runs.py", "--rounds", "1", str(COMPILED / "hashes.wasm"))
    assert re.search(r"\| hashes \| [0-9]+/[0-9]+ \| [0-9.]+ \|", out), out


def _prototype() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "validate_runs", ROOT / "bench" / "validate_runs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_prototype_accepts_no_invalid_mutant(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mutants of compiled C: whatever the prototype accepts, the tree validator accepts
    too (and it accepts most functions of the unmutated module)."""
    prototype = _prototype()
    import wasmem.valid.module as valid_module
    from wasmem.valid import code

    accepted: list[bool] = []
    original = code.validate_function

    def hooked(*args: object) -> None:
        def check(c: object, function: object, has_data_count: bool) -> bool:
            data, start, end = function.encoded  # type: ignore[attr-defined]
            verdict = prototype.check_runs(c, data[start:end])
            accepted.append(verdict)
            if verdict:
                return True
            raise wasmem.ValidationError("left to the exact loop")
        original(*args[:4], check)  # type: ignore[arg-type]

    data = (COMPILED / "hashes.wasm").read_bytes()
    monkeypatch.setattr(valid_module, "validate_function", hooked)
    validate_module(decode_module(data, lazy_bodies=True))
    assert sum(accepted) >= len(accepted) * 0.9, accepted
    functions = decode_module(data, lazy_bodies=True).functions
    start = min(f.encoded[1] for f in functions)  # type: ignore[attr-defined]
    end = max(f.encoded[2] for f in functions)  # type: ignore[attr-defined]
    rng = random.Random(7)
    both = 0
    for _ in range(150):
        mutated = bytearray(data)
        position = rng.randrange(start, end)
        mutated[position] = rng.choice([0x00, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B, 0x20, 0x21,
                                        0x41, 0x42, 0x6A, 0x7C, rng.randrange(256)])
        try:
            module = decode_module(bytes(mutated), lazy_bodies=True)
        except wasmem.WasmError:
            continue
        monkeypatch.setattr(valid_module, "validate_function", hooked)
        try:
            validate_module(module)
            prototype_valid = True
        except wasmem.WasmError:
            prototype_valid = False
        monkeypatch.setattr(valid_module, "validate_function", original)
        if prototype_valid:
            validate_module(decode_module(bytes(mutated)))  # must not raise
            both += 1
    assert both > 5, both
