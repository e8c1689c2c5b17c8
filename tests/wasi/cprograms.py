"""Running the C programs of ``tests/wasi/programs/`` in wasmem and in wasmtime, and
comparing what they did.

A :class:`Case` names a program, its arguments, environment and standard input, and the
files its preopened directory starts with. Each engine runs the case in its own copy of
that directory (``<tmp>/<engine>/sandbox``, preopened as ``/``; the folder above it is
outside the sandbox). :class:`Outcome` records the exit code (or the trap), the bytes
written to stdout and stderr, and every file left behind (:func:`snapshot`), so two
outcomes compare with ``==``.

Engines: ``wasmtime`` (the oracle, ``wasmtime.WasiConfig``), ``wasmem`` (the Python API,
``wasmem.wasi.WasiConfig``; ``wasmem-interpret`` with ``tier="interpret"``) and
``wasmem-cli`` (``python -m wasmem run`` in a subprocess).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import wasmtime

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = Path(__file__).resolve().parent / "programs"
SOURCE = ROOT / "src"

ENGINES = ("wasmtime", "wasmem", "wasmem-interpret", "wasmem-cli")

TRAP_STATUS = 134
"""The exit status of `wasmtime run` (and so of `wasmem run`) when the guest traps."""

Filter = Callable[[bytes], bytes]
"""Turns a program's stdout into what two engines must agree on, after checking (with
``assert``) the properties of what differs from run to run."""

Setup = Callable[[Path], None]
"""Fills a fresh working folder: ``folder / "sandbox"`` is preopened, the rest is
outside the sandbox."""


def no_setup(folder: Path) -> None:
    """An empty sandbox."""


@dataclass(frozen=True)
class Case:
    """One run of a program: what it is given."""

    program: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    stdin: bytes = b""
    setup: Setup = no_setup
    guest_dir: str = "/"
    stdout_filter: Filter | None = None
    """Applied to stdout before comparing (clock values, random bytes, listing order)."""
    folder: Path = PROGRAMS
    """Where ``<program>.wasm`` is."""

    @property
    def wasm(self) -> Path:
        """The compiled program."""
        return self.folder / f"{self.program}.wasm"

    def with_args(self, *args: str) -> Case:
        """This case with other arguments."""
        return replace(self, args=args)


@dataclass
class Outcome:
    """What one engine's run of a case did."""

    exit_code: int | None
    """The guest's exit code (0 when ``_start`` returns), None when it trapped."""
    trapped: bool
    stdout: bytes
    stderr: bytes
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Every entry under the working folder (see :func:`snapshot`)."""

    def comparable(self) -> tuple[object, ...]:
        """The parts two engines must agree on (stderr only when no trap: an engine's
        own trap message is its own)."""
        return (self.exit_code, self.trapped, self.stdout,
                None if self.trapped else self.stderr, self.files)

    def filtered(self, case: Case) -> Outcome:
        """This outcome with the case's stdout filter applied."""
        if case.stdout_filter is None:
            return self
        return replace(self, stdout=case.stdout_filter(self.stdout))


