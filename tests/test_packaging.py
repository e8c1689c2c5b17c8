"""The wheel is a complete product: built from the tracked sources (as ``python -m build``
would, through pip's PEP 517 build), installed into a fresh virtual environment, and run
from a folder outside the checkout: ``wasmem --version``, ``wasmem tour`` (the chapter's
examples are package data) and the README's Python example.

It runs in CI with the rest of the suite (about 30 s: most of it creating the build
and the target environments); ``-m "not packaging"`` leaves it out of a quick local run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from _data import ROOT

pytestmark = pytest.mark.packaging


def _tracked(*paths: str) -> list[str]:
    """Files git tracks under ``paths`` (the checkout may hold build leftovers)."""
    out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", *paths],
                         capture_output=True, check=False)
    if out.returncode != 0:  # not a git checkout (an sdist): take the files as they are
        return [str(p.relative_to(ROOT)) for path in paths for p in
                ([ROOT / path] if (ROOT / path).is_file() else (ROOT / path).rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts and ".egg-info" not in str(p)]
    return [name for name in out.stdout.decode().split("\0") if name]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with only the wheel installed; returns its ``bin`` folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    for name in _tracked("src", "pyproject.toml", "README.md", "LICENSE"):
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name).read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(work / "dist"), str(source)],
                           capture_output=True, text=True, env=env, timeout=300, check=False)
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next((work / "dist").glob("wasmem-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "wasmem/py.typed" in names
    assert "wasmem/examples/chapter5/01-memory-basics.wat" in names
    assert "wasmem/examples/chapter5/as_printed/05-stores.wat" in names
    assert "wasmem/examples/wasi/hello.wasm" in names and "wasmem/examples/wasi/hello.c" in names
    assert not [n for n in names if n.startswith(("tests/", "examples/"))]
    import wasmem
    metadata = zipfile.ZipFile(wheel).read(
        f"wasmem-{wasmem.__version__}.dist-info/METADATA").decode()
    for field in ("License-Expression: Apache-2.0", "Project-URL: ", "Keywords: webassembly",
                  "Classifier: Programming Language :: Python :: 3.13", "Typing :: Typed"):
        assert field in metadata
    venv.create(work / "venv", with_pip=True, symlinks=os.name != "nt")
    bin_dir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q",
                              "--no-deps", "--no-index", str(wheel)],
                             capture_output=True, text=True, env=env, timeout=300, check=False)
    assert install.returncode == 0, install.stdout + install.stderr
    return bin_dir


def _run(bin_dir: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(bin_dir / argv[0]), *argv[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_version_and_tour_from_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    import wasmem

    version = _run(installed, "wasmem", "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout == f"wasmem {wasmem.__version__}\n"
    tour = _run(installed, "wasmem", "tour", cwd=tmp_path)
    assert tour.returncode == 0, tour.stderr
    assert "Linear memory and its layout" in tour.stdout and tour.stderr == ""
    assert "A C program compiled with clang" in tour.stdout  # hello.wasm is package data
    assert "Hello, tour!" in tour.stdout
    where = _run(installed, "python", "-c", "import wasmem; print(wasmem.__file__)",
                 cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)
    one = _run(installed, "python", "-m", "wasmem", "tour", "loads", cwd=tmp_path)
    assert one.returncode == 0 and "zero and sign extension" in one.stdout


def test_readme_python_example_runs_against_the_wheel(installed: Path, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme.split("## Using it from Python", 1)[1], re.S)
    assert code
    (tmp_path / "example.py").write_text(code.group(1), encoding="utf-8")
    result = _run(installed, "python", "example.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == ["500", "Hello, WebAssembly!",
                                              "[255, 255, 255, 255]"]


def test_type_checkers_see_the_package_as_typed(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, "python", "-c",
                  "import importlib.resources as r; print(r.files('wasmem')"
                  ".joinpath('py.typed').is_file())", cwd=tmp_path)
    assert result.stdout == "True\n"
