"""Repeated timed runs, shared by the workload and WASI worker tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["repeat"]


def repeat(once: Callable[[], tuple[float, Any]], warmup: int, reps: int,
           cap: float) -> dict[str, Any]:
    """Call ``once`` (returning ``(seconds, result)``) ``warmup + reps`` times; the first
    ``warmup`` runs are not counted. Timed runs stop early once they have used ``cap``
    seconds. Returns ``times``, ``first`` (the first run's seconds) and ``result`` (the
    last run's)."""
    times: list[float] = []
    first = None
    result = None
    for index in range(warmup + reps):
        elapsed, result = once()
        if index == 0:
            first = elapsed
        if index >= warmup:
            times.append(elapsed)
            if sum(times) > cap:
                break
    return {"times": times, "first": first, "result": result}
