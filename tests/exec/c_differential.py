"""Off-line differential fuzzing with random C programs (not collected by pytest).

:func:`program` writes a random, undefined-behaviour-free C program (``switch``
statements with fall-through, bounded loops, ``memset``/``memcpy``/``memmove`` over a
static buffer, 32- and 64-bit rotates, shifts and divisions, ``f64`` libm calls with the
results folded into the hash by bits, NaNs excepted) whose export ``run(n)`` returns a
hash of everything it computed. :func:`build` compiles it with clang (wasm32-wasi, no
imports) at one optimisation level; :func:`expected` runs it in wasmtime; the wasmem side
runs in a child process per execution mode (``--mode``; the tier budgets are read at
import time), every tier of that process, and reports what differs.

    nice -n 10 python3 tests/exec/c_differential.py --count 200 --out c-fuzz

needs ``clang`` (e.g. clang-14) with wasi-libc (``--sysroot``), and wasmtime.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

LEVELS = ("-O0", "-O1", "-O2", "-Os")
ARGUMENTS = (0, 1, 3, 17, 100)
"""The ``run(n)`` calls made, in order, on one instance (state carries over)."""

MODES: dict[str, dict[str, str]] = {
    "plain": {"WASMEM_CACHE_DIR": ""},
    "budgets-0-0": {"WASMEM_CACHE_DIR": "", "WASMEM_TIER_BUDGETS": "0,0"},
    "budgets-1-3": {"WASMEM_CACHE_DIR": "", "WASMEM_TIER_BUDGETS": "1,3"},
    "budgets-2-1-cache": {"WASMEM_TIER_BUDGETS": "2,1"},  # WASMEM_CACHE_DIR set by --cache
    "default-cache": {"WASMEM_TIER_BUDGETS": ""},  # the default (warm) rules, with --cache
    "observe": {"WASMEM_CACHE_DIR": "", "WASMEM_TIER_BUDGETS": "1,3",
                "C_DIFFERENTIAL_OBSERVE": "1"},
    "observe-cache": {"WASMEM_TIER_BUDGETS": "1,3", "C_DIFFERENTIAL_OBSERVE": "1"},
}
"""Execution mode -> environment of the child process (it runs every tier)."""

TIERS = ("interpret", "compile", "tiered")
FUEL = 3_000_000
"""wasmtime's fuel for all calls of one program: longer programs are skipped."""


