"""WASI benchmarks: C programs compiled for ``wasm32-wasi``, run as commands (``_start``).

Each run (inside a worker process, one engine per process) loads the program's bytes,
instantiates it with a fresh WASI context (arguments, an empty preopened directory as
``/``, stdout and stderr going to files) and calls ``_start``; the time covers all of
that, like the workload runs. After the run, outside the timing, the exit code, the
SHA-256 of stdout, stderr's text and the files left behind make the run's ``result``,
which must be equal to the expected one and to every other engine's.

Engines: ``wasmem`` (``wasmem.wasi``), ``pwasm`` (its ``WasiLite``: stdio, clocks, random,
args and environment only; it answers every path call with ENOTCAPABLE, so it does not
run the file benchmark: ``n/a`` in the table) and ``wasmtime``; ``*-warm`` as in the
workloads (disk caches of translated code, see ``engines.py``).
"""

from __future__ import annotations

import gc
import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .timing import repeat
from .workloads import BENCH_DIR

__all__ = ["ENGINES", "NO_FILESYSTEM", "WASI_WORKLOADS", "WasiWorkload", "run_command",
           "time_command"]

ENGINES = ("wasmem", "wasmem-warm", "pwasm", "pwasm-warm", "wasmtime")

NO_FILESYSTEM = ("pwasm", "pwasm-warm")
"""Engines whose WASI has no filesystem."""


@dataclass(frozen=True)
class WasiWorkload:
    """A WASI program benchmark.

    Attributes:
        name: the table row.
        source: the ``.wasm`` relative to ``bench/``.
        args: guest arguments (after ``argv[0]``) per size.
        expected: the result (see :func:`outcome`) per size.
        stresses: what it exercises (the table legend).
        needs_files: uses the filesystem (not run on pwasm, whose WASI has none).
    """

    name: str
    source: str
    args: dict[str, tuple[str, ...]]
    expected: dict[str, str]
    stresses: str
    needs_files: bool = False

    @property
    def path(self) -> Path:
        """Absolute path of the program."""
        return BENCH_DIR / self.source


WASI_WORKLOADS: tuple[WasiWorkload, ...] = (
    WasiWorkload(
        "printf10mb", "c/printf10mb.wasm",
        {"tiny": ("1000",), "small": ("16384",), "full": ()},
        {"tiny": "exit 0; stdout 64000 bytes sha256 66b0847a48ce; "
                 "stderr 'lines 1000 bytes 64000'; files left 0",
         "small": "exit 0; stdout 1048576 bytes sha256 91e2a9cea683; "
                  "stderr 'lines 16384 bytes 1048576'; files left 0",
         "full": "exit 0; stdout 10485760 bytes sha256 0198bb1267f3; "
                 "stderr 'lines 163840 bytes 10485760'; files left 0"},
        "printf of 64-byte lines to stdout, 10 MiB at the full size (stdio buffer, "
        "fd_write)"),
    WasiWorkload(
        "smallfiles", "c/smallfiles.wasm",
        {"tiny": ("20",), "small": ("200",), "full": ("1000",)},
        {"tiny": "exit 0; stdout 'files 20 written 38494 read 38494 stat 38494 "
                 "checksum a736cf1a'; stderr ''; files left 0",
         "small": "exit 0; stdout 'files 200 written 421116 read 421116 stat 421116 "
                  "checksum 78787b06'; stderr ''; files left 0",
         "full": "exit 0; stdout 'files 1000 written 2114412 read 2114412 stat 2114412 "
                 "checksum 390bee88'; stderr ''; files left 0"},
        "files of 64 B-4 KiB in 16 folders, 1000 at the full size: create, write, read, "
        "stat, rename, unlink", needs_files=True),
    WasiWorkload(
        "chatty", "c/independent/chatty.wasm",
        {"tiny": ("100",), "small": ("2000",), "full": ("20000",)},
        {"tiny": "exit 0; stdout 2100 bytes sha256 b6750d788a2e; "
                 "stderr 'lines 100 bytes 2100 args 2'; files left 0",
         "small": "exit 0; stdout 42000 bytes sha256 61d4354f71e0; "
                  "stderr 'lines 2000 bytes 42000 args 2'; files left 0",
         "full": "exit 0; stdout 420000 bytes sha256 5876cba53141; "
                 "stderr 'lines 20000 bytes 420000 args 2'; files left 0"},
        "an independent program: per line clock_time_get, random_get, snprintf and an "
        "unbuffered fd_write (20000 lines at the full size)"),
)
"""The expected results were checked against a Python model of each program (the same
lines and bytes, hashed the same way); chatty's are wasmtime's."""


