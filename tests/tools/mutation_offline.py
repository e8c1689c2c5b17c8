"""Off-line mutation fuzzing of the loading path and the CLI (not collected by pytest).

Seeds are modules from ``wasm-tools smith`` (all proposals wasmem supports). Each seed is
mutated by ``wasm-tools mutate`` (structure-aware, the result stays valid or nearly so),
by byte-level mutations (flips, insertions, deletions, copied ranges, LEB128 edits,
section size edits), by section-level ones (:func:`structure_mutate`: reordered,
repeated and dropped sections, overlong and huge sizes and counts), and its text form
(``wasm-tools print``) by token-level and (:func:`char_mutate`, its lines kept, so the
line:column of an error is checked to lie in the text) character-level mutations. Every
mutant is fed to ``wasmem.Module``; a module that loads is instantiated with fuel in the
default execution mode (and the interpreter) and its exports without parameters are
called. Every ``--cli-every``-th mutant also goes through ``wasmem validate``, ``run``,
``lint`` and ``map`` in a subprocess.

A finding is: a binary that wasmem and wasmtime do not agree is valid, a rejection that
does not say where (a binary's byte offset, a text's line:column), an exception outside
the wasmem family (a MemoryError too: the address space is capped, ``--memory-limit``),
a mutant that takes longer than ``--timeout`` seconds in-process (a hang), a dead
process (a crash), or a CLI exit status 70 / a traceback on stderr / a CLI timeout.
Findings are written to ``--out`` (the input and a line in ``findings.txt``);
``summary.json`` holds the counts.

    nice -n 10 python3 tests/tools/mutation_offline.py --count 2000 --out mutate-out
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exec"))
# the tiered mode (once it is the default) with tiny budgets: hot translation and on-stack
# replacement happen inside short programs
os.environ.setdefault("WASMEM_TIER_BUDGETS", "1,2")

import wasmem
from wasm_differential import SMITH
from wasmem.binary.writer import encode_unsigned
from wasmem.syntax.types import ExternKind

SEED_FLAGS = [
    "--ensure-termination", "--fuel", "50", "--export-everything", "true",
    "--max-imports", "0", "--min-funcs", "1", "--max-funcs", "12",
    "--max-instructions", "300", "--max-memory32-bytes", "1048576",
    "--max-memory64-bytes", "1048576", "--max-table-elements", "1000",
    "--simd-enabled", "true", "--exceptions-enabled", "true", "--tail-call-enabled", "true",
    "--memory64-enabled", "true", "--max-memories", "2", "--gc-enabled", "false",
    "--threads-enabled", "false", "--relaxed-simd-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--custom-page-sizes-enabled", "false",
    "--shared-everything-threads-enabled", "false", "--compact-imports-enabled", "false",
    "--custom-descriptors-enabled", "false",
]


class Hang(Exception):
    """Raised by the alarm inside a mutant that runs too long."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise Hang()


def seed_module(seed: int) -> bytes | None:
    """A smith module for ``seed`` (None if smith made none)."""
    assert SMITH is not None
    rng = random.Random(f"mutation/{seed}")
    data = bytes(rng.getrandbits(8) for _ in range(rng.randint(100, 3000)))
    result = subprocess.run([SMITH, "smith", *SEED_FLAGS, "-o", "/dev/stdout"], input=data,
                            capture_output=True, timeout=60)
    return result.stdout if result.returncode == 0 else None


def tool_mutate(binary: bytes, seed: int) -> bytes | None:
    """One ``wasm-tools mutate`` mutant (None if it made none)."""
    with tempfile.NamedTemporaryFile(suffix=".wasm") as f:
        f.write(binary)
        f.flush()
        result = subprocess.run([SMITH, "mutate", f.name, "--seed", str(seed),
                                 "-o", "/dev/stdout"], capture_output=True, timeout=60)
    return result.stdout if result.returncode == 0 and result.stdout else None


