"""Fuzzing the decoder: mutated and truncated spec binaries give a Module or a wasmem error.

For any input, ``decode_module`` must return a Module or raise DecodeError (with a byte
offset inside the input) or UnsupportedFeature; nothing else may escape. Every mutant
that decodes must also survive the encode/decode round trip.
"""

from __future__ import annotations

import random

import pytest
from _binary_corpus import SpecBinary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasmem.binary import decode_module, encode_module
from wasmem.errors import DecodeError, UnsupportedFeature

KNOWN_FEATURES = {"gc", "threads", "custom-page-sizes"}
INTERESTING_BYTES = [0x00, 0x01, 0x05, 0x0B, 0x40, 0x41, 0x60, 0x63, 0x64, 0x70, 0x7F, 0x80,
                     0xFC, 0xFD, 0xFE, 0xFF]
MAX_SIZE = 4096


@pytest.fixture(scope="session")
def corpus(spec_binaries: dict[str, list[SpecBinary] | str]) -> list[bytes]:
    """Distinct spec binaries of at most MAX_SIZE bytes, in a fixed order."""
    seen: dict[bytes, None] = {}
    for converted in spec_binaries.values():
        if isinstance(converted, str):
            continue
        for binary in converted:
            data = binary.read()
            if len(data) <= MAX_SIZE:
                seen.setdefault(data, None)
    binaries = sorted(seen, key=lambda data: (len(data), data))
    assert len(binaries) > 1000
    return binaries


def check_decoding(data: bytes) -> str:
    """Decode ``data``; return the outcome ("module", "malformed" or "unsupported")."""
    try:
        module = decode_module(data)
    except DecodeError as error:
        assert error.offset is not None, error
        assert 0 <= error.offset <= len(data), error
        assert not error.message.startswith("internal"), error
        return "malformed"
    except UnsupportedFeature as error:
        assert error.feature in KNOWN_FEATURES, error
        return "unsupported"
    assert decode_module(encode_module(module)) == module
    return "module"


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Apply one to three random edits: replace, insert, delete, truncate, duplicate."""
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(6)
        position = rng.randrange(8, len(mutated)) if len(mutated) > 8 else len(mutated)
        byte = rng.choice(INTERESTING_BYTES) if rng.random() < 0.5 else rng.randrange(256)
        if kind == 0 and position < len(mutated):
            mutated[position] = byte
        elif kind == 1:
            mutated.insert(position, byte)
        elif kind == 2 and position < len(mutated):
            del mutated[position]
        elif kind == 3:
            del mutated[position:]
        elif kind == 4 and position < len(mutated):
            mutated[position] ^= 1 << rng.randrange(8)
        else:
            chunk = mutated[position:position + rng.randint(1, 8)]
            mutated[position:position] = chunk
    return bytes(mutated)


def test_every_truncation_of_a_sample(corpus: list[bytes]) -> None:
    sample = corpus[:: max(1, len(corpus) // 600)]
    outcomes = {"module": 0, "malformed": 0, "unsupported": 0}
    for data in sample:
        for end in range(len(data)):
            outcomes[check_decoding(data[:end])] += 1
    assert outcomes["malformed"] > 0


def test_random_mutations(corpus: list[bytes]) -> None:
    rng = random.Random(20240611)
    outcomes = {"module": 0, "malformed": 0, "unsupported": 0}
    for _ in range(60_000):
        outcomes[check_decoding(mutate(rng.choice(corpus), rng))] += 1
    # Both kinds of outcome must be frequent, or the mutations are not exercising much.
    assert outcomes["module"] > 2000 and outcomes["malformed"] > 2000, outcomes


@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_hypothesis_mutations(corpus: list[bytes], data: st.DataObject) -> None:
    original = data.draw(st.sampled_from(corpus[::10]), label="binary")
    mutated = bytearray(original)
    edits = data.draw(st.lists(st.tuples(
        st.sampled_from(["set", "insert", "delete", "truncate"]),
        st.integers(0, len(original)),
        st.one_of(st.sampled_from(INTERESTING_BYTES), st.integers(0, 255)),
    ), min_size=1, max_size=4), label="edits")
    for kind, position, byte in edits:
        position = min(position, len(mutated))
        if kind == "set" and position < len(mutated):
            mutated[position] = byte
        elif kind == "insert":
            mutated.insert(position, byte)
        elif kind == "delete":
            del mutated[position:position + 1]
        else:
            del mutated[position:]
    check_decoding(bytes(mutated))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_random_bytes_after_the_header(tail: bytes) -> None:
    check_decoding(b"\x00asm\x01\x00\x00\x00" + tail)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=16))
def test_random_bytes(data: bytes) -> None:
    check_decoding(data)
