"""Lua 5.4 with setjmp/longjmp through host trampolines: wasmem beside pwasm.

``c/lua_sjlj/lua_sjlj.wasm`` (built by ``c/lua_sjlj/build.sh`` with clang 14's
Emscripten setjmp/longjmp lowering) runs five Lua scripts: strings, tables, closures and
recursion, objects with metatables, and errors (pcall/error in a loop: every Lua error is
a longjmp from ``env.emscripten_longjmp`` to an ``env.invoke_vii`` trampoline). Each run
is a fresh process that loads the module, instantiates it with the trampolines and calls
``run(script, n)``; the time is measured inside the process from the module's bytes to
the result (Python's and the engine's own import excluded). wasmem uses
:mod:`wasmem.emscripten`; pwasm its ``pwasm.emscripten`` helper for the ``invoke_*``
trampolines plus the LLVM 14 imports it lacks (``emscripten_longjmp``, ``setTempRet0``,
``getTempRet0``), written here against its API.

Cold: both disk caches off (``WASMEM_CACHE_DIR="" PWASM_CACHE_DIR=""``). Warm: each
engine's cache in a temporary directory, filled by one run first. Engines alternate,
medians of ``--reps`` runs; both must return the same checksum.

Usage (run it niced on a shared machine: a few minutes)::

    nice -n 10 python bench/sjlj.py [--reps 3] [--scripts 0,1,2,3,4] [--modes cold,warm]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WASM = HERE / "c" / "lua_sjlj" / "lua_sjlj.wasm"
SCRIPTS = ("strings", "tables", "closures", "objects", "errors")
SIZES = {"short": (30, 30, 6, 30, 6), "long": (1500, 1500, 300, 1500, 300)}
"""n per script: short runs add tens of ms to the Lua state's set-up, long ones about a second
(wasmem, warm)."""


def run_wasmem(data: bytes, script: int, n: int) -> tuple[int, int]:
    """Load, instantiate and run on wasmem; return (checksum, longjmps caught)."""
    import wasmem
    from wasmem.emscripten import instantiate
    instance = instantiate(wasmem.Module(data))
    result = instance.exports.run(script, n) & 0xFFFFFFFF
    return result, instance.emscripten.longjmps  # type: ignore[attr-defined]


def run_pwasm(data: bytes, script: int, n: int) -> tuple[int, int]:
    """Load, instantiate and run on pwasm; return (checksum, longjmps caught)."""
    import pwasm
    from pwasm.emscripten import EmscriptenSjLj, LongjmpUnwind
    from pwasm.executor import execute
    from pwasm.runtime import HostFunction

    module = pwasm.decode_module(data)
    sjlj = EmscriptenSjLj()
    env: dict[str, Any] = dict(sjlj.imports(module))
    temp = [0]
    box: dict[str, Any] = {}

    def longjmp(target: int, value: int) -> None:  # LLVM 14's import
        execute(box["setThrew"], [target, value])
        sjlj.unwinds += 1
        raise LongjmpUnwind()

    def set_temp(value: int) -> None:
        temp[0] = value

    def get_temp() -> int:
        return temp[0]

    extra = {"emscripten_longjmp": longjmp, "setTempRet0": set_temp, "getTempRet0": get_temp}
    for imp in module.imports:
        if imp.module == "env" and imp.name in extra:
            env[imp.name] = HostFunction(module.types[imp.desc], extra[imp.name], raw=True)
    instance = pwasm.instantiate(module, {"env": env})
    sjlj.bind(instance)
    box["setThrew"] = instance.exports["setThrew"].func
    result = instance.exports["run"](script, n) & 0xFFFFFFFF
    return result, sjlj.unwinds


def child(engine: str, script: int, n: int) -> None:
    """One timed run in this process; prints a JSON line."""
    runner = run_wasmem if engine == "wasmem" else run_pwasm
    if engine == "wasmem":
        import wasmem  # noqa: F401  (imports are not timed)
    else:
        import pwasm  # noqa: F401
    data = WASM.read_bytes()
    start = time.perf_counter()
    checksum, longjmps = runner(data, script, n)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "checksum": checksum, "longjmps": longjmps}))


def measure(engine: str, script: int, n: int, env: dict[str, str]) -> dict[str, Any]:
    """Run one child process; return its JSON answer."""
    out = subprocess.run([sys.executable, __file__, "--child", engine, str(script), str(n)],
                         env=env, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"{engine} failed on script {script} n={n}:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--scripts", default=",".join(str(k) for k in range(len(SCRIPTS))))
    parser.add_argument("--sizes", default="short,long")
    parser.add_argument("--modes", default="cold,warm")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "SCRIPT", "N"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    engines = ("wasmem", "pwasm")
    scripts = [int(k) for k in args.scripts.split(",")]
    print(f"{'script':<10}{'size':<7}{'mode':<6}{'n':>6}{'longjmps':>9}"
          f"{'wasmem s':>10}{'pwasm s':>10}{'x pwasm':>9}")
    ratios: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as cache:
        for mode in args.modes.split(","):
            env = dict(os.environ)
            if mode == "cold":
                env.update(WASMEM_CACHE_DIR="", PWASM_CACHE_DIR="")
            else:
                env.update(WASMEM_CACHE_DIR=os.path.join(cache, "wasmem"),
                           PWASM_CACHE_DIR=os.path.join(cache, "pwasm"))
                for engine in engines:  # fill the caches
                    measure(engine, 0, 1, env)
            for size in args.sizes.split(","):
                for script in scripts:
                    n = SIZES[size][script]
                    times: dict[str, list[float]] = {e: [] for e in engines}
                    answers: dict[str, Any] = {}
                    for _ in range(args.reps):
                        for engine in engines:  # interleaved
                            answer = measure(engine, script, n, env)
                            times[engine].append(answer["seconds"])
                            answers[engine] = answer
                    if answers["wasmem"]["checksum"] != answers["pwasm"]["checksum"]:
                        raise SystemExit(f"checksums differ on {SCRIPTS[script]}: {answers}")
                    medians = {e: statistics.median(t) for e, t in times.items()}
                    ratio = medians["pwasm"] / medians["wasmem"]
                    ratios.setdefault(f"{mode} {size}", []).append(ratio)
                    print(f"{SCRIPTS[script]:<10}{size:<7}{mode:<6}{n:>6}"
                          f"{answers['wasmem']['longjmps']:>9}{medians['wasmem']:>10.3f}"
                          f"{medians['pwasm']:>10.3f}{ratio:>8.2f}x", flush=True)
    for key, values in ratios.items():
        print(f"geomean {key}: {statistics.geometric_mean(values):.2f}x pwasm")


if __name__ == "__main__":
    main()
