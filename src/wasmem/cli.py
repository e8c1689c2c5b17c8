"""The ``wasmem`` command line.

Every failure a user can cause ends in a one-line message on stderr (with line:col or
byte offset where there is one) and a non-zero exit status; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .errors import Exit, FuelExhausted, InvocationError, Trap, WasmError
from .cli_support import UsageError
from .cli_support import format_value as _format
from .cli_support import load_module as _load
from .cli_support import parse_argument as _parse_argument
from .exec.tier_names import DEFAULT_TIER, TIERS

__all__ = ["main"]

DEFAULT_FUEL = 50_000_000
"""Instruction budget of ``wasmem run --invoke`` unless ``--fuel`` says otherwise (0 =
unlimited). A WASI program started through ``_start`` runs without a budget by default."""


TRAP_STATUS = 134
"""Exit status of ``wasmem run`` when a WASI program traps: 128 + SIGABRT, as wasmtime."""

EXIT_STATUSES = """\
exit status:
  0    success
  1    the input failed: a module cannot be read, parsed, decoded, validated or
       linked, or it trapped; `wast` had failures; `lint` found something
  2    usage error: bad option or argument, unknown export, wrong arguments
  3    `run` stopped: all fuel consumed (raise --fuel, or 0 for no limit)
  70   internal error in wasmem (a bug: please report; WASMEM_DEBUG=1 shows it)
  130  interrupted (Ctrl-C)
  134  a WASI program run through its _start trapped (else `run` exits with the
       program's own exit code, as wasmtime does)
"""
"""The exit statuses of ``wasmem``, as ``--help`` prints them (and the README lists)."""


def _count(text: str) -> int:
    """An argparse type: a non-negative integer (``--fuel``, ``--max-pages``)."""
    try:
        value = int(text.replace("_", ""), 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid count: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _wast_word(command: str) -> str:
    """The script keyword of a command class: ``AssertReturn`` -> ``assert_return``."""
    special = {"ModuleCommand": "module", "InstanceCommand": "module instance",
               "ActionCommand": "action"}
    return special.get(command, re.sub(r"(?<!^)(?=[A-Z])", "_", command).lower())


def cmd_run(args: argparse.Namespace) -> int:
    from .progress import RunProgress
    with RunProgress() as progress:
        return _run(args, progress)


def _run(args: argparse.Namespace, progress: Any) -> int:
    from .wasi.command import start_wasi, wants_wasi
    module = _load(args.file)
    wasi = wants_wasi(module, args.invoke is not None)
    if args.fuel is None:
        args.fuel = 0 if wasi and args.invoke is None else DEFAULT_FUEL
    fuel = None if args.fuel == 0 else args.fuel
    if wasi:
        guest = getattr(args, "guest_args", []) or (args.args if args.invoke is None else [])
        try:
            instance, status = start_wasi(module, args, guest, fuel=fuel)
        except Trap as exc:
            if isinstance(exc, FuelExhausted):
                raise
            print(f"wasmem: {type(exc).__name__}: {_one_line(exc, args.file)}",
                  file=sys.stderr)
            return TRAP_STATUS
        if args.invoke is None:
            return status
    else:
        from .emscripten import instance_for  # Instance, with env.invoke_* if imported
        instance = instance_for(module, fuel=fuel, max_memory_pages=args.max_pages,
                                tier=args.tier)
        progress.counter = lambda: instance.fuel_consumed
    if args.invoke is None:
        return 0
    _invoke(instance, args.invoke + args.args)
    return 0


def _invoke(instance: Any, invoke: list[str]) -> None:
    """Call the export ``invoke[0]`` with the arguments ``invoke[1:]``; print its results.

    Raises:
        UsageError: no such exported function, or wrong arguments. Trap: as the call.
    """
    from .embedding import Function
    name, arguments = invoke[0], invoke[1:]
    try:
        function = instance.exports[name]
    except KeyError:
        names = [n for n, k in instance.module.exports if str(k) == "func"]
        raise UsageError(f"no exported function {name!r} "
                         f"(exported functions: {', '.join(names) or 'none'})") from None
    if not isinstance(function, Function):
        raise UsageError(f"export {name!r} is not a function")
    params = function.type.params
    if len(arguments) != len(params):
        from .exec.invoke import arity_error
        raise UsageError(str(arity_error(name, function.type, len(arguments))))
    values = [_parse_argument(a, t) for a, t in zip(arguments, params)]
    result = function(*values)
    if result is None:
        return
    for value in result if isinstance(result, tuple) else (result,):
        print(_format(value))


def cmd_validate(args: argparse.Namespace) -> int:
    _load(args.file)
    print("ok")
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    module = _load(args.file)
    data = module.to_bytes()
    output = args.output or os.path.splitext(args.file)[0] + ".wasm"
    directory = os.path.dirname(os.path.abspath(output))
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".wasmem-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
        os.replace(temp, output)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from .text import print_module
    sys.stdout.write(print_module(_load(args.file).ast))
    return 0


def cmd_wast(args: argparse.Namespace) -> int:
    from .script.engine import WasmemEngine
    from .script.runner import run_file, wast_files
    files = wast_files(args.paths)
    if not files:
        raise UsageError("no .wast files found")
    for path in files:
        if not os.path.exists(path):
            raise UsageError(f"no such file: {path}")
    from .progress import LineProgress
    engine = WasmemEngine(tier=args.tier)
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    progress = LineProgress()
    for number, path in enumerate(files, 1):
        progress.show(f"[{number}/{len(files)}] {os.path.basename(path)}")
        try:
            report = run_file(path, engine=engine)
        finally:
            progress.clear()
        passed, failed, skipped = (report.count(s) for s in ("passed", "failed", "skipped"))
        totals.update(passed=passed, failed=failed, skipped=skipped)
        reasons.update(report.skip_reasons())
        extra = ""
        if skipped:
            extra = " [skipped: " + ", ".join(
                f"{r} {n}" for r, n in sorted(report.skip_reasons().items())) + "]"
        print(f"{path}: {passed} passed, {failed} failed, {skipped} skipped "
              f"({report.seconds:.2f}s){extra}")
        if args.verbose:
            for outcome in report.outcomes:
                if outcome.status == "failed":
                    print(f"  {path}:{outcome.line}: {_wast_word(outcome.command)}: "
                          f"{outcome.detail}")
        sys.stdout.flush()
    if reasons:
        print("skipped by reason: " + ", ".join(f"{r} {n}" for r, n in sorted(reasons.items())))
    print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
    return 1 if totals["failed"] else 0


def cmd_map(args: argparse.Namespace) -> int:
    from .memory.heat import HeatCounter
    from .memory.map_command import prepare, run_map
    heat = HeatCounter() if args.trace else None
    instance, ended = prepare(_load(args.file), args.file, args.invoke, tier=args.tier,
                              call=_invoke, heat=heat)
    try:
        return run_map(instance, args.file, ended, args.html, heat)
    except OSError as exc:
        raise UsageError(f"cannot write {args.html}: {exc.strerror or exc}") from None


def cmd_lint(args: argparse.Namespace) -> int:
    from .tools.lint import lint_file
    total = 0
    for path in args.files:
        findings = lint_file(path)
        total += len(findings)
        for finding in findings:
            print(finding.format(path))
        if not findings and not args.quiet:
            print(f"{path}: no findings")
    return 1 if total else 0


def cmd_tour(args: argparse.Namespace) -> int:
    from .tools.tour import TourError, run_tour
    try:
        return run_tour(topics=["list"] if args.list else args.topics,
                        examples=args.examples)
    except TourError as exc:
        raise UsageError(str(exc)) from None


def cmd_heap(args: argparse.Namespace) -> int:
    from .tools.alloc.command import cmd_heap as run
    return run(args)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``wasmem`` command."""
    from . import __version__
    parser = argparse.ArgumentParser(
        prog="wasmem", description="A WebAssembly engine built around linear memory.",
        epilog=EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"wasmem {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run", help="run a WASI program, or instantiate a module and call an export",
        usage="wasmem run [--env NAME=VALUE]... [--dir HOST[::GUEST]]... FILE [ARGS...]\n"
              "       wasmem run FILE --invoke NAME [ARG...] [--fuel N]",
        description="Run a WASI program (its _start; arguments after FILE are its own, "
                    "after -- if one looks like an option here), or call an export.")
    run.add_argument("file", help=".wat or .wasm file")
    run.add_argument("--invoke", nargs="+", metavar=("NAME", "ARG"),
                     help="exported function to call, then its arguments "
                     "(ints, floats, hex, nan, inf)")
    run.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    run.add_argument("--fuel", type=_count, default=None,
                     help=f"instruction budget (0 = unlimited; default: unlimited for a WASI "
                     f"program's _start, else {DEFAULT_FUEL})")
    run.add_argument("--env", action="append", metavar="NAME=VALUE",
                     help="WASI: set an environment variable (NAME alone: the host's value)")
    run.add_argument("--dir", action="append", metavar="HOST[::GUEST]",
                     help="WASI: give the guest a host directory (as GUEST, default HOST)")
    run.add_argument("--tier", choices=TIERS, default=DEFAULT_TIER,
                     help=f"execution tier (default: {DEFAULT_TIER})")
    run.add_argument("--max-pages", type=_count, default=None,
                     help="cap on the size of memories, in 64 KiB pages")
    run.set_defaults(handler=cmd_run)

    from .observe.cli_trace import add_trace_command
    add_trace_command(sub, DEFAULT_FUEL)
    from .observe.cli_debug import add_debug_command
    add_debug_command(sub, DEFAULT_FUEL)

    validate = sub.add_parser("validate", help="parse/decode and validate a module")
    validate.add_argument("file")
    validate.set_defaults(handler=cmd_validate)

    compile_ = sub.add_parser("compile", help="write the binary encoding of a module")
    compile_.add_argument("file")
    compile_.add_argument("-o", "--output", help="output .wasm file")
    compile_.set_defaults(handler=cmd_compile)

    print_ = sub.add_parser("print", help="print a module (.wasm or .wat) as text")
    print_.add_argument("file")
    print_.set_defaults(handler=cmd_print)

    wast = sub.add_parser("wast", help="run spec scripts (.wast files or folders)")
    wast.add_argument("paths", nargs="+")
    wast.add_argument("--verbose", "-v", action="store_true",
                      help="print every failing command with its line")
    wast.add_argument("--tier", choices=TIERS, default=DEFAULT_TIER)
    wast.set_defaults(handler=cmd_wast)

    map_ = sub.add_parser("map", help="the regions of each memory: data, stack, heap, zeros",
                          description="Instantiate a module (run a WASI program's _start, or "
                          "call --invoke) and show what owns each part of its memories.")
    map_.add_argument("file", help=".wat or .wasm file")
    map_.add_argument("--invoke", nargs="+", metavar=("NAME", "ARG"),
                      help="exported function to call first, then its arguments")
    map_.add_argument("--html", metavar="OUT.html", help="also write the map as a web page")
    map_.add_argument("--tier", choices=TIERS, default=DEFAULT_TIER)
    map_.add_argument("--trace", action="store_true", help="count the run's reads and "
                      "writes: per region in the table, as a heat map in the page")
    map_.set_defaults(handler=cmd_map)

    lint = sub.add_parser("lint", help="static checks for loop and memory mistakes")
    lint.add_argument("files", nargs="+", metavar="FILE", help=".wat or .wasm file")
    lint.add_argument("--quiet", "-q", action="store_true",
                      help="print nothing for files without findings")
    lint.set_defaults(handler=cmd_lint)

    tour = sub.add_parser("tour", help="a tour of linear memory with chapter 5's examples")
    tour.add_argument("topics", nargs="*", metavar="TOPIC",
                      help="topics to show (default: all; --list names them)")
    tour.add_argument("--examples", metavar="DIR",
                      help="folder of the chapter 5 examples (default: the installed ones)")
    tour.add_argument("--list", action="store_true", help="list the topics")
    tour.set_defaults(handler=cmd_tour)

    heap = sub.add_parser("heap", help="walk and check the heap of a module after calls")
    heap.add_argument("file", help=".wat/.wasm module (or an allocator name: bump, tlsf, ...)")
    heap.add_argument("--invoke", nargs="+", action="append", metavar=("NAME", "ARG"),
                      help="call an export first (repeatable, in order; default: "
                      "_start of a WASI command)")
    heap.add_argument("--allocator", help="bump, freelist, freelist-best, pools, buddy, "
                      "tlsf or dlmalloc (default: detected)")
    heap.add_argument("--html", metavar="OUT.html", help="also write a self-contained page")
    heap.add_argument("--all", action="store_true", help="list every block (default: 40)")
    heap.add_argument("--map", action="store_true", help="also print the memory map, with "
                      "the heap's start, end and largest free block marked")
    heap.set_defaults(handler=cmd_heap)
    for command in sub.choices.values():  # ``--invoke f -inf -0x10 -1e-5``: arguments
        command._negative_number_matcher = NEGATIVE_ARGUMENT
    return parser


NEGATIVE_ARGUMENT = re.compile(r"^-(?:\.?\d|inf|nan)")
"""What a subcommand reads as a negative number, an argument, not an option: every form
``--invoke`` takes (argparse's own pattern knows only ``-1`` and ``-1.5``)."""


def _one_line(exc: WasmError, file: str | None = None) -> str:
    """An error on one line. A trap is named like the other errors, ``FILE:PLACE:
    message (in FUNCTION)``, its place that of the innermost wasm frame (``line:col``
    of a text module, ``@0x...`` of a binary; ``str(trap)`` has the whole backtrace on
    further lines)."""
    text = str(exc)
    if isinstance(exc, Trap):
        text = text.split("\nwasm backtrace:", 1)[0]
        if not isinstance(exc, FuelExhausted) and not exc.location():  # that one has it
            frame = exc.frames[0] if exc.frames else None
            place = [file] if file else []
            if frame is not None and frame.where():
                place.append(frame.where())
            if place:
                text = f"{':'.join(place)}: {text}"
            if frame is not None:
                text += f" (in {replace(frame, line=None, column=None, offset=None)})"
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from .wasi.command import split_run_arguments
    parser = build_parser()
    argv, guest_args = split_run_arguments(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    args.guest_args = guest_args
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except UsageError as exc:
        print(f"wasmem: error: {exc}", file=sys.stderr)
        return 2
    except FuelExhausted as exc:  # one line: the backtrace is in str(exc)'s other lines
        if exc.file is None and isinstance(getattr(args, "file", None), str):
            exc.file = args.file  # the loop's place, named like other errors: FILE:L:C
        print(f"wasmem: {_one_line(exc)}", file=sys.stderr)
        return 3
    except Exit as exc:  # a WASI program's proc_exit: its status is ours
        if 0 <= exc.code < 126:
            return exc.code
        print(f"wasmem: exit status {exc.code} is outside WASI's range [0, 126)",
              file=sys.stderr)
        return 1
    except InvocationError as exc:
        print(f"wasmem: error: {exc}", file=sys.stderr)
        return 2
    except WasmError as exc:
        kind = type(exc).__name__
        file = getattr(args, "file", None)
        print(f"wasmem: {kind}: {_one_line(exc, file if isinstance(file, str) else None)}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("wasmem: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug in wasmem; WASMEM_DEBUG=1 shows the traceback
        if os.environ.get("WASMEM_DEBUG"):
            raise
        print(f"wasmem: internal error: {type(exc).__name__}: {exc} (please report; "
              "WASMEM_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