INTERESTING = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x0B, 0x0F, 0x10, 0x11, 0x1A, 0x41, 0x42,
               0x6F, 0x70, 0x7B, 0xFB, 0xFC, 0xFD, 0xFE, 0x03, 0x02, 0x04, 0x05, 0x0C, 0x0D]


def byte_mutate(binary: bytes, rng: random.Random) -> bytes:
    """Apply 1-4 byte-level mutations to ``binary``."""
    data = bytearray(binary)
    for _ in range(rng.randint(1, 4)):
        if len(data) < 9:
            data += bytes(rng.getrandbits(8) for _ in range(4))
        i = rng.randrange(8, len(data))
        kind = rng.randrange(8)
        if kind == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[i] = rng.choice(INTERESTING)
        elif kind == 2:
            data[i:i] = bytes(rng.choice(INTERESTING) for _ in range(rng.randint(1, 6)))
        elif kind == 3:
            del data[i:i + rng.randint(1, 8)]
        elif kind == 4:
            j = rng.randrange(8, len(data))
            n = rng.randint(1, 32)
            data[i:i] = data[j:j + n]
        elif kind == 5:
            data[i:i + 1] = encode_unsigned(rng.choice([0, 1, 2**31 - 1, 2**32 - 1, 2**32, 2**63,
                                             2**64 - 1, 65536, 65537, 10**9]))
        elif kind == 6:
            data[i:i + 1] = b"\xff\xff\xff\xff\x0f"  # an overlong / huge LEB128
        else:
            del data[i:]
    return bytes(data)


def _leb(data: bytes | bytearray, at: int) -> tuple[int, int]:
    """The unsigned LEB128 at ``at``: (value, its end). Raises IndexError past the end."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80 or shift > 70:
            return value, at


def sections(binary: bytes) -> list[tuple[int, bytes]] | None:
    """The ``(id, payload)`` of each section of ``binary``, None if they do not parse."""
    out: list[tuple[int, bytes]] = []
    at = 8
    try:
        while at < len(binary):
            ident = binary[at]
            size, start = _leb(binary, at + 1)
            if start + size > len(binary):
                return None
            out.append((ident, binary[start:start + size]))
            at = start + size
    except IndexError:
        return None
    return out


def _overlong(value: int, extra: int) -> bytes:
    """``value`` as a LEB128 padded with ``extra`` continuation bytes (still in the
    5-byte limit of a u32 when ``extra`` keeps it there: then it is valid)."""
    out = bytearray(encode_unsigned(value))
    out[-1] |= 0x80
    out += b"\x80" * (extra - 1) + b"\x00"
    return bytes(out)


def structure_mutate(binary: bytes, rng: random.Random) -> bytes:
    """One section-level mutation of ``binary``: two sections swapped (order), a section
    repeated or dropped, a section's or a vector's size written overlong (valid up to five
    bytes) or made huge (``2**32 - 1`` elements of a few bytes each), a size off by one,
    a custom section with a name past its end. Falls back to :func:`byte_mutate` when the
    sections do not parse."""
    parsed = sections(binary)
    if not parsed:
        return byte_mutate(binary, rng)
    k = rng.randrange(len(parsed))
    kind = rng.randrange(8)
    sizes: dict[int, bytes] = {}  # section index -> its size's encoding, if not minimal
    if kind == 0 and len(parsed) > 1:
        j = rng.randrange(len(parsed))
        parsed[k], parsed[j] = parsed[j], parsed[k]
    elif kind == 1:
        parsed.insert(k, parsed[k])
    elif kind == 2:
        del parsed[k]
    elif kind == 3:  # overlong size (1 to 5 bytes: valid; 6: malformed)
        sizes[k] = _overlong(len(parsed[k][1]), rng.choice([1, 2, 3, 4, 5]))
    elif kind == 4 and parsed[k][0] != 0 and parsed[k][1]:  # overlong vector count
        ident, payload = parsed[k]
        count, end = _leb(payload, 0)
        parsed[k] = (ident, _overlong(count, rng.choice([1, 2, 3, 4, 5])) + payload[end:])
    elif kind == 5 and parsed[k][0] != 0 and parsed[k][1]:  # huge vector count
        ident, payload = parsed[k]
        _count, end = _leb(payload, 0)
        huge = rng.choice([2**32 - 1, 2**31, 10**8, 65536, 100_000])
        parsed[k] = (ident, encode_unsigned(huge) + payload[end:])
    elif kind == 6:  # a size one too small or too large
        size = len(parsed[k][1]) + rng.choice([-1, 1])
        sizes[k] = encode_unsigned(max(size, 0))
    else:  # a custom section whose name runs past it, or a huge name length
        name = encode_unsigned(rng.choice([2**32 - 1, 200, 5])) + b"abc"
        parsed.insert(k, (0, name))
    out = bytearray(binary[:8])
    for index, (ident, payload) in enumerate(parsed):
        out.append(ident)
        out += sizes.get(index, encode_unsigned(len(payload)))
        out += payload
    return bytes(out)


TOKEN = re.compile(r"\(|\)|\"(?:[^\"\\]|\\.)*\"|[^\s()\"]+")


def text_mutate(text: str, rng: random.Random) -> str:
    """Apply 1-3 token-level mutations to module text."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return text
    for _ in range(rng.randint(1, 3)):
        if not tokens:
            break
        i = rng.randrange(len(tokens))
        kind = rng.randrange(6)
        if kind == 0:
            del tokens[i]
        elif kind == 1:
            tokens.insert(i, rng.choice(tokens))
        elif kind == 2:
            tokens[i] = rng.choice(["(", ")", "0", "-1", "0x7fffffff", "4294967296", "nan:0x1",
                                    "inf", "$x", "i32.const", "block", "loop", "end", "br 0",
                                    "\"\\ff\"", "offset=4294967295", "align=3", "1e999"])
        elif kind == 3:
            j = rng.randrange(len(tokens))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif kind == 4:
            tokens[i:i] = ["("] * rng.randint(1, 3000)
        else:
            del tokens[i:]
    return " ".join(tokens)


