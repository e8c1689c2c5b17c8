"""A module imported from wasmem's import bundle has the attributes an ordinary import
gives it (``wasmem.import_bundle``: its loader sets some of them itself, before the
import system would, and leaves the spec's ``cached`` to be computed when asked).

Fresh processes over a copy of the package (bytecode under a private
``PYTHONPYCACHEPREFIX``): one with the bundle off, one recording it, one reading it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import wasmem

PACKAGE = Path(wasmem.__file__).resolve().parent

_PROBE = r"""
import json, sys
import wasmem
import wasmem.valid.ops
module = wasmem.Module(bytes.fromhex(
    "0061736d0100000001060160017f017f030201000707010369"
    "6e6300000a09010700200041016a0b"))
assert wasmem.Instance(module).exports.inc(41) == 42
found = {}
for name, module in sorted(sys.modules.items()):
    if not name.startswith("wasmem.") or name == "wasmem.import_bundle":
        continue
    spec = module.__spec__
    found[name] = {
        "file": module.__file__, "cached": module.__cached__,
        "package": module.__package__, "loader_is_spec_s": module.__loader__ is spec.loader,
        "path": getattr(module, "__path__", None),
        "spec": [spec.name, spec.origin, spec.cached, spec.parent, spec.has_location,
                 spec.submodule_search_locations],
        "loader_name": module.__loader__.name, "loader_path": module.__loader__.path,
        "from_bundle": getattr(spec.loader, "code", None) is not None,
    }
print(json.dumps(found))
"""


def _run(root: Path, prefix: Path, **environment: str) -> Any:
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONPYCACHEPREFIX": str(prefix),
           "WASMEM_CACHE_DIR": "", **environment}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                          text=True, timeout=300, check=False, cwd=root.parent)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_attributes_of_an_ordinary_import(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(PACKAGE, root / "wasmem", ignore=shutil.ignore_patterns("__pycache__"))
    prefix = tmp_path / "pyc"
    ordinary = _run(root, prefix, WASMEM_IMPORT_BUNDLE="0")
    _run(root, prefix)  # (records the bundle at exit)
    bundled = _run(root, prefix)
    assert set(bundled) == set(ordinary) and "wasmem.valid.ops" in bundled
    assert all(entry["from_bundle"] for entry in bundled.values())
    assert not any(entry["from_bundle"] for entry in ordinary.values())
    for name, entry in bundled.items():
        assert entry["loader_is_spec_s"], name
        del entry["from_bundle"], ordinary[name]["from_bundle"]
        assert entry == ordinary[name], name
    packages = [name for name, entry in bundled.items() if entry["path"] is not None]
    assert "wasmem.valid" in packages and bundled["wasmem.valid"]["package"] == "wasmem.valid"
    assert bundled["wasmem.valid.ops"]["package"] == "wasmem.valid"
