"""``wasmem debug FILE [--invoke NAME ARGS...]``: a gdb-like debugger on a terminal.

The command loop (:class:`DebugShell`) runs on the thread that runs the wasm code: at
the top level before and after a run, and nested inside the run at each stop (called
back by :class:`~.debugger.Debugger`); resuming returns from the nested loop.
"""

from __future__ import annotations

import argparse
import cmd
import contextlib
import shlex
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import Exit, InvocationError, Trap, WasmError
from ..syntax.types import PAGE_SIZE
from .debugger import Debugger, Quit
from .events import show_value
from .program import Program

__all__ = ["add_debug_command", "cmd_debug", "DebugShell"]

_RESUME = ("step", "next", "finish", "continue")


def add_debug_command(sub: Any, default_fuel: int) -> None:
    """Register the ``debug`` subcommand on the ``wasmem`` parser's subparsers."""
    debug = sub.add_parser("debug", help="debug a module: breakpoints, stepping, "
                           "watchpoints, locals, memory (gdb-like; type help)")
    debug.add_argument("file", help=".wat or .wasm file")
    debug.add_argument("--invoke", nargs="+", metavar=("NAME", "ARG"),
                       help="exported function that `run` calls, then its arguments")
    debug.add_argument("args", nargs="*", metavar="ARG",
                       help="a WASI program's arguments (without --invoke)")
    debug.add_argument("-ex", "--ex", action="append", default=[], metavar="COMMAND",
                       help="run COMMAND first (repeatable), as if typed")
    debug.add_argument("--batch", action="store_true",
                       help="run the -ex commands, then quit (read no input)")
    debug.add_argument("--fuel", type=int, default=0,
                       help="instruction budget per run (default 0 = unlimited)")
    debug.set_defaults(handler=cmd_debug)


