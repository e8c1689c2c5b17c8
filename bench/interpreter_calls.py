"""What the interpreter costs per call and per loop iteration, on the interpreter alone
(``tier="interpret"``), and the interpreted run of a few programs.

    PYTHONPATH=src python bench/interpreter_calls.py [REPEATS [ITERATIONS]]

Prints, in microseconds of CPU time (the minimum of REPEATS runs, default 7, of
ITERATIONS calls or iterations, default 100,000): an
interpreted call of a one-operator function from an interpreted loop (the loop's own
iteration subtracted), an iteration of a five-operator loop with a rotation in it, a
call of naive ``fib`` (``bench/workloads/fib.wat``); then the milliseconds of CPU time of
whole interpreted runs of ``bench/c/independent`` programs (a fresh module and instance
each). Results: ``bench/interpreter.md``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import wasmem

HERE = Path(__file__).resolve().parent

LOOPS = """(module
  (func $add1 (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "calls") (param $n i32) (result i32) (local $s i32)
    (block $b (loop $l
      (br_if $b (i32.eqz (local.get $n)))
      (local.set $s (call $add1 (local.get $s)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "plain") (param $n i32) (result i32) (local $s i32)
    (block $b (loop $l
      (br_if $b (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "rotate") (param $n i32) (result i32) (local $s i32)
    (block $b (loop $l
      (br_if $b (i32.eqz (local.get $n)))
      (local.set $s (i32.xor (i32.rotl (local.get $s) (i32.const 5)) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s)))"""

PROGRAMS = (("recur", 4), ("fnptr", 20), ("calc", 4), ("json", 18), ("lists", 3))


def _best(call: Any, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return min(times)


def main(argv: list[str]) -> None:
    """Print the measurements (``argv``: repeats, iterations)."""
    repeats = int(argv[0]) if argv else 7
    n = int(argv[1]) if len(argv) > 1 else 100_000
    loops = wasmem.Instance(wasmem.Module(LOOPS), tier="interpret").exports
    fib = wasmem.Instance(wasmem.Module((HERE / "workloads" / "fib.wat").read_text()),
                          tier="interpret").exports
    fib_export = next(iter(fib))
    calls = _best(lambda: loops["calls"](n), repeats)
    plain = _best(lambda: loops["plain"](n), repeats)
    rotate = _best(lambda: loops["rotate"](n), repeats)
    fib_time = _best(lambda: fib[fib_export](20), repeats)
    print(f"interpreted call (loop's iteration subtracted): {(calls - plain) / n * 1e6:.3f} us")
    print(f"loop iteration: {plain / n * 1e6:.3f} us; with a rotation: {rotate / n * 1e6:.3f} us")
    print(f"fib call: {fib_time / 21891 * 1e6:.3f} us")
    for name, arg in PROGRAMS:
        binary = (HERE / "c" / "independent" / f"{name}.wasm").read_bytes()

        def run(binary: bytes = binary, arg: int = arg) -> None:
            wasmem.Instance(wasmem.Module(binary), tier="interpret").exports["run"](arg)
        print(f"{name}({arg}) interpreted: {_best(run, max(3, repeats // 2)) * 1000:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
