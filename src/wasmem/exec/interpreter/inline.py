"""Interpreter factories written as Python source at import time: inline operators and calls.

See :mod:`.ops` for what a factory is. Writing the hottest operators inline
(``R[dest] = (R[a] + R[b]) & 0xFFFFFFFF`` rather than a call to the numeric library) and
calls with a fixed number of arguments (``f(R[a0], R[a1])``) is worth one generated
function per form; the forms come from the tables here, the expressions from the
compiler's templates (one statement of each operator's meaning for both tiers; tests
compare it with the numeric library).

The sources of the three tables built at import (these operators, the calls, and the
loads and stores of :mod:`.memory`) are also committed as modules, written by
``python -m wasmem.exec.interpreter.regenerate`` (see there; a test checks that they are
what the tables here give): :func:`generate` returns those modules' functions instead of
compiling the same text again in every process, so building the interpreter costs no
compilation (Python's bytecode cache applies) and tracebacks show the files' lines.
Any other source is compiled when asked for and registered in :mod:`linecache`.

The tables of those factories (:data:`HOT`, :data:`CALLS`, :data:`TAIL_CALLS`, and
:mod:`.memory`'s) are :class:`LazyTable` tables: a factory is looked up in its module when
the table is first asked for it, so that the import bundle, which stores those modules
split (:mod:`wasmem.bundle_split`), unmarshals only the factories a process links (a
first result links a few dozen of the 1,100: ``bench/STARTUP.md``, twelfth round).
"""

from __future__ import annotations

import importlib
import itertools
import types
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .. import callstack, support
from ..sourcelines import remember
from .ops import Factory

__all__ = ["HOT", "HOT_NAMES", "HotOp", "COMMUTATIVE", "CALLS", "TAIL_CALLS", "LazyTable",
           "call_factory", "factory", "generate", "source_name"]



HOT_NAMES: tuple[str, ...] = (
    *(f"{t}.{op}" for t in ("i32", "i64")
      for op in ("add", "sub", "mul", "and", "or", "xor", "shl", "shr_u", "shr_s", "eqz", "eq",
                 "ne", "lt_u", "lt_s", "gt_u", "gt_s", "le_u", "le_s", "ge_u", "ge_s")),
    "i32.wrap_i64", "i64.extend_i32_u", "i64.extend_i32_s",
    *(f"{t}.{op}" for t in ("f32", "f64") for op in ("eq", "ne", "lt", "gt", "le", "ge")),
    "f64.add", "f64.sub", "f64.mul",
    *(f"{t}.{op}" for t in ("i32", "i64")
      for op in ("rotl", "rotr", "clz", "ctz", "popcnt", "extend8_s", "extend16_s")),
    "i64.extend32_s", "f64.convert_i32_s", "f64.convert_i32_u",
)
"""The operators written inline; their expressions are the compiler's
(:data:`wasmem.exec.compiler.ops.TEMPLATES`), so each is said once. (Rotations, bit
counts and sign extensions were Python calls to the numeric library before: a cipher's
rounds made 750,000 of them, ``bench/interpreter.md``.)"""


def _hot_table() -> tuple[dict[str, str], dict[str, str]]:
    """Expressions of the hottest operators over ``{0}``, ``{1}``: (values, conditions).
    (A template that reads an operand twice gets the registers' values in variables
    first: see :func:`_hot_source`.)

    Raises:
        RuntimeError: if a template of :data:`HOT_NAMES` could trap or names a library
            function (an inline form could not use it).
    """
    from ..compiler.ops import TEMPLATES  # only to write the source (see generate)
    values: dict[str, str] = {}
    conditions: dict[str, str] = {}
    for name in HOT_NAMES:
        template = TEMPLATES[name]
        if template.traps or "n_" in template.template:
            raise RuntimeError(f"{name} cannot be written inline")
        (conditions if template.boolean else values)[name] = template.template
    return values, conditions


