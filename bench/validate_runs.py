"""A prototype, measured and dropped (``bench/STARTUP.md``, fourteenth round): validation
of whole function bodies at C speed, for the bodies compilers write most.

Usage::

    python -m compileall -q src && PYTHONPATH=src python bench/validate_runs.py \
        --rounds 7 module.wasm ...

prints, per module, the functions and code bytes the prototype settles and the CPU time
of ``Module()`` with it tried before the fused loop against the fused loop alone (cold:
the validated-modules memory cleared before each load; alternated in one process).

A body whose instructions are all of a common kind (number types only, blocks without
params or results, branches to labels without values, memory 0 of 32-bit addresses...)
is checked without a Python turn per instruction:

1. a regular expression tokenises the whole body (``re.fullmatch``; each instruction's
   immediates are matched exactly, so a body it accepts is well-formed), and
   ``re.findall`` lists each instruction's *key*: its opcode with the immediates its
   typing depends on (a local, global or function index, a block type, an alignment);
2. a table gives each key's effect on the operand stack as a string (``a b c d`` push
   an i32, i64, f32, f64; ``A B C D`` pop one; ``[ ( | ]`` open a block or loop, open
   an if, else, end; ``*`` makes the stack polymorphic; ``X`` is a drop, ``S`` a
   select), joined at C speed into one string for the body;
3. the string is rewritten until nothing changes by rules that each remove a pushed
   value and the pop that takes it, an empty frame and its end, ... (``aA`` -> '',
   ``[]`` -> '', ``a*`` -> ``*``, ``(|`` -> ``<``...). The rules never overlap, so
   the result does not depend on their order, and the body is valid exactly when the
   string of its function frame rewrites to nothing;
4. the depth of every branch's label is compared with the nesting depth there
   (``itertools.accumulate`` over the blocks' +1 / -1).

It only ever *accepts*: :func:`check_runs` returns False for anything it cannot prove
valid (an instruction it does not know, a malformed or invalid body, a label with
values...), and the fused loop then checks the body the exact way.
"""

from __future__ import annotations

import re
from itertools import accumulate, islice, repeat
from operator import le, lt
from typing import Any

import argparse
import statistics
import time
from pathlib import Path

import wasmem
import wasmem.load.binary as load_binary
from wasmem.binary.encoded import EncodedFunction
from wasmem.binary.layout import PREFIXED, SINGLE
from wasmem.load import cached
from wasmem.load.encoded import check_encoded_body
from wasmem.load.fast import module_tables
from wasmem.syntax.module import Function
from wasmem.syntax.opcodes import OPCODES, Op
from wasmem.syntax.types import F32, F64, FUNCREF, I32, I64
from wasmem.valid.ops import SIMPLE
from wasmem.valid.stack import CodeChecker

__all__ = ["check_runs"]

_PUSH = {I32: "a", I64: "b", F32: "c", F64: "d"}
_POP = {I32: "A", I64: "B", F32: "C", F64: "D"}
_REJECT = "!"
"""The effect of a key the fast path does not settle (the body goes to the exact loop)."""

# ---- tokenising
_U32 = rb"[\x80-\xff]{0,4}[\x00-\x7f]"  # (kept in the key: the table decodes it)
_S32 = rb"(?:[\x80-\xff]{0,3}[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x07\x78-\x7f])"
_S64 = rb"(?:[\x80-\xff]{0,8}[\x00-\x7f]|[\x80-\xff]{9}[\x00\x7f])"
_OFFSET = rb"(?:[\x80-\xff]{0,3}[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x0f])"
_MAX_TARGETS = 32
_BR_TABLE = rb"\x0e(?:" + rb"|".join(
    re.escape(bytes([count])) + rb"(?:" + _U32 + rb"){" + str(count + 1).encode() + rb"}"
    for count in range(_MAX_TARGETS)) + rb")"
