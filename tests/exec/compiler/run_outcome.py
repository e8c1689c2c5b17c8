"""What a call of a test module's ``run`` export gives, for comparing tiers: its i32
result, or the trap's message and the frames' (function, line, column) places. Shared by
the compiler's tests of switches, tails and tables."""

from __future__ import annotations

import wasmem


def outcome(instance: wasmem.Instance, argument: int) -> object:
    """``run(argument)`` as an unsigned i32, or ``(message, places)`` of its trap. Raises
    what the call raises other than a :class:`wasmem.Trap`."""
    try:
        return instance.exports["run"](argument) & 0xFFFFFFFF
    except wasmem.Trap as trap:
        return (str(trap), [(f.function_index, f.line, f.column) for f in trap.frames])
