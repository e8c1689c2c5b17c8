"""wasmem's own modules imported from one file of compiled code.

Importing a module through Python's path machinery costs about 35-45 us of Python-level
bookkeeping besides unmarshalling its code and running it (looking the name up among
the package directory's entries, building the cached bytecode's file name, checking the
source's and the ``.pyc``'s times, opening and reading it); a process that imports
wasmem and runs a small module imports about 100 of wasmem's modules, so that
bookkeeping alone costs it several milliseconds. This module keeps the compiled code of
the wasmem modules a process imported in one file beside their cached bytecode
(``__pycache__/wasmem-bundle.<tag>.bin``, or under ``sys.pycache_prefix``, as Python
places ``.pyc`` files), reads it once, and answers the imports of those modules from it
(about 10 us each).

Each module's entry is checked as a ``.pyc`` is: it is used only while its source file
has the modification time (to the nanosecond) and size recorded with it, and for the
Python bytecode the file was written for (the magic number). A module missing from the
file or stale there is imported the ordinary way (its ``.pyc`` read or written as
usual) and its code added to the file when the process exits, unless Python writes no
bytecode (``PYTHONDONTWRITEBYTECODE``, ``-B``); a file that cannot be read or written
is ignored. ``python -m wasmem.bundle`` (:func:`wasmem.bundle.build`) writes the file
for all of wasmem's modules at once (as ``python -m compileall`` writes ``.pyc``
files, whatever ``PYTHONDONTWRITEBYTECODE`` says). Modules keep their ordinary attributes
(``__file__``, ``__spec__.origin``, a package's ``__path__``, the source's path in their
code for tracebacks). Setting the environment variable ``WASMEM_IMPORT_BUNDLE=0`` turns
this off.

The modules imported together (:mod:`wasmem.bundle_groups`: those of ``import wasmem``,
the validator's, the translator's, the interpreter's...) are stored by
``python -m wasmem.bundle`` as one marshalled tuple of code objects per group, read and
unmarshalled when the first of them is imported: one ``marshal.loads`` shares the names
and constants the modules repeat, about a quarter fewer instructions than one per module
(``bench/STARTUP.md``). Each module of a group is still checked against its source.

The collector: a module's body allocates code objects, functions, classes and tables
that all live as long as the process, and CPython's young-generation collections,
triggered every 700 allocations, walk them once while they are young and again when
their generation is collected. An outermost import answered from the bundle (the
modules it imports in turn included) runs with automatic collection paused, and ends
by moving what it allocated to the oldest generation without walking it
(:func:`settle_collector`), where only full collections visit it: about 1.8 ms of
collections when they run as usual, 1 ms for one collection of the younger generations
at the end (``bench/STARTUP.md``), nothing for the move. A process that turned
automatic collection off keeps it off.

The file holds code only, as ``.pyc`` files do: whoever can write it could write those.
A damaged file (flipped bits, a torn copy) is ignored, not run: the index and each blob
(a group's tuple, or one module's code) carry a 64-bit check (:func:`_digest`) that is
compared before they are unmarshalled (unmarshalling or running damaged bytecode can
crash the process), and a module whose check fails is imported from its source. A file
of an earlier layout (without the checks, or without the split modules below) is
ignored and written again.

The interpreter's generated factory modules (hundreds of small functions, of which a
process links a few dozen) are stored split (:mod:`wasmem.bundle_split`): their body
without the functions, run at import, and each function's code apart, checked and
unmarshalled when the function is first looked up as the module's attribute (the module
gets a ``__getattr__``). The functions' code is one more entry of the index,
``"<module>/functions"`` (never a module's name), written and copied like a module's.
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any

try:  # the import system's own classes, loaded in every CPython process
    import _frozen_importlib as _bootstrap
    import _frozen_importlib_external as _external
except ImportError:  # pragma: no cover - other Pythons
    from importlib import _bootstrap, _bootstrap_external as _external  # type: ignore

import _imp
import gc
import stat as _stat_module  # (imported by os already)

__all__ = ["bundle_path", "install"]

_SETTING = "WASMEM_IMPORT_BUNDLE"
_CODE = type((lambda: None).__code__)
_Module = type(sys)
_Function: Any = type(lambda: None)
"""The type of code objects (what an entry must unmarshal to)."""
_FORMAT = b"WMB\x03"  # the file's first bytes: this layout (checked blobs, split modules)
_FUNCTIONS = "/functions"  # the suffix of a split module's functions' entry
_HEADER = 16  # the format, the index's length (4 bytes) and its digest (8), before it
_KEY = 0x776D62  # the digest's key (any constant: the same for writer and reader)


def _digest(data: bytes) -> bytes:
    """The 8-byte check of ``data`` kept in the bundle: SipHash-1-3, as the import
    system checks hash-based ``.pyc`` files (``_imp.source_hash``, built in: nothing to
    import; fewer instructions per byte than ``zlib.crc32`` here, ``bench/STARTUP.md``),
    so a flipped bit goes unnoticed with odds of 2**-64. Raises nothing."""
    return _imp.source_hash(_KEY, data)  # type: ignore[no-any-return]


def bundle_path(init_file: str) -> str | None:
    """The file holding the compiled code of the package whose ``__init__.py`` is
    ``init_file`` (beside that file's ``.pyc``), or None when this Python caches no
    bytecode."""
    try:
        cached = _external.cache_from_source(init_file)
    except (NotImplementedError, ValueError):
        return None
    folder, _, name = cached.rpartition(os.sep)
    # "__init__.cpython-311.opt-1.pyc" -> "wasmem-bundle.cpython-311.opt-1.bin"
    tag = name[len("__init__."):-len(".pyc")]
    return f"{folder}{os.sep}wasmem-bundle.{tag}.bin"


Entry = tuple[str, bool, int, int, Any]
"""``(path below the package's folder, is a package, source mtime_ns, source size,
code)``: the code as ``(offset, length, digest)`` in the open bundle, ``(offset, length,
digest, slot)`` for a module of a group (:mod:`wasmem.bundle_groups`: the code objects of
modules imported together, marshalled as one tuple, this module's at ``slot``; the digest
is the blob's), marshalled bytes
(a module recorded by this process), or ``(group's marshalled bytes, slot)`` (written by
:func:`build`)."""


def _read(path: str) -> tuple[int | None, dict[str, Entry]]:
    """Open the file ``path`` and read its index: ``(descriptor, entries)``, or
    ``(None, {})`` when it is missing, unreadable, damaged (its index's digest), of
    another layout, or written for other bytecode. The
    code is read from the descriptor when a module is imported (the file is replaced,
    never rewritten in place, so the open file keeps matching its index)."""
    try:  # (O_NONBLOCK: a FIFO there must not wait for a writer)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None, {}
    try:
        found = os.fstat(descriptor)
        if not _stat_module.S_ISREG(found.st_mode):
            raise ValueError("not a regular file")
        head = os.pread(descriptor, _HEADER, 0)
        if head[:4] != _FORMAT or len(head) != _HEADER:
            raise ValueError("another layout")  # (an earlier one, or damaged)
        size = int.from_bytes(head[4:8], "little")
        total = found.st_size
        if size > total - _HEADER:
            raise ValueError("index past the end")  # (a damaged file)
        raw = os.pread(descriptor, size, _HEADER)
        if len(raw) != size or _digest(raw) != head[8:]:
            raise ValueError("damaged index")  # (checked before unmarshalling it)
        magic, index = marshal.loads(raw)
        if magic != _external.MAGIC_NUMBER or not isinstance(index, dict):
            raise ValueError("other bytecode")
        base = _HEADER + size
        entries: dict[str, Entry] = {}
        for name, (relative, package, mtime, length, offset, count, check,
                   *slot) in index.items():
            if 0 <= offset and 0 <= count and base + offset + count <= total:
                entries[name] = (relative, package, mtime, length,
                                 (base + offset, count, check, *slot[:1]))
    except (OSError, ValueError, EOFError, TypeError):
        os.close(descriptor)
        return None, {}
    return descriptor, entries


def _code_bytes(descriptor: int | None, code: Any) -> bytes:
    """The marshalled code of an entry (a group's blob for a module of a group). Raises
    OSError (also when the bytes read do not have the entry's digest: a damaged file)."""
    if isinstance(code, bytes):
        return code
    if descriptor is None:
        raise OSError("bundle closed")
    offset, count, check = code[:3]
    data = os.pread(descriptor, count, offset)
    if len(data) != count:
        raise OSError("bundle truncated")
    if _digest(data) != check:
        raise OSError("bundle entry damaged")
    return data


def _write(path: str, entries: dict[str, Entry], descriptor: int | None) -> None:
    """Write ``entries`` (their code read from ``descriptor`` where it is not bytes) to
    ``path`` atomically (a private file, then renamed). Raises OSError."""
    index: dict[str, tuple[Any, ...]] = {}
    pieces: list[bytes] = []
    offset = 0
    placed: dict[Any, tuple[int, int, bytes]] = {}  # a group's blob -> where it is written
    for name, (relative, package, mtime, length, code) in entries.items():
        slot: tuple[int, ...] = ()
        key: Any = None
        if isinstance(code, tuple) and (len(code) == 4 or isinstance(code[0], bytes)):
            slot = (code[-1],)  # (a module of a group: its blob is written once)
            key = code[:3] if len(code) == 4 else id(code[0])
            if key in placed:
                index[name] = (relative, package, mtime, length, *placed[key], *slot)
                continue
            code = code[:3] if len(code) == 4 else code[0]
        try:
            code = _code_bytes(descriptor, code)
        except OSError:  # (an entry past the end of a damaged file: left out)
            continue
        where = (offset, len(code), _digest(code))
        if slot:
            placed[key] = where
        index[name] = (relative, package, mtime, length, *where, *slot)
        pieces.append(code)
        offset += len(code)
    header = marshal.dumps((_external.MAGIC_NUMBER, index))
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(_FORMAT + len(header).to_bytes(4, "little") + _digest(header))
            file.write(header)
            for code in pieces:
                file.write(code)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


class _Loader(_external.SourceFileLoader):  # type: ignore[misc, name-defined]
    """A source file's loader whose code comes from the bundle (``code`` set) or is
    compiled the ordinary way and recorded for it (``finder`` set)."""

    code: Any = None  # the bundle's entry (``finder`` holds the open bundle)
    finder: _Finder | None = None
    recording = False  # (code None, finder set: record the compiled code)

    def create_module(self, spec: Any) -> Any:
        """A new module with the attributes the import system would set after already
        set (``__file__``, ``__cached__``, a package's ``__path__``, ``__loader__``,
        ``__package__``): it looks each up first, and each miss costs it an
        ``AttributeError`` with its message formatted, or a call of one of the spec's
        properties (``cached``, ``parent``). Raises nothing."""
        name = spec.name
        module = _Module(name)
        module.__file__ = self.path
        module.__loader__ = self
        locations = spec.submodule_search_locations
        if locations is not None:
            module.__path__ = locations
            module.__package__ = name
        else:
            module.__package__ = name.rpartition(".")[0]
        cached = self.finder.cached(self.path) if self.finder is not None else spec.cached
        if cached is not None:
            module.__cached__ = cached  # type: ignore[attr-defined]
        return module

    def get_code(self, fullname: str) -> Any:
        """The module's code object. Raises what ``SourceFileLoader.get_code`` raises
        (ImportError, SyntaxError...) when the module is not in the bundle."""
        if self.code is not None and self.finder is not None:
            code = self.finder.unmarshal(self.code)
            if code is None:  # (an unreadable entry: compiled and recorded again below)
                self.recording = self.finder.recording
            else:
                _imp._fix_co_filename(code, self.path)  # type: ignore[attr-defined]
                return code
        before = _stat(self.path)
        code = super().get_code(fullname)
        if (code is not None and self.recording and self.finder is not None and before is not None
                and _stat(self.path) == before):
            self.finder.record(fullname, self.path, self.is_package(fullname), before, code)
        return code

    def exec_module(self, module: Any) -> None:
        """Run the module's body with the cyclic collector paused (module docstring,
        "The collector"). Raises what the body raises."""
        outermost = gc.isenabled()  # (nested imports find it paused)
        if outermost:
            gc.disable()
        try:  # (``SourceFileLoader.exec_module``'s steps, two Python calls fewer)
            code = self.get_code(module.__name__)
            if code is None:
                raise ImportError(f"cannot load module {module.__name__!r} when get_code() "
                                  "returns None")
            exec(code, module.__dict__)
            if self.finder is not None and "__lazy_functions__" in module.__dict__:
                self.finder.functions_on_demand(module, self.path)
        finally:
            if outermost:
                settle_collector()


def settle_collector() -> None:
    """Turn automatic collection back on after an outermost import, first moving what
    it allocated to the oldest generation when the young generation's count went past
    its threshold (a collection would have run meanwhile). Raises nothing of its own.

    The move is ``gc.freeze()`` then ``gc.unfreeze()``: two splices of the collector's
    lists, which put every tracked object in the oldest generation without walking any
    (a collection of the younger two generations walked the import's 10-15 thousand
    objects: about 1 ms). Young objects of the program's own go there too: a cycle of
    them that was already garbage is then freed by the next full collection instead of
    a young one. This happens once per module a process imports, not at every step of
    the engine that allocates (garbage cycles of the program's own holding instances,
    whose memories the collector does not count, would then wait in the oldest
    generation round after round). So that such garbage stays bounded besides, as
    CPython bounds it (a full collection when the objects moved to the oldest
    generation since the last one exceed a quarter of it), a move that would take the
    objects moved since the last full collection past ``max(400,000, a quarter of the
    heap it left)`` is a full collection instead. When the program froze objects itself
    (``gc.get_freeze_count()``), unfreezing would release them: the younger
    generations are collected instead."""
    young = gc.get_count()[0]
    if young > gc.get_threshold()[0]:
        if not _FREEZE or gc.get_freeze_count():
            gc.collect(1)
        else:
            move_to_oldest(young)
    gc.enable()


def move_to_oldest(young: int) -> None:
    """Move every tracked object to the oldest generation unwalked (``gc.freeze()`` then
    ``gc.unfreeze()``), counting ``young`` objects moved; or, when that would take the
    objects moved since the last full collection past ``max(400,000, a quarter of the
    heap)``, collect all generations instead (see :func:`settle_collector`), as also
    once linear memories of more than :data:`_MEMORY_BOUND` bytes were made since
    (:func:`count_memory`); the counts restart after any full collection, the
    program's own included. For callers that checked :data:`_FREEZE` and that no
    objects are frozen (:mod:`wasmem.exec.collector` moves what the tiers make for a
    module). Raises nothing."""
    if _moved[0] + young > _moved[1] or _memory_made[0] > _MEMORY_BOUND:
        if _restart_counts():
            return
    _moved[0] += young
    gc.freeze()
    gc.unfreeze()


def collect_young() -> None:
    """Collect the two younger generations (their survivors go to the oldest, counted
    as moved), or all three under the bounds of :func:`move_to_oldest` (objects moved,
    linear memories made: :func:`count_memory`) since the last full collection
    (:mod:`wasmem.exec.collector`, before a step whose allocations it moves). Raises
    nothing."""
    young = gc.get_count()[0]
    if _moved[0] + young > _moved[1] or _memory_made[0] > _MEMORY_BOUND:
        if _restart_counts():
            return
    _moved[0] += young
    gc.collect(1)


def _restart_counts() -> bool:
    """Collect all generations unless a full collection (the program's own) ran since
    the counts began; restart the counts. Returns whether it collected."""
    collect = gc.get_stats()[2]["collections"] == _full_collections[0]
    if collect:
        gc.collect()
    _full_collections[0] = gc.get_stats()[2]["collections"]
    _moved[:] = [0, max(_MOVED_FLOOR, len(gc.get_objects()) // _HEAP_SHARE)]
    _memory_made[0] = 0
    return collect


_FREEZE = hasattr(gc, "freeze") and hasattr(gc, "get_freeze_count")
"""Whether this Python's collector can move objects to its oldest generation at once."""
_MOVED_FLOOR = 400_000
_HEAP_SHARE = 4
_moved = [0, _MOVED_FLOOR]
"""Objects moved to the oldest generation since the last full collection, and how many
may be before the next (:func:`settle_collector`)."""
_MEMORY_BOUND = 1 << 27
"""Bytes of linear memory made (created or grown) since the last full collection after
which a move is a full collection instead: 128 MiB (see :func:`count_memory`)."""
_memory_made = [0]
"""Bytes of linear memory made since the last full collection (:func:`count_memory`)."""


def count_memory(added: int) -> None:
    """Count ``added`` bytes of linear memory made (:mod:`wasmem.memory.linear`, at a
    memory's creation and growth). The collector counts objects, not the memories they
    hold, and a move puts the program's live objects in the oldest generation too (an
    instance being called, say): dropped later inside a garbage cycle, such an instance
    holds its memory until a full collection, which :func:`move_to_oldest` makes come
    after :data:`_MEMORY_BOUND` bytes (a loop making 4 MiB instances grew by 4 MiB a
    round, past 1 GB in 300 rounds, without). Raises nothing."""
    _memory_made[0] += added


_full_collections = [-1]
"""The count of full collections (``gc.get_stats()``) when :data:`_moved` was last reset."""


def _stat(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


class _Finder:
    """The meta-path finder of one package's modules (``prefix`` ``"wasmem."``)."""

    def __init__(self, prefix: str, root: str, path: str, descriptor: int | None,
                 entries: dict[str, Entry], recording: bool) -> None:
        self.prefix = prefix
        self.root = root  # the package's parent folder, with a trailing separator
        self.path = path
        self.descriptor = descriptor
        self.entries = entries
        self.recording = recording
        self.added: dict[str, Entry] = {}
        self.shapes: dict[str, tuple[str, str]] = {}  # folder -> its .pyc names' parts
        self.groups: dict[int, list[Any]] = {}  # a group's offset -> code not taken

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        """The spec of module ``name`` when it is one of the package's, else None."""
        if not name.startswith(self.prefix):
            return None
        entry = self.entries.get(name)
        if entry is not None:
            relative, package, mtime, size, code = entry
            origin = self.root + relative
            try:  # (the source's times, as _stat, without a call more per module)
                source: Any = os.stat(origin)
            except OSError:
                source = None
            if source is not None and source.st_mtime_ns == mtime and source.st_size == size:
                loader = _Loader(name, origin)
                loader.code = code
                loader.finder = self
                spec = _bootstrap.ModuleSpec(name, loader, origin=origin, is_package=package)
                # (``spec.cached`` is computed when first asked, as for the specs of
                # Python's own finder; create_module sets the module's ``__cached__``)
                spec.has_location = True
                if package:
                    spec.submodule_search_locations = [origin.rpartition(os.sep)[0]]
                return spec
        if not self.recording:
            return None
        found = _external.PathFinder.find_spec(name, path, target)
        if (found is None or type(found.loader) is not _external.SourceFileLoader
                or found.origin is None):
            return found
        recorder = _Loader(name, found.origin)
        recorder.finder = self
        recorder.recording = True
        found.loader = recorder
        return found

    def unmarshal(self, code: Any) -> Any:
        """The code object of a bundle entry's ``code`` (:data:`Entry`), or None when
        it cannot be read or is not code (a damaged file). A group's blob is
        unmarshalled when the first of its modules is imported, and kept for the others
        until each has taken its code (a module imported again, ``importlib.reload``,
        unmarshals it again). Raises nothing."""
        try:
            if len(code) == 4:  # (a module of a group)
                offset, _count, _check, slot = code
                members = self.groups.get(offset)
                found = members[slot] if members and 0 <= slot < len(members) else None
                if found is None:  # (the group's first module, or one imported again)
                    blob = marshal.loads(_code_bytes(self.descriptor, code))
                    fresh = list(blob) if type(blob) is tuple else []
                    found = fresh[slot] if 0 <= slot < len(fresh) else None
                    if members is None:
                        members = self.groups[offset] = fresh
                if found is not None and members and found is members[slot]:
                    members[slot] = None
                    if not any(members):  # (every module of the group has its code:
                        self.groups[offset] = []  # the code is not kept, and not again)
            else:
                found = marshal.loads(_code_bytes(self.descriptor, code))
        except Exception:  # (OSError: damaged; marshal's errors, SystemError among them)
            return None
        return found if type(found) is _CODE else None

    def functions_on_demand(self, module: Any, path: str) -> None:
        """Give ``module``, split in the bundle (:mod:`wasmem.bundle_split`), a
        ``__getattr__`` making each of its functions from its group's checked code at
        its first lookup, with the other functions of the group (compiled from the
        source at ``path`` when that code is unreadable: a damaged file). The lookup
        raises AttributeError for a name that is none of the module's functions (or when
        neither the bundle nor the source has it)."""
        namespace = module.__dict__
        name = module.__name__
        table = {function: item for item in namespace["__lazy_functions__"]
                 for function in item[0]}
        area = self.entries.get(name + _FUNCTIONS)
        if area is not None and area[2:4] != self.entries.get(name, area)[2:4]:
            area = None  # (of another version of the source: compiled from it instead)
        whole: dict[str, Any] = {}  # (the source's functions, when the bundle failed)

        def __getattr__(attribute: str) -> Any:
            where = table.get(attribute)
            if where is None:
                raise AttributeError(f"module {name!r} has no attribute {attribute!r}")
            codes = self.function_codes(area, where)
            if codes is not None:
                for function, code in zip(where[0], codes):
                    _imp._fix_co_filename(code, path)  # type: ignore[attr-defined]
                    namespace.setdefault(function, _Function(code, namespace))
                return namespace[attribute]
            if not whole:
                try:
                    compiled = _external.SourceFileLoader(name, path).get_code(name)
                except (ImportError, OSError, SyntaxError, ValueError):
                    compiled = None
                whole.update((c.co_name, c) for c in getattr(compiled, "co_consts", ())
                             if type(c) is _CODE)
            code = whole.get(attribute)
            if code is None:
                raise AttributeError(f"module {name!r}: {attribute!r} not found")
            return namespace.setdefault(attribute, _Function(code, namespace))

        namespace["__getattr__"] = __getattr__

    def function_codes(self, area: Entry | None, where: tuple[Any, ...]) -> Any:
        """The code objects of a group of functions of a split module (their entry
        ``area``) at ``where`` (their names, offset, length, digest), or None when they
        cannot be read or are not as many code objects. Raises nothing."""
        try:
            names, offset, count, check = where
            start, total = area[4][:2]  # type: ignore[index]
            if not (0 <= offset and 0 <= count and offset + count <= total) \
                    or self.descriptor is None:
                return None
            data = os.pread(self.descriptor, count, start + offset)
            if len(data) != count or _digest(data) != check:
                return None
            found = marshal.loads(data)
        except Exception:  # (OSError; marshal's errors; a malformed entry)
            return None
        if (type(found) is not tuple or len(found) != len(names)
                or not all(type(code) is _CODE for code in found)):
            return None
        return found

    def cached(self, origin: str) -> str | None:
        """``cache_from_source(origin)`` (a module's ``__cached__``), from one call per
        folder: the name differs only by the file's stem (``ops.cpython-311.pyc``)."""
        folder, _, file = origin.rpartition(os.sep)
        shape = self.shapes.get(folder)
        if shape is None:
            try:
                example = _external.cache_from_source(folder + os.sep + "_.py")
            except (NotImplementedError, ValueError):
                return None
            head, _, tail = example.rpartition(os.sep)
            shape = self.shapes[folder] = (head + os.sep, tail[1:])
        stem = file.rpartition(".")[0]
        return shape[0] + stem + shape[1]

    def record(self, name: str, path: str, package: bool, stat: tuple[int, int],
               code: Any) -> None:
        """Add module ``name``'s code to what is written at exit."""
        if not path.startswith(self.root):
            return
        if not self.added:
            import atexit
            atexit.register(self.save)
        self.added[name] = (path[len(self.root):], package, stat[0], stat[1],
                            marshal.dumps(code))

    def save(self) -> None:
        """Write the bundle with the modules this process added (merged with what
        another process may have written meanwhile); never raises for the file."""
        if not self.added:
            return
        descriptor, entries = _read(self.path)
        entries = {name: entry for name, entry in entries.items()  # (stale ones go)
                   if _stat(self.root + entry[0]) == (entry[2], entry[3])}
        from .bundle_split import split_recorded  # (modules marked to be split)
        split_recorded(self.added, self.root, _digest, _FUNCTIONS)
        entries.update(self.added)
        self.added = {}
        try:
            _write(self.path, entries, descriptor)
        except OSError:
            pass
        finally:
            if descriptor is not None:
                os.close(descriptor)


def install(package: str, init_file: str) -> None:
    """Answer the imports of ``package``'s modules from its bundle (read now), and
    record those it lacks when this process writes bytecode. Does nothing when
    ``WASMEM_IMPORT_BUNDLE=0``, when there is no bundle to read or write, for a package
    without sources and where ``os.pread`` is missing (Windows)."""
    enabled = gc.isenabled()  # (the index's few hundred tuples would start a young
    gc.disable()              # collection walking the process's start-up objects)
    try:
        _install(package, init_file)
    finally:
        if enabled:
            settle_collector()


def _install(package: str, init_file: str) -> None:
    """:func:`install`, the collector paused."""
    if (os.environ.get(_SETTING, "").strip() == "0" or not init_file
            or not init_file.endswith(".py") or not hasattr(os, "pread")):
        return  # (off; a package without sources; no positioned reads: Windows)
    path = bundle_path(init_file)
    if path is None:
        return
    recording = not sys.dont_write_bytecode
    descriptor, entries = _read(path)
    if not entries and not recording:
        if descriptor is not None:
            os.close(descriptor)
        return
    root = os.path.dirname(os.path.dirname(init_file)) + os.sep
    sys.meta_path.insert(0, _Finder(package + ".", root, path, descriptor, entries,
                                    recording))