_INDEXED = rb"[\x0c\x0d\x10\x20-\x24]" + _U32  # br br_if call local.* global.*
_CALL_INDIRECT = rb"\x11" + _U32 + _U32
_SHORT = rb"[\x3f\x40]\x00|\xfc[\x00-\x07]"  # memory.size/grow 0, trunc_sat
_FULL = (
    _INDEXED + rb"|[\x00\x01\x05\x0b\x0f\x1a\x1b\x45-\xc4]"
    rb"|[\x28-\x3e][\x00-\x3f]" + _OFFSET + rb"|\x41" + _S32 + rb"|\x42" + _S64
    + rb"|\x43[\x00-\xff]{4}|\x44[\x00-\xff]{8}|[\x02-\x04][\x40\x7c-\x7f]|"
    + _CALL_INDIRECT + rb"|" + _BR_TABLE + rb"|" + _SHORT
    + rb"|\xfc\x0a\x00\x00|\xfc\x0b\x00")
_BODY = re.compile(rb"(?:" + _FULL + rb")*+", re.DOTALL)
"""A body of the instructions the fast path knows, each with well-formed immediates."""
_KEYS = re.compile(
    rb"(?=(" + _INDEXED + rb"|" + _CALL_INDIRECT + rb"|" + _BR_TABLE
    + rb"|[\x28-\x3e\x02-\x04][\x00-\xff]|" + _SHORT + rb"|\xfc[\x00-\xff]|.))(?:"
    + _FULL + rb")", re.DOTALL)
"""Each instruction's key (``findall`` of a body :data:`_BODY` matched)."""

# ---- rewriting
_EMPTY = re.compile(r"aA|bB|cC|dD|[a-d]X|[\[(<]\*?\]")
_POLYMORPHIC = re.compile(r"[a-d]\*|\*[A-DX*]")
_ELSE = re.compile(r"\(\*?\|")
_SELECTS = (("aaS", "a"), ("bbS", "b"), ("ccS", "c"), ("ddS", "d"))

# ---- local variables and returns: private characters the function's table translates
_LOCAL_BASE = 0xE000
_MAX_LOCALS = 0x10000
_RETURN = "R"
_IDENTITY = {ord(char): char for char in "abcdABCD[(|]*XS"}
_TEES = {I32: "Aa", I64: "Bb", F32: "Cc", F64: "Dd"}

_DELTAS: dict[bytes, int] = {
    bytes([op, block_type]): 1
    for op in (Op.BLOCK, Op.LOOP, Op.IF) for block_type in (0x40, 0x7C, 0x7D, 0x7E, 0x7F)}
_DELTAS[bytes([Op.END])] = -1


def _u32(key: bytes, start: int) -> tuple[int, int]:
    """The u32 LEB128 at ``key[start:]`` and the position after it; (-1, ...) if
    malformed (a fifth byte above 0x0F)."""
    value = shift = 0
    pos = start
    while True:
        part = key[pos]
        pos += 1
        if shift == 28 and part >= 0x10:
            return -1, pos
        value |= (part & 0x7F) << shift
        if part < 0x80:
            return value, pos
        shift += 7


def _pops(types: Any) -> str | None:
    """The string of popping ``types`` (the last first); None unless all are numbers."""
    try:
        return "".join([_POP[t] for t in reversed(types)])
    except (KeyError, TypeError):
        return None


def _pushes(types: Any) -> str | None:
    """The string of pushing ``types``; None unless all are numbers."""
    try:
        return "".join([_PUSH[t] for t in types])
    except (KeyError, TypeError):
        return None


def _signature(params: Any, results: Any) -> str:
    pops = _pops(params)
    pushes = _pushes(results)
    return _REJECT if pops is None or pushes is None else pops + pushes


