"""Estimates of translation costs (wasmem/exec/estimates.py)."""

from __future__ import annotations

import wasmem
from wasmem.exec.estimates import (BUILDS_MUCH, TRANSLATION_FIXED, TRANSLATION_PER_BYTE,
                                   builds_much, encoded_size, module_fits, reach_fits,
                                   translation_estimate)

TEXT = """(module
  (import "env" "f" (func $imported (param i32) (result i32)))
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $caller (export "caller") (param i32) (result i32)
    (block (result i32) (call $leaf (local.get 0)))))"""


def _instance(text: str) -> wasmem.Instance:
    imports = {"env": {"f": lambda x: x}}
    data = wasmem.Module(text, cache_dir="").to_bytes()
    return wasmem.Instance(wasmem.Module(data, cache_dir=""), imports=imports)


def test_an_estimate_grows_with_the_body_in_bytes() -> None:
    runtime = _instance(TEXT)._instance
    leaf = runtime.module.functions[0]
    size = leaf.end_position - leaf.position
    assert translation_estimate(runtime, 1) == TRANSLATION_FIXED + TRANSLATION_PER_BYTE * size
    caller = translation_estimate(runtime, 2)
    assert caller is not None and caller > translation_estimate(runtime, 1)  # type: ignore[operator]


def test_imported_functions_and_text_modules_have_no_estimate() -> None:
    runtime = _instance(TEXT)._instance
    assert translation_estimate(runtime, 0) is None  # imported
    from_text = wasmem.Instance(wasmem.Module(TEXT, cache_dir=""), imports={
        "env": {"f": lambda x: x}})
    assert translation_estimate(from_text._instance, 1) is None  # no byte positions


def test_the_reach_of_a_function_adds_its_direct_callees() -> None:
    runtime = _instance(TEXT)._instance
    leaf, caller = translation_estimate(runtime, 1), translation_estimate(runtime, 2)
    assert leaf is not None and caller is not None
    assert reach_fits(runtime, 1, leaf)
    assert not reach_fits(runtime, 2, caller)  # the callee in its block counts too
    assert reach_fits(runtime, 2, caller + leaf)


def test_a_module_fits_when_all_its_defined_functions_do() -> None:
    runtime = _instance(TEXT)._instance
    leaf, caller = translation_estimate(runtime, 1), translation_estimate(runtime, 2)
    assert leaf is not None and caller is not None
    assert module_fits(runtime, leaf + caller)  # (the imported function is not counted)
    assert not module_fits(runtime, leaf + caller - 1e-9)
    from_text = wasmem.Instance(wasmem.Module(TEXT, cache_dir=""), imports={
        "env": {"f": lambda x: x}})
    assert not module_fits(from_text._instance, 1.0)  # sizes unknown: never


def test_a_big_step_is_a_function_of_many_bytes() -> None:
    runtime = _instance(TEXT)._instance
    leaf = runtime.module.functions[0]
    assert encoded_size(runtime, 1) == leaf.end_position - leaf.position < BUILDS_MUCH
    assert encoded_size(runtime, 0) is None and not builds_much(runtime, 0)  # imported
    assert not builds_much(runtime, 1)
    body = " ".join(f"(drop (i32.const {k}))" for k in range(BUILDS_MUCH // 3))
    wide = _instance(TEXT.replace("(block", f"{body} (block"))._instance
    size = encoded_size(wide, 2)
    assert size is not None and size >= BUILDS_MUCH and builds_much(wide, 2)
