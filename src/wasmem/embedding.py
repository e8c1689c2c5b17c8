"""The embedding API (spec appendix "Embedding"): Module, Instance and extern wrappers.

This is what ``import wasmem`` gives you::

    import wasmem
    module = wasmem.Module('(module (func (export "add") (param i32 i32) (result i32)'
                           ' (i32.add (local.get 0) (local.get 1))))')
    instance = wasmem.Instance(module)
    assert instance.exports["add"](2, 3) == 5
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from .binary import decode_module
from .errors import ExportNotFound, InvocationError
from .exec.compiler.cache import CacheSetting, CodeCache
from .exec.compiler.tier import CompiledModule
from .exec.instantiate import DEFAULT_TIER, TIERS, instantiate
from .exec.invoke import invoke, to_host, to_internal
from .memory.inspect import Change, Snapshot, diff, hexdump, memory_map
from .memory.linear import LinearMemory, as_index
from .memory.views import Struct, TypedView, read_string, write_string
from .runtime.exceptions import TagInstance
from .runtime.functions import FunctionInstance
from .runtime.globals import GlobalInstance
from .runtime.instances import ModuleInstance
from .runtime.tables import TableInstance
from .syntax import module as ast
from .valid import load_binary, validate_module
from .syntax.types import (
    FUNCREF,
    ExternKind,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    NumType,
    RefType,
    TableType,
    ValType,
    VecType,
)

__all__ = ["Module", "Instance", "Function", "Memory", "Global", "Table", "Tag", "Exports",
           "read_module_file"]


def read_module_file(path: str | os.PathLike[str]) -> str | bytes:
    """Read a module file: ``bytes`` for a binary (by its magic number), else UTF-8 text.

    Raises:
        ModuleFileNotFound: no such file (also a ``FileNotFoundError``).
        ModuleFileError: the file cannot be read otherwise (also an ``OSError``).
        ParseError: the file is neither a binary nor UTF-8 text.
    """
    from .errors import ModuleFileError, ModuleFileNotFound, ParseError
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            data = f.read()
    except FileNotFoundError as exc:
        raise ModuleFileNotFound(name, exc.errno,
                                 f"cannot read: {exc.strerror or exc}") from None
    except OSError as exc:
        raise ModuleFileError(name, exc.errno, f"cannot read: {exc.strerror or exc}") from None
    if data[:4] == b"\0asm":
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text and not a binary module: {exc.reason} at byte "
                         f"{exc.start}", file=name) from None


def _reject_file_name(source: str, name: str | None) -> None:
    """Refuse a ``str`` that is a file name rather than module text (one token, no
    parenthesis: never a valid module), pointing at ``Module.from_file``.

    Raises:
        ParseError: ``source`` looks like a file name.
    """
    from .errors import ParseError
    text = source.strip()
    if text and "(" not in text and not text.startswith(";") and len(text.split()) == 1:
        raise ParseError(f"Module() takes WebAssembly text or bytes, and {text!r} is not "
                         f"module text; to load a file, use "
                         f"wasmem.Module.from_file({text!r})", file=name)


class Module:
    """A validated WebAssembly module.

    Args:
        source: WebAssembly text (``str``) or a binary module (``bytes``).
        name: a file name for messages.
        cache_dir: the directory of the disk cache of translated functions, shared by
            later processes loading the same module. None (default): the
            ``WASMEM_CACHE_DIR`` environment variable if set (empty: no cache), else
            the per-user ``$XDG_CACHE_HOME/wasmem`` (``~/.cache/wasmem``). False: no
            cache. See ``docs/engine.md`` (entries are authenticated; an unsafe
            directory is refused with a :class:`wasmem.CacheWarning`).

    Raises:
        ParseError: malformed text. DecodeError: malformed binary.
        ValidationError: the module is not valid. UnsupportedFeature: a proposal
        wasmem does not implement yet.
    """

    def __init__(self, source: str | bytes | bytearray | memoryview, *,
                 name: str | None = None,
                 cache_dir: CacheSetting = None) -> None:
        if not isinstance(source, (str, bytes, bytearray, memoryview)):
            hint = (f"; to load a file, use wasmem.Module.from_file({os.fspath(source)!r})"
                    if isinstance(source, os.PathLike) else "")
            raise InvocationError("Module() takes WebAssembly text (str) or binary (bytes), "
                                  f"not {type(source).__name__}{hint}")
        if isinstance(source, str):
            _reject_file_name(source, name)
        if not isinstance(source, str):
            source = bytes(source)
        cache = CodeCache.configured(cache_dir, source)
        # the cache remembers modules that validated: the same bytes (or text) with the
        # same wasmem always get the same verdict, so they are only decoded (parsed) again
        known_valid = cache is not None and cache.known_valid()
        if isinstance(source, str):
            from .text import parse_module
            tree = parse_module(source, file=name)
            if known_valid:
                self.ast = tree
            else:
                self._init(tree)
        elif known_valid:
            self.ast = decode_module(source, file=name, lazy_bodies=True)
        else:
            self.ast = load_binary(source, file=name)
        if cache is not None:
            CompiledModule.of(self.ast, cache)
            if not known_valid:
                cache.remember_valid()

    def _init(self, tree: ast.Module) -> None:
        validate_module(tree)
        self.ast = tree

    @classmethod
    def from_ast(cls, tree: ast.Module) -> Module:
        """Validate and wrap an abstract-syntax module."""
        module = cls.__new__(cls)
        module._init(tree)
        return module

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *,
                  cache_dir: CacheSetting = None) -> Module:
        """Load a ``.wat`` or ``.wasm`` file (binary detected by its magic number).

        Raises:
            ModuleFileNotFound: no such file (a ``FileNotFoundError``).
            ModuleFileError: the file cannot be read (an ``OSError``).
            WasmError: as for the constructor.
        """
        name = os.fspath(path)
        return cls(read_module_file(name), name=name, cache_dir=cache_dir)

    def to_bytes(self) -> bytes:
        """Return the binary encoding of the module."""
        from .binary import encode_module
        return encode_module(self.ast)

    @property
    def imports(self) -> list[tuple[str, str, ExternKind]]:
        """``(module, name, kind)`` of each import."""
        return [(i.module, i.name, i.kind) for i in self.ast.imports]

    @property
    def exports(self) -> list[tuple[str, ExternKind]]:
        """``(name, kind)`` of each export."""
        return [(e.name, e.kind) for e in self.ast.exports]

    def __repr__(self) -> str:
        return f"<wasmem.Module exports={[e.name for e in self.ast.exports]}>"


def _unwrap(value: Any) -> Any:
    """Turn a facade object into the runtime object it wraps."""
    for attr in ("_function_instance", "_memory", "_global", "_table", "_tag"):
        inner = getattr(value, attr, None)
        if inner is not None:
            return inner
    return value


def _wrap(value: Any) -> Any:
    """Wrap a runtime extern value in its facade class."""
    if isinstance(value, FunctionInstance):
        return Function._of(value)
    if isinstance(value, LinearMemory):
        return Memory._of(value)
    if isinstance(value, GlobalInstance):
        return Global._of(value)
    if isinstance(value, TableInstance):
        return Table._of(value)
    if isinstance(value, TagInstance):
        return Tag._of(value)
    return value


class Instance:
    """An instantiated module.

    Args:
        module: a :class:`Module`.
        imports: ``{"module": {"name": value}}``; values are exports of other instances
            (Function, Memory, Global, Table, Tag), Python callables (for functions),
            or an :class:`Instance` / mapping standing for a whole import module.
        fuel: instruction budget; running out raises :class:`wasmem.FuelExhausted`.
        max_memory_pages: cap on the size of every memory this instance creates.
        max_memory_bytes: cap on the total bytes of all memories the instance creates or
            imports, at instantiation and on every grow (default 4 GiB; docs/limits.md).
        max_table_elements: cap on the total elements of all its tables, likewise
            (default 10,000,000).
        tier: ``"tiered"`` (default: interpret, translate the functions that get hot),
            ``"compile"`` (translate every function to Python) or ``"interpret"``.
        wasi: a :class:`wasmem.wasi.WasiConfig`: provide ``wasi_snapshot_preview1`` (see
            ``docs/wasi.md``); its state is then :attr:`wasi`.

    Raises:
        LinkError: missing or incompatible import. ResourceLimitError (a LinkError): the
        memories or tables need more than a cap. Trap: a trap during instantiation.
        Exit: the start function called WASI ``proc_exit``.
    """

    def __init__(self, module: Module, imports: Mapping[str, Any] | None = None, *,
                 fuel: int | None = None, max_memory_pages: int | None = None,
                 tier: str = DEFAULT_TIER, max_memory_bytes: int | None = None,
                 max_table_elements: int | None = None, wasi: Any = None) -> None:
        if not isinstance(module, Module):
            raise InvocationError(f"Instance() needs a wasmem.Module, not {type(module).__name__}")
        provided = imports or {}
        link = None
        if wasi is not None:
            from .wasi.imports import WasiLink
            link = WasiLink(wasi)
            provided = link.merged(provided)

        def resolve(imp: ast.Import) -> Any:
            namespace = provided.get(imp.module)
            if namespace is None:
                return None
            if isinstance(namespace, Instance):
                namespace = namespace._instance.exports
            try:
                value = namespace[imp.name]
            except (KeyError, TypeError, IndexError):
                return None
            return _unwrap(value)

        if tier not in TIERS:
            raise InvocationError(f"unknown tier {tier!r}: use one of {', '.join(TIERS)}")
        self.module = module
        try:
            self._instance: ModuleInstance = instantiate(
                module.ast, resolve, fuel=fuel, max_memory_pages=max_memory_pages, tier=tier,
                max_memory_bytes=max_memory_bytes, max_table_elements=max_table_elements,
                start=link is None)
            self.exports = Exports(self._instance)
            self.wasi = None if link is None else link.start(self._instance)
        except BaseException:
            if link is not None:
                link.context.close()  # the preopened directories
            raise

    @property
    def fuel_remaining(self) -> int | None:
        """Fuel left, or None when the instance runs without a budget."""
        fuel = self._instance.fuel
        return None if fuel is None else max(fuel.remaining, 0)

    @property
    def fuel_consumed(self) -> int | None:
        """Fuel used so far, or None when the instance runs without a budget."""
        fuel = self._instance.fuel
        return None if fuel is None else min(fuel.consumed, fuel.initial)

    def add_fuel(self, amount: int) -> None:
        """Add ``amount`` to the budget (after a FuelExhausted, to resume new calls)."""
        fuel = self._instance.fuel
        if fuel is None:
            raise InvocationError("this instance was created without fuel")
        fuel.remaining = max(fuel.remaining, 0) + amount
        fuel.initial += amount

    def trace(self, *, calls: bool = True, memory: bool = True, out: Any = None,
              range: tuple[int, int] | None = None,  # the documented name
              limit: int | None = None) -> Any:
        """A context manager recording calls and memory accesses of this instance's
        code while its block runs (:class:`wasmem.observe.Trace`; docs/observe.md).

        Raises:
            InvocationError: a bad argument, or a trace of this instance is active.
        """
        from .observe.trace import Trace
        return Trace(self._instance, calls=calls, memory=memory, out=out, range=range,
                     limit=limit)

    def watch(self, start: int, stop: int, *, kind: str = "write", memory: int = 0,
              callback: Any = None) -> Any:
        """Call ``callback(event)`` when code reads/writes (``kind``: ``"read"``,
        ``"write"``, ``"access"``) bytes ``start`` to ``stop - 1`` of a memory; returns a
        handle with ``.remove()`` (:class:`wasmem.observe.Watchpoint`; docs/observe.md).

        Raises:
            InvocationError: a bad range, kind, memory index or callback.
        """
        from .observe.watch import Watchpoint
        return Watchpoint(self._instance, start, stop, kind=kind, memory=memory,
                          callback=callback)

    def __repr__(self) -> str:
        return f"<wasmem.Instance exports={list(self.exports)}>"


class Exports(Mapping[str, Any]):
    """An instance's exports by name (also as attributes when the name allows)."""

    def __init__(self, instance: ModuleInstance) -> None:
        self._exports = instance.exports

    def __getitem__(self, name: str) -> Any:
        """Return the export ``name``, wrapped (a Function knows the name it was asked by).

        Raises:
            ExportNotFound: no such export (a ``KeyError``; its message lists the exports).
        """
        try:
            value = self._exports[name]
        except (KeyError, TypeError):
            raise ExportNotFound(str(name), list(self._exports)) from None
        if isinstance(value, FunctionInstance):
            return Function._of(value, label=name)
        return _wrap(value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._exports)

    def __len__(self) -> int:
        return len(self._exports)

    def __getattr__(self, name: str) -> Any:
        if "_exports" not in self.__dict__ or name not in self.__dict__["_exports"]:
            raise AttributeError(name)
        return self[name]