COMMUTATIVE = frozenset(f"{t}.{op}" for t in ("i32", "i64")
                        for op in ("add", "mul", "and", "or", "xor", "eq", "ne"))
"""Integer operators whose operands may be swapped (to put a constant second)."""


TESTED_VALUES = frozenset(f"{t}.{op}" for t in ("i32", "i64") for op in ("and", "or", "xor"))
"""Value operators that a following ``br_if`` or ``if`` may absorb too (testing the value
for zero: ``if (flags & BIT)``), as it absorbs comparisons."""


class HotOp:
    """Inline factories of one operator.

    ``value[shape]`` computes into a register; for comparisons (and :data:`TESTED_VALUES`),
    ``branch[shape]`` is the fused ``br_if`` (``(ctx, nxt, dest, label, *operands)``) and
    ``skip[shape]`` the fused ``if`` (``(ctx, nxt, dest, else_label, *operands)``).
    Shapes: ``"r"`` (one register), ``"rr"`` (two registers), ``"rc"`` (a register and a
    constant), ``"cr"`` (a constant and a register; not for :data:`COMMUTATIVE` operators,
    whose operands are swapped instead).
    """

    __slots__ = ("branch", "skip", "value")

    def __init__(self) -> None:
        self.value: dict[str, Factory] = {}
        self.branch: dict[str, Factory] = {}
        self.skip: dict[str, Factory] = {}


