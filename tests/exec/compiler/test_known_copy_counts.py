"""The known copies (``exec/compiler/known_copies.py``) are told apart by their
instruction count before any text is made: the counts kept there are those of the
committed wasi-libc bodies, a body one instruction longer or shorter is not taken for
one, and a module's answers are found once per function (a loop continuation's
context, which shares them, gets its own)."""

from __future__ import annotations

from pathlib import Path

import wasmem
from wasmem.exec.compiler import known_copies
from wasmem.exec.compiler.context import ModuleContext
from wasmem.exec.compiler.frames import count_instructions
from wasmem.exec.compiler.known_copies import KNOWN, fingerprint, known_copy, known_copy_of
from wasmem.exec.osr import continuation_context
from wasmem.syntax.instructions import Block
from wasmem.syntax.opcodes import Op

DATA = Path(__file__).parent / "data"


def _module(name: str) -> wasmem.Module:
    return wasmem.Module((DATA / f"wasi_libc_{name}.wat").read_text())


def test_counts_are_those_of_the_known_bodies() -> None:
    found = {}
    for name in ("memcpy", "memset", "memmove"):
        ast = _module(name).ast
        for function in ast.functions:
            if fingerprint(function) in KNOWN:
                found[function.locals] = count_instructions(function.body)
    assert found == known_copies._COUNTS


def test_one_instruction_more_or_less_is_not_known() -> None:
    text = (DATA / "wasi_libc_memset.wat").read_text()
    ast = wasmem.Module(text).ast
    assert known_copy(ast.functions[0], ast.types[ast.functions[0].type_index], 1) == "memset"
    # (a nop before the first local.get; that local.get dropped and read again)
    for changed in (text.replace("      local.get 2\n", "      nop\n      local.get 2\n", 1),
                    text.replace("      local.get 2\n", "      local.get 2\n      drop\n"
                                 "      local.get 2\n", 1)):
        assert changed != text
        other = wasmem.Module(changed).ast
        function = other.functions[0]
        assert count_instructions(function.body) != known_copies._COUNTS[function.locals]
        assert known_copy(function, other.types[function.type_index], 1) is None


def test_answers_kept_per_function() -> None:
    ast = _module("memmove").ast
    ctx = ModuleContext.of(ast)
    kinds = [known_copy_of(ctx, index) for index in range(len(ast.functions))]
    assert kinds == ["memcpy", "memmove"]
    assert [kind for _, kind in ctx.copies.values()] == kinds
    # a continuation of memcpy's first loop: its context shares ctx.copies
    memcpy = ast.functions[0]
    work = list(memcpy.body)
    loop = None
    while loop is None:
        ins = work.pop(0)
        if isinstance(ins, Block):
            if ins.opcode == Op.LOOP:
                loop = ins
            work += ins.body + ins.else_body
    context, synthetic = continuation_context(ctx, 0, loop)
    assert context.copies is ctx.copies
    assert known_copy_of(context, synthetic) is None
    assert known_copy_of(ctx, 0) == "memcpy"
