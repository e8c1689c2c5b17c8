"""``wasmem trace FILE [--invoke NAME ARGS...] [--calls] [--memory] [--range START:END]
[--limit N]``: run an export under a trace and print one line per event.

The module's start function runs traced too (held back until the trace is on), and a
WASI program (``_start``, without ``--invoke``) runs as ``wasmem run`` would run it,
with the arguments after ``FILE``, what its WASI calls read and write included."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["add_trace_command", "cmd_trace", "parse_range"]


def add_trace_command(sub: Any, default_fuel: int) -> None:
    """Register the ``trace`` subcommand on the ``wasmem`` parser's subparsers."""
    trace = sub.add_parser("trace", help="call an export and print its calls and memory "
                           "accesses, one line per event")
    trace.add_argument("file", help=".wat or .wasm file")
    trace.add_argument("--invoke", nargs="+", metavar=("NAME", "ARG"),
                       help="exported function to call, then its arguments")
    trace.add_argument("args", nargs="*", metavar="ARG",
                       help="a WASI program's arguments (without --invoke)")
    trace.add_argument("--calls", action="store_true",
                       help="trace calls and returns (default: calls and memory)")
    trace.add_argument("--memory", action="store_true",
                       help="trace loads, stores, fill/copy/init and grow")
    trace.add_argument("--range", metavar="START:END", type=parse_range, default=None,
                       help="only memory events touching addresses START..END-1")
    trace.add_argument("--limit", type=int, default=None, metavar="N",
                       help="print at most N events")
    trace.add_argument("--fuel", type=int, default=default_fuel,
                       help=f"instruction budget (default {default_fuel}; 0 = unlimited)")
    trace.set_defaults(handler=cmd_trace)


def parse_range(text: str) -> tuple[int, int]:
    """``START:END`` (decimal or 0x hex) as a pair.

    Raises:
        argparse.ArgumentTypeError: not two addresses with START <= END.
    """
    try:
        start_text, end_text = text.split(":")
        start, end = int(start_text, 0), int(end_text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not START:END") from None
    if not 0 <= start <= end:
        raise argparse.ArgumentTypeError(f"{text!r}: need 0 <= START <= END")
    return start, end


def cmd_trace(args: argparse.Namespace) -> int:
    """Run the command; return the exit status.

    Raises:
        UsageError: a bad export name or argument (the CLI prints it on one line).
        WasmError: errors of the module or its run.
    """
    from ..cli_support import UsageError
    from ..cli_support import format_value as _format
    from ..cli_support import load_module as _load
    from ..cli_support import parse_argument as _parse_argument
    from ..embedding import Function
    from .program import Program
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must not be negative")
    module = _load(args.file)
    program = Program(module, args.file, invoke=args.invoke is not None,
                      arguments=[] if args.invoke is not None else args.args,
                      fuel=None if args.fuel == 0 else args.fuel)
    instance = program.instance
    steps = program.launch()  # the start function, a WASI program's _start
    if args.invoke is not None:
        name, arguments = args.invoke[0], args.invoke[1:] + args.args
        try:
            function = instance.exports[name]
        except KeyError:
            function = None
        if not isinstance(function, Function):
            names = [n for n, k in module.exports if str(k) == "func"]
            raise UsageError(f"no exported function {name!r} "
                             f"(exported functions: {', '.join(names) or 'none'})")
        params = function.type.params
        if len(arguments) != len(params):
            raise UsageError(f"{name} takes {len(params)} argument(s), got {len(arguments)}")
        values = [_parse_argument(a, t) for a, t in zip(arguments, params)]
        steps.append((name, lambda: function(*values)))
    if not steps:
        return 0
    result = None
    both = not args.calls and not args.memory
    with instance.trace(calls=args.calls or both, memory=args.memory or both,
                        out=sys.stdout, range=args.range, limit=args.limit) as trace:
        try:
            for _label, step in steps:
                result = step()
        finally:
            if trace.dropped:
                print(f"... {trace.dropped} more event(s) not shown (--limit {args.limit})")
            sys.stdout.flush()
    if result is not None and args.invoke is not None:
        for value in result if isinstance(result, tuple) else (result,):
            print(_format(value))
    return 0