class LazyTable(dict[Any, Any]):
    """A table whose value for each of its ``keys`` is ``make(key)``, made when the key is
    first looked up: ``table[key]`` then costs a dict's lookup (:meth:`__missing__`
    makes a value once); ``get``, ``in``, ``len`` and iteration see every key, and the
    views (``keys``, ``values``, ``items``) and comparisons make every value first.
    Two threads making one value keep the first stored. ``table[key]`` raises KeyError
    for a key not among ``keys``, and what ``make`` raises."""

    __slots__ = ("_keys", "_make")

    def __init__(self, keys: Iterable[Any], make: Callable[[Any], Any]) -> None:
        super().__init__()
        self._keys = dict.fromkeys(keys)
        self._make = make

    def __missing__(self, key: Any) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return self.setdefault(key, self._make(key))

    def _made(self) -> LazyTable:
        """The table with every value made, in the order of its keys."""
        if dict.__len__(self) != len(self._keys) or list(dict.keys(self)) != list(self._keys):
            items = [(key, self[key]) for key in self._keys]
            self.clear()
            self.update(items)
        return self

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if key in self._keys else default

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._keys)

    def keys(self) -> Any:
        return dict.keys(self._made())

    def values(self) -> Any:
        return dict.values(self._made())

    def items(self) -> Any:
        return dict.items(self._made())

    def __eq__(self, other: object) -> bool:
        return dict.__eq__(self._made(), other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return dict.__repr__(self._made())


def factory(namespace: dict[str, Any], name: str) -> Any:
    """The function ``name`` of a namespace :func:`generate` returned: the module's own
    (a module split in the import bundle makes it at its first lookup, through its
    ``__getattr__``). Raises KeyError when it has none."""
    found = namespace.get(name)
    if found is None:
        lookup = namespace.get("__getattr__")
        try:
            found = lookup(name) if lookup is not None else None
        except AttributeError:
            found = None
        if found is None:
            raise KeyError(name)
    return found


def source_name(name: str) -> str:
    """The file name under which the factory source called ``name`` is compiled (and kept
    in :mod:`linecache`)."""
    return f"<wasmem.exec.interpreter: {name}>"


_unnamed = itertools.count(1)

COMMITTED = {"inline operators": "gen_operators", "calls": "gen_calls",
             "loads and stores": "gen_accesses", "entries": "gen_entries",
             "pairs": "gen_pairs"}
"""Names of the sources committed as modules of this package -> the module's name."""

recording: dict[str, str] | None = None
"""While not None (:mod:`.regenerate`), :func:`generate` compiles every source and keeps
the committed ones' text here by name."""


def generate(source: str | Callable[[], str], namespace: dict[str, Any],
             name: str | None = None) -> dict[str, Any]:
    """Compile factory ``source`` as the file :func:`source_name` (``name``; without one,
    a numbered name), run it in ``namespace`` and return the namespace. The source is
    registered in :mod:`linecache` (without a modification time, so
    ``linecache.checkcache`` keeps it), so tracebacks and debuggers show the lines of
    these factories. ``source`` may be a function returning it, called only if the
    source is needed.

    A ``name`` of :data:`COMMITTED` is not compiled: its module (the same text, written
    by :mod:`.regenerate`) is imported, ``namespace`` is bound as its globals and its
    namespace returned (when that module is missing, as before its first regeneration,
    the source is compiled).

    Raises whatever compiling or running ``source`` raises (a bug here, not a user error).
    """
    if name in COMMITTED:
        if recording is None:
            full = f"{__package__}.{COMMITTED[name]}"
            try:
                module = importlib.import_module(full)
            except ModuleNotFoundError as exc:
                if exc.name != full:
                    raise
            else:
                found = module.__dict__
                lazy = {item[0] for item in found.get("__lazy_functions__", ())}
                for key in namespace:  # a global must not replace a generated function
                    if key in lazy or getattr(found.get(key), "__module__", None) == full:
                        raise RuntimeError(f"{full}: the global {key!r} would replace "
                                           "a generated function")
                found.update(namespace)
                return found
    source = _bind_free_variables(source if isinstance(source, str) else source())
    if name in COMMITTED and recording is not None:
        recording[name] = source
    filename = source_name(name if name is not None else f"factories {next(_unnamed)}")
    code = compile(source, filename, "exec")
    remember(filename, source)
    exec(code, namespace)
    return namespace


def _bind_free_variables(source: str) -> str:
    """``source`` with each closure ``def op(R):`` nested in a factory taking the factory's
    variables it reads as defaults (``def op(R, dest=dest, nxt=nxt):``) instead of cells.

    A closure then costs the collector one function and one tuple instead of one more
    cell per variable (cells were over a third of the objects a run of a 300 KB C library
    left for the collector to walk, ``bench/tiering.md``), is cheaper to make, and runs as
    fast. The factories bind every such variable before they define the closure, and
    closures are called with ``R`` only; a closure defined otherwise is left as it is.

    Raises:
        SyntaxError: if ``source`` does not compile (a bug in a table).
    """
    lines = source.split("\n")
    for factory in compile(source, "<factories>", "exec").co_consts:
        if not isinstance(factory, types.CodeType):
            continue
        for inner in factory.co_consts:
            if not isinstance(inner, types.CodeType) or not inner.co_freevars:
                continue
            number = inner.co_firstlineno - 1
            head = f"def {inner.co_name}(R):"
            if lines[number].strip() != head:
                continue
            bound = ", ".join(f"{v}={v}" for v in inner.co_freevars)
            lines[number] = lines[number].replace(head, f"def {inner.co_name}(R, {bound}):")
    return "\n".join(lines)


def _hot_source() -> str:
    """The source of the inline operators' factories; it ends with ``FORMS``, a tuple of
    ``(operator, kind, shape, factory name)``."""
    values, conditions = _hot_table()
    lines: list[str] = []
    names: list[tuple[str, str, str, str]] = []  # (op name, kind, shape, function name)
    shapes = {"r": ("a", ("R[a]",)), "rr": ("a, b", ("R[a]", "R[b]")),
              "rc": ("a, b", ("R[a]", "b")), "cr": ("a, b", ("a", "R[b]"))}
    for k, (name, expr) in enumerate([*values.items(), *conditions.items()]):
        is_condition = name in conditions
        arity = 1 if "{1}" not in expr else 2
        twice = expr.count("{0}") > 1 or expr.count("{1}") > 1
        for shape, (params, operands) in shapes.items():
            if (arity == 1) != (shape == "r") or (shape == "cr" and name in COMMUTATIVE):
                continue
            reads: list[str] = []
            if twice:  # each register read once, into a variable (x, y)
                reads = [f"        {v} = {o}" for v, o in zip("xy", operands) if o[0] == "R"]
                operands = tuple(v if o[0] == "R" else o for v, o in zip("xy", operands))
            text = expr.format(*operands)
            value = f"1 if {text} else 0" if is_condition else text
            fname = f"v{k}_{shape}"
            lines += [f"def {fname}(ctx, nxt, dest, {params}):",
                      "    def op(R):",
                      *reads,
                      f"        R[dest] = {value}",
                      "        return nxt",
                      "    return op"]
            names.append((name, "value", shape, fname))
            if not is_condition and name not in TESTED_VALUES:
                continue
            if twice:  # (the fused branches below read the operands as they are)
                raise RuntimeError(f"{name} cannot be fused with a branch")
            for kind, body in (("branch", f"return t if {text} else nxt"),
                               ("skip", f"return nxt if {text} else t")):
                fname = f"{kind[0]}{k}_{shape}"
                lines += [f"def {fname}(ctx, nxt, dest, label, {params}):",
                          "    t = label.target()",
                          "    def op(R):",
                          f"        {body}",
                          "    return op"]
                names.append((name, kind, shape, fname))
    lines.append("FORMS = (")
    lines += [f"    {form!r}," for form in names]
    lines.append(")")
    return "\n".join(lines) + "\n"


HOT_FACTORY_NAMES: dict[tuple[str, str, str], str] = {}
"""(operator, kind, shape) -> the ``__name__`` of its factory in :data:`HOT` (known
without making the factory: :mod:`.pairs` looks pairs up by name)."""


def _build_hot() -> dict[str, HotOp]:
    """:data:`HOT`: each operator's factories looked up when it is first asked for."""
    namespace = generate(_hot_source, {}, "inline operators")
    forms: dict[str, list[tuple[str, str, str]]] = {}
    for name, kind, shape, fname in namespace["FORMS"]:
        forms.setdefault(name, []).append((kind, shape, fname))
        HOT_FACTORY_NAMES[name, kind, shape] = fname

    def make(name: str) -> HotOp:
        hot = HotOp()
        for kind, shape, fname in forms[name]:
            getattr(hot, kind)[shape] = factory(namespace, fname)
        return hot
    return LazyTable(forms, make)


HOT: dict[str, HotOp] = _build_hot()
"""Text name -> inline factories, for the operators worth writing inline."""


# ---------------------------------------------------------------- calls

_MAX_FIXED_ARGS = 8


def _build_calls() -> tuple[dict[tuple[str, int], Factory], dict[str, Factory]]:
    """Generate call factories per callee kind and argument count.

    Fixed-arity calls (``f(R[a0], R[a1])``) keep CPython's calls between Python
    functions inlined in its evaluation loop, so deep WebAssembly recursion costs Python
    frames but not C stack.
    """
    namespace = generate(_calls_source, {
        "indirect": support.indirect, "indirect_check": support.indirect_check,
        "call_ref": support.call_ref, "spread": callstack.spread,
        "local": callstack.LOCAL, "deep": callstack.DEEP, "limit": callstack.MAX_CALL_DEPTH,
        "deeper": callstack.deeper}, "calls")
    calls, tails = namespace["CALL_FORMS"], namespace["TAIL_FORMS"]
    return (LazyTable(calls, lambda key: _with_run_loops(factory(namespace, calls[key]))),
            LazyTable(tails, lambda key: factory(namespace, tails[key])))


def _calls_source() -> str:
    """The source of the call factories; it ends with ``CALL_FORMS`` (``(kind, argument
    count)`` -> factory name) and ``TAIL_FORMS`` (kind -> factory name)."""
    prologues = {
        "direct": ["callee = ctx.functions[target]"],
        "indirect": ["table_index, type_index, x = target",
                     "table = ctx.tables[table_index]",
                     "elements = table.elements",
                     "key = ctx.instance.type_key(type_index)"],
        "ref": ["x = target"],
    }
    lookups = {
        "direct": ["f = callee.call"],
        "indirect": ["i = R[x]",
                     "f = elements[i] if i < len(elements) else indirect(table, i, key)",
                     "if f is None or f.key is not key:",
                     "    f = indirect_check(f, key, i)",
                     "f = f.call"],
        "ref": ["f = call_ref(R[x])"],
    }
    tail_lookups = {
        "direct": ["f = callee"],
        "indirect": lookups["indirect"][:-1],
        "ref": ["f = R[x]", "if f is None:", "    call_ref(f)"],
    }
    lines: list[str] = []
    calls: dict[tuple[str, int], str] = {}
    tails: dict[str, str] = {}
    for kind in prologues:
        for count in range(_MAX_FIXED_ARGS + 1):
            params = "".join(f", a{i}" for i in range(count))
            args = ", ".join(f"R[a{i}]" for i in range(count))
            fname = f"call_{kind}_{count}"
            calls[kind, count] = fname
            lines.append(f"def {fname}(ctx, nxt, dest, target, results{params}):")
            lines += [f"    {line}" for line in prologues[kind]]
            if kind == "direct":
                lines += _run_call_lines(args)
            for results, store in (("0", ""), ("1", "R[dest] = "),
                                   ("n", "R[dest:end] = ")):
                condition = {"0": "if results == 0:", "1": "if results == 1:",
                             "n": "end = dest + results"}[results]
                lines.append(f"    {condition}")
                indent = "        " if results != "n" else "    "
                lines.append(f"{indent}def op(R):")
                lines += [f"{indent}    {line}" for line in lookups[kind]]
                # the thread's call depth as this activation published it: compiled
                # callees publish theirs and leave it (exec/callstack.py)
                lines.append(f"{indent}    counters = local.counters")
                lines.append(f"{indent}    depth = counters.depth")
                lines.append(f"{indent}    {store}f({args})")
                lines.append(f"{indent}    counters.depth = depth")
                lines.append(f"{indent}    return nxt")
                lines.append(f"{indent}return op")
        fname = f"tail_{kind}"
        tails[kind] = fname
        lines.append(f"def {fname}(ctx, nxt, dest, target, results, *arguments):")
        lines += [f"    {line}" for line in prologues[kind]]
        lines.append("    def op(R):")
        lines += [f"        {line}" for line in tail_lookups[kind]]
        lines.append("        R[-1] = (f, tuple([R[i] for i in arguments]))")
        lines.append("        return 0")
        lines.append("    return op")
        # a call with more arguments than the fixed forms: a list of registers
        fname = f"call_{kind}_many"
        calls[kind, -1] = fname
        lines.append(f"def {fname}(ctx, nxt, dest, target, results, *arguments):")
        lines += [f"    {line}" for line in prologues[kind]]
        lines.append("    end = dest + results")
        lines.append("    spread_call = spread(len(arguments))  # no C recursion")
        lines.append("    def op(R):")
        lines += [f"        {line}" for line in lookups[kind]]
        lines.append("        counters = local.counters")
        lines.append("        depth = counters.depth")
        lines.append("        out = spread_call(f, [R[i] for i in arguments])")
        lines.append("        counters.depth = depth")
        lines.append("        if results == 1:")
        lines.append("            R[dest] = out")
        lines.append("        elif results:")
        lines.append("            R[dest:end] = out")
        lines.append("        return nxt")
        lines.append("    return op")
    lines.append(f"CALL_FORMS = {calls!r}")
    lines.append(f"TAIL_FORMS = {tails!r}")
    return "\n".join(lines) + "\n"


def _run_call_lines(args: str) -> list[str]:
    """The lines of a direct call's factory (after its prologue) that make a closure
    running a callee of the same instance's interpreter state in its own frame while the
    callee's ``call`` is that state's entry (``ctx.entries``, the state's: the
    entry's work written out (see :mod:`.entries`; the closure's locals ``code`` and
    ``pc`` are the callee's, as a run loop's, :data:`RUN_LOOPS`), one Python frame and
    one thread-local look-up fewer a call. Any other callable (a translated function, a
    stub, an entry with fuel or ``try_table``) is called as the other forms call it."""
    values = args + ", " if args else ""
    lines = ["    entries = ctx.entries",
             "    if entries is not None and callee.instance is ctx.instance:",
             "        end = dest + results"]
    for results, store, out in (
            ("0", "", ""), ("1", "R[dest] = ", "R[dest] = Q[code.base]"),
            ("n", "R[dest:end] = ", "R[dest:end] = Q[code.base:code.base + results]")):
        body = [
            "def call_run(R):",
            "    f = callee.call",
            "    if f is not entries[target]:",
            "        counters = local.counters",
            "        depth = counters.depth",
            f"        {store}f({args})",
            "        counters.depth = depth",
            "        return nxt",
            "    home = entries[-1]",
            "    code = home.codes[target] or home.link(target)",
            "    if not code.plain:  # fuel or try_table: the entry's general loop",
            "        pc = 0  # (a backtrace shows that loop's frame, not this one)",
            f"        {store}f({args})",
            "        return nxt",
            "    stack = local.counters  # counted per thread: see exec/callstack.py",
            "    caller = stack.depth",
            "    depth = caller + code.weight",
            "    if depth >= deep and (depth > limit or not stack.holding):",
            "        deeper(depth)",
            "    stack.depth = depth",
            "    try:",
            "        code.countdown -= 1",
            "        if code.countdown < 0:",
            "            code.expired()",
            f"        Q = [{values}*code.template]",
            "        ops = code.ops",
            "        pc = 1",
            "        while pc:",
            "            pc = ops[pc](Q)",
            "        if Q[-1] is not None:  # a tail call: go on in the general loop",
            "            following, out = home.tail_call(Q[-1])",
            "            if following is not None:",
            "                out = home.run(home, target, following, out, stack, depth)",
            *([f"            {store}out"] if store else []),
            "            return nxt",
            *([f"        {out}"] if out else []),
            "    finally:",
            "        stack.depth = caller",
            "    return nxt",
            "return call_run"]
        if results == "n":
            lines += [f"        {line}" for line in body]
        else:
            lines.append(f"        if results == {results}:")
            lines += [f"            {line}" for line in body]
    return lines


RUN_LOOPS: set[Any] = set()
"""The code objects of the run loops: the general loop's and the entries' (added by
:mod:`wasmem.exec.interpreter`) and the direct calls' running their callee
(:func:`_run_call_lines`), added as their factories are made."""


def _with_run_loops(made: Any) -> Any:
    """Add the run loops of call factory ``made`` to :data:`RUN_LOOPS`; return it."""
    RUN_LOOPS.update(inner for inner in made.__code__.co_consts
                     if isinstance(inner, types.CodeType) and inner.co_name == "call_run")
    return made


CALLS, TAIL_CALLS = _build_calls()
"""``CALLS[kind, argument count]`` (count -1: any) and ``TAIL_CALLS[kind]``; kinds are
"direct" (target: function index), "indirect" (target: (table, type index, register of
the element index)) and "ref" (target: register of the function reference). Factory
arguments: ``(ctx, nxt, dest, target, result count, *argument registers)``; results go
to ``dest``, ``dest + 1``, ... A tail call leaves ``(function, arguments)`` in the last
register and ends the function; the interpreter's loop makes the call."""


def call_factory(kind: str, count: int) -> Factory:
    """Return the factory for a call of ``kind`` with ``count`` arguments."""
    return CALLS[kind, count if count <= _MAX_FIXED_ARGS else -1]

