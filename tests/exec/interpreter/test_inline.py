"""The interpreter's generated factories show their lines in tracebacks (the committed
``gen_*.py`` modules, or sources registered in :mod:`linecache`), and the committed
modules are what the tables give."""

from __future__ import annotations

import linecache
import traceback
from pathlib import Path

import pytest

from wasmem.exec.interpreter import memory
from wasmem.exec.interpreter.inline import COMMITTED, CALLS, HOT, LazyTable, generate, source_name
from wasmem.exec.interpreter.regenerate import generated_files


def _traceback_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def test_an_inline_operator_shows_its_line_in_a_traceback() -> None:
    op = HOT["i32.add"].value["rr"](None, 0, 2, 0, 1)
    with pytest.raises(TypeError) as info:
        op([None, 1, 0])  # not an int: the addition fails inside the generated closure
    text = _traceback_text(info.value)
    assert "gen_operators.py" in text
    assert "R[dest] = " in text and "R[a] + R[b]" in text and "0xFFFFFFFF" in text


@pytest.mark.parametrize("factory", [
    pytest.param(HOT["i64.shl"].value["rc"], id="inline operator"),
    pytest.param(CALLS["direct", 2], id="call"),
    pytest.param(memory.LOADS["i32.load"], id="load"),
])
def test_every_generated_factory_has_its_source_in_linecache(factory: object) -> None:
    code = factory.__code__  # type: ignore[attr-defined]
    lines = linecache.getlines(code.co_filename)
    assert Path(code.co_filename).stem in COMMITTED.values()
    assert lines[code.co_firstlineno - 1].startswith(f"def {code.co_name}(")
    linecache.checkcache()
    assert linecache.getlines(code.co_filename) == lines


def test_the_committed_factory_modules_are_up_to_date() -> None:
    """``python -m wasmem.exec.interpreter.regenerate`` would not change them: the
    interpreter runs exactly what the templates and tables say."""
    files = generated_files()
    assert {path.stem for path in files} == set(COMMITTED.values())
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date: run python -m wasmem.exec.interpreter.regenerate")


