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
