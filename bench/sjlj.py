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

Python's bytecode cache is on for both (``PYTHONPYCACHEPREFIX`` in a temporary directory,
filled by a first run). Cold: both engines' disk caches off (``WASMEM_CACHE_DIR=""
PWASM_CACHE_DIR=""``). Warm: each engine's cache in a temporary directory, filled by one
run first. Engines alternate,
medians of ``--reps`` runs of the process's CPU time (``--clock seconds``: wall-clock time);
both must return the same checksum.

``--unwind CALLS`` times instead what one longjmp costs: a host function raises, the
exception unwinds 0, 4 or 16 wasm frames to a Python trampoline that catches it (best of
five runs of CALLS longjmps each, CPU time): wasmem with :mod:`wasmem.emscripten`
("builtin") and with trampolines written on its public API, a plain exception wrapped in a
Trap on its way ("handwritten", what an embedder wrote before), pwasm with
``pwasm.emscripten``.

Usage (run it niced on a shared machine: a few minutes)::

    nice -n 10 python bench/sjlj.py [--reps 3] [--scripts 0,1,2,3,4] [--modes cold,warm]
    nice -n 10 python bench/sjlj.py --unwind 5000
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


class Jump(Exception):
    """The hand-written trampolines' longjmp (a plain Python exception)."""


def run_wasmem_handwritten(data: bytes, script: int, n: int) -> tuple[int, int]:
    """As :func:`run_wasmem`, with the trampolines an embedder writes against the public
    API without :mod:`wasmem.emscripten` (the way before it existed): ``wasmem.Function``
    host functions, a plain exception for the longjmp (wrapped in a Trap on its way)."""
    import wasmem
    from wasmem.syntax.types import I32
    module = wasmem.Module(data)
    box: dict[str, Any] = {}
    temp = [0]
    caught = [0]

    def make_invoke(arity: int) -> Any:
        def invoke(index: int, *args: int) -> int | None:
            saved = box["sp"].value
            try:
                return box["table"][index](*args)  # type: ignore[no-any-return]
            except wasmem.Trap as trap:
                if not isinstance(trap.__cause__, Jump):
                    raise
                caught[0] += 1
                box["sp"].value = saved
                box["setThrew"](1, 0)
                return 0 if arity else None
        return invoke

    def longjmp(target: int, value: int) -> None:
        box["setThrew"](target, value)
        raise Jump()

    env: dict[str, Any] = {
        "emscripten_longjmp": wasmem.Function(longjmp, [I32, I32], []),
        "setTempRet0": wasmem.Function(lambda v: temp.__setitem__(0, v), [I32], []),
        "getTempRet0": wasmem.Function(lambda: temp[0], [], [I32])}
    for imp in module.ast.imports:
        if imp.module == "env" and imp.name.startswith("invoke_"):
            ft = module.ast.types[imp.desc]  # type: ignore[index]
            env[imp.name] = wasmem.Function(make_invoke(len(ft.results)), ft.params,
                                            ft.results)
    instance = wasmem.Instance(module, {"env": env})
    exports = instance.exports
    box.update(sp=exports["__stack_pointer"], table=exports["__indirect_function_table"],
               setThrew=exports["setThrew"])
    result = exports.run(script, n) & 0xFFFFFFFF
    return result, caught[0]


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

    extra: dict[str, Any] = {"emscripten_longjmp": longjmp, "setTempRet0": set_temp,
                             "getTempRet0": get_temp}
    for imp in module.imports:
        if imp.module == "env" and imp.name in extra:
            env[imp.name] = HostFunction(module.types[imp.desc], extra[imp.name], raw=True)
    instance = pwasm.instantiate(module, {"env": env})
    sjlj.bind(instance)
    box["setThrew"] = instance.exports["setThrew"].func
    result = instance.exports["run"](script, n) & 0xFFFFFFFF
    return result, sjlj.unwinds