def test_a_changed_template_would_show(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above is not vacuous: the files follow the templates."""
    import dataclasses

    from wasmem.exec.compiler import ops
    changed = dataclasses.replace(ops.TEMPLATES["i32.add"], template="({0} - {1}) & 0xFFFFFFFF")
    monkeypatch.setitem(ops.TEMPLATES, "i32.add", changed)
    operators = next(text for path, text in generated_files().items()
                     if path.stem == COMMITTED["inline operators"])
    assert "R[a] - R[b]" in operators


def test_generate_registers_what_it_compiles() -> None:
    namespace = generate("def f(x):\n    return 1 // x\n", {}, "test source")
    with pytest.raises(ZeroDivisionError) as info:
        namespace["f"](0)
    text = _traceback_text(info.value)
    assert f'File "{source_name("test source")}", line 2' in text
    assert "return 1 // x" in text


def test_unnamed_sources_do_not_replace_each_other() -> None:
    first = generate("def f():\n    return 1\n", {})["f"].__code__.co_filename
    second = generate("def g():\n    return 2\n", {})["g"].__code__.co_filename
    assert first != second
    assert linecache.getlines(first) == ["def f():\n", "    return 1\n"]
    assert linecache.getlines(second) == ["def g():\n", "    return 2\n"]


def test_a_global_never_replaces_a_committed_factory() -> None:
    with pytest.raises(RuntimeError, match="would replace a generated function"):
        generate("", {"call_direct_0": None}, "calls")
    assert CALLS["direct", 0].__name__ == "call_direct_0"


_EDGES = (0, 1, 7, 31, 32, 33, 63, 64, 65, 0x7F, 0x80, 0xFF, 0x8000, 0xFFFF, 0x7FFFFFFF,
          0x80000000, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000,
          0xFFFFFFFFFFFFFFFF, 0x123456789ABCDEF0)


@pytest.mark.parametrize("name", [n for n in HOT if n[:3] in ("i32", "i64")
                                  and n not in ("i32.wrap_i64",)])
def test_every_shape_of_an_integer_inline_operator_computes_what_the_library_does(
        name: str) -> None:
    """Each factory (register or constant operands; operands read into variables where
    the template reads one twice, as rotations do) against the numeric library."""
    from wasmem.exec.numeric import NUMERIC_OPS
    from wasmem.syntax.opcodes import BY_NAME
    from wasmem.syntax.types import I32
    params = BY_NAME[name].params
    assert params is not None
    masks = [0xFFFFFFFF if t is I32 else 0xFFFFFFFFFFFFFFFF for t in params]
    samples = sorted({v & masks[0] for v in _EDGES})
    counts = sorted({v & masks[-1] for v in _EDGES})
    expected_fn = NUMERIC_OPS[name]
    for shape, make in HOT[name].value.items():
        for a in samples:
            for b in (counts if len(params) == 2 else [None]):
                operands = (a,) if b is None else (a, b)
                R: list[object] = [None, None, None]
                args: list[object] = []
                for k, (kind, value) in enumerate(zip(shape, operands)):
                    if kind == "r":
                        R[k] = value
                        args.append(k)
                    else:
                        args.append(value)
                op = make(None, 7, 2, *args)
                assert op(R) == 7
                expected = expected_fn(*operands)
                assert int(R[2]) == int(expected), (name, shape, operands)  # type: ignore[call-overload]


@pytest.mark.parametrize("name", ["f64.convert_i32_s", "f64.convert_i32_u"])
def test_inline_conversions_to_f64_compute_what_the_library_does(name: str) -> None:
    """The conversions written inline (they were library calls) against the library."""
    from wasmem.exec.numeric import NUMERIC_OPS
    make = HOT[name].value["r"]
    for a in sorted({v & 0xFFFFFFFF for v in _EDGES}):
        R: list[object] = [a, None]
        assert make(None, 7, 1, 0)(R) == 7
        expected = NUMERIC_OPS[name](a)
        assert type(R[1]) is float and R[1] == expected, (name, a)


def test_a_lazy_table_makes_each_value_once_when_first_asked() -> None:
    made: list[str] = []

    def make(key: str) -> str:
        made.append(key)
        return key.upper()
    table = LazyTable(["a", "b", "c"], make)
    assert len(table) == 3 and "b" in table and "z" not in table and list(table) == ["a", "b", "c"]
    assert made == [] and table
    assert table["b"] == "B" and table["b"] == "B" and table.get("c") == "C"
    assert table.get("z", 0) == 0 and made == ["b", "c"]
    with pytest.raises(KeyError):
        table["z"]
    assert list(table.items()) == [("a", "A"), ("b", "B"), ("c", "C")]
    assert table == {"a": "A", "b": "B", "c": "C"} and made == ["b", "c", "a"]
    assert list(table.values()) == ["A", "B", "C"] and made == ["b", "c", "a"]


def test_the_factory_tables_give_the_committed_modules_functions() -> None:
    from wasmem.exec.interpreter import gen_accesses, gen_calls, gen_operators
    for forms in HOT.values():
        for kind in ("value", "branch", "skip"):
            for shape, made in getattr(forms, kind).items():
                assert made is getattr(gen_operators, made.__name__)
                assert made.__name__[0] == kind[0] and made.__name__.endswith(shape)
    assert all(made is getattr(gen_calls, made.__name__) for made in CALLS.values())
    for (_name, kind, form), made in memory.ADDRESSED.items():
        assert made is getattr(gen_accesses, made.__name__)
        assert memory.ADDRESSED_FORMS[made] == (kind, form)  # (kept as they are made)
    assert len(memory.ADDRESSED_FORMS) == len(memory.ADDRESSED)
