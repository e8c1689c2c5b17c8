"""The fused validator's fast paths at the edge of a frame's operand stack: generated
straight-line bodies (nested in blocks, so that values below the frame's height are
there to be wrongly taken) are accepted by the fused validator alone exactly when the
tree validator accepts them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.binary import decode_module, encode_module
from wasmem.load.encoded import check_encoded_body
from wasmem.text import parse_module
from wasmem.valid import validate_module

_INSTRUCTIONS = [
    "i32.const 1", "i64.const 2", "local.get 0", "local.get 1", "i32.add", "i64.add",
    "i32.eqz", "i32.wrap_i64", "i32.load", "i32.store", "local.set 0", "local.tee 1",
    "drop", "br_if 0", "block", "block (result i32)", "end",
]
"""(few, so that short runs meet: a frame opened on values of the outer one, then an
operator that would take one of them)"""


def _body(words: list[str]) -> str:
    """``words`` as a body with its blocks closed (an ``end`` with none open is left out)."""
    depth = 0
    kept = []
    for word in words:
        if word == "end":
            if not depth:
                continue
            depth -= 1
        elif word.startswith(("block", "loop")):
            depth += 1
        kept.append(word)
    return " ".join(kept + ["end"] * depth)


def _tree_valid(data: bytes) -> bool:
    try:
        validate_module(decode_module(data))
    except wasmem.WasmError:
        return False
    return True


def _fused_valid(data: bytes) -> bool:
    try:
        validate_module(decode_module(data, lazy_bodies=True), check_body=check_encoded_body)
    except wasmem.WasmError:
        return False
    return True


@settings(max_examples=600, deadline=None)
@given(outer=st.lists(st.sampled_from(_INSTRUCTIONS[:5]), max_size=3),
       words=st.lists(st.sampled_from(_INSTRUCTIONS), max_size=10),
       result=st.sampled_from(["", "(result i32)", "(result i64)"]))
def test_fused_and_tree_validators_agree_at_frame_edges(
        outer: list[str], words: list[str], result: str) -> None:
    body = " ".join(outer) + f" block {result} " + _body(words) + " end unreachable"
    data = encode_module(parse_module(
        f"(module (memory 1) (func (param i32 i64) (local i32) {body}))"))
    assert _fused_valid(data) == _tree_valid(data), body


_SHORT = ["i32.const 1", "i64.const 2", "local.get 0", "i32.add", "i64.add", "i32.eqz",
          "i32.load", "i32.store", "local.set 0", "local.tee 1", "drop", "br_if 0"]


def test_every_short_run_in_a_frame_over_outer_values() -> None:
    """Every run of up to three of ``_SHORT`` as a block's whole body, the block opened
    on nothing, an i32 or an i64 of the outer frame (which no instruction of the block
    may take), with the block's result empty or i32."""
    runs: list[tuple[str, ...]] = [()]
    for length in range(3):
        runs += [(*run, word) for run in runs if len(run) == length for word in _SHORT]
    for outer in ("", "i32.const 7", "i64.const 7"):
        for result in ("", "(result i32)"):
            for run in runs:
                body = f"{outer} block {result} {' '.join(run)} end unreachable"
                data = encode_module(parse_module(
                    f"(module (memory 1) (func (param i32 i64) (local i32) {body}))"))
                assert _fused_valid(data) == _tree_valid(data), body
