"""The WASI preview 1 test suite (``tests/data/wasi-testsuite``), run as upstream's runner
runs it: ``wasmem run --env K=V ... --dir ROOT::/ TEST.wasm ARGS...``, comparing the exit
code and, where the specification gives them, stdout and stderr.

Each test runs in a temporary copy of its folder (so the repository is never written);
``*.cleanup`` files are removed before and after, and the fixture tree must be as it was.
The same tests also run in-process through the Python API on the interpreting tier.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import wasmem
from wasmem.wasi import WasiConfig

WASI_SUITE = Path(__file__).resolve().parents[1] / "data" / "wasi-testsuite"
"""The vendored suite (the same constant as ``tests/_data.py``'s ``WASI_SUITE``)."""

TESTS = sorted(WASI_SUITE.glob("*/testsuite/*/*.wasm"))

EXTRA_SUITE = os.environ.get("WASMEM_WASI_TESTSUITE")
"""Optionally, a checkout of upstream's ``prod/testsuite-base`` branch (its Rust tests are
about 98 MB, so they are not vendored): every ``wasm32-wasip1`` test under it runs too."""
EXTRA = sorted(Path(EXTRA_SUITE).glob("**/wasm32-wasip1/*.wasm")) if EXTRA_SUITE else []


def specification(test: Path) -> dict[str, Any]:
    """The test's ``.json`` with upstream's defaults filled in."""
    spec: dict[str, Any] = {"args": [], "env": {}, "exit_code": 0}
    path = test.with_suffix(".json")
    if path.exists():
        spec.update(json.loads(path.read_text(encoding="utf-8")))
    return spec


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (the fixture's state)."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def remove_cleanups(folder: Path) -> None:
    for leftover in folder.rglob("*.cleanup"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()


@pytest.fixture()
def copy_of_suite_folder(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    test: Path = request.param
    folder = tmp_path / test.parent.name
    shutil.copytree(test.parent, folder, symlinks=True)
    return folder / test.name


def test_the_whole_suite_is_here() -> None:
    assert len(TESTS) == 26
    assert (WASI_SUITE / "LICENSE").exists() and (WASI_SUITE / "README.md").exists()


@pytest.mark.parametrize("copy_of_suite_folder", TESTS + EXTRA, indirect=True,
                         ids=[f"{t.parts[-4]}/{t.stem}" for t in TESTS + EXTRA])
def test_through_wasmem_run(copy_of_suite_folder: Path) -> None:
    test = copy_of_suite_folder
    spec = specification(test)
    remove_cleanups(test.parent)
    before = tree(test.parent)
    command = [sys.executable, "-m", "wasmem", "run"]
    for name, value in spec["env"].items():
        command += ["--env", f"{name}={value}"]
    if "root" in spec:
        command += ["--dir", f"{test.parent / spec['root']}::/"]
    command += [str(test), *spec["args"]]
    done = subprocess.run(command, capture_output=True, cwd=test.parent, timeout=300,
                          check=False)
    assert done.returncode == spec["exit_code"], done.stderr.decode(errors="replace")
    if "stdout" in spec:
        assert done.stdout.decode() == spec["stdout"]
    if "stderr" in spec:
        assert done.stderr.decode() == spec["stderr"]
    remove_cleanups(test.parent)
    assert tree(test.parent) == before


@pytest.mark.parametrize("copy_of_suite_folder", TESTS, indirect=True,
                         ids=[f"{t.parts[-4]}/{t.stem}" for t in TESTS])
def test_in_process_on_the_interpreter(copy_of_suite_folder: Path) -> None:
    test = copy_of_suite_folder
    spec = specification(test)
    remove_cleanups(test.parent)
    preopens = {"/": str(test.parent / spec["root"])} if "root" in spec else {}
    config = WasiConfig(args=[test.name, *spec["args"]], env=spec["env"],
                        preopens=preopens, stdin=None, stdout="capture", stderr="capture")
    instance = wasmem.Instance(wasmem.Module.from_file(test), wasi=config, tier="interpret")
    try:
        instance.exports._start()
        code = 0
    except wasmem.Exit as exit_:
        code = exit_.code
    assert code == spec["exit_code"], config.captured_stderr
    if "stdout" in spec:
        assert config.captured_stdout.decode() == spec["stdout"]
    instance.wasi.close()
    remove_cleanups(test.parent)
