"""Progress lines on a terminal: ``wasmem wast`` over many files, long ``wasmem run``s.

Progress is one line on stderr, redrawn in place (carriage return, erase to end of line)
and erased when the work ends. It is shown only when stderr is a terminal (not when it is
piped or redirected, nor with ``TERM=dumb``), so scripts and logs never see it.
:class:`RunProgress` draws from a timer thread: the running guest does no extra work.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

__all__ = ["on_terminal", "LineProgress", "RunProgress"]


def on_terminal(stream: TextIO | None) -> bool:
    """True if ``stream`` is an interactive terminal that can redraw a line. Raises
    nothing."""
    try:
        return (stream is not None and stream.isatty()
                and os.environ.get("TERM", "") != "dumb")
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


class LineProgress:
    """One status line on ``stream`` (default stderr), drawn only on a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = on_terminal(self.stream)
        self._shown = False
        self._lock = threading.Lock()

    def show(self, text: str) -> None:
        """Replace the line with ``text`` (cut to the terminal's width). Raises nothing."""
        if not self.enabled:
            return
        width = shutil.get_terminal_size((80, 24)).columns - 1
        with self._lock:
            try:
                self.stream.write("\r" + text[:max(width, 10)] + "\x1b[K")
                self.stream.flush()
                self._shown = True
            except (OSError, ValueError):
                self.enabled = False

    def clear(self) -> None:
        """Erase the line, if one is shown. Raises nothing."""
        with self._lock:
            if self._shown:
                try:
                    self.stream.write("\r\x1b[K")
                    self.stream.flush()
                except (OSError, ValueError):
                    self.enabled = False
                self._shown = False


class RunProgress:
    """A context manager: while its body runs longer than ``delay`` seconds, a timer
    thread shows the time spent (and instructions run, when ``counter`` returns a count)
    every ``interval`` seconds; the line is erased at the end."""

    def __init__(self, counter: Callable[[], int | None] | None = None, *,
                 delay: float = 1.0, interval: float = 0.25,
                 stream: TextIO | None = None) -> None:
        self.counter = counter
        self.delay = delay
        self.interval = interval
        self.line = LineProgress(stream)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start = 0.0

    def _text(self) -> str:
        elapsed = time.monotonic() - self._start
        text = f"[wasmem: running {elapsed:.1f} s"
        count = None
        try:
            count = self.counter() if self.counter is not None else None
        except Exception:  # a counter that cannot answer now: time only
            count = None
        if count is not None:
            text += f", {count:,} instructions"
        return text + "]"

    def _loop(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            self.line.show(self._text())
            self._stop.wait(self.interval)

    def __enter__(self) -> RunProgress:
        self._start = time.monotonic()
        if self.line.enabled:
            self._thread = threading.Thread(target=self._loop, name="wasmem-progress",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.line.clear()