class _Effects(dict[bytes, str]):
    """The effect string of each key, computed at its first use in a module; branch
    keys also get their label depth plus one in ``labels``."""

    def __init__(self, context: Any) -> None:
        super().__init__()
        self.context = context
        self.tables = module_tables(context)
        memories = context.memories
        self.memory32 = bool(memories) and memories[0].address_type is I32
        self.labels: dict[bytes, int] = {}

    def __missing__(self, key: bytes) -> str:
        effect = self[key] = self._effect(key)
        return effect

    def _effect(self, key: bytes) -> str:
        op = key[0]
        if op == 0xFC:
            entry = PREFIXED[0xFC].get(key[1])
            if entry is None:
                return _REJECT
            if key[1] in (0x0A, 0x0B):  # memory.copy, memory.fill
                return "AAA" if self.memory32 else _REJECT
            signature = SIMPLE.get(entry[0])
            return _REJECT if signature is None else _signature(*signature)
        if len(key) == 1:
            return _SINGLE_EFFECTS.get(op, _REJECT)
        if Op.BLOCK <= op <= Op.IF:
            if key[1] != 0x40:
                return _REJECT  # a block with results: its label has values
            return "A(" if op == Op.IF else "["
        if 0x28 <= op <= 0x3E:  # loads and stores of memory 0
            info = OPCODES[op]
            if not self.memory32 or key[1] > info.natural_alignment:
                return _REJECT
            if info.results:
                return "A" + _PUSH[info.results[0]]
            return _POP[info.memory_type] + "A"  # type: ignore[index]
        if op == Op.MEMORY_SIZE:
            return "a" if self.memory32 else _REJECT
        if op == Op.MEMORY_GROW:
            return "Aa" if self.memory32 else _REJECT
        index, after = _u32(key, 1)
        if index < 0:
            return _REJECT
        if op == Op.BR_TABLE:
            return self._br_table(key, index, after)
        if after != len(key):
            if op != Op.CALL_INDIRECT:
                return _REJECT
            table, after = _u32(key, after)
            return self._call_indirect(index, table)
        if op == Op.LOCAL_GET or op == Op.LOCAL_SET or op == Op.LOCAL_TEE:
            if index >= _MAX_LOCALS:
                return _REJECT
            return chr(_LOCAL_BASE + 3 * index + op - Op.LOCAL_GET)
        if op == Op.BR or op == Op.BR_IF:
            self.labels[key] = index + 1
            return "*" if op == Op.BR else "A"
        if op == Op.CALL:
            calls = self.tables.calls
            signature = calls[index] if index < len(calls) else None
            return _REJECT if signature is None else _signature(*signature)
        if op == Op.GLOBAL_GET:
            gets = self.tables.global_gets
            value_type = gets[index] if index < len(gets) else None
            return _REJECT if value_type is None else _PUSH[value_type]
        if op == Op.GLOBAL_SET:
            sets = self.tables.global_sets
            value_type = sets[index] if index < len(sets) else None
            return _REJECT if value_type is None else _POP[value_type]
        return _REJECT

    def _br_table(self, key: bytes, count: int, pos: int) -> str:
        deepest = 0
        for _ in range(count + 1):
            depth, pos = _u32(key, pos)
            if depth < 0:
                return _REJECT
            deepest = max(deepest, depth)
        if pos != len(key):
            return _REJECT
        self.labels[key] = deepest + 1
        return "A*"

    def _call_indirect(self, type_index: int, table_index: int) -> str:
        context = self.context
        types = context.types.types
        tables = context.tables
        if table_index < 0 or table_index >= len(tables) or type_index >= len(types):
            return _REJECT
        table = tables[table_index]
        if table.element != FUNCREF or table.address_type is not I32:
            return _REJECT
        func_type = types[type_index]
        params = getattr(func_type, "params", None)
        results = getattr(func_type, "results", None)
        if params is None or results is None:
            return _REJECT
        effect = _signature(params, results)
        return _REJECT if effect == _REJECT else "A" + effect


def _single_effects() -> dict[int, str]:
    """The effects of the one-byte instructions without immediates."""
    effects = {Op.UNREACHABLE: "*", Op.NOP: "", Op.ELSE: "|", Op.END: "]",
               Op.RETURN: _RETURN, Op.DROP: "X", Op.SELECT: "AS"}
    for byte in range(0x41, 0xC5):
        entry = SINGLE[byte]
        signature = SIMPLE.get(entry[0]) if entry is not None else None
        if signature is not None:
            effects[byte] = _signature(*signature)
    return effects


_SINGLE_EFFECTS = _single_effects()

_last: list[_Effects] = []


def _effects(context: Any) -> _Effects:
    """The :class:`_Effects` of the module of ``context`` (the last one is kept)."""
    last = _last[-1] if _last else None
    if last is not None and last.context is context:
        return last
    effects = _Effects(context)
    _last[:] = [effects]
    return effects


