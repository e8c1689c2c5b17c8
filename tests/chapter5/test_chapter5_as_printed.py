"""The chapter's twelve listings exactly as printed: each one either works, or fails with a
precise wasmem error (ParseError / ValidationError with line and column, FuelExhausted
naming the function and the loop), never a hang or a Python traceback."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from _chapter5 import AS_PRINTED, CHAPTER, NAMES, load

import wasmem
from wasmem.cli import main


@pytest.mark.skipif(not CHAPTER.exists(),
                    reason="the chapter text (not ours to ship) is not beside the checkout")
def test_as_printed_files_are_the_chapter_listings_verbatim() -> None:
    blocks = re.findall(r"```wat\n(.*?)```", CHAPTER.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == len(NAMES) == 12
    for name, block in zip(NAMES, blocks):
        assert (AS_PRINTED / f"{name}.wat").read_text(encoding="utf-8") == block, name


# ------------------------------------------------------------------ load-time errors
LOAD_ERRORS = {
    "03-memory-grow": (wasmem.ValidationError, 22, 28, "$grow_memory", "type mismatch"),
    "06-bulk-memory": (wasmem.ParseError, 20, 18, None, "unknown data segment $segment_index"),
    "08-passive-data": (wasmem.ParseError, 5, 24, None, "passive"),
    "11-heap-allocator": (wasmem.ValidationError, 54, 24, "$heap_alloc", "type mismatch"),
}


@pytest.mark.parametrize("name", sorted(LOAD_ERRORS))
def test_broken_listing_gives_a_located_error(name: str) -> None:
    kind, line, column, function, text = LOAD_ERRORS[name]
    with pytest.raises(kind) as info:
        wasmem.Module.from_file(AS_PRINTED / f"{name}.wat")
    error = info.value
    assert type(error) is kind
    assert (error.line, error.column) == (line, column)
    assert text in error.message
    if function is not None:
        assert error.function == function
    assert f"{line}:{column}" in str(error)


# ------------------------------------------------------------------ runaway loops
RUNAWAY = [
    ("05-stores", "memory_copy", (0x100, 0x200, 4), "$memory_copy", "$copy_loop"),
    ("05-stores", "memory_fill", (0x100, 7, 4), "$memory_fill", "$fill_loop"),
    ("10-performance", "cache_friendly_sum", (0x100, 4), "$cache_friendly_sum", "$sum_loop"),
    ("10-performance", "vectorized_add", (0, 0x100, 0x200, 8), "$vectorized_add",
     "$vector_loop"),
    ("10-performance", "prefetch_demo", (0x100, 4), "$prefetch_demo", "$prefetch_loop"),
    ("12-pool-allocator", "init_pools", (), "$init_pool", "$init_loop"),
    ("12-pool-allocator", "pool_stats", (16,), "$pool_stats", "$count_loop"),
]


@pytest.mark.parametrize(("name", "export", "args", "function", "loop"), RUNAWAY,
                         ids=[f"{r[0]}-{r[1]}" for r in RUNAWAY])
def test_runaway_loop_is_reported_by_function_and_loop(
        name: str, export: str, args: tuple[int, ...], function: str, loop: str) -> None:
    instance = load(name, folder=AS_PRINTED, fuel=50_000)
    with pytest.raises(wasmem.FuelExhausted) as info:
        instance.exports[export](*args)
    error = info.value
    assert (error.function, error.loop) == (function, loop)
    assert error.line is not None and error.column is not None
    assert function in str(error) and loop in str(error)


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_runaway_loop_on_both_tiers(tier: str) -> None:
    module = wasmem.Module.from_file(AS_PRINTED / "05-stores.wat")
    instance = wasmem.Instance(module, fuel=20_000, tier=tier)
    with pytest.raises(wasmem.FuelExhausted) as info:
        instance.exports["memory_copy"](0, 16, 4)
    assert (info.value.function, info.value.loop) == ("$memory_copy", "$copy_loop")


# ------------------------------------------------------------------ listings that work
def test_listings_that_work_as_printed() -> None:
    e = load("01-memory-basics", folder=AS_PRINTED).exports
    e["memory_demo"](8, 0x01020304)
    assert e["memory"].read(8, 4) == bytes([4, 3, 2, 1])
    e = load("02-memory-layout", folder=AS_PRINTED).exports
    e["push"](5)
    assert e["pop"]() == 5 and e["malloc"](5) == 0x1000
    e = load("04-loads", folder=AS_PRINTED).exports
    assert e["load_operations"](0) is None  # valid, but drops everything it loads
    e = load("07-static-data", folder=AS_PRINTED).exports
    assert e["fast_square"](9) == 81 and e["get_person_age"]() == 26
    e = load("09-alignment", folder=AS_PRINTED).exports
    assert e["alignment_demo"]() is None and e["align_up"](5, 4) == 8


# ------------------------------------------------------------------ command line
def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("name", sorted(LOAD_ERRORS))
def test_cli_validate_reports_place_without_traceback(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    kind, line, column, _function, _text = LOAD_ERRORS[name]
    status, _out, err = run_cli(capsys, "validate", str(AS_PRINTED / f"{name}.wat"))
    assert status == 1
    assert err.startswith(f"wasmem: {kind.__name__}: ")
    assert f"{line}:{column}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", sorted(LOAD_ERRORS))
def test_cli_error_is_one_line_naming_the_file(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(AS_PRINTED / f"{name}.wat")
    status, _out, err = run_cli(capsys, "validate", path)
    assert status == 1 and len(err.strip().splitlines()) == 1
    assert path in err


def test_cli_run_stops_a_runaway_loop(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(capsys, "run", str(AS_PRINTED / "12-pool-allocator.wat"),
                               "--invoke", "init_pools", "--fuel", "100000")
    assert status == 3 and out == ""
    assert "all fuel consumed in $init_pool, loop $init_loop" in err


def test_cli_run_in_a_subprocess_ends_without_traceback() -> None:
    # wrong arguments: a one-line usage error
    result = subprocess.run(
        [sys.executable, "-m", "wasmem", "run", str(AS_PRINTED / "10-performance.wat"),
         "--invoke", "cache_friendly_sum"],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2  # a usage error: the function takes two arguments
    assert "expects 2 arguments" in result.stderr and "Traceback" not in result.stderr
    # no --fuel: the default budget of `wasmem run` ends the runaway loop
    result = subprocess.run(
        [sys.executable, "-m", "wasmem", "run", str(AS_PRINTED / "05-stores.wat"),
         "0", "16", "4", "--invoke", "memory_copy"],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 3, result.stderr
    assert "all fuel consumed in $memory_copy, loop $copy_loop" in result.stderr
    assert "Traceback" not in result.stderr
