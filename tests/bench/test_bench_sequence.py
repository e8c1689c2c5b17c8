"""Tests of ``bench/sequence.py`` (runs 1, 2, 3... of a program, one fresh process each,
sharing a disk cache that starts empty). No timing is asserted."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SOURCE = BENCH.parent / "src"


def _sequence() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_sequence", BENCH / "sequence.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)  # by path: "sequence" is a common name
    spec.loader.exec_module(module)
    return module


def test_a_sequence_prints_one_checked_row_per_run(capsys: pytest.CaptureFixture[str]
                                                   ) -> None:
    pytest.importorskip("pwasm")
    sequence = _sequence()
    code = sequence.main(["--programs", "recur", "--sizes", "tiny", "--runs", "2",
                          "--source", str(SOURCE)])
    out = capsys.readouterr().out
    assert code == 0, out
    rows = [line for line in out.splitlines() if line.startswith("| recur |")]
    assert [row.split("|")[3].strip() for row in rows] == ["1", "2"]
    assert "WRONG" not in out


def test_a_wrong_result_is_reported(capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pwasm")
    sequence = _sequence()
    real = sequence.one_run

    def off_by_one(*args: object, **kwargs: object) -> tuple[float, float, int]:
        inside, wall, value = real(*args, **kwargs)
        return inside, wall, value + 1

    monkeypatch.setattr(sequence, "one_run", off_by_one)
    assert sequence.main(["--programs", "recur", "--sizes", "tiny", "--runs", "1",
                          "--source", str(SOURCE)]) == 2
    assert "WRONG" in capsys.readouterr().out


def test_a_failing_process_raises() -> None:
    sequence = _sequence()
    with pytest.raises(RuntimeError, match="wasmem"):
        sequence.one_run("wasmem", BENCH / "no-such.wasm", "run", 1, "", SOURCE, 60.0)


def test_unknown_programs_are_refused() -> None:
    with pytest.raises(SystemExit):
        _sequence().main(["--programs", "no-such-program"])
    assert sys.modules.get("bench_sequence") is None
