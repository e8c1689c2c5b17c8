"""The interpreting execution tier (spec "Execution / Instructions").

Each function is decoded once per module into a flat program
(:mod:`.decode`), linked once per instance into a list of closures
(:mod:`.ops`, :mod:`.memory`; closures that bind no instance state, such as arithmetic
and branches, are made once per module and shared), and run by a small loop::

    pc = 1
    while pc:
        pc = ops[pc](R)

over the function's register file ``R`` (locals, then one register per operand-stack
position, then a tail-call slot). Block nesting costs no Python recursion; each
WebAssembly call costs two Python frames and counts one in :mod:`..callstack`'s
per-thread depth, so runaway recursion ends as "call stack exhausted".

The callable :func:`interpreter_callable` returns uses the calling convention of every
function (:mod:`wasmem.runtime.functions`): internal values in, ``None``, one value or a
tuple out; calls to other functions go through ``instance.functions[k].call``.
``try_table`` bodies are ranges of the program: a :class:`WasmThrow` raised inside one
is matched against its catch clauses, innermost first. ``return_call`` to another
interpreted function replaces the running one in the same loop (a real tail call); to
any other function it is an ordinary call whose results are returned. Fuel is charged
as the compiling tier charges it, so both tiers consume the same amount.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable
from typing import Any

from ...runtime.exceptions import WasmThrow
from ...runtime.instances import Fuel, ModuleInstance
from ...syntax.module import Module
from .. import callstack, support
from ..collector import collector_paused
from ..estimates import builds_much
from . import handlers  # noqa: F401 - installs the decoder's handlers
from . import inline
from . import stream  # noqa: F401 - installs the decoder from a body's bytes
from .decode import DecodedFunction, ModuleInfo, decode_function
from .entries import ENTRIES
from .linking import Pending, unlinked
from .ops import Closure, LinkContext
from . import pairs

__all__ = ["interpreter_callable", "InterpretedModule", "InstanceCode", "FunctionCode"]

_CACHE_KEY = "_wasmem_interpreted"
_INSTANCE_KEY = "_wasmem_interpreter"
ENTRY_ATTRIBUTE = "_wasmem_interpreted_function"
"""Attribute of an interpreted function's callable: ``(InstanceCode, index)``."""

Catch = tuple[int, Any, int, int, int]  # (kind, tag instance or None, target pc, dest, arity)
Region = tuple[int, int, tuple[Catch, ...]]


