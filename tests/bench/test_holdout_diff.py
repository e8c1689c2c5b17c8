"""Tests of ``bench/holdout_diff.py``: wasmem against wasmtime in every tier setting.

A small module that loops, calls, stores and (at one argument) traps after writing must
come out equal in every setting; a module whose memory differs must be reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

wasmtime = pytest.importorskip("wasmtime")

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import holdout_diff  # noqa: E402

WAT = """(module
  (memory (export "memory") 1)
  (func $step (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $i) (i32.mul (local.get $n) (i32.const 300))))
        (local.set $x (call $step (local.get $x)))
        (i32.store8 offset=1024 (i32.and (local.get $x) (i32.const 1023)) (local.get $x))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (i32.div_u (local.get $x) (i32.sub (local.get $n) (i32.const 3)))))"""


def test_equal_in_every_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "loop.wasm"
    path.write_bytes(wasmtime.wat2wasm(WAT))
    extra = {"watch": [1024, 2048], "starve": 500}
    assert holdout_diff.check(str(path), "run", [0, 2, 3], extra) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(holdout_diff.SETTINGS)
    assert all(line.endswith(" ok") for line in lines)


def test_a_difference_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "loop.wasm"
    path.write_bytes(wasmtime.wat2wasm(WAT))
    real = holdout_diff.child

    def skewed(setting: str, *args: object) -> object:
        got = real(setting, *args)  # type: ignore[arg-type]
        if setting == "compile" and isinstance(got, list):
            got[0][1] = "0" * 16  # as if the translation left other bytes in memory
        return got

    monkeypatch.setattr(holdout_diff, "child", skewed)
    monkeypatch.setattr(holdout_diff, "SETTINGS", ["tiered", "compile"])
    assert holdout_diff.check(str(path), "run", [2], {"watch": [0, 1], "starve": 10}) == 1


def test_settings_are_chosen_by_name_or_kind() -> None:
    assert holdout_diff.chosen("") == holdout_diff.SETTINGS
    assert holdout_diff.chosen("compile,tiered") == ["tiered", "compile"]
    assert holdout_diff.chosen("watch,fuel") == ["fuel", "watch-interpret", "watch-compile"]
    assert holdout_diff.chosen("cached") == ["cached", "cached"]
    with pytest.raises(ValueError, match="unknown setting"):
        holdout_diff.chosen("jit")


def test_only_the_chosen_settings_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "loop.wasm"
    path.write_bytes(wasmtime.wat2wasm(WAT))
    settings = holdout_diff.chosen("interpret,starve")
    assert holdout_diff.check(str(path), "run", [2, 3], {"watch": [0, 1], "starve": 500},
                              settings) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["interpret", "starve-interpret",
                                                   "starve-compile"]
