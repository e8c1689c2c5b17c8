"""Modules of the import bundle whose functions are stored apart (``wasmem.bundle_split``)."""

from __future__ import annotations

import marshal

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
    table = namespace["__lazy_functions__"]
    assert [item[0] for item in table] == ["f", "g"]  # type: ignore[attr-defined]
    for name, offset, length, check in table:  # type: ignore[attr-defined]
        data = functions[offset:offset + length]
        assert _digest(data) == check
        function_code = marshal.loads(data)
        assert function_code.co_name == name
        assert function_code.co_filename == "/somewhere/gen_x.py"
    f = type(split)(marshal.loads(functions[table[0][1]:table[0][1] + table[0][2]]),
                    namespace)  # type: ignore[index]
    assert f(None, 0)([37]) == 42


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
