"""Progress of ``wasmem wast`` and long ``wasmem run``s: a redrawn line on stderr when it is
a terminal (checked through a pseudo-terminal), nothing when stderr is a pipe."""

from __future__ import annotations

import io
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _data import ROOT

from wasmem.progress import LineProgress, RunProgress

pty = pytest.importorskip("pty")

SPIN = '(module (func (export "spin") (loop $l (br $l))))'


def _default_interrupt() -> None:
    """In the child: Ctrl-C handled by default even when the suite itself was started
    with SIGINT ignored (a background job of a non-interactive shell), which the child
    would inherit and so never see the test's interrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "wasmem", *argv]


def environment() -> dict[str, str]:
    env = dict(os.environ, TERM="xterm", COLUMNS="80")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      env.get("PYTHONPATH")]))
    return env


def read_until(fd: int, process: subprocess.Popen[bytes], wanted: bytes | None,
               seconds: float) -> bytes:
    """What the terminal shows until ``wanted`` appears, the process ends and its output is
    read, or ``seconds`` pass."""
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed (Linux: EIO)
                break
            if not chunk:
                break
            seen += chunk
            if wanted is not None and wanted in seen:
                break
        elif process.poll() is not None:
            break
    return seen


def on_pty(argv: list[str], wanted: bytes | None, seconds: float,
           interrupt: bool = False) -> tuple[int, bytes, bytes]:
    """Run with stderr on a pseudo-terminal and stdout on a pipe."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=follower, env=environment(), cwd=ROOT,
                               preexec_fn=_default_interrupt)
    os.close(follower)
    try:
        screen = read_until(leader, process, wanted, seconds)
        if interrupt:
            process.send_signal(signal.SIGINT)
        screen += read_until(leader, process, None, 10)
        out = process.stdout.read() if process.stdout else b""
        status = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        os.close(leader)
    return status, out, screen


@pytest.fixture()
def scripts(tmp_path: Path) -> list[str]:
    paths = []
    for k in range(3):
        path = tmp_path / f"script{k}.wast"
        path.write_text(f'(module (func (export "f") (result i32) (i32.const {k})))\n'
                        f'(assert_return (invoke "f") (i32.const {k}))\n')
        paths.append(str(path))
    return paths


def test_wast_progress_on_a_terminal(scripts: list[str]) -> None:
    status, out, screen = on_pty(command("wast", *scripts), None, 60)
    assert status == 0, screen
    for k in range(3):
        assert f"\r[{k + 1}/3] script{k}.wast\x1b[K".encode() in screen
    assert screen.endswith(b"\r\x1b[K")  # the line is erased at the end
    assert out.decode().endswith("6 passed, 0 failed, 0 skipped\n")


def test_wast_no_progress_when_piped(scripts: list[str]) -> None:
    result = subprocess.run(command("wast", *scripts), capture_output=True, env=environment(),
                            cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 0
    assert result.stderr == b""
    assert b"[1/3]" not in result.stdout


def test_long_run_shows_time_and_instructions(tmp_path: Path) -> None:
    path = tmp_path / "spin.wat"
    path.write_text(SPIN)
    spin = command("run", str(path), "--invoke", "spin", "--fuel", "1_000_000_000")
    status, _, screen = on_pty(spin, b"instructions]", 60, interrupt=True)
    assert status == 130
    text = screen.decode()
    assert re.search(r"\r\[wasmem: running [1-9]\.\d s, [\d,]+ instructions\]\x1b\[K", text), text
    assert "\r\x1b[Kwasmem: interrupted" in text  # erased before the message
    # without a budget there is no count: the time alone
    unlimited = command("run", str(path), "--invoke", "spin", "--fuel", "0")
    status, _, screen = on_pty(unlimited, b" s]", 60, interrupt=True)
    assert status == 130 and re.search(rb"\r\[wasmem: running [1-9]\.\d s\]", screen)


def test_short_run_shows_nothing_and_pipe_shows_nothing(tmp_path: Path) -> None:
    path = tmp_path / "spin.wat"
    path.write_text(SPIN)
    status, _, screen = on_pty(command("run", str(path), "--invoke", "spin",
                                       "--fuel", "1000"), None, 60)
    assert status == 3 and b"running" not in screen and b"fuel" in screen
    process = subprocess.Popen(command("run", str(path), "--invoke", "spin", "--fuel", "0"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=environment(), cwd=ROOT, preexec_fn=_default_interrupt)
    time.sleep(2.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert err == b"wasmem: interrupted\n"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_line_progress_only_on_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    piped, terminal = io.StringIO(), FakeTerminal()
    for stream in (piped, terminal):
        line = LineProgress(stream)
        line.show("[1/2] a.wast")
        line.clear()
        line.clear()
    assert piped.getvalue() == ""
    assert terminal.getvalue() == "\r[1/2] a.wast\x1b[K\r\x1b[K"
    monkeypatch.setenv("TERM", "dumb")
    assert not LineProgress(FakeTerminal()).enabled


def test_run_progress_waits_for_its_delay() -> None:
    terminal = FakeTerminal()
    with RunProgress(lambda: 1234, delay=0.05, interval=0.01, stream=terminal):
        time.sleep(0.3)
    assert "1,234 instructions]" in terminal.getvalue()
    quick = FakeTerminal()
    with RunProgress(delay=5, stream=quick):
        pass
    assert quick.getvalue() == ""
