"""What preparing functions for the interpreter costs: decode every defined function of a
module, then make the closures all instances share, and count what stays alive.

    PYTHONPATH=src python bench/interpreter_decode.py FILE.wasm [REPEATS]

Prints, for one fresh ``Module``: the CPU time of decoding every function straight from
its bytes (:mod:`wasmem.exec.interpreter.stream`, what a run does; the minimum of REPEATS
runs, with the cyclic collector on), then of the tree's path: decoding the bodies from the
binary (``function.body``, done once) and the interpreter's decoder walking the trees (the
minimum of REPEATS runs), making the shared closures, and how many GC-tracked objects each
step leaves alive (each full collection walks them).
Results: ``bench/tiering.md``, section "Interpreter decoding".
"""

from __future__ import annotations

import gc
import sys
import time

import wasmem
from wasmem.exec.interpreter import InterpretedModule, decode_function
from wasmem.exec.interpreter.stream import StreamDecoder


def _tracked() -> int:
    gc.collect()
    return len(gc.get_objects())


def main(argv: list[str]) -> None:
    """Measure ``argv[0]`` (a .wasm file), ``argv[1]`` repeats of the decoder (default 5)."""
    path = argv[0]
    repeats = int(argv[1]) if len(argv) > 1 else 5
    with open(path, "rb") as f:
        module = wasmem.Module(f.read()).ast
    interpreted = InterpretedModule.of(module)
    info = interpreted.info
    indices = range(info.imported_functions, info.imported_functions + len(module.functions))
    start_objects = _tracked()
    clock = time.process_time
    stream_ms = []
    for _ in range(repeats):  # from the bytes: the bodies stay encoded
        t0 = clock()
        for index in indices:
            StreamDecoder(info, index, False).decode()
        stream_ms.append(1000 * (clock() - t0))
    stream_objects = _tracked()
    t0 = clock()
    for function in module.functions:
        function.body  # noqa: B018 - decoded from the binary on first use
    body_ms = 1000 * (clock() - t0)
    body_objects = _tracked()
    decoder_ms = []
    for _ in range(repeats):
        t0 = clock()
        for index in indices:
            decode_function(info, index, fuel=False)
        decoder_ms.append(1000 * (clock() - t0))
    for index in indices:
        interpreted.function(index, False)
    decoded_objects = _tracked()
    t0 = clock()
    for index in indices:
        interpreted.shared_closures(index, False)
    shared_ms = 1000 * (clock() - t0)
    shared_objects = _tracked()
    print(f"{path}: {len(indices)} functions; from the bytes {min(stream_ms):.0f} ms "
          f"({stream_objects - start_objects:+d} objects, no tree); tree: "
          f"bodies {body_ms:.0f} ms "
          f"({body_objects - start_objects:+d} objects), decoder {min(decoder_ms):.0f} ms "
          f"({decoded_objects - body_objects:+d}), shared closures {shared_ms:.0f} ms "
          f"({shared_objects - decoded_objects:+d})")


if __name__ == "__main__":
    main(sys.argv[1:])