def snapshot(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry below ``folder``: relative path -> ("file", contents) / ("dir", b"")
    / ("symlink", target). Hard links show as two files with the same contents."""
    entries: dict[str, tuple[str, bytes]] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            entries[name] = ("symlink", os.fsencode(os.readlink(path)))
        elif path.is_dir():
            entries[name] = ("dir", b"")
        else:
            entries[name] = ("file", path.read_bytes())
    return entries


def prepare(case: Case, tmp: Path, engine: str) -> Path:
    """Return a fresh working folder for ``engine`` (its ``sandbox`` is preopened)."""
    folder = tmp / engine
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "sandbox").mkdir(parents=True)
    case.setup(folder)
    return folder


def run_wasmtime(case: Case, folder: Path) -> Outcome:
    """Run ``case`` in wasmtime with ``folder/sandbox`` preopened."""
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    config = wasmtime.WasiConfig()
    config.argv = [case.wasm.name, *case.args]
    config.env = [list(pair) for pair in case.env]
    config.preopen_dir(str(folder / "sandbox"), case.guest_dir)
    streams = folder.parent / f"{folder.name}-streams"
    streams.mkdir(exist_ok=True)
    (streams / "stdin").write_bytes(case.stdin)
    config.stdin_file = str(streams / "stdin")
    config.stdout_file = str(streams / "stdout")
    config.stderr_file = str(streams / "stderr")
    store.set_wasi(config)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    module = wasmtime.Module.from_file(engine, str(case.wasm))
    code: int | None = 0
    trapped = False
    try:
        linker.instantiate(store, module).exports(store)["_start"](store)
    except wasmtime.ExitTrap as exit_:
        code = exit_.code
    except wasmtime.Trap:
        code, trapped = None, True
    del store  # closes the output files
    return Outcome(code, trapped, (streams / "stdout").read_bytes(),
                   (streams / "stderr").read_bytes(), snapshot(folder))


def run_wasmem(case: Case, folder: Path, tier: str | None = None) -> Outcome:
    """Run ``case`` through wasmem's Python API (``tier="interpret"`` for the
    interpreter) with ``folder/sandbox`` preopened."""
    import wasmem
    from wasmem.wasi import WasiConfig

    stdout = folder.parent / f"{folder.name}-stdout"
    stderr = folder.parent / f"{folder.name}-stderr"
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        config = WasiConfig(args=[case.wasm.name, *case.args], env=dict(case.env),
                            preopens={case.guest_dir: str(folder / "sandbox")},
                            stdin=case.stdin, stdout=out, stderr=err)
        module = wasmem.Module.from_file(str(case.wasm))
        options = {} if tier is None else {"tier": tier}
        instance = wasmem.Instance(module, wasi=config, **options)
        code: int | None = 0
        trapped = False
        try:
            instance.exports["_start"]()
        except wasmem.Exit as exit_:
            code = exit_.code
        except wasmem.Trap:
            code, trapped = None, True
    return Outcome(code, trapped, stdout.read_bytes(), stderr.read_bytes(),
                   snapshot(folder))


def run_cli(case: Case, folder: Path) -> Outcome:
    """Run ``case`` with ``python -m wasmem run --dir SANDBOX::/ --env ... FILE ARGS``."""
    command = [sys.executable, "-m", "wasmem", "run",
               "--dir", f"{folder / 'sandbox'}::{case.guest_dir}"]
    for name, value in case.env:
        command += ["--env", f"{name}={value}"]
    command += [str(case.wasm), *case.args]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE), env.get("PYTHONPATH", "")])
    proc = subprocess.run(command, input=case.stdin, capture_output=True, env=env,
                          timeout=300, check=False)
    # The CLI follows `wasmtime run`: a trap exits with 134 (128 + SIGABRT, as a native
    # program that calls abort()); any other status is the guest's exit code.
    trapped = proc.returncode in (TRAP_STATUS, -6)
    return Outcome(None if trapped else proc.returncode, trapped, proc.stdout, proc.stderr,
                   snapshot(folder))


def run(case: Case, tmp: Path, engine: str) -> Outcome:
    """Run ``case`` on ``engine`` (one of :data:`ENGINES`) in its own working folder."""
    folder = prepare(case, tmp, engine)
    if engine == "wasmtime":
        return run_wasmtime(case, folder)
    if engine == "wasmem":
        return run_wasmem(case, folder)
    if engine == "wasmem-interpret":
        return run_wasmem(case, folder, tier="interpret")
    if engine == "wasmem-cli":
        return run_cli(case, folder)
    raise ValueError(f"unknown engine {engine!r}")


def same_as_wasmtime(case: Case, tmp: Path, engine: str) -> tuple[Outcome, Outcome]:
    """Run ``case`` on ``engine`` and on wasmtime; assert they agree (exit code, stdout
    after the case's filter, stderr unless trapped, files left behind); return both
    outcomes, unfiltered: (ours, wasmtime's)."""
    ours = run(case, tmp, engine)
    theirs = run(case, tmp, "wasmtime")
    assert_same(ours.filtered(case), theirs.filtered(case))
    return ours, theirs


def assert_same(ours: Outcome, theirs: Outcome) -> None:
    """Assert two outcomes agree, with a readable first difference."""
    assert ours.exit_code == theirs.exit_code, (ours.exit_code, theirs.exit_code,
                                                ours.stderr[-500:])
    assert ours.trapped == theirs.trapped
    assert ours.stdout.decode(errors="replace").splitlines() == \
        theirs.stdout.decode(errors="replace").splitlines()
    assert ours.comparable() == theirs.comparable()
