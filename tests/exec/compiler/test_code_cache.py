"""The disk cache of translated functions (``cache_dir=`` / ``WASMEM_CACHE_DIR``)."""

from __future__ import annotations

import marshal
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import wasmem
from wasmem.exec.compiler import codegen
from wasmem.exec.compiler import cache_trust
from wasmem.exec.compiler.cache import ENVIRONMENT_VARIABLE, CodeCache, fingerprint
from wasmem.exec.compiler.cache_memory import MEMORY

TEXT = """(module
  (memory (export "memory") 1)
  (func $sum (export "sum") (param $n i32) (result i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $s))
  (func $store (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func $nan (export "nan") (result i64)
    (i64.reinterpret_f64 (f64.add (f64.const nan:0x4) (f64.const 0)))))"""


@pytest.fixture(autouse=True)
def translate_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the entries translations leave: the tiered mode (the
    default) translates every function before its first call here, also in child
    processes."""
    from wasmem.exec import tiering
    monkeypatch.setattr(tiering, "CALL_BUDGET", 0)
    monkeypatch.setenv("WASMEM_TIER_BUDGETS", "0,0")


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the cache's once-per-process warnings anew."""
    monkeypatch.setattr(cache_trust, "_warned", set())


@pytest.fixture
def data() -> bytes:
    return wasmem.Module(TEXT).to_bytes()


def _entries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob("*.bin"))


def _no_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: object) -> str:
        raise AssertionError("translated although the code was in the cache")
    monkeypatch.setattr(codegen.FunctionCompiler, "compile", refuse)


def test_a_second_module_runs_from_the_cache(data: bytes, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    first = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    assert first.exports["sum"](100) == 5050
    first.exports["store"](8, 7)
    assert _entries(tmp_path) == ["f0.bin", "f1.bin"]
    _no_translation(monkeypatch)
    second = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    assert second.exports["sum"](10) == 55
    second.exports["store"](4, -1)
    assert second.exports["memory"].u32[4] == 0xFFFFFFFF


CONSTANTS = """(module
  (func (export "a") (result i64) (i64.reinterpret_f64 (f64.const nan:0x4)))
  (func (export "b") (result i64) (i64.reinterpret_f64 (f64.const -nan:0x5)))
  (func (export "c") (result i64)
    (i64.add (i64.reinterpret_f64 (f64.const nan:0x4)) (i64.reinterpret_f64 (f64.const -inf)))))"""


def test_functions_with_per_module_constants_are_cached_with_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = wasmem.Module(CONSTANTS).to_bytes()
    expected = {"a": 0x7FF0_0000_0000_0004, "b": -0x000F_FFFF_FFFF_FFFB,
                "c": (0x7FF0_0000_0000_0004 + 0xFFF0_0000_0000_0000 + 2**63) % 2**64 - 2**63}
    first = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    assert {name: first.exports[name]() for name in "abc"} == expected
    assert _entries(tmp_path) == ["f0.bin", "f1.bin", "f2.bin"]
    _no_translation(monkeypatch)
    second = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path))
    # another order of first calls: each function's constants get other numbers
    assert {name: second.exports[name]() for name in "cba"} == expected


def test_fuel_and_plain_code_are_separate_entries(data: bytes, tmp_path: Path) -> None:
    module = wasmem.Module(data, cache_dir=tmp_path)
    wasmem.Instance(module).exports["sum"](3)
    metered = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path), fuel=10)
    with pytest.raises(wasmem.FuelExhausted):
        metered.exports["sum"](1000)
    assert _entries(tmp_path) == ["f0-fuel.bin", "f0.bin"]


def test_text_and_binary_sources_have_their_own_entries(data: bytes, tmp_path: Path) -> None:
    wasmem.Instance(wasmem.Module(TEXT, cache_dir=tmp_path)).exports["sum"](3)
    wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path)).exports["sum"](3)
    modules = {p.parent for p in tmp_path.rglob("*.bin")}
    assert len(modules) == 2
    assert all(m.parent.name == fingerprint() for m in modules)


