"""The interpreter's table of the bytecode instructions that name local variables
(``_LOCAL_OPCODES``, used to find factories that never read their link context): known
per bytecode magic number so that :mod:`opcode` is not imported, and always what
:mod:`opcode` says."""

from __future__ import annotations

import opcode
import sys

import pytest

from wasmem.exec import interpreter


def _from_opcode() -> tuple[tuple[int, bool], ...]:
    return tuple((number, name.count("FAST") > 1) for name, number in opcode.opmap.items()
                 if "FAST" in name and number < 256)


def test_the_table_is_what_opcode_gives() -> None:
    assert interpreter._LOCAL_OPCODES == _from_opcode()
    assert interpreter._local_opcodes() == _from_opcode()


def test_an_unknown_bytecode_asks_opcode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interpreter, "_KNOWN_LOCAL_OPCODES", {})
    assert interpreter._local_opcodes() == _from_opcode()


def test_known_entries_are_consistent() -> None:
    """Every known entry names distinct instructions with one-byte numbers, and the
    running Python's entry, if any, is the one looked up."""
    for entry in interpreter._KNOWN_LOCAL_OPCODES.values():
        numbers = [number for number, _paired in entry]
        assert len(set(numbers)) == len(numbers) and all(0 <= n < 256 for n in numbers)
    magic = getattr(sys.modules.get("_frozen_importlib_external"), "MAGIC_NUMBER", None)
    if magic in interpreter._KNOWN_LOCAL_OPCODES:
        assert interpreter._KNOWN_LOCAL_OPCODES[magic] == _from_opcode()


def test_context_free_verdicts_stand() -> None:
    """A factory reading its context is not context-free; one that does not, is."""
    def reads(ctx: object, nxt: int, dest: int) -> object:
        return ctx

    def ignores(ctx: object, nxt: int, dest: int) -> object:
        def op(R: list[int]) -> int:
            R[dest] = 1
            return nxt
        return op

    assert interpreter._context_free(reads) is False
    assert interpreter._context_free(ignores) is True
