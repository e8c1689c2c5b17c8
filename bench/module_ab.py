"""``Module(bytes)`` CPU time of two wasmem trees in one process, alternated, with pwasm's
``decode_module`` beside them.

The reference tree's copies of ``load/encoded.py`` and ``valid/code.py`` (the fused
validator and the per-function set-up) are loaded next to this process's own, and each
``Module()`` uses one pair or the other, alternating in order from round to round, the
validated-modules memory cleared before each load (a cold load: every body validated).
Alternating in one process keeps the machine's load out of the ratio better than
separate processes do. Times are CPU time, medians over the rounds.

Usage::

    python -m compileall -q src && PYTHONPATH=src python bench/module_ab.py \\
        --reference ../main/src --rounds 9 module.wasm ...

Only those two files are swapped: a change elsewhere is in both columns.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pwasm

import wasmem
import wasmem.load.binary as load_binary
import wasmem.valid.module as valid_module
from wasmem.load import cached
from wasmem.load import encoded as own_encoded
from wasmem.valid import code as own_code


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _time_module(pair: tuple[Any, Any], data: bytes) -> float:
    encoded, code = pair
    load_binary.check_encoded_body = encoded.check_encoded_body  # type: ignore[attr-defined]
    valid_module.validate_function = code.validate_function  # type: ignore[attr-defined]
    cached.forget_validated()
    start = time.process_time()
    wasmem.Module(data, cache_dir="")
    return time.process_time() - start


def _time_pwasm(data: bytes) -> float:
    start = time.process_time()
    pwasm.decode_module(data)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, required=True,
                        help="the other tree's src directory")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("modules", type=Path, nargs="+")
    args = parser.parse_args()
    reference = (_load(args.reference / "wasmem" / "load" / "encoded.py",
                       "wasmem.load.encoded_reference"),
                 _load(args.reference / "wasmem" / "valid" / "code.py",
                       "wasmem.valid.code_reference"))
    pairs = (reference, (own_encoded, own_code))
    datas = [path.read_bytes() for path in args.modules]
    times: list[tuple[list[float], list[float], list[float]]] = [
        ([], [], []) for _ in datas]
    for data in datas:  # one uncounted load each
        _time_module(pairs[0], data)
        _time_module(pairs[1], data)
        _time_pwasm(data)
    for round_ in range(args.rounds):
        for data, (first, second, peer) in zip(datas, times):
            if round_ % 2:
                second.append(_time_module(pairs[1], data))
                first.append(_time_module(pairs[0], data))
            else:
                first.append(_time_module(pairs[0], data))
                second.append(_time_module(pairs[1], data))
            peer.append(_time_pwasm(data))
    print("| module | KB | reference ms | this tree ms | reference / this | pwasm ms "
          "| pwasm / reference | pwasm / this |")
    print("| --- | --: | --: | --: | --: | --: | --: | --: |")
    speedups = []
    for path, data, columns in zip(args.modules, datas, times):
        ref, own, peer = (statistics.median(column) * 1000 for column in columns)
        speedups.append(ref / own)
        print(f"| {path.stem} | {len(data) / 1024:.1f} | {ref:.2f} | {own:.2f} "
              f"| {ref / own:.2f} | {peer:.2f} | {peer / ref:.3f} | {peer / own:.3f} |")
    print(f"geomean reference / this: {statistics.geometric_mean(speedups):.3f}")


if __name__ == "__main__":
    main()
