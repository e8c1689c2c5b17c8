"""A module file larger than the module size limit is refused while it is read, so an
endless file (``/dev/zero``, a named pipe that never ends) cannot hang ``Module.from_file``
or the commands (``wasmem validate /dev/zero`` used to read forever)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import wasmem
from wasmem.syntax import limits


def test_a_file_beyond_the_size_limit_is_a_module_file_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_MODULE_SIZE", 64)
    path = tmp_path / "big.wat"
    path.write_text("(module)" + " " * 100)
    with pytest.raises(wasmem.ModuleFileError, match="module size too large") as error:
        wasmem.Module.from_file(path, cache_dir=False)
    assert isinstance(error.value, OSError) and error.value.filename == str(path)
    path.write_text("(module)" + " " * 50)  # within the limit: read as before
    wasmem.Module.from_file(path, cache_dir=False)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_validating_an_endless_file_ends() -> None:
    code = ("import sys; from wasmem.syntax import limits; limits.MAX_MODULE_SIZE = 1 << 20\n"
            "from wasmem.cli import main\nsys.exit(main(['validate', '/dev/zero']))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 1, done.stderr
    assert "module size too large" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