def _value_types(types: Any, what: str) -> tuple[ValType, ...]:
    """Check the ``params``/``results`` of :class:`Function`.

    Raises:
        InvocationError: not a sequence of value types (``wasmem.syntax.types.I32`` ...).
    """
    try:
        checked = tuple(types)
    except TypeError:
        checked = (types,)
    for t in checked:
        if not isinstance(t, (NumType, VecType, RefType)):
            raise InvocationError(f"Function() {what} are value types such as "
                                  f"wasmem.syntax.types.I32, not {t!r}")
    return checked


class Function:
    """A callable WebAssembly function (exported, or wrapping a Python callable).

    ``Function(callable, params=[...], results=[...])`` makes a host function that
    modules can import.
    """

    _function_instance: FunctionInstance
    _label: str | None = None  # the export name it was looked up by, for messages

    def __init__(self, fn: Any, params: list[ValType] | tuple[ValType, ...] = (),
                 results: list[ValType] | tuple[ValType, ...] = (), *, name: str = "") -> None:
        from .exec.invoke import host_function
        ft = FuncType(_value_types(params, "params"), _value_types(results, "results"))
        if not callable(fn):
            raise InvocationError(f"Function() wraps a callable, not {type(fn).__name__}")
        self._function_instance = host_function(ft, ft, fn, name=name)

    @classmethod
    def _of(cls, function: FunctionInstance, *, label: str | None = None) -> Function:
        f = cls.__new__(cls)
        f._function_instance = function
        f._label = label
        return f

    @property
    def type(self) -> FuncType:
        """The function's type."""
        return self._function_instance.type

    @property
    def name(self) -> str:
        """The function's debug name."""
        return self._function_instance.name

    def __call__(self, *args: Any) -> Any:
        """Call with host values; return None, a value, or a tuple.

        Raises:
            InvocationError: wrong arguments. Trap: the function trapped.
        """
        return invoke(self._function_instance, args, name=self._label)

    def __repr__(self) -> str:
        return f"<wasmem.Function {self.name} {self.type}>"


