"""Run spec scripts (.wast) against an :class:`~wasmem.script.engine.Engine`.

Every command ends as passed, failed, or skipped with a reason category (the feature
that is not supported, e.g. ``gc``); a command that depends on a skipped module is
skipped for the same reason. Nothing is skipped silently.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import (
    DecodeError,
    Exhaustion,
    LinkError,
    ParseError,
    Trap,
    TrapCode,
    UncaughtException,
    UnsupportedFeature,
    ValidationError,
    WasmError,
)
from ..syntax.module import Import
from . import commands as c
from .engine import Engine, WasmemEngine, spectest_exports
from .show import expected_shape, show_result, show_value
from .values import argument, matches

__all__ = ["Outcome", "FileReport", "run_script", "run_file", "run_paths", "wast_files"]


@dataclass
class Outcome:
    """The result of one command: ``status`` is "passed", "failed" or "skipped"."""

    line: int
    command: str
    status: str
    detail: str = ""


@dataclass
class FileReport:
    """All outcomes of one script, plus counters."""

    path: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    message_mismatches: int = 0

    def count(self, status: str) -> int:
        """Number of commands with this status."""
        return sum(1 for o in self.outcomes if o.status == status)

    def skip_reasons(self) -> Counter[str]:
        """Skipped commands by reason category."""
        return Counter(o.detail.split(":", 1)[0] for o in self.outcomes if o.status == "skipped")


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class _Fail(Exception):
    pass


class _Unavailable:
    """A module or instance that could not be created because of an unsupported feature."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class ScriptRunner:
    """Executes commands of one script, keeping modules, instances and registrations."""

    def __init__(self, engine: Engine, file: str | None) -> None:
        self.engine = engine
        self.file = file
        self.registry: dict[str, Any] = {"spectest": spectest_exports()}
        self.instances: dict[str, Any] = {}
        self.definitions: dict[str, Any] = {}
        self.current: Any = None
        self.message_mismatches = 0

    # ------------------------------------------------------------------ plumbing
    def resolve(self, imp: Import) -> Any:
        exports = self.registry.get(imp.module)
        if exports is None or isinstance(exports, _Unavailable):
            if isinstance(exports, _Unavailable):
                raise _Skip(exports.reason)
            return None
        return exports.get(imp.name)

    def load(self, source: c.ModuleSource) -> Any:
        try:
            return self.engine.load(source, self.file)
        except UnsupportedFeature as exc:
            raise _Skip(f"{exc.feature}: {exc.message}") from None

    def instance_of(self, name: str | None) -> Any:
        instance = self.instances.get(name) if name is not None else self.current
        if instance is None:
            raise _Fail(f"no module {name or '(current)'} to act on")
        if isinstance(instance, _Unavailable):
            raise _Skip(instance.reason)
        return instance

    def act(self, action: c.Action) -> tuple[list[Any], Any]:
        instance = self.instance_of(action.module)
        if isinstance(action, c.Invoke):
            args = [argument(a) for a in action.args]
            return self.engine.invoke(instance, action.name, args)
        t, value = self.engine.get(instance, action.name)
        return [t], value

    # ------------------------------------------------------------------ commands
    def run(self, command: c.Command) -> tuple[str, str]:
        """Run one command; return (status, detail)."""
        try:
            detail = self.dispatch(command)
            return "passed", detail or ""
        except _Skip as skip:
            return "skipped", skip.reason
        except _Fail as fail:
            return "failed", str(fail)
        except UnsupportedFeature as exc:
            return "skipped", f"{exc.feature}: {exc.message}"
        except WasmError as exc:
            return "failed", f"unexpected {type(exc).__name__}: {exc}"
        except Exception as exc:  # a bug in wasmem: one failed command, not a lost run
            if os.environ.get("WASMEM_DEBUG"):
                raise
            return "failed", f"internal error {type(exc).__name__}: {exc}"

    def dispatch(self, command: c.Command) -> str | None:
        if isinstance(command, c.ModuleCommand):
            self.define(command)
            return None
        if isinstance(command, c.InstanceCommand):
            definition = self.definitions.get(command.definition) if command.definition else None
            if definition is None:
                raise _Fail(f"no module definition {command.definition}")
            self.make_instance(command.name, lambda: definition)
            return None
        if isinstance(command, c.Register):
            instance = self.instances.get(command.module) if command.module else self.current
            if isinstance(instance, _Unavailable):
                self.registry[command.as_name] = instance
                raise _Skip(instance.reason)
            if instance is None:
                raise _Fail(f"no module {command.module} to register")
            self.registry[command.as_name] = self.engine.exports(instance)
            return None
        if isinstance(command, c.ActionCommand):
            self.act(command.action)
            return None
        if isinstance(command, c.AssertReturn):
            return self.assert_return(command)
        if isinstance(command, c.AssertTrap):
            return self.assert_trap(command)
        if isinstance(command, c.AssertExhaustion):
            return self.expect_trap(lambda: self.act(command.action), command.message,
                                    Exhaustion)
        if isinstance(command, c.AssertMalformed):
            return self.expect_load_error(command.source, command.message,
                                          (ParseError, DecodeError), "malformed")
        if isinstance(command, c.AssertInvalid):
            return self.expect_load_error(command.source, command.message,
                                          (ValidationError,), "invalid")
        if isinstance(command, c.AssertUnlinkable):
            module = self.load(command.source)
            try:
                self.engine.instantiate(module, self.resolve)
            except LinkError as exc:
                return self.compare_message(exc.message, command.message, strict=False)
            raise _Fail(f'expected link error "{command.message}", module linked')
        if isinstance(command, c.AssertUninstantiable):
            module = self.load(command.source)
            return self.expect_trap(lambda: self.engine.instantiate(module, self.resolve),
                                    command.message, Trap)
        if isinstance(command, c.AssertException):
            try:
                self.act(command.action)
            except UncaughtException:
                return None
            raise _Fail("expected an uncaught exception, returned normally")
        raise _Fail(f"unknown command {type(command).__name__}")

    def define(self, command: c.ModuleCommand) -> None:
        try:
            module = self.load(command.source)
        except _Skip as skip:
            unavailable = _Unavailable(skip.reason)
            if command.definition:
                if command.name:
                    self.definitions[command.name] = unavailable
            else:
                self.current = unavailable
                if command.name:
                    self.instances[command.name] = unavailable
            raise
        if command.definition:
            if command.name:
                self.definitions[command.name] = module
            return None
        self.make_instance(command.name, lambda: module)
        return None

    def make_instance(self, name: str | None, module: Callable[[], Any]) -> None:
        value = module()
        if isinstance(value, _Unavailable):
            self.current = value
            if name:
                self.instances[name] = value
            raise _Skip(value.reason)
        try:
            instance = self.engine.instantiate(value, self.resolve)
        except _Skip as skip:
            self.current = _Unavailable(skip.reason)
            if name:
                self.instances[name] = self.current
            raise
        self.current = instance
        if name:
            self.instances[name] = instance

    def assert_return(self, command: c.AssertReturn) -> str | None:
        types, raw = self.act(command.action)
        values = [] if raw is None and not types else (
            list(raw) if len(types) != 1 else [raw])
        if len(values) != len(command.results):
            raise _Fail(f"expected {len(command.results)} result(s), got {len(values)}")
        for k, (expected, t, value) in enumerate(zip(command.results, types, values)):
            if not matches(expected, t, value):
                raise _Fail(f"result {k}: expected {show_result(expected)}, "
                            f"got {show_value(t, value, expected_shape(expected))}")
        return None

    def assert_trap(self, command: c.AssertTrap) -> str | None:
        target = command.target
        if isinstance(target, (c.Invoke, c.Get)):
            return self.expect_trap(lambda: self.act(target), command.message, Trap)
        module = self.load(target)
        return self.expect_trap(lambda: self.engine.instantiate(module, self.resolve),
                                command.message, Trap)

    def expect_trap(self, run: Callable[[], Any], message: str,
                    kind: type[Trap]) -> str | None:
        try:
            run()
        except kind as exc:
            mismatch = self.compare_message(exc.message, message, strict=True)
            if exc.code is not TrapCode.for_message(message):
                raise _Fail(f"trap {exc.message!r} has code {exc.code.name}, expected "
                            f"{TrapCode.for_message(message).name}") from None
            return mismatch
        except Trap as exc:
            raise _Fail(f'expected {kind.__name__} "{message}", got trap "{exc.message}"') from None
        raise _Fail(f'expected trap "{message}", returned normally')

    def expect_load_error(self, source: c.ModuleSource, message: str,
                          kinds: tuple[type[WasmError], ...], what: str) -> str | None:
        try:
            self.engine.load(source, self.file)
        except UnsupportedFeature as exc:
            raise _Skip(f"{exc.feature}: {exc.message}") from None
        except kinds as exc:
            return self.compare_message(exc.message, message, strict=False)
        except WasmError as exc:
            raise _Fail(f'expected {what} module ("{message}"), got '
                        f"{type(exc).__name__}: {exc.message}") from None
        raise _Fail(f'expected {what} module ("{message}"), module was accepted')

    def compare_message(self, actual: str, expected: str, *, strict: bool) -> str | None:
        if actual.startswith(expected):
            return None
        if strict:
            raise _Fail(f'expected message "{expected}", got "{actual}"')
        self.message_mismatches += 1
        return f'message differs: expected "{expected}", got "{actual}"'


