"""bench/cell_split.py: the split of a cold cell's runs (no timing asserts)."""

from __future__ import annotations

import sys
from pathlib import Path

import wasmem
from wasmem.exec import continuations, tiering

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import cell_split

LOOP = """(module (func (export "run") (param $n i32) (result i32) (local $i i32) (local $s i32)
  (loop $l (local.set $s (i32.add (local.get $s) (local.get $i)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
  (local.get $s)))"""


def test_split_counts_what_it_wrapped_and_puts_it_back() -> None:
    data = wasmem.Module(LOOP).to_bytes()
    promote = tiering.TieredTier.promote
    owners = {name: vars(owner)["continuation"] for name, owner in vars(continuations).items()
              if isinstance(owner, type) and "continuation" in vars(owner)}
    rows = cell_split.split(data, "run", 5000, 2, timeline=True)
    assert [row["run"] for row in rows] == [0, 1]
    for row in rows:
        made, _ = row["whole"]
        entered, _ = row["continuations"]
        assert made + entered >= 1  # the loop got hot: translated one way or the other
        assert row["rest"] <= row["total"]
    assert tiering.TieredTier.promote is promote
    assert all(vars(getattr(continuations, name))["continuation"] is original
               for name, original in owners.items())
