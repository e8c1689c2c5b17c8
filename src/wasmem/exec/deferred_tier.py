"""The tiered tier's half of the compiling tier, made at its first translation.

A tiered instance (:mod:`.tiering`) whose functions only ever run on the interpreter
never imports the compiler (``wasmem.exec.compiler``, whose tier and context modules
take about a millisecond of a fresh process's first result): :class:`DeferredTier`
binds each function to the tiered tier's first-call stub and nothing else, and makes
the compiling tier (:class:`~.compiler.tier.CompilingTier`, sharing its namespace and
importers) and binds the instance's namespace at its first translation
(:meth:`DeferredTier.translating`). Interpreted code linked before that reads and sets
the globals generated code keeps in the namespace (:func:`_forwarding`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, cast

from ..runtime.globals import GlobalInstance
from ..runtime.instances import ModuleInstance
from .collector import collector_paused
from .tier_names import TIER_KEY, NamespaceTier

if TYPE_CHECKING:
    import types

    from .compiler.lines import LineEntry
    from .compiler.tier import CompiledModule, CompilingTier

__all__ = ["DeferredTier"]


_INTERPRETER = __name__.rpartition(".")[0] + ".interpreter"


class _Untranslated:
    """What :attr:`DeferredTier.compiled` stands for while nothing of the module was
    translated in this process and it has no disk cache: no translation at hand."""

    def __init__(self) -> None:
        self.cache = None
        self.codes: dict[tuple[int, ...], types.CodeType | None] = {}


class DeferredTier(NamespaceTier):
    """A tier whose compiling half (a :class:`~.compiler.tier.CompilingTier` sharing
    its namespace and importers) is made at its first translation (module docstring).
    Until then it binds each of its functions to :meth:`make_stub` and nothing else.

    Args:
        instance: the instance, with every runtime object created.
        fallback: as for the compiling tier (the interpreter).
    """

    def __init__(self, instance: ModuleInstance, fallback: Any = None) -> None:
        super().__init__(instance, fallback)
        self.compiling: CompilingTier | None = None
        self._untranslated = _Untranslated()

    @property
    def compiled(self) -> CompiledModule:
        """The module's translations (:class:`~.compiler.tier.CompiledModule`), or, if
        it has none yet (then no translation of it is at hand), a stand-in with no code
        and no disk cache. Raises nothing."""
        if self.compiling is not None:
            return self.compiling.compiled
        made = self.instance.module.__dict__.get("_wasmem_compiled")
        return cast("CompiledModule", self._untranslated if made is None else made)

    def bind(self) -> None:
        """Bind the instance's own functions to their first-call stubs. Raises nothing."""
        instance = self.instance
        for k, function in enumerate(instance.functions):
            if function.instance is instance:
                function.call = self.make_stub(k)

    def translating(self) -> CompilingTier:
        """The compiling half, made (and the namespace bound: memories, tables, globals,
        every function as bound now) at the first call. Raises nothing of its own."""
        compiling = self.compiling
        if compiling is not None:
            return compiling
        from .compiler.tier import BINDING, CompilingTier
        with BINDING, collector_paused():  # (once, should two threads translate first
            if self.compiling is None:  # together; what it builds lives on)
                self.compiling = self._bound(CompilingTier(self.instance, self.fallback))
            return self.compiling

    def _bound(self, compiling: CompilingTier) -> CompilingTier:
        """``compiling`` with the namespace bound (see :meth:`translating`)."""
        from .compiler.tier import NamespaceGlobal
        instance = self.instance
        namespace = compiling.namespace = self.namespace
        compiling.importers = self.importers

        def stub(index: int, direct: bool = False) -> Any:  # (what bind() binds)
            # a function keeps what it is bound to (a first-call stub, the interpreter,
            # an observer's callable); generated code calls a first-call stub
            return self.make_stub(index, True) if direct else instance.functions[index].call
        compiling.make_stub = stub  # type: ignore[method-assign]
        before = dict(namespace)  # (direct entries bound already: the interpreter's)
        originals = list(instance.globals)
        compiling.bind()
        namespace.update(before)
        namespace[TIER_KEY] = self  # (backtraces ask this tier for line tables)
        interpreter = sys.modules.get(_INTERPRETER)
        if interpreter is None or interpreter._INSTANCE_KEY not in instance.__dict__:
            return compiling  # (nothing of the instance was linked for the interpreter)
        for original, now in zip(originals, instance.globals):
            if (now is not original and isinstance(now, NamespaceGlobal)
                    and type(original) is GlobalInstance and original.type.mutable):
                # interpreted code linked before holds the original: it must see (and
                # set) the value where generated code does
                original.__class__ = _forwarding(namespace, now.key)
        return compiling

    def compile_function(self, index: int) -> Any:
        """Translate function ``index`` and bind it everywhere (see
        :meth:`~.compiler.tier.CompilingTier.compile_function`, whose exceptions it
        raises)."""
        return self.translating().compile_function(index)

    def bind_constants(self) -> None:
        """Bind the module's float constants in the namespace. Never raises."""
        self.translating().bind_constants()

    def release(self, indices: set[int]) -> None:
        """Forget the code made for the functions ``indices``. Raises nothing."""
        if self.compiling is not None:
            self.compiling.release(indices)

    def line_table_for(self, index: int, code: types.CodeType) -> list[LineEntry | None] | None:
        """The line table of translated code of function ``index`` (None before any
        translation). Raises nothing of its own."""
        if self.compiling is None:
            return None
        return self.compiling.line_table_for(index, code)


def _forwarding(namespace: dict[str, Any], key: str) -> type[GlobalInstance]:
    """A class for a :class:`GlobalInstance` whose value lives in ``namespace[key]``
    (same layout: an instance's class can be switched to it)."""

    class ForwardedGlobal(GlobalInstance):
        __slots__ = ()

        @property  # type: ignore[override]
        def value(self) -> Any:
            return namespace[key]

        @value.setter
        def value(self, new: Any) -> None:
            namespace[key] = new

    return ForwardedGlobal
