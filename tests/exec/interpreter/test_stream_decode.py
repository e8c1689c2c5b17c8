"""Decoding for the interpreter straight from a body's bytes (exec/interpreter/stream.py):
the same program as walking the body's tree, closure for closure, without decoding it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _data import SPEC_SUITE

import wasmem
from wasmem.binary.encode import encode_module
from wasmem.binary.encoded import EncodedFunction
from wasmem.exec import tiering
from wasmem.exec.interpreter import InterpretedModule
from wasmem.exec.interpreter.decode import Const, DecodedFunction, FunctionDecoder, Label
from wasmem.exec.interpreter.stream import LoopAt, StreamDecoder
from wasmem.load import load_binary
from wasmem.load.cached import forget_validated
from wasmem.script import engine as script_engine
from wasmem.script.runner import run_file
from wasmem.syntax.instructions import Block
from wasmem.syntax.opcodes import Op

ROOT = Path(__file__).resolve().parents[3]
PROGRAMS = ROOT / "bench" / "c" / "programs"
SPEC = SPEC_SUITE / "core"

LOCALS = " ".join(["i32"] * 150)

SHAPES = f"""(module
  (type $pair (func (param i32 i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $shapes $wide)
  (tag $oops (param i32))
  (func $shapes (export "shapes") (param $n i32) (param $m i32) (result i32) (local $s i64)
    (if (local.get $n) (then (local.set $m (i32.add (local.get $m) (i32.const 1)))))
    (if (local.get $m) (then (nop)) (else))
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 1000))
      (then (i32.const -70000)) (else (local.get $n)))
    (local.set $m)
    (block $out
      (block $a (block $b (block $c
        (br_table $a $b $c $out (i32.and (local.get $n) (i32.const 3))))
        (local.set $m (i32.const 5)) (br $out))
        (local.set $m (i32.const 6)) (br $out))
      (local.set $m (i32.const 7)))
    (block $dead (result i32)
      (br $dead (i32.const 1))
      (if (i32.const 0) (then (loop (br 0))) (else (unreachable)))
      (block (drop (i64.const 0x123456789)) (i32.const 200000) (drop))
      (i32.const 3))
    (drop)
    (if (i32.eq (local.get $n) (i32.const 7))
      (then (return (i32.const 9)) (drop (i32.const 1)))
      (else (br 0) (block (nop))))
    (i64.store offset=7000 align=4 (i32.const 16) (i64.const -1))
    (i32.store8 offset=3 (i32.const 0) (local.get $m))
    (local.set $s (i64.load offset=7000 (i32.const 16)))
    (memory.fill (i32.const 100) (i32.const 7) (i32.const 10))
    (memory.copy (i32.const 200) (i32.const 100) (i32.const 10))
    (f32.store (i32.const 300) (f32.const 1.5))
    (f64.store (i32.const 308) (f64.const -2.25))
    (drop (i32.trunc_sat_f64_s (f64.load (i32.const 308))))
    (drop (i32.add (i32.const -1000) (i32.const -64)))
    (drop (i64.add (i64.const -8000) (i64.const 8191)))
    (drop (select (result i64) (local.get $s) (i64.const 1) (local.get $n)))
    (block $caught (result i32)
      (try_table (catch $oops $caught)
        (if (i32.gt_u (local.get $n) (i32.const 40)) (then (throw $oops (local.get $n)))))
      (i32.const 0))
    (drop)
    (i32.add (local.get $m)
      (i32.add (i32.wrap_i64 (local.get $s))
        (call_indirect (type $pair) (local.get $n) (i32.const 1) (i32.const 1)))))
  (func $wide (param i32 i32) (result i32) (local {LOCALS})
    (local.set 140 (i32.const 1234567))
    (loop $l
      (local.set 141 (i32.add (local.get 141) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 141) (local.get 0))))
    (i32.add (local.get 140) (local.get 141)))
  (func (export "empty"))
  (func (export "v128") (result i32)
    (i32x4.extract_lane 2 (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8)))))
