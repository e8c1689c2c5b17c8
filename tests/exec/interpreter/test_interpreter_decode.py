"""The interpreter's decoded form (exec/interpreter/decode.py): a program kept as
parallel lists, viewed as :class:`IROp` objects, with positions derived on demand."""

from __future__ import annotations

import pytest

import wasmem
from wasmem.exec.interpreter import InterpretedModule
from wasmem.exec.interpreter.decode import DecodedFunction, IROp
from wasmem.exec.interpreter.ops import op_exit

LOOP = """(module
  (func (export "sum") (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (if (result i32) (i32.gt_u (local.get $s) (i32.const 1000))
      (then (i32.const 1000)) (else (local.get $s)))))"""


def _decoded(fuel: bool = False) -> DecodedFunction:
    module = wasmem.Module(LOOP, cache_dir=False)
    instance = wasmem.Instance(module, tier="interpret")
    assert instance.exports["sum"](10) == 55
    assert instance.exports["sum"](100) == 1000
    return InterpretedModule.of(module.ast).function(0, fuel)


@pytest.mark.parametrize("fuel", [False, True])
def test_the_view_matches_the_parallel_lists(fuel: bool) -> None:
    decoded = _decoded(fuel)
    ir = decoded.ir
    makes, dests, args = decoded.makes, decoded.dests, decoded.args
    assert len(ir) == len(makes) == len(dests) == len(args) > 0
    ops = list(ir)
    assert all(isinstance(op, IROp) for op in ops)
    assert [op.make for op in ops] == makes
    assert [op.dest for op in ops] == dests
    assert [op.args for op in ops] == args
    assert ir[-1].make is ops[-1].make and ir[0].args == args[0]
    assert any(op.make is op_exit for op in ops)
    with pytest.raises(IndexError):
        ir[len(makes)]


def test_positions_come_from_the_instructions() -> None:
    decoded = _decoded()
    positions = decoded.positions
    instructions = decoded.instructions
    assert len(positions) == len(instructions) == len(decoded.ir)
    assert positions == [None if ins is None else ins.position for ins in instructions]
    assert positions is decoded.positions  # made once


@pytest.mark.parametrize("binary", [False, True])
def test_jump_threading_of_deeply_nested_ifs_is_linear(binary: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each then-part ends in a jump into the enclosing then-part's jump: threading
    walked the whole chain from every label (quadratic: 50,000 nested ifs, a 1 MB text,
    took minutes). Counted, not timed: the jumps followed stay proportional to the depth."""
    from wasmem.exec.interpreter import ops
    depth = 3000
    text = ('(module (func (export "f") (param i32) (result i32) '
            + "(if (result i32) (local.get 0) (then " * depth + "(i32.const 7)"
            + ") (else (i32.const 1)))" * depth + "))")
    module = wasmem.Module(wasmem.Module(text).to_bytes() if binary else text, cache_dir=False)
    followed = [0]
    original = ops.Label.target

    def target(label: ops.Label) -> int:
        followed[0] += 1
        return original(label)

    monkeypatch.setattr(ops.Label, "target", target)
    instance = wasmem.Instance(module, tier="interpret")
    assert instance.exports["f"](1) == 7
    assert instance.exports["f"](0) == 1
    assert followed[0] < 40 * depth