def _translation(local_types: list[Any], results: Any) -> dict[int, str] | None:
    """The translation of a function's private characters (its locals' gets, sets and
    tees, and ``return``) into effects; None if a local or a result is not a number."""
    count = len(local_types)
    if count > _MAX_LOCALS:
        return None
    gets = list(map(_PUSH.get, local_types))
    if None in gets:
        return None
    pops = _pops(results)
    if pops is None:
        return None
    end = _LOCAL_BASE + 3 * count
    table = dict(zip(range(_LOCAL_BASE, end, 3), gets))
    table.update(zip(range(_LOCAL_BASE + 1, end, 3), map(_POP.__getitem__, local_types)))
    table.update(zip(range(_LOCAL_BASE + 2, end, 3), map(_TEES.__getitem__, local_types)))
    table.update(_IDENTITY)
    table[ord(_RETURN)] = pops + "*"
    return table


def _rewrite(text: str) -> str:
    """``text`` rewritten by the rules until none applies."""
    while True:
        size = len(text)
        text = _EMPTY.sub("", text)
        if "*" in text:
            text = _POLYMORPHIC.sub("*", text)
        if "|" in text:
            text = _ELSE.sub("<", text)
        if "S" in text:
            for rule, result in _SELECTS:
                text = text.replace(rule, result)
        if len(text) == size:
            return text


def check_runs(c: CodeChecker, body: bytes) -> bool:
    """True if the function body ``body`` (its instructions, up to and including the
    final ``end``) is valid for the function whose outer frame ``c`` holds; False if it
    is invalid or if this fast path cannot tell (the caller then checks it exactly)."""
    if not _BODY.fullmatch(body):
        return False
    keys = _KEYS.findall(body)
    if not keys or keys[-1] != b"\x0b":
        return False
    effects = _effects(c.context)
    text = "".join(map(effects.__getitem__, keys))
    if _REJECT in text:
        return False
    labels = effects.labels
    if labels:
        # each branch's label must be an enclosing block's, or the function's (whose
        # label has values if the function has results: left to the exact loop)
        branch_labels = list(map(labels.get, keys, repeat(0)))
        depths = islice(accumulate(map(_DELTAS.get, keys, repeat(0)), initial=1), 1, None)
        compare = lt if c.returns else le
        if not all(map(compare, islice(branch_labels, len(keys) - 1), depths)):
            return False
    translation = _translation(c.local_types, c.returns)
    if translation is None:
        return False
    text = "[" + text[:-1].translate(translation) + translation[ord(_RETURN)][:-1] + "]"
    return not _rewrite(text)


_settled = {"functions": 0, "bytes": 0, "all functions": 0, "all bytes": 0}


def _check_body(c: CodeChecker, function: Function, has_data_count: bool) -> bool:
    """The loading layer's body check with the prototype tried first."""
    if isinstance(function, EncodedFunction) and not function.is_decoded:
        data, start, end = function.encoded
        body = data[start:end]
        _settled["all functions"] += 1
        _settled["all bytes"] += len(body)
        if check_runs(c, body):
            _settled["functions"] += 1
            _settled["bytes"] += len(body)
            return True
    return check_encoded_body(c, function, has_data_count)


def _time(check: Any, data: bytes) -> float:
    load_binary.check_encoded_body = check  # type: ignore[attr-defined]
    cached.forget_validated()
    start = time.process_time()
    wasmem.Module(data, cache_dir="")
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("modules", type=Path, nargs="+")
    args = parser.parse_args()
    print("| module | functions settled | bytes settled | loop ms | prototype first ms "
          "| loop / prototype |")
    print("| --- | --: | --: | --: | --: | --: |")
    ratios = []
    for path in args.modules:
        data = path.read_bytes()
        _settled.update(dict.fromkeys(_settled, 0))
        _time(_check_body, data)
        settled = dict(_settled)
        _time(check_encoded_body, data)
        loop: list[float] = []
        prototype: list[float] = []
        for round_ in range(args.rounds):
            if round_ % 2:
                prototype.append(_time(_check_body, data))
                loop.append(_time(check_encoded_body, data))
            else:
                loop.append(_time(check_encoded_body, data))
                prototype.append(_time(_check_body, data))
        a, b = statistics.median(loop) * 1000, statistics.median(prototype) * 1000
        ratios.append(a / b)
        print(f"| {path.stem} | {settled['functions']}/{settled['all functions']} "
              f"| {settled['bytes'] / max(settled['all bytes'], 1):.2f} | {a:.2f} | {b:.2f} "
              f"| {a / b:.2f} |")
    print(f"geomean loop / prototype: {statistics.geometric_mean(ratios):.2f}")


if __name__ == "__main__":
    main()
