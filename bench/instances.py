"""Runs 1..N of one program in one process, a new instance per run: CPU time per run, and
(wasmem) what each run translated and decoded for the interpreter.

Each run is ``Instance(Module(data)).exports[EXPORT](ARG)`` (``--one``: one ``Module``
for every run; pwasm: ``instantiate(decode_module(data))``). Run 1 is timed from before
``import`` (import, load, instantiation and the call); later runs start after a
``gc.collect()``. Caches are as the environment says (``WASMEM_CACHE_DIR=""`` and
``PWASM_CACHE_DIR=""`` for cold runs). Prints one JSON line: per run ``[ms, result]``,
and for wasmem a third item, what the run did: ``new`` translations (count ``new_n``,
CPU ms), functions bound to a translation made before (``at_hand_n``) and functions the
interpreter decoded (``decoded_n``, CPU ms ``decoded``), the 5 slowest new translations
as ``[ms, function index]``.

Usage::

    WASMEM_CACHE_DIR="" PWASM_CACHE_DIR="" PYTHONPATH=src python bench/instances.py \\
        wasmem bench/c/realworld/cmark.wasm 2 --runs 8
"""

from __future__ import annotations

import time

START = time.process_time()

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def _instrument(stats: dict[str, Any]) -> None:
    """Count translations and the interpreter's decoding into ``stats``."""
    import wasmem.exec.interpreter as interpreter
    from wasmem.exec import tiering

    promote, bind = tiering.TieredTier.promote, tiering.TieredTier.bind_at_hand
    decode = interpreter.decode_function

    def promoting(self: Any, index: int) -> bool:
        made = (index, self.fuel) in self.compiled.codes
        began = time.process_time()
        done = promote(self, index)
        if not made:
            spent = time.process_time() - began
            stats["new"] = stats.get("new", 0.0) + spent
            stats["new_n"] = stats.get("new_n", 0) + 1
            stats.setdefault("top", []).append((round(spent * 1000, 1), index))
        return done

    def binding(self: Any, index: int) -> bool:
        done = bind(self, index)
        stats["at_hand_n"] = stats.get("at_hand_n", 0) + int(bool(done))
        return done

    def decoding(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        decoded = decode(*args, **kwargs)
        stats["decoded"] = stats.get("decoded", 0.0) + time.process_time() - began
        stats["decoded_n"] = stats.get("decoded_n", 0) + 1
        return decoded

    tiering.TieredTier.promote = promoting  # type: ignore[method-assign]
    tiering.TieredTier.bind_at_hand = binding  # type: ignore[method-assign]
    interpreter.decode_function = decoding


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("engine", choices=("wasmem", "pwasm"))
    parser.add_argument("wasm", type=Path)
    parser.add_argument("arg", type=int)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--export", default="run")
    parser.add_argument("--one", action="store_true", help="one Module for every run")
    options = parser.parse_args()
    data = options.wasm.read_bytes()
    stats: dict[str, Any] = {}
    if options.engine == "wasmem":
        import wasmem
        _instrument(stats)
        load, instantiate = wasmem.Module, wasmem.Instance
    else:
        import pwasm
        load, instantiate = pwasm.decode_module, pwasm.instantiate
    began, module, out = START, None, []
    for run in range(options.runs):
        if run:
            gc.collect()
            began = time.process_time()
        stats.clear()
        if module is None or not options.one:
            module = load(data)
        value = instantiate(module).exports[options.export](options.arg)
        record: list[Any] = [round((time.process_time() - began) * 1000), value]
        if options.engine == "wasmem":
            top = sorted(stats.pop("top", []), reverse=True)[:5]
            record.append({key: round(v * 1000) if isinstance(v, float) else v
                           for key, v in stats.items()} | {"top": top})
        out.append(record)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