def outcome(code: int, stdout: Path, stderr: Path, sandbox: Path) -> str:
    """The comparable result of a run: exit code, stdout (its text when short, else its
    size and hash), stderr's text, and how many entries were left in the sandbox."""
    data = stdout.read_bytes()
    shown = repr(data.decode("utf-8", "replace").strip()) if len(data) <= 200 else \
        f"{len(data)} bytes sha256 {hashlib.sha256(data).hexdigest()[:12]}"
    errors = stderr.read_text(encoding="utf-8", errors="replace").strip()
    left = sum(1 for _ in sandbox.rglob("*"))
    return f"exit {code}; stdout {shown}; stderr {errors!r}; files left {left}"


Runner = Callable[[bytes, list[str], Path, Any, Any], int]
"""``run(wasm bytes, argv, sandbox, stdout file, stderr file) -> exit code``."""


def _wasmem(data: bytes, argv: list[str], sandbox: Path, out: Any, err: Any) -> int:
    import wasmem
    from wasmem.wasi import WasiConfig

    config = WasiConfig(args=argv, preopens={"/": str(sandbox)}, stdin=b"", stdout=out,
                        stderr=err)
    instance = wasmem.Instance(wasmem.Module(data), wasi=config)
    try:
        instance.exports["_start"]()
    except wasmem.Exit as exit_:
        return int(exit_.code)
    return 0


def _pwasm(data: bytes, argv: list[str], sandbox: Path, out: Any, err: Any) -> int:
    import pwasm
    from pwasm.wasi import Exit, WasiLite

    module = pwasm.decode_module(data)
    wasi = WasiLite(args=argv)
    wasi.sinks[1] = out.write
    wasi.sinks[2] = err.write
    instance = pwasm.instantiate(module, {"wasi_snapshot_preview1": wasi.imports(module)})
    wasi.bind(instance)
    try:
        instance.exports["_start"]()
    except Exit as exit_:
        return int(exit_.code)
    return 0


def _wasmtime(data: bytes, argv: list[str], sandbox: Path, out: Any, err: Any) -> int:
    import wasmtime

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    config = wasmtime.WasiConfig()
    config.argv = argv
    config.preopen_dir(str(sandbox), "/")
    config.stdout_file = out.name
    config.stderr_file = err.name
    store.set_wasi(config)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        linker.instantiate(store, wasmtime.Module(engine, data)).exports(store)["_start"](
            store)
    except wasmtime.ExitTrap as exit_:
        return int(exit_.code)
    finally:
        del store
    return 0


def runner(engine: str) -> Runner:
    """The run function of an engine.

    Raises:
        KeyError: unknown engine.
    """
    runners: dict[str, Runner] = {"wasmem": _wasmem, "wasmem-warm": _wasmem,
                                  "pwasm": _pwasm, "pwasm-warm": _pwasm,
                                  "wasmtime": _wasmtime}
    return runners[engine]


def run_command(engine: str, data: bytes, argv: list[str], folder: Path) -> tuple[float, str]:
    """Run a program once in a fresh sandbox under ``folder``; return (seconds, result)."""
    sandbox = folder / "sandbox"
    shutil.rmtree(sandbox, ignore_errors=True)
    sandbox.mkdir()
    run = runner(engine)
    with open(folder / "stdout", "wb") as out, open(folder / "stderr", "wb") as err:
        gc.collect()
        start = time.perf_counter()
        code = run(data, argv, sandbox, out, err)
        elapsed = time.perf_counter() - start
    return elapsed, outcome(code, folder / "stdout", folder / "stderr", sandbox)


def time_command(task: dict[str, Any]) -> dict[str, Any]:
    """Worker task ``wasi``: ``engine``, ``wasm``, ``args``, ``reps``, ``warmup``, ``cap``;
    returns ``times``, ``first`` and ``result`` (the last run's)."""
    data = Path(task["wasm"]).read_bytes()
    argv = [Path(task["wasm"]).name, *task["args"]]
    with tempfile.TemporaryDirectory(prefix="wasmem-bench-wasi-") as tmp:
        return repeat(lambda: run_command(task["engine"], data, argv, Path(tmp)),
                      task["warmup"], task["reps"], task["cap"])
