"""The base of the abstract syntax's node classes: immutable records, cheap to define.

A node class says its fields once, in its ``__init__`` (hand-written, so it is compiled
with the module and cached as bytecode), and names the fields that take part in
equality (``_compared``) and in its ``repr`` (``_shown``). :class:`Record` gives it what
a frozen dataclass has: equality and hashing over the compared fields (only between
objects of the same class), a ``repr`` of the shown fields, assignments refused with
:class:`FrozenInstanceError`, pickling and copying, and ``dataclasses.replace`` (its
fields are described to :mod:`dataclasses` on first use). Defining a dataclass costs
about half a millisecond (it compiles its generated methods); these classes cost
nothing at import, and ``import wasmem`` defines dozens of them.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, ClassVar

__all__ = ["FrozenInstanceError", "Record", "replace"]


class FrozenInstanceError(AttributeError):
    """An assignment to a field of an immutable node (as ``dataclasses`` raises; it is
    an ``AttributeError``)."""


def _values(names: tuple[str, ...]) -> Any:
    """A function from a node to the tuple of its ``names`` fields."""
    if not names:
        return lambda node: ()
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda node: (get(node),)
    return attrgetter(*names)


def _equality(key: Any) -> Any:
    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return key(self) == key(other)  # type: ignore[no-any-return]
        return NotImplemented
    return __eq__


def _hashing(key: Any) -> Any:
    def __hash__(self: Any) -> int:
        return hash(key(self))
    return __hash__


class _DataclassFields:
    """``__dataclass_fields__`` of a record class, built on first use, so that
    :func:`dataclasses.replace` and :func:`dataclasses.fields` work on nodes. The fields
    are the parameters of the ``__init__`` of the class that declares ``_compared``."""

    def __init__(self) -> None:
        self._built: dict[type, dict[str, Any]] = {}

    def __get__(self, node: Any, cls: type) -> dict[str, Any]:
        built = self._built.get(cls)
        if built is None:
            built = self._built[cls] = _describe(cls)
        return built


def _describe(cls: type) -> dict[str, Any]:
    import dataclasses
    import inspect
    owner = next((c for c in cls.__mro__ if "_compared" in c.__dict__), cls)
    compared = set(getattr(owner, "_compared", ()))
    shown = set(getattr(owner, "_shown", ()))
    spec: list[tuple[str, Any, Any]] = []
    init = owner.__dict__.get("__init__", object.__init__)
    for parameter in list(inspect.signature(init).parameters.values())[1:]:
        options: dict[str, Any] = {"compare": parameter.name in compared,
                                   "repr": parameter.name in shown}
        if parameter.default is not inspect.Parameter.empty:
            options["default"] = parameter.default
        spec.append((parameter.name, Any, dataclasses.field(**options)))
    shadow = dataclasses.make_dataclass(owner.__name__, spec)
    return dict(shadow.__dataclass_fields__)  # type: ignore[attr-defined]


class Record:
    """An immutable node (module docstring). Subclasses set ``_compared`` and
    ``_shown`` (field names, in order) and set their fields in ``__init__`` with
    ``object.__setattr__`` (the one node class whose construction is hot,
    :class:`~.instructions.Instruction`, restores ``object.__setattr__`` instead)."""

    __slots__ = ()
    _compared: ClassVar[tuple[str, ...]] = ()
    _shown: ClassVar[tuple[str, ...]] = ()
    _key: ClassVar[Any] = staticmethod(lambda node: ())
    __dataclass_fields__: ClassVar[Any] = _DataclassFields()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_compared" in cls.__dict__:
            key = _values(cls._compared)
            cls._key = staticmethod(key)
            # per class, as closures over ``key`` (no attribute lookups: as fast as a
            # dataclass's generated methods), unless the class writes its own
            if "__eq__" not in cls.__dict__:
                cls.__eq__ = _equality(key)  # type: ignore[method-assign]
            if "__hash__" not in cls.__dict__:
                cls.__hash__ = _hashing(key)  # type: ignore[method-assign]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key(self) == self._key(other)  # type: ignore[no-any-return]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key(self))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> Any:
        slots = _all_slots(type(self))
        state = [getattr(self, name) for name in slots]
        extra = getattr(self, "__dict__", None)
        return (state, dict(extra)) if extra is not None else state

    def __setstate__(self, state: Any) -> None:
        extra = None
        if isinstance(state, tuple):
            state, extra = state
        for name, value in zip(_all_slots(type(self)), state):
            object.__setattr__(self, name, value)
        if extra:
            self.__dict__.update(extra)


_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def _init_fields(cls: type) -> tuple[str, ...]:
    """The fields of record class ``cls``: the parameters of the ``__init__`` of the
    class that declares ``_compared`` (as :class:`_DataclassFields` describes them)."""
    fields = _INIT_FIELDS.get(cls)
    if fields is None:
        owner = next((c for c in cls.__mro__ if "_compared" in c.__dict__), cls)
        code = getattr(owner.__dict__.get("__init__"), "__code__", None)
        fields = () if code is None else \
            code.co_varnames[1:code.co_argcount + code.co_kwonlyargcount]
        _INIT_FIELDS[cls] = fields
    return fields


def replace(node: Any, /, **changes: Any) -> Any:
    """A new node of ``node``'s class with the fields in ``changes`` and the others
    copied: :func:`dataclasses.replace` on a node, without importing :mod:`dataclasses`
    (and :mod:`inspect`, several milliseconds; on-stack replacement uses it).

    Raises:
        TypeError: a name in ``changes`` is not a field (from the class's ``__init__``).
    """
    for name in _init_fields(node.__class__):
        if name not in changes:
            changes[name] = getattr(node, name)
    return node.__class__(**changes)


def _all_slots(cls: type) -> tuple[str, ...]:
    """The slot names of ``cls`` and its bases, base first."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        slots = klass.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return tuple(n for n in names if n not in ("__dict__", "__weakref__"))
