"""Releasing what an instance built to run its code, once its owner is gone.

An instance and the code built for it form reference cycles by construction: the
instance lists its functions, each function's ``call`` is its code (interpreter
closures, translated functions), and that code refers to the instance's runtime objects
(and a translated function's globals are the instance's namespace, which holds the
translated functions). Left alone, a dropped instance is freed only by a full collection
of Python's cyclic garbage collector, which then walks every closure, tuple and cell of
its code (cmark-gfm: ~80,000 objects, 35-45 ms a collection, ``bench/tiering.md``).

:func:`release` unhooks that code from the instance instead: every defined function is
bound again to a first-call stub of its tier (as at instantiation), the interpreter's
per-instance state is dropped, and the few cycles inside the old interpreter code (a
loop header's counter, an expiring call budget) are undone. The code is then freed by
reference counting as soon as nothing else runs it, and what is left for the collector
is the instance itself with one stub per function.

Nothing is destroyed: whatever still holds a function (another instance that imported
it, a table, a reference given to the host, an activation running right now) keeps
working; a later call links or translates the function again, on the tier's usual rules.
The embedding calls :func:`release` when the last of the :class:`wasmem.Instance` and
the exports taken from it is dropped (:func:`release_when_dropped`), and drops the
functions the interpreter decoded for a module when its last :class:`wasmem.Module` is
dropped (:func:`forget_decoded_when_dropped`): a released instance still refers to its
module, and they are the bulk of what a module holds. A module that loading the same
bytes again returns (:mod:`wasmem.load.cached`) keeps them until it leaves that memory.
"""

from __future__ import annotations

import sys
import weakref
from typing import Any

from ..runtime.instances import ModuleInstance
from ..syntax.module import Module

__all__ = ["KEPT_KEY", "OWNERS_KEY", "Owner", "forget_decoded", "forget_decoded_when_dropped",
           "no_longer_kept", "release", "release_when_dropped"]

_INTERPRETER = __name__.rpartition(".")[0] + ".interpreter"


class Owner:
    """What the user's handles on one instance (the Instance, its Exports, the wrapped
    exports) share: when the last of them is dropped, the instance is released."""

    __slots__ = ("__weakref__",)


def release_when_dropped(instance: ModuleInstance) -> Owner:
    """Return a new :class:`Owner` whose end releases ``instance`` (not at interpreter
    exit, when everything ends anyway). Raises nothing."""
    owner = Owner()
    finalizer = weakref.finalize(owner, _release_dropped, instance)
    finalizer.atexit = False
    return owner


def _release_dropped(instance: ModuleInstance) -> None:
    """:func:`release`, as a finalizer runs it: whatever dropped the owner goes on. A
    failure (a bug: tests call :func:`release` itself) only leaves the instance to the
    collector, as before releases existed, rather than a traceback on standard error."""
    try:
        release(instance)
    except Exception:  # (see the docstring)
        pass


OWNERS_KEY = "_wasmem_owners"
"""Attribute of a syntax module: how many live user handles (:class:`wasmem.Module`) it
has (:func:`forget_decoded_when_dropped`)."""

KEPT_KEY = "_wasmem_kept"
"""Attribute of a syntax module that loading the same bytes again returns (set and
removed by :mod:`wasmem.load.cached`): its decoded functions are kept when its last
handle is dropped, for the next ``Module`` of those bytes and its instances."""


def forget_decoded_when_dropped(owner: object, module: Module) -> None:
    """When ``owner`` (the user's handle on ``module``) is dropped, drop the functions
    the interpreter decoded for ``module`` (:func:`forget_decoded`) if it was the last
    handle on it and loading its bytes again would not return it. Raises nothing."""
    module.__dict__[OWNERS_KEY] = module.__dict__.get(OWNERS_KEY, 0) + 1
    finalizer = weakref.finalize(owner, _dropped_owner, module)
    finalizer.atexit = False


def _dropped_owner(module: Module) -> None:
    """One handle on ``module`` is gone: :func:`forget_decoded` after its last one,
    unless the module is kept (:data:`KEPT_KEY`). Raises nothing."""
    owners = module.__dict__.get(OWNERS_KEY, 1) - 1
    module.__dict__[OWNERS_KEY] = owners
    if owners <= 0 and not module.__dict__.get(KEPT_KEY):
        forget_decoded(module)


def no_longer_kept(module: Module) -> None:
    """``module`` is no longer returned for its bytes (:data:`KEPT_KEY` removed): forget
    its decoded functions now if no handle on it is left. Raises nothing."""
    module.__dict__.pop(KEPT_KEY, None)
    if module.__dict__.get(OWNERS_KEY, 0) <= 0:
        forget_decoded(module)


