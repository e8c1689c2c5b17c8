"""Reinterpretations through the scratch views (``exec/compiler/numeric_inline.py``,
``SCRATCH_EXACT``): one line stores and loads back, bit for bit, also with several
threads calling one instance at once; without the views the ``struct`` form is used."""

from __future__ import annotations

import random
import struct
import threading

import pytest

import wasmem
from wasmem.exec.compiler import numeric_inline
from wasmem.exec.compiler.tier import CompiledModule

SOURCE = """(module
 (func (export "high") (param f64) (result i32)
   (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get 0)) (i64.const 32))))
 (func (export "flip") (param i64) (result i64)
   (i64.reinterpret_f64 (f64.neg (f64.reinterpret_i64 (local.get 0)))))
 (func (export "mix") (param i64 i64) (result i64)
   (i64.add (i64.reinterpret_f64 (f64.reinterpret_i64 (local.get 0)))
            (i64.reinterpret_f64 (f64.reinterpret_i64 (local.get 1)))))
 (func (export "loop") (param i64 i32) (result i64) (local i64)
   (loop
     (local.set 2 (i64.xor (local.get 2)
       (i64.reinterpret_f64 (f64.reinterpret_i64
         (i64.add (local.get 0) (i64.extend_i32_u (local.get 1)))))))
     (br_if 0 (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
   (local.get 2)))"""

BITS = [0, 1, 1 << 63, 0x7FF0_0000_0000_0001, 0xFFF4_0000_DEAD_BEEF, 0x7FF8_0000_0000_0001,
        0xFFFF_FFFF_FFFF_FFFF, 0x3FF0_0000_0000_0000, 0x8000_0000_0000_0001]


def _exports(tier: str = "compile") -> object:
    return wasmem.Instance(wasmem.Module(SOURCE), tier=tier).exports


def _f64(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<Q", bits))[0])


def _expected_loop(x: int, n: int) -> int:
    out = 0
    for k in range(n, 0, -1):
        out ^= (x + k) & (2**64 - 1)
    return out


def test_the_form_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    source = CompiledModule.of(wasmem.Module(SOURCE).ast).source(0)
    assert source is not None
    if numeric_inline.SCRATCH_EXACT:
        assert "n_SD[0] = l0; s0 = n_SQ[0]" in source, source
    monkeypatch.setattr(numeric_inline, "SCRATCH_EXACT", False)
    source = CompiledModule.of(wasmem.Module(SOURCE).ast).source(0)
    assert source is not None and "n_SD" not in source and "n_pack_f64(l0)" in source, source


@pytest.mark.parametrize("scratch", [True, False])
def test_bit_patterns_round_trip(scratch: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not scratch:
        monkeypatch.setattr(numeric_inline, "SCRATCH_EXACT", False)
    exports = _exports()
    for bits in BITS:
        assert exports["high"](_f64(bits)) % (1 << 32) == bits >> 32
        assert exports["flip"](bits - (1 << 64) if bits >> 63 else bits) % (1 << 64) \
            == bits ^ (1 << 63)
        assert exports["mix"](bits % (1 << 63), 5) % (1 << 64) \
            == (bits % (1 << 63) + 5) % (1 << 64)
    assert exports["loop"](0x7FF0_0000_0000_0000, 300) % (1 << 64) \
        == _expected_loop(0x7FF0_0000_0000_0000, 300)


def test_threads_calling_one_instance_see_their_own_bits() -> None:
    exports = _exports()
    errors: list[str] = []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(200):
            x = rng.getrandbits(62)
            n = rng.randrange(1, 40)
            got = exports["loop"](x, n) % (1 << 64)
            if got != _expected_loop(x, n):
                errors.append(f"{x} {n} {got}")
            bits = rng.getrandbits(64)
            if exports["high"](_f64(bits)) % (1 << 32) != bits >> 32:
                errors.append(f"high {bits}")

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:5]


def test_agrees_with_the_interpreter() -> None:
    compiled, interpreted = _exports(), _exports("interpret")
    rng = random.Random(7)
    for bits in BITS + [rng.getrandbits(64) for _ in range(50)]:
        signed = bits - (1 << 64) if bits >> 63 else bits
        assert compiled["flip"](signed) == interpreted["flip"](signed)
        assert compiled["high"](_f64(bits)) == interpreted["high"](_f64(bits))
