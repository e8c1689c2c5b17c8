"""How much of a cold run goes to decoding functions for the interpreter.

    PYTHONPATH=src python bench/decode_in_runs.py FILE.wasm N [REPS]

Runs the export ``run(N)`` of FILE (a compiled program of ``bench/c/programs``) with a
fresh module and instance each time and no disk cache (a cold run, as ``sidebyside.py``
measures them: one uncounted run first, so imports are done; the modules loaded before are
forgotten before each run, as ``benchlib/engines.py`` does for cold cells), and prints the
median CPU time (process_time) of the whole run and of the interpreter's decoding in it
(:func:`wasmem.exec.interpreter.decode_function`, every function the run calls first on
the interpreter). Compare two source trees by alternating ``PYTHONPATH``. Results:
``bench/tiering.md``, section "Interpreter decoding from the bytes". """

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

import wasmem
import wasmem.exec.interpreter as interpreter
from wasmem.load.cached import forget_validated


def measure(data: bytes, n: int, reps: int) -> tuple[float, float]:
    """Median (run, decoding) CPU milliseconds over ``reps`` cold runs of ``run(n)``."""
    spent = [0.0]
    original = interpreter.decode_function

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start

    interpreter.decode_function = timed  # type: ignore[assignment]
    runs: list[float] = []
    decoding: list[float] = []
    try:
        for rep in range(reps + 1):
            spent[0] = 0.0
            forget_validated()  # (cold, as the bench's cold cells: nothing kept from before)
            start = time.process_time()
            instance = wasmem.Instance(wasmem.Module(data, cache_dir=""))
            instance.exports["run"](n)
            if rep:  # the first run imports what the others find imported
                runs.append(time.process_time() - start)
                decoding.append(spent[0])
    finally:
        interpreter.decode_function = original
    return 1000 * statistics.median(runs), 1000 * statistics.median(decoding)


def main(argv: list[str]) -> None:
    """``argv``: FILE N [REPS] (default 3)."""
    path, n = argv[0], int(argv[1])
    reps = int(argv[2]) if len(argv) > 2 else 3
    with open(path, "rb") as f:
        data = f.read()
    run_ms, decode_ms = measure(data, n, reps)
    print(f"{path} run({n}), cold: run {run_ms:.1f} ms, decoding {decode_ms:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
