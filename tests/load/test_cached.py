"""load_module: the disk cache answers "is it valid?" only for exactly the bytes it saw."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import wasmem
from wasmem.binary.encoded import EncodedFunction
from wasmem.load import load_module

TEXT = '(module (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))'


def test_a_binary_loads_with_its_bodies_encoded(tmp_path: Path) -> None:
    data = wasmem.Module(TEXT, cache_dir=False).to_bytes()
    for _ in range(2):  # validated, then known valid
        module = load_module(data, cache_dir=tmp_path)
        assert all(isinstance(f, EncodedFunction) for f in module.functions)
        assert wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path)).exports["f"](1) == 2
    assert len(list(tmp_path.rglob("valid"))) == 1


def test_text_and_no_cache(tmp_path: Path) -> None:
    assert load_module(TEXT, cache_dir=False).functions[0].type_index == 0
    with pytest.raises(wasmem.ValidationError):
        load_module("(module (func (result i32) (i64.const 1)))", cache_dir=tmp_path)
    assert not list(tmp_path.rglob("valid"))


def test_other_bytes_are_validated_again(tmp_path: Path) -> None:
    valid = wasmem.Module(TEXT, cache_dir=False).to_bytes()
    load_module(valid, cache_dir=tmp_path)
    invalid = bytearray(valid)
    invalid[invalid.index(0x6A)] = 0x7C  # i32.add -> i64.add: a type mismatch
    with pytest.raises(wasmem.ValidationError, match="type mismatch"):
        load_module(bytes(invalid), cache_dir=tmp_path)


_CHILD = """
import sys, wasmem
module = wasmem.Module(open(sys.argv[1], 'rb').read(), cache_dir=sys.argv[2])
print(wasmem.Instance(module).exports["f"](41), 'wasmem.valid' in sys.modules)
"""


def test_a_module_known_valid_does_not_import_the_validator(tmp_path: Path) -> None:
    path = tmp_path / "m.wasm"
    path.write_bytes(wasmem.Module(TEXT, cache_dir=False).to_bytes())
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    outputs = [subprocess.run([sys.executable, "-c", _CHILD, str(path), str(cache)],
                              capture_output=True, text=True, env=env, check=True).stdout
               for _ in range(2)]
    assert outputs == ["42 True\n", "42 False\n"]


def test_bytes_validated_in_this_process_are_only_decoded(validations: list[bytes]) -> None:
    from wasmem.load import cached
    calls = validations
    data = wasmem.Module(TEXT + " ", cache_dir=False).to_bytes() + b"\x00\x03\x01x\x07"
    for _ in range(3):
        module = load_module(data, cache_dir=False)
        assert wasmem.Instance(wasmem.Module(data, cache_dir="")).exports["f"](2) == 3
        assert all(isinstance(f, EncodedFunction) for f in module.functions)
    assert calls == [data]
    # other bytes are validated, and an invalid module is never remembered
    invalid = bytearray(data)
    invalid[invalid.index(0x6A)] = 0x7C
    for _ in range(2):
        with pytest.raises(wasmem.ValidationError, match="type mismatch"):
            load_module(bytes(invalid), cache_dir=False)
    assert calls == [data, bytes(invalid), bytes(invalid)]
    assert data in cached._VALID_HERE


def test_the_sources_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from wasmem.load import cached
    first, second = (wasmem.Module(TEXT, cache_dir=False).to_bytes() + b"\x00\x02\x01" + tag
                     for tag in (b"a", b"b"))
    monkeypatch.setattr(cached, "_VALID_HERE", {})
    monkeypatch.setattr(cached, "_valid_here_size", [0])
    monkeypatch.setattr(cached, "_VALID_HERE_BYTES", len(first) + len(second) - 1)
    load_module(first, cache_dir=False)
    assert list(cached._VALID_HERE) == [first]
    load_module(bytearray(second), cache_dir=False)
    assert list(cached._VALID_HERE) == [second]
    assert cached._valid_here_size == [len(second)]
    monkeypatch.setattr(cached, "_VALID_HERE_LARGEST", len(first) - 1)
    load_module(first, cache_dir=False)
    assert list(cached._VALID_HERE) == [second]


def test_forgotten_sources_are_validated_again(validations: list[bytes]) -> None:
    from wasmem.load import cached
    calls = validations
    data = wasmem.Module(TEXT + "  ", cache_dir=False).to_bytes() + b"\x00\x03\x01y\x08"
    load_module(data, cache_dir=False)
    load_module(data, cache_dir=False)
    assert calls == [data]
    cached.forget_validated()
    assert data not in cached._VALID_HERE and cached._valid_here_size == [0]
    load_module(data, cache_dir=False)
    assert calls == [data, data]


def test_modules_of_the_same_bytes_are_shared_without_a_disk_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wasmem.load import cached
    cached.forget_validated()
    data = [wasmem.Module(TEXT, cache_dir=False).to_bytes() + b"\x00\x02\x01" + bytes([97 + k])
            for k in range(3)]
    first = load_module(data[0], cache_dir=False)
    assert load_module(bytearray(data[0]), cache_dir=False) is first  # same bytes, name
    assert load_module(data[0], name="other", cache_dir=False) is not first
    assert load_module(data[0], cache_dir=tmp_path) is not first  # (the disk's instead)
    assert load_module(TEXT, cache_dir=False) is not load_module(TEXT, cache_dir=False)
    monkeypatch.setattr(cached, "_LOADED_HERE_COUNT", 2)
    second = load_module(data[1], cache_dir=False)
    load_module(data[2], cache_dir=False)  # the oldest are forgotten beyond the bound
    assert len(cached._LOADED_HERE) == 2
    assert load_module(data[0], cache_dir=False) is not first
    assert load_module(data[1], cache_dir=False) is not second  # (dropped by the last)
    cached.forget_validated()
    assert cached._LOADED_HERE == {}