def test_a_corrupt_entry_is_translated_again(data: bytes, tmp_path: Path) -> None:
    wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path)).exports["sum"](3)
    (entry,) = tmp_path.rglob("f0.bin")
    entry.write_bytes(b"\x00garbage")
    MEMORY.clear()  # read the disk again, as a new process does (.cache_memory)
    with pytest.warns(wasmem.CacheWarning, match="fails authentication"):
        assert wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path)).exports["sum"](4) == 10
    payload = entry.read_bytes()[cache_trust.TAG_BYTES:]  # written again, after its tag
    code, constants = marshal.loads(payload)  # the code and the constants it uses
    assert isinstance(code, types.CodeType) and constants == ()


def test_an_unusable_directory_only_means_no_cache(data: bytes, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.warns(wasmem.CacheWarning, match="cache off"):
        instance = wasmem.Instance(wasmem.Module(data, cache_dir=blocker / "cache"))
    assert instance.exports["sum"](4) == 10


def test_the_environment_variable_is_the_default(data: bytes, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(tmp_path))
    wasmem.Instance(wasmem.Module(data)).exports["sum"](3)
    assert _entries(tmp_path) == ["f0.bin"]
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "")
    assert CodeCache.configured(None, data) is None


def test_another_process_uses_the_entries(data: bytes, tmp_path: Path) -> None:
    wasm = tmp_path / "m.wasm"
    wasm.write_bytes(data)
    cache = tmp_path / "cache"

    def run(refuse_translation: bool) -> str:
        script = textwrap.dedent(f"""
            import sys
            import wasmem
            from wasmem.exec.compiler import codegen
            def refuse(self):
                raise SystemExit("translated although the code was in the cache")
            if {refuse_translation}:
                codegen.FunctionCompiler.compile = refuse
            module = wasmem.Module.from_file({str(wasm)!r}, cache_dir={str(cache)!r})
            print(wasmem.Instance(module).exports["sum"](100))
        """)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert run(refuse_translation=False) == "5050\n"
    assert run(refuse_translation=True) == "5050\n"


def test_a_module_that_validated_is_not_validated_again(data: bytes, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import wasmem.load.binary
    wasmem.Module(data, cache_dir=tmp_path)
    wasmem.Module(TEXT, cache_dir=tmp_path)
    assert len(list(tmp_path.rglob("valid"))) == 2

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again")
    for name in ("load_binary", "load_text", "load_tree", "validate_module"):
        monkeypatch.setattr(wasmem.load.binary, name, refuse)
    for source in (data, TEXT):
        instance = wasmem.Instance(wasmem.Module(source, cache_dir=tmp_path))
        assert instance.exports["sum"](4) == 10


def test_an_invalid_module_is_never_remembered_as_valid(tmp_path: Path) -> None:
    invalid = "(module (func (result i32) (i64.const 0)))"
    for _ in range(2):
        with pytest.raises(wasmem.ValidationError):
            wasmem.Module(invalid, cache_dir=tmp_path)
    assert not list(tmp_path.rglob("valid"))


# the address of the load depends on a NaN constant (f64.ne of a NaN is 1): out of bounds
NAN_ADDRESS = """(module (memory 1)
  (func (export "f") (param f64) (result i64)
    (i64.load offset=1029409191 (f64.ne (local.get 0) (f64.const -nan:0xffffffffffc00)))))"""


@pytest.mark.parametrize("tier", ["compile", "tiered"])
def test_a_fault_in_cached_code_using_a_constant_is_the_guest_trap(
        tier: str, tmp_path: Path) -> None:
    # the fault finder evaluates the addresses of a translation made again (the cached
    # code has no source): it must name the constants as the loaded code does
    data = wasmem.Module(NAN_ADDRESS).to_bytes()
    for _ in range(2):  # fills the cache, then runs from it
        instance = wasmem.Instance(wasmem.Module(data, cache_dir=tmp_path), tier=tier)
        for _ in range(3):
            with pytest.raises(wasmem.Trap) as caught:
                instance.exports["f"](0.0)
            assert caught.value.code is wasmem.TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS
