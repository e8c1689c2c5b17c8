"""What a crossing between Python and WebAssembly costs, wasmem beside pwasm.

Four kinds of crossing, each timed in microseconds per crossing (median of interleaved
repetitions, engines alternating)::

    a  Python calls an export (0-4 arguments of i32/i64/f32/f64), as a loop over
       ``instance.exports.NAME(...)`` and over a reference looked up once
    b  wasm calls an imported Python function (same signatures), in a wasm loop
    c  a round trip import -> export, as emscripten's ``invoke_*`` setjmp/longjmp
       trampolines make: wasm calls the host, which calls back into an export
    d  WASI calls from a wasm loop (fd_write of one byte, clock_time_get, random_get,
       args_sizes_get), and a C program (``hostcall/hostcalls.c``) whose every
       iteration makes four small WASI calls (two fd_write, clock_time_get,
       random_get) besides printf's own work: per iteration, the program's
       instantiation and start-up (timed with 0 iterations) subtracted

Usage (bounded: a few seconds per row; run it niced on a shared machine)::

    nice -n 10 python bench/hostcall.py [--reps 7] [--calls 20000] [--engines wasmem,pwasm]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STARTUP = "   (WASI program with 0 iterations, us)"
TYPES = ("i32", "i64", "f32", "f64")
ARITIES = (0, 1, 2, 4)


def _signatures() -> list[tuple[str, str, int]]:
    """(label, type, arity): one nullary signature, then each type at 1, 2, 4 args."""
    rows = [("0 args", "i32", 0)]
    for t in TYPES:
        for n in ARITIES[1:]:
            rows.append((f"{n} x {t}", t, n))
    return rows


def _const(t: str) -> str:
    return f"({t}.const 1)"


def module_text() -> str:
    """The benchmark module: for each signature an export ``id_T_N`` returning its first
    argument, an import ``host.T_N`` and a loop ``loop_T_N(count)`` calling that import;
    plus the trampoline pair ``invoke_ii`` (import) / ``callback`` (export)."""
    parts = ["(module"]
    for _label, t, n in _signatures():
        params = " ".join([t] * n)
        sig = f"(param {params}) (result {t})" if n else f"(result {t})"
        parts.append(f'  (import "host" "{t}_{n}" (func $h_{t}_{n} {sig}))')
    parts.append('  (import "host" "invoke_ii" (func $invoke_ii (param i32 i32) (result i32)))')
    parts.append('  (import "host" "dyncall_ii" (func $dyncall_ii (param i32 i32) (result i32)))')
    parts.append('  (import "host" "invoke_jump" (func $invoke_jump (param i32 i32) (result i32)))')
    parts.append('  (import "host" "longjmp" (func $longjmp (param i32)))')
    parts.append('  (table (export "table") 2 funcref)')
    parts.append('  (elem (i32.const 1) $callback)')
    for _label, t, n in _signatures():
        params = " ".join([t] * n)
        sig = f"(param {params}) (result {t})" if n else f"(result {t})"
        body = "(local.get 0)" if n else _const(t)
        parts.append(f'  (func (export "id_{t}_{n}") {sig} {body})')
        args = " ".join([_const(t)] * n)
        parts.append(
            f'  (func (export "loop_{t}_{n}") (param $count i32)\n'
            f'    (loop $again\n'
            f'      (drop (call $h_{t}_{n} {args}))\n'
            f'      (br_if $again (local.tee $count (i32.sub (local.get $count) (i32.const 1))))))')
    parts.append('  (func $callback (export "callback") (param i32 i32) (result i32)'
                 ' (i32.add (local.get 0) (local.get 1)))')
    parts.append('  (func (export "jumper") (param i32 i32) (result i32)'
                 ' (call $longjmp (local.get 0)) (local.get 1))')
    for name in ("invoke_ii", "dyncall_ii", "invoke_jump"):
        parts.append(
            f'  (func (export "loop_{name}") (param $count i32) (result i32) (local $sum i32)\n'
            '    (loop $again\n'
            f'      (local.set $sum (call ${name} (local.get $count) (local.get $sum)))\n'
            '      (br_if $again (local.tee $count (i32.sub (local.get $count) (i32.const 1)))))\n'
            '    (local.get $sum))')
    parts.append(")")
    return "\n".join(parts)


WASI_CALLS = {
    "fd_write": ("(param i32 i32 i32 i32) (result i32)",
                 "(call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32))"),
    "clock_time_get": ("(param i32 i64 i32) (result i32)",
                       "(call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 32))"),
    "random_get": ("(param i32 i32) (result i32)",
                   "(call $random_get (i32.const 64) (i32.const 8))"),
    "args_sizes_get": ("(param i32 i32) (result i32)",
                       "(call $args_sizes_get (i32.const 32) (i32.const 40))"),
}


def wasi_loop_text() -> str:
    """A WASI command whose ``_start`` makes ``count`` calls of each WASI function of
    :data:`WASI_CALLS` in a loop (``count`` from the global ``$count``, set through the
    export ``set_count``); fd_write writes one byte (an iovec at 16 pointing at 0)."""
    parts = ["(module"]
    for name, (sig, _call) in WASI_CALLS.items():
        parts.append(f'  (import "wasi_snapshot_preview1" "{name}" (func ${name} {sig}))')
    parts.append('  (memory (export "memory") 1)')
    parts.append('  (data (i32.const 0) "x")')
    parts.append('  (data (i32.const 16) "\\00\\00\\00\\00\\01\\00\\00\\00")')
    for name, (_sig, call) in WASI_CALLS.items():
        parts.append(
            f'  (func (export "wasi_{name}") (param $count i32)\n'
            '    (loop $again\n'
            f'      (drop {call})\n'
            '      (br_if $again (local.tee $count (i32.sub (local.get $count) (i32.const 1))))))')
    parts.append('  (func (export "_start"))')
    parts.append(")")
    return "\n".join(parts)


def _value(t: str) -> Any:
    return 1.5 if t.startswith("f") else 7


class Engine:
    """One engine's instance of the benchmark module and its WASI runner."""

    name = ""

    def exports(self) -> Any:
        raise NotImplementedError

    def wasi_load(self, data: bytes) -> Any:
        """The engine's module of ``data``, loaded once (loading is not a crossing)."""
        raise NotImplementedError

    def wasi_run(self, module: Any, argv: list[str]) -> None:
        """Instantiate ``module`` as a WASI command and run it with ``argv``."""
        raise NotImplementedError

    def wasi_exports(self, data: bytes) -> Any:
        """The exports of a WASI instance of ``data`` (output to a null sink)."""
        raise NotImplementedError


