"""Loading modules: :class:`Module` (text or binary, validated, with the disk cache of
translated code) and :func:`read_module_file`."""

from __future__ import annotations

import os

from ..errors import InvocationError
from ..exec.compiler.cache_setting import CacheSetting
from ..exec.release import forget_decoded_when_dropped
from ..load import load_module
from ..syntax import module as ast
from ..syntax.types import ExternKind

__all__ = ["Module", "read_module_file"]


def read_module_file(path: str | os.PathLike[str]) -> str | bytes:
    """Read a module file: ``bytes`` for a binary (by its magic number), else UTF-8 text.

    Raises:
        ModuleFileNotFound: no such file (also a ``FileNotFoundError``).
        ModuleFileError: the file cannot be read otherwise (also an ``OSError``), or it
            is larger than the module size limit (an endless device such as /dev/zero).
        ParseError: the file is neither a binary nor UTF-8 text.
    """
    from ..errors import ModuleFileError, ModuleFileNotFound, ParseError
    from ..syntax import limits
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            data = f.read(limits.MAX_MODULE_SIZE + 1)
    except FileNotFoundError as exc:
        raise ModuleFileNotFound(name, exc.errno,
                                 f"cannot read: {exc.strerror or exc}") from None
    except OSError as exc:
        raise ModuleFileError(name, exc.errno, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limits.MAX_MODULE_SIZE:
        raise ModuleFileError(name, None, "cannot read: module size too large: more than "
                              f"{limits.MAX_MODULE_SIZE} bytes (implementation limit)")
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
    from ..errors import ParseError
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
        if isinstance(source, str) and name is None:  # (a file's text is never its name)
            _reject_file_name(source, name)
        if not isinstance(source, str):
            source = bytes(source)
        self.ast = load_module(source, name=name, cache_dir=cache_dir)
        forget_decoded_when_dropped(self, self.ast)  # (wasmem.exec.release)

    def _init(self, tree: ast.Module) -> None:
        from ..valid import validate_module
        validate_module(tree)
        self.ast = tree
        forget_decoded_when_dropped(self, tree)  # (wasmem.exec.release)

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
        from ..binary import encode_module
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
