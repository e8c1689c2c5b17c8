"""Test-suite wide settings."""

import atexit
import os
import shutil
import tempfile

import pytest

# A translation bug in the compiling tier must fail tests, not fall back silently.
os.environ.setdefault("WASMEM_STRICT_COMPILE", "1")
# The tiered mode (the default) with tiny budgets: functions move from the interpreter to
# compiled code on their second call, activations to compiled loop continuations on a
# loop's third iteration, so every test of the default mode runs both tiers mixed.
os.environ.setdefault("WASMEM_TIER_BUDGETS", "1,2")

# The disk cache is on by default (a per-user directory): tests must neither depend on
# nor fill the user's cache, nor create the user's cache key. Tests of the cache itself
# pass ``cache_dir=`` explicitly; their key goes to this session's own config directory.
os.environ["WASMEM_CACHE_DIR"] = ""
_CONFIG = tempfile.mkdtemp(prefix="wasmem-test-config-")
os.environ["XDG_CONFIG_HOME"] = _CONFIG
atexit.register(shutil.rmtree, _CONFIG, True)


@pytest.fixture(autouse=True)
def _no_module_shared_between_tests() -> None:
    """Each test loads its modules afresh: ``wasmem.load.cached`` remembers the last
    modules loaded (their translations and counts), which a test of tiers in a later
    test loading the same bytes would find."""
    from wasmem.load import cached
    cached._LOADED_HERE.clear()


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The binary sources ``wasmem.load.binary.load_binary`` (decode and validate) is
    given from now on, in order: a test's record of which loads validated."""
    from wasmem.load import binary
    calls: list[bytes] = []
    real = binary.load_binary

    def counting(source: bytes, *, file: str | None = None) -> object:
        calls.append(bytes(source))
        return real(source, file=file)

    monkeypatch.setattr(binary, "load_binary", counting)
    return calls