class Jump(Exception):
    """What the ``longjmp`` host function raises, unwinding to ``invoke_jump``."""


def _hosts(box: dict[str, Any]) -> dict[str, Any]:
    """The host functions: identity-like callables; ``invoke_ii`` calling back the
    ``callback`` export (looked up once, after instantiation, through ``box``);
    ``dyncall_ii`` calling the table's element 1 as emscripten's ``dynCall`` does (through
    ``box["element"]``, the engine's way); ``invoke_jump`` calling ``jumper``, which
    calls ``longjmp``, which raises: the exception unwinds to ``invoke_jump``, as a
    longjmp to the setjmp of an ``invoke_*`` trampoline does."""
    functions: dict[str, Any] = {}
    for _label, t, n in _signatures():
        functions[f"{t}_{n}"] = (lambda *args, _t=t: args[0] if args else _value(_t))

    def invoke_ii(a: int, b: int) -> int:
        return box["callback"](a, b)  # type: ignore[no-any-return]

    def dyncall_ii(a: int, b: int) -> int:
        return box["element"](1)(a, b)  # type: ignore[no-any-return]

    def invoke_jump(a: int, b: int) -> int:
        try:
            return box["jumper"](a, b)  # type: ignore[no-any-return]
        except Exception:  # the engine's trap or the Jump itself
            return b + 1

    def longjmp(a: int) -> None:
        raise Jump(a)

    functions.update(invoke_ii=invoke_ii, dyncall_ii=dyncall_ii, invoke_jump=invoke_jump,
                     longjmp=longjmp)
    return functions


class Wasmem(Engine):
    name = "wasmem"

    def __init__(self, text: str) -> None:
        import wasmem
        self.wasmem = wasmem
        box: dict[str, Any] = {}
        self.instance = wasmem.Instance(wasmem.Module(text, cache_dir=False),
                                        {"host": _hosts(box)})
        exports = self.instance.exports
        box["callback"] = exports["callback"]
        box["jumper"] = exports["jumper"]
        box["element"] = exports["table"].__getitem__  # a wasmem.Function

    def exports(self) -> Any:
        return self.instance.exports

    def wasi_load(self, data: bytes) -> Any:
        return self.wasmem.Module(data, cache_dir=False)

    def wasi_run(self, module: Any, argv: list[str]) -> None:
        from wasmem.wasi import WasiConfig
        config = WasiConfig(args=argv, stdout=io.BytesIO(), stderr=io.BytesIO())
        instance = self.wasmem.Instance(module, wasi=config)
        try:
            instance.exports["_start"]()
        except self.wasmem.Exit:
            pass

    def wasi_exports(self, data: bytes) -> Any:
        from wasmem.wasi import WasiConfig
        config = WasiConfig(args=["x"], stdout=io.BytesIO(), stderr=io.BytesIO())
        return self.wasmem.Instance(self.wasmem.Module(data, cache_dir=False),
                                    wasi=config).exports