def _unwind_text(depth: int) -> str:
    """An Emscripten-style module whose ``run(n)`` calls ``invoke_v(1)`` n times; table
    element 1 calls ``depth`` more wasm functions, the last of which longjmps
    (``_emscripten_throw_longjmp``)."""
    chain = "".join(f"(func $f{k} (call $f{k + 1}))" for k in range(depth))
    return f"""(module
  (import "env" "invoke_v" (func $invoke (param i32)))
  (import "env" "_emscripten_throw_longjmp" (func $throw))
  (memory 1)
  (global (export "__stack_pointer") (mut i32) (i32.const 1024))
  (table (export "__indirect_function_table") 2 funcref) (elem (i32.const 1) $f0)
  (func (export "setThrew") (param i32 i32))
  {chain}(func $f{depth} (call $throw))
  (func (export "run") (param $n i32)
    (loop $l (call $invoke (i32.const 1))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))"""


def unwind_wasmem(depth: int, calls: int, style: str) -> float:
    """Microseconds per longjmp (host exception -> wasm frames -> trampoline) on wasmem:
    ``style`` "builtin" with :mod:`wasmem.emscripten`, "handwritten" with trampolines
    written on the public API (a plain exception, wrapped in a Trap on its way)."""
    import wasmem
    from wasmem.emscripten import instantiate
    from wasmem.syntax.types import I32
    module = wasmem.Module(_unwind_text(depth), cache_dir=False)
    if style == "builtin":
        return _per_call(instantiate(module).exports.run, calls)
    box: dict[str, Any] = {}

    def throw() -> None:
        raise Jump()

    def invoke(index: int) -> None:
        saved = box["sp"].value
        try:
            box["table"][index]()
        except wasmem.Trap as trap:
            if not isinstance(trap.__cause__, Jump):
                raise
            box["sp"].value = saved
            box["setThrew"](1, 0)

    instance = wasmem.Instance(module, {"env": {
        "_emscripten_throw_longjmp": wasmem.Function(throw, [], []),
        "invoke_v": wasmem.Function(invoke, [I32], [])}})
    exports = instance.exports
    box.update(sp=exports["__stack_pointer"], table=exports["__indirect_function_table"],
               setThrew=exports["setThrew"])
    return _per_call(exports.run, calls)


def unwind_pwasm(depth: int, calls: int) -> float:
    """As :func:`unwind_wasmem`, on pwasm with its ``pwasm.emscripten`` helper."""
    import pwasm
    import wasmem
    from pwasm.emscripten import EmscriptenSjLj
    module = pwasm.decode_module(wasmem.Module(_unwind_text(depth), cache_dir=False).to_bytes())
    sjlj = EmscriptenSjLj()
    instance = pwasm.instantiate(module, {"env": sjlj.imports(module)})
    sjlj.bind(instance)
    return _per_call(instance.exports["run"], calls)


def _per_call(run: Any, calls: int) -> float:
    """Best of five timings of ``run(calls)``, in microseconds per call."""
    run(100)
    best = min(_timed(run, calls) for _ in range(5))
    return best / calls * 1e6


def _timed(run: Any, calls: int) -> float:
    """The CPU time of ``run(calls)`` in this process, in seconds."""
    start = time.process_time()
    run(calls)
    return time.process_time() - start


def unwind_table(calls: int) -> None:
    """Print the microbenchmark of one longjmp, by wasm depth."""
    print(f"{'depth':>5}{'builtin us':>12}{'handwritten us':>16}{'pwasm us':>10}"
          f"{'builtin x pwasm':>17}{'handwritten x pwasm':>21}")
    for depth in (0, 4, 16):
        times: dict[str, list[float]] = {"builtin": [], "handwritten": [], "pwasm": []}
        for _ in range(3):  # alternating
            times["builtin"].append(unwind_wasmem(depth, calls, "builtin"))
            times["handwritten"].append(unwind_wasmem(depth, calls, "handwritten"))
            times["pwasm"].append(unwind_pwasm(depth, calls))
        best = {k: min(v) for k, v in times.items()}
        print(f"{depth:>5}{best['builtin']:>12.2f}{best['handwritten']:>16.2f}"
              f"{best['pwasm']:>10.2f}{best['pwasm'] / best['builtin']:>16.2f}x"
              f"{best['pwasm'] / best['handwritten']:>20.2f}x", flush=True)


