"""The names of the execution tiers (a module of its own: the CLI needs them at start-up,
before anything heavy is imported), and what the tiers that bind a namespace for
generated code share without the compiler.

:class:`NamespaceTier` is the base of both the compiling tier (:mod:`.compiler.tier`)
and the tiered one (:mod:`.tiering`, through :mod:`.deferred_tier`): what importers,
observers (:mod:`wasmem.observe`), backtraces and :mod:`.release` look for on an
instance's tier; :func:`_with_depth` adapts the interpreter's callables to generated
code's calls. (Here rather than in a module of their own: each module on the way to a
first result costs about 25 us of the import system's work besides its code, and this
one is imported with ``wasmem``.)
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import types

    from ..runtime.instances import ModuleInstance
    from .compiler.lines import LineEntry

__all__ = ["TIERS", "DEFAULT_TIER", "TIER_KEY", "UNALIGNED", "NamespaceTier"]

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


class NamespaceTier:
    """A tier that binds an instance's functions in a namespace of generated code.

    Attributes:
        instance: the instance. fuel: whether it counts fuel.
        fallback: ``fallback(instance, index)``, a callable for a function the compiler
            cannot translate (the interpreter), or None.
        namespace: the names generated code uses (``F3``, ``M0``, ...).
        importers: per function index, the ``(namespace, key)`` of other instances'
            namespaces that bind the function (rebound with it).
    """

    def __init__(self, instance: ModuleInstance, fallback: Any = None) -> None:
        self.instance = instance
        self.fuel = instance.fuel is not None
        self.fallback = fallback
        self.namespace: dict[str, Any] = {}
        self.importers: dict[int, list[tuple[dict[str, Any], str]]] = {}

    def make_stub(self, index: int, direct: bool = False) -> Any:
        """The callable bound to function ``index`` before it runs (a ``direct`` one is
        called by generated code with the call depth last). Raises NotImplementedError
        here (each tier makes its own)."""
        raise NotImplementedError

    def release(self, indices: set[int]) -> None:
        """Forget the code made for the functions ``indices``. Raises nothing."""

    def line_table_for(self, index: int, code: types.CodeType) -> list[LineEntry | None] | None:
        """The line table of ``code``, translated code of function ``index``; None if
        there is none. Raises nothing here."""
        return None


def _with_depth(function: Any, arity: int) -> Any:
    """Adapt a callable without a depth argument (the interpreter) to direct calls from
    compiled code, which pass the call depth last: publish it, then call (with a fixed
    number of arguments, a call that Python makes without recursing in C)."""
    call = _depth_adapter(arity)(function)
    call.__name__ = getattr(function, "__name__", "call")
    return call


@functools.cache
def _depth_adapter(arity: int) -> Any:
    """The factory of :func:`_with_depth`'s adapters for ``arity`` arguments (generated
    once per arity)."""
    from . import callstack  # (imported already: the tiers run on it)
    names = "".join(f"a{k}, " for k in range(arity))
    source = (f"def adapt(function):\n"
              f"    def call({names}_d):\n        local.counters.depth = "
              f"_d - {callstack.HELD + 1} if _d >= {callstack.DEEP + callstack.HELD} else _d - 1\n"
              f"        return function({names})\n"
              f"    return call\n")
    namespace: dict[str, Any] = {"local": callstack.LOCAL}
    exec(source, namespace)
    return namespace["adapt"]
