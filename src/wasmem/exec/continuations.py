"""Compiled continuations of the tiered mode: a function's code entered at a loop header.

When an interpreted activation's hot loop gets its own translation (on-stack replacement,
:mod:`.osr`), the tiered tier (:mod:`.tiering`) enters a *continuation*: the function
translated from that loop's header on, taking the interpreter's locals. This module makes
them (translated here, or loaded from the module's disk cache, where each is stored as a
part of its function's entry, ``-loop<ordinal>``), keeps them per module (shared by the
module's instances, as whole functions' translations are), binds them per instance
(:class:`ContinuationTier`), and answers backtraces' questions about their lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import time
import types

from ..runtime.instances import ModuleInstance
from ..syntax.instructions import Block
from . import callstack
from .collector import collector_paused
from .deferred_tier import DeferredTier
from .sourcelines import remember

if TYPE_CHECKING:
    from .compiler.lines import LineEntry, Site  # (annotations only: not at Instance())
    from .compiler.tier import CompiledModule
    from .spending import Ledger

__all__ = ["ContinuationTier", "continuation_code"]


class ContinuationTier(DeferredTier):
    """The deferred compiling tier with the continuations of its instance's functions
    (what :class:`~.tiering.TieredTier` enters at hot loops).

    Args:
        instance: the instance, with every runtime object created.
        fallback: as for :class:`~.deferred_tier.DeferredTier`.
    """

    ledger: Ledger  # (the tiered tier's: what its translations spent)

    def __init__(self, instance: ModuleInstance, fallback: Any = None) -> None:
        super().__init__(instance, fallback)
        self.continuations: dict[tuple[int, int], Any] = {}

    def release(self, indices: set[int]) -> None:
        """Forget the code bound for the functions ``indices``. Raises nothing."""
        super().release(indices)
        for key in [key for key in self.continuations if key[0] in indices]:
            del self.continuations[key]

    def continuations_of(self, index: int) -> int:
        """How many continuations of function ``index`` this instance made or loaded."""
        return sum(1 for (function, _), made in self.continuations.items()
                   if function == index and made is not None)

    def continuations_in_module(self, index: int) -> int:
        """How many continuations of function ``index`` the module has in this process
        (made by any of its instances, or loaded). Raises nothing."""
        made = self.compiled.__dict__.get("continuations")
        if made is None:
            return 0
        return sum(1 for (function, _), code in made.codes.items()
                   if function == index and code is not None)

    def continuation(self, index: int, loop: Any, ordinal: int) -> Any:
        """The compiled continuation of function ``index`` entered at ``loop`` (its
        ``ordinal``-th loop; or a :class:`.pruned.Plan`) bound to this instance, or None
        if it cannot be made (:mod:`.osr`)."""
        key = (index, ordinal)
        made = self.continuations.get(key, False)
        if made is False:
            self.translating()
            began = time.process_time()
            code = continuation_code(self.compiled, index, loop, ordinal)
            self.ledger.charge(time.process_time() - began)
            made = None
            if code is not None:
                self.bind_constants()
                made = types.FunctionType(code, self.namespace, f"F{index}",
                                          (callstack.ENTRY_DEPTH,))
            self.continuations[key] = made
        return made

    def continuation_at_hand(self, index: int, loop: Block, ordinal: int) -> bool:
        """Whether the continuation at a loop was made before, in this process or one
        that left it in the disk cache (then the loop moves to it at once)."""
        if self.fuel:
            return False
        made = _osr_state(self.compiled)
        if (index, ordinal) in made.codes:
            return made.codes[index, ordinal] is not None
        cache = self.compiled.cache
        if cache is None:
            return False
        code = cache.load(index, False, self.compiled.context.constants, part=f"-loop{ordinal}")
        if code is None:
            return False
        made.codes[index, ordinal] = code
        made.origins[code] = (index, loop, ordinal)
        return True

    def line_table_for(self, index: int, code: types.CodeType) -> list[LineEntry | None] | None:
        """The line table of ``code``, translated code of function ``index``."""
        made = _osr_state(self.compiled)
        origin = made.origins.get(code)
        if origin is None:
            return super().line_table_for(index, code)
        if code not in made.tables:
            translated = _translate_continuation(self.compiled, *origin)
            made.tables[code] = None if translated is None else translated[1]
        table = made.tables[code]
        if callable(table):  # built when first asked for (see _translate_continuation)
            table = made.tables[code] = table()
        return table  # type: ignore[no-any-return]


LineTableMaker = Callable[[], "list[LineEntry | None]"]


class _Continuations:
    """Per module: continuation code by ``(function index, loop ordinal)``, the origin
    ``(function index, loop, ordinal)`` and line table of each code object."""

    def __init__(self) -> None:
        self.codes: dict[tuple[int, int], types.CodeType | None] = {}
        self.origins: dict[types.CodeType, tuple[int, Any, int]] = {}
        # a table, or what builds it (only backtraces ask for it)
        self.tables: dict[types.CodeType, list[LineEntry | None] | LineTableMaker | None] = {}


def _osr_state(compiled: CompiledModule) -> _Continuations:
    return compiled.__dict__.setdefault("continuations", _Continuations())  # type: ignore[no-any-return]


def continuation_code(compiled: CompiledModule, index: int, loop: Any,
                      ordinal: int) -> types.CodeType | None:
    """The code of the continuation of function ``index`` at ``loop``, its
    ``ordinal``-th loop: from this process, the disk cache, or translated now (and
    stored there); None if it cannot be made."""
    made = _osr_state(compiled)
    key = (index, ordinal)
    if key in made.codes:
        return made.codes[key]
    made.codes[key] = None
    part = f"-loop{ordinal}"
    cache = None if hasattr(loop, "context") else compiled.cache  # (.pruned: not stored)
    code = (None if cache is None
            else cache.load(index, False, compiled.context.constants, part=part))
    if code is None:
        with collector_paused(moving=True):  # (the module's: see .collector)
            translated = _translate_continuation(compiled, index, loop, ordinal)
        if translated is None:
            return None
        code, table = translated
        made.tables[code] = table
        if cache is not None:
            cache.store(index, False, code, compiled.context.constants, part=part)
    made.codes[key] = code
    made.origins[code] = (index, loop, ordinal)
    return code


def _translate_continuation(compiled: CompiledModule, index: int, loop: Any, ordinal: int
                            ) -> tuple[types.CodeType, LineTableMaker] | None:
    """Translate a continuation: its code and what builds its line table, or None (a
    negative ``ordinal``: the loop-only form, :mod:`.exits`)."""
    from .compiler.codegen import CannotCompile, FunctionCompiler  # only to translate
    from .compiler.tier import STRICT, TRANSLATION_FRAMES
    from .osr import NoContinuation, continuation_context
    name = compiled.module.function_name(index)
    try:
        if hasattr(loop, "context"):  # a whole function without its cold parts (.pruned)
            context, synthetic = loop.context(compiled.context, index)
        else:
            context, synthetic = continuation_context(compiled.context, index, loop,
                                                      ordinal < 0)
        compiler = FunctionCompiler(context, synthetic, fuel=False, name=name)
        with callstack.python_frames(TRANSLATION_FRAMES):
            source = compiler.compile()
            filename = f"<wasm {compiled.module.module_name()} F{index} {name} loop>"
            module_code = compile(source, filename, "exec")
    except (NoContinuation, CannotCompile, RecursionError, MemoryError):
        return None
    except Exception:
        if STRICT:
            raise
        return None
    remember(filename, source)
    code = next(c for c in module_code.co_consts if isinstance(c, types.CodeType))
    code = code.replace(co_name=f"F{index}")
    sites, header = compiler.sites, compiler.header_lines
    return code, lambda: [_renumber(entry, synthetic, index) for entry in sites.table(header)]


def _renumber(entry: LineEntry | None, old: int, new: int) -> LineEntry | None:
    """A line table entry of the continuation, as sites of the original function."""
    if entry is None:
        return None

    def site(s: Site) -> Site:
        return tuple((new if f == old else f, p) for f, p in s)
    main, deferred = entry
    return (site(main), tuple((a, b, site(s)) for a, b, s in deferred))


