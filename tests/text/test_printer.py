"""The printer: every module of spec tiers 1 and 2 prints to text that parses back equal."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmem.errors import WasmError
from wasmem.script import commands as c
from _data import SPEC_SUITE as SUITE
from _data import tier_files
from wasmem.text import parse_module, parse_module_source, parse_script, print_module
from wasmem.text.printer import format_f32, format_f64

FILES = sorted(tier_files("1-memory.txt", "2-core.txt"))


@pytest.mark.parametrize("path", FILES, ids=[Path(p).stem for p in FILES])
def test_print_parse_round_trip(path: str) -> None:
    script = parse_script((SUITE / path).read_text(encoding="utf-8"), file=path)
    checked = 0
    for command in script:
        if not isinstance(command, c.ModuleCommand):
            continue
        try:
            module = parse_module_source(command.source)
        except WasmError:
            continue  # GC modules and the like
        text = print_module(module)
        assert parse_module(text) == module, f"{path}:{command.line}\n{text[:2000]}"
        checked += 1
    assert checked or not any(isinstance(cmd, c.ModuleCommand) for cmd in script)


@pytest.mark.parametrize(("bits", "text"), [
    (0x7FC00000, "nan:0x400000"), (0xFF800000, "-inf"), (0x80000000, "-0x0.0p+0"),
    (0x3F800000, "0x1.0000000000000p+0"), (0x00000001, "0x1.0000000000000p-149"),
])
def test_f32_text(bits: int, text: str) -> None:
    assert format_f32(bits) == text


def test_f64_nan_payload() -> None:
    assert format_f64(0xFFF0000000000001) == "-nan:0x1"