class Generator:
    """Random C text for one program (see the module docstring)."""

    def __init__(self, seed: int, extended: bool = False) -> None:
        self.rng = random.Random(seed)
        self.functions: list[str] = []
        self.extended = extended
        """Also indirect calls through a table and a changing pointer, ``qsort`` with
        comparators, bounded recursion and ``malloc``/``free`` (:data:`EXTENDED`)."""

    # ------------------------------------------------------------ expressions
    def u32(self, depth: int, names: list[str]) -> str:
        r = self.rng
        if depth <= 0 or r.random() < 0.25:
            return r.choice([*names, str(r.choice([0, 1, 7, 255, 0x7FFFFFFF, 0x80000000,
                                                   0xFFFFFFFF, r.getrandbits(32)])) + "u",
                             f"g[{r.randrange(16)}]", f"mem[{r.choice(names)} & 511]"])
        a, b = self.u32(depth - 1, names), self.u32(depth - 1, names)
        kind = r.randrange(16)
        if kind < 6:
            op = r.choice(["+", "-", "*", "^", "&", "|"])
            return f"({a} {op} {b})"
        if kind == 6:
            return f"({a} << ({b} & 31))"
        if kind == 7:
            return f"({a} >> ({b} & 31))"
        if kind == 8:
            return f"(uint32_t)((int32_t){a} >> ({b} & 31))"
        if kind == 9:
            return f"rotl32({a}, {b})"
        if kind == 10:
            return f"({a} / ({b} | 1u))" if r.random() < 0.5 else f"({a} % ({b} | 1u))"
        if kind == 11:
            return f"(uint32_t)(((int32_t){a} >> 1) / (int32_t)({b} | 1u))"
        if kind == 12:
            return f"({a} {r.choice(['<', '>', '==', '!=', '<='])} {b} ? {a} : {b})"
        if kind == 13:
            return f"(uint32_t)fold64({self.u64(depth - 1, names)})"
        if kind == 14:
            return f"fold_f({self.f64(depth - 1, names)})"
        return f"(uint32_t)(int{r.choice([8, 16])}_t){a}"

    def u64(self, depth: int, names: list[str]) -> str:
        r = self.rng
        if depth <= 0 or r.random() < 0.3:
            return r.choice([f"(uint64_t){r.choice(names)}", f"q[{r.randrange(8)}]",
                             f"{r.getrandbits(64)}ull", "0x8000000000000000ull"])
        a, b = self.u64(depth - 1, names), self.u64(depth - 1, names)
        kind = r.randrange(8)
        if kind < 3:
            return f"({a} {r.choice(['+', '-', '*', '^', '&', '|'])} {b})"
        if kind == 3:
            return f"rotl64({a}, (unsigned)({b}))"
        if kind == 4:
            return f"({a} >> ({b} & 63))"
        if kind == 5:
            return f"({a} / ({b} | 1ull))"
        if kind == 6:
            return f"(uint64_t)((int64_t){a} >> ({b} & 63))"
        return f"((uint64_t){self.u32(depth - 1, names)} << 32 | {b} >> 32)"

    def f64(self, depth: int, names: list[str]) -> str:
        r = self.rng
        if depth <= 0 or r.random() < 0.3:
            return r.choice([f"(double){r.choice(names)}", f"d[{r.randrange(16)}]",
                             f"(double)(int32_t){r.choice(names)}",
                             repr(r.choice([0.5, -1.25, 3.0, 1e-300, 1e300, 0.1]))])
        a, b = self.f64(depth - 1, names), self.f64(depth - 1, names)
        kind = r.randrange(9)
        if kind < 4:
            return f"({a} {r.choice(['+', '-', '*', '/'])} {b})"
        if kind == 4:
            fn = r.choice(["sin", "cos", "exp", "log", "sqrt", "fabs", "floor", "ceil", "trunc",
                           "atan", "tanh", "cbrt", "log1p", "expm1", "round"])
            return f"{fn}({a})"
        if kind == 5:
            fn = r.choice(["pow", "fmod", "atan2", "fmin", "fmax", "hypot", "copysign"])
            return f"{fn}({a}, {b})"
        if kind == 6:
            return f"(double)(float){a}"
        if kind == 7:
            return f"to_f({self.u32(depth - 1, names)})"
        return f"({a} < {b} ? {a} : {b})"

    # ------------------------------------------------------------ statements
    def statements(self, depth: int, names: list[str], count: int) -> list[str]:
        return [line for _ in range(count) for line in self.statement(depth, names)]

    def statement(self, depth: int, names: list[str]) -> list[str]:
        r = self.rng
        kind = r.randrange(13 if depth > 0 else 7)
        v = r.choice(names)
        e = self.u32(2, names)
        if self.extended and r.random() < 0.25:
            return self.extended_statement(v, e, names)
        if kind == 0:
            return [f"{v} = {e};"]
        if kind == 1:
            return [f"g[{self.u32(1, names)} & 15] ^= {e};"]
        if kind == 2:
            return [f"mem[{self.u32(1, names)} & 511] = (uint8_t){e};"]
        if kind == 3:
            return [f"q[{v} & 7] += {self.u64(2, names)};"]
        if kind == 4:
            return [f"d[{v} & 15] = {self.f64(2, names)};"]
        if kind == 5:
            fn = r.choice(["memset", "memcpy", "memmove"])
            dst = f"mem + ({self.u32(1, names)} & 255)"
            n = f"({self.u32(1, names)} & 255)"
            src = f"(int){e}" if fn == "memset" else f"mem + ({self.u32(1, names)} & 255)"
            return [f"{fn}({dst}, {src}, {n});"]
        if kind == 6:
            if self.functions and r.random() < 0.5:
                callee = r.randrange(len(self.functions))
                return [f"{v} += f{callee}({e}, {self.u32(1, names)});"]
            return [f"{v} = rotl32({v}, {e});"]
        if kind in (7, 8):
            cases = r.randint(2, 12)
            lines = [f"switch ({e} % {cases + r.randint(0, 3)}u) {{"]
            for c in r.sample(range(cases + 3), cases):
                lines.append(f"case {c}: ;")
                lines += self.statements(depth - 1, names, r.randint(0, 2))
                if r.random() < 0.7:
                    lines.append("break;")
            lines.append("default: ;")
            lines += self.statements(depth - 1, names, r.randint(0, 1))
            lines.append("}")
            return lines
        if kind == 9:
            i = f"i{depth}_{r.randrange(1000)}"
            lines = [f"for (uint32_t {i} = 0; {i} < {r.randint(1, 24)}u; {i}++) {{"]
            lines += self.statements(depth - 1, [*names, i], r.randint(1, 3))
            if r.random() < 0.3:
                lines.append(f"if (({self.u32(1, [*names, i])} & 7) == 3) break;")
            lines.append("}")
            return lines
        if kind == 10:
            lines = [f"if ({e} & {r.choice([1, 2, 4, 8])}) {{"]
            lines += self.statements(depth - 1, names, r.randint(1, 3))
            lines.append("} else {")
            lines += self.statements(depth - 1, names, r.randint(0, 2))
            lines.append("}")
            return lines
        if kind == 11:  # a frame-slot array (address taken: stays in memory at -O0..-O2)
            n = r.randint(2, 16)
            a = f"arr{r.randrange(10000)}"
            return ["{", f"uint32_t {a}[{n}];",
                    f"for (uint32_t k = 0; k < {n}u; k++) {a}[k] = {e} + k * {v};",
                    f"{v} ^= {a}[{self.u32(1, names)} % {n}u] + hash_bytes((uint8_t *){a}, "
                    f"sizeof {a});", "}"]
        i = f"w{r.randrange(1000)}"
        return [f"for (uint32_t {i} = {v} & 15; {i} != 0; {i}--) {{",
                *self.statements(depth - 1, [*names, i], r.randint(1, 2)), "}"]

    def extended_statement(self, v: str, e: str, names: list[str]) -> list[str]:
        """One statement of the :data:`EXTENDED` prelude's kinds."""
        r = self.rng
        kind = r.randrange(6)
        if kind == 0:  # an indirect call through the table
            table, second = r.choice([("pair", self.u64(1, names)),
                                      ("leaves", self.u32(1, names))])
            return [f"{v} += {table}[({e}) % 2u]({v}, {second});"]
        if kind == 1:  # the changing pointer: switched, then called
            return [f"if (({e}) & 1) current = pair[{v} % 2u];",
                    f"{v} ^= current({v}, {self.u64(1, names)});"]
        if kind == 2:
            n = r.randint(2, 40)
            return [f"{v} ^= sorted({e}, {n}u, {r.randrange(3)});"]
        if kind == 3:
            return [f"{v} += recurse(({e}) & 15u, {v});"]
        if kind == 4:
            return [f"{v} ^= allocate(({e}) & 1023u, {v});"]
        return [f"{v} = {v} * 3u + (uint32_t)cmp_pick({e}, {v});"]

    def function(self) -> str:
        index = len(self.functions)
        names = ["a", "b", "x", "y"]
        body = [f"static uint32_t f{index}(uint32_t a, uint32_t b) {{",
                f"uint32_t x = a ^ {self.rng.getrandbits(32)}u, y = b + {index}u;"]
        body += self.statements(3, names, self.rng.randint(2, 6))
        body.append(f"return {self.u32(2, names)};")
        body.append("}")
        text = "\n".join(body)
        if self.rng.random() < 0.2:
            text = "__attribute__((noinline)) " + text
        return text

    def program(self) -> str:
        for _ in range(self.rng.randint(1, 6)):
            self.functions.append(self.function())
        calls = "\n".join(f"h = h * 31u + f{i}(i + h, n ^ {i}u);"
                          for i in range(len(self.functions)))
        prelude = PRELUDE + EXTENDED if self.extended else PRELUDE
        return "\n".join([prelude, *self.functions, RUN.replace("CALLS", calls)])


