"""``exec/compiler/sizes.exceeds``: instructions counted from a body's bytes, up to a
limit, give the answer of the decoded body's count (``frames.count_instructions``) or
no answer; ``frames.count_up_to`` gives the count up to a limit; and
``ModuleContext.function_size`` gives what it gave from decoded bodies."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.binary import decode_module, encode_module
from wasmem.binary.encoded import EncodedFunction
from wasmem.exec.compiler.context import ModuleContext
from wasmem.exec.compiler.frames import count_instructions, count_up_to
from wasmem.exec.compiler.sizes import exceeds
from wasmem.syntax import Function, FuncType, Module
from wasmem.syntax.instructions import Block, Instruction
from wasmem.syntax.opcodes import OPCODES
from wasmem.syntax.types import F64, I32, I64

_KEY = {info.name: key for key, info in OPCODES.items()}
U32 = st.one_of(st.integers(0, 127), st.integers(0, 2**32 - 1))
U64 = st.one_of(st.integers(0, 127), st.integers(0, 2**64 - 1))
_MEMARG = st.tuples(st.integers(0, 3), U64, st.sampled_from([0, 0, 1, 300]))

# opcode name -> its immediates (the shapes of wasmem.syntax.instructions)
_PLAIN: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "nop": st.just(()), "drop": st.just(()), "i32.add": st.just(()),
    "local.get": st.tuples(U32), "call": st.tuples(U32), "br_if": st.tuples(U32),
    "global.set": st.tuples(U32), "call_indirect": st.tuples(U32, U32),
    "i32.const": st.tuples(U32), "i64.const": st.tuples(U64),
    "f32.const": st.tuples(st.integers(0, 2**32 - 1)),
    "f64.const": st.tuples(st.integers(0, 2**64 - 1)),
    "i32.load": _MEMARG, "i64.store": _MEMARG, "i32.load8_u": _MEMARG,
    "br_table": st.tuples(st.lists(U32, max_size=40).map(tuple), U32),
    "memory.copy": st.tuples(U32, U32), "memory.fill": st.tuples(U32),
    "memory.init": st.tuples(U32, U32), "data.drop": st.tuples(U32),
    "i32.trunc_sat_f32_s": st.just(()), "table.get": st.tuples(U32),
    # not stepped over by the scan (it answers None once it reaches one)
    "v128.const": st.tuples(st.integers(0, 2**128 - 1)),
    "select": st.just(()),
}
_BLOCK_TYPES = st.one_of(st.none(), st.sampled_from([I32, I64, F64]), st.integers(0, 2**20))


@st.composite
def _plain(draw: st.DrawFn) -> Instruction:
    name = draw(st.sampled_from(sorted(_PLAIN)))
    return Instruction(_KEY[name], draw(_PLAIN[name]))


def _structured(children: st.SearchStrategy[tuple[Instruction, ...]]
                ) -> st.SearchStrategy[Block]:
    @st.composite
    def build(draw: st.DrawFn) -> Block:
        name = draw(st.sampled_from(["block", "loop", "if"]))
        else_body = draw(children) if name == "if" else ()
        return Block(_KEY[name], (draw(_BLOCK_TYPES),), body=draw(children),
                     else_body=else_body)
    return build()


_BODIES = st.recursive(
    st.lists(_plain(), max_size=8).map(tuple),
    lambda children: st.lists(st.one_of(_plain(), _structured(children)),
                              max_size=6).map(tuple),
    max_leaves=40)


def _encoded(bodies: list[tuple[Instruction, ...]]) -> Module:
    """The module of these bodies (not valid: only its syntax matters), decoded back
    with its bodies kept as bytes."""
    module = Module(types=(FuncType((), ()),),
                    functions=tuple(Function(0, (I32,), body) for body in bodies))
    return decode_module(encode_module(module), lazy_bodies=True)


@given(_BODIES, st.integers(0, 60))
@settings(max_examples=300, deadline=None)
def test_count_from_bytes_is_the_decoded_count(body: tuple[Instruction, ...],
                                               limit: int) -> None:
    function = _encoded([body]).functions[0]
    assert isinstance(function, EncodedFunction)
    data, start, end = function.encoded
    answer = exceeds(data, start, end, limit)
    count = count_instructions(function.body)
    if answer is not None:
        assert answer == (count > limit)
    for near in {count - 1, count, count + 1} - {-1}:  # (the limits around the count)
        answer = exceeds(data, start, end, near)
        assert answer is None or answer == (count > near)


def test_compiled_bodies_are_answered() -> None:
    """Code of the shape compilers emit (blocks, loops, loads, a br_table) is counted
    from the bytes, never left to a decode."""
    text = """(module (memory 1)
      (func $f (param i32) (result i32) (local i64)
        (block $out (loop $top
          (br_table $out $top $out (i32.load8_u offset=1000 (local.get 0)))))
        (if (result i32) (local.get 0)
          (then (i64.store (local.get 0) (i64.const -5000000000)) (i32.const 1))
          (else (memory.fill (local.get 0) (i32.const 0) (i32.const 70000))
                (i32.trunc_sat_f64_s (f64.const 2.5))))))"""
    module = decode_module(wasmem.Module(text).to_bytes(), lazy_bodies=True)
    function = module.functions[0]
    assert isinstance(function, EncodedFunction)
    data, start, end = function.encoded
    count = count_instructions(function.body)
    assert count == 17
    assert [exceeds(data, start, end, limit) for limit in range(count + 2)] == \
        [True] * count + [False, False]


def test_function_size_unchanged() -> None:
    """Counts and bounds of ``function_size`` are those of the decoded bodies; a body
    ruled out from its bytes stays encoded."""
    small = tuple(Instruction(_KEY["nop"], ()) for _ in range(5))
    large = tuple(Instruction(_KEY["i32.const"], (1,)) for _ in range(30)) + (
        Instruction(_KEY["drop"], ()),) * 30
    module = _encoded([small, large])
    ctx = ModuleContext.of(module)
    assert ctx.function_size(1, 40) == 41  # (60 instructions, 90 bytes: under 8 * 40)
    assert not module.functions[1].is_decoded  # type: ignore[attr-defined]
    assert ctx.function_size(1, 100) == 60  # a larger limit asks again
    assert ctx.function_size(0, 40) == 5
    assert ctx.function_size(0, 2) == 5  # a count is remembered


@given(_BODIES, st.integers(0, 60))
@settings(max_examples=300, deadline=None)
def test_count_up_to_is_the_count_within_the_limit(body: tuple[Instruction, ...],
                                                   limit: int) -> None:
    count = count_instructions(body)
    bounded = count_up_to(body, limit)
    if count <= limit:
        assert bounded == count
    else:
        assert limit < bounded <= count
    for near in {count - 1, count, count + 1} - {-1}:
        assert (count_up_to(body, near) > near) == (count > near)


@given(st.lists(_BODIES, min_size=1, max_size=3), st.lists(st.integers(0, 60), max_size=6))
@settings(max_examples=100, deadline=None)
def test_function_size_of_decoded_bodies(bodies: list[tuple[Instruction, ...]],
                                         limits: list[int]) -> None:
    """Bodies already decoded (as after the interpreter ran them) are counted only up
    to the limit; any sequence of questions gets the answers of the whole counts."""
    module = _encoded(bodies)
    for function in module.functions:
        function.body  # noqa: B018 (decoded now)
    ctx = ModuleContext.of(module)
    counts = [count_instructions(function.body) for function in module.functions]
    for k, limit in enumerate(limits):
        index = k % len(bodies)
        size = ctx.function_size(index, limit)
        # (the count, or limit + 1 when it exceeds the limit; a count once found is
        # remembered, and may be given for a smaller limit)
        assert size in (counts[index], limit + 1)
        assert (size > limit) == (counts[index] > limit)
