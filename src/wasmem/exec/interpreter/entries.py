"""Entries of interpreted functions with a fixed number of parameters (generated).

:func:`.interpreter_callable` gives a function of up to :data:`MAX_PARAMETERS`
parameters an entry taking exactly that many (``call(a0, a1)``) rather than
``call(*args)``: CPython runs calls between Python functions of plain positional
parameters inside its evaluation loop, without building an argument tuple or a new C
frame, so an interpreted call to an interpreted function costs less (``bench/interpreter.md``).
The entry runs the common case itself (no fuel, no ``try_table``, no pending tail call
at the end) and hands the others to the general run loop, ``_run`` of
:mod:`wasmem.exec.interpreter`. Its source is generated here and committed as
``gen_entries.py`` (see :mod:`.regenerate`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import callstack
from .inline import generate

__all__ = ["MAX_PARAMETERS", "ENTRIES", "build_entries"]

MAX_PARAMETERS = 8
"""Functions with more parameters use the general entry (``call(*args)``)."""


def _entries_source() -> str:
    """The source of the entry makers; it ends with ``ENTRIES``, the makers' names by
    parameter count. A maker takes ``(state, index, general, run, tail_call)``: the
    instance's interpreter state, the function's index, the general entry's body (for
    fuel and ``try_table``: ``general(state, index, arguments)``), the general run loop and
    the tail-call step (after a ``return_call``)."""
    lines: list[str] = []
    for count in range(MAX_PARAMETERS + 1):
        params = ", ".join(f"a{i}" for i in range(count))
        values = "".join(f"a{i}, " for i in range(count))
        lines += [
            f"def entry_{count}(state, index, general, run, tail_call):",
            "    codes = state.codes",
            "    link = state.link",
            f"    def call({params}):",
            "        code = codes[index] or link(index)",
            "        if not code.plain:  # fuel or try_table: the general run loop",
            "            pc = 0  # (a backtrace shows that loop's frame, not this one)",
            f"            return general(state, index, ({values}))",
            "        stack = local.counters  # counted per thread: see exec/callstack.py",
            "        caller = stack.depth",
            "        depth = caller + code.weight",
            "        if depth >= deep and (depth > limit or not stack.holding):",
            "            deeper(depth)",
            "        stack.depth = depth",
            "        try:",
            "            code.countdown -= 1",
            "            if code.countdown < 0:",
            "                code.expired()",
            f"            R = [{values}*code.template]",
            "            ops = code.ops",
            "            pc = 1",
            "            while pc:",
            "                pc = ops[pc](R)",
            "            if R[-1] is not None:  # a tail call: go on in the general loop",
            "                following, args = tail_call(R[-1])",
            "                if following is None:",
            "                    return args",
            "                return run(state, index, following, args, stack, depth)",
            "            n = code.results",
            "            if n == 1:",
            "                return R[code.base]",
            "            if not n:",
            "                return None",
            "            return tuple(R[code.base:code.base + n])",
            "        finally:",
            "            stack.depth = caller",
            "    return call",
        ]
    names = {count: f"entry_{count}" for count in range(MAX_PARAMETERS + 1)}
    lines.append(f"ENTRIES = {names!r}")
    return "\n".join(lines) + "\n"


def build_entries() -> dict[int, Callable[..., Callable[..., Any]]]:
    """The entry makers by parameter count (from the committed module, see
    :func:`.inline.generate`)."""
    namespace = generate(_entries_source, {
        "local": callstack.LOCAL, "deep": callstack.DEEP, "limit": callstack.MAX_CALL_DEPTH,
        "deeper": callstack.deeper}, "entries")
    return {count: namespace[name] for count, name in namespace["ENTRIES"].items()}


ENTRIES = build_entries()
"""Parameter count -> entry maker (see :func:`_entries_source`)."""
