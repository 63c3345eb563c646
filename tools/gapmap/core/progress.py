"""Progress of the long commands, on stderr only: a *stage* is a named, timed step (`stage`), a
*bar* a loop with a known total (`bar`, or `tally` where a loop is someone else's, as in mkdocs'
hooks), a *count* a number a stage reports when it ends (cache hits), a *detail* an extra line.

Library code calls these freely; they reach whichever `Reporter` the command installed with
`use` (cli/common.verbosity gives every command one), and the default reporter is silent, so
library calls, tests and plain `mkdocs build` print nothing new. Nothing is ever written to
stdout: that is the command's own output, piped by scripts (`--format json`).

Levels: QUIET prints nothing; NORMAL shows the stages; VERBOSE adds each stage's time, its
counts and details. On a terminal (stderr a TTY, CI unset, TERM not dumb) one status line is
redrawn in place with a bar and erased when done. Anywhere else the output is plain lines
without control characters: at NORMAL only the stages announced as long (the first-run
compilation of the cost kernels), at VERBOSE every stage as it starts and its time as it ends.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import time
from contextlib import contextmanager
from contextvars import ContextVar

QUIET, NORMAL, VERBOSE = 0, 1, 2
REDRAW_SECONDS = 0.1  # a bar is redrawn at most this often (a terminal is slow to write to)


def is_live(stream) -> bool:
    """Whether to draw in place on `stream`: a terminal, and not under CI."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class Reporter:
    """Writes stages, bars, counts and details to the current sys.stderr at one level."""

    def __init__(self, level: int = NORMAL, live: bool | None = None):
        self.level = level
        self.live = is_live(sys.stderr) if live is None else live
        self._open: list[_Stage] = []
        self._status = False  # a status line is on screen (live only)
        self._drawn = 0.0

    def line(self, text: str) -> None:
        """A line that stays (whatever the level: callers decide), clear of the status line."""
        self.clear()
        _write(text + "\n")

    def clear(self) -> None:
        """Erase the status line, if one is drawn."""
        if self._status:
            _write("\r\x1b[K")
            self._status = False

    def status(self, text: str, force: bool = False) -> None:
        """Redraw the status line (live, not quiet); throttled unless `force`."""
        now = time.monotonic()
        if not self.live or self.level == QUIET or (not force and now - self._drawn < REDRAW_SECONDS):
            return
        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 20)
        _write("\r\x1b[K" + text[:width])
        self._status, self._drawn = True, now

    def _indent(self) -> str:
        return "  " * len(self._open)

    @contextmanager
    def stage(self, name: str, announce: bool = False):
        """A timed step. A terminal shows it while it runs; plain output names it when it
        starts only if verbose or `announce` (a step known to be long, like the first-run
        compilation), so a script's stderr is the same every run; verbose adds its time."""
        if self.level == QUIET:  # nothing to show or time (and the silent default is shared by threads)
            yield None
            return
        indent = self._indent()
        if not self.live and (self.level >= VERBOSE or (announce and self.level >= NORMAL)):
            self.line(f"{indent}{name}...")
        current = _Stage(name)
        self._open.append(current)
        self.status(f"{name}...", force=True)
        failed = False
        try:
            yield current
        except BaseException:
            failed = True
            raise
        finally:
            self._open.pop()
            if self.level >= VERBOSE:
                self.line(f"{indent}{name}: {'failed after ' if failed else ''}{current.summary()}")
            self._back()

    def _back(self) -> None:
        """After a stage or bar: the enclosing stage's status line again, or nothing."""
        if self._open:
            self.status(f"{self._open[-1].name}...", force=True)
        else:
            self.clear()

    def count(self, what: str, n: int = 1) -> None:
        if self._open and n:
            counts = self._open[-1].counts
            counts[what] = counts.get(what, 0) + n

    def detail(self, text: str) -> None:
        if self.level >= VERBOSE:
            self.line(self._indent() + text)

    def tally(self, label: str, total: int | None) -> Tally:
        return Tally(self, label, total)

    def bar(self, items, label: str, total: int | None = None):
        """Yield `items`, drawing a bar of how many went by."""
        if total is None and hasattr(items, "__len__"):
            total = len(items)
        with self.tally(label, total) as t:
            for item in items:
                yield item
                t.advance()


class _Stage:
    def __init__(self, name: str):
        self.name = name
        self.start = time.perf_counter()
        self.counts: dict[str, int] = {}

    def summary(self) -> str:
        counts = ", ".join(f"{n:,} {what}" for what, n in self.counts.items())
        return f"{time.perf_counter() - self.start:.2f} s" + (f" ({counts})" if counts else "")


class Tally:
    """A bar advanced by hand: `with tally(label, total) as t: ... t.advance()`."""

    def __init__(self, reporter: Reporter, label: str, total: int | None):
        self.reporter, self.label, self.total = reporter, label, total
        self.done, self.start = 0, time.perf_counter()
        reporter.status(self.text(), force=True)

    def __enter__(self) -> Tally:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self.reporter.status(self.text(), force=self.done == self.total)

    def close(self) -> None:
        r = self.reporter
        if r.level >= VERBOSE and self.done:
            r.line(f"{r._indent()}{self.label}: {self.done:,} in {time.perf_counter() - self.start:.2f} s")
        r._back()

    def text(self) -> str:
        seconds = f"{time.perf_counter() - self.start:.0f} s"
        if not self.total:
            return f"{self.label} {self.done:,}  {seconds}"
        filled = min(self.done, self.total) * 30 // self.total
        return f"{self.label} [{'#' * filled}{'-' * (30 - filled)}] {self.done:,}/{self.total:,}  {seconds}"


def _write(text: str) -> None:
    stream = sys.stderr  # looked up each time: a test runner swaps it per command
    stream.write(text)
    stream.flush()


_SILENT = Reporter(QUIET, live=False)
_current: ContextVar[Reporter] = ContextVar("gapmap_progress", default=_SILENT)


def current() -> Reporter:
    return _current.get()


@contextmanager
def use(reporter: Reporter):
    """Report to `reporter` inside the block (threads started inside see the silent default)."""
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        reporter.clear()
        _current.reset(token)


def stage(name: str, announce: bool = False):
    return current().stage(name, announce)


def staged(name: str):
    """Decorator: every call of the function is the stage `name`."""
    def decorate(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            with current().stage(name):
                return function(*args, **kwargs)
        return run
    return decorate


def bar(items, label: str, total: int | None = None):
    return current().bar(items, label, total)


def tally(label: str, total: int | None) -> Tally:
    return current().tally(label, total)


def count(what: str, n: int = 1) -> None:
    current().count(what, n)


def detail(text: str) -> None:
    current().detail(text)
