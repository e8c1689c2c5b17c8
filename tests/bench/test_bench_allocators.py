"""Smoke tests of ``bench/allocators``: the traces are well formed and every allocator
replays them (no timing asserted: performance claims live in ``bench/README.md``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[2] / "bench" / "allocators"
sys.path.insert(0, str(HERE))

import run  # noqa: E402
import traces  # noqa: E402


def well_formed(trace: traces.Trace) -> None:
    live: set[int] = set()
    for op, block, size in trace:
        if op in "mc":
            assert block not in live
            live.add(block)
        else:
            assert block in live
            if op == "f":
                live.remove(block)
            else:
                assert op == "r" and size > 0


@pytest.mark.parametrize("make", [traces.uniform, traces.power_law, traces.producer_consumer])
def test_synthetic_traces_are_well_formed(make) -> None:  # type: ignore[no-untyped-def]
    trace = make(400)
    assert len(trace) == 400
    well_formed(trace)


def test_recorded_trace_matches_the_committed_one() -> None:
    recorded = traces.record_words()
    well_formed(recorded)
    assert recorded == traces.load(HERE / "words.trace")


@pytest.mark.parametrize("allocator", run.ALLOCATORS)
def test_every_allocator_replays_a_trace(allocator: str) -> None:
    trace = traces.power_law(150)
    seconds, peak, samples = run.replay(allocator, trace, every=30)
    assert seconds > 0 and peak >= 1 and len(samples) == 5
    assert all(0 <= s <= 1 for s in samples)


def test_readme_section_is_replaced_in_place(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# title\n\nintro\n", encoding="utf-8")
    run.write_readme(f"{run.BEGIN}\nfirst\n{run.END}\n", readme)
    run.write_readme(f"{run.BEGIN}\nsecond\n{run.END}\n", readme)
    text = readme.read_text(encoding="utf-8")
    assert text.count(run.BEGIN) == 1 and "second" in text and "first" not in text
    assert text.startswith("# title\n\nintro\n")