CHARACTER_PIECES = ["(", ")", "\"", "\\", ";", ";;", "(;", ";)", "$", "=", "\t", "\n", "\r",
                    "\x00", "\x7f", "\u00e9", "\u2028", "\ud7ff", "0x", "_", "-", "+", ".",
                    "e", "p", "nan:", "inf", "@", "'", "\\u{110000}", "\\ff", "\x0c"]


def char_mutate(text: str, rng: random.Random) -> str:
    """Apply 1-3 character-level mutations to module text, keeping its lines (so that an
    error's line:column can be checked against them)."""
    for _ in range(rng.randint(1, 3)):
        if not text:
            return rng.choice(CHARACTER_PIECES)
        i = rng.randrange(len(text))
        kind = rng.randrange(4)
        if kind == 0:
            text = text[:i] + text[i + rng.randint(1, 4):]
        elif kind == 1:
            text = text[:i] + rng.choice(CHARACTER_PIECES) + text[i:]
        elif kind == 2:
            text = text[:i] + rng.choice(CHARACTER_PIECES) + text[i + 1:]
        else:
            j = rng.randrange(len(text))
            text = text[:i] + text[j:j + rng.randint(1, 40)] + text[i:]
    return text


class Disagreement(Exception):
    """wasmem and wasmtime disagree on whether a binary is a valid module."""


class Placeless(Exception):
    """A rejected module's error does not say where: a binary's needs its byte offset,
    a text's its line and column."""