class Pwasm(Engine):
    name = "pwasm"

    def __init__(self, text: str) -> None:
        import pwasm
        import wasmem
        self.pwasm = pwasm
        box: dict[str, Any] = {}
        data = wasmem.Module(text, cache_dir=False).to_bytes()
        self.instance = pwasm.instantiate(pwasm.decode_module(data), {"host": _hosts(box)})
        exports = self.instance.exports
        box["callback"] = exports["callback"]
        box["jumper"] = exports["jumper"]
        elements = exports["table"].elements  # pwasm's functions, called raw (entry)
        box["element"] = lambda index: elements[index].entry

    def exports(self) -> Any:
        return self.instance.exports

    def wasi_load(self, data: bytes) -> Any:
        return self.pwasm.decode_module(data)

    def wasi_run(self, module: Any, argv: list[str]) -> None:
        from pwasm.wasi import Exit, WasiLite
        wasi = WasiLite(args=argv)
        sink = io.BytesIO()
        wasi.sinks[1] = sink.write
        wasi.sinks[2] = sink.write
        instance = self.pwasm.instantiate(module, {"wasi_snapshot_preview1":
                                                   wasi.imports(module)})
        wasi.bind(instance)
        try:
            instance.exports["_start"]()
        except Exit:
            pass

    def wasi_exports(self, data: bytes) -> Any:
        from pwasm.wasi import WasiLite
        module = self.pwasm.decode_module(data)
        wasi = WasiLite(args=["x"])
        sink = io.BytesIO()
        wasi.sinks[1] = sink.write
        instance = self.pwasm.instantiate(module, {"wasi_snapshot_preview1":
                                                   wasi.imports(module)})
        wasi.bind(instance)
        return instance.exports


def _time(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


Rows = dict[str, tuple[Callable[[], Any], int]]


def cases(engine: Engine, calls: int, wasi_iterations: int) -> Rows:
    """Each row: a callable doing ``count`` crossings, and ``count``."""
    exports = engine.exports()
    rows: dict[str, tuple[Callable[[], Any], int]] = {}
    for label, t, n in _signatures():
        name = f"id_{t}_{n}"
        args = tuple(_value(t) for _ in range(n))
        function = exports[name]

        def by_reference(f: Any = function, a: tuple[Any, ...] = args) -> None:
            for _ in range(calls):
                f(*a)

        rows[f"a  export, ref, {label}"] = (by_reference, calls)
        if n in (0, 2):
            def by_attribute(e: Any = exports, nm: str = name, a: tuple[Any, ...] = args) -> None:
                get = e.__getitem__
                for _ in range(calls):
                    get(nm)(*a)
            rows[f"a  export, exports[name](), {label}"] = (by_attribute, calls)
        loop = exports[f"loop_{t}_{n}"]
        rows[f"b  import from wasm, {label}"] = (lambda f=loop: f(calls), calls)
    for name, label in (("invoke_ii", "c  import -> export round trip"),
                        ("dyncall_ii", "c  import -> table element round trip"),
                        ("invoke_jump", "c  round trip, host exception unwinds wasm")):
        rows[label] = (lambda f=exports[f"loop_{name}"]: f(calls), calls)
    import wasmem
    wasi_exports = engine.wasi_exports(wasmem.Module(wasi_loop_text(), cache_dir=False)
                                       .to_bytes())
    for name in WASI_CALLS:
        rows[f"d  WASI {name} from a wasm loop"] = (
            lambda f=wasi_exports[f"wasi_{name}"]: f(calls), calls)
    program = engine.wasi_load((HERE / "hostcall" / "hostcalls.wasm").read_bytes())

    def wasi(count: int) -> Callable[[], Any]:
        return lambda: engine.wasi_run(program, ["hostcalls", str(count)])
    # the program's instantiation and start-up, timed apart and subtracted (see main)
    rows["d  WASI program, per iteration (4 calls)"] = (wasi(wasi_iterations), wasi_iterations)
    rows[STARTUP] = (wasi(0), 1)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--wasi-iterations", type=int, default=5000)
    parser.add_argument("--engines", default="wasmem,pwasm")
    parser.add_argument("--only", default="", help="rows whose label contains this")
    options = parser.parse_args(argv)
    text = module_text()
    makers = {"wasmem": Wasmem, "pwasm": Pwasm}
    engines = [makers[name](text) for name in options.engines.split(",")]
    tables = {e.name: cases(e, options.calls, options.wasi_iterations) for e in engines}
    labels = [k for k in tables[engines[0].name] if options.only in k]
    times: dict[tuple[str, str], list[float]] = {}
    for label in labels:
        for e in engines:  # warm up (translation, caches)
            run, _count = tables[e.name][label]
            run()
        for _ in range(options.reps):
            for e in engines:
                run, count = tables[e.name][label]
                times.setdefault((e.name, label), []).append(_time(run) / count * 1e6)
    names = [e.name for e in engines]
    wasi_label = next((k for k in labels if k.startswith("d  WASI program")), None)
    if wasi_label is not None and STARTUP in labels:
        for n in names:  # per iteration: without the program's start-up
            startup = statistics.median(times[(n, STARTUP)])
            times[(n, wasi_label)] = [t - startup / options.wasi_iterations
                                      for t in times[(n, wasi_label)]]
    print(f"{'us per crossing (median of ' + str(options.reps) + ')':46}"
          + "".join(f"{n:>10}" for n in names)
          + (f"{'x pwasm':>10}" if len(names) > 1 else ""))
    for label in labels:
        medians = [statistics.median(times[(n, label)]) for n in names]
        ratio = f"{medians[1] / medians[0]:>10.2f}" if len(names) > 1 else ""
        print(f"{label:46}" + "".join(f"{m:>10.2f}" for m in medians) + ratio)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