class Memory:
    """A linear memory: what an exported memory gives you, or a new one for imports.

    ``Memory(minimum, maximum=None, memory64=False)`` creates a memory of ``minimum``
    pages (64 KiB each). Every access is bounds-checked: out of range raises
    :class:`wasmem.Trap` ("out of bounds memory access") and writes nothing.
    """

    _memory: LinearMemory

    def __init__(self, minimum: int = 1, maximum: int | None = None, *,
                 memory64: bool = False) -> None:
        address = NumType.I64 if memory64 else NumType.I32
        minimum = as_index(minimum, "minimum")
        maximum = None if maximum is None else as_index(maximum, "maximum")
        if minimum < 0 or (maximum is not None and maximum < minimum):
            raise InvocationError(f"bad memory limits {minimum}..{maximum}")
        self._memory = LinearMemory(MemoryType(Limits(minimum, maximum), address))

    @classmethod
    def _of(cls, memory: LinearMemory) -> Memory:
        m = cls.__new__(cls)
        m._memory = memory
        return m

    @property
    def size(self) -> int:
        """Current size in pages."""
        return self._memory.pages

    @property
    def size_bytes(self) -> int:
        """Current size in bytes."""
        return self._memory.size_bytes

    @property
    def maximum(self) -> int | None:
        """Declared maximum in pages, or None."""
        return self._memory.type.limits.max

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages; return the old size in pages, or -1 if it cannot."""
        return self._memory.grow(delta)

    def read(self, address: int, length: int) -> bytes:
        """Return ``length`` bytes at ``address``. Raises Trap when out of bounds."""
        return self._memory.read(address, length)

    def write(self, address: int, data: Any) -> None:
        """Write the raw bytes of ``data`` (any bytes-like object: bytes, bytearray, array,
        memoryview of any format or layout, numpy array) at ``address``.

        Raises:
            Trap: out of bounds (nothing written; the memory never changes size).
            InvocationError: ``data`` is not bytes-like.
        """
        self._memory.write(address, data)

    # ---------------------------------------------------------------- zero-copy access
    @property
    def buffer(self) -> memoryview:
        """A writable ``memoryview`` of the memory's bytes, without copying.

        It stays valid when the memory grows (keeping its length: take a new one to see
        new pages), and holding it never makes ``memory.grow`` fail. ``memoryview(memory)``
        (Python 3.12+), ``numpy.frombuffer(memory.buffer)`` and ``numpy.asarray(memory)``
        give the same bytes.
        """
        return self._memory.buffer()

    def __buffer__(self, flags: int) -> memoryview:
        """Buffer protocol (PEP 688, Python 3.12+): ``memoryview(memory)`` is zero-copy."""
        return self._memory.buffer()

    def __release_buffer__(self, view: memoryview) -> None:
        """Buffer protocol (PEP 688): nothing to do, the bytes never move while viewed."""

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> Any:
        """``numpy.asarray(memory)``: a uint8 array sharing the memory's bytes (numpy is
        optional and imported only here). Raises ImportError without numpy."""
        import numpy

        array = numpy.frombuffer(self._memory.buffer(), dtype=numpy.uint8)
        if dtype is not None:
            array = array.view(dtype)
        return array.copy() if copy else array

    def read_into(self, address: int, buffer: Any) -> int:
        """Fill a writable buffer (bytearray, array, numpy array...) with the bytes at
        ``address``; return the number of bytes copied.

        Raises:
            Trap: out of bounds (the buffer is unchanged).
            InvocationError: ``buffer`` is not a writable contiguous buffer.
        """
        return self._memory.read_into(address, buffer)

    # ---------------------------------------------------------------- typed access
    def view(self, kind: str) -> TypedView:
        """A typed view addressed in bytes: ``memory.view("i32")[0x100]``.

        Kinds: i8 u8 i16 u16 i32 u32 i64 u64 f32 f64 (also as properties, ``memory.i32``).
        """
        return TypedView(self._memory, kind)

    i8 = property(lambda self: self.view("i8"), doc="Signed bytes.")
    u8 = property(lambda self: self.view("u8"), doc="Unsigned bytes.")
    i16 = property(lambda self: self.view("i16"), doc="Signed 16-bit integers.")
    u16 = property(lambda self: self.view("u16"), doc="Unsigned 16-bit integers.")
    i32 = property(lambda self: self.view("i32"), doc="Signed 32-bit integers.")
    u32 = property(lambda self: self.view("u32"), doc="Unsigned 32-bit integers.")
    i64 = property(lambda self: self.view("i64"), doc="Signed 64-bit integers.")
    u64 = property(lambda self: self.view("u64"), doc="Unsigned 64-bit integers.")
    f32 = property(lambda self: self.view("f32"), doc="32-bit floats.")
    f64 = property(lambda self: self.view("f64"), doc="64-bit floats.")

    def read_string(self, address: int, length: int | None = None, *,
                    encoding: str = "utf-8") -> str:
        """Read ``length`` bytes as text, or up to the first NUL byte if ``length`` is None."""
        return read_string(self._memory, address, length, encoding=encoding)

    def write_string(self, address: int, text: str, *, terminate: bool = True) -> int:
        """Write UTF-8 text (NUL-terminated unless ``terminate=False``); return bytes written."""
        return write_string(self._memory, address, text, terminate=terminate)

    def read_struct(self, layout: Struct, address: int) -> dict[str, Any]:
        """Read one record laid out by a :class:`wasmem.memory.views.Struct`."""
        return layout.read(self._memory, address)

    def write_struct(self, layout: Struct, address: int, values: dict[str, Any]) -> None:
        """Write fields of one record laid out by ``layout``."""
        layout.write(self._memory, address, values)

    # ---------------------------------------------------------------- inspection
    def hexdump(self, address: int = 0, length: int = 256, *, skip_zero_lines: bool = False) -> str:
        """A ``hexdump -C`` style dump of a range (clipped to the memory)."""
        return hexdump(self._memory, address, length, skip_zero_lines=skip_zero_lines)

    def map(self, labels: dict[int, str] | None = None) -> str:
        """A map of used and empty regions, with optional labels at addresses."""
        return memory_map(self._memory, labels=labels)

    def snapshot(self) -> Snapshot:
        """Copy the current bytes, to :meth:`diff` against later."""
        return Snapshot(self._memory)

    def diff(self, snapshot: Snapshot) -> list[Change]:
        """The byte ranges that changed since ``snapshot``."""
        return diff(snapshot, self._memory)

    def __len__(self) -> int:
        return self._memory.size_bytes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Memory) and other._memory is self._memory

    def __hash__(self) -> int:
        return id(self._memory)

    def __repr__(self) -> str:
        return f"<wasmem.Memory {self.size} page(s) max={self.maximum}>"


class Global:
    """A global variable. ``Global(value_type, value, mutable=False)`` creates one."""

    _global: GlobalInstance

    def __init__(self, value_type: ValType, value: Any, *, mutable: bool = False) -> None:
        self._global = GlobalInstance(GlobalType(value_type, mutable),
                                      to_internal(value_type, value))

    @classmethod
    def _of(cls, g: GlobalInstance) -> Global:
        wrapper = cls.__new__(cls)
        wrapper._global = g
        return wrapper

    @property
    def type(self) -> GlobalType:
        """The global's type."""
        return self._global.type

    @property
    def value(self) -> Any:
        """The current value (host form)."""
        return to_host(self._global.type.value_type, self._global.value)

    @value.setter
    def value(self, new: Any) -> None:
        if not self._global.type.mutable:
            raise InvocationError("cannot set an immutable global")
        self._global.value = to_internal(self._global.type.value_type, new)

    def __repr__(self) -> str:
        return f"<wasmem.Global {self.type.value_type} = {self.value!r}>"


