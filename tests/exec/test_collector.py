"""``wasmem.exec.collector.collector_paused``: the collector is off inside, back on after."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from wasmem.exec.collector import collector_paused


def test_the_collector_is_off_inside_and_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner one leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_exception_turns_it_back_on_and_passes_through() -> None:
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_program_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_one_pause_object_can_be_reused() -> None:
    pause = collector_paused()
    for _ in range(2):
        with pause:
            assert not gc.isenabled()
        assert gc.isenabled()


class _Node:
    """A container that can be weakly referenced (for cycles of garbage)."""

    def __init__(self) -> None:
        self.other: object = None


def _moves_possible() -> bool:
    from wasmem.exec import collector
    return collector.MOVES and not gc.get_freeze_count()


@pytest.fixture
def unbounded_moves() -> Iterator[None]:
    """Moves far from the bound of full collections (restored after)."""
    from wasmem import import_bundle
    if not _moves_possible():  # (CPython 3.12 may start with objects frozen)
        pytest.skip("this Python cannot move objects to the oldest generation")
    saved = list(import_bundle._moved)
    import_bundle._moved[:] = [0, 10**12]
    try:
        yield
    finally:
        import_bundle._moved[:] = saved


def _oldest() -> set[int]:
    return {id(item) for item in gc.get_objects(generation=2)}


def test_a_moving_pause_moves_what_it_allocated_to_the_oldest_generation(
        unbounded_moves: None) -> None:
    with collector_paused(moving=True):
        assert not gc.isenabled()
        made = [[k] for k in range(1000)]
    assert gc.isenabled()
    oldest = _oldest()
    assert all(id(item) in oldest for item in made[::37])


def test_a_moving_pause_first_collects_the_programs_young_garbage(
        unbounded_moves: None) -> None:
    gc.collect()
    node = _Node()
    node.other = node  # a cycle: only a collection frees it
    dropped = weakref.ref(node)
    del node
    with collector_paused(moving=True):
        assert dropped() is None  # collected on entry, not moved with the pause's objects
        kept = [[k] for k in range(1000)]
    assert id(kept[0]) in _oldest()


def test_a_moving_pause_that_raises_moves_nothing(unbounded_moves: None) -> None:
    made: list[list[int]] = []
    with pytest.raises(KeyError), collector_paused(moving=True):
        made.extend([k] for k in range(1000))
        raise KeyError("x")
    assert gc.isenabled()
    oldest = _oldest()
    assert not any(id(item) in oldest for item in made[::37])


def test_a_moving_pause_inside_another_pause_neither_collects_nor_moves(
        unbounded_moves: None) -> None:
    with collector_paused():
        collections = [stats["collections"] for stats in gc.get_stats()]
        with collector_paused(moving=True):
            made = [[k] for k in range(1000)]
        assert [stats["collections"] for stats in gc.get_stats()] == collections
        oldest = _oldest()
    assert not any(id(item) in oldest for item in made[::37])


def test_moves_can_be_turned_off(unbounded_moves: None,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from wasmem.exec import collector
    monkeypatch.setattr(collector, "MOVES", False)
    with collector_paused(moving=True):
        made = [[k] for k in range(1000)]
    assert not any(id(item) in _oldest() for item in made[::37])


def test_a_programs_frozen_objects_stay_frozen(unbounded_moves: None) -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused(moving=True):
            made = [[k] for k in range(1000)]
        assert gc.get_freeze_count() == frozen and made
    finally:
        gc.unfreeze()


WIDE = "(module (memory 1) (func (export \"wide\") (param i32) (result i32) {body} " \
    "(local.get 0)))"


def test_decoding_and_translating_a_big_function_moves_what_the_module_keeps(
        unbounded_moves: None) -> None:
    import wasmem
    from wasmem.exec.interpreter import InterpretedModule
    body = " ".join(f"(local.set 0 (i32.add (local.get 0) (i32.load offset={4 * k} "
                    f"(i32.const {k}))))" for k in range(120))
    data = wasmem.Module(WIDE.format(body=body), cache_dir="").to_bytes()
    assert len(data) > 512
    module = wasmem.Module(data, cache_dir="")
    instance = wasmem.Instance(module)
    assert instance.exports["wide"](5) == 5
    decoded = InterpretedModule.of(module.ast).functions[(0, False)]
    assert id(decoded) in _oldest(), (gc.isenabled(), gc.get_freeze_count(), gc.get_count())


LOOP = """(module (memory 2) (func (export "f") (param i32) (result i32) (local i32)
 (loop (i32.store (i32.mul (local.get 0) (i32.const 64)) (local.get 0))
   (local.set 1 (i32.add (local.get 1) (i32.load (i32.and (local.get 0) (i32.const {mask})))))
   (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))) (local.get 1)))"""


def test_dropped_memories_in_garbage_cycles_are_freed_after_a_bound(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A loop making an instance a round (a module of its own, decoded and translated in
    moving pauses) and dropping it inside a reference cycle: the pauses put the live
    instance in the oldest generation, where only a full collection frees it, and the
    collector counts objects, not the memories they hold (fuzz7: +4 MiB a round, past
    1 GB in 300 rounds). Once memories of more than the bound were made, the pause's
    collection is a full one: the rounds' memories stay bounded."""
    from wasmem import import_bundle
    if not _moves_possible():  # (CPython 3.12 may start with objects frozen: no moves)
        pytest.skip("this Python cannot move objects to the oldest generation")
    monkeypatch.setattr(import_bundle, "_MEMORY_BOUND", 8 * 65536, raising=False)
    monkeypatch.setattr(import_bundle, "_memory_made", [0], raising=False)
    monkeypatch.setattr(import_bundle, "_moved", list(import_bundle._moved))
    monkeypatch.setattr(import_bundle, "_full_collections", [gc.get_stats()[2]["collections"]])
    alive: list[weakref.ref[object]] = []
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], 10**9)  # (no full collection of its own)
    try:
        _rounds(alive)
    finally:
        gc.set_threshold(*thresholds)
    assert sum(ref() is not None for ref in alive) <= 12, [ref() is not None for ref in alive]


def _rounds(alive: list[weakref.ref[object]]) -> None:
    """Make and drop the instances of :func:`test_dropped_memories_in_garbage_cycles_are_
    freed_after_a_bound`, keeping weak references to their memories in ``alive``."""
    import wasmem
    for round_ in range(40):
        module = wasmem.Module(LOOP.format(mask=0xFFF + round_), cache_dir="")  # (a new one)
        instance = wasmem.Instance(module)
        for _ in range(3):
            instance.exports["f"](1023)
        box: dict[str, object] = {"instance": instance}
        box["self"] = box  # (a cycle: only a collection frees the instance)
        alive.append(weakref.ref(instance._instance.memories[0]))
        del instance, box
