"""A progress line on stderr for work that takes longer than about a second (SPEC 8): report files checked, rows
read from a large file, the steps of a review.

Nothing at all when stderr is not a terminal (a pipe, a CI log, a file), with ``NO_COLOR`` set, or with
``TERM=dumb``. The line appears only after ``DELAY`` seconds of work, so a short command never shows it, and rich
is imported only then: start-up stays as fast as without it. It is redrawn at most every ``EVERY`` seconds and
erased when the work ends (or fails), so it never mixes with what the command writes.

The work being measured tells the meter as it goes: ``validation.run`` counts files with ``advance``; the checks
count rows of the file being read through ``rows``, which reaches the meter of the run in progress (or does
nothing); a review names its steps with ``step``.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO, TypeVar

DELAY = 1.0  # seconds of work before the line shows
EVERY = 0.1  # seconds between redraws
clock: Callable[[], float] = time.monotonic  # tests give a clock of their own

_current: Meter | None = None  # the meter of the work in progress, for ``rows``


def wanted(stream: TextIO) -> bool:
    """Whether a progress line may be drawn on ``stream``: a terminal, and colour and cursor moves allowed."""
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Meter:
    """The progress of one piece of work: ``what`` is being done, ``done`` of ``total`` ``unit`` (total may be
    unknown), and rows read so far."""

    refresh = True  # tests draw the line only when told (no thread)

    def __init__(self, what: str, total: int | None = None, unit: str = "files", stream: TextIO | None = None):
        self.what, self.total, self.unit = what, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.on = wanted(self.stream)
        self.done = 0
        self.read = 0  # rows
        self.began = clock()
        self.next = self.began + DELAY if self.on else float("inf")
        self._progress: Any = None  # rich's Progress, once the line shows
        self._task: Any = None

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.on and clock() >= self.next:
            self._draw()

    def rows(self, n: int) -> None:
        self.read += n
        if self.on and clock() >= self.next:
            self._draw()

    def step(self, what: str) -> None:
        """A new step of the work (a review: checking, computing, writing)."""
        self.what = what
        if self.on and (self._progress is not None or clock() >= self.next):
            self._draw()

    def _draw(self) -> None:
        self.next = clock() + EVERY
        try:
            if self._progress is None:
                self._start()
            self._progress.tasks[-1].total = self.total or None  # (update() cannot set a total back to None)
            self._progress.update(self._task, completed=self.done, description=self._words())
            self._progress.refresh()
        except (OSError, ValueError):  # the terminal went away: the work goes on without the line
            self.on = False

    def _words(self) -> str:
        if self.total:
            text = f"{self.what}: {self.done:,} of {self.total:,} {self.unit}"
        elif self.done:
            text = f"{self.what}: {self.done:,} {self.unit}"
        else:
            text = self.what
        return text + (f", {self.read:,} rows" if self.read else "")

    def _start(self) -> None:
        from datetime import timedelta

        from rich.console import Console
        from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn
        from rich.progress_bar import ProgressBar
        from rich.text import Text

        began = self.began

        class Bar(BarColumn):
            """The share done, or a pulse while the total is unknown (a step without counts)."""

            def render(self, task: Task) -> ProgressBar:
                bar = super().render(task)
                bar.pulse = task.total is None
                return bar

        class Elapsed(ProgressColumn):
            """The time since the work began (not since the line showed, nor frozen when a count completes)."""

            def render(self, task: Task) -> Text:
                return Text(str(timedelta(seconds=int(clock() - began))), style="progress.elapsed")

        console = Console(file=self.stream, highlight=False, emoji=False, legacy_windows=False)
        self._progress = Progress(
            TextColumn("{task.description}"),
            Bar(),
            Elapsed(),
            console=console,
            # redrawn by the work as it goes, and by rich a few times a second, so that a long step without
            # counts (building a review) still shows its time passing; the thread ends with the line
            auto_refresh=self.refresh,
            refresh_per_second=4,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
            get_time=clock,
        )
        self._task = self._progress.add_task(self._words(), total=self.total or None)
        self._progress.start()

    def close(self) -> None:
        """Erase the line (if it showed)."""
        progress, self._progress = self._progress, None
        self.on = False
        if progress is not None:
            with suppress(OSError, ValueError):
                progress.stop()


@contextmanager
def measuring(what: str, total: int | None = None, unit: str = "files") -> Iterator[Meter]:
    """A meter for the work in the ``with`` block, reached by ``rows`` meanwhile; the line is erased at the end.

    Nested work (a review validating its reports) shares the outer meter: one line, the outer description.
    """
    global _current
    outer = _current
    if outer is not None:
        saved = (outer.what, outer.total, outer.unit, outer.done, outer.read)
        outer.total, outer.unit, outer.done = total, unit, 0
        outer.step(what)
        try:
            yield outer
        finally:
            outer.what, outer.total, outer.unit, outer.done, outer.read = saved
        return
    meter = _current = Meter(what, total, unit)
    try:
        yield meter
    finally:
        _current = None
        meter.close()


F = TypeVar("F", bound=Callable[..., Any])


def measured(what: str) -> Callable[[F], F]:
    """A command measured from start to end: its steps (``step``) and the validation it runs share one line."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def run(*args: Any, **kwargs: Any) -> Any:
            with measuring(what):
                return command(*args, **kwargs)

        return run  # type: ignore[return-value]

    return decorate


def done() -> None:
    """The work is done and its result is about to be written: erase the line now."""
    meter = _current
    if meter is not None:
        meter.close()


def rows(n: int) -> None:
    """Rows read by the checks: counted on the meter of the work in progress, if any."""
    meter = _current
    if meter is not None:
        meter.rows(n)


def step(what: str) -> None:
    """The next step of the work in progress, if any is measured."""
    meter = _current
    if meter is not None:
        meter.step(what)