class Table:
    """A table of references. ``Table(minimum, maximum=None, element=funcref)`` creates one."""

    _table: TableInstance

    def __init__(self, minimum: int = 0, maximum: int | None = None,
                 element: RefType = FUNCREF) -> None:
        minimum = as_index(minimum, "minimum")
        maximum = None if maximum is None else as_index(maximum, "maximum")
        if minimum < 0 or (maximum is not None and maximum < minimum):
            raise InvocationError(f"bad table limits {minimum}..{maximum}")
        self._table = TableInstance(TableType(Limits(minimum, maximum), element))

    @classmethod
    def _of(cls, t: TableInstance) -> Table:
        wrapper = cls.__new__(cls)
        wrapper._table = t
        return wrapper

    @property
    def size(self) -> int:
        """Number of elements."""
        return self._table.size

    def __len__(self) -> int:
        return self._table.size

    def __getitem__(self, index: int) -> Any:
        return _wrap(self._table.get(index))

    def __setitem__(self, index: int, value: Any) -> None:
        """Set an element: a :class:`Function` or None (funcref), any object (externref).

        Raises:
            InvocationError: a value that is not a reference of the table's type.
            TableOutOfBounds: an index outside the table (negative ones too).
        """
        self._table.set(index, to_internal(self._table.type.element, value))

    def grow(self, delta: int, init: Any = None) -> int:
        """Grow by ``delta`` elements; return the old size, or -1.

        Raises:
            InvocationError: ``delta`` is not an integer or ``init`` not a reference of
            the table's element type.
        """
        return self._table.grow(delta, to_internal(self._table.type.element, init))


class Tag:
    """An exception tag (exported by a module)."""

    _tag: TagInstance

    @classmethod
    def _of(cls, tag: TagInstance) -> Tag:
        wrapper = cls.__new__(cls)
        wrapper._tag = tag
        return wrapper

    @property
    def type(self) -> FuncType:
        """The tag's payload type."""
        return self._tag.type