"""


def _norm(value: Any) -> Any:
    if isinstance(value, Label):
        return ("label", value.pc)
    if isinstance(value, Const):
        return ("const", _norm(value.value))
    if isinstance(value, float):
        return ("float", value.hex())
    if isinstance(value, (tuple, list)):
        return tuple(_norm(item) for item in value)
    return value


def _fingerprint(decoded: DecodedFunction) -> tuple[Any, ...]:
    return (decoded.makes, decoded.dests, _norm(decoded.args), _norm(decoded.template),
            decoded.base, decoded.results, decoded.successors, decoded.fuel_count,
            [(r.start, r.end, _norm(r.catches)) for r in decoded.regions],
            list(decoded.positions),
            [(pc, height, loop.position) for pc, height, loop in decoded.loops])


def _binary(text: str) -> wasmem.Module:
    return wasmem.Module(encode_module(wasmem.Module(text).ast), cache_dir=False)


def _compare_all(module: wasmem.Module) -> int:
    ast = module.ast
    info = InterpretedModule.of(ast).info
    compared = 0
    for index in range(info.imported_functions, info.imported_functions + len(ast.functions)):
        function = ast.functions[index - info.imported_functions]
        assert isinstance(function, EncodedFunction) and not function.is_decoded
        streamed = StreamDecoder(info, index, False).decode()
        assert not function.is_decoded  # no tree was needed
        walked = FunctionDecoder(info, index, False).decode()
        assert _fingerprint(streamed) == _fingerprint(walked)
        # found in the tree by position: the very nodes the tree's decoder recorded
        assert [id(ins) for ins in streamed.instructions] == \
            [id(ins) for ins in walked.instructions]
        for _, _, loop in streamed.loops:
            assert isinstance(loop, LoopAt)
            assert any(loop.block(function.body) is other for _, _, other in walked.loops)
        compared += 1
    return compared


def test_the_program_is_the_tree_decoders_on_edge_shapes() -> None:
    assert _compare_all(_binary(SHAPES)) == 4


@pytest.mark.parametrize("name", ["mallocs", "sortcopy", "coremark"])
def test_the_program_is_the_tree_decoders_on_compiled_c(name: str) -> None:
    module = wasmem.Module((PROGRAMS / f"{name}.wasm").read_bytes(), cache_dir=False)
    assert _compare_all(module) > 0


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 50])
def test_runs_alike_on_every_tier(n: int) -> None:
    module = _binary(SHAPES)
    results = {tier: wasmem.Instance(module, tier=tier).exports["shapes"](n, 4)
               for tier in ("interpret", "compile")}
    assert results["interpret"] == results["compile"]
    assert wasmem.Instance(module, tier="interpret").exports["v128"]() == 10


def test_the_interpreter_leaves_the_body_encoded() -> None:
    module = _binary(SHAPES)
    instance = wasmem.Instance(module, tier="interpret")
    instance.exports["shapes"](2, 3)
    function = module.ast.functions[0]
    assert isinstance(function, EncodedFunction) and not function.is_decoded
    decoded = InterpretedModule.of(module.ast).function(0, False)
    start, end = function.encoded[1], function.encoded[2]
    assert all(p is None or (isinstance(p, int) and start <= p < end) for p in decoded.positions)
    assert decoded.instructions[0] is not None and function.is_decoded  # asked: decoded
    # with fuel the tree is walked (the straight-line counts are the tree's)
    fueled = InterpretedModule.of(module.ast).function(0, True)
    assert not any(isinstance(loop, LoopAt) for _, _, loop in fueled.loops)


def test_a_loop_found_by_position_is_the_trees_loop() -> None:
    module = _binary(SHAPES)
    function = module.ast.functions[1]
    decoded = StreamDecoder(InterpretedModule.of(module.ast).info, 1, False).decode()
    (_, _, loop), = decoded.loops
    block = loop.block(function.body)
    assert isinstance(block, Block) and block.opcode == Op.LOOP
    with pytest.raises(LookupError):
        LoopAt(loop.position + 1).block(function.body)


def test_a_hot_loop_continues_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiering, "CALL_BUDGET", 5)
    monkeypatch.setattr(tiering, "LOOP_BUDGET", 10)
    expected = wasmem.Instance(_binary(SHAPES), tier="compile").exports["shapes"](5000, 1)
    forget_validated()  # (so the same bytes load as a module of their own)
    instance = wasmem.Instance(_binary(SHAPES))  # (a module of its own: nothing translated)
    assert instance.exports["shapes"](5000, 1) == expected
    tier = instance._instance.tier
    assert (1, 0) in tier.continuations and tier.continuations[(1, 0)] is not None


class _BinaryEngine(script_engine.WasmemEngine):
    """Runs a spec script with every text module re-encoded to a binary, so that the
    interpreter decodes its bodies from their bytes."""

    def load(self, source: Any, file: str | None) -> Any:
        module = super().load(source, file)
        if isinstance(source, script_engine.BinaryModule):
            return module
        return load_binary(encode_module(module), file=file)


@pytest.mark.parametrize("name", ["block", "br_if", "br_table", "if", "loop", "unwind",
                                  "unreachable", "select", "local_tee", "call_indirect"])
def test_spec_scripts_pass_with_bodies_read_from_their_bytes(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    streamed = []
    original = FunctionDecoder.from_bytes
    assert original is not None

    def counting(info: Any, index: int) -> DecodedFunction | None:
        decoded = original(info, index)
        streamed.append(decoded is not None)
        return decoded

    monkeypatch.setattr(FunctionDecoder, "from_bytes", counting)
    report = run_file(str(SPEC / f"{name}.wast"), engine=_BinaryEngine(tier="interpret"))
    failed = [outcome for outcome in report.outcomes if outcome.status == "failed"]
    assert not failed, failed[:3]
    assert any(streamed)


def _switch(cases: int) -> str:
    """A C-style ``switch`` as compilers lay it out: ``cases`` nested blocks, a
    ``br_table`` at the innermost (depths of two LEB128 bytes past 127), each case's
    code after its block's ``end``; the constants sit around the limits of their
    one-, two- and three-byte encodings."""
    values = [8191, 8192, -8192, -8193, 1048575, -1048576, 1048576, -1048577, 70000]
    arms = "".join(  # (each after the end of the block a case's label names)
        f") (local.set $r (i32.const {values[k % len(values)] + k})) (br $out)\n"
        for k in range(cases))
    return f"""(module
  (func (export "switch") (param $n i32) (result i32) (local $r i32)
    (block $out
      {"(block " * cases}
        (br_table {" ".join(str(k) for k in range(cases))} {cases} (local.get $n))
      {arms}
      (local.set $r (i64.lt_s (i64.const -1048577) (i64.const 1048575))))
    (local.get $r)))