def forget_decoded(module: Module) -> None:
    """Drop the interpreter's decoded functions of ``module`` (a cache: decoded again
    if an instance needs them). Its instances were released: without this, the module
    held by a released instance would hold them (most of what a dropped instance leaves
    to the collector). A module that loading its bytes again returns (``Module(data)``
    per run, as plugins and benchmarks do) keeps them: :func:`_dropped_owner`; forgetting
    them there made every later ``Module`` of cmark-gfm decode its interpreted functions
    again, 150-300 ms a run (``bench/tiering.md``, helper "second12"). Raises nothing."""
    interpreter = _loaded_interpreter()
    if interpreter is not None:
        module.__dict__.pop(interpreter._CACHE_KEY, None)


def _loaded_interpreter() -> Any:
    """The interpreter's module, or None while it is not imported, or not yet entirely: a
    finalizer may run during its import (a collection then, or another thread), and a
    partly imported interpreter has built nothing to release. Raises nothing."""
    interpreter = sys.modules.get(_INTERPRETER)
    if interpreter is None or getattr(getattr(interpreter, "__spec__", None),
                                      "_initializing", False):
        return None
    return interpreter


def release(instance: ModuleInstance) -> bool:
    """Unhook the code built for ``instance`` from it (module docstring); return whether
    it did. An instance under observation (:mod:`wasmem.observe`: a callable marked
    ``observed`` bound somewhere) is left as it is. Raises nothing of its own."""
    from .tier_names import NamespaceTier  # imported already: it bound the functions
    tier = instance.tier
    own = [k for k, function in enumerate(instance.functions) if function.instance is instance]
    if any(getattr(instance.functions[k].call, "observed", False) for k in own):
        return False
    interpreter = _loaded_interpreter()
    if interpreter is None:  # no interpreter code anywhere; translated functions refer
        return True  # to the instance's namespace only, which is no heavier than stubs
    if isinstance(tier, NamespaceTier):
        namespace = tier.namespace
        if any(getattr(namespace.get(f"F{k}"), "observed", False) for k in own):
            return False
        # the functions bound to the interpreter (or that were): translated ones stay
        interpreted = getattr(tier, "interpreted", {})
        promoted = getattr(tier, "promoted", ())
        unhook = {k for k in own if (k in interpreted and k not in promoted) or hasattr(
            instance.functions[k].call, interpreter.ENTRY_ATTRIBUTE)}
        _unhook_loops(tier, instance, interpreter)
        tier.release(unhook)
        for k in sorted(unhook):
            function = instance.functions[k]
            namespace[f"F{k}"] = tier.make_stub(k, direct=True)
            function.call = tier.make_stub(k)
            for importer, key in tier.importers.get(k, ()):
                if not getattr(importer.get(key), "observed", False):
                    importer[key] = function.call
    state = instance.__dict__.pop(interpreter._INSTANCE_KEY, None)
    if state is None:
        return True
    for code in state.codes:
        if code is not None:  # its call budget's closure refers to it
            code.countdown = interpreter.NEVER
            code.expired = interpreter._nothing
    # direct calls hold the state's entries (which end with the state): emptied in place
    state.entries[:] = [None] * len(state.entries)
    if tier == "interpret":
        for k in own:
            function = instance.functions[k]
            entry = getattr(function.call, interpreter.ENTRY_ATTRIBUTE, None)
            if entry is not None and entry[0] is state:
                function.call = _relinking(instance, k, interpreter)
    return True


def _relinking(instance: ModuleInstance, index: int, interpreter: Any) -> Any:
    """An interpreted function's callable after a release: it links the function again
    on its first call, and binds what that makes in its own place."""
    def first_call(*args: Any) -> Any:
        entry = interpreter.interpreter_callable(instance, index)
        function = instance.functions[index]
        # (itself by its code: naming it would be a cycle)
        if getattr(function.call, "__code__", None) is sys._getframe().f_code:
            function.call = entry
        return entry(*args)
    first_call.__name__ = f"F{index}_first"
    return first_call


def _unhook_loops(tier: Any, instance: ModuleInstance, interpreter: Any) -> None:
    """Put back the interpreter closures that the tiered mode replaced at loop headers
    (its counters and the jumps to compiled continuations refer to the closures' list)."""
    hooks = getattr(tier, "hooks", None)
    if not hooks or interpreter is None:
        return
    state = instance.__dict__.get(interpreter._INSTANCE_KEY)
    if state is None:
        return
    for index, replaced in hooks.items():
        code = state.codes[index]
        if code is not None:
            for pc, original in replaced:
                code.ops[pc] = original
