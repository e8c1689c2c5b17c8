"""What host functions read and write while observed code calls them (WASI filling
buffers, Python imports calling ``memory.write``), and start functions observed from
their first instruction: traces, watchpoints and the heat map of ``wasmem map``."""

from __future__ import annotations

from pathlib import Path

import pytest

import wasmem
from wasmem.memory.heat import HeatCounter
from wasmem.memory.map_command import prepare
from wasmem.wasi import WasiConfig

TIERS = ["compile", "interpret"]

READER = """(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $main (export "_start")
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $args (i32.const 16) (i32.const 64)))
    (i32.store (i32.const 32) (i32.const 256))  ;; one iovec: 8 bytes at 256
    (i32.store (i32.const 36) (i32.const 8))
    (drop (call $read (i32.const 0) (i32.const 32) (i32.const 1) (i32.const 40)))))"""


def reader(tier: str) -> wasmem.Instance:
    config = WasiConfig(args=["prog", "hi"], stdin=b"abcdefghij", stdout=None)
    return wasmem.Instance(wasmem.Module(READER), tier=tier, wasi=config)


@pytest.mark.parametrize("tier", TIERS)
def test_a_trace_shows_what_wasi_writes_and_reads(tier: str) -> None:
    instance = reader(tier)
    with instance.trace(calls=False) as trace:
        instance.exports["_start"]()
    host = [(e.kind, e.instruction, e.address, e.size, e.value) for e in trace.events
            if e.instruction.startswith("call ")]
    assert host == [
        ("store", "call wasi_snapshot_preview1.args_sizes_get", 0, 4, b"\x02\0\0\0"),
        ("store", "call wasi_snapshot_preview1.args_sizes_get", 4, 4, b"\x08\0\0\0"),
        ("store", "call wasi_snapshot_preview1.args_get", 64, 8, b"prog\0hi\0"),
        ("store", "call wasi_snapshot_preview1.args_get", 16, 8,
         (64).to_bytes(4, "little") + (69).to_bytes(4, "little")),
        *[("load", "call wasi_snapshot_preview1.fd_read", 32, 8,  # sized, then filled
           (256).to_bytes(4, "little") + (8).to_bytes(4, "little"))] * 2,
        ("store", "call wasi_snapshot_preview1.fd_read", 256, 8, b"abcdefgh"),
        ("store", "call wasi_snapshot_preview1.fd_read", 40, 4, b"\x08\0\0\0"),
    ]
    event = next(e for e in trace.events if e.address == 256)
    assert (event.function_name, event.line, event.column) == ("main", 11, 12)
    assert event.old == bytes(8) or event.old is None
    assert "store call wasi_snapshot_preview1.fd_read M[0x100..+8] = [61 62" in str(event)


@pytest.mark.parametrize("tier", TIERS)
def test_a_watchpoint_sees_a_wasi_write_and_can_stop_the_program(tier: str) -> None:
    instance = reader(tier)
    seen: list[wasmem.observe.WatchEvent] = []
    with instance.watch(258, 260, callback=seen.append):
        instance.exports["_start"]()
    assert [(w.kind, w.address, w.size, w.value, w.old, w.instruction) for w in seen] == [
        ("write", 256, 8, b"abcdefgh", bytes(8), "call wasi_snapshot_preview1.fd_read")]

    class Stop(Exception):
        pass

    def stop(event: object) -> None:
        raise Stop("argv written")  # a ValueError would be WASI's own EINVAL: not here

    instance = reader(tier)
    with instance.watch(64, 72, callback=stop), pytest.raises(Stop):
        instance.exports["_start"]()
    assert instance.exports["memory"].read(64, 8) == b"prog\0hi\0"  # the write happened
    assert instance.exports["memory"].read(256, 8) == bytes(8)  # fd_read did not run
    instance.exports["_start"]()  # the instance stays usable
    assert instance.exports["memory"].read(256, 8) == b"abcdefgh"