def missing_place(source: str | bytes, exc: Exception) -> str | None:
    """What ``exc`` (rejecting ``source``) lacks of its place, or None."""
    if not isinstance(exc, (wasmem.DecodeError, wasmem.ValidationError, wasmem.ParseError)):
        return None
    if isinstance(source, bytes):
        return None if exc.offset is not None else f"no byte offset: {exc!r:.300}"
    if exc.line is None or exc.column is None:
        words = source.split()
        if len(words) == 1 and "(" not in source and not source.strip().startswith(";"):
            return None  # (taken for a file name: Module.from_file is pointed at)
        return f"no line:column: {exc!r:.300}"
    lines = source.split("\n")  # (the lexer's lines: only "\n" ends one)
    if not 1 <= exc.line <= len(lines) or not 1 <= exc.column <= len(lines[exc.line - 1]) + 1:
        return f"line:column outside the text: {exc!r:.300}"
    return None


def validation_engine() -> Any:
    """wasmtime with the proposals the seeds use, and without those wasmem lacks."""
    import wasmtime

    config = wasmtime.Config()
    for feature in ("wasm_multi_memory", "wasm_memory64", "wasm_bulk_memory",
                    "wasm_reference_types", "wasm_multi_value", "wasm_tail_call",
                    "wasm_function_references", "wasm_simd", "wasm_exceptions"):
        setattr(config, feature, True)
    for feature in ("wasm_wide_arithmetic", "wasm_threads", "wasm_relaxed_simd",
                    "wasm_custom_page_sizes", "wasm_stack_switching"):
        try:
            setattr(config, feature, False)
        except AttributeError:
            pass
    return wasmtime.Engine(config)


def wasmtime_accepts(binary: bytes) -> bool:
    """Whether wasmtime (every proposal the seeds use) validates ``binary``."""
    import wasmtime

    try:
        wasmtime.Module.validate(_ENGINE[0], binary)
    except wasmtime.WasmtimeError:
        return False
    return True


_ENGINE: list[Any] = []


def run_module(source: str | bytes, timeout: float) -> str:
    """Load, instantiate and call; return the outcome class or raise what escaped.

    Raises:
        Disagreement: for a binary, wasmem's and wasmtime's validation differ.
    """
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        try:
            module = wasmem.Module(source)
        except (wasmem.UnsupportedFeature, wasmem.ResourceLimitError):
            return "rejected"
        except wasmem.WasmError as exc:
            if isinstance(source, bytes) and _ENGINE and wasmtime_accepts(source):
                raise Disagreement(f"wasmem rejects, wasmtime accepts: {exc}") from None
            missing = missing_place(source, exc)
            if missing is not None:
                raise Placeless(missing) from None
            return "rejected"
        if isinstance(source, bytes) and _ENGINE and not wasmtime_accepts(source):
            raise Disagreement("wasmem accepts, wasmtime rejects")
        outcome = "loaded"
        for tier in ("default", "interpret"):
            kwargs: dict[str, Any] = {} if tier == "default" else {"tier": tier}
            try:
                instance = wasmem.Instance(module, fuel=20_000, max_memory_pages=256, **kwargs)
            except wasmem.WasmError:
                outcome = "link-or-trap"
                continue
            outcome = "instantiated"
            for name, kind in module.exports:
                if kind is not ExternKind.FUNC:
                    continue
                function = instance.exports[name]
                if function.type.params:
                    continue
                try:
                    function()
                except wasmem.WasmError:
                    pass
        return outcome
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


CLI_COMMANDS = [["validate"], ["lint"], ["map"], ["run", "--fuel", "20000"]]


