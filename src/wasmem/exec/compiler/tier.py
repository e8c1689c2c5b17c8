"""The compiling execution tier: lazy translation of functions into Python code objects.

Per module, translated code objects are cached (one per function and fuel variant) and
shared by all instances. Per instance, a namespace dict binds the names the generated
code uses (``F3``, ``M0``, ``G2``, ``TI0``, ``n_i32_div_s``, ...). Each defined function
starts as a stub that translates the function on its first call and then replaces
itself everywhere it is bound, so only code that runs is ever translated.
"""

from __future__ import annotations

import builtins
import functools
import os
import threading
import types
from typing import TYPE_CHECKING, Any

from ...errors import UnsupportedFeature
from ...runtime.exceptions import WasmThrow
from ...runtime.globals import GlobalInstance
from ...runtime.instances import ModuleInstance
from ...syntax.module import Module
from .. import callstack, support
from .context import GlobalAccess, ModuleContext
from ...memory.access import view_prefixes  # (not emit_memory: a leaf at Instance())
from ..sourcelines import remember
from ..tier_names import TIER_KEY, UNALIGNED
from ..tier_names import NamespaceTier, _with_depth  # (shared with the tiered tier)

if TYPE_CHECKING:
    from .cache import CodeCache
    from .lines import LineEntry  # (annotations only: not at Instance())

__all__ = ["CompiledModule", "CompilingTier", "NamespaceGlobal", "STRICT"]

STRICT = bool(os.environ.get("WASMEM_STRICT_COMPILE"))
"""If set (the test suite sets it), a translation bug raises instead of falling back to
the interpreter, so tests see it."""
BINDING = threading.RLock()
"""Held while a function's callable is rebound (here after compiling it, by
:mod:`wasmem.observe` to instrument it): a callable marked ``observed`` stays bound."""

TRANSLATION_FRAMES = 20_000
"""Python frames the translator may need (Python's recursion limit is raised to this,
thread-safely, while it runs)."""


class NamespaceGlobal(GlobalInstance):
    """A global whose value lives in an instance namespace (as ``G<i>``)."""

    __slots__ = ("key", "namespace")

    def __init__(self, original: GlobalInstance, namespace: dict[str, Any], key: str) -> None:
        self.type = original.type
        self.namespace = namespace
        self.key = key
        namespace[key] = original.value

    @property  # type: ignore[override]
    def value(self) -> Any:
        return self.namespace[self.key]

    @value.setter
    def value(self, new: Any) -> None:
        self.namespace[self.key] = new