"""


@pytest.mark.parametrize("n", [0, 1, 127, 128, 129, 199, 200, 1000])
def test_a_big_switch_decodes_and_runs_alike(n: int) -> None:
    module = _binary(_switch(200))
    assert _compare_all(module) == 1
    results = {tier: wasmem.Instance(module, tier=tier).exports["switch"](n)
               for tier in ("interpret", "compile")}
    values = [8191, 8192, -8192, -8193, 1048575, -1048576, 1048576, -1048577, 70000]
    assert results["interpret"] == results["compile"] == (
        values[n % len(values)] + n if n < 200 else 0)


SETS = """(module
  (func (export "sets") (param $n i32) (param $m i64) (result i64) (local $a i32) (local $b i64)
    ;; local.set / local.tee of constants at the one-byte limits, of a computed value (the
    ;; add writes the local), of the local itself, of a local still on the stack (spilled)
    (local.set $a (i32.const 63))
    (local.set $a (i32.add (local.get $a) (i32.const -64)))
    (local.set $b (i64.const -1))
    (local.set $b (i64.add (local.get $b) (i64.const 64)))
    (local.set $b (i64.add (local.tee $b (i64.const -65)) (local.get $b)))
    (local.set $n (local.get $n))
    (local.set $a (i32.add (local.get $a) (local.tee $a (local.get $n))))
    (local.get $a)
    (local.set $a (i32.const 0))
    (local.set $n (i32.add (local.get $n)))
    (block $done (result i64)
      (drop (br_if $done (local.get $m) (i32.eqz (local.get $n))))  ;; carries a value
      (block $skip
        (br_if $skip (i32.const 1))  ;; a constant condition
        (local.set $n (i32.const 99)))
      (block $skip
        (br_if $skip (i32.eqz (i32.lt_u (local.get $n) (i32.const 5))))
        (local.set $n (i32.mul (local.get $n) (i32.const 3))))
      (loop $l
        (local.set $n (local.tee $a (i32.add (local.get $n) (i32.const 1))))
        (br_if $l (i32.lt_u (local.get $a) (i32.const 20))))
      (i64.add (i64.extend_i32_u (local.get $n))
        (i64.add (local.get $b) (local.get $m))))))
"""


@pytest.mark.parametrize("n", [0, 1, 4, 5, 30])
def test_sets_constants_and_branches_decode_and_run_alike(n: int) -> None:
    module = _binary(SETS)
    assert _compare_all(module) == 1
    results = {tier: wasmem.Instance(module, tier=tier).exports["sets"](n, 7)
               for tier in ("interpret", "compile")}
    assert results["interpret"] == results["compile"]
