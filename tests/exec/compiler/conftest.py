"""Fixtures shared by the compiler's tests."""

from __future__ import annotations

from typing import Any

import pytest

import wasmem


@pytest.fixture(scope="module")
def engines(request: pytest.FixtureRequest) -> tuple[Any, Any, Any]:
    """``(compiled exports, interpreted exports, module)`` of the test module's ``MODULE``
    (WebAssembly text), instantiated once on each tier."""
    m = wasmem.Module(request.module.MODULE)
    return (wasmem.Instance(m, tier="compile").exports,
            wasmem.Instance(m, tier="interpret").exports, m)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give a ``wrap_case`` argument each case name of the test class's
    :class:`wrap_checks.WrapChecks` (its ``PLAIN`` and ``WRAPPING`` exports)."""
    if "wrap_case" in metafunc.fixturenames and metafunc.cls is not None:
        names = metafunc.cls.names()
        metafunc.parametrize("wrap_case", names, ids=list(names))