def cmd_debug(args: argparse.Namespace) -> int:
    """Run the debugger; return the exit status.

    Raises:
        UsageError: a bad export name or argument (the CLI prints it on one line).
        WasmError: the module does not load or instantiate.
    """
    from ..cli_support import UsageError
    from ..cli_support import load_module as _load
    module = _load(args.file)
    program = Program(module, args.file, invoke=bool(args.invoke),
                      arguments=[] if args.invoke else args.args,
                      fuel=None if args.fuel <= 0 else args.fuel)
    source = None
    if not str(args.file).endswith(".wasm"):
        try:
            source = Path(args.file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            source = None
    invoke = (args.invoke or []) + (args.args if args.invoke else [])
    shell = DebugShell(program.instance, source, invoke, sys.stdin, sys.stdout, program)
    if invoke:
        try:
            shell.prepare(invoke)
        except InvocationError as exc:
            shell.debugger.detach()
            raise UsageError(exc.message) from None
    shell.queue = list(args.ex)
    shell.batch = args.batch
    shell.session()
    return 0


class DebugShell(cmd.Cmd):
    """The debugger's commands (``help`` lists them)."""

    prompt = "(wasmem) "
    intro = None
    doc_header = "Commands (help COMMAND for more):"

    def __init__(self, instance: Any, source: list[str] | None, invoke: list[str],
                 stdin: IO[str], stdout: IO[str], program: Program | None = None) -> None:
        super().__init__(stdin=stdin, stdout=stdout)
        self.program = program  # how to start (and restart) the module; None: just call
        self.use_rawinput = stdin is sys.stdin and _is_terminal(stdin)
        self.instance = instance
        self.source = source
        self.invoke = invoke
        self.debugger = Debugger(instance._instance, self.stopped, self.say)
        self.running = False
        self.resumed = False
        self.level = 0  # the frame `locals`, `stack` and `print` look at
        self.queue: list[str] = []  # commands to run before reading input (-ex)
        self.batch = False  # quit when the queue is done

    # ------------------------------------------------------------------ loop
    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def read(self) -> str:
        """One command line (from the queue first); raises Quit at end of input."""
        if self.queue:
            line = self.queue.pop(0)
            self.say(self.prompt + line)
            return line
        if self.batch:
            raise Quit
        try:
            if self.use_rawinput:
                return input(self.prompt)
            line = self.stdin.readline()  # not a terminal: show the command as typed
            self.stdout.write(self.prompt + (line if line.endswith("\n") else line + "\n")
                              if line else self.prompt)
            self.stdout.flush()
        except KeyboardInterrupt:  # at the prompt, as in gdb: a fresh prompt
            self.say("")
            return "#"
        except EOFError:
            line = ""
        if not line:
            self.say("quit")
            raise Quit
        return line.rstrip("\n")

    def session(self) -> None:
        """Take commands until ``quit`` or the end of input, then detach."""
        try:
            self.loop()
        except Quit:
            pass
        finally:
            self.debugger.detach()

    def loop(self) -> None:
        """Read and run commands until one resumes the program (inside a run) or
        quits. Raises Quit to end the session."""
        self.resumed = False
        while not self.resumed:
            if self.onecmd(self.read()):
                raise Quit

    def onecmd(self, line: str) -> bool:
        """Run one command; errors are printed on one line."""
        try:
            return bool(super().onecmd(line))
        except Quit:
            raise
        except (InvocationError, ValueError, IndexError, KeyError) as exc:
            message = getattr(exc, "message", None) or str(exc)
            self.say(f"error: {message}")
        except WasmError as exc:
            self.say(f"error: {exc}")
        return False

    def default(self, line: str) -> None:
        if line.lstrip().startswith("#"):
            return  # a comment
        self.say(f"unknown command {line.split()[0]!r} (try help)")

    def emptyline(self) -> bool:
        """An empty line repeats the last stepping command."""
        if self.lastcmd.split()[:1] and self.lastcmd.split()[0] in _RESUME:
            return self.onecmd(self.lastcmd)
        return False

    def stopped(self, reason: str | None) -> None:
        """A stop (called by the debugger inside the run): show it, take commands."""
        if reason:
            self.say(reason)
        self.level = 0
        self.show(self.debugger.where(0))
        self.loop()
        self.debugger.interrupted = False  # a Ctrl-C typed at this prompt

    def show(self, spot: tuple[int, int]) -> None:
        debugger = self.debugger
        frame = debugger.place(spot)
        self.say(f"{debugger.describe(spot)}: {debugger.instruction(spot)}")
        if frame.line is not None and self.source and 0 < frame.line <= len(self.source):
            self.say(f"{frame.line:>5} | {self.source[frame.line - 1].rstrip()}")

    # ------------------------------------------------------------------ running
    def do_run(self, arg: str) -> None:
        """run [NAME ARGS...]: call the export (default: the one given by --invoke),
        after the module's start function the first time. A WASI program: run [ARGS...]
        starts it (again, in a new instance), with these arguments if given."""
        from ..cli_support import format_value as _format
        if self.running:
            raise InvocationError("the program is already running (continue, or quit)")
        program = self.program
        words = shlex.split(arg)
        command = program is not None and program.command
        export: list[tuple[str, Any]] = []
        if not command:
            words = words or self.invoke
            if words or program is None or not program.pending:
                function, values = self.prepare(words)
                export.append((f"{words[0]}({', '.join(words[1:])})",
                               lambda: function(*values)))
        elif program is not None and (program.started or words):
            self.attach(program.restart(words or None))
        calls = (program.launch() if program is not None else []) + export
        self.running = True
        self.debugger.mode = "continue"
        self.debugger.last = None
        self.debugger.interrupted = False
        result = None
        try:
            with _interrupts(self.debugger):
                for label, call in calls:
                    self.say(f"Starting {label}")
                    result = call()
        except Exit as exc:
            self.say(f"Program exited with code {exc.code}")
            return
        except Trap as trap:
            self.say(f"Program trapped: {trap}")
            return
        except WasmError as exc:
            self.say(f"Program stopped: {exc}")
            return
        finally:
            self.running = False
            self.resumed = False
            sys.stdout.flush()
        if program is not None and program.command:
            self.say("Program exited normally")
            return
        shown = [] if result is None else \
            list(result) if isinstance(result, tuple) else [result]
        self.say(f"Program returned: {', '.join(map(_format, shown)) or '()'}")

    def attach(self, instance: Any) -> None:
        """Debug ``instance`` (a new one of the same module) from now on, with the same
        breakpoints and watchpoints."""
        old = self.debugger
        old.detach()
        self.debugger = Debugger(instance._instance, self.stopped, self.say)
        self.debugger.adopt(old)
        self.instance = instance

    def prepare(self, words: list[str]) -> tuple[Any, list[Any]]:
        """The export ``words[0]`` and its arguments ``words[1:]`` as values.

        Raises:
            InvocationError: no such exported function, or bad arguments.
        """
        from ..cli_support import UsageError
        from ..cli_support import parse_argument as _parse_argument
        from ..embedding import Function
        if not words:
            raise InvocationError("no function to run: run NAME ARGS... (or --invoke)")
        name, texts = words[0], words[1:]
        function = self.instance.exports.get(name)
        if not isinstance(function, Function):
            names = [n for n, f in self.instance.exports.items() if isinstance(f, Function)]
            raise InvocationError(f"no exported function {name!r} "
                                  f"(exported functions: {', '.join(names) or 'none'})")
        params = function.type.params
        if len(texts) != len(params):
            raise InvocationError(f"{name} takes {len(params)} argument(s), got {len(texts)}")
        try:
            return function, [_parse_argument(t, p) for t, p in zip(texts, params)]
        except UsageError as exc:
            raise InvocationError(str(exc)) from None

    def resume(self, mode: str) -> None:
        if not self.running:
            raise InvocationError("the program is not being run (use run)")
        self.debugger.resume(mode)
        self.resumed = True

    def do_step(self, arg: str) -> None:
        """step: run one instruction, entering calls."""
        self.resume("step")

    def do_next(self, arg: str) -> None:
        """next: run one instruction, over calls."""
        self.resume("next")

    def do_finish(self, arg: str) -> None:
        """finish: run until the current function returns."""
        self.resume("finish")

    def do_continue(self, arg: str) -> None:
        """continue: run until a breakpoint, a watchpoint or the end."""
        self.resume("continue")

    do_s, do_n, do_c = do_step, do_next, do_continue

    def do_quit(self, arg: str) -> bool:
        """quit: leave the debugger."""
        return True

    do_q = do_quit

    def do_EOF(self, arg: str) -> bool:
        return True

    def do_help(self, arg: str) -> None:
        """help [COMMAND]: the commands, or one command in full."""
        import inspect
        name = arg.strip()
        if name:
            method = getattr(self, f"do_{name}", None)
            if method is None or not method.__doc__ or name == "EOF":
                raise InvocationError(f"no command {name!r} (try help)")
            self.say(inspect.cleandoc(method.__doc__))
            return
        seen = set()
        for attribute in sorted(dir(self)):
            method = getattr(self, attribute)
            if not attribute.startswith("do_") or not method.__doc__ \
                    or method.__func__ in seen:
                continue
            seen.add(method.__func__)
            self.say("  " + inspect.cleandoc(method.__doc__).split("\n")[0])
        self.say("Aliases: b break, c continue, s step, n next, p print, l list, "
                 "q quit. An empty line repeats step/next/finish/continue.")

    # ------------------------------------------------------------------ breakpoints
    def do_break(self, arg: str) -> None:
        """break FUNC|LINE|@OFFSET: stop at a function, a source line or an offset.

        FUNC is a name, $name or #index; LINE a line of a text module (a line without
        code: the next one with some); @OFFSET a byte offset in a binary (@0x2a; one
        between instructions: the next instruction). In a binary, which has no lines,
        a bare number is a function index.
        """
        debugger = self.debugger
        target = arg.strip()
        if not target:
            raise InvocationError("break needs FUNC, LINE or @OFFSET")
        if target.startswith("@"):
            spots = debugger.offset_spots(_number(target[1:]))
            what = f"offset {target}"
        elif target.isdigit() and self.source is not None:
            line = int(target)  # a line without code: the next line with some
            spots = frozenset()
            while not spots and line <= len(self.source):
                spots = debugger.line_spots(line)
                line += 1
            what = f"line {line - 1}" if spots else f"line {target}"
        else:
            index = self.function_index(target)
            spots = debugger.function_spots(index)
            what = f"function {target.lstrip('$')}"
        if not spots:
            raise InvocationError(f"no code at {what}")
        b = debugger.add(what, spots)
        first = min(spots)
        self.say(f"Breakpoint {b.number} at {debugger.describe(first)}"
                 + (f" (and {len(spots) - 1} more)" if len(spots) > 1 else ""))

    do_b = do_break

    def function_index(self, text: str) -> int:
        """A defined function by name, ``$name``, ``#index`` (or an index, binaries)."""
        from ..exec.backtrace import function_name
        debugger = self.debugger
        if text.startswith("#") or text.isdigit():
            index = int(text.lstrip("#"))
            if index not in debugger.defined():
                raise InvocationError(f"no defined function {index}")
            return index
        name = text.lstrip("$")
        for index in debugger.defined():
            if function_name(debugger.instance.module, index) == name:
                return index
        raise InvocationError(f"no function named {name!r}")

    def do_watch(self, arg: str) -> None:
        """watch ADDR [LEN]: stop after any write to LEN bytes (default 4) at ADDR."""
        self.add_watch(arg, "write")

    def do_rwatch(self, arg: str) -> None:
        """rwatch ADDR [LEN]: stop after any read of LEN bytes (default 4) at ADDR."""
        self.add_watch(arg, "read")

    def do_awatch(self, arg: str) -> None:
        """awatch ADDR [LEN]: stop after any read or write of LEN bytes at ADDR."""
        self.add_watch(arg, "access")

    def add_watch(self, arg: str, kind: str) -> None:
        words = arg.split()
        if not 1 <= len(words) <= 2:
            raise InvocationError("watch ADDR [LEN]")
        address = _number(words[0])
        length = _number(words[1]) if len(words) > 1 else 4
        if address < 0 or length <= 0:
            raise InvocationError("watch needs ADDR >= 0 and LEN > 0")
        if not self.debugger.instance.memories:
            raise InvocationError("the module has no memory")
        reach = self.debugger.instance.memories[0].limit_pages * PAGE_SIZE
        if address + length > reach:
            raise InvocationError(f"M[0x{address:x}..+{length}] lies beyond memory 0, which "
                                  f"can never exceed {reach} bytes")
        b = self.debugger.add(f"M[0x{address:x}..+{length}]",
                              watch=(0, address, address + length, kind))
        label = {"write": "Watchpoint", "read": "Read watchpoint",
                 "access": "Access watchpoint"}[kind]
        self.say(f"{label} {b.number}: {b.description}")

    def do_delete(self, arg: str) -> None:
        """delete N: remove breakpoint or watchpoint N."""
        self.debugger.delete(_number(arg.strip()))

    def do_info(self, arg: str) -> None:
        """info memory|breakpoints|locals|stack: memories, breakpoints, locals, bt."""
        what = arg.strip()
        if "memory".startswith(what) and what:
            memories = self.debugger.instance.memories
            if not memories:
                self.say("no memories")
            for k, memory in enumerate(memories):
                maximum = memory.limits.max
                self.say(f"memory {k}: {memory.pages} page(s) = {memory.size_bytes} bytes, "
                         f"maximum {'none' if maximum is None else f'{maximum} page(s)'}")
        elif ("breakpoints".startswith(what) and what) or what == "watchpoints":
            if not self.debugger.breakpoints:
                self.say("no breakpoints or watchpoints")
            for b in self.debugger.breakpoints.values():
                kind = "breakpoint" if b.watch is None else "watchpoint" \
                    if b.watch[3] == "write" else f"{b.watch[3]} watchpoint"
                self.say(f"{b.number}  {kind}  {b.description}  (hit {b.hits} time(s))")
        elif what == "locals":
            self.do_locals("")
        elif what == "stack":
            self.do_bt("")
        else:
            raise InvocationError("info memory | info breakpoints | info locals | info stack")

    # ------------------------------------------------------------------ looking
    def do_bt(self, arg: str) -> None:
        """bt: the wasm call stack, innermost first."""
        self.need_frames()
        for level in range(len(self.debugger.visible())):
            spot = self.debugger.where(level)
            self.say(f"#{level}  {self.debugger.describe(spot)}: "
                     f"{self.debugger.instruction(spot)}")

    do_backtrace = do_bt

    def do_frame(self, arg: str) -> None:
        """frame N: look at frame N (0 = innermost) with locals, stack and print."""
        self.need_frames()
        level = _number(arg.strip() or "0")
        self.show(self.debugger.where(level))
        self.level = level

    def do_locals(self, arg: str) -> None:
        """locals: the parameters and locals of the current frame."""
        self.need_frames()
        for k, name, t, value in self.debugger.locals(self.level):
            self.say(f"${name or k} ({t}) = {show_value(value)}")

    def do_stack(self, arg: str) -> None:
        """stack: the operand stack before the current instruction, bottom first."""
        self.need_frames()
        values = self.debugger.stack(self.level)
        self.say("[" + ", ".join(show_value(v) for v in values) + "]")

    def do_print(self, arg: str) -> None:
        """print $NAME | $N: a local by name or index (the $ may be left out)."""
        self.need_frames()
        wanted = arg.strip()
        key = wanted.removeprefix("$")
        if not key or " " in key:
            raise InvocationError("print $NAME or $N (a local)")
        for k, name, _type, value in self.debugger.locals(self.level):
            if key == name or key == str(k):
                self.say(f"{wanted} = {show_value(value)}")
                return
        raise InvocationError(f"no local {wanted} here")

    do_p = do_print

    def do_x(self, arg: str) -> None:
        """x ADDR [LEN]: hexdump LEN bytes (default 64) of memory 0 at ADDR."""
        from ..memory.inspect import hexdump
        words = arg.split()
        if not 1 <= len(words) <= 2:
            raise InvocationError("x ADDR [LEN]")
        memories = self.debugger.instance.memories
        if not memories:
            raise InvocationError("the module has no memory")
        address = _number(words[0])
        length = _number(words[1]) if len(words) > 1 else 64
        memory = memories[0]
        if address < 0 or length < 0 or address + length > memory.size_bytes:
            raise InvocationError(f"{words[0]}..+{length} is outside the memory "
                                  f"({memory.size_bytes} bytes)")
        self.say(hexdump(memory, address, length).rstrip("\n"))

    def do_list(self, arg: str) -> None:
        """list [LINE]: ten source lines around LINE (default: where the frame is)."""
        if not self.source:
            raise InvocationError("no source lines (a binary module)")
        if arg.strip():
            line = _number(arg.strip())
        elif self.debugger.frames:
            line = self.debugger.place(self.debugger.where(self.level)).line or 1
        else:
            line = 1
        first = max(1, line - 5)
        for number in range(first, min(first + 10, len(self.source) + 1)):
            marker = ">" if number == line else " "
            self.say(f"{marker}{number:>4} | {self.source[number - 1].rstrip()}")

    do_l = do_list

    def need_frames(self) -> None:
        if not self.debugger.frames:
            raise InvocationError("no frames: the program is not stopped (use run)")




def _number(text: str) -> int:
    """A decimal or ``0x`` number.

    Raises:
        InvocationError: it is not one.
    """
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        raise InvocationError(f"not a number: {text!r}") from None


@contextlib.contextmanager
def _interrupts(debugger: Debugger) -> Iterator[None]:
    """While a run goes on, Ctrl-C stops it at the next step (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        debugger.interrupted = True

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