def run_cli(path: Path, timeout: float) -> list[str]:
    """Run the CLI commands on ``path``; return the problems seen."""
    problems = []
    env = dict(os.environ, WASMEM_CACHE_DIR="")
    for command in CLI_COMMANDS:
        args = [sys.executable, "-m", "wasmem", *command, str(path)]
        try:
            result = subprocess.run(args, capture_output=True, timeout=timeout, env=env,
                                    stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            problems.append(f"cli {command[0]}: timeout")
            continue
        stderr = result.stderr.decode(errors="replace")
        if result.returncode == 70 or "Traceback" in stderr or result.returncode < 0:
            problems.append(f"cli {command[0]}: status {result.returncode}: {stderr[-600:]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the campaign; return 1 if anything was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="seeds")
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--mutants", type=int, default=8, help="mutants per seed and kind")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per mutant")
    parser.add_argument("--cli-every", type=int, default=25, help="every Nth mutant via CLI")
    parser.add_argument("--out", type=Path, default=Path("mutate-out"))
    parser.add_argument("--deadline", type=float, default=0.0, help="stop at this Unix time")
    parser.add_argument("--memory-limit", type=float, default=4.0,
                        help="GiB of address space (a blow-up is then a MemoryError: found)")
    args = parser.parse_args(argv)
    if args.memory_limit:
        import resource
        limit = int(args.memory_limit * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    args.out.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGALRM, _alarm)
    _ENGINE.append(validation_engine())
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    counts: dict[str, int] = {"seeds": 0, "mutants": 0, "cli_runs": 0, "findings": 0}
    log = (args.out / "findings.txt").open("a")
    started = time.time()
    n = 0

    def record(kind: str, seed: int, index: int, data: str | bytes, problem: str) -> None:
        counts["findings"] += 1
        suffix = "wat" if isinstance(data, str) else "wasm"
        name = f"{kind}-{seed}-{index}.{suffix}"
        (args.out / name).write_bytes(data.encode() if isinstance(data, str) else data)
        log.write(f"{name}: {problem}\n")
        log.flush()

    for seed in range(args.start, args.start + args.count):
        if args.deadline and time.time() > args.deadline:
            break
        binary = seed_module(seed)
        if binary is None:
            continue
        counts["seeds"] += 1
        rng = random.Random(seed)
        structure_rng = random.Random(f"structure/{seed}")  # (the others' streams as before)
        text = subprocess.run([SMITH, "print"], input=binary, capture_output=True,
                              timeout=60).stdout.decode()
        mutants: list[tuple[str, str | bytes]] = [("seed", binary)]
        for i in range(args.mutants):
            mutated = tool_mutate(binary, seed * 1000 + i)
            if mutated is not None:
                mutants.append(("tool", mutated))
            mutants.append(("bytes", byte_mutate(binary, rng)))
            mutants.append(("text", text_mutate(text, rng)))
            mutants.append(("structure", structure_mutate(binary, structure_rng)))
            mutants.append(("chars", char_mutate(text, structure_rng)))
        for index, (kind, data) in enumerate(mutants):
            counts["mutants"] += 1
            counts[kind] = counts.get(kind, 0) + 1
            n += 1
            try:
                outcome = run_module(data, args.timeout)
                counts[outcome] = counts.get(outcome, 0) + 1
            except Hang:
                record(kind, seed, index, data, "hang")
            except Disagreement as exc:
                record(kind, seed, index, data, f"validation: {exc}")
            except Placeless as exc:
                record(kind, seed, index, data, f"place: {exc}")
            except RecursionError:
                record(kind, seed, index, data, "RecursionError: " + traceback.format_exc()[-800:])
            except Exception:
                record(kind, seed, index, data, traceback.format_exc()[-1500:])
            if args.cli_every and n % args.cli_every == 0:
                counts["cli_runs"] += 1
                suffix = ".wat" if isinstance(data, str) else ".wasm"
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / f"m{suffix}"
                    path.write_bytes(data.encode() if isinstance(data, str) else data)
                    for problem in run_cli(path, args.timeout * 2):
                        record(kind, seed, index, data, problem)
        summary = {"seconds": round(time.time() - started), "last_seed": seed, **counts}
        (args.out / "summary.json").write_text(json.dumps(summary, indent=1))
    summary = {"seconds": round(time.time() - started), **counts, "done": True}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    return 1 if counts["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
