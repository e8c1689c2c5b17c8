"""``wasmem.Instance(module, wasi=WasiConfig(...))`` and ``wasmem run`` with WASI modules
written in text: output, exit codes, a finished instance, fuel, other imports, both tiers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import wasmem
from wasmem.cli import main
from wasmem.syntax.types import I32
from wasmem.wasi import WasiConfig

HELLO = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\\n")
  (data (i32.const 0) "\\10\\00\\00\\00\\06\\00\\00\\00")
  (global $code (mut i32) (i32.const 0))
  (func (export "set_code") (param i32) (global.set $code (local.get 0)))
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (if (global.get $code) (then (call $proc_exit (global.get $code))))))
"""

REACTOR = """(module
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $ready (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $ready (i32.const 40)))
  (func (export "answer") (param i32) (result i32)
    (i32.add (global.get $ready) (local.get 0))))
"""

SPIN = """(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (loop $l (drop (call $yield)) (br $l))))
"""

TIERS = ["compile", "interpret", "tiered"]


@pytest.mark.parametrize("tier", TIERS)
def test_output_and_exit(tier: str) -> None:
    config = WasiConfig(stdout="capture")
    instance = wasmem.Instance(wasmem.Module(HELLO), wasi=config, tier=tier)
    instance.exports._start()
    assert config.captured_stdout == b"hello\n"
    instance.exports.set_code(3)
    with pytest.raises(wasmem.Exit) as exited:
        instance.exports._start()
    assert exited.value.code == 3 and isinstance(exited.value, wasmem.WasmError)
    assert not isinstance(exited.value, wasmem.Trap)
    assert instance.wasi is not None and instance.wasi.exit_code == 3
    # the instance is finished, its memory is still there to look at
    with pytest.raises(wasmem.InvocationError, match="exited"):
        instance.exports._start()
    with pytest.raises(wasmem.InvocationError, match="exited"):
        instance.exports.set_code(0)
    assert instance.exports.memory.read(16, 5) == b"hello"


def test_exit_from_the_start_function() -> None:
    source = HELLO.replace('(func (export "_start")', '(start $main) (func $main').replace(
        "(global.get $code) (then", "(i32.const 1) (then").replace(
        "(call $proc_exit (global.get $code))", "(call $proc_exit (i32.const 5))")
    config = WasiConfig(stdout="capture")
    with pytest.raises(wasmem.Exit) as exited:
        wasmem.Instance(wasmem.Module(source), wasi=config)
    assert exited.value.code == 5 and config.captured_stdout == b"hello\n"


def test_with_other_imports_and_overrides() -> None:
    source = HELLO.replace("(memory", '(import "env" "seen" (func $seen (param i32)))\n'
                           "  (memory").replace(
        "(if (global.get", "(call $seen (i32.const 9)) (if (global.get")
    seen: list[int] = []
    written: list[int] = []

    def fd_write(fd: int, iovs: int, count: int, out: int) -> int:
        written.append(fd)
        return 0

    config = WasiConfig(stdout="capture")
    imports = {"env": {"seen": wasmem.Function(seen.append, [I32])},
               "wasi_snapshot_preview1": {
                   "fd_write": wasmem.Function(fd_write, [I32] * 4, [I32])}}
    instance = wasmem.Instance(wasmem.Module(source), imports, wasi=config)
    instance.exports._start()
    assert seen == [9] and written == [1] and config.captured_stdout == b""


@pytest.mark.parametrize("tier", TIERS)
def test_fuel_applies(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(SPIN), wasi=WasiConfig(), fuel=5000, tier=tier)
    with pytest.raises(wasmem.FuelExhausted):
        instance.exports._start()


def test_a_module_without_memory_gets_a_clear_trap() -> None:
    source = """(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (func (export "_start") (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1)
                                              (i32.const 8)))))"""
    instance = wasmem.Instance(wasmem.Module(source), wasi=WasiConfig())
    with pytest.raises(wasmem.Trap, match="memory"):
        instance.exports._start()


def test_bad_configs_are_wasmem_errors(tmp_path: Path) -> None:
    with pytest.raises(wasmem.InvocationError):
        WasiConfig(args="one string")  # type: ignore[arg-type]
    with pytest.raises(wasmem.InvocationError):
        WasiConfig(env={"A=B": "c"})
    with pytest.raises(wasmem.InvocationError):
        WasiConfig(stdout=42)
    with pytest.raises(wasmem.InvocationError, match="not captured"):
        _ = WasiConfig().captured_stdout
    with pytest.raises(wasmem.LinkError, match="preopen"):
        wasmem.Instance(wasmem.Module(HELLO),
                        wasi=WasiConfig(preopens={"/": str(tmp_path / "missing")}))
    with pytest.raises(wasmem.InvocationError):
        wasmem.Instance(wasmem.Module(HELLO), wasi={"args": []})


