"""Resource caps of an instance: all memories and tables, imported ones too."""

from __future__ import annotations

import time

import pytest

import wasmem
from wasmem.runtime.caps import DEFAULT_MAX_MEMORY_BYTES, DEFAULT_MAX_TABLE_ELEMENTS

TIERS = ["compile", "interpret"]
PAGE = 65536

GROWER = """(module
  (memory (export "m0") 1) (memory (export "m1") 1)
  (table (export "t") 1 funcref)
  (func (export "grow0") (param i32) (result i32) (memory.grow 0 (local.get 0)))
  (func (export "grow1") (param i32) (result i32) (memory.grow 1 (local.get 0)))
  (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"""


def test_sixty_huge_tables_fail_fast_without_allocating() -> None:
    source = "(module " + "(table 10000000 funcref) " * 60 + ")"
    started = time.perf_counter()
    with pytest.raises(wasmem.ResourceLimitError, match="max_table_elements") as info:
        wasmem.Instance(wasmem.Module(source))
    assert time.perf_counter() - started < 5  # checked before any table is allocated
    assert isinstance(info.value, wasmem.LinkError) and not isinstance(info.value, wasmem.Trap)
    assert info.value.cap == "max_table_elements"


def test_defaults_are_documented_values() -> None:
    assert DEFAULT_MAX_MEMORY_BYTES == 4 * 1024 ** 3
    assert DEFAULT_MAX_TABLE_ELEMENTS == 10_000_000


@pytest.mark.parametrize("tier", TIERS)
def test_memory_cap_covers_every_memory_and_every_grow(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(GROWER), tier=tier, max_memory_bytes=5 * PAGE)
    grow0, grow1 = instance.exports["grow0"], instance.exports["grow1"]
    assert grow0(2) == 1  # 3 + 1 pages
    assert grow1(2) == -1  # 3 + 3 > 5
    assert grow1(1) == 1  # 3 + 2 = 5
    assert grow0(1) == -1
    assert instance.exports["m0"].grow(1) == -1  # the host's grow counts too


@pytest.mark.parametrize("tier", TIERS)
def test_table_cap_covers_table_grow(tier: str) -> None:
    instance = wasmem.Instance(wasmem.Module(GROWER), tier=tier, max_table_elements=10)
    assert instance.exports["tgrow"](9) == 1
    assert instance.exports["tgrow"](1) == -1
    assert instance.exports["t"].grow(1) == -1


def test_instantiation_over_memory_cap_names_it() -> None:
    module = wasmem.Module("(module (memory 2) (memory 3))")
    with pytest.raises(wasmem.ResourceLimitError, match="max_memory_bytes=262144"):
        wasmem.Instance(module, max_memory_bytes=4 * PAGE)
    wasmem.Instance(module, max_memory_bytes=5 * PAGE)


def test_max_memory_pages_still_caps_each_memory() -> None:
    with pytest.raises(wasmem.ResourceLimitError, match="max_memory_pages=2"):
        wasmem.Instance(wasmem.Module("(module (memory 3))"), max_memory_pages=2)
    instance = wasmem.Instance(wasmem.Module(GROWER), max_memory_pages=2)
    assert instance.exports["grow0"](1) == 1 and instance.exports["grow0"](1) == -1


@pytest.mark.parametrize("tier", TIERS)
def test_imported_memory_and_table_are_counted(tier: str) -> None:
    memory = wasmem.Memory(3)
    table = wasmem.Table(8)
    importer = wasmem.Module("""(module
      (import "env" "m" (memory 1)) (import "env" "t" (table 1 funcref))
      (memory 1)
      (func (export "grow") (param i32) (result i32) (memory.grow 0 (local.get 0)))
      (func (export "tgrow") (param i32) (result i32)
        (table.grow (ref.null func) (local.get 0))))""")
    imports = {"env": {"m": memory, "t": table}}
    with pytest.raises(wasmem.ResourceLimitError, match="max_memory_bytes"):
        wasmem.Instance(importer, imports, tier=tier, max_memory_bytes=3 * PAGE)
    with pytest.raises(wasmem.ResourceLimitError, match="max_table_elements"):
        wasmem.Instance(importer, imports, tier=tier, max_table_elements=7)
    instance = wasmem.Instance(importer, imports, tier=tier, max_memory_bytes=6 * PAGE,
                               max_table_elements=10)
    assert instance.exports["grow"](2) == 3
    assert memory.grow(1) == -1  # the importer's cap governs the imported memory
    assert instance.exports["tgrow"](2) == 8 and table.grow(1) == -1


@pytest.mark.parametrize("bad", [-1, 1.5, "4096"])
def test_bad_cap_values_are_refused(bad: object) -> None:
    with pytest.raises(wasmem.InvocationError):
        wasmem.Instance(wasmem.Module("(module)"), max_memory_bytes=bad)  # type: ignore[arg-type]