PRELUDE = r"""
#include <math.h>
#include <stdint.h>
#include <string.h>
static uint32_t g[16];
static uint8_t mem[512];
static double d[16];
static uint64_t q[8];
static uint32_t rotl32(uint32_t x, uint32_t r) {
    r &= 31; return (x << r) | (x >> ((32 - r) & 31));
}
static uint64_t rotl64(uint64_t x, unsigned r) {
    r &= 63; return (x << r) | (x >> ((64 - r) & 63));
}
static uint32_t fold64(uint64_t v) { return (uint32_t)v ^ (uint32_t)(v >> 32); }
static uint32_t fold_f(double v) {
    if (v != v) return 0x5eedu;
    uint64_t bits; memcpy(&bits, &v, 8); return fold64(bits);
}
static double to_f(uint32_t v) { return (double)(int32_t)v / 7.0; }
static uint32_t hash_bytes(const uint8_t *p, uint32_t n) {
    uint32_t h = 2166136261u; for (uint32_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}
"""

EXTENDED = r"""
#include <stdlib.h>
static uint32_t leaf0(uint32_t a, uint64_t b) { return a + (uint32_t)b * 3u; }
static uint32_t leaf1(uint32_t a, uint64_t b) { return rotl32(a ^ (uint32_t)(b >> 7), a); }
static uint32_t leaf2(uint32_t a, uint32_t b) { return a * (b | 1u) - 7u; }
__attribute__((noinline)) static uint32_t leaf3(uint32_t a, uint32_t b) {
    return b ? a / b + a % b : a;
}
/* a type two small functions have (candidates for specialised indirect calls), and one
   that many functions have (the comparators below too) */
static uint32_t (*const pair[2])(uint32_t, uint64_t) = {leaf0, leaf1};
static uint32_t (*const leaves[2])(uint32_t, uint32_t) = {leaf2, leaf3};
static uint32_t (*current)(uint32_t, uint64_t) = leaf0;
static int up(const void *x, const void *y) {
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y; return (a > b) - (a < b);
}
static int down(const void *x, const void *y) { return up(y, x); }
static int low(const void *x, const void *y) {
    return (int)(*(const uint32_t *)x & 7u) - (int)(*(const uint32_t *)y & 7u);
}
static int (*const comparators[3])(const void *, const void *) = {up, down, low};
static uint32_t sorted(uint32_t seed, uint32_t n, int which) {
    uint32_t a[40];
    for (uint32_t i = 0; i < n; i++) a[i] = seed = seed * 1103515245u + 12345u;
    qsort(a, n, sizeof a[0], comparators[which]);
    return hash_bytes((uint8_t *)a, n * sizeof a[0]);
}
__attribute__((noinline)) static uint32_t recurse(uint32_t n, uint32_t x) {
    return n == 0 ? x : recurse(n - 1, x * 33u + n) ^ (n & 1 ? recurse(n / 2, x) : 0u);
}
static uint32_t allocate(uint32_t n, uint32_t x) {
    uint8_t *p = malloc(n + 1), *r = malloc(n / 2 + 3);
    if (!p || !r) return 0;
    memset(p, (int)x, n + 1); memcpy(r, p, n / 2 + 1);
    p = realloc(p, n * 2 + 5);
    uint32_t h = hash_bytes(r, n / 2 + 1) ^ (p ? p[n] : 1u);
    free(r); free(p);
    return h;
}
static int cmp_pick(uint32_t a, uint32_t b) { return comparators[a % 3u](&a, &b); }
"""

