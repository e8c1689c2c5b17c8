"""Emscripten-style setjmp/longjmp: the host half (``env.invoke_*`` trampolines).

C code built with LLVM's Emscripten setjmp/longjmp lowering (emscripten itself, or
``clang --target=wasm32-wasi -mllvm -enable-emscripten-sjlj``) cannot unwind the wasm
stack by itself. Instead:

* every call that may ``longjmp``, made by a function that called ``setjmp``, goes
  through an imported ``env.invoke_<sig>(table_index, args...)``: the host calls the
  table element and, if a longjmp unwinds through it, restores the stack pointer, calls
  the module's exported ``setThrew(1, 0)`` and returns zeros;
* ``longjmp`` is the imported ``env.emscripten_longjmp(env, value)`` (LLVM 14: the host
  records the target with ``setThrew(env, value)`` and unwinds) or, with newer LLVM,
  C's own ``emscripten_longjmp`` ending in the imported ``env._emscripten_throw_longjmp()``;
* ``env.setTempRet0``/``env.getTempRet0`` pass a second return value (a cell here);
* ``saveSetjmp``/``testSetjmp`` (LLVM 14) belong to the C runtime linked into the module.

The unwinding is a :class:`Longjmp`, a :class:`~wasmem.Trap` subclass: a host function
raising a Trap passes through wasm frames as it is (nothing is wrapped, no backtrace is
computed unless someone reads ``frames``), and WebAssembly code cannot catch it (traps are
not wasm exceptions; ``try_table`` catches only thrown tags). A longjmp with no
``invoke_*`` below it reaches the caller as that Trap.

:class:`Emscripten` makes these imports for a module (each ``invoke_*`` generated once per
signature) and binds them to its instance; :func:`instantiate` does both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .embedding import Instance, Module
from .errors import Exhaustion, LinkError, Trap, TrapCode
from .exec.faults import INTERNAL_NOTE, guest_fault
from .exec.invoke import host_function
from .exec.support import MEMORY_ACCESS_ERRORS, indirect_check
from .runtime.functions import FunctionInstance
from .syntax.types import F32, F64, ExternKind, FuncType

__all__ = ["Emscripten", "EmscriptenInstance", "Longjmp", "instantiate", "needs_emscripten",
           "instance_for"]


class Longjmp(Trap):
    """A ``longjmp`` unwinding wasm frames towards the nearest ``env.invoke_*``
    trampoline. Seen by a caller only when no trampoline caught it (a longjmp whose
    ``setjmp`` is gone)."""

    # Raised at every longjmp: made without running Trap's constructor (the attributes a
    # Trap's constructor would set are the class's).
    message = "longjmp with no setjmp to return to"
    code = TrapCode.HOST_ERROR
    file = line = column = offset = None

    def __init__(self) -> None:
        pass


def needs_emscripten(module: Module) -> bool:
    """Whether ``module`` imports Emscripten's setjmp/longjmp functions from ``env``."""
    return any(imp.module == "env" and imp.kind is ExternKind.FUNC
               and (imp.name.startswith("invoke_") or imp.name in _RUNTIME)
               for imp in module.ast.imports)


_RUNTIME_TYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "emscripten_longjmp": (("i32", "i32"), ()),  # (jmp_buf address, value), wasm32
    "_emscripten_throw_longjmp": ((), ()),
    "setTempRet0": (("i32",), ()),
    "getTempRet0": ((), ("i32",)),
}
_RUNTIME = tuple(_RUNTIME_TYPES)


