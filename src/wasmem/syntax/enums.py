"""Enumerations defined at import without the cost of ``enum``'s class machinery.

Defining an :class:`enum.Enum` on Python 3.11 costs about 10 us per member (each
assignment in the class body goes through the enum's namespace and metaclass checks);
``import wasmem`` defines about 90 members (opcode immediates, heap types, trap codes...),
close to a millisecond of every process's start. The standard library defines its own
large enumerations (``http.HTTPStatus``, ``re.RegexFlag``) with ``enum._simple_enum``,
which builds the same enum class from a plain class in one step, a third of the cost.
:func:`enum_class` uses it where this Python has it and otherwise defines the class the
ordinary way (the same class either way: members, values, methods, ``str``, ``repr``,
pickling, members stored in the class's namespace; ``tests/syntax/test_enums.py``
compares them), but for a hash by identity where ``Enum``'s hashes the name in Python.

A class written for it names its values explicitly and derives, for type checkers only,
from the enum kind (:data:`EnumBase`, :data:`IntEnumBase`, :data:`FlagBase`, which are
``object`` at run time)::

    @enum_class(enum.Enum)
    class Color(EnumBase):
        RED = 1
        GREEN = 2
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from enum import Enum as EnumBase
    from enum import Flag as FlagBase
    from enum import IntEnum as IntEnumBase
else:
    EnumBase = FlagBase = IntEnumBase = object

__all__ = ["EnumBase", "FlagBase", "IntEnumBase", "enum_class"]

_Class = TypeVar("_Class", bound=type)

_SIMPLE: Any = getattr(enum, "_simple_enum", None)


def enum_class(kind: type[enum.Enum]) -> Callable[[_Class], _Class]:
    """A class decorator turning a plain class (its public attributes the members, its
    methods kept) into an enumeration of ``kind`` (``enum.Enum``, ``IntEnum``, ``Flag``).
    Raises what defining the enum the ordinary way raises (TypeError, ValueError)."""
    def convert(cls: _Class) -> _Class:
        if _SIMPLE is not None:
            return _members_stored(_SIMPLE(kind)(cls))  # type: ignore[no-any-return]
        return _ordinary(kind, cls)  # type: ignore[return-value]
    return convert


def _members_stored(made: Any) -> Any:
    """``made`` (an enum class from ``enum._simple_enum``) with each member stored in
    the class's namespace as the ordinary ``class`` statement stores it. On Python 3.11
    ``_simple_enum`` leaves an ``enum.property`` there for every member, so each
    ``Imm.MEMORY`` ran that descriptor's ``__get__`` in Python (0.4-0.8 us against
    0.1-0.3; 1-4 thousand such lookups in a first result, ``bench/STARTUP.md``). A
    member whose name a base class defines (a descriptor such as ``name``) keeps its
    property, as the ordinary statement does. Raises nothing."""
    namespace = vars(made)
    for name, member in made._member_map_.items():
        if (isinstance(namespace.get(name), enum.property)
                and not any(name in vars(base) for base in made.__mro__[1:])):
            type.__setattr__(made, name, member)  # (EnumType.__setattr__ refuses members)
    if made.__hash__ is enum.Enum.__hash__:  # (not an IntEnum's: int's hash, in C)
        # ``Enum.__hash__`` hashes the member's name in Python (0.3-0.5 us: a few
        # hundred calls at import, one per value type of each imported function at
        # ``Instance()``); an enum member equals only itself, so its identity serves
        type.__setattr__(made, "__hash__", object.__hash__)
    return made


def _ordinary(kind: type[enum.Enum], cls: type) -> type:
    """``cls`` defined as a subclass of ``kind`` the ordinary way (its body replayed in
    the enum's namespace, in order)."""
    body = [(name, value) for name, value in vars(cls).items()
            if name not in ("__dict__", "__weakref__")]

    def fill(namespace: dict[str, Any]) -> None:
        for name, value in body:
            namespace[name] = value
    return types.new_class(cls.__name__, (kind,), exec_body=fill)