RUN = r"""
__attribute__((export_name("run"))) uint32_t run(uint32_t n) {
    uint32_t h = n;
    for (uint32_t i = 0; i < n % 8 + 1; i++) {
CALLS
    }
    h ^= hash_bytes(mem, sizeof mem) + hash_bytes((uint8_t *)g, sizeof g);
    for (int i = 0; i < 16; i++) h = h * 3u + fold_f(d[i]);
    for (int i = 0; i < 8; i++) h = h * 5u + fold64(q[i]);
    return h;
}
"""


def program(seed: int, extended: bool = False) -> str:
    """The C text of program ``seed`` (``extended``: see :attr:`Generator.extended`)."""
    return Generator(seed, extended).program()


def build(source: str, level: str, out: Path, clang: str = "clang-14") -> bytes | None:
    """Compile ``source`` to a reactor module with no imports; None if clang failed."""
    c_file = out.with_suffix(".c")
    c_file.write_text(source)
    result = subprocess.run([clang, "--target=wasm32-wasi", "--sysroot=/usr", level,
                             "-mexec-model=reactor", "-Wl,--no-entry", "-w", str(c_file),
                             "-o", str(out), "-lm"], capture_output=True, timeout=120)
    return out.read_bytes() if result.returncode == 0 else None


def expected(binary: bytes) -> list[str]:
    """wasmtime's outcome of each ``run(n)`` of :data:`ARGUMENTS` on one instance."""
    import wasmtime
    config = wasmtime.Config()
    config.consume_fuel = True
    store = wasmtime.Store(wasmtime.Engine(config))
    store.set_fuel(FUEL)
    instance = wasmtime.Instance(store, wasmtime.Module(store.engine, binary), [])
    exports = instance.exports(store)
    if "_initialize" in exports:
        exports["_initialize"](store)
    outcomes = []
    for n in ARGUMENTS:
        try:
            outcomes.append(str(exports["run"](store, n) & 0xFFFFFFFF))
        except wasmtime.Trap as exc:
            if exc.trap_code == wasmtime.TrapCode.OUT_OF_FUEL:
                return []  # too long for the Python engine: skip the program
            outcomes.append(f"trap {exc.trap_code}")
    return outcomes


