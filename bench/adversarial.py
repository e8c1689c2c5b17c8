"""Adversarial modules: load times of shapes that make a naive loader super-linear.

Each case is generated here (nothing big is committed): deep block types, a tall operand
stack under many blocks, deep nesting, many locals, huge ``br_table``s, many functions,
long names, many data and element segments, many types, and deeply nested text. Every
(case, engine) runs in its own process with a timeout; a cell is the median of
``--reps`` timings of bytes -> validated module (plus, for wasmem, instantiating and
calling the export in each tier where the case has one). wasmtime's cell is compiling
the module with Cranelift; pwasm's is decoding and instantiating (it has no separate
validation step and decodes function bodies lazily).

    python bench/adversarial.py                      # all cases, wasmem + wasmtime + pwasm
    python bench/adversarial.py --engines wasmem --cases deep_block_types,tall_stack
    python bench/adversarial.py --scale 0.1           # smaller modules, a quick look

Results of a run are recorded in bench/README.md ("Adversarial modules").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

# ---------------------------------------------------------------- binary building


def leb(n: int) -> bytes:
    """Unsigned LEB128."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def section(section_id: int, body: bytes) -> bytes:
    return bytes([section_id]) + leb(len(body)) + body


def vec(items: list[bytes]) -> bytes:
    return leb(len(items)) + b"".join(items)