def child(engine: str, script: int, n: int) -> None:
    """One timed run in this process; prints a JSON line."""
    runner = RUNNERS[engine]
    if engine.startswith("wasmem"):
        import wasmem  # noqa: F401  (imports are not timed)
    else:
        import pwasm  # noqa: F401
    data = WASM.read_bytes()
    start, cpu = time.perf_counter(), time.process_time()
    checksum, longjmps = runner(data, script, n)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "checksum": checksum,
                      "longjmps": longjmps}))


RUNNERS = {"wasmem": run_wasmem, "pwasm": run_pwasm, "wasmem-handwritten": run_wasmem_handwritten}


def measure(engine: str, script: int, n: int, env: dict[str, str]) -> dict[str, Any]:
    """Run one child process; return its JSON answer."""
    out = subprocess.run([sys.executable, __file__, "--child", engine, str(script), str(n)],
                         env=env, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"{engine} failed on script {script} n={n}:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _width(engine: str) -> int:
    """The width of an engine's column."""
    return max(10, len(engine) + 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--scripts", default=",".join(str(k) for k in range(len(SCRIPTS))))
    parser.add_argument("--sizes", default="short,long")
    parser.add_argument("--modes", default="cold,warm")
    parser.add_argument("--engines", default="wasmem,pwasm",
                        help="pwasm and any of wasmem, wasmem-handwritten")
    parser.add_argument("--unwind", type=int, metavar="CALLS", default=0,
                        help="instead: time one longjmp through wasm frames (CALLS each)")
    parser.add_argument("--clock", choices=("cpu", "seconds"), default="cpu",
                        help="the time compared: the process's CPU time (default: steadier on "
                             "a shared machine) or wall-clock seconds")
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "SCRIPT", "N"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    if args.unwind:
        unwind_table(args.unwind)
        return
    engines = [e for e in args.engines.split(",") if e != "pwasm"] + ["pwasm"]
    ours = engines[:-1]
    scripts = [int(k) for k in args.scripts.split(",")]
    print(f"{'script':<10}{'size':<7}{'mode':<6}{'n':>6}{'longjmps':>9}"
          + "".join(f"{e + ' s':>{_width(e)}}" for e in engines)
          + "".join(f"{'x pwasm':>9}" for _ in ours))
    ratios: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as cache:
        for mode in args.modes.split(","):
            env = dict(os.environ)
            # Python's own bytecode cache on for both engines, as users have it (pwasm's is
            # written at install time; this checkout's would otherwise be compiled anew in
            # every process, inside the timed region for the modules imported lazily)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = os.path.join(cache, "pycache")
            if mode == "cold":
                env.update(WASMEM_CACHE_DIR="", PWASM_CACHE_DIR="")
                for engine in engines:  # Python's bytecode only
                    measure(engine, 0, 1, env)
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
                    for rep in range(args.reps):
                        for engine in engines[::-1] if rep % 2 else engines:  # alternating
                            answer = measure(engine, script, n, env)
                            times[engine].append(answer[args.clock])
                            answers[engine] = answer
                    if len({a["checksum"] for a in answers.values()}) != 1:
                        raise SystemExit(f"checksums differ on {SCRIPTS[script]}: {answers}")
                    medians = {e: statistics.median(t) for e, t in times.items()}
                    line = (f"{SCRIPTS[script]:<10}{size:<7}{mode:<6}{n:>6}"
                            f"{answers['pwasm']['longjmps']:>9}"
                            + "".join(f"{medians[e]:>{_width(e)}.3f}" for e in engines))
                    for engine in ours:
                        ratio = medians["pwasm"] / medians[engine]
                        ratios.setdefault(f"{engine} {mode} {size}", []).append(ratio)
                        line += f"{ratio:>8.2f}x"
                    print(line, flush=True)
    for key, values in ratios.items():
        print(f"geomean {key}: {statistics.geometric_mean(values):.2f}x pwasm")


if __name__ == "__main__":
    main()
