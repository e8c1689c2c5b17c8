"""Checks shared by the tests of translations that drop an i32 step's wrap-around.

A test module names its cases in a subclass of :class:`WrapChecks`: ``PLAIN`` (exports
whose step must lose the wrap-around's ``else``) and ``WRAPPING`` (exports that must keep
it), each an ``(i32) -> i32`` function's text, and ``EDGES``, the arguments to try. The
subclass, named ``Test...``, then runs every case on both tiers and wasmtime.
"""

from __future__ import annotations

from typing import ClassVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_loop_facts import stepped_without_wrap, tier_table, wasmtime_table


class WrapChecks:
    """Both tiers and wasmtime agree on every case; only ``PLAIN`` cases drop the wrap."""

    PLAIN: ClassVar[dict[str, str]] = {}
    WRAPPING: ClassVar[dict[str, str]] = {}
    EDGES: ClassVar[list[int]] = []

    @classmethod
    def source(cls) -> str:
        """The module holding every case, ``PLAIN``'s first."""
        return "(module" + "".join(cls.PLAIN.values()) + "".join(cls.WRAPPING.values()) + "\n)"

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The exports, in the module's function order."""
        return (*cls.PLAIN, *cls.WRAPPING)

    def table(self, tier: str, values: list[int]) -> dict[str, list[int]]:
        """Every export's unsigned result for each of ``values`` in one instance of ``tier``."""
        return tier_table(self.source(), self.names(), tier, values)

    def test_edges_agree_with_the_interpreter(self) -> None:
        assert self.table("compile", self.EDGES) == self.table("interpret", self.EDGES)

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.differing_executors])  # one per subclass
    @given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=6))
    def test_random_values_agree_with_the_interpreter(self, values: list[int]) -> None:
        assert self.table("compile", values) == self.table("interpret", values)

    def test_edges_agree_with_wasmtime(self) -> None:
        assert self.table("compile", self.EDGES) == wasmtime_table(
            self.source(), self.names(), self.EDGES)

    def test_only_plain_cases_are_stepped_without_wrap(self, wrap_case: str) -> None:
        assert stepped_without_wrap(self.source(), self.names(), wrap_case) is (
            wrap_case in self.PLAIN)