@pytest.mark.parametrize("tier", TIERS)
def test_python_imports_are_seen_and_reentry_is_not_counted_twice(tier: str) -> None:
    holder: list[wasmem.Instance] = []

    def poke(address: int) -> None:
        memory = holder[0].exports["memory"]
        memory.write(address, b"\x01\x02")
        holder[0].exports["bump"](address)  # back into wasm: its own store, reported once

    module = wasmem.Module("""(module
      (import "env" "poke" (func $poke (param i32)))
      (memory (export "memory") 1)
      (func (export "bump") (param i32) (i32.store8 (local.get 0) (i32.const 9)))
      (func $go (export "go") (call $poke (i32.const 500))))""")
    from wasmem.syntax.types import I32
    instance = wasmem.Instance(module, {"env": {"poke": wasmem.Function(poke, [I32])}},
                               tier=tier)
    holder.append(instance)
    with instance.trace(calls=False) as trace:
        instance.exports["go"]()
    assert [(e.kind, e.instruction, e.address, e.function_name) for e in trace.events] == [
        ("store", "call env.poke", 500, "go"), ("store", "i32.store8", 500, "bump")]
    instance.exports["memory"].write(0, b"x")  # outside a traced call: not seen
    assert len(trace.events) == 2


@pytest.mark.parametrize("tier", TIERS)
def test_the_heat_map_counts_host_accesses_and_the_start_function(tier: str,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "reader.wat"
    path.write_text(READER, encoding="utf-8")
    heat = HeatCounter()
    _instance, ended = prepare(wasmem.Module(READER), str(path), None, tier=tier, heat=heat)
    assert ended == "after _start"
    assert heat.totals(0, 64, 72) == (0, 1)  # argv ("reader.wat"), written by args_get
    reads, writes = heat.totals(0, 32, 40)  # the iovec: two stores; fd_read reads it
    assert writes == 2 and reads >= 1  # (what it reads from the terminal's stdin varies)

    started = """(module (memory (export "memory") 1)
      (func $init (i32.store (i32.const 100) (i32.const 7))
        (drop (i32.load (i32.const 100))))
      (start $init)
      (func (export "get") (result i32) (i32.load (i32.const 100))))"""
    heat = HeatCounter()
    _instance, ended = prepare(wasmem.Module(started), "started.wat", ["get"], tier=tier,
                              heat=heat, call=lambda inst, words: inst.exports[words[0]]())
    assert heat.totals(0, 100, 104) == (2, 1)  # the start function's store and load
    assert ended == "after get"



def test_wasmem_trace_runs_a_wasi_program_and_a_start_function(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wasmem.cli import main
    hello = Path(wasmem.__file__).parent / "examples" / "wasi" / "hello.wasm"
    assert main(["trace", str(hello), "Zoe", "--memory", "--range", "0x114a8:0x114ac"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Hello, Zoe!" in lines
    assert lines[0].split() == ["store", "call", "wasi_snapshot_preview1.args_sizes_get",
                                "M[0x114a8..+4]", "=", "[02", "00", "00", "00]",
                                "[__wasi_args_sizes_get@@0x26bc]"]
    path = tmp_path / "started.wat"
    path.write_text("""(module (memory 1)
      (func $init (i32.store (i32.const 100) (i32.const 7)))
      (start $init))""", encoding="utf-8")
    assert main(["trace", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "call init()  [init@2:7]", "store i32.store          M[0x64..+4] = 7  [init@2:20]",
        "return init -> ()"]


@pytest.mark.parametrize("tier", TIERS)
def test_a_callback_reading_memory_is_not_a_host_access(tier: str) -> None:
    instance = reader(tier)
    memory = instance.exports["memory"]
    seen: list[tuple[str, int, bytes]] = []

    def look(event: wasmem.observe.WatchEvent) -> None:
        seen.append((event.kind, event.address, memory.read(event.address, event.size)))
    with instance.watch(64, 72, kind="access", callback=look):
        instance.exports["_start"]()
    assert seen == [("write", 64, b"prog\0hi\0")]


def test_the_html_heat_map_has_what_wasi_wrote(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import re

    from wasmem.cli import main
    path = tmp_path / "args.wat"
    path.write_text("""(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $copy (i32.store (i32.const 200) (i32.load (i32.const 300))))
  (start $copy)
  (func (export "_start")
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $args (i32.const 16) (i32.const 64)))))""", encoding="utf-8")
    page = tmp_path / "heat.html"
    assert main(["map", str(path), "--trace", "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "traced: 1 read(s), 5 write(s) in all" in out  # start: 1 + 1; WASI: 0 + 4
    heat = json.loads(re.search(r'"heat": (\[[^\]]*\])', page.read_text()).group(1))
    runs = {(heat[k], heat[k + 1]): (heat[k + 2], heat[k + 3]) for k in range(0, len(heat), 4)}
    assert runs[64, 73] == (0, 1)  # "args.wat\0", written by args_get
    assert runs[200, 204] == (0, 1) and runs[300, 304] == (1, 0)  # the start function
