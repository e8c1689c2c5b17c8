"""Modules of the import bundle whose functions are stored apart (``wasmem.bundle_split``)."""

from __future__ import annotations

import marshal
from typing import Any

import pytest

from wasmem.bundle_split import MARKER, split
from wasmem.import_bundle import _digest

_HEAD = b'"""Generated."""\n# ruff: noqa' + MARKER + b"\n"


def _compiled(source: bytes) -> object:
    return compile(source, "/somewhere/gen_x.py", "exec", dont_inherit=True)


def test_a_marked_module_splits_into_its_body_and_its_functions() -> None:
    source = _HEAD + (b"def f(ctx, a):\n    def op(R, a=a):\n        return R[a] + K\n"
                      b"    return op\ndef g(x):\n    return x * 2\nFORMS = ('f', 'g')\n")
    code = _compiled(source)
    halves = split(source, "/somewhere/gen_x.py", code, _digest)
    assert halves is not None
    skeleton, functions = halves
    namespace: dict[str, object] = {"__name__": "gen_x", "K": 5}
    exec(skeleton, namespace)
    assert namespace["FORMS"] == ("f", "g") and namespace["__doc__"] == "Generated."
    assert "f" not in namespace and "g" not in namespace
    table: Any = namespace["__lazy_functions__"]
    assert [item[0] for item in table] == [("f",), ("g",)]
    for names, offset, length, check in table:
        data = functions[offset:offset + length]
        assert _digest(data) == check
        codes = marshal.loads(data)
        assert [code.co_name for code in codes] == list(names)
        assert all(code.co_filename == "/somewhere/gen_x.py" for code in codes)
    f = type(split)(marshal.loads(functions[table[0][1]:table[0][1] + table[0][2]])[0],
                    namespace)
    assert f(None, 0)([37]) == 42


def test_an_operators_forms_are_stored_together() -> None:
    body = b"".join(b"def %s(x):\n    return x\n" % name.encode() for name in (
        "v0_rr", "v0_rc", "v1_rr", "b1_rr", "s1_rr", "v1_rc", "tail", "call_2", "load2_k"))
    source = _HEAD + body
    halves = split(source, "gen_x.py", _compiled(source), _digest)
    assert halves is not None
    namespace: dict[str, Any] = {}
    exec(halves[0], namespace)
    assert [item[0] for item in namespace["__lazy_functions__"]] == [
        ("v0_rr", "v0_rc"), ("v1_rr", "b1_rr", "s1_rr", "v1_rc"), ("tail",),
        ("call_2", "load2_k")]


@pytest.mark.parametrize("body", [
    b"def f(x=1):\n    return x\n",  # a default: evaluated at the def
    b"@staticmethod\ndef f(x):\n    return x\n",  # a decorator
    b"def f(x: int):\n    return x\n",  # an annotation
    b"def f(x):\n    return x\ndef f(y):\n    return y\n",  # two of one name
    b"def f(x):\n    return x\nf = 3\n",  # a function's name assigned
    b"import os\ndef f(x):\n    return x\n",  # another statement
    b"class C:\n    pass\n",
    b"def f(x):\n    return g(x)\ndef g(x):\n    return x\n",  # a global lookup of g
    b"def f(x):\n    return x\nTABLE = {'f': f}\n",  # the body names f
])
def test_a_module_that_does_not_qualify_stays_whole(body: bytes) -> None:
    source = _HEAD + body
    assert split(source, "gen_x.py", _compiled(source), _digest) is None


def test_an_unmarked_module_stays_whole() -> None:
    source = b"def f(x):\n    return x\n"
    assert split(source, "x.py", _compiled(source), _digest) is None