class Emscripten:
    """The ``env`` imports of Emscripten's setjmp/longjmp for one module and instance.

    ``imports`` maps the names the module imports (``invoke_*``,
    ``emscripten_longjmp``, ``_emscripten_throw_longjmp``, ``setTempRet0``,
    ``getTempRet0``) to functions; after the instance is made, :meth:`bind` connects
    them to its table, stack pointer and ``setThrew``. ``invokes`` and ``longjmps``
    count the trampoline calls and the longjmps caught.

    Raises:
        LinkError: an ``invoke_*`` import whose type does not start with the i32 index,
        or another of these imports with a type other than emscripten's.
    """

    def __init__(self, module: Module) -> None:
        self.invokes = 0
        self.longjmps = 0
        self.temp_ret0 = 0
        self._table: Any = _UNBOUND
        self._stack_pointer: Any = None
        self._set_threw: FunctionInstance | None = None
        self.imports: dict[str, FunctionInstance] = {}
        types = module.ast.types
        for imp in module.ast.imports:
            if imp.module != "env" or imp.kind is not ExternKind.FUNC:
                continue
            ft = _func_type(types, imp.desc)
            if ft is None:
                continue
            maker = self._maker(imp.name, ft)
            if maker is not None:
                self.imports[imp.name] = host_function(ft, ft, maker, name=imp.name, raw=True)

    def _maker(self, name: str, ft: FuncType) -> Callable[..., Any] | None:
        if name.startswith("invoke_"):
            if not ft.params or str(ft.params[0]) != "i32":
                raise LinkError(f"env.{name}: an invoke_* import takes the table index (i32) "
                                f"first, not {ft}")
            return _trampoline(self, FuncType(ft.params[1:], ft.results))
        expected = _RUNTIME_TYPES.get(name)
        if expected is not None and (tuple(map(str, ft.params)),
                                     tuple(map(str, ft.results))) != expected:
            params, results = expected
            raise LinkError(f"env.{name} is imported as {ft}; emscripten's takes "
                            f"({', '.join(params)}) and returns ({', '.join(results)})")
        if name == "emscripten_longjmp":
            return self._longjmp
        if name == "_emscripten_throw_longjmp":
            return self._throw
        if name == "setTempRet0":
            return self._set_temp
        if name == "getTempRet0":
            return self._get_temp
        return None

    def bind(self, instance: Instance) -> None:
        """Connect the imports to ``instance``: its ``__indirect_function_table``, its
        ``__stack_pointer`` global (or ``stackSave``/``stackRestore``) and ``setThrew``.

        Nothing is needed when the module imports neither ``invoke_*`` nor
        ``emscripten_longjmp``.

        Raises:
            LinkError: an export the trampolines need is missing.
        """
        if not any(name.startswith("invoke_") or name == "emscripten_longjmp"
                   for name in self.imports):
            return  # setTempRet0/getTempRet0 or a bare throw need nothing of the module
        exports = instance._instance.exports
        table = exports.get("__indirect_function_table")
        if table is None or not hasattr(table, "elements"):
            raise LinkError("an emscripten module must export __indirect_function_table")
        set_threw = exports.get("setThrew")
        if not isinstance(set_threw, FunctionInstance) or len(set_threw.type.params) != 2:
            raise LinkError("an emscripten module must export setThrew(threw, value)")
        pointer: Any = exports.get("__stack_pointer")
        if pointer is None or not hasattr(pointer, "value"):
            save, restore = exports.get("stackSave"), exports.get("stackRestore")
            if not isinstance(save, FunctionInstance) or not isinstance(restore,
                                                                        FunctionInstance):
                raise LinkError("an emscripten module must export __stack_pointer "
                                "or stackSave and stackRestore")
            pointer = _StackCalls(save, restore)
        self._table, self._stack_pointer, self._set_threw = table, pointer, set_threw

    # -------------------------------------------------------- the runtime functions
    def _longjmp(self, env: int, value: int) -> None:
        """``emscripten_longjmp(env, value)``: record the target, unwind."""
        if self._set_threw is None:
            raise LinkError("Emscripten.bind() was not called for this instance")
        _call_guest(self._set_threw, env, value)
        raise Longjmp()

    def _throw(self) -> None:
        raise Longjmp()

    def _set_temp(self, value: int) -> None:
        self.temp_ret0 = value

    def _get_temp(self) -> int:
        return self.temp_ret0

    def _caught(self, saved: int) -> None:
        """After a longjmp reached a trampoline: the stack pointer as it was, and
        ``setThrew(1, 0)`` (which keeps a target already recorded)."""
        self.longjmps += 1
        self._stack_pointer.value = saved
        _call_guest(self._set_threw, 1, 0)  # type: ignore[arg-type]


class _Unbound:
    """The table of an :class:`Emscripten` before :meth:`~Emscripten.bind`."""

    elements: tuple[Any, ...] = ()


_UNBOUND = _Unbound()


class _StackCalls:
    """The stack pointer through exported ``stackSave``/``stackRestore``."""

    def __init__(self, save: FunctionInstance, restore: FunctionInstance) -> None:
        self._save, self._restore = save, restore

    @property
    def value(self) -> int:
        return int(_call_guest(self._save))

    @value.setter
    def value(self, saved: int) -> None:
        _call_guest(self._restore, saved)


def _func_type(types: Any, desc: Any) -> FuncType | None:
    """The function type of an import's description (a type index)."""
    try:
        ft = types[desc] if isinstance(desc, int) else desc
    except (IndexError, TypeError):
        return None
    ft = getattr(ft, "composite", ft)
    return ft if isinstance(ft, FuncType) else None


_TRAMPOLINES: dict[tuple[int, str], Any] = {}


