"""The names of the execution tiers (a module of its own: the CLI needs them at start-up,
before anything heavy is imported)."""

from __future__ import annotations

__all__ = ["TIERS", "DEFAULT_TIER", "TIER_KEY", "UNALIGNED"]

TIERS = ("tiered", "compile", "interpret")
"""The execution tiers an instance can use: start on the interpreter and translate the
functions that get hot (:mod:`.tiering`), translate every function on its first call
(:mod:`.compiler.tier`), or only interpret (:mod:`.interpreter`)."""

DEFAULT_TIER = "tiered"
"""The tier of ``wasmem.Instance`` and of the command line when none is named."""

TIER_KEY = "__wasmem_tier__"
"""The namespace entry naming the tier whose generated code runs in it (see
:mod:`.compiler.tier`; here, so that backtraces need not import the compiler)."""

UNALIGNED = " unaligned>"
"""How the file name of a translation made without the stack pointer's test at entry
ends (exec/compiler/alignment.py): its frames stand for the frame that called it."""
