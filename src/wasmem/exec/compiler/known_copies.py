"""Whole functions known to copy or fill memory: an exact fast path at their entry.

clang compiles a C program's ``memcpy`` (and ``memmove``, ``memset``) from wasi-libc's
C code (musl's ``src/string``) when bulk memory is off, and real programs call them
constantly with small sizes (struct copies): each call of the translated code runs the
alignment prologue, the word loop and the tails, some 40 Python lines. The compiled
bodies come from the C library archive, so every program built against the same
wasi-libc holds them byte for byte.

:func:`known_copy` recognises such a function by its code, never by its name: the
fingerprint of its locals and instructions (opcodes and immediates, nested blocks
included) must be one of :data:`KNOWN`, each the fingerprint of a body whose behaviour
was read from its source and checked against its own translation
(tests/exec/compiler/test_compiler_known_copies.py runs them side by side on the
committed text of those bodies). Any other body, a changed instruction or constant
included, is translated as it is.

:func:`entry_lines` gives the test the translation puts at the function's entry: when
every byte the function would read and write lies inside the memory (and, for
``memcpy``, source and destination do not overlap, where the C code's order would
show), the function can neither trap nor depend on that order, and its whole effect
is one slice assignment and its result the destination pointer. Otherwise (a range
past the end, a wrap-around, an overlapping ``memcpy``) the translated body runs, and
traps where the C code would, after the same partial writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.types import I32, I64, FuncType

__all__ = ["KNOWN", "entry_lines", "fingerprint", "known_copy"]

KNOWN: dict[str, str] = {
    # wasi-libc (musl src/string/memcpy.c), clang -O2, as in libc.a of wasi-libc git
    # 20220510.9886d3d (Debian/Ubuntu's wasi-libc package)
    "6f29739bc012cc01818522c5dac8e36c5ba4db8c3ef9945a928fdc49e5bf4f1d": "memcpy",
    # the same archive's memset.c (stores only inside [d, d + n), reads nothing)
    "57509abc8c4ee76b03a0bd628fdb8be2a77afbe5531643b42c05d3777eb572e5": "memset",
    # (memmove.c's body calls memcpy by function index: it is not listed, as its
    # digest would hold whatever function that index names)
}
"""Fingerprint (:func:`fingerprint`) -> what the function does."""

_LOCALS = frozenset({(I32,) * 6, (I32, I32, I32, I64)})
"""The declared locals of the :data:`KNOWN` bodies (no digest for other functions)."""


def _serialise(body: Sequence[Instruction], out: list[str]) -> None:
    """Append a text naming every instruction of ``body`` (nested bodies included)."""
    stack: list[tuple[Sequence[Instruction], int]] = [(body, 0)]
    while stack:
        sequence, position = stack.pop()
        if position == len(sequence):
            out.append(")")
            continue
        ins = sequence[position]
        out.append(f"{ins.opcode}{ins.immediates!r}")
        stack.append((sequence, position + 1))
        if type(ins) is Block:
            out.append("(")
            stack.append((ins.else_body, 0))
            out.append("")  # (separates body from else body once both are closed)
            stack.append((ins.body, 0))
            out.append("(")


def fingerprint(function: Function) -> str:
    """A digest of ``function``'s locals and instructions (not their positions)."""
    out: list[str] = [repr(tuple(str(t) for t in function.locals))]
    _serialise(function.body, out)
    return hashlib.sha256(" ".join(out).encode()).hexdigest()


def known_copy(function: Function, function_type: FuncType, memories: int) -> str | None:
    """``"memcpy"`` or ``"memset"`` when ``function`` is one of the :data:`KNOWN`
    bodies (with the C signature ``(i32, i32, i32) -> i32`` over memory 0), else None."""
    if memories < 1 or function_type.params != (I32, I32, I32) \
            or function_type.results != (I32,) or function.locals not in _LOCALS:
        return None
    return KNOWN.get(fingerprint(function))


def entry_lines(kind: str) -> list[str]:
    """The fast path for a function ``kind`` (``"memcpy"``: destination ``l0``, source
    ``l1``, length ``l2``; ``"memset"``: destination ``l0``, byte ``l1``, length ``l2``)
    over memory ``M0``.

    Raises:
        ValueError: ``kind`` is not a kind of :data:`KNOWN`.
    """
    if kind == "memcpy":
        return ["    if (_e := l0 + l2) <= len(M0) and (_f := l1 + l2) <= len(M0)"
                " and (_e <= l1 or _f <= l0):",
                "        M0[l0:_e] = M0[l1:_f]",
                "        return l0"]
    if kind == "memset":
        return ["    if (_e := l0 + l2) <= len(M0):",
                "        M0[l0:_e] = bytes((l1 & 255,)) * l2",
                "        return l0"]
    raise ValueError(f"no fast path for {kind!r}")