class InterpretedModule:
    """Decoded functions of one module, shared by its instances (like CompiledModule)."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.info = ModuleInfo.of(module)
        self.functions: dict[tuple[int, bool], DecodedFunction] = {}
        # key -> closures of the function that no instance state reaches (None elsewhere)
        self.shared: dict[tuple[int, bool], list[Closure | None]] = {}
        # the same, made as lazy linking reaches them (None also where not made yet)
        self.reached: dict[tuple[int, bool], list[Closure | None]] = {}

    @classmethod
    def of(cls, module: Module) -> InterpretedModule:
        """Return the (cached) InterpretedModule of a module."""
        cached = module.__dict__.get(_CACHE_KEY)
        if cached is None:  # threads racing here all get the first one published
            cached = module.__dict__.setdefault(_CACHE_KEY, cls(module))
        return cached  # type: ignore[no-any-return]

    def function(self, index: int, fuel: bool) -> DecodedFunction:
        """Return the decoded function ``index`` (decoding it the first time).

        Raises:
            UnsupportedFeature: if the function uses instructions the interpreter lacks.
        """
        key = (index, fuel)
        decoded = self.functions.get(key)
        if decoded is None:  # published complete; threads racing here may decode twice,
            # and all go on with the first one published
            decoded = self.functions.setdefault(
                key, decode_function(self.info, index, fuel=fuel))
        return decoded

    def shared_closures(self, index: int, fuel: bool) -> list[Closure | None]:
        """The closures of function ``index`` that do not depend on the instance (made
        by factories that never read their link context), shared by all instances;
        None where a closure binds instance state. Raises UnsupportedFeature as
        :meth:`function`."""
        key = (index, fuel)
        shared = self.shared.get(key)
        if shared is None:
            decoded = self.function(index, fuel)
            threaded = decoded.successors
            made: list[Closure | None] = [None] * (len(decoded.makes) + 1)
            known = _CONTEXT_FREE.get
            for pc, (make, dest, args) in enumerate(
                    zip(decoded.makes, decoded.dests, decoded.args), 1):
                free = known(make)
                if free is None:
                    free = _context_free(make)
                if free:
                    made[pc] = make(None, threaded[pc], dest, *args)
            shared = self.shared.setdefault(key, made)  # published complete
        return shared


_CONTEXT_FREE: dict[Any, bool] = {}


def _free(make: Any) -> bool:
    """Whether factory ``make`` makes closures no instance state reaches (cached)."""
    free = _CONTEXT_FREE.get(make)
    return _context_free(make) if free is None else free


def _context_free(make: Any) -> bool:
    """Whether factory ``make`` never reads its first argument, the link context (then
    what it makes holds no instance state: it sees only its other arguments)."""
    known = _CONTEXT_FREE.get(make)
    if known is None:
        code = getattr(make, "__code__", None)
        known = (code is not None and code.co_argcount >= 1 and not code.co_freevars
                 and code.co_varnames[0] == "ctx" and "ctx" not in code.co_cellvars
                 and not _may_use_local_0(code.co_code))
        _CONTEXT_FREE[make] = known
    return known


_KNOWN_LOCAL_OPCODES = {
    b"\xa7\r\r\n": ((124, False), (125, False), (126, False)),  # CPython 3.11
    b"\xcb\r\r\n": ((124, False), (125, False), (126, False), (127, False), (143, False)),  # 3.12
    b"\xf3\r\r\n": ((65, False), (85, False), (86, False), (87, False), (88, True),
                     (110, False), (111, True), (112, True)),  # 3.13
}
""":data:`_LOCAL_OPCODES` by bytecode magic number (the bytecode's numbering is fixed for a
magic number), as :mod:`opcode` gives them: importing it costs 0.4 ms on every process's
first interpreted call. ``tests/exec/interpreter`` checks the entry of the running Python."""


def _local_opcodes() -> tuple[tuple[int, bool], ...]:
    """``(opcode, names two locals)`` of the instructions that name local variables by
    number (``LOAD_FAST``, ``STORE_FAST``..., and the paired forms of later Pythons, whose
    argument holds two numbers of four bits); not the pseudo-instructions of Python 3.12
    on (numbered from 256), which the compiler replaces before bytecode is written."""
    bootstrap = sys.modules.get("_frozen_importlib_external")  # (CPython's import system)
    known = _KNOWN_LOCAL_OPCODES.get(getattr(bootstrap, "MAGIC_NUMBER", b""))
    if known is not None:
        return known
    import opcode
    return tuple((number, name.count("FAST") > 1) for name, number in opcode.opmap.items()
                 if "FAST" in name and number < 256)


_LOCAL_OPCODES = _local_opcodes()
"""See :func:`_local_opcodes`."""


def _may_use_local_0(raw: bytes) -> bool:
    """Whether bytecode ``raw`` may read or write local variable 0 (conservative: an
    argument whose low bits are 0 counts, whatever an ``EXTENDED_ARG`` before it adds).
    A byte search instead of :mod:`dis` (whose import and decoding cost milliseconds
    on the first call of a process)."""
    for number, paired in _LOCAL_OPCODES:
        needle = bytes((number,))
        at = raw.find(needle)
        while at >= 0:
            if not at & 1:  # an instruction (arguments are at odd offsets)
                argument = raw[at + 1]
                if argument == 0 or (paired and (argument >> 4 == 0 or argument & 15 == 0)):
                    return True
            at = raw.find(needle, at + 1)
    return False


LAZY_LINKING = 64
"""Functions of at least this many closures are linked as control first reaches their
closures (:mod:`.linking`); smaller ones at once (linking them all costs less than the
placeholders' bookkeeping: measured on a chain of 400 functions of 7 closures)."""

NEVER = 1 << 62
"""The countdown of a function whose entries nobody counts."""


def _nothing() -> None:
    """What an uncounted function's countdown calls when it expires (after 2**62 calls)."""


class FunctionCode:
    """A function linked to an instance: what the run loop needs (``pending``: None, or
    what links the closures still :func:`.linking.unlinked`)."""

    __slots__ = ("base", "countdown", "expired", "fuel", "fuel_count", "name", "ops",
                 "owner", "pending", "plain", "regions", "results", "template", "weight")

    def __init__(self, ops: list[Closure | None], template: tuple[Any, ...], base: int,
                 results: int, fuel: Fuel | None, fuel_count: int,
                 regions: tuple[Region, ...], name: str) -> None:
        self.ops = ops
        self.template = template
        self.base = base
        self.results = results
        self.fuel = fuel
        self.fuel_count = fuel_count
        self.regions = regions
        self.name = name
        self.weight = callstack.frame_weight(len(template))  # calls it counts for
        self.plain = fuel is None and not regions  # the run loop's fast path
        # entries left before ``expired()`` is called (the tiered mode counts calls)
        self.countdown = NEVER
        self.expired: Callable[[], None] = _nothing
        self.pending: Pending | None = None
        # (weak reference to the state, index) of the function, set by InstanceCode.link:
        # a backtrace reads it from the run loop's ``code`` (after a return_call, its state
        # and index are the caller's); weak, else state and code hold each other in a
        # cycle and a dropped instance's code is left to the collector (test_release.py)
        self.owner: tuple[Callable[[], InstanceCode | None], int] | None = None


class InstanceCode:
    """The interpreter's state for one instance: linked functions, created lazily."""

    run: Callable[..., Any]
    """The general run loop (:func:`_run`), for the direct calls that run their callee."""
    tail_call: Callable[..., Any]
    """The tail-call step (:func:`_tail_call`), as :attr:`run`."""

    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance
        self.module = InterpretedModule.of(instance.module)
        self.codes: list[FunctionCode | None] = [None] * len(instance.functions)
        # each function's entry once made, then this state (a direct call whose callee's
        # ``call`` is its entry here runs the callee itself: .inline._run_call_lines;
        # the only way closures reach the state: exec/release.py empties it in place)
        self.entries: list[Any] = [*[None] * len(instance.functions), self]

    @classmethod
    def of(cls, instance: ModuleInstance) -> InstanceCode:
        """Return the (cached) InstanceCode of an instance."""
        state = instance.__dict__.get(_INSTANCE_KEY)
        if state is None:
            state = cls(instance)
            instance.__dict__[_INSTANCE_KEY] = state
        return state  # type: ignore[no-any-return]

    def link(self, index: int) -> FunctionCode:
        """Decode (if needed) and link function ``index``; return its code, published
        for other calls only once complete (:meth:`build`).

        Raises:
            UnsupportedFeature: if the function uses instructions the interpreter lacks.
        """
        fuel = self.instance.fuel is not None
        if (index, fuel) not in self.module.functions and builds_much(self.instance, index):
            # decoded apart: what lives as long as the module is moved (..collector)
            with collector_paused(moving=True):
                self.module.function(index, fuel)
        with collector_paused():
            code = self.build(index)
        code.owner = (weakref.ref(self), index)
        self.codes[index] = code
        linked = getattr(self.instance.tier, "linked", None)  # the tiered mode counts
        if linked is not None and self.instance.__dict__.get(_INSTANCE_KEY) is self:
            # (not in instrumented copies, wasmem.observe)
            linked(index, self.module.function(index, self.instance.fuel is not None), code)
        return code

    def build(self, index: int) -> FunctionCode:
        """The linked code of function ``index``, not yet published (subclasses wrap its
        closures here: this class links them as they are first reached, :mod:`.linking`;
        those of a subclass that overrides this method are all linked here). Raises
        UnsupportedFeature as :meth:`link`."""
        fuel = self.instance.fuel
        decoded = self.module.function(index, fuel is not None)
        ctx = LinkContext(self.instance, decoded.name, self.entries)
        if len(decoded.makes) >= LAZY_LINKING and type(self).build is InstanceCode.build:
            return self._build_lazily(index, decoded, ctx)
        ops = list(self.module.shared_closures(index, fuel is not None))
        threaded = decoded.successors
        makes, dests, args = decoded.makes, decoded.dests, decoded.args
        for pc, closure in enumerate(ops):
            if closure is None and pc:
                ops[pc] = makes[pc - 1](ctx, threaded[pc], dests[pc - 1], *args[pc - 1])
        if fuel is None and type(self).build is InstanceCode.build and pairs.FUSING:
            pairs.fuse(ops, decoded, ctx, 1, len(ops))
        return FunctionCode(ops, decoded.template, decoded.base, decoded.results, fuel,
                            decoded.fuel_count, self._regions(decoded, ctx), decoded.name)

    def _build_lazily(self, index: int, decoded: DecodedFunction,
                      ctx: LinkContext) -> FunctionCode:
        """:meth:`build`, linking only the runs of closures at the entry and at loop
        headers (the tiered mode wraps those) now, the rest when first reached."""
        key = (index, self.instance.fuel is not None)
        reached = self.module.reached.get(key)
        if reached is None:
            reached = self.module.reached.setdefault(key, [None] * (len(decoded.makes) + 1))
        ops: list[Any] = [unlinked] * (len(decoded.makes) + 1)
        ops[0] = None
        pending = Pending(ctx, decoded, reached, _free,
                          pairs.fuse if self.instance.fuel is None and pairs.FUSING else None)
        pending.link(ops, 1)
        for pc, _height, _loop in decoded.loops:
            if pc > 0 and ops[pc] is unlinked:
                pending.link(ops, pc)
        code = FunctionCode(ops, decoded.template, decoded.base, decoded.results,
                            self.instance.fuel, decoded.fuel_count,
                            self._regions(decoded, ctx), decoded.name)
        code.pending = pending
        return code

    @staticmethod
    def _regions(decoded: DecodedFunction, ctx: LinkContext) -> tuple[Region, ...]:
        """The try_table regions of ``decoded`` with their tags and targets resolved."""
        return tuple(
            (region.start, region.end, tuple(
                (kind, None if tag is None else ctx.tags[tag], label.target(), dest, arity)
                for kind, tag, label, dest, arity in region.catches))
            for region in decoded.regions)


def _catch(regions: tuple[Region, ...], exc: WasmThrow, pc: int, R: list[Any]) -> int:
    """Find the catch clause for ``exc`` raised at ``pc``; store its values, return its target.

    Raises:
        WasmThrow: ``exc`` itself, when no try_table around ``pc`` catches it.
    """
    for start, end, catches in regions:
        if not start <= pc < end:
            continue
        for kind, tag, target, dest, _arity in catches:
            if kind <= 1:  # catch, catch_ref: by tag
                if exc.tag is not tag:
                    continue
                values: tuple[Any, ...] = exc.values
                if kind == 1:
                    values = (*values, exc)
            else:  # catch_all, catch_all_ref
                values = (exc,) if kind == 3 else ()
            if values:
                R[dest:dest + len(values)] = values
            return target
    raise exc


def _tail_call(tail: tuple[Any, tuple[Any, ...]]) -> tuple[FunctionCode | None, Any]:
    """Go on with a pending tail call ``(callee, arguments)``: ``(code, arguments)`` when
    the callee is interpreted (run in the same loop), else ``(None, its results)`` after
    calling it. Raises what the callee raises."""
    callee, args = tail
    target = getattr(callee.call, ENTRY_ATTRIBUTE, None)
    if target is None:
        return None, callstack.spread(len(args))(callee.call, args)
    other, other_index = target
    return other.codes[other_index] or other.link(other_index), args


def _run(state: InstanceCode, index: int, code: FunctionCode, args: Any,
         stack: Any, depth: int) -> Any:
    """The general run loop: run ``code`` (function ``index`` of ``state``) on ``args``
    (fuel, ``try_table``, tail calls), with the thread's ``stack`` counters at ``depth``
    as its entry published them; return its results. Raises what running it raises."""
    catch = _catch
    while True:
        R = [*args, *code.template]
        ops = code.ops
        pc = 1
        code.countdown -= 1
        if code.countdown < 0:
            code.expired()
        if code.plain:  # no fuel, no try_table: the common case
            while pc:
                pc = ops[pc](R)  # type: ignore[misc]
        else:
            fuel = code.fuel
            if fuel is not None:
                fuel.remaining -= code.fuel_count
                if fuel.remaining < 0:
                    raise support.out_of_fuel(code.name, None, None)
            while True:
                try:
                    while pc:
                        pc = ops[pc](R)  # type: ignore[misc]
                    break
                except WasmThrow as exc:
                    pc = catch(code.regions, exc, pc, R)
                    stack.depth = depth  # as published before the throw
        if R[-1] is None:
            break
        following, args = _tail_call(R[-1])
        if following is None:
            return args
        code = following
    n = code.results
    if n == 1:
        return R[code.base]
    if not n:
        return None
    return tuple(R[code.base:code.base + n])


def _call_general(state: InstanceCode, index: int, args: Any) -> Any:
    """Call function ``index`` of ``state`` on ``args`` through the general run loop;
    return its results. Raises what running it raises."""
    code = state.codes[index] or state.link(index)
    stack = callstack.LOCAL.counters  # counted per thread: see .callstack
    caller = stack.depth
    depth = caller + code.weight
    if depth >= callstack.DEEP and (depth > callstack.MAX_CALL_DEPTH or not stack.holding):
        callstack.deeper(depth)
    stack.depth = depth
    try:
        return _run(state, index, code, args, stack, depth)
    finally:
        stack.depth = caller


def _entry(state: InstanceCode, index: int) -> Callable[..., Any]:
    """The general entry of function ``index`` (any number of arguments)."""
    def call(*args: Any) -> Any:
        return _call_general(state, index, args)

    setattr(call, ENTRY_ATTRIBUTE, (state, index))
    call.__name__ = f"F{index}_interpreted"
    return call


InstanceCode.run = staticmethod(_run)
InstanceCode.tail_call = staticmethod(_tail_call)

RUN_LOOPS: set[Any] = inline.RUN_LOOPS
"""The code objects of the loops that run interpreted functions (``_run``, the
fixed-parameter entries of :mod:`.entries` and the direct calls that run their callee,
:mod:`.inline`): a frame of one of them, with its ``code`` (or ``state`` and ``index``)
and ``pc``, is an interpreted activation (:mod:`wasmem.exec.backtrace`)."""


def _fixed_entry(state: InstanceCode, index: int) -> Callable[..., Any]:
    """The entry of function ``index``: one taking exactly its parameters when it has
    at most :data:`.entries.MAX_PARAMETERS` of them, else :func:`_entry`'s."""
    known = state.entries[index]
    if known is not None:
        return known
    count = len(state.instance.functions[index].type.params)
    make = ENTRIES.get(count)
    if make is None:
        return _entry(state, index)
    call: Callable[..., Any] = make(state, index, _call_general, _run, _tail_call)
    setattr(call, ENTRY_ATTRIBUTE, (state, index))
    call.__name__ = f"F{index}_interpreted"
    state.entries[index] = call
    return call


def interpreter_callable(instance: ModuleInstance, index: int) -> Callable[..., Any]:
    """Return the callable running defined function ``index`` of ``instance``.

    The function is decoded and linked on its first call. The callable takes the
    arguments in internal representation and returns ``None``, one value or a tuple
    (the calling convention of :mod:`wasmem.runtime.functions`).

    Calling it raises what running the function raises: :class:`~wasmem.errors.Trap`
    (out of bounds accesses as :class:`~wasmem.memory.linear.OutOfBounds`, fuel as
    :class:`~wasmem.errors.FuelExhausted`), :class:`WasmThrow` for an uncaught exception,
    ``RecursionError`` for runaway recursion (the invoke boundary turns the last two into
    wasmem errors), and :class:`~wasmem.errors.UnsupportedFeature` on the first call of a
    function using instructions the interpreter does not run (GC).
    """
    return _fixed_entry(InstanceCode.of(instance), index)


RUN_LOOPS.update((_run.__code__, *(
    next(c for c in make.__code__.co_consts if getattr(c, "co_name", "") == "call")
    for make in ENTRIES.values())))
