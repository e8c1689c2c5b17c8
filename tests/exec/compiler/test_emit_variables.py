"""Translation of variable and parametric instructions (exec/compiler/emit_variables.py)."""

from __future__ import annotations

import wasmem
from wasmem.exec.compiler.stack import MAX_EXPR_DEPTH
from wasmem.exec.compiler.tier import CompiledModule


def test_a_long_chain_of_selects_translates() -> None:
    """A ``select`` counts as deep as its deepest operand: chains of them are cut into
    statements like other expressions (it once claimed depth 1 whatever its operands, so
    1,000 nested selects made one Python expression the parser rejects, and the function
    ran on the interpreter). Nested as the first operand, the operand stack stays low."""
    body = "(local.get 0)"
    for _ in range(40 * MAX_EXPR_DEPTH):
        body = f"(select {body} (i32.const 2) (local.get 0))"
    module = wasmem.Module(f'(module (func (export "f") (param i32) (result i32) {body}))')
    assert CompiledModule.of(module.ast).code(0, False) is not None
    for tier in ("compile", "interpret"):
        instance = wasmem.Instance(module, tier=tier)
        assert (instance.exports["f"](0), instance.exports["f"](1)) == (2, 1), tier
