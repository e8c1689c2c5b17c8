"""Enumerations made by :func:`wasmem.syntax.enums.enum_class` are those the ordinary
``class X(enum.Enum)`` statement makes, with ``enum._simple_enum`` and without it."""

from __future__ import annotations

import enum
import pickle
from typing import Any

import pytest

from wasmem import errors
from wasmem.syntax import enums, opcodes, types


def _plain_classes() -> list[tuple[type[enum.Enum], type]]:
    class Color:
        """Colours."""

        RED = 1
        GREEN = 2
        BLUE = 3

        def __str__(self) -> str:
            return self.name.lower()  # type: ignore[attr-defined,no-any-return]

        @classmethod
        def first(cls) -> Any:
            return cls.RED

    class Kind:
        A = 0
        B = 1

    class Bits:
        X = 1
        Y = 2
        Z = 4

    return [(enum.Enum, Color), (enum.IntEnum, Kind), (enum.Flag, Bits)]


def _describe(cls: Any) -> list[Any]:
    members = list(cls)
    return [type(cls), cls.__name__, cls.__doc__, [(m.name, m.value) for m in members],
            [(str(m), repr(m), format(m), hash(m)) for m in members],
            [cls(m.value) is m and cls[m.name] is m for m in members],
            [pickle.loads(pickle.dumps(m)) == m for m in members]]


@pytest.mark.parametrize("simple", [True, False])
def test_enum_class_makes_the_ordinary_enum(simple: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if not simple:
        monkeypatch.setattr(enums, "_SIMPLE", None)
    elif enums._SIMPLE is None:
        pytest.skip("this Python has no enum._simple_enum")
    for kind, plain in _plain_classes():
        made: Any = enums.enum_class(kind)(plain)
        ordinary: Any = enums._ordinary(kind, plain)
        assert issubclass(made, kind) and issubclass(ordinary, kind)
        assert [(m.name, m.value) for m in made] == [(m.name, m.value) for m in ordinary]
        assert [(str(m), repr(m).replace(" ", "")) for m in made] == \
            [(str(m), repr(m).replace(" ", "")) for m in ordinary]
        # members stored in the class's namespace, as the class statement stores them
        # (not behind an ``enum.property``, whose ``__get__`` runs in Python)
        assert [type(vars(made)[m.name]) is made for m in made] == \
            [type(vars(ordinary)[m.name]) is ordinary for m in ordinary]
        if plain.__doc__:  # (without one, _simple_enum says "An enumeration.")
            assert made.__doc__ == ordinary.__doc__ == plain.__doc__
    color: Any = enums.enum_class(enum.Enum)(_plain_classes()[0][1])
    assert str(color.GREEN) == "green" and color.first() is color.RED
    bits: Any = enums.enum_class(enum.Flag)(_plain_classes()[2][1])
    assert (bits.X | bits.Z).value == 5 and bits(0).value == 0 and bits.X in bits(3)
    kind_: Any = enums.enum_class(enum.IntEnum)(_plain_classes()[1][1])
    assert kind_.B == 1 and kind_(0) is kind_.A and isinstance(kind_.A, int)


def test_enum_class_keeps_a_property_over_a_base_name() -> None:
    class Named:
        name = 1  # (``Enum.name`` is a property: the member stays behind a redirect)
        OTHER = 2

    made: Any = enums.enum_class(enum.Enum)(Named)
    assert isinstance(vars(made)["name"], enum.property) and vars(made)["OTHER"] is made.OTHER
    assert made["name"].value == 1 and made(2) is made.OTHER


@pytest.mark.parametrize("cls, kind", [
    (opcodes.Imm, enum.Enum), (opcodes.OpClass, enum.Flag), (types.NumType, enum.Enum),
    (types.VecType, enum.Enum), (types.AbsHeapType, enum.Enum),
    (types.ExternKind, enum.IntEnum), (errors.TrapCode, enum.Enum)])
def test_wasmem_enums_behave_as_enums(cls: Any, kind: type) -> None:
    assert issubclass(cls, kind) and cls.__module__.startswith("wasmem.")
    described = _describe(cls)
    assert all(described[5]) and all(described[6])
    assert len({m.value for m in cls}) == len(cls)  # no aliases
    assert all(vars(cls)[m.name] is m for m in cls)  # (read without a descriptor)
    by_member = {m: m.value for m in cls}  # (hashed by identity, or as ints)
    assert all(by_member[cls(m.value)] == m.value and by_member[cls[m.name]] == m.value
               and hash(pickle.loads(pickle.dumps(m))) == hash(m) for m in cls)


def test_wasmem_enum_members_as_before() -> None:
    assert str(types.NumType.I64) == "i64" and repr(types.AbsHeapType.EXN) == "EXN"
    assert str(types.ExternKind.MEMORY) == "memory" and types.ExternKind.TAG == 4
    assert [m.value for m in opcodes.OpClass] == [1, 2, 4, 8, 16]
    assert opcodes.Imm.NONE.value == 1 and opcodes.Imm.BR_ON_CAST.value == len(opcodes.Imm)
    assert errors.TrapCode.for_message("uninitialized element 2") is \
        errors.TrapCode.UNINITIALIZED_ELEMENT
    assert repr(errors.TrapCode.UNREACHABLE) == "<TrapCode.UNREACHABLE: 'unreachable'>"