def ours(path: str) -> dict[str, list[str]]:
    """wasmem's outcomes per tier (run in the child process, see :func:`main`)."""
    import wasmem
    results: dict[str, list[str]] = {}
    observe = bool(os.environ.get("C_DIFFERENTIAL_OBSERVE"))
    for tier in TIERS:
        outcomes = []
        try:
            instance = wasmem.Instance(wasmem.Module(Path(path).read_bytes()), tier=tier)
            exports = instance.exports
            try:
                initialize = exports["_initialize"]
            except KeyError:
                initialize = None
            if initialize is not None:
                initialize()
            events: list[int] = [0, 0]

            def count_trace(_event: object, events: list[int] = events) -> None:
                events[0] += 1

            def count_watch(_event: object, events: list[int] = events) -> None:
                events[1] += 1

            for n in ARGUMENTS:
                try:
                    if observe:
                        with instance.trace(out=count_trace, range=(0, 1 << 20)), \
                                instance.watch(1024, 1 << 16, kind="access",
                                               callback=count_watch):
                            value = exports["run"](n)
                    else:
                        value = exports["run"](n)
                    outcomes.append(str(value & 0xFFFFFFFF))
                except wasmem.Trap as exc:
                    outcomes.append(f"trap {exc.code}")
            if observe:
                results[f"{tier}#events"] = [str(events)]
        except Exception as exc:  # recorded as a difference
            outcomes.append(f"exception {type(exc).__name__}: {exc}"[:300])
        results[tier] = outcomes
    return results


def main(argv: list[str] | None = None) -> int:
    """Generate, build and compare; return 1 if anything differed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("c-fuzz"))
    parser.add_argument("--modes", default=",".join(m for m in MODES if "observe" not in m))
    parser.add_argument("--cache", default="", help="WASMEM_CACHE_DIR of the cache modes")
    parser.add_argument("--deadline", type=float, default=0.0)
    parser.add_argument("--extended", action="store_true",
                        help="indirect calls, qsort, recursion, malloc (EXTENDED)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None or os.environ.get("C_DIFFERENTIAL_CHILD"):
        print(json.dumps({p: ours(p) for p in (args.child or "").split(",") if p}))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    log = (args.out / "differences.txt").open("a")
    counts = {"programs": 0, "modules": 0, "calls": 0, "differences": 0}
    for seed in range(args.start, args.start + args.count):
        if args.deadline and time.time() > args.deadline:
            break
        source = program(seed, args.extended)
        paths, wanted = [], {}
        for level in LEVELS:
            path = args.out / f"p{seed}{level}.wasm"
            binary = build(source, level, path)
            if binary is None:
                log.write(f"{seed} {level}: clang failed\n")
                continue
            outcomes = expected(binary)
            if not outcomes:
                log.write(f"{seed} {level}: skipped (more than {FUEL} instructions)\n")
                break
            paths.append(str(path))
            wanted[str(path)] = outcomes
        if not paths:
            continue
        counts["programs"] += 1
        before = counts["differences"]
        for mode in args.modes.split(","):
            env = {"WASMEM_STRICT_COMPILE": "1", **os.environ, **MODES[mode],
                   "C_DIFFERENTIAL_CHILD": "1"}
            if "cache" in mode:
                env["WASMEM_CACHE_DIR"] = args.cache
            try:
                child = subprocess.run([sys.executable, __file__, "--child", ",".join(paths)],
                                       env=env, capture_output=True, text=True, timeout=600)
                got = json.loads(child.stdout)
            except (subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
                log.write(f"{seed} {mode}: child failed: {exc!r} "
                          f"{getattr(exc, 'stderr', '')}\n")
                counts["differences"] += 1
                continue
            for path in paths:
                counts["modules"] += 1
                for tier, outcomes in got[path].items():
                    if "#" in tier:  # trace/watch event counts: the same in every tier
                        first = got[path][f"{TIERS[0]}#events"]
                        if outcomes != first:
                            counts["differences"] += 1
                            log.write(f"{seed} {mode} {tier} {path}: events {outcomes}, "
                                      f"{TIERS[0]} {first}\n")
                        continue
                    counts["calls"] += len(outcomes)
                    if outcomes != wanted[path]:
                        counts["differences"] += 1
                        log.write(f"{seed} {mode} {tier} {path}: ours {outcomes} "
                                  f"wasmtime {wanted[path]}\n")
                        log.flush()
        (args.out / "summary.json").write_text(json.dumps({"last_seed": seed, **counts}))
        if counts["differences"] == before:
            for path in paths:  # keep only the programs that differed
                Path(path).unlink()
                Path(path).with_suffix(".c").unlink()
    print(json.dumps(counts))
    return 1 if counts["differences"] else 0


if __name__ == "__main__":
    sys.exit(main())