def run_script(commands: Iterable[c.Command], *, engine: Engine | None = None,
               file: str | None = None, path: str = "<script>") -> FileReport:
    """Run parsed commands and return their outcomes."""
    runner = ScriptRunner(engine or WasmemEngine(), file)
    report = FileReport(path)
    start = time.perf_counter()
    for command in commands:
        status, detail = runner.run(command)
        report.outcomes.append(Outcome(command.line, type(command).__name__, status, detail))
    report.seconds = time.perf_counter() - start
    report.message_mismatches = runner.message_mismatches
    return report


def run_file(path: str, *, engine: Engine | None = None) -> FileReport:
    """Parse and run one .wast file. A script that does not parse is one failed command.

    Raises nothing for bad input: problems are reported as failed outcomes.
    """
    from ..text import parse_script
    start = time.perf_counter()
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        script = parse_script(source, file=path)
    except (OSError, UnicodeDecodeError) as exc:
        report = FileReport(path)
        report.outcomes.append(Outcome(0, "script", "failed", f"cannot read: {exc}"))
        return report
    except WasmError as exc:
        report = FileReport(path)
        report.outcomes.append(Outcome(exc.line or 0, "script", "failed", str(exc)))
        return report
    report = run_script(script, engine=engine, file=path, path=path)
    report.seconds = time.perf_counter() - start
    return report


def wast_files(paths: Iterable[str]) -> list[str]:
    """Expand folders into the .wast files below them (sorted); keep files as given."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".wast"))
        else:
            out.append(p)
    return out


def run_paths(paths: Iterable[str], *, engine: Engine | None = None) -> list[FileReport]:
    """Run every script named by ``paths`` (files or folders)."""
    return [run_file(p, engine=engine) for p in wast_files(paths)]