class CompiledModule:
    """Translation results of one module, shared by its instances."""

    def __init__(self, module: Module, cache: CodeCache | None = None) -> None:
        self.module = module
        self.context = ModuleContext.of(module)
        self.codes: dict[tuple[int, ...], types.CodeType | None] = {}
        self.sources: dict[tuple[int, ...], str] = {}
        # a table, or a function that builds it (tables are built when first asked for)
        self.line_tables: dict[tuple[int, ...], Any] = {}
        self.cache = cache
        self.disk_misses: set[tuple[int, bool]] = set()  # see cached

    @classmethod
    def of(cls, module: Module, cache: CodeCache | None = None) -> CompiledModule:
        """Return the (cached) CompiledModule of a module; ``cache`` is the disk cache
        of its translations, if any (it is kept from the first call that gives one)."""
        cached = module.__dict__.get("_wasmem_compiled")
        if cached is None:
            cached = cls(module, cache)
            object.__setattr__(module, "_wasmem_compiled", cached)
        elif cache is not None and cached.cache is None:
            cached.cache = cache
        return cached  # type: ignore[no-any-return]

    def code(self, index: int, fuel: bool, aligned_entry: bool = True
             ) -> types.CodeType | None:
        """Return the code object of function ``index``, or None if it cannot compile.

        Looks in the disk cache (if the module has one) before translating, and writes
        new translations to it. Without ``aligned_entry``: the translation that makes no
        assumption on the stack pointer (see .entry_alignment.entry_reads), never cached.
        """
        key = (index, fuel) if aligned_entry else (index, fuel, False)
        if key in self.codes:
            return self.codes[key]
        if aligned_entry:
            cached_code = self.cached(index, fuel)
            if cached_code is not None:
                return cached_code
        from .codegen import CannotCompile, FunctionCompiler  # only to translate
        name = self.module.function_name(index)
        compiler = FunctionCompiler(self.context, index, fuel=fuel, name=name)
        compiler.aligned_entry = aligned_entry
        try:
            with callstack.python_frames(TRANSLATION_FRAMES):  # thread-safe, see there
                source = compiler.compile()
                filename = f"<wasm {self.module.module_name()} F{index} {name}" \
                    f"{'>' if aligned_entry else UNALIGNED}"
                module_code = compile(source, filename, "exec")
        except (CannotCompile, RecursionError, MemoryError):
            self.codes[key] = None
            return None
        except Exception:
            if STRICT:
                raise
            self.codes[key] = None  # a translation bug: the interpreter still runs it
            return None
        remember(filename, source)
        code = next(c for c in module_code.co_consts if isinstance(c, types.CodeType))
        self.codes[key] = code
        self.sources[key] = source
        self.line_tables[key] = functools.partial(compiler.sites.table, compiler.header_lines)
        if self.cache is not None and aligned_entry:
            self.cache.store(index, fuel, code, self.context.constants)
        return code

    def cached(self, index: int, fuel: bool) -> types.CodeType | None:
        """The code of function ``index`` from the module's disk cache (then kept in
        :attr:`codes`), or None: no cache, no entry (or not authentic). A miss is
        remembered for the module: later instances, and a translation right after the
        lookup, do not read the disk again (a translation made later in this process
        goes to :attr:`codes`). Raises nothing."""
        key = (index, fuel)
        if self.cache is None or key in self.disk_misses:
            return None
        code = self.cache.load(index, fuel, self.context.constants)
        if code is None:
            self.disk_misses.add(key)
            return None
        self.codes[key] = code
        return code

    def line_table(self, index: int, fuel: bool, aligned_entry: bool = True
                   ) -> list[LineEntry | None] | None:
        """Return the line table of a translated function (:mod:`.lines`), translating
        it again when its code came from the disk cache; None if it cannot translate."""
        key = (index, fuel) if aligned_entry else (index, fuel, False)
        if key not in self.line_tables:
            from .codegen import CannotCompile, FunctionCompiler
            compiler = FunctionCompiler(self.context, index, fuel=fuel,
                                        name=self.module.function_name(index))
            compiler.aligned_entry = aligned_entry
            try:
                with callstack.python_frames(TRANSLATION_FRAMES):
                    self.sources[key] = compiler.compile()
            except (CannotCompile, RecursionError):
                return None
            self.line_tables[key] = compiler.line_table
        table = self.line_tables[key]
        if callable(table):
            table = self.line_tables[key] = table()
        return table  # type: ignore[no-any-return]

    def source(self, index: int, fuel: bool = False) -> str | None:
        """Return the generated Python source of a function (translating it if needed,
        also when its code came from the disk cache)."""
        key = (index, fuel)
        if key not in self.sources:
            from .codegen import CannotCompile, FunctionCompiler
            name = self.module.function_name(index)
            try:
                with callstack.python_frames(TRANSLATION_FRAMES):
                    compiler = FunctionCompiler(self.context, index, fuel=fuel, name=name)
                    compiler.aligned_entry = True
                    self.sources[key] = compiler.compile()
            except (CannotCompile, RecursionError):
                return None
        return self.sources.get(key)