def name(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return leb(len(raw)) + raw


def func_type(params: int, results: int, value: bytes = b"\x7f") -> bytes:
    return b"\x60" + leb(params) + value * params + leb(results) + value * results


def code(body: bytes, locals_: bytes = b"\x00") -> bytes:
    entry = locals_ + body
    return leb(len(entry)) + entry


def module(types: list[bytes], bodies: list[bytes], *, type_indices: list[int] | None = None,
           export: bool = True, extra: dict[int, bytes] | None = None,
           locals_: bytes = b"\x00") -> bytes:
    """A module of functions (each exported as f0, f1, ...), plus raw extra sections."""
    extra = extra or {}
    indices = type_indices if type_indices is not None else [0] * len(bodies)
    sections = {1: vec(types), 3: vec([leb(i) for i in indices]),
                10: vec([code(b, locals_) for b in bodies])}
    if export:
        sections[7] = vec([name(f"f{i}") + b"\x00" + leb(i) for i in range(len(bodies))])
    sections.update(extra)
    order = (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11)
    out = b"\x00asm\x01\x00\x00\x00"
    for section_id in order:
        if section_id in sections:
            out += section(section_id, sections[section_id])
    return out


END, UNREACHABLE, BLOCK, DROP = b"\x0b", b"\x00", b"\x02", b"\x1a"
I32_CONST_0, LOCAL_GET, LOCAL_SET, BR_TABLE = b"\x41\x00", b"\x20", b"\x21", b"\x0e"

# ---------------------------------------------------------------- the cases


def deep_block_types(scale: float) -> tuple[bytes, str | None]:
    """Issue 10's shape within the limits: 1,000 params and results, nested block (type 0)."""
    depth = int(100_000 * scale)
    body = UNREACHABLE + (BLOCK + b"\x00") * depth + END * depth + END
    return module([func_type(1000, 1000)], [body], export=False), None


def tall_stack(scale: float) -> tuple[bytes, str | None]:
    """100,000 values on the stack, then 100,000 nested empty blocks (run in both tiers)."""
    n = int(100_000 * scale)
    body = I32_CONST_0 * n + (BLOCK + b"\x40") * n + END * n + DROP * n + END
    return module([func_type(0, 0)], [body]), "f0"


def deep_nesting(scale: float) -> tuple[bytes, str | None]:
    """200,000 nested blocks with a result (run in both tiers)."""
    n = int(200_000 * scale)
    body = (BLOCK + b"\x7f") * n + b"\x41\x07" + END * n + END
    return module([func_type(0, 1)], [body]), "f0"


def many_locals(scale: float) -> tuple[bytes, str | None]:
    """50,000 locals, each read and written (run in both tiers)."""
    n = 50_000
    steps = int(50_000 * scale)
    body = b"".join(LOCAL_GET + leb(i % n) + LOCAL_SET + leb((i * 7 + 1) % n)
                    for i in range(steps)) + END
    return module([func_type(0, 0)], [body], locals_=b"\x01" + leb(n) + b"\x7f"), "f0"


def local_spill(scale: float) -> tuple[bytes, str | None]:
    """100,000 reads of local 0 on the stack, then 100,000 writes of local 1."""
    n = int(100_000 * scale)
    body = (LOCAL_GET + b"\x00") * n + (LOCAL_SET + b"\x01") * n + END
    return module([func_type(0, 0)], [body], locals_=b"\x01\x02\x7f"), "f0"


def huge_br_table(scale: float) -> tuple[bytes, str | None]:
    """1,000 nested blocks of 1,000 results and br_tables of 65,520 targets into them."""
    depth = 1000
    tables = max(1, int(8 * scale))
    targets = b"".join(leb(i % depth) for i in range(65_520))
    body = (BLOCK + b"\x00") * depth + I32_CONST_0 * 1001
    body += (BR_TABLE + leb(65_520) + targets + b"\x00") * tables
    body += END * depth + END
    return module([func_type(0, 1000)], [body], export=False), None


def many_functions(scale: float) -> tuple[bytes, str | None]:
    """100,000 small functions (exported)."""
    n = int(100_000 * scale)
    return module([func_type(0, 1)], [b"\x41\x01" + END] * n), "f0"


def long_names(scale: float) -> tuple[bytes, str | None]:
    """Ten exports and a custom section with names of 100,000 bytes each."""
    n = 10
    names = [(chr(ord("a") + i) * 99_999 + "é")[:99_998] for i in range(n)]
    exports = vec([name(text) + b"\x00\x00" for text in names])
    custom = section(0, name("x" * 100_000) + b"payload")
    body = module([func_type(0, 1)], [b"\x41\x01" + END], export=False, extra={7: exports})
    return body[:8] + custom + body[8:], None


def many_data(scale: float) -> tuple[bytes, str | None]:
    """100,000 active data segments of 8 bytes into one page."""
    n = int(100_000 * scale)
    memory = vec([b"\x00\x01"])
    datas = vec([b"\x00\x41" + leb((i * 8) % 65_528 & 0x3F) + END + name(b"12345678")
                 for i in range(n)])
    return module([func_type(0, 1)], [b"\x41\x01" + END], extra={5: memory, 11: datas}), \
        "f0"


def big_element_segment(scale: float) -> tuple[bytes, str | None]:
    """One active element segment of 1,000,000 function indices into a big table."""
    n = int(1_000_000 * scale)
    table = vec([b"\x70\x00" + leb(n)])
    elements = vec([b"\x00\x41\x00" + END + leb(n) + b"\x00" * n])
    return module([func_type(0, 1)], [b"\x41\x01" + END], extra={4: table, 9: elements}), \
        "f0"


def many_types(scale: float) -> tuple[bytes, str | None]:
    """100,000 distinct function types of 10 params and results."""
    n = int(100_000 * scale)
    kinds = [b"\x7f", b"\x7e", b"\x7d", b"\x7c"]
    types = [b"\x60\x0a" + b"".join(kinds[(i >> (2 * k)) & 3] for k in range(10))
             + b"\x0a" + b"\x7f" * 10 for i in range(n)]
    return module(types, [b"\x00" + END]), None


def text_nesting(scale: float) -> tuple[bytes, str | None]:
    """Text: 40,000 nested folded blocks each around an i32.add (80,000 levels)."""
    n = int(40_000 * scale)
    text = ('(module (func (export "f0") (result i32) '
            + "(block (result i32) (i32.add (i32.const 1) " * n + "(i32.const 2)"
            + "))" * n + "))")
    return text.encode(), "f0"


CASES: dict[str, Callable[[float], tuple[bytes, str | None]]] = {
    case.__name__: case for case in (
        deep_block_types, tall_stack, deep_nesting, many_locals, local_spill, huge_br_table,
        many_functions, long_names, many_data, big_element_segment, many_types, text_nesting)
}

# ---------------------------------------------------------------- engines (in a worker)


def _run_wasmem(data: bytes, export: str | None, text: bool) -> dict[str, float]:
    import wasmem
    source = data.decode() if text else data
    start = time.perf_counter()
    loaded = wasmem.Module(source)
    out = {"load": time.perf_counter() - start}
    if export is not None:
        for tier in ("interpret", "compile"):
            start = time.perf_counter()
            wasmem.Instance(loaded, tier=tier).exports[export]()
            out[tier] = time.perf_counter() - start
    return out


def _run_wasmtime(data: bytes, export: str | None, text: bool) -> dict[str, float]:
    import wasmtime
    engine = wasmtime.Engine()
    start = time.perf_counter()
    wasmtime.Module(engine, data.decode() if text else data)
    return {"load": time.perf_counter() - start}


def _run_pwasm(data: bytes, export: str | None, text: bool) -> dict[str, float]:
    import pwasm
    if text:
        raise RuntimeError("pwasm reads binaries only")
    start = time.perf_counter()
    pwasm.instantiate(pwasm.decode_module(data))  # pwasm decodes bodies lazily
    return {"load": time.perf_counter() - start}


ENGINES = {"wasmem": _run_wasmem, "wasmtime": _run_wasmtime, "pwasm": _run_pwasm}


def worker(case: str, engine: str, scale: float, reps: int) -> None:
    data, export = CASES[case](scale)
    text = case.startswith("text_")
    runs = [ENGINES[engine](data, export, text) for _ in range(reps)]
    result = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    result["bytes"] = len(data)
    print(json.dumps(result))


def measure(case: str, engine: str, scale: float, reps: int, timeout: float) -> str:
    """One cell: the worker's timings as text, or why there are none."""
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", case, engine, str(scale), str(reps)],
            capture_output=True, text=True, timeout=timeout,
            env={**os.environ, "WASMEM_CACHE_DIR": ""})  # measure loading, not the cache
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return f"error: {last[:70]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    parts = [f"{result['load']:.3f} s"]
    for tier in ("interpret", "compile"):
        if tier in result:
            parts.append(f"{tier} {result[tier]:.3f} s")
    return ", ".join(parts) + f" ({result['bytes']:,} B)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="wasmem,wasmtime,pwasm")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        case, engine, scale, reps = args.worker
        worker(case, engine, float(scale), int(reps))
        return 0
    engines = args.engines.split(",")
    print("| case | " + " | ".join(engines) + " |")
    print("| --- |" + " --- |" * len(engines))
    for case in args.cases.split(","):
        cells = [measure(case, engine, args.scale, args.reps, args.timeout)
                 for engine in engines]
        print(f"| {case} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
