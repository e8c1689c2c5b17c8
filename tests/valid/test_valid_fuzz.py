"""Property tests: mutated spec modules never crash the validator, and its verdict agrees
with wasmtime's (``wasmtime.Module.validate`` with the needed proposals enabled).

Seed modules come from a few spec scripts converted by ``wast2json`` and decoded by
:func:`wasmem.binary.decode_module`; mutations drop, duplicate, swap, insert and replace
instructions (also inside nested blocks) and change immediates (indices, block types,
heap types, lanes, memargs).
"""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasmem.errors import UnsupportedFeature, ValidationError, WasmError
from wasmem.syntax import (
    EXTERNREF,
    F64,
    FUNCREF,
    I32,
    I64,
    AbsHeapType,
    Block,
    Instruction,
    Module,
    RefType,
)
from wasmem.valid import validate_module

from _data import SPEC_SUITE

SUITE = SPEC_SUITE / "core"
SEED_FILES = [
    "block", "br_table", "call_indirect", "local_tee", "select", "unreached-valid",
    "memory_copy", "table_copy", "ref_func", "br_on_null", "call_ref", "return_call_ref",
    "throw", "memory-multi", "address64", "bulk", "local_init", "if", "loop", "elem",
    "table_grow64", "load2", "memory_init64",
]

pytestmark = pytest.mark.skipif(shutil.which("wast2json") is None,
                                reason="WABT wast2json not on PATH")


@pytest.fixture(scope="module")
def seed_modules(tmp_path_factory: pytest.TempPathFactory) -> list[Module]:
    from wasmem.binary.decode import decode_module

    modules: list[Module] = []
    for name in SEED_FILES:
        out = tmp_path_factory.mktemp(name.replace("-", "_"))
        json_path = out / f"{name}.json"
        result = subprocess.run(["wast2json", "--enable-all", str(SUITE / f"{name}.wast"),
                                 "-o", str(json_path)],
                                check=False, capture_output=True, timeout=120)
        if result.returncode != 0:
            continue
        for command in json.loads(json_path.read_text())["commands"]:
            filename = command.get("filename", "")
            if command["type"] != "module" or not filename.endswith(".wasm"):
                continue
            try:
                module = decode_module((out / filename).read_bytes())
            except WasmError:
                continue
            if module.functions:
                modules.append(module)
    if not modules:
        pytest.skip("no seed modules could be converted and decoded")
    return modules


@pytest.fixture(scope="module")
def wasmtime_engine() -> Any:
    wasmtime = pytest.importorskip("wasmtime")
    config = wasmtime.Config()
    for feature in ("wasm_bulk_memory", "wasm_exceptions", "wasm_function_references",
                    "wasm_memory64", "wasm_multi_memory", "wasm_multi_value",
                    "wasm_reference_types", "wasm_simd", "wasm_tail_call",
                    "wasm_relaxed_simd", "wasm_gc"):
        setattr(config, feature, True)
    return wasmtime.Engine(config)


def _instructions(module: Module) -> list[Instruction]:
    found: list[Instruction] = []
    stack = [function.body for function in module.functions]
    while stack:
        for ins in stack.pop():
            found.append(ins)
            if isinstance(ins, Block):
                stack.append(ins.body)
                stack.append(ins.else_body)
    return found


_REPLACEMENTS: list[object] = [None, I32, I64, F64, FUNCREF, EXTERNREF, AbsHeapType.FUNC,
                               AbsHeapType.EXTERN, AbsHeapType.NOFUNC,
                               RefType(False, AbsHeapType.FUNC), RefType(True, 0)]


def _mutate_immediate(rng: random.Random, ins: Instruction) -> Instruction:
    immediates = list(ins.immediates)
    if not immediates:
        return ins
    k = rng.randrange(len(immediates))
    value = immediates[k]
    if isinstance(value, bool):
        return ins
    if isinstance(value, int):
        immediates[k] = rng.choice([0, 1, 2, 3, value + 1, max(value - 1, 0),
                                    rng.randrange(64), 1 << 32])
    elif value is None or isinstance(value, (RefType, AbsHeapType)) or value in (I32, I64):
        immediates[k] = rng.choice([*_REPLACEMENTS, 0, 1, 2, 5])
    elif isinstance(value, tuple) and value and all(isinstance(v, int) for v in value):
        values = list(value)
        values[rng.randrange(len(values))] = rng.randrange(40)
        immediates[k] = tuple(values)
    else:
        return ins
    return dataclasses.replace(ins, immediates=tuple(immediates))


def _mutate_sequence(rng: random.Random, body: tuple[Instruction, ...],
                     pool: list[Instruction]) -> tuple[Instruction, ...]:
    blocks = [i for i, ins in enumerate(body) if isinstance(ins, Block)]
    if blocks and rng.random() < 0.5:
        i = rng.choice(blocks)
        target = body[i]
        assert isinstance(target, Block)
        if target.else_body and rng.random() < 0.5:
            target = dataclasses.replace(
                target, else_body=_mutate_sequence(rng, target.else_body, pool))
        else:
            target = dataclasses.replace(target, body=_mutate_sequence(rng, target.body, pool))
        return (*body[:i], target, *body[i + 1:])
    seq = list(body)
    choice = rng.randrange(5)
    if choice == 0 and seq:
        del seq[rng.randrange(len(seq))]
    elif choice == 1 and seq:
        i = rng.randrange(len(seq))
        seq.insert(i, seq[i])
    elif choice == 2 and len(seq) > 1:
        i = rng.randrange(len(seq) - 1)
        seq[i], seq[i + 1] = seq[i + 1], seq[i]
    elif choice == 3:
        seq.insert(rng.randrange(len(seq) + 1), rng.choice(pool))
    elif seq:
        i = rng.randrange(len(seq))
        seq[i] = _mutate_immediate(rng, seq[i])
    return tuple(seq)


