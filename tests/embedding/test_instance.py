"""wasmem.embedding.instance: Instance (imports, arguments) and Exports (a mapping, also
attributes)."""

from __future__ import annotations

import pytest

import wasmem

PROVIDER = """(module
  (func (export "seven") (result i32) (i32.const 7))
  (memory (export "memory") 1)
  (global (export "g") i32 (i32.const 3))
  (func (export "keys") (result i32) (i32.const 1)))"""

USER = """(module
  (import "provider" "seven" (func $seven (result i32)))
  (func (export "fourteen") (result i32) (i32.add (call $seven) (call $seven))))"""


def test_exports_are_a_mapping_and_attributes() -> None:
    exports = wasmem.Instance(wasmem.Module(PROVIDER)).exports
    assert list(exports) == ["seven", "memory", "g", "keys"] and len(exports) == 4
    assert "seven" in exports and "nope" not in exports
    assert exports.seven() == 7 and exports["seven"] is exports.seven
    assert isinstance(exports.memory, wasmem.Memory) and exports.g.value == 3
    assert exports.memory is exports["memory"] and exports.g is exports["g"]
    assert callable(exports.keys) and list(exports.keys()) == list(exports)  # the method
    assert exports["keys"]() == 1  # the export, by name
    with pytest.raises(wasmem.ExportNotFound, match="seven") as info:
        exports["nope"]
    assert isinstance(info.value, KeyError)
    with pytest.raises(AttributeError):
        _ = exports.nope


def test_an_instance_provides_a_whole_import_module() -> None:
    provider = wasmem.Instance(wasmem.Module(PROVIDER))
    user = wasmem.Instance(wasmem.Module(USER), {"provider": provider})
    assert user.exports.fourteen() == 14
    user = wasmem.Instance(wasmem.Module(USER), {"provider": {"seven": lambda: 8}})
    assert user.exports.fourteen() == 16
    with pytest.raises(wasmem.LinkError, match="unknown import"):
        wasmem.Instance(wasmem.Module(USER), {})
    assert "fourteen" in repr(user)


def test_bad_arguments_are_invocation_errors() -> None:
    with pytest.raises(wasmem.InvocationError, match=r"needs a wasmem\.Module"):
        wasmem.Instance(PROVIDER)  # type: ignore[arg-type]
    with pytest.raises(wasmem.InvocationError, match="unknown tier"):
        wasmem.Instance(wasmem.Module(PROVIDER), tier="jit")


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_fuel_is_counted_per_instance(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(PROVIDER), fuel=100, tier=tier)
    assert instance.fuel_remaining == 100 and instance.fuel_consumed == 0
    instance.exports.seven()
    consumed = instance.fuel_consumed
    assert consumed is not None and consumed > 0
    assert instance.fuel_remaining == 100 - consumed


@pytest.mark.parametrize("value", ["x", 1.5, float("nan"), [], object(), b"ab"])
def test_imports_fuel_and_caps_of_a_bad_type_are_invocation_errors(value: object) -> None:
    """Not a raw TypeError/AttributeError from inside (fuzz7): imports that are not a
    mapping, fuel and max_memory_pages that are not integers, add_fuel of a non-integer
    (it made the budget a float)."""
    module = wasmem.Module('(module (memory 1) (func (export "f")))')
    with pytest.raises(wasmem.InvocationError, match="imports must be a mapping"):
        wasmem.Instance(module, value)  # type: ignore[arg-type]
    for keyword in ("fuel", "max_memory_pages"):
        with pytest.raises(wasmem.InvocationError, match=f"{keyword} must be an integer"):
            wasmem.Instance(module, **{keyword: value})  # type: ignore[arg-type]
    instance = wasmem.Instance(module, fuel=10)
    with pytest.raises(wasmem.InvocationError, match="must be an integer"):
        instance.add_fuel(value)  # type: ignore[arg-type]
    instance.exports["f"]()
    assert instance.fuel_remaining == 10 and type(instance.fuel_remaining) is int
