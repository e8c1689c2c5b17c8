"""Validating function bodies from their bytes agrees with validating decoded trees.

:func:`wasmem.load.load_binary` decodes a module with ``lazy_bodies`` and checks each
body straight from its encoding; on any failure it redoes the ordinary
``validate_module(decode_module(data))`` for the message. So the fast path must accept
exactly the modules the ordinary path accepts. The corpus is every module and every
``assert_invalid`` module of the spec scripts of all four tiers (parsed and encoded by
wasmem), plus byte-level mutants of them, which reach malformed and invalid bodies of
every kind.
"""

from __future__ import annotations

import functools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wasmem
from wasmem.binary import decode_module, encode_module
from wasmem.binary.encoded import EncodedFunction
from wasmem.errors import WasmError
from wasmem.script import commands as script
from _data import ROOT
from _data import SPEC_SUITE as SUITE
from _data import tier_files
from wasmem.load import load_binary
from wasmem.load.encoded import check_encoded_body
from wasmem.valid import validate_module

SCRIPTS = tier_files("1-memory.txt", "2-core.txt", "3-simd.txt", "4-later.txt")


def _modules(name: str) -> list[bytes]:
    from wasmem.text import parse_module_source, parse_script
    binaries: list[bytes] = []
    try:
        commands = parse_script((SUITE / name).read_text(encoding="utf-8"), file=name)
    except WasmError:
        return binaries
    for command in commands:
        source = getattr(command, "source", None)
        if not isinstance(command, (script.ModuleCommand, script.AssertInvalid)) \
                or source is None:
            continue
        try:
            binaries.append(encode_module(parse_module_source(source)))
        except (WasmError, ValueError):
            continue
    return binaries


@pytest.fixture(scope="module")
def corpus() -> list[bytes]:
    seen: dict[bytes, None] = {}
    for name in SCRIPTS:
        for data in _modules(name):
            seen.setdefault(data, None)
    binaries = sorted(seen, key=lambda data: (len(data), data))
    assert len(binaries) > 500
    return binaries


def _outcome(data: bytes, lazy: bool) -> tuple[str, object]:
    try:
        module = decode_module(data, lazy_bodies=lazy)
        validate_module(module, check_body=check_encoded_body if lazy else None)
    except WasmError as error:
        return type(error).__name__, error
    return "valid", module


def check_agreement(data: bytes) -> str:
    """Assert the fast and the ordinary path agree on ``data``; return the verdict."""
    ordinary, result = _outcome(data, lazy=False)
    fast, lazy = _outcome(data, lazy=True)
    assert (ordinary == "valid") == (fast == "valid"), (ordinary, result, fast, lazy)
    if ordinary == "valid":
        assert lazy == result
        loaded = load_binary(data)
        assert all(isinstance(f, EncodedFunction) for f in loaded.functions)
        assert loaded == result
    else:
        with pytest.raises(type(result)) as raised:
            load_binary(data)
        assert str(raised.value) == str(result)
    return ordinary


def test_every_module_of_the_scripts(corpus: list[bytes]) -> None:
    verdicts: dict[str, int] = {}
    for data in corpus:
        verdict = check_agreement(data)
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    assert verdicts["valid"] > 1000 and verdicts["ValidationError"] > 2000, verdicts


def _mutate(data: bytes, rng: random.Random) -> bytes:
    mutated = bytearray(data)
    for _ in range(rng.choice((1, 1, 2))):
        position = rng.randrange(8, len(mutated)) if len(mutated) > 8 else len(mutated)
        byte = rng.choice([0x00, 0x01, 0x02, 0x04, 0x0B, 0x0D, 0x0C, 0x1A, 0x20, 0x21,
                           0x22, 0x40, 0x41, 0x6A, 0x7F, 0x80, 0xFC, 0xFD]) \
            if rng.random() < 0.6 else rng.randrange(256)
        kind = rng.random()  # mostly size-preserving edits, so sections stay well-formed
        if kind < 0.5 and position < len(mutated):
            mutated[position] = byte
        elif kind < 0.6:
            mutated.insert(position, byte)
        elif kind < 0.7 and position < len(mutated):
            del mutated[position]
        elif position < len(mutated):
            mutated[position] ^= 1 << rng.randrange(8)
    return bytes(mutated)


def test_random_mutants(corpus: list[bytes]) -> None:
    rng = random.Random(20261128)
    verdicts: dict[str, int] = {}
    for _ in range(6000):
        verdict = check_agreement(_mutate(rng.choice(corpus), rng))
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    assert verdicts["valid"] > 100 and verdicts["ValidationError"] > 500 \
        and verdicts["DecodeError"] > 1000, verdicts


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_hypothesis_mutants(corpus: list[bytes], data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(corpus), label="binary")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    check_agreement(_mutate(original, random.Random(seed)))


COMPILED = ROOT / "bench" / "c" / "independent"


@pytest.mark.parametrize("name", ["hashes", "lz"])
def test_mutants_of_compiled_code(name: str) -> None:
    """Compiler output (clang -O2 for wasm32-wasi, in the repo), its code section mutated
    byte by byte: the fast and the ordinary path agree on each mutant."""
    data = (COMPILED / f"{name}.wasm").read_bytes()
    functions = decode_module(data, lazy_bodies=True).functions
    start = min(f.encoded[1] for f in functions)  # type: ignore[attr-defined]
    end = max(f.encoded[2] for f in functions)  # type: ignore[attr-defined]
    rng = random.Random(20261207)
    verdicts: dict[str, int] = {}
    for _ in range(120):
        mutated = bytearray(data)
        for _ in range(rng.choice((1, 1, 2))):
            position = rng.randrange(start, end)
            if rng.random() < 0.5:
                mutated[position] = rng.choice([0x00, 0x0B, 0x0C, 0x0D, 0x0F, 0x1A, 0x1B,
                                                0x20, 0x21, 0x41, 0x42, 0x6A, 0x7C, 0x80])
            else:
                mutated[position] ^= 1 << rng.randrange(8)
        verdict = check_agreement(bytes(mutated))
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    assert verdicts.get("valid", 0) > 5 and verdicts.get("ValidationError", 0) > 20, verdicts


@functools.cache
def _compiled(name: str) -> tuple[bytes, int, int]:
    """The bytes of compiled program ``name`` and the span of its function bodies."""
    data = (COMPILED / f"{name}.wasm").read_bytes()
    functions = decode_module(data, lazy_bodies=True).functions
    start = min(f.encoded[1] for f in functions)  # type: ignore[attr-defined]
    end = max(f.encoded[2] for f in functions)  # type: ignore[attr-defined]
    return data, start, end


_EDIT = st.tuples(st.sampled_from(["set", "flip", "insert", "delete"]),
                  st.integers(0, 2**32 - 1),
                  st.one_of(st.sampled_from([0x00, 0x02, 0x04, 0x0B, 0x0C, 0x0D, 0x0E,
                                             0x1A, 0x1B, 0x20, 0x21, 0x22, 0x23, 0x24,
                                             0x28, 0x36, 0x41, 0x42, 0x6A, 0x7F, 0x80,
                                             0xFC]),
                            st.integers(0, 255)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["hashes", "lz", "fnptr", "json"]),
       edits=st.lists(_EDIT, min_size=1, max_size=3))
def test_hypothesis_mutants_of_compiled_code(name: str,
                                             edits: list[tuple[str, int, int]]) -> None:
    """Compiler output with bytes of its function bodies replaced, flipped, inserted or
    deleted (truncated immediates and bodies included): the fused validator accepts
    exactly what the tree validator accepts, and a rejected module fails at ``Module()``
    with the tree validator's error (its type, message and offset)."""
    data, start, end = _compiled(name)
    mutated = bytearray(data)
    for kind, where, byte in edits:
        position = start + where % (end - start)
        if kind == "set":
            mutated[position] = byte
        elif kind == "flip":
            mutated[position] ^= 1 << (byte & 7)
        elif kind == "insert":
            mutated.insert(position, byte)
        else:
            del mutated[position]
    verdict = check_agreement(bytes(mutated))
    if verdict != "valid":
        with pytest.raises(WasmError) as raised:
            wasmem.Module(bytes(mutated), cache_dir="")
        assert str(raised.value) == str(_outcome(bytes(mutated), lazy=False)[1])