def _mutate_fields(rng: random.Random, module: Module,
                   pool: list[Instruction]) -> Module:
    """Change one module-level field: a type or entity index, an initialiser, the start."""
    choice = rng.randrange(6)
    if choice == 0 and module.functions:
        functions = list(module.functions)
        i = rng.randrange(len(functions))
        functions[i] = dataclasses.replace(functions[i], type_index=rng.randrange(
            len(module.types) + 2))
        return dataclasses.replace(module, functions=tuple(functions))
    if choice == 1 and module.exports:
        exports = list(module.exports)
        i = rng.randrange(len(exports))
        exports[i] = dataclasses.replace(exports[i], index=rng.randrange(4))
        return dataclasses.replace(module, exports=tuple(exports))
    if choice == 2 and module.globals:
        globals_ = list(module.globals)
        i = rng.randrange(len(globals_))
        init = _mutate_sequence(rng, globals_[i].init, pool)
        globals_[i] = dataclasses.replace(globals_[i], init=init)
        return dataclasses.replace(module, globals=tuple(globals_))
    if choice == 3:
        return dataclasses.replace(module, start=rng.randrange(len(module.functions) + 2))
    if choice == 4 and module.elements:
        elements = list(module.elements)
        i = rng.randrange(len(elements))
        segment = elements[i]
        if segment.init and rng.random() < 0.5:
            init = list(segment.init)
            j = rng.randrange(len(init))
            init[j] = _mutate_sequence(rng, init[j], pool)
            elements[i] = dataclasses.replace(segment, init=tuple(init))
        else:
            elements[i] = dataclasses.replace(segment, type=rng.choice(
                [FUNCREF, EXTERNREF, RefType(False, AbsHeapType.FUNC), RefType(True, 0)]))
        return dataclasses.replace(module, elements=tuple(elements))
    if choice == 5 and module.datas:
        datas = list(module.datas)
        i = rng.randrange(len(datas))
        mode = datas[i].mode
        offset = getattr(mode, "offset", None)
        if offset is not None:
            mode = dataclasses.replace(mode, offset=_mutate_sequence(rng, offset, pool))
            datas[i] = dataclasses.replace(datas[i], mode=mode)
        return dataclasses.replace(module, datas=tuple(datas))
    return module


def _mutant(modules: list[Module], rng: random.Random) -> Module:
    module = rng.choice(modules)
    pool = _instructions(module) or [Instruction(0x01)]
    if rng.random() < 0.25:
        return _mutate_fields(rng, module, pool)
    functions = list(module.functions)
    index = rng.randrange(len(functions))
    body = functions[index].body
    for _ in range(rng.randint(1, 3)):
        body = _mutate_sequence(rng, body, pool)
    functions[index] = dataclasses.replace(functions[index], body=body)
    return dataclasses.replace(module, functions=tuple(functions))


def _verdict(module: Module) -> str | None:
    """'valid', 'invalid', or None for an unsupported feature; anything else propagates."""
    try:
        validate_module(module)
    except UnsupportedFeature:
        return None
    except ValidationError:
        return "invalid"
    return "valid"


def _check_fast_path(data: bytes, ours: str) -> None:
    """Bodies validated from their bytes (``lazy_bodies``) get the tree's verdict."""
    from wasmem.binary.decode import decode_module
    from wasmem.load.encoded import check_encoded_body
    try:
        validate_module(decode_module(data, lazy_bodies=True), check_body=check_encoded_body)
        fast = "valid"
    except UnsupportedFeature:
        return
    except WasmError:
        fast = "invalid"
    assert fast == ours, f"validated from bytes: {fast}, from the tree: {ours}"


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(rng=st.randoms(use_true_random=False))
def test_mutants_only_raise_validation_errors(seed_modules: list[Module],
                                              rng: random.Random) -> None:
    _verdict(_mutant(seed_modules, rng))


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(rng=st.randoms(use_true_random=False))
def test_mutants_agree_with_wasmtime(seed_modules: list[Module], wasmtime_engine: Any,
                                     rng: random.Random) -> None:
    import wasmtime

    from wasmem.binary.encode import encode_module

    module = _mutant(seed_modules, rng)
    ours = _verdict(module)
    if ours is None:
        return
    try:
        data = encode_module(module)
    except (WasmError, ValueError):
        return  # an immediate the binary format (or the encoder) cannot express
    _check_fast_path(data, ours)
    try:
        wasmtime.Module.validate(wasmtime_engine, data)
        theirs, detail = "valid", ""
    except wasmtime.WasmtimeError as error:
        theirs, detail = "invalid", str(error).splitlines()[0]
    if ours != theirs:
        try:
            validate_module(module)
            reason = ""
        except ValidationError as error:
            reason = str(error)
        pytest.fail(f"wasmem says {ours} ({reason}), wasmtime says {theirs} ({detail})")
