"""Stateful tests of every allocator of ``wasmem.tools.alloc`` (and of wasi-libc's dlmalloc,
through its walker) against a Python model, replayed on wasmtime (see
``_alloc_machine.py``). ``WASMEM_ALLOC_EXAMPLES`` raises the number of examples
for off-line runs (CI: 30 per allocator)."""

from __future__ import annotations

import os

import pytest
from _alloc_machine import machine_for
from hypothesis import HealthCheck, settings

from wasmem.tools.alloc import NAMES

EXAMPLES = int(os.environ.get("WASMEM_ALLOC_EXAMPLES", "30"))


@pytest.mark.parametrize("name", [*NAMES, "dlmalloc"])
def test_allocator_matches_the_model(name: str) -> None:
    machine = machine_for(name)
    machine.TestCase.settings = settings(
        max_examples=EXAMPLES, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    machine.TestCase().runTest()