# ------------------------------------------------------------------ the command line
@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, source in (("hello", HELLO), ("reactor", REACTOR), ("spin", SPIN)):
        out[name] = tmp_path / f"{name}.wat"
        out[name].write_text(source)
    return out


def run(capfd: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capfd.readouterr()
    return status, out, err


def test_cli_runs_start(files: dict[str, Path], capfd: pytest.CaptureFixture[str]) -> None:
    assert run(capfd, "run", str(files["hello"])) == (0, "hello\n", "")
    assert run(capfd, "run", "--tier", "interpret", str(files["hello"]), "a", "-b") \
        == (0, "hello\n", "")


def test_cli_exit_code_from_the_guest(files: dict[str, Path]) -> None:
    source = files["hello"].read_text().replace("(i32.const 0))\n  (func (export",
                                                "(i32.const 42))\n  (func (export")
    files["hello"].write_text(source)
    done = subprocess.run([sys.executable, "-m", "wasmem", "run", str(files["hello"])],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (42, "hello\n", "")


def test_cli_reactor_and_invoke(files: dict[str, Path],
                                capfd: pytest.CaptureFixture[str]) -> None:
    assert run(capfd, "run", str(files["reactor"]), "--invoke", "answer", "2") \
        == (0, "42\n", "")
    assert run(capfd, "run", "--invoke", "answer", str(files["reactor"]), "1") \
        == (0, "41\n", "")
    assert run(capfd, "run", str(files["reactor"])) == (0, "", "")


def test_cli_fuel(files: dict[str, Path], capfd: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(capfd, "run", "--fuel", "10000", str(files["spin"]))
    assert status == 3 and "fuel" in err


def test_cli_guest_arguments_are_split_from_wasmem_options() -> None:
    from wasmem.wasi.command import split_run_arguments as split
    assert split(["run", "p.wasm", "-v", "x"]) == (["run", "p.wasm"], ["-v", "x"])
    assert split(["run", "--dir", ".", "--env=A=1", "p.wasm", "x"]) \
        == (["run", "--dir", ".", "--env=A=1", "p.wasm"], ["x"])
    assert split(["run", "p.wasm", "--", "--fuel", "1"]) == (["run", "p.wasm"],
                                                              ["--fuel", "1"])
    legacy = ["run", "m.wat", "--invoke", "add", "1", "2", "--fuel", "9"]
    assert split(legacy) == (legacy, [])
    assert split(["validate", "x"]) == (["validate", "x"], [])


def test_cli_traps_and_large_exit_codes(files: dict[str, Path],
                                        capfd: pytest.CaptureFixture[str]) -> None:
    trapping = files["hello"].read_text().replace(
        "(if (global.get $code)", "(unreachable) (if (global.get $code)")
    files["hello"].write_text(trapping)
    status, out, err = run(capfd, "run", str(files["hello"]))
    assert (status, out) == (134, "hello\n") and "unreachable" in err
    assert err.count("\n") == 1
    files["hello"].write_text(HELLO.replace("(i32.const 0))\n  (func (export",
                                            "(i32.const 300))\n  (func (export"))
    status, out, err = run(capfd, "run", str(files["hello"]))
    assert (status, out) == (1, "hello\n") and "300" in err


def test_a_failed_instantiation_closes_the_preopens(tmp_path: Path) -> None:
    """Even when the garbage collector would not run: a start function that exits leaves
    the instance in reference cycles."""
    import gc
    import os
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd")
    exiting = """(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func $main (call $exit (i32.const 1)))
      (start $main))"""
    missing = '(module (import "env" "missing" (func)) (memory (export "memory") 1))'
    before = len(os.listdir("/proc/self/fd"))
    gc.disable()
    try:
        for source, error in ((exiting, wasmem.Exit), (missing, wasmem.LinkError)):
            for _ in range(3):
                with pytest.raises(error):
                    wasmem.Instance(wasmem.Module(source),
                                    wasi=WasiConfig(preopens={"/": str(tmp_path)}))
        assert len(os.listdir("/proc/self/fd")) <= before
    finally:
        gc.enable()
