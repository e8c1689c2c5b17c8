"""Off-line fuzzing of the import bundle (``wasmem.import_bundle``; not collected by pytest).

A copy of the package (sources only) in a temporary folder records its bundle; then each
case flips 1-8 random bits of the file (the index or any module's code; ``--damage
truncate``: cuts the file short, ``splice``: copies a run of its bytes over another,
``mixed``: any of the three) and runs a fresh process that imports wasmem, loads a
module and calls it. A damaged bundle must be ignored (the damaged modules imported from
their sources): a case is a finding when the process dies (a segmentation fault), exits
with an error, or prints another result.

    nice -n 10 python3 tests/bundle_flip_offline.py --count 200
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wasmem"
PROBE = ("import wasmem\n"
         "module = wasmem.Module(bytes.fromhex('0061736d0100000001060160017f017f030201000707"
         "0103696e6300000a09010700200041016a0b'))\n"
         "print(wasmem.Instance(module).exports.inc(41))\n")


def damaged(rng: random.Random, good: bytes, damage: str) -> bytearray:
    """A copy of the bundle ``good`` damaged as ``--damage`` says."""
    data = bytearray(good)
    if damage == "mixed":
        damage = rng.choice(("flip", "truncate", "splice"))
    if damage == "truncate":
        return data[:rng.choice((0, 1, 4, 8, rng.randrange(len(data))))]
    if damage == "splice":
        size = rng.choice((1, 4, 8, 64, 4096))
        source, target = rng.randrange(len(data) - size), rng.randrange(len(data) - size)
        data[target:target + size] = data[source:source + size]
        return data
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return data


def main(argv: list[str] | None = None) -> int:
    """Run the cases; return 1 if any was a finding."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--damage", choices=("flip", "truncate", "splice", "mixed"),
                        default="flip")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    counts = {"cases": 0, "findings": 0}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "src"
        shutil.copytree(PACKAGE, root / "wasmem", ignore=shutil.ignore_patterns("__pycache__"))
        env = {**os.environ, "PYTHONPATH": str(root), "WASMEM_CACHE_DIR": "",
               "PYTHONPYCACHEPREFIX": str(Path(folder) / "pyc")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)

        def run() -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                                  text=True, timeout=300, check=False)

        run()  # records the bundle
        bundle = next((Path(folder) / "pyc").rglob("wasmem-bundle.*.bin"))
        good = bundle.read_bytes()
        for case in range(args.count):
            data = damaged(rng, good, args.damage)
            bundle.write_bytes(bytes(data))
            done = run()
            counts["cases"] += 1
            if done.returncode != 0 or done.stdout.strip() != "42":
                counts["findings"] += 1
                print(f"case {case}: status {done.returncode}: {done.stderr[-400:]!r}",
                      flush=True)
    print(json.dumps(counts))
    return 1 if counts["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
