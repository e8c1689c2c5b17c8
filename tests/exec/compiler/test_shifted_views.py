"""Loads and stores of unknown alignment through the shifted views (``V32U_0[a & 3][a >>
2]``, ``exec/compiler/emit_memory.py``, ``LinearMemory.bind_shifted_views``): every
alignment, the last bytes of memory (traps exactly where the access passes the end), after
``memory.grow`` (the lists follow), addresses computed by expressions, against the
interpreter; and a trap there reports the real address."""

from __future__ import annotations

import pytest

import wasmem

PAGE = 65536

ACCESSES = {
    "i32.load": ("i32", 4), "i64.load": ("i64", 8), "f64.load": ("f64", 8),
    "i32.load16_u": ("i32", 2), "i64.load16_u": ("i64", 2), "i64.load32_u": ("i64", 4),
}
STORES = {
    "i32.store": ("i32", 4), "i64.store": ("i64", 8), "f64.store": ("f64", 8),
    "i32.store16": ("i32", 2), "i64.store16": ("i64", 2), "i64.store32": ("i64", 4),
}


def _module() -> str:
    funcs = []
    for k, (op, (t, _size)) in enumerate(ACCESSES.items()):
        # (declared unaligned: a naturally aligned access through a parameter would
        # test the parameter at entry instead, see test_compiler_param_alignment.py)
        funcs.append(f'(func (export "l{k}") (param i32) (result {t}) ({op} align=1 '
                     '(local.get 0)))')
        funcs.append(f'(func (export "o{k}") (param i32) (result {t}) ({op} offset=5 '
                     '(i32.add (local.get 0) (i32.const 1))))')
    for k, (op, (t, _size)) in enumerate(STORES.items()):
        value = {"i32": "(i32.const 0x89ABCDEF)", "i64": "(i64.const 0x0123456789ABCDEF)",
                 "f64": "(f64.reinterpret_i64 (i64.const 0x7FF4000000000123))"}[t]
        funcs.append(f'(func (export "s{k}") (param i32) ({op} align=1 (local.get 0) {value}))')
        funcs.append(f'(func (export "t{k}") (param i32) ({op} offset=3 (i32.add '
                     f'(local.get 0) (i32.const 2)) {value}))')
    funcs.append('(func (export "grow") (result i32) (memory.grow (i32.const 1)))')
    return ('(module (memory (export "memory") 1 3)\n'
            '(data (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f")\n'
            + "\n".join(funcs) + ")")


SOURCE = _module()


def _run(tier: str, calls: list[tuple[str, int]]) -> tuple[list[object], bytes]:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier=tier)
    out: list[object] = []
    for name, address in calls:
        try:
            value = instance.exports[name](*([] if name == "grow" else [address]))
            out.append(value if not isinstance(value, float) else value.hex())
        except wasmem.Trap as trap:
            out.append(f"trap {str(trap).splitlines()[0]}")
    memory = instance.exports["memory"]
    return out, bytes(memory.buffer)


def _addresses(end: int) -> list[int]:
    return [*range(0, 11), *range(end - 12, end + 2), 0xFFFFFFFF, 0xFFFFFFF0]


@pytest.mark.parametrize("grown", [False, True])
def test_every_alignment_agrees_with_the_interpreter(grown: bool) -> None:
    end = 2 * PAGE if grown else PAGE
    calls: list[tuple[str, int]] = [("grow", 0)] if grown else []
    for k in range(len(STORES)):
        for address in _addresses(end):
            calls += [(f"s{k}", address), (f"t{k}", address)]
    for k in range(len(ACCESSES)):
        for address in _addresses(end):
            calls += [(f"l{k}", address), (f"o{k}", address)]
    compiled = _run("compile", calls)
    assert compiled == _run("interpret", calls)
    assert sum(isinstance(r, str) and r.startswith("trap") for r in compiled[0]) > 0


def test_the_source_uses_the_shifted_views() -> None:
    from wasmem.exec.compiler.tier import CompiledModule
    compiled = CompiledModule.of(wasmem.Module(SOURCE).ast)
    assert "VF64U_0[l0 & 7][l0 >> 3]" in (compiled.source(4) or "")
    assert "V32U_0[(_m := " in (compiled.source(1) or "")


def test_a_trap_reports_the_real_address() -> None:
    instance = wasmem.Instance(wasmem.Module(SOURCE), tier="compile")
    with pytest.raises(wasmem.Trap) as info:
        instance.exports["l0"](PAGE - 3)
    assert (info.value.address, info.value.length) == (PAGE - 3, 4), info.value  # type: ignore[attr-defined]
