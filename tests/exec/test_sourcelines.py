"""Generated source reaches :mod:`linecache` whether or not it was imported first
(:mod:`wasmem.exec.sourcelines`): tracebacks show the lines of translated functions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import wasmem

SOURCE_ROOT = str(Path(wasmem.__file__).resolve().parent.parent)

_CODE = r"""
import sys, json
sys.path.insert(0, SOURCE_ROOT)
if IMPORT_FIRST:
    import linecache
import wasmem
from wasmem.exec import sourcelines
sourcelines.remember("<wasmem test source>", "first line\nsecond line\n")
before = "linecache" in sys.modules
if FIND_FIRST:  # a spec looked up without importing the module changes nothing
    import importlib.util
    importlib.util.find_spec("linecache")
import linecache
from wasmem.exec import tiering  # (any module that registers source later)
sourcelines.remember("<wasmem test later>", "later\n")
module = wasmem.Module('(module (func (export "f") (param i32) (result i32) '
                       '(i32.div_u (i32.const 1) (local.get 0))))')
f = wasmem.Instance(module, tier="compile").exports["f"]
try:
    f(0)
except wasmem.Trap as trap:
    import traceback
    shown = "".join(traceback.format_exception(trap))
print(json.dumps({
    "before": before,
    "second": linecache.getline("<wasmem test source>", 2),
    "later": linecache.getline("<wasmem test later>", 1),
    "pending": len(sourcelines._pending),
    "meta_path_clean": all(type(f).__name__ != "_Watcher" and f is not sourcelines._Watcher
                           for f in sys.meta_path),
    "loader": type(linecache.__loader__).__name__,
    "checked": (linecache.checkcache(), linecache.getline("<wasmem test source>", 1))[1],
}))
"""


def _run(import_first: bool, find_first: bool = False) -> dict[str, object]:
    code = _CODE.replace("SOURCE_ROOT", repr(SOURCE_ROOT)).replace(
        "IMPORT_FIRST", repr(import_first)).replace("FIND_FIRST", repr(find_first))
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "WASMEM_CACHE_DIR": ""})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize("find_first", [False, True])
def test_lines_wait_for_linecache_and_reach_it_when_imported(find_first: bool) -> None:
    found = _run(import_first=False, find_first=find_first)
    if found["before"] is True:
        pytest.skip("this Python imports linecache at startup (3.13 does): nothing waits")
    assert found["before"] is False  # wasmem itself did not import it
    assert found["second"] == "second line\n"
    assert found["later"] == "later\n"
    assert found["pending"] == 0
    assert found["meta_path_clean"] is True  # the watcher is gone after the one import
    assert found["loader"] == "SourceFileLoader"  # the module keeps its real loader
    assert found["checked"] == "first line\n"  # checkcache keeps entries without mtime


def test_lines_go_straight_to_an_imported_linecache() -> None:
    found = _run(import_first=True)
    assert found["before"] is True
    assert found["second"] == "second line\n"
    assert found["later"] == "later\n"
    assert found["pending"] == 0