def _trampoline(owner: Emscripten, key: FuncType) -> Callable[..., Any]:
    """The ``invoke_*`` function for callees of type ``key`` (raw values), from code
    generated once per arity and result shape."""
    zeros = tuple(0.0 if t in (F32, F64) else 0 for t in key.results)
    shape = (len(key.params), "".join("f" if t in (F32, F64) else "i" for t in key.results))
    make = _TRAMPOLINES.get(shape)
    if make is None:
        names = ", ".join(f"a{k}" for k in range(shape[0]))
        failed = ("None" if not zeros else
                  repr(zeros[0]) if len(zeros) == 1 else repr(zeros))
        source = (
            "def make(owner, key):\n"
            f"    def trampoline(index{', ' if names else ''}{names}):\n"
            "        nonlocal key\n"
            "        owner.invokes += 1\n"
            "        table = owner._table\n"
            "        elements = table.elements\n"
            "        function = elements[index] if index < len(elements) else None\n"
            "        if function is None or function.key is not key:\n"
            "            function = checked(owner, index, key)\n"
            "            key = function.key  # the same type: compared by identity from now on\n"
            "        saved = owner._stack_pointer.value\n"
            "        try:\n"
            f"            return function.call({names})\n"
            "        except Longjmp:\n"
            "            owner._caught(saved)\n"
            f"            return {failed}\n"
            "        except FAULTS as error:\n"
            "            raise fault(error) from None\n"
            "    return trampoline\n")
        namespace: dict[str, Any] = {"Longjmp": Longjmp, "checked": _checked,
                                     "FAULTS": _FAULTS, "fault": _fault, "__name__": __name__}
        exec(compile(source, f"<wasmem emscripten invoke {shape}>", "exec"), namespace)
        make = _TRAMPOLINES[shape] = namespace["make"]
    return make(owner, key)  # type: ignore[no-any-return]


_FAULTS = (MemoryError, *MEMORY_ACCESS_ERRORS)


def _fault(error: BaseException) -> BaseException:
    """What a trampoline raises for ``error``, raised by wasm code it called, so that the
    host function wrapping the trampoline does not report it as the host's own: the
    trap of a guest's out-of-bounds access or "out of memory" (as the entry from the host
    makes them, :mod:`wasmem.exec.invoke`); else ``error`` itself, noted as wasmem's bug."""
    if isinstance(error, MemoryError):
        trap: Trap = Exhaustion("out of memory")
    else:
        found = guest_fault(error)
        if found is None:
            error.add_note(INTERNAL_NOTE)
            return error
        trap = found
    trap.wasm_traceback = error.__traceback__  # where the wasm frames are
    return trap


def _call_guest(function: FunctionInstance, *args: Any) -> Any:
    """Call a small wasm function of the module (``setThrew``) from a trampoline.

    Raises:
        Trap: as the function does (see :func:`_fault`).
    """
    try:
        return function.call(*args)
    except _FAULTS as error:
        raise _fault(error) from None


def _checked(owner: Emscripten, index: int, key: FuncType) -> FunctionInstance:
    """The table element an ``invoke_*`` calls, checked as ``call_indirect`` checks it.

    Raises:
        LinkError: :meth:`Emscripten.bind` was not called. Trap: out of range
        ("undefined element"), null, or of another type.
    """
    if owner._table is _UNBOUND:
        raise LinkError("Emscripten.bind() was not called for this instance")
    elements = owner._table.elements
    if index >= len(elements):
        raise Trap("undefined element", code=TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS)
    return indirect_check(elements[index], key, index)


def instantiate(module: Module, imports: Mapping[str, Any] | None = None,
                **options: Any) -> EmscriptenInstance:
    """``Instance(module, imports, **options)`` with Emscripten's setjmp/longjmp imports
    added to ``env`` (an ``env`` entry of ``imports`` wins) and bound; the
    :class:`Emscripten` object is the instance's ``emscripten`` attribute.

    Raises:
        What :class:`~wasmem.Instance` raises; LinkError from :meth:`Emscripten.bind`.
    """
    sjlj = Emscripten(module)
    merged = dict(imports or {})
    env = merged.get("env")
    merged["env"] = {**sjlj.imports, **(dict(env) if isinstance(env, Mapping) else {})}
    instance = EmscriptenInstance(module, merged, **options)
    sjlj.bind(instance)
    instance.emscripten = sjlj
    return instance


class EmscriptenInstance(Instance):
    """An :class:`~wasmem.Instance` made by :func:`instantiate`; ``emscripten`` is its
    :class:`Emscripten` (the counts of trampoline calls and longjmps)."""

    emscripten: Emscripten


def instance_for(module: Module, **options: Any) -> Instance:
    """What ``wasmem run`` instantiates: :func:`instantiate` for a module that imports
    Emscripten's setjmp/longjmp functions (:func:`needs_emscripten`), else
    ``Instance(module, **options)``.

    Raises:
        What :func:`instantiate` and :class:`~wasmem.Instance` raise.
    """
    if needs_emscripten(module):
        return instantiate(module, **options)
    return Instance(module, **options)