class CompilingTier(NamespaceTier):
    """Binds one instance's functions to lazily compiled code.

    Args:
        instance: the instance, with every runtime object created.
        fallback: called as ``fallback(instance, index)`` to get a callable for a
            function the compiler cannot translate (the interpreter), or None.
    """

    def __init__(self, instance: ModuleInstance, fallback: Any = None) -> None:
        self.instance = instance
        self.compiled = CompiledModule.of(instance.module)
        self.fuel = instance.fuel is not None
        self.fallback = fallback
        self.namespace: dict[str, Any] = {}
        self.importers: dict[int, list[tuple[dict[str, Any], str]]] = {}
        self.untested: dict[int, Any] = {}  # see unaligned
        self.numeric_bound = False  # see bind_constants
        self.constants_bound = 0  # the module's constants[:this] are bound (ditto)

    def bind(self) -> None:
        """Fill the namespace and install stubs for the module's own functions."""
        inst = self.instance
        ctx = self.compiled.context
        ns = self.namespace
        ns["__builtins__"] = builtins
        ns[TIER_KEY] = self  # how backtraces recognise generated code's frames
        ns.update(support.STRUCTS)  # (the numeric names: at the first translation)
        ns.update({
            "WasmThrow": WasmThrow,
            "n_unreachable": support.unreachable,
            "n_indirect": support.indirect,
            "n_indirect_check": support.indirect_check,
            "n_call_ref": support.call_ref,
            "n_ref_as_non_null": support.ref_as_non_null,
            "n_throw_ref": support.throw_ref,
            "n_table_fill": support.table_fill,
            "n_table_copy": support.table_copy,
            "n_table_init": support.table_init,
            "n_out_of_fuel": support.out_of_fuel,
            "n_local": callstack.LOCAL,
            "n_held": callstack.held_depth,
            "n_limit": callstack.LIMIT,
            "n_dd": callstack.ENTRY_DEFAULTS,
            "n_fn": types.FunctionType,
            "n_unaligned": self.unaligned,
            "DATA": inst.datas,
            "ELEM": inst.elements,
            "FUEL": inst.fuel,
        })
        for k, memory in enumerate(inst.memories):
            memory.bind(ns, f"M{k}")
            ns[f"MEM{k}"] = memory
            for code, prefix in view_prefixes().items():
                memory.bind_view(ns, f"{prefix}_{k}", code)
                memory.bind_shifted_views(ns, f"{prefix}U_{k}", code)  # (emit_memory)
        for k, table in enumerate(inst.tables):
            ns[f"T{k}"] = table.elements
            ns[f"TI{k}"] = table
        for k, tag in enumerate(inst.tags):
            ns[f"TAG{k}"] = tag
        for k in range(len(inst.types)):
            try:
                ns[f"K{k}"] = inst.type_key(k)
            except IndexError:
                continue
        for k, function in enumerate(inst.functions):
            ns[f"FI{k}"] = function
        for k, access in enumerate(ctx.global_access):
            if access == GlobalAccess.SHARED:
                ns[f"GI{k}"] = inst.globals[k]
            else:
                original = inst.globals[k]
                inst.globals[k] = NamespaceGlobal(original, ns, f"G{k}")
        imported = ctx.imported_functions
        for k, function in enumerate(inst.functions):
            if k < imported:
                ns[f"F{k}"] = function.call
                tier = getattr(function.instance, "tier", None)
                if isinstance(tier, NamespaceTier) and function.instance is not inst:
                    tier.importers.setdefault(function.index, []).append((ns, f"F{k}"))
            else:
                ns[f"F{k}"] = self.make_stub(k, direct=True)
                function.call = self.make_stub(k)

    def make_stub(self, index: int, direct: bool = False) -> Any:
        """Return a callable that compiles function ``index`` on its first call; a
        ``direct`` one is called by compiled code with the call depth as last argument."""
        def stub(*args: Any) -> Any:
            self.compile_function(index)
            target = self.namespace[f"F{index}"] if direct else \
                self.instance.functions[index].call
            return target(*args)
        stub.__name__ = f"F{index}_stub"
        return stub

    def release(self, indices: set[int]) -> None:
        """Forget the code made for the functions ``indices`` (:mod:`..release` binds
        stubs again). Raises nothing."""
        self.untested.clear()  # (made again when needed)

    def bind_constants(self) -> None:
        """Bind the module's float constants (``C<k>``, see ``ModuleContext``) in this
        instance's namespace, before running a new translation; at the first, the
        numeric operations' names too (imported then: an instance whose functions all
        stay interpreted never needs them). The list only grows (a constant keeps its
        number), so only the constants added since the last call are bound. Never
        raises."""
        if not self.numeric_bound:
            from .numeric_bindings import numeric_namespace
            self.namespace.update(numeric_namespace())
            self.numeric_bound = True
        constants = self.compiled.context.constants
        end = len(constants)
        for k in range(self.constants_bound, end):
            self.namespace[f"C{k}"] = constants[k]
        self.constants_bound = end

    def unaligned(self, index: int) -> Any:
        """Function ``index`` translated without assuming its stack pointer aligned at
        entry: what its translation calls when a test of that fails (.alignment).

        Raises:
            UnsupportedFeature: if neither the compiler nor a fallback can run it.
        """
        function = self.untested.get(index)
        if function is None:
            code = self.compiled.code(index, self.fuel, aligned_entry=False)
            if code is None:
                if self.fallback is None:
                    raise UnsupportedFeature("compiler", f"function {index} cannot be "
                                             "translated and no interpreter is available")
                arity = len(self.instance.functions[index].type.params)
                function = _with_depth(self.fallback(self.instance, index), arity)
            else:
                # its float constants may be new (a translation loaded from the disk cache
                # does not name its constants for the generator): bind them first
                self.bind_constants()
                function = types.FunctionType(code, self.namespace, f"F{index}",
                                              callstack.ENTRY_DEFAULTS)
            self.untested[index] = function
        return function

    def compile_function(self, index: int) -> Any:
        """Translate function ``index`` (if not yet) and bind it everywhere.

        Raises:
            UnsupportedFeature: if neither the compiler nor a fallback can run it.
        """
        code = self.compiled.code(index, self.fuel)
        if code is None:
            if self.fallback is None:
                raise UnsupportedFeature(
                    "compiler", f"function {self.instance.module.function_name(index)} "
                    "cannot be translated and no interpreter is available")
            function = self.fallback(self.instance, index)
            arity = len(self.instance.functions[index].type.params)
            self.namespace[f"F{index}"] = _with_depth(function, arity)
        else:
            self.bind_constants()
            # the last parameter is the call depth, ENTRY_DEPTH when called from elsewhere
            function = types.FunctionType(code, self.namespace, f"F{index}",
                                          callstack.ENTRY_DEFAULTS)
            self.namespace[f"F{index}"] = function
        with BINDING:  # instrumentation bound meanwhile keeps its place
            target = self.instance.functions[index]
            if not getattr(target.call, "observed", False):
                target.call = function
            for namespace, key in self.importers.get(index, ()):
                if not getattr(namespace.get(key), "observed", False):
                    namespace[key] = function
        return function


    def line_table_for(self, index: int, code: types.CodeType) -> list[LineEntry | None] | None:
        """The line table of ``code``, translated code of function ``index`` (for
        backtraces); None if it cannot translate again."""
        return self.compiled.line_table(index, self.fuel,
                                        not code.co_filename.endswith(UNALIGNED))
